/* SPDX-License-Identifier: BSD-3-Clause */
/* What the ramdisk tests check of a refused identifier (include after ../target/check.h) */
#ifndef __XNVME_TEST_RAMDISK_REFUSED_H
#define __XNVME_TEST_RAMDISK_REFUSED_H

#include <errno.h>
#include <string.h>
#include <libxnvme.h>

/* Refused with @p want_errno and a reason naming the ramdisk and containing @p needle */
static inline void
check_refused(const char *uri, int want_errno, const char *needle)
{
	struct xnvme_dev *dev;
	const char *msg;

	errno = 0;
	dev = xnvme_dev_open(uri, NULL);
	msg = xnvme_dev_open_err_msg();
	CHECK(!dev && errno == want_errno && strstr(msg, "ramdisk: ") && strstr(msg, needle),
	      "'%s' refused with %s, reason has '%s': errno %d (%s)", uri, strerror(want_errno),
	      needle, errno, msg);
	xnvme_dev_close(dev);
}

#endif
