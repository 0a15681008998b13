/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"

/* Contexts of a queue are handed out from one allocation, aligned so each sits in two lines. */
#define XNVME_QUEUE_CTX_ALIGN 64

/* How long waits last before giving up: the command timeout, 30 s when the options say 0. */
#define XNVME_QUEUE_WAIT_NS(q)                                                                     \
	((uint64_t)((q)->dev->opts.command_timeout ? (q)->dev->opts.command_timeout : 30) *        \
	 1000000000ULL)

static void
queue_default_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	(void)cb_arg;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

static void
queue_free(struct xnvme_queue *q)
{
	if (q->cfd >= 0) {
		close(q->cfd);
	}
	xnvme_queue_ring_term(&q->done);
	free(q->free);
	xnvme_compat_memalign_free(q->ctxs);
	free(q);
}

int
xnvme_be_async_init_nosys(struct xnvme_queue *queue, int opts)
{
	(void)queue;
	(void)opts;
	return -ENOSYS;
}

int
xnvme_queue_init(struct xnvme_dev *dev, uint16_t capacity, int opts, struct xnvme_queue **queue)
{
	struct xnvme_queue *q;
	int err;

	if (!dev || !queue) {
		return -EINVAL;
	}
	*queue = NULL;
	if (!xnvme_is_pow2(capacity) || capacity > XNVME_QUEUE_CAPACITY_MAX) {
		return -EINVAL;
	}
	if (opts & ~(XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL;
	}
	q = calloc(1, sizeof(*q));
	if (!q) {
		return -ENOMEM;
	}
	q->cfd = -1; /* before any failure: queue_free() closes it otherwise */
	q->nctxs = capacity + 1;
	q->free = calloc(q->nctxs, sizeof(*q->free));
	if (xnvme_compat_memalign((void **)&q->ctxs, XNVME_QUEUE_CTX_ALIGN,
				  q->nctxs * sizeof(*q->ctxs))) {
		q->ctxs = NULL;
	}
	if (!q->free || !q->ctxs) {
		queue_free(q);
		return -ENOMEM;
	}
	memset(q->ctxs, 0, q->nctxs * sizeof(*q->ctxs));
	if (xnvme_queue_ring_init(&q->done, capacity)) {
		queue_free(q);
		return -ENOMEM;
	}
	q->dev = dev;
	q->ops = dev->async;
	q->capacity = capacity;
	q->opts = (uint32_t)opts;
	q->cb = queue_default_cb;
	if (dev->opts.poll_io) {
		q->opts |= XNVME_QUEUE_IOPOLL;
	}
	if (dev->opts.poll_sq) {
		q->opts |= XNVME_QUEUE_SQPOLL;
	}
	for (uint32_t i = 0; i < q->nctxs; ++i) {
		struct xnvme_cmd_ctx *ctx = &q->ctxs[i];

		ctx->dev = dev;
		ctx->opts = XNVME_CMD_ASYNC;
		ctx->async.queue = q;
		ctx->async.cb = q->cb;
		/* Hand out slot 0 first: the low slots stay warm in the cache at low depths. */
		q->free[q->nctxs - 1 - i] = ctx;
	}
	q->nfree = q->nctxs;

	err = q->ops->init(q, (int)q->opts);
	if (err) {
		queue_free(q);
		return err;
	}
	pthread_mutex_lock(&dev->queues_lock);
	q->next = dev->queues;
	dev->queues = q;
	dev->nqueues++;
	pthread_mutex_unlock(&dev->queues_lock);
	*queue = q;
	return 0;
}

/*
 * The interface could not take back commands stuck on the device (its term returned -EBUSY): the
 * OS or a worker thread may still complete them, writing their contexts (ctx->cpl), signalling
 * the completion fd and reading the queue and the device handle. Freeing any of that would let a
 * late completion write into memory reused by then, and closing the fd would let it signal an
 * unrelated file opened under the same number. So they are leaked on purpose, for the life of
 * the process: the queue, its contexts, its completion fd; the device handle is kept by close
 * (dev->nparked). Only what the queue's own thread alone uses is freed.
 */
static void
queue_park(struct xnvme_queue *q)
{
	xnvme_queue_ring_term(&q->done);
	free(q->free);
	q->free = NULL;
	q->nfree = 0;
	q->be = NULL;
}

int
xnvme_queue_term(struct xnvme_queue *queue)
{
	struct xnvme_queue **link;
	int err = 0, held = 0;

	if (!queue) {
		return 0;
	}
	if (queue->outstanding) {
		int res = xnvme_queue_drain(queue);

		err = res < 0 ? res : 0;
	}
	/*
	 * Unlisted before its interface ends it, the mirror of init: the lock then orders this
	 * thread's last use of the queue's memory before another thread's first use of a queue
	 * the kernel maps at the same address (liburing maps and unmaps rings with raw system
	 * calls, which ThreadSanitizer does not see).
	 */
	pthread_mutex_lock(&queue->dev->queues_lock);
	for (link = &queue->dev->queues; *link; link = &(*link)->next) {
		if (*link == queue) {
			*link = queue->next;
			queue->dev->nqueues--;
			break;
		}
	}
	pthread_mutex_unlock(&queue->dev->queues_lock);
	if (queue->ops->term) {
		held = queue->ops->term(queue) == -EBUSY;
	}
	if (held) {
		pthread_mutex_lock(&queue->dev->queues_lock);
		queue->dev->nparked++;
		pthread_mutex_unlock(&queue->dev->queues_lock);
		/* err is the drain's -ETIMEDOUT; 0 when only posix's notifications lagged */
		queue_park(queue);
		return err;
	}
	queue_free(queue);
	return err;
}

int
xnvme_queue_set_cb(struct xnvme_queue *queue, xnvme_queue_cb cb, void *cb_arg)
{
	if (!queue || !cb) {
		return -EINVAL;
	}
	queue->cb = cb;
	queue->cb_arg = cb_arg;
	for (uint32_t i = 0; i < queue->nctxs; ++i) {
		queue->ctxs[i].async.cb = cb;
		queue->ctxs[i].async.cb_arg = cb_arg;
	}
	return 0;
}

struct xnvme_cmd_ctx *
xnvme_queue_get_cmd_ctx(struct xnvme_queue *queue)
{
	struct xnvme_cmd_ctx *ctx;

	if (!queue->nfree) {
		errno = ENOMEM; /* as 0.7.5: every context is taken */
		return NULL;
	}
	ctx = queue->free[--queue->nfree];
	memset(&ctx->cmd, 0, sizeof(ctx->cmd) + sizeof(ctx->cpl));
	ctx->async.cb = queue->cb;
	ctx->async.cb_arg = queue->cb_arg;
	return ctx;
}

int
xnvme_queue_put_cmd_ctx(struct xnvme_queue *queue, struct xnvme_cmd_ctx *ctx)
{
	/* One unsigned compare: NULL and foreign contexts fall outside the queue's array */
	if (!queue || (uintptr_t)ctx - (uintptr_t)queue->ctxs >= queue->nctxs * sizeof(*ctx) ||
	    queue->nfree >= queue->nctxs) {
		return -EINVAL;
	}
	queue->free[queue->nfree++] = ctx;
	return 0;
}

uint32_t
xnvme_queue_get_capacity(struct xnvme_queue *queue)
{
	return queue->capacity;
}

uint32_t
xnvme_queue_get_outstanding(struct xnvme_queue *queue)
{
	return queue->outstanding;
}

/*
 * Delivers up to @p max (0: all) completions: the done ring's, then the interface's. Never more
 * than were outstanding on entry: a callback may submit a command that completes at once. The
 * completion fd is readable afterwards when the done ring still holds some (the interface signals
 * for its own).
 */
static int
queue_reap(struct xnvme_queue *queue, uint32_t max)
{
	uint32_t limit = max && max < queue->outstanding ? max : queue->outstanding;
	uint32_t n = xnvme_queue_ring_reap(queue, &queue->done, limit);
	int res = 0;

	if (queue->ops->poke && n < limit) {
		res = queue->ops->poke(queue, limit - n);
		if (res < 0 && !n) {
			return res;
		}
		res = res < 0 ? 0 : res;
	}
	if (queue->cfd >= 0 && queue->done.tail != queue->done.head) {
		xnvme_queue_cfd_signal(queue->cfd);
	}
	return (int)n + res;
}

/* xnvme_queue_poke() with a completion fd, completions filed at submit, or no interface poke */
static __attribute__((noinline)) int
queue_poke_slow(struct xnvme_queue *queue, uint32_t max)
{
	/* Cleared before looking: a completion after this signals again */
	if (queue->cfd >= 0) {
		xnvme_queue_cfd_clear(queue->cfd);
	}
	if (!queue->outstanding) {
		return 0;
	}
	return queue_reap(queue, max);
}

/*
 * fio's xnvme engine pokes once per I/O, often finding nothing: the common case (no completion
 * fd, nothing filed at submit) is a tail call into the interface's poke, no frame of its own.
 */
int
xnvme_queue_poke(struct xnvme_queue *queue, uint32_t max)
{
	uint32_t outstanding = queue->outstanding;

	if (__builtin_expect(
		queue->cfd >= 0 || queue->done.tail != queue->done.head || !queue->ops->poke, 0)) {
		return queue_poke_slow(queue, max);
	}
	if (!outstanding) {
		return 0;
	}
	return queue->ops->poke(queue, max && max < outstanding ? max : outstanding);
}

int
xnvme_queue_wait(struct xnvme_queue *queue)
{
	uint64_t deadline;
	int res;

	if (queue->cfd >= 0) {
		xnvme_queue_cfd_clear(queue->cfd);
	}
	if (!queue->outstanding) {
		return 0;
	}
	if (queue->done.tail != queue->done.head) {
		return queue_reap(queue, 0); /* ready: no reason to sleep */
	}
	if (queue->ops->wait) {
		return queue->ops->wait(queue);
	}
	/* Every wait is bounded: a device that never completes must not hang the caller. */
	deadline = xnvme_timer_now_ns() + XNVME_QUEUE_WAIT_NS(queue);
	while (!(res = queue_reap(queue, 0))) {
		if (xnvme_timer_now_ns() > deadline) {
			return -ETIMEDOUT;
		}
		sched_yield();
	}
	return res;
}

int
xnvme_queue_drain(struct xnvme_queue *queue)
{
	uint64_t deadline = xnvme_timer_now_ns() + XNVME_QUEUE_WAIT_NS(queue);
	int reaped = 0;

	while (queue->outstanding) {
		int res = xnvme_queue_wait(queue);

		if (res < 0) {
			return res;
		}
		reaped += res;
		if (!res && xnvme_timer_now_ns() > deadline) {
			return -ETIMEDOUT;
		}
	}
	return reaped;
}

int
xnvme_queue_get_completion_fd(struct xnvme_queue *queue)
{
	int fd, err;

	if (queue->cfd >= 0) {
		return queue->cfd;
	}
	fd = xnvme_queue_cfd_open();
	if (fd < 0) {
		return fd;
	}
	if (queue->ops->cfd_attach) {
		err = queue->ops->cfd_attach(queue, fd);
		if (err) {
			queue->cfd = -1;
			close(fd);
			return err;
		}
	} else {
		queue->cfd = fd;
	}
	if (queue->done.tail != queue->done.head) {
		xnvme_queue_cfd_signal(fd); /* completions filed before the fd existed */
	}
	return fd;
}

int
xnvme_queue_ring_init(struct xnvme_queue_ring *ring, uint32_t capacity)
{
	memset(ring, 0, sizeof(*ring));
	ring->ents = calloc(capacity, sizeof(*ring->ents));
	if (!ring->ents) {
		return -ENOMEM;
	}
	ring->mask = capacity - 1;
	return 0;
}

void
xnvme_queue_ring_term(struct xnvme_queue_ring *ring)
{
	free(ring->ents);
	ring->ents = NULL;
}

uint32_t
xnvme_queue_ring_deliver(struct xnvme_queue *queue, struct xnvme_queue_ring *ring, uint32_t max)
{
	struct xnvme_cmd_ctx **ents = ring->ents; /* fixed for the ring's life: kept in registers */
	uint32_t mask = ring->mask;
	uint32_t avail = ring->tail - ring->head;
	uint32_t n = max && max < avail ? max : avail;
	uint32_t end = ring->head + n;

	/* Callbacks may submit again; they only append at tail, past what is reaped here */
	while (ring->head != end) {
		xnvme_queue_complete(queue, ents[ring->head++ & mask]);
	}
	return n;
}
