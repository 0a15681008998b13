/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admin and sync interfaces "nvme": nvme(4)'s passthrough ioctl, NVME_PASSTHROUGH_CMD. Admin
 * commands go to the controller node (/dev/nvmeX), opened once per controller and shared by its
 * namespaces (xnvme_be_freebsd_ctrl); I/O commands to the device's namespace node (/dev/nvmeXnsY,
 * or an nvd/nda disk, whose drivers pass the ioctl on), where the driver puts the node's NSID in
 * the command. bsd_nvme.c builds the request and reads the completion; this file sends it. The
 * ioctl returns 0 for a command the controller failed: the status is in the completion.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "bsd_nvme.h"
#include "xnvme_be_freebsd.h"

static int
freebsd_nvme_pt(int fd, struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
		size_t mbuf_nbytes, uint32_t node_nsid)
{
	struct bsd_nvme_pt_command pt;
	int err;

	err = bsd_nvme_pt_build(&pt, &ctx->cmd, dbuf, dbuf_nbytes, mbuf_nbytes, node_nsid);
	if (err) {
		return err;
	}
	if (ioctl(fd, BSD_NVME_PASSTHROUGH_CMD, &pt)) {
		return -errno;
	}
	return bsd_nvme_pt_cpl(&pt, &ctx->cpl);
}

/* The controller's state: its node, open for as long as a device of it is */
static int
freebsd_ctrl_open(struct xnvme_ctrl *ctrl, struct xnvme_dev *dev, const void *arg)
{
	int *fd = malloc(sizeof(*fd));

	(void)dev;
	if (!fd) {
		return -ENOMEM;
	}
	*fd = open((const char *)arg, O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		int err = -errno;

		free(fd);
		return err;
	}
	ctrl->state = fd;
	return 0;
}

static void
freebsd_ctrl_close(struct xnvme_ctrl *ctrl)
{
	int *fd = ctrl->state;

	if (fd) {
		close(*fd);
		free(fd);
		ctrl->state = NULL;
	}
}

static int
freebsd_ctrl_admin(struct xnvme_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, void *dbuf,
		   size_t dbuf_nbytes, void *mbuf, size_t mbuf_nbytes)
{
	(void)mbuf;
	return freebsd_nvme_pt(*(int *)ctrl->state, ctx, dbuf, dbuf_nbytes, mbuf_nbytes, 0);
}

static int
freebsd_nvme_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		    size_t mbuf_nbytes)
{
	const struct xnvme_be_freebsd_state *state = ctx->dev->be_state;

	if (!state || !state->io_nsid) {
		return -ENOSYS; /* a controller node without its namespace node, a file, a disk */
	}
	return freebsd_nvme_pt(ctx->dev->fd, ctx, dbuf, dbuf ? dbuf_nbytes : 0,
			       mbuf ? mbuf_nbytes : 0, state->io_nsid);
}

static int
freebsd_nvme_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		     size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	/* The ioctl takes one buffer: a vector of more is refused rather than bounced */
	if (dvec_cnt > 1 || mvec_cnt > 1) {
		return -EINVAL;
	}
	(void)dvec_nbytes;
	return freebsd_nvme_cmd_io(ctx, dvec_cnt ? dvec[0].iov_base : NULL,
				   dvec_cnt ? dvec[0].iov_len : 0,
				   mvec_cnt ? mvec[0].iov_base : NULL, mvec_cnt ? mvec_nbytes : 0);
}

const struct xnvme_be_ctrl_ops xnvme_be_freebsd_ctrl = {
    .id = "freebsd",
    .open = freebsd_ctrl_open,
    .close = freebsd_ctrl_close,
    .admin = freebsd_ctrl_admin,
    .poll = NULL, /* the driver keeps the admin queue, keep-alive and events */
    .keep = false,
};

const struct xnvme_be_admin_ops xnvme_be_freebsd_admin_nvme = {
    .id = "nvme",
    .descr = "nvme(4)'s NVME_PASSTHROUGH_CMD on the controller node; no metadata buffers",
    .cmd_admin = xnvme_ctrl_cmd_admin,
};

const struct xnvme_be_sync_ops xnvme_be_freebsd_sync_nvme = {
    .id = "nvme",
    .descr = "nvme(4)'s NVME_PASSTHROUGH_CMD on the namespace node; one buffer, no metadata",
    .cmd_io = freebsd_nvme_cmd_io,
    .cmd_iov = freebsd_nvme_cmd_iov,
};
