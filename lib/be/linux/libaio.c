/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "libaio" (Linux AIO) on the device's file descriptor.
 *
 * iocbs live in an array indexed by the context's slot. Submission is batched: cmd_io/cmd_iov
 * only prepare an iocb and append it to the pending batch; one io_submit hands the batch to the
 * kernel on poke or wait, or at submit once a queue's worth is pending. Reads and writes are
 * IOCB_CMD_PREAD/PWRITE (PREADV/PWRITEV when vectored), flush is IOCB_CMD_FDSYNC; a kernel or file
 * system that refuses FDSYNC (-EINVAL) gets fdatasync() instead, from then on, completed on the
 * next poke. The emulated commands (write zeroes, deallocate, compare, ...) run synchronously at
 * submit and complete on the next poke, like emu.
 *
 * Completions are taken from the kernel's completion ring in user space (libaio_ring.h): a poke
 * costs one io_submit when a batch is pending and no system call otherwise, which matters to a
 * caller that pokes once per command (fio's xnvme engine). io_getevents is entered only to sleep
 * (wait), or for every reap when the ring's layout is not the one known here.
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

#if XNVME_HAVE_LIBAIO
#include <libaio.h>
#include <unistd.h>
#include "libaio_ring.h"

struct libaio_state {
	io_context_t aio_ctx;
	/*
	 * The kernel's completion ring, read in user space; NULL when its layout is not the one
	 * libaio_ring.h knows, and then io_getevents takes every completion
	 */
	struct libaio_ring *ring;
	uint32_t ring_nr;        ///< ring->nr at init: the indices read from the ring must be below
	uint32_t npending;       ///< Prepared, not yet taken by io_submit
	struct iocb **pending;   ///< The batch for io_submit, in submission order
	struct iocb *iocbs;      ///< One per context slot
	int no_fdsync;           ///< The kernel refused IOCB_CMD_FDSYNC on this file
	uint32_t nheld;          ///< Entries of events[] taken, their callbacks still to run
	uint32_t nevents;        ///< Capacity of events[]
	struct io_event *events; ///< Completions taken from the ring or by io_getevents
};

static void
libaio_free(struct libaio_state *state)
{
	free(state->iocbs);
	free(state->pending);
	free(state->events);
	free(state);
}

static int
libaio_init(struct xnvme_queue *queue, int opts)
{
	struct libaio_state *state;
	uint32_t cap = queue->nctxs; /* per-slot arrays */
	/*
	 * Completions are taken a batch at a time and held while their callbacks run; a callback
	 * that pokes again takes its own after them. Twice the contexts: room for a full batch in
	 * the poke from a callback of a full batch.
	 */
	uint32_t nevents = 2 * cap;
	int err;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	state->iocbs = calloc(cap, sizeof(*state->iocbs));
	state->pending = calloc(cap, sizeof(*state->pending));
	state->events = calloc(nevents, sizeof(*state->events));
	state->nevents = nevents;
	if (!state->iocbs || !state->pending || !state->events) {
		libaio_free(state);
		return -ENOMEM;
	}
	/* -EAGAIN here: the system-wide fs.aio-max-nr is used up */
	err = io_setup((int)queue->capacity, &state->aio_ctx);
	if (err) {
		libaio_free(state);
		return err;
	}
	state->ring = libaio_ring_of(state->aio_ctx);
	state->ring_nr = state->ring ? state->ring->nr : 0;
	queue->be = state;
	return 0;
}

static int
libaio_term(struct xnvme_queue *queue)
{
	struct libaio_state *state = queue->be;
	int held = queue->outstanding > state->npending;

	/*
	 * io_destroy() sleeps, uninterruptibly, until every request the kernel took completes:
	 * forever on a dead device. With requests still in the kernel (a drain that timed out) the
	 * AIO context is left to the process instead (the kernel ends it at exit, and counts it
	 * against fs.aio-max-nr until then); io_cancel() is no help, block devices refuse it. The
	 * kernel copied the iocbs at io_submit and writes completions into its own ring, never
	 * into this state: freeing it is safe. The core parks the contexts (iocb->data).
	 */
	if (!held) {
		io_destroy(state->aio_ctx);
	}
	libaio_free(state);
	queue->be = NULL;
	return held ? -EBUSY : 0;
}

/*
 * The kernel refused the first pending iocb with @p err at io_submit: carry a refused FDSYNC out
 * with fdatasync(), fail anything else with the OS error. Either way the command completes on
 * poke, as a command the kernel failed would.
 */
static void
libaio_refused(struct libaio_state *state, struct iocb *iocb, int err)
{
	struct xnvme_cmd_ctx *ctx = iocb->data;

	if (xnvme_cmd_io_kind(ctx) == XNVME_POSIX_IO_FLUSH && err == -EINVAL) {
		struct xnvme_posix_io io = {.kind = XNVME_POSIX_IO_FLUSH};

		state->no_fdsync = 1;
		xnvme_posix_io_exec(iocb->aio_fildes, ctx, &io, NULL, 0);
	} else {
		xnvme_posix_io_fail(ctx, err);
	}
	/* The status is set: filed as a completion, never refused */
	xnvme_queue_done(ctx->async.queue, ctx, -EIO);
}

/*
 * Goes on with the batch after an io_submit of all of it returned @p res. What the kernel cannot
 * take now (-EAGAIN: out of resources) stays for the next call; an iocb it refuses (io_submit
 * fails on the first one it could not take) completes with that error instead of blocking the
 * batch behind it.
 */
static __attribute__((noinline)) void
libaio_flush_rest(struct libaio_state *state, int res)
{
	uint32_t nsubmitted = 0;

	for (;;) {
		if (res == -EAGAIN || res == -ENOMEM) {
			break;
		}
		if (res < 0 && res != -EINTR) {
			libaio_refused(state, state->pending[nsubmitted], res);
			res = 1;
		}
		nsubmitted += res > 0 ? (uint32_t)res : 0;
		if (nsubmitted == state->npending) {
			break;
		}
		res = io_submit(state->aio_ctx, (long)(state->npending - nsubmitted),
				state->pending + nsubmitted);
	}
	if (nsubmitted && nsubmitted < state->npending) {
		memmove(state->pending, state->pending + nsubmitted,
			(state->npending - nsubmitted) * sizeof(*state->pending));
	}
	state->npending -= nsubmitted;
}

/* Hands the batch to the kernel: one io_submit, which nearly always takes all of it */
static inline void
libaio_flush_pending(struct libaio_state *state)
{
	int res = io_submit(state->aio_ctx, (long)state->npending, state->pending);

	if (__builtin_expect(res == (int)state->npending, 1)) {
		state->npending = 0;
		return;
	}
	libaio_flush_rest(state, res);
}

static int
libaio_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	      size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct libaio_state *state = queue->be;
	uint32_t slot = xnvme_queue_ctx_slot(queue, ctx);
	struct iocb *iocb = &state->iocbs[slot];
	int fd = ctx->dev->fd;
	struct xnvme_posix_io io;
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	switch (io.kind) {
	case XNVME_POSIX_IO_READ:
	case XNVME_POSIX_IO_WRITE:
		/* Prepared as a read, then made a write: the two differ only in their opcode */
		if (dvec_cnt == 1) {
			io_prep_pread(iocb, fd, dvec[0].iov_base, io.nbytes, (long long)io.off);
		} else {
			io_prep_preadv(iocb, fd, dvec, (int)dvec_cnt, (long long)io.off);
		}
		if (io.kind == XNVME_POSIX_IO_WRITE) {
			iocb->aio_lio_opcode = dvec_cnt == 1 ? IO_CMD_PWRITE : IO_CMD_PWRITEV;
		}
		break;
	case XNVME_POSIX_IO_FLUSH:
		if (!state->no_fdsync) {
			io_prep_fdsync(iocb, fd);
			break;
		}
		return xnvme_posix_io_run_now(ctx, &io, dvec,
					      dvec_cnt); /* no FDSYNC on this file */
	default:
		return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
	}
	if (queue->cfd >= 0) {
		io_set_eventfd(iocb, queue->cfd);
	}
	iocb->data = ctx;
	xnvme_posix_io_inflight_save(ctx, &io);
	state->pending[state->npending++] = iocb;
	/*
	 * A queue's worth is waiting: no reason to hold it back; with a completion fd, whoever
	 * waits on it may not poke first (0.7.5's programs read() it right after submitting).
	 * Errors surface on poke.
	 */
	if (state->npending == queue->capacity || queue->cfd >= 0) {
		libaio_flush_pending(state);
	}
	return 0;
}

/* cmd_io's general path: out of line, so the fast path needs no frame of its own */
static __attribute__((noinline)) int
libaio_cmd_io_any(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		  size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return libaio_submit(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

/*
 * A plain read or write of one buffer (cmd.c checked it and recorded its kind) goes straight to an
 * iocb; anything else, or a queue with a completion fd, takes the general path.
 */
static int
libaio_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	      size_t mbuf_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct libaio_state *state = queue->be;
	int kind = xnvme_cmd_io_plain(ctx);

	if (kind && dbuf && queue->cfd < 0) {
		struct iocb *iocb = &state->iocbs[xnvme_queue_ctx_slot(queue, ctx)];
		size_t nbytes = ((size_t)ctx->cmd.nvm.nlb + 1) << ctx->dev->geo.ssw;

		io_prep_pread(iocb, ctx->dev->fd, dbuf, nbytes,
			      (long long)(ctx->cmd.nvm.slba << ctx->dev->geo.ssw));
		xnvme_cmd_io_set(ctx, kind, nbytes); /* what the completion is judged by */
		if (kind == XNVME_CMD_IO_WRITE) {
			iocb->aio_lio_opcode = IO_CMD_PWRITE;
		}
		iocb->data = ctx;
		state->pending[state->npending++] = iocb;
		if (state->npending == queue->capacity) {
			libaio_flush_pending(state);
		}
		return 0;
	}
	return libaio_cmd_io_any(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
}

static int
libaio_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	       struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return libaio_submit(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

/*
 * Delivers the @p n events io_getevents or the ring left in events[] after those held. They are
 * held while their callbacks run: a callback that pokes again takes its own after them.
 */
static inline void
libaio_deliver(struct xnvme_queue *queue, struct libaio_state *state, uint32_t n)
{
	uint32_t base = state->nheld, end = base + n;

	state->nheld = end;
	for (uint32_t i = base; i < end; ++i) {
		/* aio_data, copied by the kernel from iocb->data: the iocb itself is not read */
		struct xnvme_cmd_ctx *ctx = state->events[i].data;

		xnvme_posix_io_inflight_cpl(ctx, (int64_t)(long)state->events[i].res);
		xnvme_queue_complete(queue, ctx);
	}
	state->nheld = base;
}

/*
 * Copies up to @p max completions from the kernel's ring to events[] after those held, and
 * consumes them (publishes head) before any callback runs, without entering the kernel. The
 * indices are checked against nr: the kernel keeps them below it, and only a stray store in the
 * process breaks that; the kernel reads them modulo nr, so io_getevents takes over from there.
 */
static inline uint32_t
libaio_ring_take(struct libaio_state *state, uint32_t max)
{
	struct libaio_ring *ring = state->ring;
	struct io_event *to = state->events + state->nheld;
	uint32_t nr = state->ring_nr;
	uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
	/* acquire: the kernel writes an entry before it moves tail past it */
	uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
	uint32_t n, first;

	if (head >= nr || tail >= nr) {
		state->ring = NULL;
		return 0;
	}
	if (head == tail) {
		return 0;
	}
	n = tail > head ? tail - head : nr - head + tail;
	n = XNVME_MIN_U64(n, XNVME_MIN_U64(max, state->nevents - state->nheld));
	first = XNVME_MIN_U64(n, nr - head);
	/* A loop, not memcpy: a poke takes one or a few events, and a call costs more than they */
	for (uint32_t i = 0; i < first; ++i) {
		to[i] = ring->events[head + i];
	}
	for (uint32_t i = first; i < n; ++i) {
		to[i] = ring->events[i - first];
	}
	head += n;
	/* release: the entries are read before the kernel may fill them again */
	atomic_store_explicit(&ring->head, head >= nr ? head - nr : head, memory_order_release);
	return n;
}

/*
 * Takes up to @p max completions through io_getevents, waiting up to @p timeout for @p min_nr;
 * returns how many, or a negative errno.
 */
static int
libaio_getevents(struct xnvme_queue *queue, struct libaio_state *state, long min_nr, uint32_t max,
		 struct timespec *timeout)
{
	int n;

	max = XNVME_MIN_U64(max, state->nevents - state->nheld);
	if (!max) {
		return 0;
	}
	do {
		n = io_getevents(state->aio_ctx, min_nr, (long)max, state->events + state->nheld,
				 timeout);
	} while (n == -EINTR && min_nr);
	if (n <= 0) {
		return n == -EINTR ? 0 : n;
	}
	libaio_deliver(queue, state, (uint32_t)n);
	return n;
}

/*
 * Submits the pending batch, delivers what completed at submit, then takes up to @p max (0: all)
 * completions from the ring. io_getevents is entered only to wait (@p min_nr, up to @p timeout)
 * when nothing else was found, or when the ring cannot be read in user space.
 */
static int
libaio_reap(struct xnvme_queue *queue, uint32_t max, long min_nr, struct timespec *timeout)
{
	struct libaio_state *state = queue->be;
	uint32_t reaped;

	max = max ? XNVME_MIN_U64(max, queue->capacity) : queue->capacity;
	if (state->npending) {
		libaio_flush_pending(state);
	}
	/* The iocbs the kernel refused just now: delivered here, so a wait does not sleep on them
	 */
	reaped = xnvme_queue_ring_reap(queue, &queue->done, max);
	if (reaped < max && state->ring) {
		uint32_t n = libaio_ring_take(state, max - reaped);

		libaio_deliver(queue, state, n);
		reaped += n;
	}
	if (reaped < max && (!state->ring || (!reaped && min_nr))) {
		int n = libaio_getevents(queue, state, reaped ? 0 : min_nr, max - reaped, timeout);

		if (n < 0 && !reaped) {
			return n;
		}
		reaped += n > 0 ? (uint32_t)n : 0;
	}
	/* The queue cleared the completion fd before this reap: what max left behind still waits */
	if (queue->cfd >= 0 && state->ring &&
	    atomic_load_explicit(&state->ring->head, memory_order_relaxed) !=
		atomic_load_explicit(&state->ring->tail, memory_order_relaxed)) {
		xnvme_queue_signal(queue);
	}
	return (int)reaped;
}

/* poke's general path, out of line so that the common one below needs no frame for it */
static __attribute__((noinline)) int
libaio_poke_any(struct xnvme_queue *queue, uint32_t max)
{
	struct timespec zero = {0, 0};

	return libaio_reap(queue, max, 0, &zero);
}

/*
 * The common poke, inline (fio's xnvme engine pokes once per command): the batch submitted, then
 * the ring's completions taken and delivered, when no callback up the stack holds events, the
 * done ring is empty and there is no completion fd; anything else goes through libaio_reap().
 */
static int
libaio_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct libaio_state *state = queue->be;

	if (state->npending) {
		libaio_flush_pending(state);
	}
	if (__builtin_expect(state->ring && !state->nheld && queue->cfd < 0 &&
				 queue->done.tail == queue->done.head,
			     1)) {
		uint32_t limit = max && max < queue->capacity ? max : queue->capacity;
		uint32_t n = libaio_ring_take(state, limit);

		libaio_deliver(queue, state, n);
		return (int)n;
	}
	return libaio_poke_any(queue, max);
}

static int
libaio_wait(struct xnvme_queue *queue)
{
	struct timespec second = {1, 0};

	return libaio_reap(queue, 0, 1, &second);
}

static int
libaio_cfd_attach(struct xnvme_queue *queue, int fd)
{
	struct libaio_state *state = queue->be;

	queue->cfd = fd;
	/* iocbs prepared from now on signal it; those still pending get it now */
	for (uint32_t i = 0; i < state->npending; ++i) {
		io_set_eventfd(state->pending[i], fd);
	}
	if (queue->outstanding > state->npending) {
		xnvme_queue_signal(queue); /* some may have completed before the fd existed */
	}
	return 0;
}

const struct xnvme_be_async_ops xnvme_be_linux_async_libaio = {
    XNVME_BE_OPS_HEAD("libaio", "Linux AIO (libaio): batched io_submit, FDSYNC flush"),
    XNVME_BE_ASYNC_FNS(libaio),
    .cfd_attach = libaio_cfd_attach,
};

#else

const struct xnvme_be_async_ops xnvme_be_linux_async_libaio =
    XNVME_BE_ASYNC_NOT_BUILT("libaio", "libaio was not found");

#endif
