/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "thrpool": a pool of worker threads per queue runs commands with the blocking
 * POSIX calls. Rings of context pointers carry work to the threads and completions back; the
 * per-command arguments live in an array indexed by the context's slot.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_common.h"

#define THRPOOL_NTHREADS_DEFAULT 4
#define THRPOOL_NTHREADS_MAX     64

struct thrpool_args {
	struct xnvme_posix_io io;
	struct iovec iov; ///< Holds the one buffer of a non-vectored command
	struct iovec *dvec;
	int dvec_cnt;
};

struct thrpool_ring {
	uint32_t head;
	uint32_t tail;
	struct xnvme_cmd_ctx **ents;
};

struct thrpool_state {
	pthread_mutex_t lock;
	pthread_cond_t work; ///< Signalled when the submission ring gets an entry or at stop
	pthread_cond_t done; ///< Signalled when the completion ring gets an entry
	struct thrpool_ring sq;
	struct thrpool_ring cq;
	uint32_t mask;
	int stop;
	int fd;
	int nthreads;
	struct thrpool_args *args;
	pthread_t threads[THRPOOL_NTHREADS_MAX];
	struct xnvme_queue *queue;
};

static void *
thrpool_worker(void *arg)
{
	struct thrpool_state *state = arg;

	pthread_mutex_lock(&state->lock);
	for (;;) {
		struct xnvme_cmd_ctx *ctx;
		struct thrpool_args *a;

		while (state->sq.head == state->sq.tail && !state->stop) {
			pthread_cond_wait(&state->work, &state->lock);
		}
		if (state->stop) {
			break;
		}
		ctx = state->sq.ents[state->sq.head++ & state->mask];
		pthread_mutex_unlock(&state->lock);

		a = &state->args[xnvme_queue_ctx_slot(state->queue, ctx)];
		/* The outcome is in ctx->cpl; a refusal was caught at submit by decode */
		xnvme_posix_io_exec(state->fd, ctx, &a->io, a->dvec, a->dvec_cnt);

		pthread_mutex_lock(&state->lock);
		state->cq.ents[state->cq.tail++ & state->mask] = ctx;
		pthread_cond_signal(&state->done);
	}
	pthread_mutex_unlock(&state->lock);
	return NULL;
}

static void
thrpool_free(struct thrpool_state *state)
{
	free(state->sq.ents);
	free(state->cq.ents);
	free(state->args);
	pthread_mutex_destroy(&state->lock);
	pthread_cond_destroy(&state->work);
	pthread_cond_destroy(&state->done);
	free(state);
}

static int
thrpool_stop(struct thrpool_state *state, int nstarted)
{
	pthread_mutex_lock(&state->lock);
	state->stop = 1;
	pthread_cond_broadcast(&state->work);
	pthread_mutex_unlock(&state->lock);
	for (int i = 0; i < nstarted; ++i) {
		pthread_join(state->threads[i], NULL);
	}
	thrpool_free(state);
	return 0;
}

static int
thrpool_init(struct xnvme_queue *queue, int opts)
{
	const char *env = getenv("XNVME_THRPOOL_NTHREADS");
	struct thrpool_state *state;
	int nthreads = THRPOOL_NTHREADS_DEFAULT;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	if (env) {
		char *end;
		long val = strtol(env, &end, 10);

		if (*end || val < 1 || val > THRPOOL_NTHREADS_MAX) {
			return -EINVAL;
		}
		nthreads = (int)val;
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	pthread_mutex_init(&state->lock, NULL);
	pthread_cond_init(&state->work, NULL);
	pthread_cond_init(&state->done, NULL);
	state->sq.ents = calloc(queue->capacity, sizeof(*state->sq.ents));
	state->cq.ents = calloc(queue->capacity, sizeof(*state->cq.ents));
	state->args = calloc(queue->capacity, sizeof(*state->args));
	if (!state->sq.ents || !state->cq.ents || !state->args) {
		thrpool_free(state);
		return -ENOMEM;
	}
	state->mask = queue->capacity - 1;
	state->fd = queue->dev->fd;
	state->queue = queue;
	for (int i = 0; i < nthreads; ++i) {
		int err = pthread_create(&state->threads[i], NULL, thrpool_worker, state);

		if (err) {
			thrpool_stop(state, i);
			return -err;
		}
		state->nthreads++;
	}
	queue->be = state;
	return 0;
}

static int
thrpool_term(struct xnvme_queue *queue)
{
	struct thrpool_state *state = queue->be;

	queue->be = NULL;
	return thrpool_stop(state, state->nthreads);
}

static int
thrpool_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, int dvec_cnt, size_t dvec_nbytes,
	       size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct thrpool_state *state = queue->be;
	struct thrpool_args *a = &state->args[xnvme_queue_ctx_slot(queue, ctx)];
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &a->io);
	if (err) {
		return err;
	}
	if (dvec == &a->iov || dvec_cnt <= 1) {
		a->iov = dvec_cnt ? dvec[0] : (struct iovec){0};
		a->dvec = &a->iov;
	} else {
		a->dvec = dvec;
	}
	a->dvec_cnt = dvec_cnt;

	pthread_mutex_lock(&state->lock);
	state->sq.ents[state->sq.tail++ & state->mask] = ctx;
	pthread_cond_signal(&state->work);
	pthread_mutex_unlock(&state->lock);
	return 0;
}

static int
thrpool_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return thrpool_submit(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

static int
thrpool_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return thrpool_submit(ctx, dvec, (int)dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

/* Reaps up to max; with a timeout, waits that long for the first one. */
static int
thrpool_reap(struct xnvme_queue *queue, uint32_t max, const struct timespec *deadline)
{
	struct thrpool_state *state = queue->be;
	uint32_t reaped = 0;

	max = max ? max : queue->capacity;
	while (reaped < max) {
		struct xnvme_cmd_ctx *ctx;

		pthread_mutex_lock(&state->lock);
		while (deadline && !reaped && state->cq.head == state->cq.tail) {
			if (pthread_cond_timedwait(&state->done, &state->lock, deadline)) {
				break;
			}
		}
		if (state->cq.head == state->cq.tail) {
			pthread_mutex_unlock(&state->lock);
			break;
		}
		ctx = state->cq.ents[state->cq.head++ & state->mask];
		pthread_mutex_unlock(&state->lock);

		xnvme_queue_complete(queue, ctx); /* outside the lock: the callback may submit */
		reaped++;
	}
	return (int)reaped;
}

static int
thrpool_poke(struct xnvme_queue *queue, uint32_t max)
{
	return thrpool_reap(queue, max, NULL);
}

static int
thrpool_wait(struct xnvme_queue *queue)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 1;
	return thrpool_reap(queue, 0, &deadline);
}

const struct xnvme_be_async_ops xnvme_be_common_async_thrpool = {
    .id = "thrpool",
    .descr = "a pool of worker threads per queue (XNVME_THRPOOL_NTHREADS, default 4)",
    .init = thrpool_init,
    .term = thrpool_term,
    .cmd_io = thrpool_cmd_io,
    .cmd_iov = thrpool_cmd_iov,
    .poke = thrpool_poke,
    .wait = thrpool_wait,
};
