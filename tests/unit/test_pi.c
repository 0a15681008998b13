/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Protection information (libxnvme_pi.h): the guard CRCs against their published check values,
 * known guards observed from xNVMe 0.7.5 on fixed patterns, what xnvme_pi_ctx_init() accepts, and
 * generate -> verify round trips for every type, guard format, PI location and metadata layout,
 * each followed by a flipped guard, application tag and reference tag that verify must catch.
 */
#include <errno.h>
#include <string.h>
#include "check.h"
#include "xnvme_crc.h"

#define NBLOCKS 4

static void
test_crc_check_values(void)
{
	const char *msg = "123456789";

	CHECK(xnvme_crc16_t10dif(0, msg, 9) == 0xD0DB, "CRC-16/T10-DIF(\"123456789\") = 0xD0DB");
	CHECK(xnvme_crc32c(0, msg, 9) == 0xE3069283, "CRC-32C(\"123456789\") = 0xE3069283");
	CHECK(xnvme_crc64_nvme(0, msg, 9) == 0xAE8B14860A799888ULL,
	      "CRC-64/NVME(\"123456789\") = 0xAE8B14860A799888");
	// Continuing a CRC over a second piece gives the CRC of the whole
	CHECK(xnvme_crc16_t10dif(xnvme_crc16_t10dif(0, msg, 4), msg + 4, 5) == 0xD0DB &&
		  xnvme_crc32c(xnvme_crc32c(0, msg, 4), msg + 4, 5) == 0xE3069283 &&
		  xnvme_crc64_nvme(xnvme_crc64_nvme(0, msg, 2), msg + 2, 7) ==
		      0xAE8B14860A799888ULL,
	      "CRCs continue across pieces");
	CHECK(xnvme_crc16_t10dif(0, msg, 0) == 0 && xnvme_crc32c(0, msg, 0) == 0 &&
		  xnvme_crc64_nvme(0, msg, 0) == 0,
	      "CRCs of nothing are 0");
}

static void
fill(uint8_t *data, size_t dn, uint8_t *md, size_t mn)
{
	for (size_t i = 0; i < dn; ++i) {
		data[i] = (uint8_t)(i * 7 + 3);
	}
	for (size_t i = 0; i < mn; ++i) {
		md[i] = (uint8_t)(0xA5 ^ i);
	}
}

/* Guards xNVMe 0.7.5 generates for the fill() pattern: the same bytes, from our CRCs */
static void
test_known_guards(void)
{
	static uint8_t data[4096], md[16];
	struct xnvme_pi_ctx ctx;

	fill(data, sizeof(data), md, sizeof(md));
	CHECK(!xnvme_pi_ctx_init(&ctx, 512, 8, false, false, XNVME_PI_TYPE1, 7, 0x12345678, 0xFFFF,
				 0x1234, XNVME_SPEC_NVM_NS_16B_GUARD),
	      "16b guard, 512 + 8 separate: init");
	xnvme_pi_generate(&ctx, data, md, 1);
	CHECK(!memcmp(md, "\xf9\x58\x12\x34\x12\x34\x56\x78", 8),
	      "16b guard PI is f958 1234 12345678");

	fill(data, sizeof(data), md, sizeof(md));
	xnvme_pi_ctx_init(&ctx, 512, 16, false, false, XNVME_PI_TYPE1, 7, 0x12345678, 0xFFFF,
			  0x1234, XNVME_SPEC_NVM_NS_16B_GUARD);
	xnvme_pi_generate(&ctx, data, md, 1);
	CHECK(ctx.guard_interval == 8 && !memcmp(md + 8, "\x52\x5c\x12\x34", 4),
	      "PI last in 16 bytes of metadata: the guard covers the 8 before it (525c)");

	fill(data, sizeof(data), md, sizeof(md));
	xnvme_pi_ctx_init(&ctx, 4096, 16, false, false, XNVME_PI_TYPE1, 7, 0xFFFFFFFE, 0xFFFF,
			  0x1234, XNVME_SPEC_NVM_NS_64B_GUARD);
	xnvme_pi_generate(&ctx, data, md, 1);
	CHECK(!memcmp(md, "\xee\xd9\x6e\xc7\x91\xf1\x40\xcb\x12\x34\x00\x00\xff\xff\xff\xfe", 16),
	      "64b guard PI is eed96ec791f140cb 1234 0000fffffffe");
}

static void
test_ctx_init(void)
{
	struct xnvme_pi_ctx ctx, before;

	CHECK(xnvme_pi_size(XNVME_SPEC_NVM_NS_16B_GUARD) == 8 &&
		  xnvme_pi_size(XNVME_SPEC_NVM_NS_32B_GUARD) == 16 &&
		  xnvme_pi_size(XNVME_SPEC_NVM_NS_64B_GUARD) == 16,
	      "PI sizes: 8, 16, 16");
	memset(&ctx, 0xAB, sizeof(ctx));
	before = ctx;
	CHECK(xnvme_pi_ctx_init(&ctx, 512, 7, false, false, XNVME_PI_TYPE1, 7, 0, 0xFFFF, 0,
				XNVME_SPEC_NVM_NS_16B_GUARD) == -EINVAL &&
		  !memcmp(&ctx, &before, sizeof(ctx)),
	      "metadata smaller than the PI: -EINVAL, ctx untouched");
	CHECK(xnvme_pi_ctx_init(&ctx, 512, 16, false, false, XNVME_PI_TYPE1, 7, 0, 0xFFFF, 0,
				XNVME_SPEC_NVM_NS_64B_GUARD) == -EINVAL,
	      "64b guard, separate metadata: data blocks below 4 KiB are -EINVAL");
	CHECK(xnvme_pi_ctx_init(&ctx, 520, 8, false, false, XNVME_PI_TYPE1, 7, 0, 0xFFFF, 0,
				XNVME_SPEC_NVM_NS_16B_GUARD) == -EINVAL,
	      "16b guard, separate metadata: data blocks not a multiple of 512 are -EINVAL");
	CHECK(xnvme_pi_ctx_init(&ctx, 8, 16, true, false, XNVME_PI_TYPE1, 7, 0, 0xFFFF, 0,
				XNVME_SPEC_NVM_NS_16B_GUARD) == -EINVAL,
	      "interleaved: a block smaller than its metadata is -EINVAL");
	CHECK(xnvme_pi_ctx_init(&ctx, 512, 8, false, false, XNVME_PI_TYPE3, 7, 0, 0xFFFF, 0,
				XNVME_SPEC_NVM_NS_16B_GUARD) == -EINVAL &&
		  !xnvme_pi_ctx_init(&ctx, 512, 8, false, false, XNVME_PI_TYPE3, 6, 0, 0xFFFF, 0,
				     XNVME_SPEC_NVM_NS_16B_GUARD),
	      "type 3 refuses the reference tag check, takes the others");
	CHECK(xnvme_pi_ctx_init(&ctx, 512, 8, false, false, (enum xnvme_pi_type)4, 7, 0, 0xFFFF, 0,
				XNVME_SPEC_NVM_NS_16B_GUARD) == -EINVAL &&
		  xnvme_pi_ctx_init(&ctx, 4096, 16, false, false, XNVME_PI_TYPE1, 7, 0, 0xFFFF, 0,
				    (enum xnvme_spec_nvm_ns_pif)3) == -EINVAL &&
		  xnvme_pi_ctx_init(NULL, 512, 8, false, false, XNVME_PI_TYPE1, 7, 0, 0xFFFF, 0,
				    XNVME_SPEC_NVM_NS_16B_GUARD) == -EINVAL,
	      "unknown type, unknown format, NULL ctx: -EINVAL");
	CHECK(!xnvme_pi_ctx_init(&ctx, 4160, 64, true, true, XNVME_PI_TYPE2, 7, 9, 0xFF00, 0x1200,
				 XNVME_SPEC_NVM_NS_32B_GUARD) &&
		  ctx.guard_interval == 4096 && ctx.block_size == 4160 && ctx.md_size == 64 &&
		  ctx.md_interleave && ctx.pi_type == 2 && ctx.pi_format == 1 &&
		  ctx.init_ref_tag == 9 && ctx.app_tag == 0x1200 && ctx.apptag_mask == 0xFF00 &&
		  ctx.pi_flags == 7,
	      "interleaved, PI first: the guard covers the data only; fields as given");
	CHECK(!xnvme_pi_ctx_init(&ctx, 4160, 64, true, false, XNVME_PI_TYPE1, 7, 0, 0xFFFF, 0,
				 XNVME_SPEC_NVM_NS_64B_GUARD) &&
		  ctx.guard_interval == 4160 - 16,
	      "interleaved, PI last: the guard covers all but the PI");
}

struct pi_case {
	enum xnvme_spec_nvm_ns_pif fmt;
	enum xnvme_pi_type type;
	bool il;
	bool loc;
};

/* The PI of block @p idx and the sizes of its fields */
static uint8_t *
case_pi(const struct xnvme_pi_ctx *ctx, uint8_t *data, uint8_t *md, uint32_t idx)
{
	if (ctx->md_interleave) {
		return data + (size_t)idx * ctx->block_size + ctx->guard_interval;
	}
	return md + (size_t)idx * ctx->md_size + ctx->guard_interval;
}

/* Verify after flipping one bit at @p p: returns what verify said, then restores the bit */
static int
verify_flipped(struct xnvme_pi_ctx *ctx, uint8_t *data, uint8_t *md, uint8_t *p)
{
	int err;

	*p ^= 0x10;
	err = xnvme_pi_verify(ctx, data, md, NBLOCKS);
	*p ^= 0x10;
	return err;
}

static void
test_round_trip(const struct pi_case *c)
{
	static uint8_t data[NBLOCKS * (4096 + 64)], md[NBLOCKS * 64];
	const size_t guard_nbytes[] = {2, 4, 8}, app_off[] = {2, 4, 8}, ref_off[] = {4, 8, 10};
	uint32_t mds = 32, bs = 4096 + (c->il ? mds : 0);
	uint32_t flags = XNVME_PI_FLAGS_GUARD_CHECK | XNVME_PI_FLAGS_APPTAG_CHECK;
	struct xnvme_pi_ctx ctx;
	int ok = 1;

	if (c->type != XNVME_PI_TYPE3) {
		flags |= XNVME_PI_FLAGS_REFTAG_CHECK;
	}
	if (xnvme_pi_ctx_init(&ctx, bs, mds, c->il, c->loc, c->type, flags, 0xFFFFFFFE, 0xFFFF,
			      0x5A5A, c->fmt)) {
		CHECK(0, "fmt %d type %d il %d loc %d: init", c->fmt, c->type, c->il, c->loc);
		return;
	}
	fill(data, sizeof(data), md, sizeof(md));
	xnvme_pi_generate(&ctx, data, md, NBLOCKS);
	ok &= xnvme_pi_verify(&ctx, data, md, NBLOCKS) == 0;

	// Block 2: its guard, its application tag, its reference tag (types 1 and 2)
	uint8_t *pi = case_pi(&ctx, data, md, 2);
	int guard_err = verify_flipped(&ctx, data, md, pi + guard_nbytes[c->fmt] - 1);
	int data_err = verify_flipped(&ctx, data, md, data + 2 * (size_t)bs + 100);
	int app_err = verify_flipped(&ctx, data, md, pi + app_off[c->fmt] + 1);
	int ref_err = verify_flipped(&ctx, data, md, pi + ref_off[c->fmt]);
	int ref_want = c->type == XNVME_PI_TYPE3 ? 0 : -EILSEQ;

	ok &= guard_err == -EILSEQ && data_err == -EILSEQ && app_err == -EILSEQ &&
	      ref_err == ref_want;

	// The reference tags count up from the initial one (types 1, 2), wrapping at the mask
	if (c->type != XNVME_PI_TYPE3) {
		const uint64_t masks[] = {XNVME_REFTAG_MASK_16, XNVME_REFTAG_MASK_32,
					  XNVME_REFTAG_MASK_64};
		const uint8_t *p3 = case_pi(&ctx, data, md, 3) + ref_off[c->fmt];
		size_t ref_nbytes = xnvme_pi_size(c->fmt) - ref_off[c->fmt];
		uint64_t ref = 0;

		for (size_t i = 0; i < ref_nbytes; ++i) {
			ref = ref << 8 | p3[i];
		}
		ok &= ref == ((0xFFFFFFFEULL + 3) & masks[c->fmt]);
	}
	CHECK(ok,
	      "fmt %d type %d %s PI %s: round trip (verify %d), flipped guard %d, data %d, "
	      "app tag %d, ref tag %d",
	      c->fmt, c->type, c->il ? "interleaved" : "separate", c->loc ? "first" : "last",
	      xnvme_pi_verify(&ctx, data, md, NBLOCKS), guard_err, data_err, app_err, ref_err);
}

/* Checks turned off by escape values, for that block only */
static void
test_escapes(void)
{
	static uint8_t data[NBLOCKS * 512], md[NBLOCKS * 8];
	struct xnvme_pi_ctx ctx;

	xnvme_pi_ctx_init(&ctx, 512, 8, false, false, XNVME_PI_TYPE1, 7, 0, 0xFFFF, 0x1234,
			  XNVME_SPEC_NVM_NS_16B_GUARD);
	fill(data, sizeof(data), md, sizeof(md));
	xnvme_pi_generate(&ctx, data, md, NBLOCKS);
	md[8] ^= 1;             // block 1: bad guard
	md[10] = md[11] = 0xFF; // block 1: application tag FFFFh
	CHECK(!xnvme_pi_verify(&ctx, data, md, NBLOCKS),
	      "type 1: application tag FFFFh turns the block's checks off");
	md[16] ^= 1; // block 2: bad guard
	CHECK(xnvme_pi_verify(&ctx, data, md, NBLOCKS) == -EILSEQ,
	      "the blocks after an escaped one are still checked");
	md[16] ^= 1;

	xnvme_pi_ctx_init(&ctx, 512, 8, false, false, XNVME_PI_TYPE3, 6, 0, 0xFFFF, 0x1234,
			  XNVME_SPEC_NVM_NS_16B_GUARD);
	fill(data, sizeof(data), md, sizeof(md));
	xnvme_pi_generate(&ctx, data, md, NBLOCKS);
	md[8] ^= 1;
	md[10] = md[11] = 0xFF;
	CHECK(xnvme_pi_verify(&ctx, data, md, NBLOCKS) == -EILSEQ,
	      "type 3: application tag FFFFh alone does not");
	memset(md + 12, 0xFF, 4);
	CHECK(!xnvme_pi_verify(&ctx, data, md, NBLOCKS),
	      "type 3: application tag FFFFh and reference tag all ones do");

	xnvme_pi_ctx_init(&ctx, 512, 8, false, false, XNVME_PI_TYPE1, 0, 0, 0xFFFF, 0x1234,
			  XNVME_SPEC_NVM_NS_16B_GUARD);
	fill(data, sizeof(data), md, sizeof(md));
	xnvme_pi_generate(&ctx, data, md, NBLOCKS);
	CHECK(md[0] == 0xA5 && md[7] == (0xA5 ^ 7) && !xnvme_pi_verify(&ctx, data, md, NBLOCKS),
	      "no flags: nothing written, nothing checked");
	xnvme_pi_ctx_init(&ctx, 512, 8, false, false, XNVME_PI_TYPE1, 7, 0, 0x00FF, 0x1234,
			  XNVME_SPEC_NVM_NS_16B_GUARD);
	xnvme_pi_generate(&ctx, data, md, NBLOCKS);
	md[2] ^= 0x80;
	CHECK(!xnvme_pi_verify(&ctx, data, md, NBLOCKS), "application tag bits outside the mask "
							 "are not checked");
	CHECK(xnvme_pi_verify(&ctx, data, NULL, NBLOCKS) == -EINVAL &&
		  xnvme_pi_verify(NULL, data, md, 1) == -EINVAL,
	      "separate metadata without its buffer, NULL ctx: -EINVAL");
}

int
main(void)
{
	test_crc_check_values();
	test_known_guards();
	test_ctx_init();
	for (int fmt = 0; fmt < 3; ++fmt) {
		for (int type = 1; type <= 3; ++type) {
			for (int il = 0; il < 2; ++il) {
				for (int loc = 0; loc < 2; ++loc) {
					struct pi_case c = {(enum xnvme_spec_nvm_ns_pif)fmt,
							    (enum xnvme_pi_type)type, il, loc};

					test_round_trip(&c);
				}
			}
		}
	}
	test_escapes();
	printf("%s: %d failed\n", g_nfail ? "FAIL" : "PASS", g_nfail);
	return g_nfail ? 1 : 0;
}
