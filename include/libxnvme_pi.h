/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * End-to-end data protection computed by the host: generate and verify the protection
 * information (PI) of logical blocks in memory, before a write or after a read, for PI types 1, 2
 * and 3 and the 16b, 32b and 64b guard formats (NVM Command Set Specification, 5.3 End-to-end
 * Data Protection).
 *
 * The PI sits in each block's metadata, in its first or last bytes; the metadata travels at the
 * end of each block (extended LBA, "interleaved") or in a buffer of its own. Fields are
 * big-endian. Describe the format once with xnvme_pi_ctx_init(), then run xnvme_pi_generate() /
 * xnvme_pi_verify() on any number of blocks.
 */
#ifndef __LIBXNVME_PI_H
#define __LIBXNVME_PI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libxnvme_spec.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An application tag of all ones in a block's PI turns its checks off (types 1 and 2) */
#define XNVME_APPTAG_IGNORE 0xFFFF
/** The bits of the reference tag, per guard format (16b: 32 bits, 32b: 64 bits, 64b: 48 bits) */
#define XNVME_REFTAG_MASK_16 0x00000000FFFFFFFFULL
#define XNVME_REFTAG_MASK_32 0xFFFFFFFFFFFFFFFFULL
#define XNVME_REFTAG_MASK_64 0x0000FFFFFFFFFFFFULL

/** Protection information type, as in the namespace's DPS field */
enum xnvme_pi_type {
	XNVME_PI_DISABLE = 0, ///< No type: generated like type 1, the reference tag is not checked
	XNVME_PI_TYPE1 = 1,   ///< Reference tag: initial value + block index, checked
	XNVME_PI_TYPE2 = 2,   ///< Like type 1 on the host side (the initial value is the command's)
	XNVME_PI_TYPE3 = 3,   ///< The reference tag is not defined: never generated nor checked
};

/** Which PI fields xnvme_pi_generate() writes and xnvme_pi_verify() checks (bit mask) */
enum xnvme_pi_check_type {
	XNVME_PI_FLAGS_REFTAG_CHECK = 1,
	XNVME_PI_FLAGS_APPTAG_CHECK = 2,
	XNVME_PI_FLAGS_GUARD_CHECK = 4,
};

/**
 * A PI format and the tags to use, set by xnvme_pi_ctx_init().
 *
 * guard_interval is where the PI starts: in the block for interleaved metadata, in the block's
 * metadata otherwise; the guard covers everything before it (and the whole data block when the
 * metadata is separate).
 */
struct xnvme_pi_ctx {
	uint32_t block_size; ///< Bytes per block in the data buffer (with metadata if interleaved)
	uint32_t md_size;    ///< Bytes of metadata per block
	uint32_t guard_interval; ///< Offset of the PI (see above)
	uint32_t pi_flags;       ///< enum xnvme_pi_check_type bits
	bool md_interleave;      ///< Metadata at the end of each block in the data buffer
	uint16_t pi_type;        ///< enum xnvme_pi_type
	uint16_t pi_format;      ///< enum xnvme_spec_nvm_ns_pif
	uint64_t init_ref_tag;   ///< Reference tag of the first block
	uint16_t app_tag;        ///< Application tag written, and expected under apptag_mask
	uint16_t apptag_mask;    ///< Bits of the application tag that are checked
};

/**
 * Returns the bytes of PI per block of a guard format: 8 for the 16b guard, 16 for the others
 * (any value but XNVME_SPEC_NVM_NS_16B_GUARD gives 16).
 */
size_t xnvme_pi_size(enum xnvme_spec_nvm_ns_pif pi_format);

/**
 * Describes a PI format in @p ctx.
 *
 * @param ctx Filled on success, untouched on error
 * @param block_size Bytes per block in the data buffer: data and metadata when @p md_interleave,
 *                   else data only (then a multiple of 512 for the 16b guard, of 4096 otherwise)
 * @param md_size Bytes of metadata per block, at least xnvme_pi_size(pi_format)
 * @param md_interleave Metadata at the end of each block (extended LBA), else in its own buffer
 * @param pi_loc true: PI in the first bytes of the metadata; false: in its last bytes
 * @param pi_type See enum xnvme_pi_type; type 3 does not take XNVME_PI_FLAGS_REFTAG_CHECK
 * @param pi_flags enum xnvme_pi_check_type bits
 * @param init_ref_tag Reference tag of the first block
 * @param apptag_mask Application tag bits to check
 * @param app_tag Application tag
 * @param pi_format Guard format
 *
 * @return 0, or -EINVAL for a NULL @p ctx or a combination the above rules out.
 */
int xnvme_pi_ctx_init(struct xnvme_pi_ctx *ctx, uint32_t block_size, uint32_t md_size,
		      bool md_interleave, bool pi_loc, enum xnvme_pi_type pi_type,
		      uint32_t pi_flags, uint32_t init_ref_tag, uint16_t apptag_mask,
		      uint16_t app_tag, enum xnvme_spec_nvm_ns_pif pi_format);

/**
 * Writes the PI fields that ctx->pi_flags select into @p num_blocks blocks; other bytes stay as
 * they are. @p md_buf is ignored for interleaved metadata. Does nothing when a buffer it needs is
 * NULL.
 */
void xnvme_pi_generate(struct xnvme_pi_ctx *ctx, uint8_t *data_buf, uint8_t *md_buf,
		       uint32_t num_blocks);

/**
 * Checks the PI fields that ctx->pi_flags select in @p num_blocks blocks. A block whose
 * application tag is 0xFFFF (types 1 and 2), or 0xFFFF with a reference tag of all ones (type 3),
 * is not checked.
 *
 * @return 0 when every block checks out, -EILSEQ on the first mismatch (as Linux reports a
 *         protection error), -EINVAL for a NULL argument it needs.
 */
int xnvme_pi_verify(struct xnvme_pi_ctx *ctx, uint8_t *data_buf, uint8_t *md_buf,
		    uint32_t num_blocks);

#ifdef __cplusplus
}
#endif

#endif
