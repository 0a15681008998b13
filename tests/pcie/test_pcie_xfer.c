/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver's PRP and SGL building (lib/be/pcie/pcie_xfer.c) over fake faces: a linear one (bus
 * address = address + an offset, as the model) and a scattered one (every page at its own bus
 * address, with gaps, through dma_translate). A walker reads the command as a controller would
 * (NVMe 2.0 4.1.1, 4.1.2) and the bytes it reaches must be the caller's, in order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_be_pcie.h"

static int g_fails;

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);      \
			g_fails++;                                                                 \
		}                                                                                  \
	} while (0)

#define LINEAR_OFF  0x100000000000ULL
#define SCATTER_OFF 0x200000000000ULL

/* The scattered face: page P of the process is at bus page 2P (every other bus page is a gap) */
static int
scatter_translate(struct pcie_hw *hw, const void *vaddr, uint64_t *iova)
{
	uint64_t va = (uint64_t)(uintptr_t)vaddr;

	(void)hw;
	*iova = SCATTER_OFF + ((va >> 12) << 13) + (va & 4095);
	return 0;
}

static void *
bus_to_va(struct pcie_hw *hw, uint64_t iova)
{
	if (hw->iova_linear) {
		return (void *)(uintptr_t)(iova - LINEAR_OFF);
	}
	iova -= SCATTER_OFF;
	return (void *)(uintptr_t)(((iova >> 13) << 12) + (iova & 4095));
}

static void *
fake_dma_alloc(struct pcie_hw *hw, size_t nbytes, size_t align, uint64_t *iova)
{
	void *p = NULL;

	if (posix_memalign(&p, align, nbytes)) {
		return NULL;
	}
	memset(p, 0, nbytes);
	if (hw->iova_linear) {
		*iova = (uint64_t)(uintptr_t)p + LINEAR_OFF;
	} else {
		scatter_translate(hw, p, iova);
	}
	return p;
}

static void
fake_dma_free(struct pcie_hw *hw, void *vaddr, size_t nbytes)
{
	(void)hw;
	(void)nbytes;
	free(vaddr);
}

static const struct pcie_hw_ops fake_ops = {
    .name = "fake",
    .dma_alloc = fake_dma_alloc,
    .dma_free = fake_dma_free,
    .dma_translate = scatter_translate,
};

/* Where a controller would move the bytes: appended to @p out, -1 on a malformed pointer */
static int
walk_prp(struct pcie_hw *hw, const struct xnvme_spec_cmd *cmd, size_t nbytes, uint8_t *out)
{
	uint64_t prp1 = cmd->common.dptr.prp.prp1, prp2 = cmd->common.dptr.prp.prp2;
	size_t first = 4096 - (prp1 & 4095), left;
	const uint64_t *list;
	size_t i = 0;

	if (cmd->common.psdt != XNVME_SPEC_PSDT_PRP || (prp1 & 3)) {
		return -1;
	}
	first = first < nbytes ? first : nbytes;
	memcpy(out, bus_to_va(hw, prp1), first);
	out += first;
	left = nbytes - first;
	if (!left) {
		return 0;
	}
	if (left <= 4096) {
		if (prp2 & 4095) {
			return -1;
		}
		memcpy(out, bus_to_va(hw, prp2), left);
		return 0;
	}
	list = bus_to_va(hw, prp2);
	while (left) {
		size_t n = left < 4096 ? left : 4096;

		/* The last entry of a list page points to the next page when more follows */
		if (i == 511 && left > 4096) {
			list = bus_to_va(hw, list[511]);
			i = 0;
		}
		if (list[i] & 4095) {
			return -1;
		}
		memcpy(out, bus_to_va(hw, list[i++]), n);
		out += n;
		left -= n;
	}
	return 0;
}

static int
walk_sgl_desc(struct pcie_hw *hw, const struct xnvme_spec_sgl_descriptor *d, uint8_t *out,
	      size_t *len)
{
	if (d->unkeyed.type == XNVME_SPEC_SGL_DESCR_TYPE_DATA_BLOCK) {
		memcpy(out + *len, bus_to_va(hw, d->addr), d->unkeyed.len);
		*len += d->unkeyed.len;
		return 0;
	}
	if (d->unkeyed.type == XNVME_SPEC_SGL_DESCR_TYPE_LAST_SEGMENT) {
		const struct xnvme_spec_sgl_descriptor *seg = bus_to_va(hw, d->addr);

		for (size_t i = 0; i < d->unkeyed.len / 16; ++i) {
			if (seg[i].unkeyed.type != XNVME_SPEC_SGL_DESCR_TYPE_DATA_BLOCK) {
				return -1;
			}
			memcpy(out + *len, bus_to_va(hw, seg[i].addr), seg[i].unkeyed.len);
			*len += seg[i].unkeyed.len;
		}
		return 0;
	}
	return -1;
}

static size_t
iov_gather(const struct iovec *iov, size_t cnt, uint8_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < cnt; ++i) {
		memcpy(out + n, iov[i].iov_base, iov[i].iov_len);
		n += iov[i].iov_len;
	}
	return n;
}

static uint8_t *g_arena; /* 8 MiB of patterned memory the pieces are cut from */
#define ARENA_NBYTES (8u << 20)

static struct pcie_hw g_linear = {.ops = &fake_ops, .iova_linear = 1, .iova_offset = LINEAR_OFF};
static struct pcie_hw g_scatter = {.ops = &fake_ops, .iova_linear = 0};

/* PRPs for @p cnt pieces must reach exactly their bytes */
static void
check_prp(struct pcie_hw *hw, const struct iovec *iov, size_t cnt, size_t list_nbytes, int want_err)
{
	struct xnvme_spec_cmd cmd;
	uint64_t list_iova = 0;
	uint8_t *list = fake_dma_alloc(hw, list_nbytes, 4096, &list_iova);
	size_t nbytes = 0;
	uint8_t *want, *got;
	int err;

	for (size_t i = 0; i < cnt; ++i) {
		nbytes += iov[i].iov_len;
	}
	want = malloc(nbytes);
	got = malloc(nbytes);
	memset(&cmd, 0, sizeof(cmd));
	err = pcie_xfer_prp(hw, &cmd, iov, cnt, nbytes, list, list_iova, list_nbytes);
	CHECK(err == want_err);
	if (!err && !want_err) {
		iov_gather(iov, cnt, want);
		CHECK(!walk_prp(hw, &cmd, nbytes, got));
		CHECK(!memcmp(want, got, nbytes));
	}
	free(want);
	free(got);
	free(list);
}

static void
test_prp(struct pcie_hw *hw)
{
	uint8_t *a = g_arena;
	struct iovec one[1], v[3];
	/* Offsets and lengths: inside a page, across one boundary, two, many, past one list page */
	static const size_t cases[][2] = {
	    {0, 512},        {0, 4096},       {512, 4096},      {0, 8192},        {4092, 8},
	    {0, 12288},      {100, 65536},    {0, 1u << 20},    {2048, 1u << 20}, {0, 511 * 4096},
	    {0, 512 * 4096}, {4, 513 * 4096}, {0, 1100 * 4096}, {8, 2u << 20},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
		one[0].iov_base = a + cases[i][0];
		one[0].iov_len = cases[i][1];
		check_prp(hw, one, 1, 3 * 4096, 0);
	}
	/* A list that needs more pages than the slot has */
	one[0].iov_base = a;
	one[0].iov_len = 600 * 4096;
	check_prp(hw, one, 1, 4096, -E2BIG);
	/* Not dword aligned */
	one[0].iov_base = a + 2;
	one[0].iov_len = 4096;
	check_prp(hw, one, 1, 4096, -EINVAL);
	/* A vector PRPs can take: a first piece ending at a page, whole pages, a short last one */
	v[0].iov_base = a + 4096 - 1024;
	v[0].iov_len = 1024;
	v[1].iov_base = a + 5 * 4096;
	v[1].iov_len = 3 * 4096;
	v[2].iov_base = a + 20 * 4096;
	v[2].iov_len = 100;
	check_prp(hw, v, 3, 4096, 0);
	/* And ones it cannot: an inner piece not starting a page, a first not ending one */
	v[1].iov_base = a + 5 * 4096 + 512;
	check_prp(hw, v, 3, 4096, -EINVAL);
	v[1].iov_base = a + 5 * 4096;
	v[0].iov_len = 512;
	check_prp(hw, v, 3, 4096, -EINVAL);
}

static void
check_sgl(struct pcie_hw *hw, const struct pcie_xfer_caps *caps, const struct iovec *dv,
	  size_t dcnt, const struct iovec *mv, size_t mcnt, int want_err, int want_psdt)
{
	struct xnvme_spec_cmd cmd;
	uint64_t list_iova = 0;
	uint8_t *list = fake_dma_alloc(hw, caps->list_nbytes, 4096, &list_iova);
	uint8_t *want = malloc(4u << 20), *got = malloc(4u << 20);
	size_t n, len = 0;
	int err;

	memset(&cmd, 0, sizeof(cmd));
	err = pcie_xfer_sgl(hw, caps, &cmd, dv, dcnt, mv, mcnt, list, list_iova);
	CHECK(err == want_err);
	if (!err && !want_err) {
		CHECK(cmd.common.psdt == want_psdt);
		n = iov_gather(dv, dcnt, want);
		CHECK(!walk_sgl_desc(hw, &cmd.common.dptr.sgl, got, &len));
		CHECK(len == n && !memcmp(want, got, n));
		n = iov_gather(mv, mcnt, want);
		len = 0;
		if (cmd.common.psdt == XNVME_SPEC_PSDT_SGL_MPTR_SGL) {
			CHECK(!walk_sgl_desc(hw, bus_to_va(hw, cmd.common.mptr), got, &len));
		} else if (mcnt) {
			memcpy(got, bus_to_va(hw, cmd.common.mptr), n);
			len = n;
		}
		CHECK(len == n && !memcmp(want, got, n));
	}
	free(want);
	free(got);
	free(list);
}

static void
test_sgl(struct pcie_hw *hw)
{
	struct pcie_xfer_caps caps = {.sgl = 1, .sgl_mptr_sgl = 1, .list_nbytes = 4096};
	uint8_t *a = g_arena;
	struct iovec d[5] = {
	    {a + 3, 1000}, {a + 9000, 17}, {a + 70000, 65536}, {a + 200001, 3}, {a + 300000, 4096},
	};
	struct iovec m[2] = {{a + 1u * (1u << 20), 40}, {a + (1u << 20) + 4093, 24}};

	check_sgl(hw, &caps, d, 1, NULL, 0, 0, XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS);
	check_sgl(hw, &caps, d, 5, NULL, 0, 0, XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS);
	check_sgl(hw, &caps, &d[4], 1, m, 1, 0, XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS);
	check_sgl(hw, &caps, d, 5, m, 2, 0, XNVME_SPEC_PSDT_SGL_MPTR_SGL);
	/* Vectored metadata without SGLS bit 19 is not expressible */
	caps.sgl_mptr_sgl = 0;
	check_sgl(hw, &caps, d, 5, m, 2, -EINVAL, 0);
	/* Dword alignment when SGLS says 10b */
	caps.sgl_dword = 1;
	check_sgl(hw, &caps, d, 1, NULL, 0, -EINVAL, 0);
	/* More descriptors than the slot's list holds */
	caps.sgl_dword = 0;
	caps.list_nbytes = 32;
	check_sgl(hw, &caps, d, 5, NULL, 0, -E2BIG, 0);
}

/* The whole map on a PRP-only controller: a vector PRPs cannot take goes through a bounce */
static void
test_bounce(struct pcie_hw *hw)
{
	struct pcie_ctrl ctrl;
	struct pcie_qpair qp;
	struct xnvme_spec_cmd cmd;
	uint8_t *a = g_arena;
	uint8_t dst1[700], dst2[3000], got[3700], want[3700];
	struct iovec v[2] = {{dst1, sizeof(dst1)}, {dst2, sizeof(dst2)}};

	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.hw = hw;
	ctrl.caps.list_nbytes = 4096;
	CHECK(!pcie_qp_init(&qp, &ctrl, 1, 4, 3, 1000000000ULL));
	/* A read (opcode 02h): nothing copied in, the device's bytes copied back on completion */
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = 0x02;
	memset(dst1, 0xAA, sizeof(dst1));
	memset(dst2, 0xAA, sizeof(dst2));
	CHECK(!pcie_xfer_map(&qp, &qp.slots[0], &cmd, v, 2, sizeof(got), NULL, 0, 0, 0));
	CHECK(qp.slots[0].data.buf && qp.slots[0].data.vec);
	for (size_t i = 0; i < sizeof(want); ++i) {
		want[i] = (uint8_t)(i * 7 + 1);
	}
	/* The device writes where the command points */
	CHECK(cmd.common.dptr.prp.prp1 != 0);
	memcpy(bus_to_va(hw, cmd.common.dptr.prp.prp1), want, sizeof(want));
	pcie_xfer_unbounce(&qp.slots[0]);
	CHECK(!memcmp(dst1, want, sizeof(dst1)));
	CHECK(!memcmp(dst2, want + sizeof(dst1), sizeof(dst2)));
	CHECK(!qp.slots[0].data.vec);
	/* A write: the bytes copied in, nothing kept to copy back */
	cmd.common.opcode = 0x01;
	CHECK(!pcie_xfer_map(&qp, &qp.slots[1], &cmd, v, 2, sizeof(got), NULL, 0, 0, 0));
	CHECK(!qp.slots[1].data.vec);
	CHECK(!walk_prp(hw, &cmd, sizeof(got), got));
	CHECK(!memcmp(got, want, sizeof(want)));
	/* A plain buffer maps without a bounce, and metadata by MPTR */
	v[0].iov_base = a;
	v[0].iov_len = 8192;
	v[1].iov_base = a + 65536;
	v[1].iov_len = 64;
	CHECK(!pcie_xfer_map(&qp, &qp.slots[2], &cmd, v, 1, 8192, &v[1], 1, 64, 0));
	CHECK(!qp.slots[2].data.vec && !qp.slots[2].md.vec);
	CHECK(bus_to_va(hw, cmd.common.mptr) == a + 65536);
	pcie_qp_destroy(&qp);
}

/* On an SGL controller: a vector of more pieces than a slot's segment holds goes bounced */
static void
test_sgl_bounce(struct pcie_hw *hw)
{
	struct pcie_ctrl ctrl;
	struct pcie_qpair qp;
	struct xnvme_spec_cmd cmd;
	uint8_t *a = g_arena, got[8 * 1000], want[8 * 1000];
	struct iovec v[8];
	size_t len = 0;

	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.hw = hw;
	ctrl.caps.sgl = 1;
	ctrl.caps.list_nbytes = 4096;
	CHECK(!pcie_qp_init(&qp, &ctrl, 1, 4, 3, 1000000000ULL));
	for (size_t i = 0; i < 8; ++i) {
		v[i].iov_base = a + i * 9000 + 1; /* apart: one descriptor each */
		v[i].iov_len = 1000;
	}
	iov_gather(v, 8, want);
	/* Room for 4 descriptors only: as the list memory of a slot were 64 bytes */
	ctrl.caps.list_nbytes = 64;
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = 0x01;
	CHECK(!pcie_xfer_map(&qp, &qp.slots[0], &cmd, v, 8, sizeof(want), NULL, 0, 0, 0));
	CHECK(qp.slots[0].data.buf != NULL);
	CHECK(!walk_sgl_desc(hw, &cmd.common.dptr.sgl, got, &len));
	CHECK(len == sizeof(want) && !memcmp(got, want, sizeof(want)));
	pcie_qp_destroy(&qp);
}

int
main(void)
{
	struct pcie_hw *faces[] = {&g_linear, &g_scatter};

	if (posix_memalign((void **)&g_arena, 4096, ARENA_NBYTES)) {
		return 1;
	}
	for (size_t i = 0; i < ARENA_NBYTES; ++i) {
		g_arena[i] = (uint8_t)(i * 131 + (i >> 12));
	}
	for (size_t f = 0; f < 2; ++f) {
		test_prp(faces[f]);
		test_sgl(faces[f]);
		test_bounce(faces[f]);
		test_sgl_bounce(faces[f]);
	}
	free(g_arena);
	printf("%s: %d failed checks\n", g_fails ? "FAIL" : "ok", g_fails);
	return g_fails ? 1 : 0;
}
