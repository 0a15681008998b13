/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admin and sync interfaces "nvme": the Linux NVMe driver's passthrough ioctls on a controller
 * (/dev/nvmeX), namespace block (/dev/nvmeXnY) or generic char (/dev/ngXnY) node.
 * NVME_IOCTL_ADMIN64_CMD / IO64_CMD carry a 64-bit result (zone append's LBA); kernels without
 * them get the 32-bit ioctls.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/nvme_ioctl.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_cmd.h"
#include "xnvme_be_linux.h"

void
xnvme_be_linux_nvme_status(struct xnvme_cmd_ctx *ctx, int status)
{
	/* The driver returns the CQE status field without the phase bit (DW3 bits 31:17) */
	ctx->cpl.status.val = (uint16_t)((status & 0x7FFF) << 1);
}

void
xnvme_be_linux_nvme_prep(const struct xnvme_cmd_ctx *ctx, struct nvme_passthru_cmd64 *kcmd,
			 uint32_t timeout_s)
{
	const struct xnvme_spec_cmd_common *c = &ctx->cmd.common;

	memset(kcmd, 0, sizeof(*kcmd));
	kcmd->opcode = c->opcode;
	kcmd->flags = 0;
	kcmd->nsid = c->nsid;
	kcmd->cdw2 = c->cdw02;
	kcmd->cdw3 = c->cdw03;
	kcmd->cdw10 = c->ndt;
	kcmd->cdw11 = c->ndm;
	kcmd->cdw12 = c->cdw12;
	kcmd->cdw13 = c->cdw13;
	kcmd->cdw14 = c->cdw14;
	kcmd->cdw15 = c->cdw15;
	kcmd->timeout_ms = timeout_s * 1000;
}

/* Runs kcmd through the 64-bit ioctl, or the 32-bit one where the kernel lacks it */
static int
nvme_ioctl(struct xnvme_cmd_ctx *ctx, int admin, struct nvme_passthru_cmd64 *kcmd)
{
	int fd = ctx->dev->fd;
	int res;

	res = ioctl(fd, admin ? NVME_IOCTL_ADMIN64_CMD : NVME_IOCTL_IO64_CMD, kcmd);
	if (res < 0 && errno == ENOTTY) {
		struct nvme_passthru_cmd kcmd32;

		memset(&kcmd32, 0, sizeof(kcmd32));
		memcpy(&kcmd32, kcmd, offsetof(struct nvme_passthru_cmd, result));
		res = ioctl(fd, admin ? NVME_IOCTL_ADMIN_CMD : NVME_IOCTL_IO_CMD, &kcmd32);
		kcmd->result = kcmd32.result;
	}
	if (res < 0) {
		return -errno;
	}
	ctx->cpl.result = kcmd->result;
	if (res > 0) {
		xnvme_be_linux_nvme_status(ctx, res);
		return -EIO;
	}
	return 0;
}

/* Any node of the controller takes its admin commands: the device's own is used */
static int
nvme_ctrl_admin(struct xnvme_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
		void *mbuf, size_t mbuf_nbytes)
{
	struct nvme_passthru_cmd64 kcmd;

	(void)ctrl;
	if (dbuf_nbytes > UINT32_MAX || mbuf_nbytes > UINT32_MAX) {
		return -EINVAL;
	}
	xnvme_be_linux_nvme_prep(ctx, &kcmd, ctx->dev->opts.admin_timeout);
	kcmd.addr = (uintptr_t)dbuf;
	kcmd.data_len = (uint32_t)dbuf_nbytes;
	kcmd.metadata = (uintptr_t)mbuf;
	kcmd.metadata_len = (uint32_t)mbuf_nbytes;
	return nvme_ioctl(ctx, 1, &kcmd);
}

static int
nvme_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	    size_t mbuf_nbytes)
{
	struct nvme_passthru_cmd64 kcmd;

	if (dbuf_nbytes > UINT32_MAX || mbuf_nbytes > UINT32_MAX) {
		return -EINVAL;
	}
	xnvme_be_linux_nvme_prep(ctx, &kcmd, ctx->dev->opts.command_timeout);
	kcmd.addr = (uintptr_t)dbuf;
	kcmd.data_len = (uint32_t)dbuf_nbytes;
	kcmd.metadata = (uintptr_t)mbuf;
	kcmd.metadata_len = mbuf ? (uint32_t)mbuf_nbytes : 0;
	return nvme_ioctl(ctx, 0, &kcmd);
}

static int
nvme_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	     struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	struct nvme_passthru_cmd64 kcmd;
	int res;

	(void)dvec_nbytes;
	/* The driver takes one contiguous metadata buffer */
	if (mvec_cnt > 1 || dvec_cnt > UINT32_MAX || mvec_nbytes > UINT32_MAX) {
		return -EINVAL;
	}
	if (dvec_cnt <= 1) {
		return nvme_cmd_io(ctx, dvec_cnt ? dvec[0].iov_base : NULL,
				   dvec_cnt ? dvec[0].iov_len : 0,
				   mvec_cnt ? mvec[0].iov_base : NULL, mvec_cnt ? mvec_nbytes : 0);
	}
	xnvme_be_linux_nvme_prep(ctx, &kcmd, ctx->dev->opts.command_timeout);
	kcmd.addr = (uintptr_t)dvec;
	kcmd.vec_cnt = (uint32_t)dvec_cnt;
	kcmd.metadata = mvec_cnt ? (uintptr_t)mvec[0].iov_base : 0;
	kcmd.metadata_len = mvec_cnt ? (uint32_t)mvec_nbytes : 0;
	res = ioctl(ctx->dev->fd, NVME_IOCTL_IO64_CMD_VEC, &kcmd);
	if (res < 0) {
		return -errno;
	}
	ctx->cpl.result = kcmd.result;
	if (res > 0) {
		xnvme_be_linux_nvme_status(ctx, res);
		return -EIO;
	}
	return 0;
}

/*
 * Shared by the namespaces of one controller node (nvmeX): the kernel driver keeps the admin
 * queue, keep-alive and async events, so there is no periodic work here
 */
const struct xnvme_be_ctrl_ops xnvme_be_linux_ctrl = {
    .id = "linux",
    .admin = nvme_ctrl_admin,
    .poll = NULL,
    .keep = false,
};

const struct xnvme_be_admin_ops xnvme_be_linux_admin_nvme = {
    .id = "nvme",
    .descr = "the NVMe driver's admin passthrough ioctl (NVME_IOCTL_ADMIN64_CMD)",
    .cmd_admin = xnvme_ctrl_cmd_admin,
};

const struct xnvme_be_sync_ops xnvme_be_linux_sync_nvme = {
    .id = "nvme",
    .descr = "the NVMe driver's I/O passthrough ioctl (NVME_IOCTL_IO64_CMD, _VEC), metadata too",
    .cmd_io = nvme_cmd_io,
    .cmd_iov = nvme_cmd_iov,
};
