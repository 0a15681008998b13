/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "posix": POSIX AIO (aio_read, aio_write, aio_fsync(O_DSYNC) for flush).
 *
 * One aiocb per context slot and a compact list of the slots in flight, so poke costs O(in flight)
 * and not O(capacity). POSIX AIO has no vectored operation and none for the emulated commands
 * (write zeroes, deallocate, compare, ...): those run synchronously at submit and complete on the
 * next poke, as with emu. Poke first moves finished commands to the queue's done ring and then
 * delivers from that ring, so callbacks never run while the in-flight list is being walked.
 *
 * With a completion fd, each request is submitted with SIGEV_THREAD notification: the C library
 * runs posix_aio_notify() when it finishes, which signals the fd (POSIX AIO has no other way to
 * be told without a signal handler). term waits (boundedly) for the notifications still running:
 * the fd is closed after it, or, with a request stuck on the device, left open (parked).
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_common.h"

/* aio_suspend() waits for at most one second per call: wait() must stay bounded */
#define POSIX_AIO_WAIT_SEC 1

struct posix_aio_state {
	struct aiocb *aiocbs; ///< One per context slot
	uint8_t *kinds;       ///< enum xnvme_posix_io_kind of each slot's command
	uint32_t *inflight;   ///< Slots submitted to AIO, unordered and dense
	uint32_t ninflight;
	const struct aiocb **susp; ///< Scratch list for aio_suspend(), capacity entries
	int cfd;                   ///< The queue's completion fd, or -1: no notification
	atomic_uint notifying;     ///< Requests submitted with notification, not yet notified
};

static void
posix_aio_free(struct posix_aio_state *state)
{
	free(state->aiocbs);
	free(state->kinds);
	free(state->inflight);
	free(state->susp);
	free(state);
}

static int
posix_aio_init(struct xnvme_queue *queue, int opts)
{
	struct posix_aio_state *state;
	uint32_t cap = queue->nctxs; /* per-slot arrays */

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	state->aiocbs = calloc(cap, sizeof(*state->aiocbs));
	state->kinds = calloc(cap, sizeof(*state->kinds));
	state->inflight = calloc(cap, sizeof(*state->inflight));
	state->susp = calloc(cap, sizeof(*state->susp));
	state->cfd = -1;
	if (!state->aiocbs || !state->kinds || !state->inflight || !state->susp) {
		posix_aio_free(state);
		return -ENOMEM;
	}
	queue->be = state;
	return 0;
}

/* How long term waits for the C library's notification threads before parking the state */
#define POSIX_AIO_NOTIFY_WAIT_NS 1000000000ULL

static int
posix_aio_term(struct xnvme_queue *queue)
{
	struct posix_aio_state *state = queue->be;
	uint64_t deadline;
	int held = 0;

	/*
	 * A drain that timed out leaves requests the C library's threads still carry out: cancel
	 * what has not started. One that has (AIO_NOTCANCELED) sits in a system call on a stuck
	 * device; waiting for it (aio_suspend without a timeout) would hang term for as long.
	 */
	for (uint32_t i = 0; i < state->ninflight; ++i) {
		struct aiocb *cb = &state->aiocbs[state->inflight[i]];

		if (aio_cancel(cb->aio_fildes, cb) == AIO_NOTCANCELED ||
		    aio_error(cb) == EINPROGRESS) {
			held = 1;
			continue;
		}
		aio_return(cb);
	}
	/* A notification thread still to write the completion fd the queue closes next */
	deadline = xnvme_timer_now_ns() + POSIX_AIO_NOTIFY_WAIT_NS;
	while (!held && atomic_load(&state->notifying)) {
		held = xnvme_timer_now_ns() > deadline;
		sched_yield();
	}
	/*
	 * What is still running writes its aiocb (this state's) when it ends, then notifies
	 * through state->cfd and state->notifying: the state is left allocated for it, and the
	 * core keeps the completion fd open (a closed number could be reused by an unrelated file).
	 */
	if (held) {
		queue->be = NULL;
		return -EBUSY;
	}
	posix_aio_free(state);
	queue->be = NULL;
	return 0;
}

/* SIGEV_THREAD: a request finished; runs on a thread of the C library's */
static void
posix_aio_notify(union sigval sv)
{
	struct posix_aio_state *state = sv.sival_ptr;

	xnvme_queue_cfd_signal(state->cfd);
	atomic_fetch_sub(&state->notifying, 1);
}

/* With a completion fd, @p cb notifies it when it finishes */
static void
posix_aio_arm(struct posix_aio_state *state, struct aiocb *cb)
{
	if (state->cfd >= 0) {
		cb->aio_sigevent.sigev_notify = SIGEV_THREAD;
		cb->aio_sigevent.sigev_notify_function = posix_aio_notify;
		cb->aio_sigevent.sigev_value.sival_ptr = state;
		atomic_fetch_add(&state->notifying, 1);
	}
}

/* The request posix_aio_arm() prepared was refused: it never notifies */
static void
posix_aio_disarm(struct posix_aio_state *state)
{
	if (state->cfd >= 0) {
		atomic_fetch_sub(&state->notifying, 1);
	}
}

static int
posix_aio_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		 size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct posix_aio_state *state = queue->be;
	uint32_t slot = xnvme_queue_ctx_slot(queue, ctx);
	struct aiocb *cb = &state->aiocbs[slot];
	struct xnvme_posix_io io;
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	memset(cb, 0, sizeof(*cb));
	cb->aio_fildes = ctx->dev->fd;
	cb->aio_sigevent.sigev_notify = SIGEV_NONE;
	switch (io.kind) {
	case XNVME_POSIX_IO_READ:
	case XNVME_POSIX_IO_WRITE:
		if (dvec_cnt != 1) {
			/* No vectored AIO in POSIX */
			return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
		}
		cb->aio_buf = dvec[0].iov_base;
		cb->aio_nbytes = io.nbytes;
		cb->aio_offset = (off_t)io.off;
		posix_aio_arm(state, cb);
		err = io.kind == XNVME_POSIX_IO_READ ? aio_read(cb) : aio_write(cb);
		break;
	case XNVME_POSIX_IO_FLUSH:
		posix_aio_arm(state, cb);
		err = aio_fsync(O_DSYNC, cb);
		if (err && (errno == EINVAL || errno == ENOSYS)) {
			posix_aio_disarm(state);
			/* No synchronized I/O on this descriptor through AIO: fdatasync() it */
			return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
		}
		break;
	default:
		return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
	}
	if (err) {
		err = errno;
		posix_aio_disarm(state);
		/* EAGAIN: out of AIO resources for now; the caller reaps and tries again */
		return err == EAGAIN ? -EBUSY : -err;
	}
	state->kinds[slot] = (uint8_t)io.kind;
	state->inflight[state->ninflight++] = slot;
	return 0;
}

static int
posix_aio_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		 size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return posix_aio_submit(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

static int
posix_aio_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		  size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return posix_aio_submit(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

/* Fills ctx->cpl from a finished request: @p err as aio_error() gave it, @p res aio_return(). */
static void
posix_aio_cpl(struct xnvme_cmd_ctx *ctx, int kind, const struct aiocb *cb, int err, ssize_t res)
{
	if (err) {
		xnvme_posix_io_fail(ctx, -err);
	} else if (res < 0) {
		xnvme_posix_io_fail(ctx, -EIO);
	} else if (kind != XNVME_POSIX_IO_FLUSH && (size_t)res != cb->aio_nbytes) {
		/* Short: the status names why, as psync's would (posix_io.c) */
		xnvme_posix_io_fail_short(ctx, kind == XNVME_POSIX_IO_WRITE, (uint64_t)res,
					  cb->aio_nbytes);
	} else {
		ctx->cpl.result = (uint64_t)res;
	}
}

static int
posix_aio_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct posix_aio_state *state = queue->be;
	struct xnvme_queue_ring *done = &queue->done;
	uint32_t i = 0;

	max = max ? XNVME_MIN_U64(max, queue->capacity) : queue->capacity;
	while (i < state->ninflight && done->tail - done->head < max) {
		uint32_t slot = state->inflight[i];
		struct aiocb *cb = &state->aiocbs[slot];
		struct xnvme_cmd_ctx *ctx = &queue->ctxs[slot];
		int err = aio_error(cb);

		if (err == EINPROGRESS) {
			i++;
			continue;
		}
		if (err < 0) {
			err = errno; /* the aiocb is unknown to AIO: report what it says */
		}
		posix_aio_cpl(ctx, state->kinds[slot], cb, err, aio_return(cb));
		state->inflight[i] = state->inflight[--state->ninflight];
		done->ents[done->tail++ & done->mask] = ctx;
	}
	return (int)xnvme_queue_ring_reap(queue, done, max);
}

static int
posix_aio_wait(struct xnvme_queue *queue)
{
	struct posix_aio_state *state = queue->be;
	struct timespec timeout = {.tv_sec = POSIX_AIO_WAIT_SEC, .tv_nsec = 0};
	int res;

	res = posix_aio_poke(queue, 0);
	if (res || !state->ninflight) {
		return res;
	}
	for (uint32_t i = 0; i < state->ninflight; ++i) {
		state->susp[i] = &state->aiocbs[state->inflight[i]];
	}
	/* Returns early on a completion, a signal (EINTR) or the timeout (EAGAIN): poke tells */
	aio_suspend(state->susp, (int)state->ninflight, &timeout);
	return posix_aio_poke(queue, 0);
}

static int
posix_aio_cfd_attach(struct xnvme_queue *queue, int fd)
{
	struct posix_aio_state *state = queue->be;

	state->cfd = fd;
	queue->cfd = fd;
	if (state->ninflight) {
		xnvme_queue_signal(queue); /* submitted without notification: may have finished */
	}
	return 0;
}

const struct xnvme_be_async_ops xnvme_be_common_async_posix = {
    XNVME_BE_OPS_HEAD("posix", "POSIX AIO (aio_read/aio_write/aio_fsync); vectored and emulated "
			       "commands at submit"),
    XNVME_BE_ASYNC_FNS(posix_aio),
    .cfd_attach = posix_aio_cfd_attach,
};
