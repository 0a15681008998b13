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

static int
emu_init(struct xnvme_queue *queue, int opts)
{
	struct xnvme_queue_ring *ring;
	int err;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	ring = malloc(sizeof(*ring));
	if (!ring) {
		return -ENOMEM;
	}
	err = xnvme_queue_ring_init(ring, queue->capacity);
	if (err) {
		free(ring);
		return err;
	}
	queue->be = ring;
	return 0;
}

static int
emu_term(struct xnvme_queue *queue)
{
	xnvme_queue_ring_term(queue->be);
	free(queue->be);
	queue->be = NULL;
	return 0;
}

static inline int
emu_done(struct xnvme_cmd_ctx *ctx, int err)
{
	return xnvme_queue_ring_push(ctx->async.queue->be, ctx, err);
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
	return (int)xnvme_queue_ring_reap(queue, queue->be, max);
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
	return emu_done(ctx, 0);
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
	return emu_done(ctx, 0);
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
