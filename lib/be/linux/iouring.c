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
 * opts.register_files registers the file and uses IOSQE_FIXED_FILE. opts.register_buffers binds
 * the mem interface "arena": the ring gets a sparse fixed-buffer table at init, the arena's
 * regions are registered into it as 128 KiB slots (again only when the arena grew), and a
 * contiguous read or write whose buffer lies within one slot is IORING_OP_READ_FIXED/WRITE_FIXED;
 * other memory goes the plain way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_common.h"
#include "xnvme_be_linux.h"
#include "ring.h"

#if XNVME_HAVE_LIBURING
#include <sched.h>
#include <unistd.h>

struct iouring_state {
	struct xnvme_be_linux_ring r; ///< The ring, its registrations and its thread
	struct xnvme_queue_ring done; ///< Commands carried out at submit, delivered on poke
};

/* IORING_SETUP_IOPOLL: completions are found only by entering the kernel */
static inline int
iouring_iopoll(const struct iouring_state *state)
{
	return (state->r.flags & IORING_SETUP_IOPOLL) != 0;
}

/* Completions wait to be reaped: CQEs, or commands carried out at submit */
static inline int
iouring_ready(struct iouring_state *state)
{
	return io_uring_cq_ready(&state->r.ring) || state->done.tail != state->done.head;
}

static void
iouring_free(struct iouring_state *state)
{
	xnvme_queue_ring_term(&state->done);
	free(state);
}

static int
iouring_init(struct xnvme_queue *queue, int opts)
{
	struct iouring_state *state;
	unsigned flags = 0;
	int err;

	if ((opts & XNVME_QUEUE_IOPOLL) && !queue->dev->opts.direct) {
		return -EINVAL; /* IOPOLL needs O_DIRECT; without it every read fails */
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	if (xnvme_queue_ring_init(&state->done, queue->capacity)) {
		iouring_free(state);
		return -ENOMEM;
	}
	if (opts & XNVME_QUEUE_IOPOLL) {
		flags |= IORING_SETUP_IOPOLL;
	}
	if (opts & XNVME_QUEUE_SQPOLL) {
		flags |= IORING_SETUP_SQPOLL;
	}
	err = xnvme_be_linux_ring_open(&state->r, queue, flags);
	if (err) {
		iouring_free(state);
		return err;
	}
	queue->be = state;
	return 0;
}

static int
iouring_term(struct xnvme_queue *queue)
{
	struct iouring_state *state = queue->be;

	/* Exiting the ring waits for requests still in flight (a drain that timed out) */
	xnvme_be_linux_ring_close(&state->r);
	if (state->r.eventfd >= 0) {
		close(state->r.eventfd);
	}
	iouring_free(state);
	queue->be = NULL;
	return 0;
}

static void
iouring_efd_signal(struct iouring_state *state)
{
	xnvme_be_completion_fd_signal(state->r.eventfd);
}

/* Runs the command now; its completion (or its failure status) is delivered on the next poke. */
static int
iouring_run_now(struct iouring_state *state, struct xnvme_cmd_ctx *ctx,
		const struct xnvme_posix_io *io, const struct iovec *dvec, size_t dvec_cnt)
{
	int err = xnvme_posix_io_exec(ctx->dev->fd, ctx, io, dvec, (int)dvec_cnt);

	err = xnvme_queue_ring_push(&state->done, ctx, err);
	if (!err) {
		iouring_efd_signal(state);
	}
	return err;
}

static int iouring_flush_sq(struct iouring_state *state);

/* Any command: cmd_iov, and cmd_io when iouring_cmd_io()'s fast path does not take it */
static int
iouring_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	       size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct iouring_state *state = queue->be;
	struct io_uring_sqe *sqe;
	struct xnvme_posix_io io;
	int bidx = -1;
	int fd;
	int err;

	err = xnvme_be_linux_ring_claim(&state->r, queue);
	if (err) {
		return err;
	}
	fd = state->r.sqe_fd;
	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	if (io.kind == XNVME_POSIX_IO_OTHER ||
	    (io.kind == XNVME_POSIX_IO_FLUSH && iouring_iopoll(state)) || io.nbytes > UINT32_MAX) {
		return iouring_run_now(state, ctx, &io, dvec, dvec_cnt);
	}
	if (state->r.bufs && dvec_cnt == 1 && io.kind != XNVME_POSIX_IO_FLUSH) {
		err = xnvme_be_linux_arena_ring_index(ctx->dev, &state->r.ring, &state->r.arena,
						      dvec[0].iov_base, io.nbytes, &bidx);
		if (err) {
			return err;
		}
	}
	sqe = xnvme_be_linux_ring_get_sqe(&state->r.ring);
	if (!sqe) {
		return -EBUSY;
	}
	switch (io.kind) {
	case XNVME_POSIX_IO_READ:
		if (bidx >= 0) {
			io_uring_prep_read_fixed(sqe, fd, dvec[0].iov_base, (unsigned)io.nbytes,
						 io.off, bidx);
		} else if (dvec_cnt == 1) {
			io_uring_prep_read(sqe, fd, dvec[0].iov_base, (unsigned)io.nbytes, io.off);
		} else {
			io_uring_prep_readv(sqe, fd, dvec, (unsigned)dvec_cnt, io.off);
		}
		break;
	case XNVME_POSIX_IO_WRITE:
		if (bidx >= 0) {
			io_uring_prep_write_fixed(sqe, fd, dvec[0].iov_base, (unsigned)io.nbytes,
						  io.off, bidx);
		} else if (dvec_cnt == 1) {
			io_uring_prep_write(sqe, fd, dvec[0].iov_base, (unsigned)io.nbytes, io.off);
		} else {
			io_uring_prep_writev(sqe, fd, dvec, (unsigned)dvec_cnt, io.off);
		}
		break;
	default:
		io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
		break;
	}
	sqe->flags |= state->r.sqe_flags;
	io_uring_sqe_set_data(sqe, ctx);
	xnvme_posix_io_inflight_save(ctx, &io);
	if (state->r.eventfd >= 0) {
		/* See iouring_get_completion_fd(); an error leaves the SQE for the next poke */
		iouring_flush_sq(state);
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

/* The fast path's SQE: a read or write of @p nbytes from @p buf at the command's LBA */
static inline __attribute__((always_inline)) void
iouring_prep_rw(const struct iouring_state *state, struct io_uring_sqe *sqe,
		struct xnvme_cmd_ctx *ctx, int op, void *buf, size_t nbytes)
{
	io_uring_prep_rw(op, sqe, state->r.sqe_fd, buf, (unsigned)nbytes,
			 ctx->cmd.nvm.slba << ctx->dev->geo.ssw);
	sqe->flags = state->r.sqe_flags;
	io_uring_sqe_set_data(sqe, ctx);
	xnvme_posix_io_inflight_set(ctx,
				    op == IORING_OP_READ || op == IORING_OP_READ_FIXED
					? XNVME_POSIX_IO_READ
					: XNVME_POSIX_IO_WRITE,
				    nbytes);
}

/*
 * The command of nearly every I/O inline, apart from the general path (and its register
 * pressure): an NVM read or write of the device's namespace, without metadata, into one buffer,
 * from the ring's own thread. A buffer within a slot of the arena region the ring last used
 * becomes IORING_OP_READ_FIXED/WRITE_FIXED, a buffer of a ring without the arena plain
 * IORING_OP_READ/WRITE, as iouring_submit() would make them; anything else (another arena region,
 * which may have to be registered first), or a full SQ, goes there.
 */
static int
iouring_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	struct iouring_state *state = ctx->async.queue->be;
	const struct xnvme_dev *dev = ctx->dev;
	const struct xnvme_be_linux_arena_ring *ar = &state->r.arena;
	uint8_t opc = ctx->cmd.common.opcode;
	uintptr_t aoff = (uintptr_t)dbuf - (uintptr_t)ar->hint_base;

	if (xnvme_be_linux_ring_fast(&state->r) &&
	    (opc == XNVME_SPEC_NVM_OPC_READ || opc == XNVME_SPEC_NVM_OPC_WRITE) && !mbuf &&
	    ctx->cmd.common.nsid == dev->ident.nsid) {
		size_t nbytes = ((size_t)ctx->cmd.nvm.nlb + 1) << dev->geo.ssw;
		int read = opc == XNVME_SPEC_NVM_OPC_READ;
		struct io_uring_sqe *sqe;

		if (aoff < ar->hint_nbytes) {
			int bidx = xnvme_be_linux_arena_slot(aoff, nbytes, ar->slot_shift,
							     ar->hint_first_slot);

			sqe = bidx >= 0 ? xnvme_be_linux_ring_sqe64(&state->r.ring) : NULL;
			if (sqe) {
				iouring_prep_rw(state, sqe, ctx,
						read ? IORING_OP_READ_FIXED : IORING_OP_WRITE_FIXED,
						dbuf, nbytes);
				sqe->buf_index = (__u16)bidx;
				return 0;
			}
		} else if (!state->r.bufs && dbuf && nbytes <= UINT32_MAX) {
			sqe = xnvme_be_linux_ring_sqe64(&state->r.ring);
			if (sqe) {
				iouring_prep_rw(state, sqe, ctx,
						read ? IORING_OP_READ : IORING_OP_WRITE, dbuf,
						nbytes);
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

/* Hands prepared SQEs to the kernel; -EBUSY/-EAGAIN leave them for the next call. */
static int
iouring_flush_sq(struct iouring_state *state)
{
	int err;

	if (!io_uring_sq_ready(&state->r.ring)) {
		return 0;
	}
	do {
		err = io_uring_submit(&state->r.ring);
	} while (err == -EINTR);
	return err < 0 && err != -EBUSY && err != -EAGAIN ? err : 0;
}

/*
 * poking: called by poke, which must find whatever has completed: the kernel is entered for
 * completions it holds back (xnvme_be_linux_ring_reapable), and the CPU is given up when nothing
 * was ready. A wait's reap takes what is posted: xnvme-perf on a loop device went from 0.39 to
 * 0.26 enters per I/O, and 7% more IOPS.
 */
static int
iouring_reap(struct xnvme_queue *queue, uint32_t max, int poking)
{
	struct iouring_state *state = queue->be;
	uint32_t reaped;
	int err;

	max = max ? XNVME_MIN_U64(max, queue->capacity) : queue->capacity;
	/* Cleared before looking: a completion after this signals again */
	xnvme_be_completion_fd_clear(state->r.eventfd);
	err = iouring_flush_sq(state);
	reaped = xnvme_queue_ring_reap(queue, &state->done, max);
	if (err && !reaped) {
		return err;
	}
	while (reaped < max) {
		struct io_uring *ring = &state->r.ring;
		struct io_uring_cqe *cqe;
		struct xnvme_cmd_ctx *ctx;
		int res;

		if (!xnvme_be_linux_ring_reapable(&state->r, poking)) {
			break;
		}
		cqe = xnvme_be_linux_ring_cqe(ring);
		ctx = io_uring_cqe_get_data(cqe);
		res = cqe->res;
		/* Given back before the callback: it may submit and wait on the ring */
		io_uring_cq_advance(ring, 1);
		if ((uintptr_t)ctx == LIBURING_UDATA_TIMEOUT || !ctx) {
			continue; /* liburing's own timeout entry (kernels without EXT_ARG) */
		}
		xnvme_posix_io_inflight_cpl(ctx, res);
		xnvme_queue_complete(queue, ctx);
		reaped++;
	}
	if (state->r.eventfd >= 0 && iouring_ready(state)) {
		iouring_efd_signal(state); /* left for the next poke: keep the fd readable */
	}
	if (!reaped && poking && queue->outstanding && !iouring_iopoll(state)) {
		/* Nothing ready: a caller that spins on poke (fio's xnvme engine does) would keep
		 * the kernel's io-wq workers that run its punted requests (tmpfs reads, for one)
		 * off a CPU they share: fio on tmpfs went from 147K to 246K IOPS with this */
		sched_yield();
	}
	return (int)reaped;
}

static int
iouring_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct iouring_state *state = queue->be;
	int err = xnvme_be_linux_ring_claim(&state->r, queue);

	return err ? err : iouring_reap(queue, max, 1);
}

static int
iouring_wait(struct xnvme_queue *queue)
{
	struct iouring_state *state = queue->be;
	struct __kernel_timespec ts = {.tv_sec = 1, .tv_nsec = 0};
	struct io_uring_cqe *cqe;
	int res;

	res = xnvme_be_linux_ring_claim(&state->r, queue);
	if (res) {
		return res;
	}
	/* One io_uring_enter submits what is pending and, when nothing is ready, sleeps until one
	 * completion (at most a second). A submit, a yield and a wait were 0.57 system calls per
	 * I/O for xnvme-perf on a loop device; this is 0.26 (t/io_uring: 0.24 waiting for one
	 * completion, 0.12 waiting for 8) */
	if (!iouring_ready(state)) {
		res = io_uring_submit_and_wait_timeout(&state->r.ring, &cqe, 1, &ts, NULL);
	} else if (io_uring_sq_ready(&state->r.ring)) {
		res = io_uring_submit(&state->r.ring);
	}
	if (res < 0 && res != -ETIME && res != -EINTR && res != -EAGAIN && res != -EBUSY) {
		return res;
	}
	return iouring_reap(queue, 0, 0);
}

static int
iouring_get_completion_fd(struct xnvme_queue *queue)
{
	struct iouring_state *state = queue->be;
	int err;

	if (state->r.eventfd >= 0) {
		return state->r.eventfd;
	}
	err = xnvme_be_linux_ring_claim(&state->r, queue);
	if (err) {
		return err;
	}
	err = xnvme_be_completion_fd_open();
	if (err < 0) {
		return err;
	}
	state->r.eventfd = err;
	/*
	 * Whoever waits on the fd may not poke first (0.7.5's programs read() it right after
	 * submitting): from now on each command goes to the kernel at submission, which the fast
	 * path, batching until a poke, does not do
	 */
	state->r.fast_owner = XNVME_BE_LINUX_RING_NOBODY;
	err = io_uring_register_eventfd(&state->r.ring, state->r.eventfd);
	if (err) {
		close(state->r.eventfd);
		state->r.eventfd = -1;
		return err;
	}
	if (iouring_ready(state)) {
		iouring_efd_signal(state); /* completions that arrived before the fd existed */
	}
	return state->r.eventfd;
}

const struct xnvme_be_async_ops xnvme_be_linux_async_iouring = {
    .id = "io_uring",
    .descr = "io_uring (liburing): batched submission, SQPOLL/IOPOLL, registered file and buffers",
    .init = iouring_init,
    .term = iouring_term,
    .cmd_io = iouring_cmd_io,
    .cmd_iov = iouring_cmd_iov,
    .poke = iouring_poke,
    .wait = iouring_wait,
    .get_completion_fd = iouring_get_completion_fd,
};

#else

static int
iouring_init_nosys(struct xnvme_queue *queue, int opts)
{
	(void)queue;
	(void)opts;
	return -ENOSYS;
}

const struct xnvme_be_async_ops xnvme_be_linux_async_iouring = {
    .id = "io_uring",
    .descr = "not built: liburing was not found",
    .init = iouring_init_nosys,
    .cmd_io = xnvme_be_nosys_cmd_io,
    .cmd_iov = xnvme_be_nosys_cmd_iov,
};

#endif
