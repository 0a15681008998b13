/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Device geometry: size, block size, metadata layout, zones, transfer limits; derived from identify
 * data when the device is opened.
 */
#ifndef __LIBXNVME_GEO_H
#define __LIBXNVME_GEO_H

#include <stdint.h>
#include <stdio.h>
#include <libxnvme_util.h>

#ifdef __cplusplus
extern "C" {
#endif

enum xnvme_geo_type {
	XNVME_GEO_UNKNOWN = 0x0,
	XNVME_GEO_CONVENTIONAL = 0x1, ///< Random-access logical blocks
	XNVME_GEO_ZONED = 0x2,        ///< Zoned namespace
	XNVME_GEO_KV = 0x3,           ///< Key-value namespace
};

/**
 * Geometry of an opened device. The layout is xNVMe 0.7.5's (programs built against its headers
 * read these members at these offsets).
 */
struct xnvme_geo {
	enum xnvme_geo_type type;
	uint32_t npugrp;      ///< Number of parallel unit groups
	uint32_t npunit;      ///< Number of parallel units per group
	uint32_t nzone;       ///< Number of zones (1 for conventional)
	uint64_t nsect;       ///< Logical blocks per zone (all of them for conventional)
	uint32_t nbytes;      ///< Bytes per logical block, data only
	uint32_t nbytes_oob;  ///< Metadata bytes per logical block
	uint64_t tbytes;      ///< Total bytes of the namespace (data only)
	uint64_t ssw;         ///< log2 of nbytes: shift between bytes and LBAs
	uint32_t mdts_nbytes; ///< Largest data transfer in bytes
	uint32_t lba_nbytes;  ///< Bytes per logical block, including metadata when extended
	uint8_t lba_extended; ///< 1 when metadata is interleaved with data (extended LBA)
	uint8_t pi_type;      ///< Protection information type (0: none, 1-3)
	uint8_t pi_loc;       ///< 1: PI in the first bytes of metadata, 0: in the last
	uint8_t pi_format;    ///< PI format (0: 16b guard)
	uint8_t _rsvd[4];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_geo) == 64, "Incorrect size")

/** Prints @p geo as YAML to @p stream; returns the number of characters written. */
int xnvme_geo_fpr(FILE *stream, const struct xnvme_geo *geo, int opts);

/** Prints @p geo as YAML to stdout. */
int xnvme_geo_pr(const struct xnvme_geo *geo, int opts);

#ifdef __cplusplus
}
#endif

#endif
