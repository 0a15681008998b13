/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "io_uring_cmd": NVMe passthrough through io_uring (NVME_URING_CMD_IO and _VEC)
 * on the generic char device /dev/ngXnY. Any I/O opcode, metadata included. The ring uses 128-byte
 * SQEs (the command rides in the SQE) and 32-byte CQEs (the 64-bit result rides in the CQE).
 * Submission is batched like the io_uring interface: SQEs are filled at submit and handed to the
 * kernel together on poke or wait. With opts.register_buffers (mem "arena"), a contiguous data
 * buffer from the arena goes as a registered buffer (IORING_URING_CMD_FIXED, Linux 6.1 on).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "xnvme_cmd.h"
#include "xnvme_be_linux.h"
#include "ring.h"

#if XNVME_HAVE_LIBURING
#include <linux/nvme_ioctl.h>

/*
 * Polled passthrough is refused before Linux 6.5: there the driver polls by the bio the command
 * left in its io_uring_cmd, which another poll may already have completed and freed; in the VM
 * rig (Debian 12's 6.1) that is a general protection fault in bio_poll under io_uring_enter,
 * and the process can then never exit. 6.5 polls the request. A version says nothing about a
 * vendor's backports, so the rule is the upstream one.
 */
static int
ucmd_iopoll_safe(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2) {
		return 0;
	}
	return major > 6 || (major == 6 && minor >= 5);
}

static int
ucmd_init(struct xnvme_queue *queue, int opts)
{
	if ((opts & XNVME_QUEUE_IOPOLL) && !ucmd_iopoll_safe()) {
		return -EOPNOTSUPP;
	}
	return xnvme_be_linux_ring_init(queue, opts, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
}

/* bidx: the data buffer's fixed-buffer index (IORING_URING_CMD_FIXED), or -1 */
static int
ucmd_submit(struct xnvme_cmd_ctx *ctx, uint32_t cmd_op, uint64_t addr, uint32_t len, int bidx,
	    void *mbuf, size_t mbuf_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct xnvme_be_linux_ring *r = queue->be;
	struct nvme_passthru_cmd64 kcmd;
	struct nvme_uring_cmd *ucmd;
	struct io_uring_sqe *sqe;

	if (mbuf_nbytes > UINT32_MAX) {
		return -EINVAL;
	}
	sqe = xnvme_be_linux_ring_get_sqe(&r->ring);
	if (!sqe) {
		return -EBUSY;
	}
	memset(sqe, 0, 128);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = r->sqe_fd;
	sqe->flags = r->sqe_flags;
	sqe->cmd_op = cmd_op;
	sqe->user_data = (uintptr_t)ctx;
	if (bidx >= 0) {
		/* The driver maps the data from the registered buffer; metadata stays plain */
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
		sqe->buf_index = (uint16_t)bidx;
	}

	/* The uring command is the 64-bit passthrough struct without its result field */
	xnvme_be_linux_nvme_prep(ctx, &kcmd, ctx->dev->opts.command_timeout);
	kcmd.addr = addr;
	kcmd.data_len = len;
	kcmd.metadata = (uintptr_t)mbuf;
	kcmd.metadata_len = mbuf ? (uint32_t)mbuf_nbytes : 0;
	ucmd = (struct nvme_uring_cmd *)sqe->cmd;
	memcpy(ucmd, &kcmd, sizeof(*ucmd));
	if (queue->cfd >= 0) {
		/* As io_uring's (iouring.c): whoever waits on the fd may not poke first */
		xnvme_be_linux_ring_flush(r);
	}
	return 0;
}

static int
ucmd_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	    size_t mbuf_nbytes)
{
	struct xnvme_be_linux_ring *r = ctx->async.queue->be;
	int bidx = -1;
	int err;

	if (dbuf_nbytes > UINT32_MAX) {
		return -EINVAL;
	}
	err = xnvme_be_linux_ring_claim(r, ctx->async.queue);
	if (err) {
		return err;
	}
	if (r->bufs && dbuf && dbuf_nbytes) {
		err = xnvme_be_linux_arena_ring_index(ctx->dev, &r->ring, &r->arena, dbuf,
						      dbuf_nbytes, &bidx);
		if (err) {
			return err;
		}
	}
	return ucmd_submit(ctx, NVME_URING_CMD_IO, (uintptr_t)dbuf, (uint32_t)dbuf_nbytes, bidx,
			   mbuf, mbuf_nbytes);
}

static int
ucmd_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	     struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	struct xnvme_be_linux_ring *r = ctx->async.queue->be;
	int err;

	(void)dvec_nbytes;
	if (mvec_cnt > 1 || dvec_cnt > UINT32_MAX) {
		return -EINVAL; /* the driver takes one contiguous metadata buffer */
	}
	err = xnvme_be_linux_ring_claim(r, ctx->async.queue);
	if (err) {
		return err;
	}
	return ucmd_submit(ctx, NVME_URING_CMD_IO_VEC, (uintptr_t)dvec, (uint32_t)dvec_cnt, -1,
			   mvec_cnt ? mvec[0].iov_base : NULL, mvec_cnt ? mvec_nbytes : 0);
}

/* A CQE's result: the NVMe status (positive), an OS error (negative), the 64-bit result */
static inline __attribute__((always_inline)) void
ucmd_cpl(struct xnvme_cmd_ctx *ctx, const struct io_uring_cqe *cqe)
{
	int res = cqe->res;

	ctx->cpl.result = cqe->big_cqe[0];
	if (res > 0) {
		xnvme_be_linux_nvme_status(ctx, res);
	} else if (res < 0) {
		xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INTERNAL_DEVICE_ERROR);
		ctx->cpl.cdw0 = (uint32_t)-res;
	}
}

/* No yield when a poke finds nothing: the device completes by interrupt, never on a kernel worker
 */
static int
ucmd_poke(struct xnvme_queue *queue, uint32_t max)
{
	return xnvme_be_linux_ring_poke(queue, max, 0, ucmd_cpl);
}

static int
ucmd_wait(struct xnvme_queue *queue)
{
	return xnvme_be_linux_ring_wait(queue, ucmd_cpl);
}

const struct xnvme_be_async_ops xnvme_be_linux_async_ucmd = {
    XNVME_BE_OPS_HEAD("io_uring_cmd",
		      "NVMe passthrough via io_uring (NVME_URING_CMD_IO, _VEC) on /dev/ngXnY"),
    XNVME_BE_LINUX_RING_FNS(ucmd),
};

#else

const struct xnvme_be_async_ops xnvme_be_linux_async_ucmd =
    XNVME_BE_ASYNC_NOT_BUILT("io_uring_cmd", "liburing was not found");

#endif
