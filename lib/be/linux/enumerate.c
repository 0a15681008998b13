/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Enumeration of NVMe namespaces from sysfs: /sys/class/nvme/nvmeX/<namespace>. Each namespace is
 * opened through its block device (/dev/nvmeXnY) and handed to the callback. XNVME_SYSFS_ROOT
 * replaces /sys, so a captured tree can stand in for a machine's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_be_linux.h"

/* nvmeXnY or nvmeXcZnY (the per-path node of a multipath namespace) */
static int
enum_is_ns_name(const char *name, const char *ctrlr)
{
	size_t len = strlen(ctrlr);
	const char *rest;

	if (strncmp(name, ctrlr, len)) {
		return 0;
	}
	rest = name + len;
	return rest[0] == 'n' && rest[1] >= '0' && rest[1] <= '9';
}

static int
enum_cmp(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

int
xnvme_be_linux_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb,
			 void *cb_args)
{
	const char *root = getenv("XNVME_SYSFS_ROOT");
	struct dirent **ctrlrs = NULL;
	char path[512];
	int nctrlrs, err = 0;

	if (sys_uri) {
		return 0; /* remote systems are the fabrics backend's */
	}
	snprintf(path, sizeof(path), "%s/class/nvme", root ? root : "/sys");
	nctrlrs = scandir(path, &ctrlrs, NULL, enum_cmp);
	if (nctrlrs < 0) {
		return errno == ENOENT ? 0 : -errno; /* no NVMe driver loaded: nothing to list */
	}
	for (int i = 0; i < nctrlrs && !err; ++i) {
		struct dirent **nss = NULL;
		int nnss;

		if (strncmp(ctrlrs[i]->d_name, "nvme", 4)) {
			continue;
		}
		snprintf(path, sizeof(path), "%s/class/nvme/%s", root ? root : "/sys",
			 ctrlrs[i]->d_name);
		nnss = scandir(path, &nss, NULL, enum_cmp);
		for (int j = 0; j < nnss; ++j) {
			struct xnvme_opts dev_opts = *opts;
			struct xnvme_dev *dev;
			char devpath[300];

			if (err || !enum_is_ns_name(nss[j]->d_name, ctrlrs[i]->d_name)) {
				free(nss[j]);
				continue;
			}
			snprintf(devpath, sizeof(devpath), "/dev/%s", nss[j]->d_name);
			dev_opts.nsid = 0;
			dev = xnvme_dev_open(devpath, &dev_opts);
			if (dev && cb(dev, cb_args) == XNVME_ENUMERATE_DEV_CLOSE) {
				xnvme_dev_close(dev);
			}
			free(nss[j]);
		}
		free(nss);
	}
	for (int i = 0; i < nctrlrs; ++i) {
		free(ctrlrs[i]);
	}
	free(ctrlrs);
	return err;
}
