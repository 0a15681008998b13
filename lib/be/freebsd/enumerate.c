/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Enumeration: every NVMe namespace node nvme(4) made under /dev (nvmeXnsY), in controller and
 * namespace order, opened and handed to the callback. The nvd and nda disks of those namespaces
 * are the same namespaces under another name: not listed again.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_dev.h"
#include "bsd_nvme.h"
#include "xnvme_be_freebsd.h"

struct freebsd_enum_ent {
	uint32_t ctrlr;
	uint32_t nsid;
};

static int
freebsd_enum_cmp(const void *a, const void *b)
{
	const struct freebsd_enum_ent *x = a, *y = b;

	if (x->ctrlr != y->ctrlr) {
		return x->ctrlr < y->ctrlr ? -1 : 1;
	}
	return x->nsid < y->nsid ? -1 : x->nsid > y->nsid;
}

/* The namespace nodes under /dev, sorted, into *@p ents; their count or a negative errno */
static int
freebsd_enum_list(struct freebsd_enum_ent **ents)
{
	struct freebsd_enum_ent *list = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir = opendir("/dev");

	if (!dir) {
		return -errno;
	}
	while ((de = readdir(dir))) {
		struct bsd_node node;

		bsd_node_parse(de->d_name, &node);
		if (node.kind != BSD_NODE_NVME_NS) {
			continue;
		}
		if (n == cap) {
			struct freebsd_enum_ent *grown;

			cap = cap ? cap * 2 : 16;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				free(list);
				closedir(dir);
				return -ENOMEM;
			}
			list = grown;
		}
		list[n].ctrlr = node.ctrlr;
		list[n].nsid = node.nsid;
		n++;
	}
	closedir(dir);
	if (n > 1) {
		qsort(list, n, sizeof(*list), freebsd_enum_cmp);
	}
	*ents = list;
	return (int)n;
}

int
xnvme_be_freebsd_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb,
			   void *cb_args)
{
	struct freebsd_enum_ent *ents = NULL;
	int n;

	if (sys_uri) {
		return 0; /* remote systems are the fabrics backend's */
	}
	n = freebsd_enum_list(&ents);
	if (n < 0) {
		return n;
	}
	for (int i = 0; i < n; ++i) {
		struct xnvme_opts dev_opts = *opts;
		struct xnvme_dev *dev;
		char path[64];

		snprintf(path, sizeof(path), "/dev/nvme%uns%u", ents[i].ctrlr, ents[i].nsid);
		dev_opts.nsid = 0;
		dev = xnvme_dev_open(path, &dev_opts);
		if (dev && cb(dev, cb_args) == XNVME_ENUMERATE_DEV_CLOSE) {
			xnvme_dev_close(dev);
		}
	}
	free(ents);
	return 0;
}
