/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The admin, sync and async interfaces of backend "pcie": every command goes to the controller
 * as it is (the model executes NVM, ZNS and KV commands); the driver moves it and its data.
 * Async: one queue pair per xnvme_queue, command id = the context's slot, no lock, no
 * allocation and one doorbell per submit, one CQ doorbell per poke that reaped.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "xnvme_be_pcie.h"

#define PAGE_MASK ((uint64_t)PCIE_PAGE - 1)

static inline int
qp_stale(struct pcie_qpair *qp)
{
	return !qp->created ||
	       qp->gen != atomic_load_explicit(&qp->ctrl->gen, memory_order_relaxed);
}

/* A pair after a reset: made again, what it had outstanding failed; the count, or -errno */
static int
qp_refresh(struct pcie_qpair *qp)
{
	int nfailed = 0;
	int err = pcie_ctrl_qp_renew(qp->ctrl->xctrl, qp, &nfailed);

	return err && !nfailed ? err : nfailed;
}

/* The controller is reset for @p qp's sake (CFS, a lost command); the pair's are failed */
static int
qp_recover(struct pcie_qpair *qp)
{
	int nfailed = 0;

	pcie_ctrl_reset(qp->ctrl->xctrl, 0);
	pcie_ctrl_qp_renew(qp->ctrl->xctrl, qp, &nfailed);
	return nfailed;
}

/* The device's sync pair, made at its first command */
static int
sync_pair(struct xnvme_dev *dev, struct pcie_qpair **qp)
{
	struct pcie_dev_state *st = dev->be_state;
	struct pcie_ctrl *ctrl = dev->ctrl->state;
	int err = 0;

	pthread_mutex_lock(&st->lock);
	if (!st->sync_ready) {
		uint16_t qid = pcie_ctrl_qid_get(ctrl);

		err = qid ? pcie_qp_init(&st->sync, ctrl, qid, PCIE_SYNC_DEPTH, 1,
					 pcie_timeout_ns(dev->opts.command_timeout))
			  : -EBUSY;
		err = err ? err : pcie_ctrl_qp_create(dev->ctrl, &st->sync);
		if (err) {
			pcie_qp_destroy(&st->sync);
			pcie_ctrl_qid_put(ctrl, qid);
		}
		st->sync.dev = dev;
		st->sync_ready = !err;
	}
	pthread_mutex_unlock(&st->lock);
	*qp = &st->sync;
	return err;
}

static int
sync_run(struct xnvme_cmd_ctx *ctx, const struct iovec *dvec, size_t dcnt, size_t dnbytes,
	 const struct iovec *mvec, size_t mcnt, size_t mnbytes)
{
	struct pcie_qpair *qp;
	int err = sync_pair(ctx->dev, &qp);

	if (err) {
		return err;
	}
	/* The handle may be shared by threads: one command at a time on its pair */
	pthread_mutex_lock(&qp->lock);
	if (qp_stale(qp)) {
		err = qp_refresh(qp);
	}
	if (err >= 0) {
		err = pcie_qp_exec(qp, ctx, dvec, dcnt, dnbytes, mvec, mcnt, mnbytes, 0);
		if (err == -ETIMEDOUT) {
			qp_recover(qp);
		}
	}
	pthread_mutex_unlock(&qp->lock);
	return err;
}

static int
pcie_sync_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		 size_t mbuf_nbytes)
{
	struct iovec d = {.iov_base = dbuf, .iov_len = dbuf_nbytes};
	struct iovec m = {.iov_base = mbuf, .iov_len = mbuf_nbytes};

	return sync_run(ctx, &d, dbuf ? 1 : 0, dbuf ? dbuf_nbytes : 0, &m, mbuf ? 1 : 0,
			mbuf ? mbuf_nbytes : 0);
}

static int
pcie_sync_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		  size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	return sync_run(ctx, dvec, dvec_cnt, dvec_nbytes, mvec, mvec_cnt, mvec_nbytes);
}

static int
pcie_async_init(struct xnvme_queue *queue, int opts)
{
	struct xnvme_dev *dev = queue->dev;
	struct pcie_ctrl *ctrl = dev->ctrl->state;
	uint32_t depth = queue->capacity + 1; /* a ring of N entries holds N - 1 commands */
	struct pcie_qpair *qp;
	uint16_t qid;
	int err;

	(void)opts; /* polling is all the driver does: IOPOLL and SQPOLL change nothing */
	if (depth > ctrl->mqes || depth > UINT16_MAX) {
		return -EINVAL;
	}
	qp = calloc(1, sizeof(*qp));
	if (!qp) {
		return -ENOMEM;
	}
	qid = pcie_ctrl_qid_get(ctrl);
	if (!qid) {
		free(qp);
		return -EBUSY;
	}
	err = pcie_qp_init(qp, ctrl, qid, (uint16_t)depth, queue->nctxs,
			   pcie_timeout_ns(dev->opts.command_timeout));
	if (!err) {
		qp->queue = queue;
		qp->dev = dev;
		err = pcie_ctrl_qp_create(dev->ctrl, qp);
	}
	if (err) {
		pcie_qp_destroy(qp);
		pcie_ctrl_qid_put(ctrl, qid);
		free(qp);
		return err;
	}
	queue->be = qp;
	return 0;
}

static int
pcie_async_term(struct xnvme_queue *queue)
{
	struct pcie_qpair *qp = queue->be;
	struct pcie_ctrl *ctrl;

	if (!qp) {
		return 0;
	}
	ctrl = qp->ctrl;
	/* The drain gave up on them: a reset takes them from the controller before the rings go */
	if (qp->noutstanding) {
		pcie_ctrl_reset(ctrl->xctrl, 0);
		pcie_qp_fail_all(qp);
	}
	pcie_ctrl_qp_delete(ctrl->xctrl, qp);
	pcie_ctrl_qid_put(ctrl, qp->qid);
	pcie_qp_destroy(qp);
	free(qp);
	queue->be = NULL;
	return 0;
}

/*
 * One piece of data, no metadata, a linear face: the pointer is built here, with no call. PRP:
 * up to two pages; SGL: one data block. Anything else: pcie_xfer_map().
 */
static inline int
async_map_one(struct pcie_qpair *qp, struct pcie_slot *slot, struct xnvme_spec_cmd *sqe, void *dbuf,
	      size_t dbuf_nbytes, void *mbuf, size_t mbuf_nbytes)
{
	struct pcie_hw *hw = qp->hw;
	const struct pcie_xfer_caps *caps = &qp->ctrl->caps;
	struct iovec d, m;

	if (hw->iova_linear && !mbuf && dbuf && dbuf_nbytes && !qp->dev->geo.nbytes_oob) {
		uint64_t iova = (uint64_t)(uintptr_t)dbuf + hw->iova_offset;

		if (caps->sgl) {
			if (!(caps->sgl_dword && ((iova | dbuf_nbytes) & 3)) &&
			    dbuf_nbytes <= UINT32_MAX) {
				sqe->common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS;
				sqe->common.mptr = 0;
				sqe->common.dptr.sgl.addr = iova;
				sqe->common.dptr.sgl.unkeyed.len = (uint32_t)dbuf_nbytes;
				sqe->common.dptr.sgl.unkeyed.rsvd = 0;
				sqe->common.dptr.sgl.unkeyed.subtype = 0;
				sqe->common.dptr.sgl.unkeyed.type =
				    XNVME_SPEC_SGL_DESCR_TYPE_DATA_BLOCK;
				return 0;
			}
		} else if (!(iova & 3)) {
			uint64_t next = (iova | PAGE_MASK) + 1;
			uint64_t end = iova + dbuf_nbytes;

			if (end <= next + PCIE_PAGE) {
				sqe->common.psdt = XNVME_SPEC_PSDT_PRP;
				sqe->common.mptr = 0;
				sqe->common.dptr.prp.prp1 = iova;
				sqe->common.dptr.prp.prp2 = end > next ? next : 0;
				return 0;
			}
		}
	}
	d.iov_base = dbuf;
	d.iov_len = dbuf_nbytes;
	m.iov_base = mbuf;
	m.iov_len = mbuf_nbytes;
	return pcie_xfer_map(qp, slot, sqe, &d, dbuf ? 1 : 0, dbuf ? dbuf_nbytes : 0, &m,
			     mbuf ? 1 : 0, mbuf ? mbuf_nbytes : 0, 0);
}

/* The pair, current: made again after a reset (failing what it had) */
static inline int
async_pair(struct xnvme_queue *queue, struct pcie_qpair **qp)
{
	*qp = queue->be;
	if (__builtin_expect(qp_stale(*qp), 0)) {
		int res = qp_refresh(*qp);

		if (!(*qp)->created) {
			return res < 0 ? res : -ENXIO;
		}
	}
	return 0;
}

/*
 * The pair, the slot and the SQ entry of @p ctx, the entry holding its command: what both
 * submit paths begin with. 0 or -errno.
 */
static inline int
async_prep(struct xnvme_cmd_ctx *ctx, struct pcie_qpair **qp, struct pcie_slot **slot,
	   struct xnvme_spec_cmd **sqe)
{
	int err = async_pair(ctx->async.queue, qp);

	if (err) {
		return err;
	}
	*slot = &(*qp)->slots[xnvme_queue_ctx_slot(ctx->async.queue, ctx)];
	if ((*slot)->ctx) {
		return -EBUSY; /* the context is in flight already */
	}
	*sqe = &(*qp)->sq[(*qp)->sq_tail];
	**sqe = ctx->cmd;
	return 0;
}

static int
pcie_async_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		  size_t mbuf_nbytes)
{
	struct xnvme_spec_cmd *sqe;
	struct pcie_qpair *qp;
	struct pcie_slot *slot;
	int err = async_prep(ctx, &qp, &slot, &sqe);

	err = err ? err : async_map_one(qp, slot, sqe, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
	if (err) {
		return err;
	}
	pcie_qp_post(qp, slot, sqe, ctx);
	return 0;
}

static int
pcie_async_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		   size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	struct xnvme_spec_cmd *sqe;
	struct pcie_qpair *qp;
	struct pcie_slot *slot;
	int err = async_prep(ctx, &qp, &slot, &sqe);

	err = err ? err
		  : pcie_xfer_map(qp, slot, sqe, dvec, dvec_cnt, dvec_nbytes, mvec, mvec_cnt,
				  mvec_nbytes, 0);
	if (err) {
		return err;
	}
	pcie_qp_post(qp, slot, sqe, ctx);
	return 0;
}

static int
pcie_async_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct pcie_qpair *qp = queue->be;
	int n;

	if (__builtin_expect(qp_stale(qp), 0)) {
		n = qp_refresh(qp);
		if (n) {
			return n;
		}
	}
	n = pcie_qp_reap(qp, max);
	/* The clock and CSTS are looked at rarely: a poke is a few loads when nothing is ready */
	if (__builtin_expect(!(++qp->npokes & PCIE_CHECK_MASK), 0) && qp->noutstanding &&
	    pcie_qp_check(qp)) {
		n += qp_recover(qp);
	}
	return n;
}

static int
pcie_async_wait(struct xnvme_queue *queue)
{
	struct pcie_qpair *qp = queue->be;
	uint64_t deadline = 0;
	uint32_t spins = 0;

	for (;;) {
		int n = pcie_async_poke(queue, 0);

		if (n || !qp->noutstanding) {
			return n;
		}
		if (++spins & 63) {
			continue;
		}
		sched_yield(); /* a device thread may share the core */
		if (!deadline) {
			deadline = xnvme_timer_now_ns() + qp->timeout_ns;
		} else if (xnvme_timer_now_ns() > deadline) {
			atomic_fetch_add(&qp->ctrl->ntimeouts, 1);
			return qp_recover(qp);
		}
	}
}

static int
pcie_admin_cmd(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	return xnvme_ctrl_cmd_admin(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
}

const struct xnvme_be_admin_ops pcie_admin_ops = {
    XNVME_BE_OPS_HEAD("nvme", "the admin queue of the user-space NVMe driver (PRPs)"),
    .cmd_admin = pcie_admin_cmd,
};

const struct xnvme_be_sync_ops pcie_sync_ops = {
    XNVME_BE_OPS_HEAD("nvme", "an I/O queue pair of the device's, polled to each completion"),
    .cmd_io = pcie_sync_cmd_io,
    .cmd_iov = pcie_sync_cmd_iov,
};

const struct xnvme_be_async_ops pcie_async_ops = {
    XNVME_BE_OPS_HEAD("nvme", "an I/O queue pair per queue, polled: the user-space NVMe driver"),
    XNVME_BE_ASYNC_FNS(pcie_async),
};
