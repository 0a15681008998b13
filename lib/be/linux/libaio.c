/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "libaio" (Linux AIO). iocbs live in an array indexed by the context's slot;
 * submission is batched: prepared iocbs are handed to io_submit together on poke or wait.
 * Flush and commands AIO has no operation for run synchronously at submit and complete on poke.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_linux.h"

#if XNVME_HAVE_LIBAIO
#include <libaio.h>

struct libaio_state {
	io_context_t aio_ctx;
	uint32_t npending;            ///< Prepared, not yet given to io_submit
	struct iocb *iocbs;           ///< One per context slot
	struct iocb **pending;        ///< Batch for io_submit
	struct xnvme_queue_ring done; ///< Commands carried out at submit, delivered on poke
	struct io_event *events;
};

static int
libaio_init(struct xnvme_queue *queue, int opts)
{
	struct libaio_state *state;
	int err;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	state->iocbs = calloc(queue->capacity, sizeof(*state->iocbs));
	state->pending = calloc(queue->capacity, sizeof(*state->pending));
	state->events = calloc(queue->capacity, sizeof(*state->events));
	if (!state->iocbs || !state->pending ||
	    xnvme_queue_ring_init(&state->done, queue->capacity) || !state->events) {
		err = -ENOMEM;
		goto fail;
	}
	err = io_setup((int)queue->capacity, &state->aio_ctx);
	if (err) {
		goto fail;
	}
	queue->be = state;
	return 0;
fail:
	free(state->iocbs);
	free(state->pending);
	xnvme_queue_ring_term(&state->done);
	free(state->events);
	free(state);
	return err;
}

static int
libaio_term(struct xnvme_queue *queue)
{
	struct libaio_state *state = queue->be;

	io_destroy(state->aio_ctx);
	free(state->iocbs);
	free(state->pending);
	xnvme_queue_ring_term(&state->done);
	free(state->events);
	free(state);
	queue->be = NULL;
	return 0;
}

/* Hands the batch to the kernel; what it does not take stays pending for the next call. */
static int
libaio_flush_pending(struct libaio_state *state)
{
	while (state->npending) {
		int res = io_submit(state->aio_ctx, state->npending, state->pending);

		if (res == -EAGAIN) {
			return 0;
		}
		if (res < 0) {
			return res;
		}
		memmove(state->pending, state->pending + res,
			(state->npending - (uint32_t)res) * sizeof(*state->pending));
		state->npending -= (uint32_t)res;
	}
	return 0;
}

static int
libaio_submit_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		  size_t dvec_nbytes, size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct libaio_state *state = queue->be;
	struct iocb *iocb = &state->iocbs[xnvme_queue_ctx_slot(queue, ctx)];
	int fd = ctx->dev->fd;
	struct xnvme_posix_io io;
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	switch (io.kind) {
	case XNVME_POSIX_IO_READ:
		if (dvec_cnt == 1) {
			io_prep_pread(iocb, fd, dvec[0].iov_base, io.nbytes, (long long)io.off);
		} else {
			io_prep_preadv(iocb, fd, dvec, (int)dvec_cnt, (long long)io.off);
		}
		break;
	case XNVME_POSIX_IO_WRITE:
		if (dvec_cnt == 1) {
			io_prep_pwrite(iocb, fd, dvec[0].iov_base, io.nbytes, (long long)io.off);
		} else {
			io_prep_pwritev(iocb, fd, dvec, (int)dvec_cnt, (long long)io.off);
		}
		break;
	default:
		/* Linux AIO's fdsync is refused by most file systems: do it here, complete on poke
		 */
		err = xnvme_posix_io_exec(fd, ctx, &io, dvec, (int)dvec_cnt);
		return xnvme_queue_ring_push(&state->done, ctx, err);
	}
	iocb->data = ctx;
	memcpy(ctx->be_rsvd, &io.nbytes, sizeof(uint32_t));
	state->pending[state->npending++] = iocb;
	return 0;
}

static int
libaio_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	      size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return libaio_submit_iov(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

static int
libaio_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	       struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return libaio_submit_iov(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

static int
libaio_reap(struct xnvme_queue *queue, uint32_t max, long min_nr, struct timespec *timeout)
{
	struct libaio_state *state = queue->be;
	uint32_t reaped = 0;
	int err, n;

	max = max ? XNVME_MIN(max, queue->capacity) : queue->capacity;
	reaped = xnvme_queue_ring_reap(queue, &state->done, max);
	err = libaio_flush_pending(state);
	if (err) {
		return err;
	}
	if (reaped >= max) {
		return (int)reaped;
	}
	n = io_getevents(state->aio_ctx, reaped ? 0 : min_nr, (long)(max - reaped), state->events,
			 timeout);
	if (n < 0) {
		return n == -EINTR ? (int)reaped : n;
	}
	for (int i = 0; i < n; ++i) {
		struct iocb *iocb = state->events[i].obj;
		struct xnvme_cmd_ctx *ctx = iocb->data;
		long res = (long)state->events[i].res;
		uint32_t want;

		memcpy(&want, ctx->be_rsvd, sizeof(want));
		if (res < 0) {
			xnvme_posix_io_fail(ctx, (int)res);
		} else if ((uint32_t)res != want) {
			xnvme_posix_io_fail(ctx, -EIO);
		} else {
			ctx->cpl.result = (uint64_t)res;
		}
		xnvme_queue_complete(queue, ctx);
	}
	return (int)reaped + n;
}

static int
libaio_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct timespec zero = {0, 0};

	return libaio_reap(queue, max, 0, &zero);
}

static int
libaio_wait(struct xnvme_queue *queue)
{
	struct timespec second = {1, 0};

	return libaio_reap(queue, 0, 1, &second);
}

const struct xnvme_be_async_ops xnvme_be_linux_async_libaio = {
    .id = "libaio",
    .descr = "Linux AIO (libaio): batched io_submit",
    .init = libaio_init,
    .term = libaio_term,
    .cmd_io = libaio_cmd_io,
    .cmd_iov = libaio_cmd_iov,
    .poke = libaio_poke,
    .wait = libaio_wait,
};

#else

static int
libaio_init_nosys(struct xnvme_queue *queue, int opts)
{
	(void)queue;
	(void)opts;
	return -ENOSYS;
}

const struct xnvme_be_async_ops xnvme_be_linux_async_libaio = {
    .id = "libaio",
    .descr = "not built: libaio was not found",
    .init = libaio_init_nosys,
    .cmd_io = xnvme_be_nosys_cmd_io,
    .cmd_iov = xnvme_be_nosys_cmd_iov,
};

#endif
