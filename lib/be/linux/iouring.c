/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "io_uring" (liburing) on the device's file descriptor.
 *
 * Submission is batched: cmd_io/cmd_iov only fill SQEs; one io_uring_enter hands them all to the
 * kernel on poke or wait, or at submit when the SQ has no free entry. Reads and writes are
 * IORING_OP_READ/WRITE (READV/WRITEV when vectored), flush is IORING_OP_FSYNC with
 * IORING_FSYNC_DATASYNC. The emulated commands (write zeroes, deallocate, compare, ...) have no
 * operation here: they run synchronously at submit and complete on the next poke, like emu; so
 * does flush on an IOPOLL ring, which only takes reads and writes.
 *
 * Options: XNVME_QUEUE_SQPOLL sets IORING_SETUP_SQPOLL (and registers the file, as older kernels
 * require); XNVME_QUEUE_IOPOLL sets IORING_SETUP_IOPOLL and needs O_DIRECT (opts.direct);
 * the file is registered on every ring and SQEs use IOSQE_FIXED_FILE (opts.register_files: a
 * kernel that refuses fails the queue rather than falling back to the plain fd).
 * opts.register_buffers binds the mem interface "arena": the ring gets a sparse fixed-buffer table
 * at init, the arena's regions are registered into it as 128 KiB slots (again only when the arena
 * grew), and a contiguous read or write whose buffer lies within one slot is
 * IORING_OP_READ_FIXED/WRITE_FIXED; other memory goes the plain way.
 */
#include <errno.h>
#include <string.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_common.h"
#include "xnvme_be_linux.h"
#include "ring.h"

#if XNVME_HAVE_LIBURING

static int
iouring_init(struct xnvme_queue *queue, int opts)
{
	if ((opts & XNVME_QUEUE_IOPOLL) && !queue->dev->opts.direct) {
		return -EINVAL; /* IOPOLL needs O_DIRECT; without it every read fails */
	}
	return xnvme_be_linux_ring_init(queue, opts, 0);
}

/*
 * The SQE builder: a read or write (@p op, plain, fixed or vectored) of @p len bytes (or vector
 * entries) at @p addr, from byte @p off; fixed: @p bidx is the registered buffer's index. A flush
 * is IORING_OP_FSYNC with IORING_FSYNC_DATASYNC.
 */
static inline __attribute__((always_inline)) void
iouring_sqe(const struct xnvme_be_linux_ring *r, struct io_uring_sqe *sqe,
	    struct xnvme_cmd_ctx *ctx, int op, const void *addr, unsigned len, uint64_t off,
	    int bidx)
{
	io_uring_prep_rw(op, sqe, r->sqe_fd, addr, len, off);
	sqe->flags = r->sqe_flags;
	if (op == IORING_OP_READ_FIXED || op == IORING_OP_WRITE_FIXED) {
		sqe->buf_index = (__u16)bidx;
	} else if (op == IORING_OP_FSYNC) {
		sqe->fsync_flags = IORING_FSYNC_DATASYNC;
	}
	io_uring_sqe_set_data(sqe, ctx);
}

/* The read or write opcode of @p kind: registered buffer (bidx >= 0), one buffer or a vector */
static inline int
iouring_rw_op(int kind, int bidx, size_t dvec_cnt)
{
	int read = kind == XNVME_POSIX_IO_READ;

	if (bidx >= 0) {
		return read ? IORING_OP_READ_FIXED : IORING_OP_WRITE_FIXED;
	}
	if (dvec_cnt == 1) {
		return read ? IORING_OP_READ : IORING_OP_WRITE;
	}
	return read ? IORING_OP_READV : IORING_OP_WRITEV;
}

/* Any command: cmd_iov, and cmd_io when iouring_cmd_io()'s fast path does not take it */
static int
iouring_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	       size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct xnvme_be_linux_ring *r = queue->be;
	struct io_uring_sqe *sqe;
	struct xnvme_posix_io io;
	int bidx = -1;
	int err;

	err = xnvme_be_linux_ring_claim(r, queue);
	if (err) {
		return err;
	}
	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	if (io.kind == XNVME_POSIX_IO_OTHER ||
	    (io.kind == XNVME_POSIX_IO_FLUSH && (r->flags & IORING_SETUP_IOPOLL)) ||
	    io.nbytes > UINT32_MAX) {
		return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
	}
	if (r->bufs && dvec_cnt == 1 && io.kind != XNVME_POSIX_IO_FLUSH) {
		err = xnvme_be_linux_arena_ring_index(ctx->dev, &r->ring, &r->arena,
						      dvec[0].iov_base, io.nbytes, &bidx);
		if (err) {
			return err;
		}
	}
	sqe = xnvme_be_linux_ring_get_sqe(&r->ring);
	if (!sqe) {
		return -EBUSY;
	}
	if (io.kind == XNVME_POSIX_IO_FLUSH) {
		iouring_sqe(r, sqe, ctx, IORING_OP_FSYNC, NULL, 0, 0, -1);
	} else if (dvec_cnt == 1 || bidx >= 0) {
		iouring_sqe(r, sqe, ctx, iouring_rw_op(io.kind, bidx, 1), dvec[0].iov_base,
			    (unsigned)io.nbytes, io.off, bidx);
	} else {
		iouring_sqe(r, sqe, ctx, iouring_rw_op(io.kind, -1, dvec_cnt), dvec,
			    (unsigned)dvec_cnt, io.off, -1);
	}
	xnvme_posix_io_inflight_save(ctx, &io);
	if (queue->cfd >= 0) {
		/* Whoever waits on the fd may not poke first (0.7.5's programs read() it right
		 * after submitting); an error leaves the SQE for the next poke */
		xnvme_be_linux_ring_flush(r);
	}
	return 0;
}

/* cmd_io's general path: out of line, so the fast path needs no frame of its own (a tail call) */
static __attribute__((noinline)) int
iouring_cmd_io_any(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		   size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return iouring_submit(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

/*
 * The command of nearly every I/O inline, apart from the general path (and its register
 * pressure): what cmd.c decided is a plain read or write (xnvme_cmd_io_plain: of the device's
 * namespace, without metadata, its length recorded as the completion judges it), from the ring's
 * own thread. A buffer within a slot of the arena region the ring last used becomes
 * IORING_OP_READ_FIXED/WRITE_FIXED, a buffer of a ring without the arena plain
 * IORING_OP_READ/WRITE, as iouring_submit() would make them; anything else (another arena region,
 * which may have to be registered first), or a full SQ, goes there.
 */
static int
iouring_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	struct xnvme_be_linux_ring *r = ctx->async.queue->be;
	const struct xnvme_be_linux_arena_ring *ar = &r->arena;
	uintptr_t aoff = (uintptr_t)dbuf - (uintptr_t)ar->hint_base;
	int kind = xnvme_cmd_io_plain(ctx);

	if (xnvme_be_linux_ring_fast(r) && kind) {
		size_t nbytes = ((size_t)ctx->cmd.nvm.nlb + 1) << ctx->dev->geo.ssw;
		int read = kind == XNVME_CMD_IO_READ;
		struct io_uring_sqe *sqe;

		if (aoff < ar->hint_nbytes) {
			int bidx = xnvme_be_linux_arena_slot(aoff, nbytes, ar->slot_shift,
							     ar->hint_first_slot);

			sqe = bidx >= 0 ? xnvme_be_linux_ring_sqe64(&r->ring) : NULL;
			if (sqe) {
				iouring_sqe(r, sqe, ctx,
					    read ? IORING_OP_READ_FIXED : IORING_OP_WRITE_FIXED,
					    dbuf, (unsigned)nbytes,
					    ctx->cmd.nvm.slba << ctx->dev->geo.ssw, bidx);
				xnvme_cmd_io_set(ctx, kind, nbytes);
				return 0;
			}
		} else if (!r->bufs && dbuf && nbytes <= UINT32_MAX) {
			sqe = xnvme_be_linux_ring_sqe64(&r->ring);
			if (sqe) {
				iouring_sqe(r, sqe, ctx, read ? IORING_OP_READ : IORING_OP_WRITE,
					    dbuf, (unsigned)nbytes,
					    ctx->cmd.nvm.slba << ctx->dev->geo.ssw, -1);
				xnvme_cmd_io_set(ctx, kind, nbytes);
				return 0;
			}
		}
	}
	return iouring_cmd_io_any(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
}

static int
iouring_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return iouring_submit(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

/* A CQE's result: bytes moved, judged against the command's record (posix_io.h) */
static inline __attribute__((always_inline)) void
iouring_cpl(struct xnvme_cmd_ctx *ctx, const struct io_uring_cqe *cqe)
{
	xnvme_posix_io_inflight_cpl(ctx, cqe->res);
}

static int
iouring_poke(struct xnvme_queue *queue, uint32_t max)
{
	return xnvme_be_linux_ring_poke(queue, max, 1, iouring_cpl);
}

static int
iouring_wait(struct xnvme_queue *queue)
{
	return xnvme_be_linux_ring_wait(queue, iouring_cpl);
}

const struct xnvme_be_async_ops xnvme_be_linux_async_iouring = {
    XNVME_BE_OPS_HEAD("io_uring", "io_uring (liburing): batched submission, SQPOLL/IOPOLL, "
				  "registered file and buffers"),
    XNVME_BE_LINUX_RING_FNS(iouring),
};

#else

const struct xnvme_be_async_ops xnvme_be_linux_async_iouring =
    XNVME_BE_ASYNC_NOT_BUILT("io_uring", "liburing was not found");

#endif
