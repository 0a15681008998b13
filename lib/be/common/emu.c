/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interfaces "emu" and "nil". emu runs each command through the device's sync interface at
 * submit and delivers its completion on the next poke; nil completes commands without doing
 * anything, to measure the library's own cost per command.
 */
#include <errno.h>
#include <stdlib.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "xnvme_be_common.h"

/* Completed contexts waiting for poke, in submission order. Never more than the capacity. */
struct emu_ring {
	uint32_t head;
	uint32_t tail;
	uint32_t mask;
	struct xnvme_cmd_ctx *ents[];
};

static int
emu_init(struct xnvme_queue *queue, int opts)
{
	struct emu_ring *ring;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	ring = calloc(1, sizeof(*ring) + queue->capacity * sizeof(ring->ents[0]));
	if (!ring) {
		return -ENOMEM;
	}
	ring->mask = queue->capacity - 1;
	queue->be = ring;
	return 0;
}

static int
emu_term(struct xnvme_queue *queue)
{
	free(queue->be);
	queue->be = NULL;
	return 0;
}

static inline void
emu_push(struct xnvme_cmd_ctx *ctx)
{
	struct emu_ring *ring = ctx->async.queue->be;

	ring->ents[ring->tail++ & ring->mask] = ctx;
}

/* A command the device completed with an error status still completes: only refusals fail. */
static inline int
emu_done(struct xnvme_cmd_ctx *ctx, int err)
{
	if (err && !(err == -EIO && xnvme_cmd_ctx_cpl_status(ctx))) {
		return err;
	}
	emu_push(ctx);
	return 0;
}

static int
emu_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	   size_t mbuf_nbytes)
{
	return emu_done(ctx, ctx->dev->sync->cmd_io(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes));
}

static int
emu_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	    struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	return emu_done(ctx, ctx->dev->sync->cmd_iov(ctx, dvec, dvec_cnt, dvec_nbytes, mvec,
						     mvec_cnt, mvec_nbytes));
}

static int
emu_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct emu_ring *ring = queue->be;
	uint32_t avail = ring->tail - ring->head;
	uint32_t n = max && max < avail ? max : avail;

	/* Callbacks may submit again; they only append at tail, past what is reaped here. */
	for (uint32_t i = 0; i < n; ++i) {
		xnvme_queue_complete(queue, ring->ents[ring->head++ & ring->mask]);
	}
	return (int)n;
}

const struct xnvme_be_async_ops xnvme_be_common_async_emu = {
    .id = "emu",
    .descr = "the sync interface run at submit, completions delivered on poke",
    .init = emu_init,
    .term = emu_term,
    .cmd_io = emu_cmd_io,
    .cmd_iov = emu_cmd_iov,
    .poke = emu_poke,
};

static int
nil_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	   size_t mbuf_nbytes)
{
	(void)dbuf;
	(void)dbuf_nbytes;
	(void)mbuf;
	(void)mbuf_nbytes;
	emu_push(ctx);
	return 0;
}

static int
nil_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	    struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)dvec;
	(void)dvec_cnt;
	(void)dvec_nbytes;
	(void)mvec;
	(void)mvec_cnt;
	(void)mvec_nbytes;
	emu_push(ctx);
	return 0;
}

const struct xnvme_be_async_ops xnvme_be_common_async_nil = {
    .id = "nil",
    .descr = "completes every command at once without moving data (overhead measurement)",
    .init = emu_init,
    .term = emu_term,
    .cmd_io = nil_cmd_io,
    .cmd_iov = nil_cmd_iov,
    .poke = emu_poke,
};
