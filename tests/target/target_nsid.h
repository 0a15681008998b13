/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef __XNVME_TEST_TARGET_NSID_H
#define __XNVME_TEST_TARGET_NSID_H

#include <stdint.h>
#include <stdlib.h>

/*
 * The namespace a target body opens: 0 (the target's own) unless XNVME_TEST_NSID names one, as
 * for the other namespaces of a controller reached by its PCI address (tests/pcie/vm_vfio.sh)
 */
static inline uint32_t
check_target_nsid(void)
{
	const char *nsid = getenv("XNVME_TEST_NSID");

	return nsid ? (uint32_t)strtoul(nsid, NULL, 0) : 0;
}

#endif
