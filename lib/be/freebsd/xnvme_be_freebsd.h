/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the FreeBSD backend's parts (lib/be/freebsd). */
#ifndef __XNVME_BE_FREEBSD_H
#define __XNVME_BE_FREEBSD_H

#include <stdint.h>
#include "xnvme_be.h"

#pragma GCC visibility push(hidden)

extern const struct xnvme_be xnvme_be_freebsd;
extern const struct xnvme_be_dev_ops xnvme_be_freebsd_dev;
extern const struct xnvme_be_admin_ops xnvme_be_freebsd_admin_nvme;
extern const struct xnvme_be_sync_ops xnvme_be_freebsd_sync_nvme;
extern const struct xnvme_be_async_ops xnvme_be_freebsd_async_kqueue;

/** What the backend keeps of an open device (dev->be_state) */
struct xnvme_be_freebsd_state {
	/**
	 * The namespace dev->fd reaches with passthrough I/O (NVME_PASSTHROUGH_CMD on a namespace
	 * node, or an nvd/nda disk); 0: dev->fd takes none (the controller node sends admin
	 * commands only; a file or another disk has no NVMe)
	 */
	uint32_t io_nsid;
};

/** The controllers of NVMe nodes, keyed by name (nvmeX): their node takes the admin commands */
extern const struct xnvme_be_ctrl_ops xnvme_be_freebsd_ctrl;

/** dev->fd_ops of a disk (fd_ops.c): size and sector size by ioctl, deletion (DIOCGDELETE) */
extern const struct xnvme_be_fd_ops xnvme_be_freebsd_disk_fd_ops;

/** Opens every NVMe namespace node under /dev (nvmeXnsY) and hands it to @p cb (enumerate.c) */
int xnvme_be_freebsd_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb,
			       void *cb_args);

#pragma GCC visibility pop

#endif
