/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Logical block ranges, checked against a device's geometry.
 */
#ifndef __LIBXNVME_LBA_H
#define __LIBXNVME_LBA_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;
struct xnvme_spec_znd_descr;

/** What is known of a range: whether it is one zone's capacity, whether it lies on the device */
struct xnvme_lba_range_attr {
	bool is_zoned; ///< The range is [zslba, zslba + zcap) of one zone
	bool is_valid; ///< The range lies within the device and is not empty
};

/** A range of logical blocks on a device */
struct xnvme_lba_range {
	uint64_t slba;   ///< First LBA
	uint64_t elba;   ///< Last LBA (inclusive)
	uint32_t naddrs; ///< Number of LBAs (one-based)
	uint64_t nbytes; ///< Bytes the range covers (naddrs logical blocks of lba_nbytes)
	struct xnvme_lba_range_attr attr;
};

/**
 * The range of @p naddrs LBAs from @p slba on @p dev. Returned by value, as xNVMe 0.7.5 does:
 * attr.is_valid is 1 when @p naddrs is not 0, fits 32 bits and the range lies on the device;
 * otherwise it is 0 and the other members are not to be used.
 */
struct xnvme_lba_range xnvme_lba_range_from_slba_naddrs(struct xnvme_dev *dev, uint64_t slba,
							uint64_t naddrs);

/** The range [@p slba, @p elba] on @p dev; attr.is_valid as above (0 when elba < slba) */
struct xnvme_lba_range xnvme_lba_range_from_slba_elba(struct xnvme_dev *dev, uint64_t slba,
						      uint64_t elba);

/** The range of @p nbytes from byte @p offset; both must be multiples of the block size */
struct xnvme_lba_range xnvme_lba_range_from_offset_nbytes(struct xnvme_dev *dev, uint64_t offset,
							  uint64_t nbytes);

/** The writable part of a zone: its capacity from its start LBA; attr.is_zoned is 1 */
struct xnvme_lba_range xnvme_lba_range_from_zdescr(struct xnvme_dev *dev,
						   struct xnvme_spec_znd_descr *zdescr);

/** Prints @p range as YAML to @p stream; returns the number of characters written. */
int xnvme_lba_range_fpr(FILE *stream, struct xnvme_lba_range *range, int opts);

/** Prints @p range as YAML to stdout; returns the number of characters written. */
int xnvme_lba_range_pr(struct xnvme_lba_range *range, int opts);

#ifdef __cplusplus
}
#endif

#endif
