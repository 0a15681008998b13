/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "kqueue": POSIX AIO (aio_read, aio_write, aio_fsync) whose completions FreeBSD
 * posts to a kqueue of the queue's own (SIGEV_KEVENT, filter EVFILT_AIO: the event's ident is
 * the aiocb, its udata the command's context). Poke reaps a batch of them with one kevent() call
 * that does not block, wait with one that blocks for at most a second; no aio_error() walk of
 * what is in flight, as the portable "posix" interface does.
 *
 * Like "posix": one aiocb per context slot; no vectored AIO, and no AIO for the emulated
 * commands (write zeroes, deallocate, compare, ...): those run at submit and complete on the next
 * poke through the queue's done ring. Completions from kevent go to that ring too, so callbacks
 * never run inside the batch. No completion fd: nothing would signal it when the kernel posts to
 * the kqueue (cfd_attach refuses, -ENOTSUP). Not run on FreeBSD here (docs/backends.md).
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_freebsd.h"

/* wait() blocks in kevent() for at most this long: it must stay bounded */
#define FREEBSD_KQ_WAIT_SEC 1

struct freebsd_kq {
	int kq;
	uint32_t ninflight;
	struct aiocb *aiocbs; ///< One per context slot
	uint8_t *busy;        ///< Slots submitted to AIO and not yet reaped (term cancels them)
	struct kevent *evs;   ///< One batch of events: capacity entries
};

static void
freebsd_kq_free(struct freebsd_kq *state)
{
	if (state->kq >= 0) {
		close(state->kq);
	}
	free(state->aiocbs);
	free(state->busy);
	free(state->evs);
	free(state);
}

static int
freebsd_kq_init(struct xnvme_queue *queue, int opts)
{
	struct freebsd_kq *state;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	state->kq = kqueue();
	state->aiocbs = calloc(queue->nctxs, sizeof(*state->aiocbs));
	state->busy = calloc(queue->nctxs, sizeof(*state->busy));
	state->evs = calloc(queue->capacity, sizeof(*state->evs));
	if (state->kq < 0 || !state->aiocbs || !state->busy || !state->evs) {
		int err = state->kq < 0 ? -errno : -ENOMEM;

		freebsd_kq_free(state);
		return err;
	}
	/* A kqueue is not inherited by a fork; this keeps it from an exec'd program too */
	fcntl(state->kq, F_SETFD, FD_CLOEXEC);
	queue->be = state;
	return 0;
}

/*
 * After a drain, nothing should be in flight. One that timed out leaves requests on a stuck
 * device: what AIO cannot cancel still writes its aiocb and posts to the kqueue, so both are
 * left allocated and open (parked) rather than freed under it.
 */
static int
freebsd_kq_term(struct xnvme_queue *queue)
{
	struct freebsd_kq *state = queue->be;
	int held = 0;

	for (uint32_t slot = 0; slot < queue->nctxs; ++slot) {
		struct aiocb *cb = &state->aiocbs[slot];

		if (!state->busy[slot]) {
			continue;
		}
		if (aio_cancel(cb->aio_fildes, cb) == AIO_NOTCANCELED ||
		    aio_error(cb) == EINPROGRESS) {
			held = 1;
			continue;
		}
		aio_return(cb); /* frees the kernel's record of it */
		state->busy[slot] = 0;
	}
	queue->be = NULL;
	if (held) {
		return -EBUSY;
	}
	freebsd_kq_free(state);
	return 0;
}

static int
freebsd_kq_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		  size_t dvec_nbytes, size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct freebsd_kq *state = queue->be;
	uint32_t slot = xnvme_queue_ctx_slot(queue, ctx);
	struct aiocb *cb = &state->aiocbs[slot];
	struct xnvme_posix_io io;
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	if ((io.kind == XNVME_POSIX_IO_READ || io.kind == XNVME_POSIX_IO_WRITE) && dvec_cnt != 1) {
		return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt); /* no vectored AIO */
	}
	if (io.kind != XNVME_POSIX_IO_READ && io.kind != XNVME_POSIX_IO_WRITE &&
	    io.kind != XNVME_POSIX_IO_FLUSH) {
		return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
	}
	memset(cb, 0, sizeof(*cb));
	cb->aio_fildes = ctx->dev->fd;
	cb->aio_sigevent.sigev_notify = SIGEV_KEVENT;
	cb->aio_sigevent.sigev_notify_kqueue = state->kq;
	cb->aio_sigevent.sigev_value.sival_ptr = ctx;
	if (io.kind == XNVME_POSIX_IO_FLUSH) {
		err = aio_fsync(O_DSYNC, cb);
		if (err && (errno == EINVAL || errno == EOPNOTSUPP)) {
			/* No synchronized I/O through AIO on this descriptor: fsync it now */
			return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
		}
	} else {
		cb->aio_buf = dvec[0].iov_base;
		cb->aio_nbytes = io.nbytes;
		cb->aio_offset = (off_t)io.off;
		err = io.kind == XNVME_POSIX_IO_READ ? aio_read(cb) : aio_write(cb);
	}
	if (err) {
		/* EAGAIN: out of AIO resources for now; the caller reaps and tries again */
		return errno == EAGAIN ? -EBUSY : -errno;
	}
	xnvme_posix_io_inflight_save(ctx, &io);
	state->busy[slot] = 1;
	state->ninflight++;
	return 0;
}

static int
freebsd_kq_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		  size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return freebsd_kq_submit(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

static int
freebsd_kq_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		   size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return freebsd_kq_submit(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

/*
 * One kevent() call: moves up to @p max finished requests (as many as the done ring has room
 * for) to the done ring, waiting up to @p timeout for the first. Returns the number or -errno.
 */
static int
freebsd_kq_collect(struct xnvme_queue *queue, uint32_t max, const struct timespec *timeout)
{
	struct freebsd_kq *state = queue->be;
	struct xnvme_queue_ring *done = &queue->done;
	uint32_t room = queue->capacity - (done->tail - done->head);
	int n;

	max = XNVME_MIN_U64(XNVME_MIN_U64(max, room), state->ninflight);
	if (!max) {
		return 0;
	}
	n = kevent(state->kq, NULL, 0, state->evs, (int)max, timeout);
	if (n < 0) {
		return errno == EINTR ? 0 : -errno;
	}
	for (int i = 0; i < n; ++i) {
		struct aiocb *cb = (struct aiocb *)state->evs[i].ident;
		struct xnvme_cmd_ctx *ctx = state->evs[i].udata;
		ssize_t res;
		int err;

		if (state->evs[i].filter != EVFILT_AIO) {
			continue; /* nothing else is registered: not ours */
		}
		err = aio_error(cb);
		res = aio_return(cb);
		xnvme_posix_io_inflight_cpl(ctx, err ? -err : res < 0 ? -EIO : (int64_t)res);
		state->busy[xnvme_queue_ctx_slot(queue, ctx)] = 0;
		state->ninflight--;
		done->ents[done->tail++ & done->mask] = ctx;
	}
	return n;
}

static int
freebsd_kq_poke(struct xnvme_queue *queue, uint32_t max)
{
	static const struct timespec now = {0, 0};
	int err;

	max = max ? XNVME_MIN_U64(max, queue->capacity) : queue->capacity;
	err = freebsd_kq_collect(queue, max, &now);
	if (err < 0) {
		return err;
	}
	return (int)xnvme_queue_ring_reap(queue, &queue->done, max);
}

static int
freebsd_kq_wait(struct xnvme_queue *queue)
{
	static const struct timespec bound = {FREEBSD_KQ_WAIT_SEC, 0};
	int res = freebsd_kq_poke(queue, 0);

	if (res || !((struct freebsd_kq *)queue->be)->ninflight) {
		return res;
	}
	/* Returns on the first completion, a signal or the bound: poke tells */
	res = freebsd_kq_collect(queue, queue->capacity, &bound);
	if (res < 0) {
		return res;
	}
	return (int)xnvme_queue_ring_reap(queue, &queue->done, 0);
}

static int
freebsd_kq_cfd_attach(struct xnvme_queue *queue, int fd)
{
	(void)queue;
	(void)fd;
	return -ENOTSUP;
}

const struct xnvme_be_async_ops xnvme_be_freebsd_async_kqueue = {
    XNVME_BE_OPS_HEAD("kqueue",
		      "POSIX AIO with completions posted to a kqueue (SIGEV_KEVENT), "
		      "reaped by kevent in batches; vectored and emulated commands at submit"),
    XNVME_BE_ASYNC_FNS(freebsd_kq),
    .cfd_attach = freebsd_kq_cfd_attach,
};
