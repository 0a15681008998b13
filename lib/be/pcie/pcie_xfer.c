/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a command's data and metadata are: PRPs (NVMe 2.0 4.1.1: the first entry may start
 * anywhere dword aligned, every later one at a page, every piece but the last ends at a page; a
 * list longer than a page chains by its last entry) and SGLs (4.1.2: a data block descriptor in
 * the command for one piece, a last segment of data blocks for several; metadata by MPTR, or by
 * an SGL when PSDT is 10b). Pieces neither can take go through the slot's bounce buffers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_be_pcie.h"

#define PAGE_MASK    ((uint64_t)PCIE_PAGE - 1)
#define PRP_PER_PAGE (PCIE_PAGE / 8)

/*
 * Appends @p ent to the PRP list, chaining into the next page when this one is full: the
 * page's last entry moves to the next page and a pointer to that page takes its place.
 */
static int
prp_push(struct pcie_hw *hw, uint64_t *ents, size_t *pos, size_t cap, uint64_t ent)
{
	if (*pos && !(*pos % PRP_PER_PAGE)) {
		uint64_t next;
		int err;

		if (*pos + 1 >= cap) {
			return -E2BIG;
		}
		/* Translated, not list_iova + offset: a face may place each page on its own */
		err = pcie_hw_iova(hw, &ents[*pos], &next);
		if (err) {
			return err;
		}
		ents[*pos] = ents[*pos - 1];
		ents[*pos - 1] = next;
		(*pos)++;
	}
	if (*pos >= cap) {
		return -E2BIG;
	}
	ents[(*pos)++] = ent;
	return 0;
}

int
pcie_xfer_prp(struct pcie_hw *hw, struct xnvme_spec_cmd *cmd, const struct iovec *iov, size_t cnt,
	      size_t nbytes, uint8_t *list, uint64_t list_iova, size_t list_nbytes)
{
	uint64_t *ents = (uint64_t *)list;
	size_t pos = 0, left = nbytes;
	int have_first = 0;

	cmd->common.psdt = XNVME_SPEC_PSDT_PRP;
	cmd->common.dptr.prp.prp1 = 0;
	cmd->common.dptr.prp.prp2 = 0;
	for (size_t i = 0; i < cnt && left; ++i) {
		const uint8_t *va = iov[i].iov_base;
		size_t len = iov[i].iov_len < left ? iov[i].iov_len : left;

		while (len) {
			size_t chunk = PCIE_PAGE - ((uintptr_t)va & PAGE_MASK);
			uint64_t iova;
			int err;

			chunk = chunk < len ? chunk : len;
			err = pcie_hw_iova(hw, va, &iova);
			if (err) {
				return err;
			}
			if (!have_first) {
				if (iova & 3) {
					return -EINVAL;
				}
				cmd->common.dptr.prp.prp1 = iova;
				have_first = 1;
			} else if (iova & PAGE_MASK) {
				return -EINVAL; /* a later entry must start a page */
			} else {
				err = prp_push(hw, ents, &pos, list_nbytes / 8, iova);
				if (err) {
					return err;
				}
			}
			va += chunk;
			len -= chunk;
			left -= chunk;
			/* More follows: this chunk must end at a page (in bus addresses) */
			if (left && ((iova + chunk) & PAGE_MASK)) {
				return -EINVAL;
			}
		}
	}
	if (left) {
		return -EINVAL; /* the pieces hold less than nbytes */
	}
	if (pos == 1) {
		cmd->common.dptr.prp.prp2 = ents[0];
	} else if (pos > 1) {
		cmd->common.dptr.prp.prp2 = list_iova;
	}
	return 0;
}

static void
sgl_block(struct xnvme_spec_sgl_descriptor *d, uint64_t addr, uint32_t len)
{
	memset(d, 0, sizeof(*d));
	d->addr = addr;
	d->unkeyed.len = len;
	d->unkeyed.type = XNVME_SPEC_SGL_DESCR_TYPE_DATA_BLOCK;
}

static void
sgl_last_segment(struct xnvme_spec_sgl_descriptor *d, uint64_t addr, uint32_t len)
{
	memset(d, 0, sizeof(*d));
	d->addr = addr;
	d->unkeyed.len = len;
	d->unkeyed.type = XNVME_SPEC_SGL_DESCR_TYPE_LAST_SEGMENT;
}

/*
 * Data block descriptors of @p cnt pieces from @p descs[*n]: one per piece on a linear face,
 * one per run of contiguous bus addresses otherwise. -E2BIG past @p cap.
 */
static int
sgl_blocks(struct pcie_hw *hw, int dword, const struct iovec *iov, size_t cnt,
	   struct xnvme_spec_sgl_descriptor *descs, size_t *n, size_t cap)
{
	for (size_t i = 0; i < cnt; ++i) {
		const uint8_t *va = iov[i].iov_base;
		size_t len = iov[i].iov_len;

		while (len) {
			size_t chunk =
			    hw->iova_linear ? len : PCIE_PAGE - ((uintptr_t)va & PAGE_MASK);
			uint64_t iova;
			int err;

			chunk = chunk < len ? chunk : len;
			chunk =
			    chunk > UINT32_MAX ? (size_t)UINT32_MAX & ~(size_t)PAGE_MASK : chunk;
			err = pcie_hw_iova(hw, va, &iova);
			if (err) {
				return err;
			}
			if (dword && ((iova | chunk) & 3)) {
				return -EINVAL;
			}
			if (*n && descs[*n - 1].addr + descs[*n - 1].unkeyed.len == iova &&
			    (uint64_t)descs[*n - 1].unkeyed.len + chunk <= UINT32_MAX) {
				descs[*n - 1].unkeyed.len += (uint32_t)chunk;
			} else if (*n >= cap) {
				return -E2BIG;
			} else {
				sgl_block(&descs[(*n)++], iova, (uint32_t)chunk);
			}
			va += chunk;
			len -= chunk;
		}
	}
	return 0;
}

int
pcie_xfer_sgl(struct pcie_hw *hw, const struct pcie_xfer_caps *caps, struct xnvme_spec_cmd *cmd,
	      const struct iovec *dvec, size_t dcnt, const struct iovec *mvec, size_t mcnt,
	      uint8_t *list, uint64_t list_iova)
{
	struct xnvme_spec_sgl_descriptor *descs = (void *)list;
	size_t cap = caps->list_nbytes / sizeof(*descs);
	size_t nd = 0, m0, nm = 0;
	int err;

	err = sgl_blocks(hw, caps->sgl_dword, dvec, dcnt, descs, &nd, cap);
	if (err) {
		return err;
	}
	if (nd == 1) {
		cmd->common.dptr.sgl = descs[0];
	} else if (!nd) {
		sgl_block(&cmd->common.dptr.sgl, 0, 0);
	} else {
		sgl_last_segment(&cmd->common.dptr.sgl, list_iova, (uint32_t)(nd * sizeof(*descs)));
	}
	cmd->common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS;
	cmd->common.mptr = 0;
	if (!mcnt) {
		return 0;
	}
	/* The descriptor MPTR points at goes at nd, the metadata's blocks after it */
	m0 = nd + 1;
	if (m0 >= cap) {
		return -E2BIG;
	}
	err = sgl_blocks(hw, caps->sgl_dword, mvec, mcnt, descs + m0, &nm, cap - m0);
	if (err) {
		return err;
	}
	if (nm == 1 && !(descs[m0].addr & 3)) {
		cmd->common.mptr = descs[m0].addr; /* contiguous: MPTR is its address */
		return 0;
	}
	if (!caps->sgl_mptr_sgl) {
		return -EINVAL;
	}
	if (nm == 1) {
		descs[nd] = descs[m0];
	} else {
		sgl_last_segment(&descs[nd], list_iova + m0 * sizeof(*descs),
				 (uint32_t)(nm * sizeof(*descs)));
	}
	cmd->common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_SGL;
	cmd->common.mptr = list_iova + nd * sizeof(*descs);
	return 0;
}

/*
 * Opcode bits 1:0 say the direction of a command's data (NVMe 2.0 Figure 28: 01b to the
 * controller, 10b from it, 11b both): what a bounce buffer copies in and back.
 */
static int
xfer_to_dev(uint8_t opc)
{
	return (opc & 3) != 2;
}

static int
xfer_from_dev(uint8_t opc)
{
	return (opc & 3) != 1;
}

static size_t
iov_copy(const struct iovec *iov, size_t cnt, uint8_t *buf, size_t nbytes, int to_buf)
{
	size_t off = 0;

	for (size_t i = 0; i < cnt && off < nbytes; ++i) {
		size_t n = iov[i].iov_len < nbytes - off ? iov[i].iov_len : nbytes - off;

		if (to_buf) {
			memcpy(buf + off, iov[i].iov_base, n);
		} else {
			memcpy(iov[i].iov_base, buf + off, n);
		}
		off += n;
	}
	return off;
}

/* A bounce buffer of at least @p nbytes in b->buf (grown as needed, kept for the slot's life) */
static int
bounce_get(struct pcie_hw *hw, struct pcie_bounce *b, size_t nbytes)
{
	size_t want = (nbytes + PAGE_MASK) & ~(size_t)PAGE_MASK;

	if (b->buf && b->cap >= want) {
		return 0;
	}
	if (b->buf) {
		hw->ops->dma_free(hw, b->buf, b->cap);
		b->buf = NULL;
		b->cap = 0;
	}
	b->buf = hw->ops->dma_alloc(hw, want ? want : PCIE_PAGE, PCIE_PAGE, &b->iova);
	if (!b->buf) {
		return -ENOMEM;
	}
	b->cap = want ? want : PCIE_PAGE;
	return 0;
}

/*
 * Copies @p cnt pieces into the bounce buffer @p b, remembering them (a copy) to read back;
 * @p piece: the one piece the command then carries
 */
static int
bounce_in(struct pcie_hw *hw, uint8_t opc, const struct iovec *iov, size_t cnt, size_t nbytes,
	  struct pcie_bounce *b, struct iovec *piece)
{
	int err = bounce_get(hw, b, nbytes);

	if (err) {
		return err;
	}
	piece->iov_base = b->buf;
	piece->iov_len = nbytes;
	if (xfer_to_dev(opc)) {
		iov_copy(iov, cnt, b->buf, nbytes, 1);
	}
	if (!xfer_from_dev(opc)) {
		b->vec = NULL;
		return 0;
	}
	/* The caller's vector may be gone by the completion: keep its pieces */
	if (cnt == 1) {
		b->one = iov[0];
		b->vec = &b->one;
	} else {
		struct iovec *copy = malloc(cnt * sizeof(*copy));

		if (!copy) {
			return -ENOMEM;
		}
		memcpy(copy, iov, cnt * sizeof(*copy));
		b->vec = copy;
	}
	b->cnt = cnt;
	return 0;
}

static void
bounce_forget(struct pcie_bounce *b)
{
	if (b->vec && b->vec != &b->one) {
		free((void *)b->vec);
	}
	b->vec = NULL;
}

static void
bounce_out(struct pcie_bounce *b)
{
	if (b->vec) {
		iov_copy(b->vec, b->cnt, b->buf, SIZE_MAX, 0);
		bounce_forget(b);
	}
}

static void
bounce_free(struct pcie_hw *hw, struct pcie_bounce *b)
{
	bounce_forget(b);
	if (b->buf) {
		hw->ops->dma_free(hw, b->buf, b->cap);
	}
	b->buf = NULL;
	b->cap = 0;
}

void
pcie_xfer_unbounce(struct pcie_slot *slot)
{
	bounce_out(&slot->data);
	bounce_out(&slot->md);
}

void
pcie_xfer_forget(struct pcie_slot *slot)
{
	bounce_forget(&slot->data);
	bounce_forget(&slot->md);
}

void
pcie_xfer_slot_free(struct pcie_hw *hw, struct pcie_slot *slot)
{
	bounce_free(hw, &slot->data);
	bounce_free(hw, &slot->md);
}

/* MPTR of a PRP command: one dword-aligned piece the face can reach */
static int
prp_mptr(struct pcie_hw *hw, struct xnvme_spec_cmd *cmd, const struct iovec *mvec, size_t mcnt,
	 size_t mnbytes)
{
	uint64_t iova;
	int err;

	cmd->common.mptr = 0;
	if (!mcnt || !mnbytes) {
		return 0;
	}
	if (mcnt > 1) {
		return -EINVAL;
	}
	err = pcie_hw_iova(hw, mvec[0].iov_base, &iova);
	if (err) {
		return err;
	}
	/* Contiguous in bus addresses too: a linear face promises it, others by the last byte */
	if (!hw->iova_linear && mnbytes > 1) {
		uint64_t last;

		err = pcie_hw_iova(hw, (uint8_t *)mvec[0].iov_base + mnbytes - 1, &last);
		if (err || last != iova + mnbytes - 1) {
			return err ? err : -EINVAL;
		}
	}
	if (iova & 3) {
		return -EINVAL;
	}
	cmd->common.mptr = iova;
	return 0;
}

/* Whether an error of a builder means "not as it is" (a bounce buffer helps) */
static int
xfer_bounceable(int err)
{
	return err == -EINVAL || err == -E2BIG || err == -EFAULT;
}

/*
 * Separate metadata a read, write, compare or append of the device's namespace came without:
 * the controller moves it all the same (MPTR must point somewhere), so it goes to zeroed memory
 * of the slot's, as the ramdisk and the kernel's paths take such commands. 1: @p m is set.
 */
static int
xfer_md_scratch(struct pcie_qpair *qp, struct pcie_slot *slot, const struct xnvme_spec_cmd *cmd,
		struct iovec *m, int *err)
{
	const struct xnvme_geo *geo = &qp->dev->geo;
	uint8_t opc = cmd->common.opcode;
	size_t need;

	if (!geo->nbytes_oob || geo->lba_extended || geo->type == XNVME_GEO_KV ||
	    cmd->common.nsid != qp->dev->ident.nsid ||
	    (opc != XNVME_SPEC_NVM_OPC_WRITE && opc != XNVME_SPEC_NVM_OPC_READ &&
	     opc != XNVME_SPEC_NVM_OPC_COMPARE && opc != XNVME_SPEC_ZND_OPC_APPEND)) {
		return 0;
	}
	need = ((size_t)cmd->nvm.nlb + 1) * geo->nbytes_oob;
	*err = bounce_get(qp->hw, &slot->md, need);
	if (*err) {
		return 0;
	}
	memset(slot->md.buf, 0, need);
	m->iov_base = slot->md.buf;
	m->iov_len = need;
	return 1;
}

static int
xfer_map(struct pcie_qpair *qp, struct pcie_slot *slot, struct xnvme_spec_cmd *cmd,
	 const struct iovec *dvec, size_t dcnt, size_t dnbytes, const struct iovec *mvec,
	 size_t mcnt, size_t mnbytes, int admin)
{
	const struct pcie_xfer_caps *caps = &qp->ctrl->caps;
	struct pcie_hw *hw = qp->hw;
	uint8_t opc = cmd->common.opcode;
	struct iovec dbounce, mbounce, scratch;
	int err = 0;

	dcnt = dnbytes ? dcnt : 0;
	mcnt = mnbytes ? mcnt : 0;
	if (!mcnt && qp->dev && xfer_md_scratch(qp, slot, cmd, &scratch, &err)) {
		mvec = &scratch;
		mcnt = 1;
		mnbytes = scratch.iov_len;
	}
	if (err) {
		return err;
	}
	if (!dcnt && !mcnt) {
		return 0; /* no data: the pointers are the command's own (a queue's base address) */
	}
	if (!admin && caps->sgl) {
		err = pcie_xfer_sgl(hw, caps, cmd, dvec, dcnt, mvec, mcnt, slot->list,
				    slot->list_iova);
		if (!xfer_bounceable(err)) {
			return err;
		}
		/* One piece each, in memory of the face's: always expressible */
		if (dcnt) {
			err = bounce_in(hw, opc, dvec, dcnt, dnbytes, &slot->data, &dbounce);
			dvec = &dbounce;
			dcnt = 1;
		}
		if (!err && mcnt) {
			err = bounce_in(hw, opc, mvec, mcnt, mnbytes, &slot->md, &mbounce);
			mvec = &mbounce;
			mcnt = 1;
		}
		return err ? err
			   : pcie_xfer_sgl(hw, caps, cmd, dvec, dcnt, mvec, mcnt, slot->list,
					   slot->list_iova);
	}
	err = pcie_xfer_prp(hw, cmd, dvec, dcnt, dnbytes, slot->list, slot->list_iova,
			    qp->list_nbytes);
	if (xfer_bounceable(err) && dcnt) {
		err = bounce_in(hw, opc, dvec, dcnt, dnbytes, &slot->data, &dbounce);
		err = err ? err
			  : pcie_xfer_prp(hw, cmd, &dbounce, 1, dnbytes, slot->list,
					  slot->list_iova, qp->list_nbytes);
	}
	if (err) {
		return err;
	}
	err = prp_mptr(hw, cmd, mvec, mcnt, mnbytes);
	if (xfer_bounceable(err)) {
		err = bounce_in(hw, opc, mvec, mcnt, mnbytes, &slot->md, &mbounce);
		if (!err) {
			cmd->common.mptr = slot->md.iova;
		}
	}
	return err;
}

int
pcie_xfer_map(struct pcie_qpair *qp, struct pcie_slot *slot, struct xnvme_spec_cmd *cmd,
	      const struct iovec *dvec, size_t dcnt, size_t dnbytes, const struct iovec *mvec,
	      size_t mcnt, size_t mnbytes, int admin)
{
	int err = xfer_map(qp, slot, cmd, dvec, dcnt, dnbytes, mvec, mcnt, mnbytes, admin);

	/* Not submitted: nothing of it may be copied back at the slot's next completion */
	if (err) {
		pcie_xfer_forget(slot);
	}
	return err;
}
