/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interfaces "emu" and "nil". emu runs each command through the device's sync interface at
 * submit and files its completion in the queue's done ring, delivered on the next poke; nil
 * completes commands without doing anything, to measure the library's own cost per command.
 * Neither has state of its own: the queue's done ring and completion fd are all they use.
 */
#include <errno.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "xnvme_be_common.h"

static int
emu_init(struct xnvme_queue *queue, int opts)
{
	(void)queue;
	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	return 0;
}

static int
emu_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	   size_t mbuf_nbytes)
{
	return xnvme_queue_done(ctx->async.queue, ctx,
				ctx->dev->sync->cmd_io(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes));
}

static int
emu_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	    struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	return xnvme_queue_done(
	    ctx->async.queue, ctx,
	    ctx->dev->sync->cmd_iov(ctx, dvec, dvec_cnt, dvec_nbytes, mvec, mvec_cnt, mvec_nbytes));
}

const struct xnvme_be_async_ops xnvme_be_common_async_emu = {
    XNVME_BE_OPS_HEAD("emu", "the sync interface run at submit, completions delivered on poke"),
    .init = emu_init,
    .cmd_io = emu_cmd_io,
    .cmd_iov = emu_cmd_iov,
};

static int
nil_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	   size_t mbuf_nbytes)
{
	(void)dbuf;
	(void)dbuf_nbytes;
	(void)mbuf;
	(void)mbuf_nbytes;
	return xnvme_queue_done(ctx->async.queue, ctx, 0);
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
	return xnvme_queue_done(ctx->async.queue, ctx, 0);
}

const struct xnvme_be_async_ops xnvme_be_common_async_nil = {
    XNVME_BE_OPS_HEAD("nil",
		      "completes every command at once without moving data (overhead measurement)"),
    .init = emu_init,
    .cmd_io = nil_cmd_io,
    .cmd_iov = nil_cmd_iov,
};
