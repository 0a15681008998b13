// SPDX-License-Identifier: BSD-3-Clause
/*
 * The admin, sync and async interfaces of backend "tcp": admin commands on the controller's admin
 * connection (xnvme_ctrl_cmd_admin), sync ones on the device's own I/O connection (made at its
 * first command, one command at a time under a mutex), and one I/O connection per xnvme_queue
 * (command id: the context's slot). NVMe/TCP has no separate metadata: commands with a metadata
 * buffer are refused (-ENOTSUP); formats with metadata work as extended LBAs.
 */
#include <errno.h>
#include <stdlib.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "xnvme_be_tcp.h"

static int
tcp_admin_cmd(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	      size_t mbuf_nbytes)
{
	return xnvme_ctrl_cmd_admin(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
}

/*
 * One command on the device's sync connection, made at its first command. The handle may be
 * shared by threads: one command at a time on the connection, under the device's mutex, which
 * also guards the connection's making
 */
static int
sync_run(struct xnvme_cmd_ctx *ctx, const struct iovec *dvec, size_t dcnt, size_t dnbytes,
	 size_t mnbytes)
{
	struct xnvme_dev *dev = ctx->dev;
	struct tcp_dev_state *st = dev->be_state;
	int err = 0;

	if (mnbytes) {
		return -ENOTSUP;
	}
	pthread_mutex_lock(&st->lock);
	if (!st->sync_ready) {
		err = tcp_ctrl_io_open(dev->ctrl->state, &st->sync, TCP_SYNC_DEPTH,
				       dev->opts.command_timeout);
		st->sync_ready = !err;
	}
	err = err ? err : tcp_conn_exec(&st->sync, ctx, dvec, dcnt, dnbytes);
	pthread_mutex_unlock(&st->lock);
	return err;
}

static int
tcp_sync_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		size_t mbuf_nbytes)
{
	struct iovec d = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return sync_run(ctx, &d, dbuf ? 1 : 0, dbuf ? dbuf_nbytes : 0, mbuf ? mbuf_nbytes : 0);
}

static int
tcp_sync_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		 struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return sync_run(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

static int
tcp_async_init(struct xnvme_queue *queue, int opts)
{
	struct xnvme_dev *dev = queue->dev;
	struct tcp_conn *c;
	int err;

	(void)opts;
	c = calloc(1, sizeof(*c));
	if (!c) {
		return -ENOMEM;
	}
	/* Room for every context: the queue never holds more than its capacity in flight */
	err = tcp_ctrl_io_open(dev->ctrl->state, c, queue->nctxs + 1, dev->opts.command_timeout);
	if (err) {
		free(c);
		return err;
	}
	queue->be = c;
	return 0;
}

static int
tcp_async_term(struct xnvme_queue *queue)
{
	struct tcp_conn *c = queue->be;

	if (!c) {
		return 0;
	}
	/* The drain gave up on them: the connection goes, and with it what they could touch */
	if (c->noutstanding) {
		tcp_conn_fail(c, -ETIMEDOUT);
	}
	tcp_ctrl_io_close(queue->dev->ctrl->state, c);
	free(c);
	queue->be = NULL;
	return 0;
}

/*
 * A command on a queue whose connection died completes, on the next poke, with the same path
 * error as those that were in flight: an async submitter sees errors as completions (fio's
 * engine aborts on a refused submit)
 */
static int
async_submit(struct xnvme_cmd_ctx *ctx, const struct iovec *dvec, size_t dcnt, size_t dnbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct tcp_conn *c = queue->be;

	if (c->err) {
		tcp_cpl_path_error(ctx, 0, c->qid);
		return xnvme_queue_done(queue, ctx, -EIO);
	}
	return tcp_conn_submit(c, xnvme_queue_ctx_slot(queue, ctx), ctx, dvec, dcnt, dnbytes);
}

static int
tcp_async_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		 size_t mbuf_nbytes)
{
	struct iovec d = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	(void)mbuf_nbytes;
	if (mbuf) {
		return -ENOTSUP;
	}
	return async_submit(ctx, &d, dbuf ? 1 : 0, dbuf ? dbuf_nbytes : 0);
}

static int
tcp_async_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		  size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{

	(void)mvec;
	if (mvec_cnt && mvec_nbytes) {
		return -ENOTSUP;
	}
	return async_submit(ctx, dvec, dvec_cnt, dvec_nbytes);
}

static int
tcp_async_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct tcp_conn *c = queue->be;
	struct xnvme_cmd_ctx *done[64];
	int n, total = 0;

	if (__builtin_expect(!(++c->npokes & TCP_CHECK_MASK), 0)) {
		if (c->noutstanding && tcp_conn_timed_out(c)) {
			tcp_conn_fail(c, -ETIMEDOUT);
		}
		xnvme_ctrl_poll(queue->dev->ctrl);
	}
	do {
		uint32_t want = max ? max - (uint32_t)total : 64;

		n = tcp_conn_process(c, done, want < 64 ? want : 64);
		for (int i = 0; i < n; ++i) {
			xnvme_queue_complete(queue, done[i]);
		}
		total += n;
	} while (n == 64 && (!max || (uint32_t)total < max));
	/*
	 * Knowing whether anything came costs a system call here (an io_uring CQ is a load): a
	 * caller spinning on poke (fio's engine) would spend one per empty look. After
	 * TCP_SPIN_POKES empty ones in a row, a poke waits for the socket a little instead.
	 */
	if (total || !c->noutstanding) {
		c->empty_pokes = 0;
	} else if (++c->empty_pokes >= TCP_SPIN_POKES) {
		c->empty_pokes = 0;
		tcp_conn_wait_us(c, TCP_SPIN_WAIT_US);
	}
	return total;
}

static int
tcp_async_wait(struct xnvme_queue *queue)
{
	struct tcp_conn *c = queue->be;

	for (;;) {
		int n = tcp_async_poke(queue, 0);

		if (n || !c->noutstanding) {
			return n;
		}
		if (tcp_conn_timed_out(c)) {
			tcp_conn_fail(c, -ETIMEDOUT);
			continue;
		}
		tcp_conn_wait(c, 100);
	}
}

const struct xnvme_be_admin_ops tcp_admin_ops = {
    XNVME_BE_OPS_HEAD("nvme", "the admin queue of the NVMe/TCP association"),
    .cmd_admin = tcp_admin_cmd,
};

const struct xnvme_be_sync_ops tcp_sync_ops = {
    XNVME_BE_OPS_HEAD("nvme", "an NVMe/TCP I/O queue of the device's, one command at a time"),
    .cmd_io = tcp_sync_cmd_io,
    .cmd_iov = tcp_sync_cmd_iov,
};

const struct xnvme_be_async_ops tcp_async_ops = {
    XNVME_BE_OPS_HEAD("nvme", "an NVMe/TCP I/O queue (a TCP connection) per queue"),
    XNVME_BE_ASYNC_FNS(tcp_async),
};
