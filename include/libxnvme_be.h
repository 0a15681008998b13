/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * The backends this library knows, and which of them it was built with: the same list upstream
 * xNVMe gives (spdk, linux, fbsd, macos, windows, ramdisk, vfio), each enabled when this build
 * can open devices through it (by its name or as an alias), followed by any other backend this
 * build has. Print it with xnvme_be_attr_list_pr() (libxnvme_pp.h).
 */
#ifndef __LIBXNVME_BE_H
#define __LIBXNVME_BE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One backend: its name (static storage) and whether this build has it */
struct xnvme_be_attr {
	const char *name;

	uint8_t enabled; ///< 1: devices can be opened with opts.be = name

	uint8_t _rsvd[15];
};

/** A list of backends, allocated by xnvme_be_attr_list_bundled(): release it with free() */
struct xnvme_be_attr_list {
	uint32_t capacity;           ///< Entries allocated
	int count;                   ///< Entries used
	struct xnvme_be_attr item[]; ///< count of them
};

/**
 * Lists the backends (see above) in a new *@p list, to be released with free().
 *
 * @return 0, -EINVAL for a NULL @p list, -ENOMEM.
 */
int xnvme_be_attr_list_bundled(struct xnvme_be_attr_list **list);

#ifdef __cplusplus
}
#endif

#endif
