/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Device identifiers: what a user types to name a device, parsed into a struct xnvme_ident.
 */
#ifndef __LIBXNVME_IDENT_H
#define __LIBXNVME_IDENT_H

#include <stdint.h>
#include <stdio.h>
#include <libxnvme_util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XNVME_IDENT_URI_LEN    384
#define XNVME_IDENT_SUBNQN_LEN 256

/*
 * Limits of xNVMe 0.7.5's "scheme:target?options" identifier form, kept for programs that size
 * buffers by them; the parser here takes the forms docs/backends.md lists.
 */
#define XNVME_IDENT_SCHM_LEN    5
#define XNVME_IDENT_TRGT_LEN    155
#define XNVME_IDENT_OPTS_LEN    160
#define XNVME_IDENT_OPTS_SEP    '?'
#define XNVME_IDENT_OPT_MAX     20
#define XNVME_IDENT_URI_LEN_MIN (XNVME_IDENT_SCHM_LEN + 1)

/** What kind of thing an identifier names */
enum xnvme_dev_type {
	XNVME_DEV_TYPE_UNKNOWN = 0x0,
	XNVME_DEV_TYPE_NVME_CONTROLLER = 0x1, ///< e.g. /dev/nvme0, or a PCI address
	XNVME_DEV_TYPE_NVME_NAMESPACE = 0x2,  ///< e.g. /dev/nvme0n1, /dev/ng0n1
	XNVME_DEV_TYPE_BLOCK_DEVICE = 0x3,    ///< a block device that is not NVMe, e.g. /dev/loop0
	XNVME_DEV_TYPE_FS_FILE = 0x4,         ///< a regular file
	XNVME_DEV_TYPE_RAMDISK = 0x5,         ///< an in-memory NVMe device
};

/** A parsed device identifier */
struct xnvme_ident {
	char subnqn[XNVME_IDENT_SUBNQN_LEN]; ///< Fabrics subsystem NQN, empty when not given
	char uri[XNVME_IDENT_URI_LEN];       ///< The identifier as given, without options
	uint32_t dtype;                      ///< enum xnvme_dev_type, filled in by the backend
	uint32_t nsid;                       ///< Namespace identifier
	uint8_t csi;                         ///< Command set identifier, enum xnvme_spec_csi
	uint8_t rsvd[55];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_ident) == 704, "Incorrect size")

/**
 * Parses @p uri into @p ident: a path, a PCI address (0000:01:00.0), a fabrics address (host:port,
 * [ipv6]:port), `ramdisk:SIZE`. Returns 0, or -EINVAL when @p uri is empty, too long or malformed.
 */
int xnvme_ident_from_uri(const char *uri, struct xnvme_ident *ident);

/** Prints @p ident as YAML to @p stream; returns the number of characters written. */
int xnvme_ident_fpr(FILE *stream, const struct xnvme_ident *ident, int opts);

/** Prints @p ident as YAML to stdout. */
int xnvme_ident_pr(const struct xnvme_ident *ident, int opts);

#ifdef __cplusplus
}
#endif

#endif
