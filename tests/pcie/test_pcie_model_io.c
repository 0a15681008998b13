/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The model's data paths for tests/pcie/test_pcie_model.c: PRPs, SGLs, metadata, a full
 * completion queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "../target/check.h"
#include "model_host.h"

/* Writes @p n bytes at LBA @p slba with PRP1 = @p buf (+ PRP2 when two pages); status */
static int
write_simple(struct t *t, uint8_t opc, uint64_t slba, void *buf, size_t n)
{
	struct xnvme_spec_cmd cmd = rw(opc, slba, (uint32_t)(n / 512));
	uint64_t iova = h_iova(t->hw, buf);

	cmd.common.dptr.prp.prp1 = iova;
	cmd.common.dptr.prp.prp2 = (iova & ~4095ull) + 4096;
	return hq_cmd(&t->q, &cmd, NULL);
}

void
test_prp(struct t *t, const char *mode)
{
	uint64_t iova, liova;
	uint8_t *w = h_alloc(t->hw, 1u << 20, &iova);
	uint8_t *r = h_alloc(t->hw, (1u << 20) + 4096, &iova);
	uint8_t *lp = h_alloc(t->hw, 8192, &liova);
	uint64_t *list = (uint64_t *)(lp + 4096 - 64), *list2 = (uint64_t *)(lp + 4096);
	struct xnvme_spec_cmd cmd;
	int st;

	fill(w, 1u << 20, 1);
	CHECK(write_simple(t, 0x01, 0, w, 4096) == 0, "%s: write one page by PRP1", mode);
	CHECK(write_simple(t, 0x02, 0, r + 512, 4096) == 0 && !memcmp(w, r + 512, 4096),
	      "%s: read it back with PRP1 at an offset and PRP2", mode);
	CHECK(write_simple(t, 0x01, 8, w, 8192) == 0, "%s: write two pages by PRP1 + PRP2", mode);
	memset(r, 0, 8192);
	CHECK(write_simple(t, 0x02, 8, r, 8192) == 0 && !memcmp(w, r, 8192),
	      "%s: read two pages back", mode);

	/* A list for 64 KiB: PRP1 the first page, the list the other 15 */
	cmd = rw(0x01, 64, 128);
	cmd.common.dptr.prp.prp1 = h_iova(t->hw, w);
	cmd.common.dptr.prp.prp2 = liova;
	for (int i = 1; i < 16; ++i) {
		((uint64_t *)lp)[i - 1] = h_iova(t->hw, w + i * 4096);
	}
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0, "%s: write 64 KiB by a PRP list", mode);

	/*
	 * 1 MiB (MDTS 8): the list starts 64 bytes before a page's end, so its 8th entry chains a
	 * second list page; read back into a buffer at another layout
	 */
	cmd = rw(0x01, 1024, 2048);
	cmd.common.dptr.prp.prp1 = h_iova(t->hw, w);
	cmd.common.dptr.prp.prp2 = h_iova(t->hw, list);
	for (int i = 0; i < 7; ++i) {
		list[i] = h_iova(t->hw, w + (i + 1) * 4096);
	}
	list[7] = h_iova(t->hw, list2);
	for (int i = 0; i < 248; ++i) {
		list2[i] = h_iova(t->hw, w + (i + 8) * 4096);
	}
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0, "%s: write 1 MiB by a chained PRP list", mode);
	memset(r, 0, 1u << 20);
	CHECK(write_simple(t, 0x02, 1024, r, 4096) == 0 && !memcmp(w, r, 4096),
	      "%s: the chained write's first page", mode);
	cmd = rw(0x02, 1024, 2048);
	cmd.common.psdt = XNVME_SPEC_PSDT_PRP;
	cmd.common.dptr.prp.prp1 = h_iova(t->hw, r + 2048);
	cmd.common.dptr.prp.prp2 = liova;
	for (int i = 0; i < 256; ++i) {
		((uint64_t *)lp)[i] = h_iova(t->hw, r + 4096 * (i + 1));
	}
	st = hq_cmd(&t->q, &cmd, NULL);
	CHECK(st == 0 && !memcmp(w, r + 2048, 1u << 20),
	      "%s: read 1 MiB back from PRP1 at an offset and a list: status %#x", mode, st);

	/* Errors */
	cmd = rw(0x02, 0, 8);
	cmd.common.dptr.prp.prp1 = (uint64_t)(uintptr_t)r; /* not translated */
	CHECK(hq_cmd(&t->q, &cmd, NULL) == XNVME_SPEC_SC_DATA_XFER_ERROR,
	      "%s: an untranslated address is a Data Transfer Error", mode);
	cmd = rw(0x02, 0, 8);
	cmd.common.dptr.prp.prp1 = h_iova(t->hw, r) + 2;
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0x13, "%s: PRP1 not dword aligned: PRP Offset Invalid",
	      mode);
	cmd = rw(0x02, 0, 32);
	cmd.common.dptr.prp.prp1 = h_iova(t->hw, r);
	cmd.common.dptr.prp.prp2 = liova;
	((uint64_t *)lp)[1] = h_iova(t->hw, r) + 512;
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0x13,
	      "%s: a misaligned PRP list entry: PRP Offset Invalid", mode);
	t->hw->ops->dma_free(t->hw, w, 1u << 20);
	t->hw->ops->dma_free(t->hw, r, (1u << 20) + 4096);
	t->hw->ops->dma_free(t->hw, lp, 8192);
}

void
test_sgl(struct t *t, const char *mode)
{
	uint64_t iova;
	uint8_t *w = h_alloc(t->hw, 65536, &iova), *r = h_alloc(t->hw, 65536, &iova);
	struct xnvme_spec_sgl_descriptor *seg = h_alloc(t->hw, 4096, &iova), *seg2 = seg + 64;
	struct xnvme_spec_cmd cmd;

	fill(w, 65536, 3);
	cmd = rw(0x01, 4096, 16);
	cmd.common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS;
	sgl_set(&cmd.common.dptr.sgl, h_iova(t->hw, w), 8192, 0);
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0, "%s: write 8 KiB by one SGL data block", mode);

	/* Read back through a last segment of 4 scattered blocks of 2 KiB */
	memset(r, 0, 65536);
	cmd = rw(0x02, 4096, 16);
	cmd.common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS;
	sgl_set(&cmd.common.dptr.sgl, h_iova(t->hw, seg), 4 * 16, 3);
	for (int i = 0; i < 4; ++i) {
		sgl_set(&seg[i], h_iova(t->hw, r + (3 - i) * 8192), 2048, 0);
	}
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0 && !memcmp(r + 3 * 8192, w, 2048) &&
		  !memcmp(r, w + 3 * 2048, 2048),
	      "%s: read back by a last segment of 4 data blocks", mode);

	/* A segment (2 blocks + last segment descriptor) chaining a last segment (2 blocks) */
	memset(r, 0, 65536);
	sgl_set(&cmd.common.dptr.sgl, h_iova(t->hw, seg), 3 * 16, 2);
	sgl_set(&seg[0], h_iova(t->hw, r), 1000, 0);
	sgl_set(&seg[1], h_iova(t->hw, r + 1000), 3000, 0);
	sgl_set(&seg[2], h_iova(t->hw, seg2), 2 * 16, 3);
	sgl_set(&seg2[0], h_iova(t->hw, r + 4000), 96, 0);
	sgl_set(&seg2[1], h_iova(t->hw, r + 4096), 8192, 0); /* longer than needed */
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0 && !memcmp(r, w, 8192) && !r[8192],
	      "%s: read back by a segment chained to a last segment (the last block oversized)",
	      mode);

	seg2[1].unkeyed.len = 4000;
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0x0F, "%s: a short SGL: Data SGL Length Invalid", mode);
	seg2[1].unkeyed.len = 8192;
	seg2[1].unkeyed.type = 1;
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0x11,
	      "%s: a bit bucket descriptor: SGL Descriptor Type Invalid", mode);
	seg2[1].unkeyed.type = 0;
	sgl_set(&seg[1], h_iova(t->hw, seg2), 2 * 16, 3); /* a segment descriptor not last */
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0x0D,
	      "%s: a segment descriptor before its segment's end: Invalid SGL Segment Descriptor",
	      mode);
	t->hw->ops->dma_free(t->hw, w, 65536);
	t->hw->ops->dma_free(t->hw, r, 65536);
	t->hw->ops->dma_free(t->hw, seg, 4096);
}

/* Separate metadata (the namespace has ms=8): by MPTR, then by an SGL at MPTR */
void
test_md(struct t *t, const char *mode)
{
	uint64_t iova;
	uint8_t *w = h_alloc(t->hw, 8192, &iova), *r = h_alloc(t->hw, 8192, &iova);
	uint8_t *wm = h_alloc(t->hw, 4096, &iova), *rm = h_alloc(t->hw, 4096, &iova);
	struct xnvme_spec_sgl_descriptor *sd = h_alloc(t->hw, 4096, &iova);
	struct xnvme_spec_cmd cmd;

	fill(w, 8192, 5);
	fill(wm, 128, 9);
	cmd = rw(0x01, 32, 16);
	cmd.common.dptr.prp.prp1 = h_iova(t->hw, w);
	cmd.common.dptr.prp.prp2 = h_iova(t->hw, w + 4096);
	cmd.common.mptr = h_iova(t->hw, wm);
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0, "%s: write 16 blocks, metadata by MPTR", mode);

	cmd = rw(0x02, 32, 16);
	cmd.common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_SGL;
	sgl_set(&cmd.common.dptr.sgl, h_iova(t->hw, r), 8192, 0);
	cmd.common.mptr = h_iova(t->hw, sd);
	sgl_set(&sd[0], h_iova(t->hw, &sd[4]), 32, 3); /* a last segment of two blocks */
	sgl_set(&sd[4], h_iova(t->hw, rm + 1000), 100, 0);
	sgl_set(&sd[5], h_iova(t->hw, rm + 2000), 28, 0);
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0 && !memcmp(r, w, 8192) &&
		  !memcmp(rm + 1000, wm, 100) && !memcmp(rm + 2000, wm + 100, 28),
	      "%s: read back, metadata by an SGL at MPTR", mode);
	sd[5].unkeyed.len = 20;
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0x10,
	      "%s: a short metadata SGL: Metadata SGL Length Invalid", mode);
	cmd.common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS;
	cmd.common.mptr = h_iova(t->hw, rm + 1);
	memset(rm, 0, 4096);
	CHECK(hq_cmd(&t->q, &cmd, NULL) == 0 && !memcmp(rm + 1, wm, 128),
	      "%s: SGL data, metadata by MPTR at a byte offset", mode);
	cmd.common.mptr = 0;
	CHECK(hq_cmd(&t->q, &cmd, NULL) == XNVME_SPEC_SC_DATA_XFER_ERROR,
	      "%s: metadata pointer 0: Data Transfer Error", mode);
	t->hw->ops->dma_free(t->hw, w, 8192);
	t->hw->ops->dma_free(t->hw, r, 8192);
	t->hw->ops->dma_free(t->hw, wm, 4096);
	t->hw->ops->dma_free(t->hw, rm, 4096);
	t->hw->ops->dma_free(t->hw, sd, 4096);
}

/* A full completion queue: the model stops taking commands until the head doorbell frees room */
void
test_cq_full(struct t *t, const char *mode)
{
	struct hq q2;
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_cmd cmd = rw(0x00, 0, 1);
	int nreaped = 0, wait = t->thread ? 100 : 0, ok = 1;

	hq_init(&q2, t->hw, 2, 16, 4);
	CHECK(h_create(&t->aq, &q2) == 0, "%s: a queue pair with a 4-entry completion queue", mode);
	for (int i = 0; i < 8; ++i) {
		hq_put(&q2, &cmd);
	}
	hq_ring(&q2);
	while (nreaped < 3 && !hq_reap_wait(&q2, &cpl, 2000, 0)) {
		ok &= cpl.cid == nreaped++ && !h_st(&cpl);
	}
	CHECK(nreaped == 3 && ok, "%s: three of eight complete (a 4-entry queue holds 3)", mode);
	CHECK(hq_reap_wait(&q2, &cpl, wait, 0) == -ETIMEDOUT,
	      "%s: no fourth before the head doorbell", mode);
	t->hw->ops->doorbell(t->hw, 2, 1, q2.head);
	while (nreaped < 8 && !hq_reap_wait(&q2, &cpl, 2000, 1)) {
		ok &= cpl.cid == nreaped++ && !h_st(&cpl) && cpl.sqid == 2;
	}
	CHECK(nreaped == 8 && ok, "%s: the rest complete, in order, once the head moves", mode);
	hq_free(&q2);
}

/* Transfer lengths of other command sets: zone append and report, KV store and retrieve, DSM */
void
test_cmdsets(void)
{
	uint64_t iova;
	struct xnvme_spec_cmd cmd;
	struct xnvme_spec_cpl cpl;
	uint8_t *buf;
	struct t t;

	if (!up(&t, "8MiB,zoned=1,lbads=4096,zsze=256", 0)) {
		buf = h_alloc(t.hw, 8192, &iova);
		fill(buf, 4096, 11);
		cmd = rw(0x7D, 256, 1); /* append to the second zone */
		cmd.common.dptr.prp.prp1 = iova;
		CHECK(hq_cmd(&t.q, &cmd, &cpl) == 0 && cpl.result == 256 &&
			  hq_cmd(&t.q, &cmd, &cpl) == 0 && cpl.result == 257,
		      "zoned: appends report their LBAs in dwords 0-1");
		cmd = rw(0x7A, 0, 1);
		cmd.znd.mgmt_recv.ndwords = 8192 / 4 - 1;
		cmd.common.dptr.prp.prp1 = iova;
		cmd.common.dptr.prp.prp2 = iova + 4096;
		memset(buf, 0xFF, 8192);
		CHECK(hq_cmd(&t.q, &cmd, NULL) == 0 && *(uint64_t *)buf == 8 &&
			  *(uint64_t *)(buf + 64 + 64 + 24) == 256 + 2,
		      "zoned: a zone report of 8 KiB (8 zones, the second's write pointer moved)");
		t.hw->ops->dma_free(t.hw, buf, 8192);
		down(&t);
	}
	if (!up(&t, "8MiB,kv=1", 0)) {
		buf = h_alloc(t.hw, 8192, &iova);
		memset(&cmd, 0, sizeof(cmd));
		cmd.common.opcode = XNVME_SPEC_KV_OPC_STORE;
		cmd.common.nsid = 1;
		memcpy(&cmd.kvs.key, "k1", 2);
		cmd.kvs.cdw11.kl = 2;
		cmd.kvs.cdw10 = 5000; /* crosses a page: PRP2 */
		cmd.common.dptr.prp.prp1 = iova;
		cmd.common.dptr.prp.prp2 = iova + 4096;
		fill(buf, 5000, 13);
		CHECK(hq_cmd(&t.q, &cmd, NULL) == 0, "kv: store 5000 bytes");
		cmd.common.opcode = XNVME_SPEC_KV_OPC_RETRIEVE;
		cmd.kvs.cdw10 = 8192;
		memset(buf, 0, 8192);
		CHECK(hq_cmd(&t.q, &cmd, &cpl) == 0 && cpl.cdw0 == 5000 &&
			  buf[4999] == (uint8_t)((4999 * 7 + 13) ^ (4999 >> 9)),
		      "kv: retrieve it into an 8 KiB buffer");
		t.hw->ops->dma_free(t.hw, buf, 8192);
		down(&t);
	}
	if (!up(&t, "8MiB", 0)) {
		struct xnvme_spec_dsm_range *r;

		buf = h_alloc(t.hw, 8192, &iova);
		memset(buf, 0xAB, 4096);
		CHECK(write_simple(&t, 0x01, 0, buf, 4096) == 0 &&
			  write_simple(&t, 0x01, 64, buf, 4096) == 0,
		      "dsm: two ranges written");
		r = (struct xnvme_spec_dsm_range *)(buf + 4096);
		memset(r, 0, 32);
		r[0].slba = 0;
		r[0].llb = 8;
		r[1].slba = 64;
		r[1].llb = 8;
		memset(&cmd, 0, sizeof(cmd));
		cmd.common.opcode = XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT;
		cmd.common.nsid = 1;
		cmd.dsm.nr = 1;
		cmd.dsm.ad = 1;
		cmd.common.dptr.prp.prp1 = iova + 4096;
		CHECK(hq_cmd(&t.q, &cmd, NULL) == 0 && write_simple(&t, 0x02, 64, buf, 4096) == 0 &&
			  !buf[0] && !buf[4095],
		      "dsm: both ranges (32 bytes by PRP1) deallocated");
		t.hw->ops->dma_free(t.hw, buf, 8192);
		down(&t);
	}
}

int
io_nfail(void)
{
	return g_nfail;
}
