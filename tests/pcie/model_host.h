/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A tiny hand-written NVMe host over pcie_hw.h's ops table, for the model's test: admin queue,
 * I/O queue pairs, submit / reap with phase tags. Kept apart from the driver's engine on purpose
 * (tests/pcie/test_pcie_model.c checks the model, not the engine).
 */
#ifndef __TEST_PCIE_MODEL_HOST_H
#define __TEST_PCIE_MODEL_HOST_H

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <libxnvme.h>
#include "pcie_hw.h"

struct hq {
	struct pcie_hw *hw;
	uint16_t qid;
	struct xnvme_spec_cmd *sq;
	uint32_t *cq;
	uint64_t sq_iova, cq_iova;
	uint32_t sqsize, cqsize;
	uint32_t tail, head, phase;
	uint16_t cid;
	int wait_ms; ///< How long a reap polls (the device thread may be late)
};

static inline void *
h_alloc(struct pcie_hw *hw, size_t nbytes, uint64_t *iova)
{
	return hw->ops->dma_alloc(hw, nbytes, 4096, iova);
}

static inline uint64_t
h_iova(struct pcie_hw *hw, const void *p)
{
	uint64_t iova = 0;

	pcie_hw_iova(hw, p, &iova);
	return iova;
}

static inline int
hq_init(struct hq *q, struct pcie_hw *hw, uint16_t qid, uint32_t sqsize, uint32_t cqsize)
{
	memset(q, 0, sizeof(*q));
	q->hw = hw;
	q->qid = qid;
	q->sqsize = sqsize;
	q->cqsize = cqsize;
	q->phase = 1;
	q->wait_ms = 2000;
	q->sq = h_alloc(hw, (size_t)sqsize * 64, &q->sq_iova);
	q->cq = h_alloc(hw, (size_t)cqsize * 16, &q->cq_iova);
	return q->sq && q->cq ? 0 : -ENOMEM;
}

static inline void
hq_free(struct hq *q)
{
	q->hw->ops->dma_free(q->hw, q->sq, (size_t)q->sqsize * 64);
	q->hw->ops->dma_free(q->hw, q->cq, (size_t)q->cqsize * 16);
}

/* Places @p cmd (its CID set) without ringing */
static inline uint16_t
hq_put(struct hq *q, struct xnvme_spec_cmd *cmd)
{
	cmd->common.cid = q->cid++;
	q->sq[q->tail] = *cmd;
	q->tail = (q->tail + 1) % q->sqsize;
	return cmd->common.cid;
}

static inline void
hq_ring(struct hq *q)
{
	q->hw->ops->doorbell(q->hw, q->qid, 0, q->tail);
}

static inline uint64_t
h_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The next completion within @p wait_ms: 0, or -ETIMEDOUT; rings the head doorbell if @p ring */
static inline int
hq_reap_wait(struct hq *q, struct xnvme_spec_cpl *cpl, int wait_ms, int ring)
{
	uint64_t end = h_now_ms() + (uint64_t)wait_ms;
	uint32_t *e = q->cq + (size_t)q->head * 4, dw3;

	for (;;) {
		dw3 = __atomic_load_n(&e[3], __ATOMIC_ACQUIRE);
		if (((dw3 >> 16) & 1) == q->phase) {
			break;
		}
		if (h_now_ms() >= end) {
			return -ETIMEDOUT;
		}
		sched_yield();
	}
	memcpy(cpl, e, 16);
	if (++q->head == q->cqsize) {
		q->head = 0;
		q->phase ^= 1;
	}
	if (ring) {
		q->hw->ops->doorbell(q->hw, q->qid, 1, q->head);
	}
	return 0;
}

static inline int
hq_reap(struct hq *q, struct xnvme_spec_cpl *cpl)
{
	return hq_reap_wait(q, cpl, q->wait_ms, 1);
}

/* SCT << 8 | SC of a completion */
static inline int
h_st(const struct xnvme_spec_cpl *cpl)
{
	return cpl->status.sct << 8 | cpl->status.sc;
}

/* Submits and reaps one command: its status (SCT << 8 | SC), or -ETIMEDOUT */
static inline int
hq_cmd(struct hq *q, struct xnvme_spec_cmd *cmd, struct xnvme_spec_cpl *cpl)
{
	struct xnvme_spec_cpl c;
	uint16_t cid = hq_put(q, cmd);
	int err;

	hq_ring(q);
	err = hq_reap(q, cpl ? cpl : &c);
	if (err) {
		return err;
	}
	cpl = cpl ? cpl : &c;
	return cpl->cid == cid ? h_st(cpl) : -EPROTO;
}

/* AQA/ASQ/ACQ and CC.EN; 0 when CSTS.RDY comes */
static inline int
h_enable(struct hq *aq)
{
	struct pcie_hw *hw = aq->hw;
	uint64_t end = h_now_ms() + 1000;

	hw->ops->reg_write32(hw, PCIE_REG_AQA, (aq->cqsize - 1) << 16 | (aq->sqsize - 1));
	hw->ops->reg_write64(hw, PCIE_REG_ASQ, aq->sq_iova);
	hw->ops->reg_write64(hw, PCIE_REG_ACQ, aq->cq_iova);
	hw->ops->reg_write32(hw, PCIE_REG_CC,
			     PCIE_CC_EN | 6u << PCIE_CC_IOSQES_SHIFT | 4u << PCIE_CC_IOCQES_SHIFT);
	while (!(hw->ops->reg_read32(hw, PCIE_REG_CSTS) & PCIE_CSTS_RDY)) {
		if (h_now_ms() >= end) {
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* Create I/O CQ then SQ for @p q (qid, sizes, rings); the first failing status */
static inline int
h_create(struct hq *aq, struct hq *q)
{
	struct xnvme_spec_cmd cmd;
	int st;

	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = 0x05;
	cmd.common.dptr.prp.prp1 = q->cq_iova;
	cmd.cdw[10] = (q->cqsize - 1) << 16 | q->qid;
	cmd.cdw[11] = 1;
	st = hq_cmd(aq, &cmd, NULL);
	if (st) {
		return st;
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = 0x01;
	cmd.common.dptr.prp.prp1 = q->sq_iova;
	cmd.cdw[10] = (q->sqsize - 1) << 16 | q->qid;
	cmd.cdw[11] = (uint32_t)q->qid << 16 | 1;
	return hq_cmd(aq, &cmd, NULL);
}

struct t {
	struct pcie_hw *hw;
	struct hq aq, q;
	int thread;
};

/* Opens @p spec, enables it and creates I/O queue pair 1 (64 entries each) */
static inline int
up(struct t *t, const char *spec, int thread)
{
	int err;

	memset(t, 0, sizeof(*t));
	t->thread = thread;
	err = pcie_model_open(spec, &t->hw);
	if (err) {
		return err;
	}
	err = hq_init(&t->aq, t->hw, 0, 32, 32);
	err = err ? err : hq_init(&t->q, t->hw, 1, 64, 64);
	err = err ? err : h_enable(&t->aq);
	return err ? err : h_create(&t->aq, &t->q);
}

static inline void
down(struct t *t)
{
	t->hw->ops->close(t->hw);
	hq_free(&t->aq);
	hq_free(&t->q);
}

static inline struct xnvme_spec_cmd
rw(uint8_t opc, uint64_t slba, uint32_t nlb)
{
	struct xnvme_spec_cmd cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = opc;
	cmd.common.nsid = 1;
	cmd.nvm.slba = slba;
	cmd.nvm.nlb = (uint16_t)(nlb - 1);
	return cmd;
}

static inline void
fill(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; ++i) {
		p[i] = (uint8_t)((i * 7 + seed) ^ (i >> 9));
	}
}

static inline void
sgl_set(struct xnvme_spec_sgl_descriptor *d, uint64_t addr, uint32_t len, uint32_t type)
{
	memset(d, 0, sizeof(*d));
	d->addr = addr;
	d->unkeyed.len = len;
	d->unkeyed.type = type & 0xF;
}

/* tests/pcie/test_pcie_model_io.c; io_nfail(): its failed checks */
void test_prp(struct t *t, const char *mode);
void test_sgl(struct t *t, const char *mode);
void test_md(struct t *t, const char *mode);
void test_cq_full(struct t *t, const char *mode);
void test_cmdsets(void);
int io_nfail(void);

#endif
