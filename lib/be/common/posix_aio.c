/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "posix": POSIX AIO (aio_read / aio_write). One aiocb per context slot and a
 * compact list of the slots in flight, so poke costs O(in flight). POSIX AIO has no vectored or
 * zeroing operations: those commands run synchronously at submit and complete on the next poke.
 */
#include <aio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_common.h"

struct posix_aio_state {
	struct aiocb *aiocbs; ///< One per context slot
	uint32_t *inflight;   ///< Slots submitted to AIO
	uint32_t ninflight;
	struct xnvme_queue_ring done; ///< Commands carried out at submit, delivered on poke
};

static int
posix_aio_init(struct xnvme_queue *queue, int opts)
{
	struct posix_aio_state *state;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	state->aiocbs = calloc(queue->capacity, sizeof(*state->aiocbs));
	state->inflight = calloc(queue->capacity, sizeof(*state->inflight));
	if (!state->aiocbs || !state->inflight ||
	    xnvme_queue_ring_init(&state->done, queue->capacity)) {
		free(state->aiocbs);
		free(state->inflight);
		xnvme_queue_ring_term(&state->done);
		free(state);
		return -ENOMEM;
	}
	queue->be = state;
	return 0;
}

static int
posix_aio_term(struct xnvme_queue *queue)
{
	struct posix_aio_state *state = queue->be;

	free(state->aiocbs);
	free(state->inflight);
	xnvme_queue_ring_term(&state->done);
	free(state);
	queue->be = NULL;
	return 0;
}

static int
posix_aio_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, int dvec_cnt, size_t dvec_nbytes,
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
	if ((io.kind != XNVME_POSIX_IO_READ && io.kind != XNVME_POSIX_IO_WRITE) || dvec_cnt != 1) {
		err = xnvme_posix_io_exec(ctx->dev->fd, ctx, &io, dvec, dvec_cnt);
		return xnvme_queue_ring_push(&state->done, ctx, err);
	}
	memset(cb, 0, sizeof(*cb));
	cb->aio_fildes = ctx->dev->fd;
	cb->aio_buf = dvec[0].iov_base;
	cb->aio_nbytes = io.nbytes;
	cb->aio_offset = (off_t)io.off;
	cb->aio_sigevent.sigev_notify = SIGEV_NONE;
	err = io.kind == XNVME_POSIX_IO_READ ? aio_read(cb) : aio_write(cb);
	if (err) {
		return errno == EAGAIN ? -EBUSY : -errno;
	}
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
	return posix_aio_submit(ctx, dvec, (int)dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

static int
posix_aio_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct posix_aio_state *state = queue->be;
	uint32_t reaped = 0, i = 0, nseen = state->ninflight;

	max = max ? max : queue->capacity;
	reaped = xnvme_queue_ring_reap(queue, &state->done, max);
	/* Only the slots in flight when poke began: callbacks append new ones behind them */
	while (i < nseen && i < state->ninflight && reaped < max) {
		uint32_t slot = state->inflight[i];
		struct aiocb *cb = &state->aiocbs[slot];
		struct xnvme_cmd_ctx *ctx = &queue->ctxs[slot];
		ssize_t res;
		int err = aio_error(cb);

		if (err == EINPROGRESS) {
			i++;
			continue;
		}
		res = aio_return(cb);
		state->inflight[i] = state->inflight[--state->ninflight];
		nseen--;
		if (err || res < 0) {
			xnvme_posix_io_fail(ctx, -(err ? err : EIO));
		} else if ((size_t)res != cb->aio_nbytes) {
			xnvme_posix_io_fail(ctx, -EIO);
		} else {
			ctx->cpl.result = (uint64_t)res;
		}
		xnvme_queue_complete(queue, ctx);
		reaped++;
	}
	return (int)reaped;
}

static int
posix_aio_wait(struct xnvme_queue *queue)
{
	struct posix_aio_state *state = queue->be;
	const struct aiocb *list[64];
	struct timespec second = {1, 0};
	int n = 0, res;

	res = posix_aio_poke(queue, 0);
	if (res || !state->ninflight) {
		return res;
	}
	for (uint32_t i = 0; i < state->ninflight && n < 64; ++i) {
		list[n++] = &state->aiocbs[state->inflight[i]];
	}
	aio_suspend(list, n, &second);
	return posix_aio_poke(queue, 0);
}

const struct xnvme_be_async_ops xnvme_be_common_async_posix = {
    .id = "posix",
    .descr = "POSIX AIO (aio_read/aio_write); other commands run at submit",
    .init = posix_aio_init,
    .term = posix_aio_term,
    .cmd_io = posix_aio_cmd_io,
    .cmd_iov = posix_aio_cmd_iov,
    .poke = posix_aio_poke,
    .wait = posix_aio_wait,
};
