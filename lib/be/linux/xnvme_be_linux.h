/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the Linux backend. */
#ifndef __XNVME_BE_LINUX_H
#define __XNVME_BE_LINUX_H

#include "xnvme_be.h"

struct nvme_passthru_cmd64;

extern const struct xnvme_be xnvme_be_linux;

extern const struct xnvme_be_dev_ops xnvme_be_linux_dev;
extern const struct xnvme_be_admin_ops xnvme_be_linux_admin_nvme;
extern const struct xnvme_be_sync_ops xnvme_be_linux_sync_nvme;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_iouring;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_ucmd;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_libaio;

/** Fills the driver's passthrough struct from ctx->cmd (no buffers), with a timeout */
void xnvme_be_linux_nvme_prep(const struct xnvme_cmd_ctx *ctx, struct nvme_passthru_cmd64 *kcmd,
			      uint32_t timeout_s);

/** Sets ctx->cpl's status from the positive status the driver returns */
void xnvme_be_linux_nvme_status(struct xnvme_cmd_ctx *ctx, int status);

/** Walks /sys/class/nvme (or $XNVME_SYSFS_ROOT/class/nvme) and opens every namespace found */
int xnvme_be_linux_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb,
			     void *cb_args);

#endif
