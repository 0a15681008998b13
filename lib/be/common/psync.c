/* SPDX-License-Identifier: BSD-3-Clause */
/* Sync interface "psync": pread/pwrite and preadv/pwritev on the device's file descriptor. */
#include <errno.h>
#include "xnvme_dev.h"
#include "posix_io.h"
#include "xnvme_be_common.h"

int
xnvme_be_common_psync_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
			      size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt,
			      size_t mvec_nbytes)
{
	struct xnvme_posix_io io;
	int err;

	(void)mvec;
	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0, &io);
	if (err) {
		return err;
	}
	return xnvme_posix_io_exec(ctx->dev->fd, ctx, &io, dvec, (int)dvec_cnt);
}

int
xnvme_be_common_psync_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
			     size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};
	struct xnvme_posix_io io;
	int err;

	err = xnvme_posix_io_decode(ctx, dbuf_nbytes, mbuf ? mbuf_nbytes : 0, &io);
	if (err) {
		return err;
	}
	/* A read or write of one buffer goes straight to pread/pwrite: the vector and exec's
	 * switch cost a third of the library's instructions per I/O */
	if ((io.kind == XNVME_POSIX_IO_READ || io.kind == XNVME_POSIX_IO_WRITE) && dbuf) {
		return xnvme_posix_io_rw(ctx->dev->fd, ctx, io.kind == XNVME_POSIX_IO_WRITE, io.off,
					 dbuf, io.nbytes);
	}
	return xnvme_posix_io_exec(ctx->dev->fd, ctx, &io, &dvec, dbuf ? 1 : 0);
}

const struct xnvme_be_sync_ops xnvme_be_common_sync_psync = {
    .id = "psync",
    .descr = "pread/pwrite(v) on the file descriptor; other NVM commands emulated",
    .cmd_io = xnvme_be_common_psync_cmd_io,
    .cmd_iov = xnvme_be_common_psync_cmd_iov,
};

const struct xnvme_be_sync_ops xnvme_be_common_sync_block = {
    .id = "block",
    .descr = "as psync, under the name xNVMe gives it for block devices",
    .cmd_io = xnvme_be_common_psync_cmd_io,
    .cmd_iov = xnvme_be_common_psync_cmd_iov,
};
