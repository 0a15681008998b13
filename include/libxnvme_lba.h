/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Logical block ranges, checked against a device's geometry.
 */
#ifndef __LIBXNVME_LBA_H
#define __LIBXNVME_LBA_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;

/** A range of logical blocks on a device */
struct xnvme_lba_range {
	uint64_t slba;   ///< First LBA
	uint64_t elba;   ///< Last LBA (inclusive)
	uint32_t naddrs; ///< Number of LBAs (one-based)
	uint64_t nbytes; ///< Bytes of data in the range
	struct {
		uint32_t is_zoned : 1;
		uint32_t is_valid : 1; ///< The range lies within the device
		uint32_t rsvd : 30;
	} attr;
};

/**
 * Fills @p range for @p naddrs LBAs from @p slba on @p dev. Returns 0, or -EINVAL when @p naddrs is
 * 0 or the range passes the end of the device (or overflows).
 */
int xnvme_lba_range_from_slba_naddrs(const struct xnvme_dev *dev, uint64_t slba, uint64_t naddrs,
				     struct xnvme_lba_range *range);

/** As above, from a byte offset and length, both multiples of the logical block size */
int xnvme_lba_range_from_offset_nbytes(const struct xnvme_dev *dev, uint64_t offset,
				       uint64_t nbytes, struct xnvme_lba_range *range);

int xnvme_lba_range_fpr(FILE *stream, const struct xnvme_lba_range *range, int opts);

int xnvme_lba_range_pr(const struct xnvme_lba_range *range, int opts);

#ifdef __cplusplus
}
#endif

#endif
