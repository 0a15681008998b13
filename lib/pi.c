/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Host-side protection information (libxnvme_pi.h), NVM Command Set Specification 5.3.
 *
 * The three formats differ only in field widths and the guard's CRC (5.3.1.1 to 5.3.1.3), so one
 * table describes them and one loop serves all. With no storage tag (STS 0), the storage and
 * reference space is all reference tag: 32 bits (16b), 48 bits (64b); for the 32b guard the
 * 80-bit space keeps its upper 16 bits for the smallest storage tag the format allows and the
 * reference tag takes the lower 64 (XNVME_REFTAG_MASK_32).
 */
#include <errno.h>
#include <libxnvme.h>
#include "xnvme_crc.h"

struct pi_format {
	uint8_t nbytes;       ///< PI bytes per block
	uint8_t guard_nbytes; ///< The guard at offset 0
	uint8_t apptag_off;   ///< The application tag, 2 bytes
	uint8_t reftag_off;   ///< The reference tag, reftag_nbytes up to the end of the PI
	uint8_t reftag_nbytes;
	uint64_t reftag_mask;
	uint32_t data_align; ///< Separate metadata: the data block size is a multiple of this
};

static const struct pi_format g_formats[] = {
    [XNVME_SPEC_NVM_NS_16B_GUARD] = {8, 2, 2, 4, 4, XNVME_REFTAG_MASK_16, 512},
    [XNVME_SPEC_NVM_NS_32B_GUARD] = {16, 4, 4, 8, 8, XNVME_REFTAG_MASK_32, 4096},
    [XNVME_SPEC_NVM_NS_64B_GUARD] = {16, 8, 8, 10, 6, XNVME_REFTAG_MASK_64, 4096},
};

static const struct pi_format *
pi_format_get(unsigned pi_format)
{
	return pi_format < sizeof(g_formats) / sizeof(g_formats[0]) ? &g_formats[pi_format] : NULL;
}

static uint64_t
be_load(const uint8_t *p, unsigned nbytes)
{
	uint64_t val = 0;

	for (unsigned i = 0; i < nbytes; ++i) {
		val = val << 8 | p[i];
	}
	return val;
}

static void
be_store(uint8_t *p, unsigned nbytes, uint64_t val)
{
	for (unsigned i = nbytes; i > 0; --i) {
		p[i - 1] = (uint8_t)val;
		val >>= 8;
	}
}

size_t
xnvme_pi_size(enum xnvme_spec_nvm_ns_pif pi_format)
{
	return pi_format == XNVME_SPEC_NVM_NS_16B_GUARD ? 8 : 16;
}

int
xnvme_pi_ctx_init(struct xnvme_pi_ctx *ctx, uint32_t block_size, uint32_t md_size,
		  bool md_interleave, bool pi_loc, enum xnvme_pi_type pi_type, uint32_t pi_flags,
		  uint32_t init_ref_tag, uint16_t apptag_mask, uint16_t app_tag,
		  enum xnvme_spec_nvm_ns_pif pi_format)
{
	const struct pi_format *fmt = pi_format_get(pi_format);

	if (!ctx || !fmt || (unsigned)pi_type > XNVME_PI_TYPE3 || md_size < fmt->nbytes) {
		return -EINVAL;
	}
	// Type 3 has no reference tag to check (5.3.1.x: its value is not defined by the spec)
	if (pi_type == XNVME_PI_TYPE3 && (pi_flags & XNVME_PI_FLAGS_REFTAG_CHECK)) {
		return -EINVAL;
	}
	if (md_interleave ? block_size < md_size : !block_size || block_size % fmt->data_align) {
		return -EINVAL;
	}

	ctx->block_size = block_size;
	ctx->md_size = md_size;
	// PI first: the guard covers no metadata; PI last: the metadata before the PI (5.3.1)
	if (md_interleave) {
		ctx->guard_interval = block_size - (pi_loc ? md_size : fmt->nbytes);
	} else {
		ctx->guard_interval = pi_loc ? 0 : md_size - fmt->nbytes;
	}
	ctx->pi_flags = pi_flags;
	ctx->md_interleave = md_interleave;
	ctx->pi_type = (uint16_t)pi_type;
	ctx->pi_format = (uint16_t)pi_format;
	ctx->init_ref_tag = init_ref_tag;
	ctx->app_tag = app_tag;
	ctx->apptag_mask = apptag_mask;
	return 0;
}

/** One block's layout: where its guarded bytes and its PI are */
struct pi_block {
	const uint8_t *data; ///< Guarded from here ...
	size_t data_nbytes;  ///< ... for this many bytes
	const uint8_t *md;   ///< Then these metadata bytes (separate metadata only)
	size_t md_nbytes;
	uint8_t *pi;
};

static int
pi_block_get(const struct xnvme_pi_ctx *ctx, uint8_t *data_buf, uint8_t *md_buf, uint32_t idx,
	     struct pi_block *blk)
{
	uint8_t *data = data_buf + (size_t)idx * ctx->block_size;

	if (ctx->md_interleave) {
		*blk = (struct pi_block){data, ctx->guard_interval, NULL, 0,
					 data + ctx->guard_interval};
		return 0;
	}
	if (!md_buf) {
		return -EINVAL;
	}
	uint8_t *md = md_buf + (size_t)idx * ctx->md_size;
	*blk = (struct pi_block){data, ctx->block_size, md, ctx->guard_interval,
				 md + ctx->guard_interval};
	return 0;
}

static uint64_t
pi_guard(unsigned pi_format, const struct pi_block *blk)
{
	switch (pi_format) {
	case XNVME_SPEC_NVM_NS_16B_GUARD: {
		uint16_t crc = xnvme_crc16_t10dif(0, blk->data, blk->data_nbytes);
		return xnvme_crc16_t10dif(crc, blk->md, blk->md_nbytes);
	}
	case XNVME_SPEC_NVM_NS_32B_GUARD:
		return xnvme_crc32c(xnvme_crc32c(0, blk->data, blk->data_nbytes), blk->md,
				    blk->md_nbytes);
	default:
		return xnvme_crc64_nvme(xnvme_crc64_nvme(0, blk->data, blk->data_nbytes), blk->md,
					blk->md_nbytes);
	}
}

/** The reference tag block @p idx carries: types 1 and 2 (and none) count up, type 3 does not */
static uint64_t
pi_reftag(const struct xnvme_pi_ctx *ctx, const struct pi_format *fmt, uint32_t idx)
{
	uint64_t ref = ctx->init_ref_tag;

	if (ctx->pi_type != XNVME_PI_TYPE3) {
		ref += idx;
	}
	return ref & fmt->reftag_mask;
}

void
xnvme_pi_generate(struct xnvme_pi_ctx *ctx, uint8_t *data_buf, uint8_t *md_buf, uint32_t num_blocks)
{
	const struct pi_format *fmt = ctx ? pi_format_get(ctx->pi_format) : NULL;

	if (!fmt || !data_buf) {
		return;
	}
	for (uint32_t i = 0; i < num_blocks; ++i) {
		struct pi_block blk;

		if (pi_block_get(ctx, data_buf, md_buf, i, &blk)) {
			return;
		}
		if (ctx->pi_flags & XNVME_PI_FLAGS_GUARD_CHECK) {
			be_store(blk.pi, fmt->guard_nbytes, pi_guard(ctx->pi_format, &blk));
		}
		if (ctx->pi_flags & XNVME_PI_FLAGS_APPTAG_CHECK) {
			be_store(blk.pi + fmt->apptag_off, 2, ctx->app_tag);
		}
		if (ctx->pi_flags & XNVME_PI_FLAGS_REFTAG_CHECK) {
			be_store(blk.pi + fmt->reftag_off, fmt->reftag_nbytes,
				 pi_reftag(ctx, fmt, i));
		}
	}
}

/** The escape values that turn checking off for one block (NVM Command Set 5.3.2.x) */
static bool
pi_block_escaped(const struct xnvme_pi_ctx *ctx, const struct pi_format *fmt, const uint8_t *pi)
{
	uint64_t app = be_load(pi + fmt->apptag_off, 2);
	uint64_t ref = be_load(pi + fmt->reftag_off, fmt->reftag_nbytes) & fmt->reftag_mask;

	switch (ctx->pi_type) {
	case XNVME_PI_TYPE1:
	case XNVME_PI_TYPE2:
		return app == XNVME_APPTAG_IGNORE;
	case XNVME_PI_TYPE3:
		return app == XNVME_APPTAG_IGNORE && ref == fmt->reftag_mask;
	default:
		return false;
	}
}

int
xnvme_pi_verify(struct xnvme_pi_ctx *ctx, uint8_t *data_buf, uint8_t *md_buf, uint32_t num_blocks)
{
	const struct pi_format *fmt = ctx ? pi_format_get(ctx->pi_format) : NULL;

	if (!fmt || !data_buf) {
		return -EINVAL;
	}
	for (uint32_t i = 0; i < num_blocks; ++i) {
		struct pi_block blk;

		if (pi_block_get(ctx, data_buf, md_buf, i, &blk)) {
			return -EINVAL;
		}
		if (pi_block_escaped(ctx, fmt, blk.pi)) {
			continue;
		}
		if ((ctx->pi_flags & XNVME_PI_FLAGS_GUARD_CHECK) &&
		    be_load(blk.pi, fmt->guard_nbytes) != pi_guard(ctx->pi_format, &blk)) {
			return -EILSEQ;
		}
		if ((ctx->pi_flags & XNVME_PI_FLAGS_APPTAG_CHECK) &&
		    ((be_load(blk.pi + fmt->apptag_off, 2) ^ ctx->app_tag) & ctx->apptag_mask)) {
			return -EILSEQ;
		}
		if ((ctx->pi_flags & XNVME_PI_FLAGS_REFTAG_CHECK) &&
		    (ctx->pi_type == XNVME_PI_TYPE1 || ctx->pi_type == XNVME_PI_TYPE2) &&
		    (be_load(blk.pi + fmt->reftag_off, fmt->reftag_nbytes) & fmt->reftag_mask) !=
			pi_reftag(ctx, fmt, i)) {
			return -EILSEQ;
		}
	}
	return 0;
}
