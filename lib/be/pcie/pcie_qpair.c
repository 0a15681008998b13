/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Queue pairs: a submission and a completion ring in the face's DMA memory, command ids that are
 * slots, phase-tag reaping (NVMe 2.0 4.6: a new entry carries the phase the ring is on; the
 * phase flips at each wrap) and the slow checks that find a dead controller or a lost command.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_queue.h"
#include "xnvme_be_pcie.h"

/* Completions handed to callbacks after the CQ head doorbell, at most this many per batch */
#define REAP_BATCH 64

uint64_t
pcie_timeout_ns(uint32_t seconds)
{
	return (uint64_t)(seconds ? seconds : 30) * 1000000000ULL;
}

int
pcie_qp_init(struct pcie_qpair *qp, struct pcie_ctrl *ctrl, uint16_t qid, uint16_t depth,
	     uint32_t nslots, uint64_t timeout_ns)
{
	struct pcie_hw *hw = ctrl->hw;

	memset(qp, 0, sizeof(*qp));
	pthread_mutex_init(&qp->lock, NULL);
	qp->ctrl = ctrl;
	qp->hw = hw;
	qp->qid = qid;
	qp->depth = depth;
	qp->nslots = nslots;
	qp->phase = 1;
	qp->timeout_ns = timeout_ns;
	qp->list_nbytes = ctrl->caps.list_nbytes;
	qp->gen = atomic_load(&ctrl->gen);
	qp->sq = hw->ops->dma_alloc(hw, (size_t)depth * sizeof(*qp->sq), PCIE_PAGE, &qp->sq_iova);
	qp->cq = hw->ops->dma_alloc(hw, (size_t)depth * sizeof(*qp->cq), PCIE_PAGE, &qp->cq_iova);
	qp->lists =
	    hw->ops->dma_alloc(hw, (size_t)nslots * qp->list_nbytes, PCIE_PAGE, &qp->lists_iova);
	qp->slots = calloc(nslots, sizeof(*qp->slots));
	if (!qp->sq || !qp->cq || !qp->lists || !qp->slots) {
		pcie_qp_destroy(qp);
		return -ENOMEM;
	}
	qp->cid_use = 1;
	while (qp->cid_use && qp->cid_use < nslots) {
		qp->cid_use = (uint16_t)(qp->cid_use << 1);
	}
	for (uint32_t i = 0; i < nslots; ++i) {
		qp->slots[i].cid = (uint16_t)i;
		qp->slots[i].list = qp->lists + (size_t)i * qp->list_nbytes;
		qp->slots[i].list_iova = qp->lists_iova + (uint64_t)i * qp->list_nbytes;
	}
	return 0;
}

void
pcie_qp_destroy(struct pcie_qpair *qp)
{
	struct pcie_hw *hw = qp->hw;

	if (!hw) {
		return;
	}
	for (uint32_t i = 0; qp->slots && i < qp->nslots; ++i) {
		pcie_xfer_slot_free(hw, &qp->slots[i]);
	}
	free(qp->slots);
	if (qp->lists) {
		hw->ops->dma_free(hw, qp->lists, (size_t)qp->nslots * qp->list_nbytes);
	}
	if (qp->sq) {
		hw->ops->dma_free(hw, qp->sq, (size_t)qp->depth * sizeof(*qp->sq));
	}
	if (qp->cq) {
		hw->ops->dma_free(hw, qp->cq, (size_t)qp->depth * sizeof(*qp->cq));
	}
	pthread_mutex_destroy(&qp->lock);
	memset(qp, 0, sizeof(*qp));
}

void
pcie_qp_rewind(struct pcie_qpair *qp)
{
	memset(qp->sq, 0, (size_t)qp->depth * sizeof(*qp->sq));
	memset(qp->cq, 0, (size_t)qp->depth * sizeof(*qp->cq));
	qp->sq_tail = 0;
	qp->cq_head = 0;
	qp->phase = 1;
	qp->npokes = 0;
}

/* The slot of command id @p cid of this pair if outstanding, or NULL (counted as a stray) */
static inline struct pcie_slot *
qp_slot_of(struct pcie_qpair *qp, const struct xnvme_spec_cpl *cpl, uint16_t cid)
{
	uint32_t idx = cid & (uint16_t)(qp->cid_use - 1);
	struct pcie_slot *slot;

	if (idx < qp->nslots && cpl->sqid == qp->qid) {
		slot = &qp->slots[idx];
		if (slot->ctx && slot->cid == cid) {
			return slot;
		}
	}
	qp->nstray++;
	atomic_fetch_add_explicit(&qp->ctrl->nstray, 1, memory_order_relaxed);
	return NULL;
}

/*
 * Dword 3 of a completion entry (command id, status with the phase tag), read as the face
 * writes it: one 32-bit word, last, with release order; the other dwords are read after it
 */
static inline uint32_t
qp_cpl_dw3(const struct xnvme_spec_cpl *cpl)
{
	return __atomic_load_n((const uint32_t *)(const void *)&cpl->cid, __ATOMIC_ACQUIRE);
}

int
pcie_qp_reap(struct pcie_qpair *qp, uint32_t max)
{
	struct xnvme_cmd_ctx *done[REAP_BATCH];
	int total = 0;

	for (;;) {
		uint32_t n = 0, consumed = 0;

		while (n < REAP_BATCH && (!max || total + n < max)) {
			struct xnvme_spec_cpl *cpl = &qp->cq[qp->cq_head];
			uint32_t dw3 = qp_cpl_dw3(cpl);
			uint16_t status = (uint16_t)(dw3 >> 16);
			struct pcie_slot *slot;
			struct xnvme_cmd_ctx *ctx;

			if ((status & 1) != qp->phase) {
				break;
			}
			consumed++;
			if (++qp->cq_head == qp->depth) {
				qp->cq_head = 0;
				qp->phase ^= 1;
			}
			slot = qp_slot_of(qp, cpl, (uint16_t)dw3);
			if (!slot) {
				continue;
			}
			ctx = slot->ctx;
			ctx->cpl = *cpl;
			ctx->cpl.status.val = status & (uint16_t)~1u;
			slot->ctx = NULL;
			qp->noutstanding--;
			if (slot->data.vec || slot->md.vec) {
				pcie_xfer_unbounce(slot);
			}
			done[n++] = ctx;
		}
		if (!consumed) {
			return total;
		}
		/* The entries are free before callbacks submit more: the CQ cannot overflow */
		qp->hw->ops->doorbell(qp->hw, qp->qid, 1, qp->cq_head);
		for (uint32_t i = 0; qp->queue && i < n; ++i) {
			xnvme_queue_complete(qp->queue, done[i]);
		}
		total += (int)n;
		if (n < REAP_BATCH || (max && (uint32_t)total >= max)) {
			return total;
		}
	}
}

int
pcie_qp_check(struct pcie_qpair *qp)
{
	struct pcie_hw *hw = qp->hw;
	uint32_t csts = hw->ops->reg_read32(hw, PCIE_REG_CSTS);
	uint64_t now;

	qp->npokes = 0;
	/* All ones: the device is gone from the bus */
	if ((csts & PCIE_CSTS_CFS) || csts == UINT32_MAX) {
		return 1;
	}
	now = xnvme_timer_now_ns();
	if (!qp->epoch_ns) {
		qp->epoch_ns = now;
	}
	/*
	 * Epochs of half the timeout: a command stamped three epochs ago is between one and one
	 * and a half timeouts old. So submit stamps a counter, never reads the clock.
	 */
	if (now - qp->epoch_ns >= qp->timeout_ns / 2) {
		qp->epoch++;
		qp->epoch_ns = now;
	}
	for (uint32_t i = 0; qp->noutstanding && i < qp->nslots; ++i) {
		if (qp->slots[i].ctx && qp->epoch - qp->slots[i].epoch >= 3) {
			atomic_fetch_add_explicit(&qp->ctrl->ntimeouts, 1, memory_order_relaxed);
			return 1;
		}
	}
	return 0;
}

/* Sets the status a reset gives the commands it takes away */
static void
qp_abort_status(struct xnvme_cmd_ctx *ctx, uint16_t cid, uint16_t qid)
{
	memset(&ctx->cpl, 0, sizeof(ctx->cpl));
	ctx->cpl.cid = cid;
	ctx->cpl.sqid = qid;
	ctx->cpl.status.sct = XNVME_STATUS_CODE_TYPE_GENERIC;
	ctx->cpl.status.sc = PCIE_SC_ABORTED_SQ_DELETION;
}

int
pcie_qp_fail_all(struct pcie_qpair *qp)
{
	int n = 0;

	/* Taken off the slots first: a callback may submit into a slot being walked */
	for (uint32_t i = 0; i < qp->nslots; ++i) {
		struct pcie_slot *slot = &qp->slots[i];

		if (!slot->ctx) {
			continue;
		}
		qp_abort_status(slot->ctx, (uint16_t)i, qp->qid);
		slot->failed = slot->ctx;
		slot->ctx = NULL;
		/* The device may have written half: the caller's buffers are not touched */
		pcie_xfer_forget(slot);
	}
	qp->noutstanding = 0;
	for (uint32_t i = 0; i < qp->nslots; ++i) {
		struct xnvme_cmd_ctx *ctx = qp->slots[i].failed;

		if (!ctx) {
			continue;
		}
		qp->slots[i].failed = NULL;
		n++;
		if (qp->queue) {
			xnvme_queue_complete(qp->queue, ctx);
		}
	}
	return n;
}

/* A free slot of a pair used one command at a time; -EBUSY when none (never, by its users) */
static int
qp_free_slot(struct pcie_qpair *qp)
{
	for (uint32_t i = 0; i < qp->nslots; ++i) {
		if (!qp->slots[i].ctx) {
			return (int)i;
		}
	}
	return -EBUSY;
}

int
pcie_qp_exec(struct pcie_qpair *qp, struct xnvme_cmd_ctx *ctx, const struct iovec *dvec,
	     size_t dcnt, size_t dnbytes, const struct iovec *mvec, size_t mcnt, size_t mnbytes,
	     int admin)
{
	struct xnvme_spec_cmd *sqe = &qp->sq[qp->sq_tail];
	uint64_t deadline = 0;
	struct pcie_slot *slot;
	uint32_t spins = 0;
	int cid = qp_free_slot(qp);
	int err;

	if (cid < 0) {
		return cid;
	}
	slot = &qp->slots[cid];
	*sqe = ctx->cmd;
	err = pcie_xfer_map(qp, slot, sqe, dvec, dcnt, dnbytes, mvec, mcnt, mnbytes, admin);
	if (err) {
		return err;
	}
	pcie_qp_post(qp, slot, sqe, ctx);

	while (slot->ctx == ctx) {
		uint32_t csts;

		if (pcie_qp_reap(qp, 0) || slot->ctx != ctx) {
			continue;
		}
		if (++spins & 255) {
			continue;
		}
		/* Completions from a device thread: let it run on a shared core */
		sched_yield();
		/* Another thread reset the controller: the command went with the I/O queues */
		if (qp->qid && qp->gen != atomic_load(&qp->ctrl->gen)) {
			slot->ctx = NULL;
			pcie_xfer_forget(slot);
			qp->noutstanding--;
			qp_abort_status(ctx, slot->cid, qp->qid);
			return -EIO;
		}
		csts = qp->hw->ops->reg_read32(qp->hw, PCIE_REG_CSTS);
		if (!deadline) {
			deadline = xnvme_timer_now_ns() + qp->timeout_ns;
		}
		if ((csts & PCIE_CSTS_CFS) || csts == UINT32_MAX ||
		    xnvme_timer_now_ns() > deadline) {
			/* The command is given up: the caller resets the controller */
			if (!(csts & PCIE_CSTS_CFS) && csts != UINT32_MAX) {
				atomic_fetch_add_explicit(&qp->ctrl->ntimeouts, 1,
							  memory_order_relaxed);
			}
			slot->ctx = NULL;
			pcie_xfer_forget(slot);
			qp->noutstanding--;
			qp_abort_status(ctx, slot->cid, qp->qid);
			return -ETIMEDOUT;
		}
	}
	return xnvme_cmd_ctx_cpl_status(ctx) ? -EIO : 0;
}
