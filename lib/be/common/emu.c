/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interfaces "emu" and "nil". emu runs each command through the device's sync interface at
 * submit and files its completion in the queue's done ring, delivered on the next poke; nil
 * completes commands without doing anything, to measure the library's own cost per command.
 * Neither has state of its own: the queue's done ring and completion fd are all they use. Their
 * commands are filed without a look at the completion fd (nil's whole cost is a few instructions
 * per command); once the queue has one, its commands go through emu_cfd instead, which signals
 * the fd for each.
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
	return xnvme_queue_file(ctx->async.queue, ctx,
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

/* emu_cfd's: the device's own table (emu's or nil's) files the command, then the fd is signalled */
static int
emu_cfd_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	int err = ctx->dev->async->cmd_io(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);

	if (!err) {
		xnvme_queue_signal(ctx->async.queue);
	}
	return err;
}

static int
emu_cfd_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	int err =
	    ctx->dev->async->cmd_iov(ctx, dvec, dvec_cnt, dvec_nbytes, mvec, mvec_cnt, mvec_nbytes);

	if (!err) {
		xnvme_queue_signal(ctx->async.queue);
	}
	return err;
}

/* The table of an emu or nil queue with a completion fd (emu_cfd_attach) */
static const struct xnvme_be_async_ops emu_cfd = {
    XNVME_BE_OPS_HEAD("emu", "emu or nil with a completion fd"),
    .cmd_io = emu_cfd_cmd_io,
    .cmd_iov = emu_cfd_cmd_iov,
};

static int
emu_cfd_attach(struct xnvme_queue *queue, int fd)
{
	queue->cfd = fd;
	queue->ops = &emu_cfd;
	return 0;
}

const struct xnvme_be_async_ops xnvme_be_common_async_emu = {
    XNVME_BE_OPS_HEAD("emu", "the sync interface run at submit, completions delivered on poke"),
    .init = emu_init,
    .cmd_io = emu_cmd_io,
    .cmd_iov = emu_cmd_iov,
    .cfd_attach = emu_cfd_attach,
};

static int
nil_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	   size_t mbuf_nbytes)
{
	(void)dbuf;
	(void)dbuf_nbytes;
	(void)mbuf;
	(void)mbuf_nbytes;
	return xnvme_queue_file(ctx->async.queue, ctx, 0);
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
	return xnvme_queue_file(ctx->async.queue, ctx, 0);
}

const struct xnvme_be_async_ops xnvme_be_common_async_nil = {
    XNVME_BE_OPS_HEAD("nil",
		      "completes every command at once without moving data (overhead measurement)"),
    .init = emu_init,
    .cmd_io = nil_cmd_io,
    .cmd_iov = nil_cmd_iov,
    .cfd_attach = emu_cfd_attach,
};
