/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The in-memory controller's register face (lib/be/pcie/model*.c) driven by a tiny host of its
 * own (model_host.h): registers and the enable/reset/shutdown state machine, identify, queue
 * creation and its errors, data by PRP (one page, an offset, two pages, a list, a chained list
 * at MDTS) and SGL (data block, last segment, segment chain), metadata by MPTR and by SGL, both
 * processing modes, a full completion queue and its resume, transfer errors, identifier
 * strictness, persistence and exclusive opens, and each fault hook's model-side behaviour.
 * usage: test_pcie_model
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "../target/check.h"
#include "model_host.h"
#include "xnvme_be.h"

#define SIZE_SPEC "8MiB"

static void
test_queues(struct t *t)
{
	struct hq bad;
	struct xnvme_spec_cmd cmd;

	hq_init(&bad, t->hw, 0, 16, 16);
	CHECK(h_create(&t->aq, &bad) == 0x101, "create qid 0: Invalid Queue Identifier");
	bad.qid = 65;
	CHECK(h_create(&t->aq, &bad) == 0x101, "create qid 65 of 64: Invalid Queue Identifier");
	bad.qid = 1;
	CHECK(h_create(&t->aq, &bad) == 0x101, "create qid 1 again: Invalid Queue Identifier");
	bad.qid = 3;
	bad.cqsize = 1;
	CHECK(h_create(&t->aq, &bad) == 0x102, "a 1-entry queue: Invalid Queue Size");
	bad.cqsize = 4097;
	CHECK(h_create(&t->aq, &bad) == 0x102, "4097 entries (MQES 4095): Invalid Queue Size");
	bad.cqsize = 16;
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = 0x05;
	cmd.common.dptr.prp.prp1 = bad.cq_iova;
	cmd.cdw[10] = 15u << 16 | 3;
	CHECK(hq_cmd(&t->aq, &cmd, NULL) == XNVME_SPEC_SC_INVALID_FIELD,
	      "PC 0 (CAP.CQR 1): Invalid Field");
	cmd.cdw[11] = 1;
	cmd.common.dptr.prp.prp1 = bad.cq_iova + 64;
	CHECK(hq_cmd(&t->aq, &cmd, NULL) == 0x13, "a queue base off a page: PRP Offset Invalid");
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = 0x01;
	cmd.common.dptr.prp.prp1 = bad.sq_iova;
	cmd.cdw[10] = 15u << 16 | 3;
	cmd.cdw[11] = 9u << 16 | 1;
	CHECK(hq_cmd(&t->aq, &cmd, NULL) == 0x100, "an SQ on no CQ: Completion Queue Invalid");
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = 0x04;
	cmd.cdw[10] = 1;
	CHECK(hq_cmd(&t->aq, &cmd, NULL) == 0x10C, "delete a CQ in use: Invalid Queue Deletion");
	cmd.common.opcode = 0x00;
	cmd.cdw[10] = 9;
	CHECK(hq_cmd(&t->aq, &cmd, NULL) == 0x101, "delete no SQ: Invalid Queue Identifier");
	hq_free(&bad);
}

static void
test_admin(struct t *t, int mdts, int sgl)
{
	uint64_t iova;
	struct xnvme_spec_idfy *id = h_alloc(t->hw, 4096, &iova);
	struct xnvme_spec_cmd cmd;
	struct xnvme_spec_cpl cpl;

	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = XNVME_SPEC_ADM_OPC_IDFY;
	cmd.idfy.cns = XNVME_SPEC_IDFY_CTRLR;
	cmd.common.dptr.prp.prp1 = iova;
	CHECK(hq_cmd(&t->aq, &cmd, NULL) == 0 && id->ctrlr.mdts == mdts &&
		  id->ctrlr.sgls.val == (sgl ? 0xE0001u : 0) && id->ctrlr.sqes.max == 6 &&
		  !memcmp(id->ctrlr.mn, "xnvme pcie-model ", 17),
	      "identify controller: MDTS %d, SGLS %#x", id->ctrlr.mdts, id->ctrlr.sgls.val);
	cmd.idfy.cns = XNVME_SPEC_IDFY_NS;
	cmd.common.nsid = 1;
	CHECK(hq_cmd(&t->aq, &cmd, NULL) == 0 && id->ns.nsze == (8u << 20) / 512,
	      "identify namespace: %llu blocks", (unsigned long long)id->ns.nsze);
	cmd.common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS;
	CHECK(hq_cmd(&t->aq, &cmd, NULL) == XNVME_SPEC_SC_INVALID_FIELD,
	      "an admin command with an SGL: Invalid Field");
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = XNVME_SPEC_ADM_OPC_SFEAT;
	cmd.cdw[10] = XNVME_SPEC_FEAT_NQUEUES;
	cmd.cdw[11] = 3u << 16 | 3;
	CHECK(hq_cmd(&t->aq, &cmd, &cpl) == 0 && cpl.cdw0 == (63u << 16 | 63),
	      "set features number of queues: %#x", cpl.cdw0);
	cmd.common.opcode = XNVME_SPEC_ADM_OPC_GFEAT;
	CHECK(hq_cmd(&t->aq, &cmd, &cpl) == 0 && cpl.cdw0 == (63u << 16 | 63),
	      "get features number of queues: %#x", cpl.cdw0);
	cmd.common.opcode = XNVME_SPEC_ADM_OPC_ABORT;
	CHECK(hq_cmd(&t->aq, &cmd, &cpl) == 0 && (cpl.cdw0 & 1), "abort: not aborted");
	t->hw->ops->dma_free(t->hw, id, 4096);
}

/* Asynchronous event requests are held; past the limit one is refused */
static void
test_aer(struct t *t)
{
	struct xnvme_spec_cmd cmd;
	struct xnvme_spec_cpl cpl;
	uint16_t cid;

	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = 0x0C;
	for (int i = 0; i < 4; ++i) {
		hq_put(&t->aq, &cmd);
	}
	hq_ring(&t->aq);
	CHECK(hq_reap_wait(&t->aq, &cpl, t->thread ? 100 : 0, 1) == -ETIMEDOUT,
	      "four asynchronous event requests are held");
	cid = hq_put(&t->aq, &cmd);
	hq_ring(&t->aq);
	CHECK(!hq_reap(&t->aq, &cpl) && cpl.cid == cid && h_st(&cpl) == 0x105,
	      "a fifth: Asynchronous Event Request Limit Exceeded");
}

static void
test_registers(void)
{
	struct pcie_hw *hw;
	uint64_t cap;
	struct hq aq;

	if (pcie_model_open(SIZE_SPEC ",mqes=255,dstrd=2,to=10", &hw)) {
		CHECK(0, "open the model");
		return;
	}
	cap = hw->ops->reg_read64(hw, PCIE_REG_CAP);
	CHECK(PCIE_CAP_MQES(cap) == 255 && PCIE_CAP_CQR(cap) && PCIE_CAP_TO(cap) == 10 &&
		  PCIE_CAP_DSTRD(cap) == 2 && PCIE_CAP_CSS(cap) == 0x41 && !PCIE_CAP_MPSMIN(cap) &&
		  !PCIE_CAP_MPSMAX(cap),
	      "CAP %#llx: MQES, CQR, TO, DSTRD, CSS NVM + I/O command sets, 4 KiB pages",
	      (unsigned long long)cap);
	CHECK(hw->ops->reg_read32(hw, PCIE_REG_CAP + 4) == (uint32_t)(cap >> 32),
	      "CAP's upper half by a 32-bit read");
	CHECK(hw->ops->reg_read32(hw, PCIE_REG_VS) == 0x20000, "VS 2.0");
	CHECK(!hw->ops->reg_read32(hw, PCIE_REG_CC) && !hw->ops->reg_read32(hw, PCIE_REG_CSTS),
	      "power-on: CC 0, CSTS 0");
	hw->ops->reg_write32(hw, PCIE_REG_VS, 0x10000);
	CHECK(hw->ops->reg_read32(hw, PCIE_REG_VS) == 0x20000 && !hw->ops->reg_read32(hw, 0x40) &&
		  !hw->ops->reg_read32(hw, 0xE00),
	      "VS ignores writes; other offsets read 0");
	hq_init(&aq, hw, 0, 16, 16);
	hw->ops->reg_write32(hw, PCIE_REG_AQA, 15u << 16 | 15);
	hw->ops->reg_write64(hw, PCIE_REG_ASQ, aq.sq_iova);
	hw->ops->reg_write64(hw, PCIE_REG_ACQ, aq.cq_iova + 64);
	hw->ops->reg_write32(hw, PCIE_REG_CC,
			     PCIE_CC_EN | 6u << PCIE_CC_IOSQES_SHIFT | 4u << PCIE_CC_IOCQES_SHIFT);
	CHECK(hw->ops->reg_read32(hw, PCIE_REG_CSTS) == PCIE_CSTS_CFS,
	      "enable with ACQ off a page: CSTS.CFS, not ready");
	hw->ops->reg_write32(hw, PCIE_REG_CC, 0);
	CHECK(hw->ops->reg_read32(hw, PCIE_REG_CSTS) == 0, "disable clears CSTS");
	hw->ops->reg_write64(hw, PCIE_REG_ACQ, aq.cq_iova);
	CHECK(hw->ops->reg_read64(hw, PCIE_REG_ACQ) == aq.cq_iova, "ACQ reads back");
	hw->ops->reg_write32(hw, PCIE_REG_CC, PCIE_CC_EN | 4u << PCIE_CC_IOCQES_SHIFT);
	CHECK(hw->ops->reg_read32(hw, PCIE_REG_CSTS) & PCIE_CSTS_CFS, "enable with IOSQES 0: CFS");
	hw->ops->reg_write32(hw, PCIE_REG_CC, 0);
	hw->ops->reg_write32(hw, PCIE_REG_CC,
			     PCIE_CC_EN | 1u << PCIE_CC_MPS_SHIFT | 6u << PCIE_CC_IOSQES_SHIFT |
				 4u << PCIE_CC_IOCQES_SHIFT);
	CHECK(hw->ops->reg_read32(hw, PCIE_REG_CSTS) & PCIE_CSTS_CFS, "enable with MPS 1: CFS");
	hw->ops->reg_write32(hw, PCIE_REG_CC, 0);
	CHECK(h_enable(&aq) == 0, "a valid enable: CSTS.RDY");
	hw->ops->reg_write32(hw, PCIE_REG_CC,
			     hw->ops->reg_read32(hw, PCIE_REG_CC) | 1u << PCIE_CC_SHN_SHIFT);
	CHECK(PCIE_CSTS_SHST(hw->ops->reg_read32(hw, PCIE_REG_CSTS)) == 2,
	      "a normal shutdown completes (SHST 2)");
	hw->ops->close(hw);
	hq_free(&aq);
}

static void
test_idents(void)
{
	static const char *bad[] = {
	    SIZE_SPEC ",proc=fast",    SIZE_SPEC ",mdts=9",
	    SIZE_SPEC ",mdts=0",       SIZE_SPEC ",sgl=2",
	    SIZE_SPEC ",mqes=0",       SIZE_SPEC ",nqueues=x",
	    SIZE_SPEC ",to=0",         SIZE_SPEC ",dstrd=16",
	    SIZE_SPEC ",sgl=1,sgl=1",  SIZE_SPEC ",fault=zap@1",
	    SIZE_SPEC ",fault=drop",   SIZE_SPEC ",fault=never-ready@2",
	    SIZE_SPEC ",fault=drop@0", SIZE_SPEC ",fault=",
	    SIZE_SPEC ",bogus=1",      "8XiB",
	};
	struct pcie_hw *hw, *hw2;
	struct t t;
	uint64_t iova;
	uint8_t *buf;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
		int err;

		xnvme_be_open_err_reset();
		err = pcie_model_open(bad[i], &hw);
		CHECK(err == -EINVAL && strlen(xnvme_dev_open_err_msg()) > 0, "'%s' refused: %s",
		      bad[i], xnvme_dev_open_err_msg());
	}
	if (up(&t, SIZE_SPEC ",nqueues=4", 0)) {
		CHECK(0, "open a model");
		return;
	}
	CHECK(pcie_model_open(SIZE_SPEC ",nqueues=4", &hw2) == -EBUSY, "a second open: EBUSY");
	buf = h_alloc(t.hw, 4096, &iova);
	memset(buf, 0x5A, 4096);
	/* buf outlives this open: the model's memory is the process's */
	{
		struct xnvme_spec_cmd cmd = rw(0x01, 100, 8);

		cmd.common.dptr.prp.prp1 = iova;
		CHECK(hq_cmd(&t.q, &cmd, NULL) == 0, "write before close");
	}
	down(&t);
	CHECK(pcie_model_open(SIZE_SPEC ",nqueues=4", &hw) == 0 &&
		  !hw->ops->reg_read32(hw, PCIE_REG_CC) && !hw->ops->reg_read32(hw, PCIE_REG_CSTS),
	      "reopen: the controller is back at power-on");
	hw->ops->close(hw);
	if (!up(&t, SIZE_SPEC ",nqueues=4", 0)) {
		struct xnvme_spec_cmd cmd = rw(0x02, 100, 8);

		memset(buf, 0, 4096);
		cmd.common.dptr.prp.prp1 = iova;
		CHECK(hq_cmd(&t.q, &cmd, NULL) == 0 && buf[0] == 0x5A && buf[4095] == 0x5A,
		      "the data persists across close and reopen");
		down(&t);
	}
	t.hw->ops->dma_free(t.hw, buf, 4096);
}

/* Nothing completes on the admin queue either (CFS) */
static void
test_aer_none(struct t *t)
{
	struct xnvme_spec_cmd cmd;
	struct xnvme_spec_cpl cpl;

	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = XNVME_SPEC_ADM_OPC_ABORT;
	hq_put(&t->aq, &cmd);
	hq_ring(&t->aq);
	CHECK(hq_reap_wait(&t->aq, &cpl, t->thread ? 100 : 0, 1) == -ETIMEDOUT,
	      "after CFS an admin command does not complete");
}

/* One flush on queue 1; its CID */
static uint16_t
flush(struct t *t)
{
	struct xnvme_spec_cmd cmd = rw(0x00, 0, 1);
	uint16_t cid = hq_put(&t->q, &cmd);

	hq_ring(&t->q);
	return cid;
}

/* CC.EN 1->0, a fresh enable and queue pair, one flush: 0 when it completes */
static int
reset_flush(struct t *t)
{
	struct xnvme_spec_cpl cpl;
	uint16_t cid;

	t->hw->ops->reg_write32(t->hw, PCIE_REG_CC, 0);
	hq_free(&t->aq);
	hq_free(&t->q);
	hq_init(&t->aq, t->hw, 0, 32, 32);
	hq_init(&t->q, t->hw, 1, 64, 64);
	if (h_enable(&t->aq) || h_create(&t->aq, &t->q)) {
		return -EIO;
	}
	cid = flush(t);
	return !hq_reap(&t->q, &cpl) && cpl.cid == cid ? 0 : -EIO;
}

static void
test_faults(void)
{
	struct xnvme_spec_cpl cpl;
	struct t t;
	uint16_t cid;
	int wait = 0;

	CHECK(up(&t, "1MiB,fault=never-ready", 0) == -ETIMEDOUT &&
		  !(t.hw->ops->reg_read32(t.hw, PCIE_REG_CSTS) & (PCIE_CSTS_RDY | PCIE_CSTS_CFS)),
	      "never-ready: CSTS.RDY stays 0 after CC.EN");
	down(&t);

	up(&t, "1MiB,fault=cfs@2", 0);
	cid = flush(&t);
	CHECK(!hq_reap(&t.q, &cpl) && cpl.cid == cid, "cfs@2: the first I/O completes");
	flush(&t);
	CHECK(hq_reap_wait(&t.q, &cpl, wait, 1) == -ETIMEDOUT &&
		  (t.hw->ops->reg_read32(t.hw, PCIE_REG_CSTS) & PCIE_CSTS_CFS),
	      "cfs@2: the second does not, CSTS.CFS is set");
	test_aer_none(&t);
	CHECK(!reset_flush(&t), "cfs@2: after a reset, commands complete again");
	down(&t);

	up(&t, "1MiB,fault=drop@1", 0);
	flush(&t);
	CHECK(hq_reap_wait(&t.q, &cpl, wait, 1) == -ETIMEDOUT, "drop@1: no completion");
	cid = flush(&t);
	CHECK(!hq_reap(&t.q, &cpl) && cpl.cid == cid, "drop@1: the next completes");
	down(&t);

	up(&t, "1MiB,fault=dup@1", 0);
	cid = flush(&t);
	CHECK(!hq_reap(&t.q, &cpl) && cpl.cid == cid && !hq_reap(&t.q, &cpl) && cpl.cid == cid &&
		  hq_reap_wait(&t.q, &cpl, wait, 1) == -ETIMEDOUT,
	      "dup@1: posted twice, same CID");
	down(&t);

	up(&t, "1MiB,fault=stale@1", 0);
	t.q.cid = 5; /* an entry of CID 0 and phase 0 would look like an untouched slot */
	cid = flush(&t);
	CHECK(hq_reap_wait(&t.q, &cpl, wait, 1) == -ETIMEDOUT &&
		  t.q.cq[3] == ((uint32_t)cid | 0u << 16),
	      "stale@1: the entry is written with the old phase (dw3 %#x)", t.q.cq[3]);
	cid = flush(&t);
	CHECK(!hq_reap(&t.q, &cpl) && cpl.cid == cid, "stale@1: the next lands in its slot");
	down(&t);

	up(&t, "1MiB,fault=badcid@1", 0);
	cid = flush(&t);
	CHECK(!hq_reap(&t.q, &cpl) && cpl.cid != cid && cpl.cid >= 64,
	      "badcid@1: posted with CID %#x, not %#x", cpl.cid, cid);
	down(&t);

	up(&t, "1MiB,fault=hold@2,proc=thread", 1);
	wait = 100;
	cid = flush(&t);
	CHECK(!hq_reap(&t.q, &cpl) && cpl.cid == cid, "hold@2 (thread): the first completes");
	flush(&t);
	flush(&t);
	CHECK(hq_reap_wait(&t.q, &cpl, wait, 1) == -ETIMEDOUT, "hold@2: later ones are held");
	CHECK(!reset_flush(&t), "hold@2: a reset releases the hold");
	down(&t);
}

static void
run_mode(const char *spec, int thread, const char *mode)
{
	struct t t;

	if (up(&t, spec, thread)) {
		CHECK(0, "%s: open and enable %s", mode, spec);
		return;
	}
	test_prp(&t, mode);
	test_sgl(&t, mode);
	test_cq_full(&t, mode);
	if (thread) {
		struct timespec a, b, nap = {0, 300 * 1000000};
		long used;

		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		nanosleep(&nap, NULL);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		used = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
		CHECK(used < 30, "%s: an idle model's device thread sleeps (%ld ms of CPU in 300)",
		      mode, used);
	}
	down(&t);
}

int
main(void)
{
	struct t t;

	test_registers();
	test_idents();
	if (!up(&t, SIZE_SPEC, 0)) {
		test_admin(&t, 8, 1);
		test_queues(&t);
		test_aer(&t);
		down(&t);
	}
	if (!up(&t, SIZE_SPEC ",mdts=5,sgl=0", 0)) {
		struct xnvme_spec_cmd cmd = rw(0x02, 0, 512);
		uint64_t iova;
		void *buf = h_alloc(t.hw, 1u << 18, &iova);

		test_admin(&t, 5, 0);
		cmd.common.dptr.prp.prp1 = iova;
		CHECK(hq_cmd(&t.q, &cmd, NULL) == XNVME_SPEC_SC_INVALID_FIELD,
		      "256 KiB above MDTS 5: Invalid Field");
		cmd = rw(0x02, 0, 8);
		cmd.common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS;
		sgl_set(&cmd.common.dptr.sgl, iova, 4096, 0);
		CHECK(hq_cmd(&t.q, &cmd, NULL) == XNVME_SPEC_SC_INVALID_FIELD,
		      "an SGL with sgl=0: Invalid Field");
		t.hw->ops->dma_free(t.hw, buf, 1u << 18);
		down(&t);
	}
	run_mode(SIZE_SPEC, 0, "inline");
	run_mode(SIZE_SPEC ",proc=thread", 1, "thread");
	if (!up(&t, SIZE_SPEC ",ms=8", 0)) {
		test_md(&t, "inline");
		down(&t);
	}
	if (!up(&t, SIZE_SPEC ",ms=8,proc=thread", 1)) {
		test_md(&t, "thread");
		down(&t);
	}
	test_cmdsets();
	test_faults();
	g_nfail += io_nfail();
	printf("%s: %d failed\n", g_nfail ? "FAIL" : "PASS", g_nfail);
	return g_nfail ? 1 : 0;
}
