// SPDX-License-Identifier: BSD-3-Clause
/*
 * The model's data transfer (model.h): how many bytes each command moves, and its PRPs or SGLs
 * (NVMe 2.0 4.1.1-4.1.2) walked into iovecs of host pointers for the ramdisk's executor.
 *
 * Decisions: admin commands take PRPs only (PSDT other than 00b: Invalid Field), as NVMe over
 * PCIe requires. A transfer above MDTS is Invalid Field. PRP1 must be dword aligned, PRP2 as a
 * data pointer and every list entry page aligned, a list pointer qword aligned (PRP Offset
 * Invalid); the last entry of a list page points to the next when more than one page remains.
 * SGLs: data block, segment and last segment descriptors with the address sub type; bit bucket
 * and keyed descriptors are SGL Descriptor Type Invalid; a segment or last segment descriptor
 * that is not the last of its segment, a segment descriptor inside a last segment, or a segment
 * whose length is 0 or not a multiple of 16 is Invalid SGL Segment Descriptor; data blocks
 * shorter than the transfer are Data (Metadata) SGL Length Invalid, longer ones are accepted
 * (SGLS's oversized bit). Metadata: by MPTR as one buffer (PSDT 00b, 01b) or by an SGL
 * descriptor at MPTR (PSDT 10b). An address the model cannot reach is a Data Transfer Error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define SC_INVALID_SGL_SEG  0x0D
#define SC_INVALID_NSGL     0x0E
#define SC_DATA_SGL_LEN     0x0F
#define SC_MD_SGL_LEN       0x10
#define SC_SGL_TYPE_INVALID 0x11
#define SC_PRP_OFFSET       0x13
#define ST(sc)              ((uint16_t)(sc)) ///< Generic status type: SCT 0
#define XFER_ERR            ST(XNVME_SPEC_SC_DATA_XFER_ERROR)

void
model_vec_free(struct model_vec *v)
{
	free(v->iov);
	memset(v, 0, sizeof(*v));
}

/* Appends @p len bytes at bus address @p iova (merged with the last piece when adjacent) */
static uint16_t
model_vec_add(struct model_vec *v, uint64_t iova, size_t len)
{
	uint8_t *p = model_ptr(iova, len);

	if (!p) {
		return XFER_ERR;
	}
	if (!len) {
		return 0;
	}
	if (v->cnt && (uint8_t *)v->iov[v->cnt - 1].iov_base + v->iov[v->cnt - 1].iov_len == p) {
		v->iov[v->cnt - 1].iov_len += len;
		v->nbytes += len;
		return 0;
	}
	if (v->cnt == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct iovec *iov = realloc(v->iov, cap * sizeof(*iov));

		if (!iov) {
			return ST(XNVME_SPEC_SC_INTERNAL_DEVICE_ERROR);
		}
		v->iov = iov;
		v->cap = cap;
	}
	v->iov[v->cnt].iov_base = p;
	v->iov[v->cnt].iov_len = len;
	v->cnt++;
	v->nbytes += len;
	return 0;
}

/* I/O data and metadata lengths by the namespace's command set and format */
static uint16_t
model_io_len(struct model *m, const struct xnvme_spec_cmd *cmd, size_t *dbytes, size_t *mbytes)
{
	struct rd_ns *ns = rd_ns_get(m->rd, cmd->common.nsid);
	uint64_t nlb = (uint64_t)cmd->nvm.nlb + 1;

	if (!ns) {
		return 0; /* the executor answers (Invalid Namespace, or a flush of all) */
	}
	if (ns->csi == XNVME_SPEC_CSI_KV) {
		switch (cmd->common.opcode) {
		case XNVME_SPEC_KV_OPC_STORE:
		case XNVME_SPEC_KV_OPC_RETRIEVE:
		case XNVME_SPEC_KV_OPC_LIST:
			*dbytes = cmd->cdw[10]; /* value size, or the host buffer's */
			break;
		}
		return 0;
	}
	switch (cmd->common.opcode) {
	case XNVME_SPEC_NVM_OPC_READ:
	case XNVME_SPEC_NVM_OPC_WRITE:
	case XNVME_SPEC_NVM_OPC_COMPARE:
	case XNVME_SPEC_ZND_OPC_APPEND:
		*dbytes = nlb * (ns->lbads + (ns->mset ? ns->ms : 0));
		*mbytes = ns->mset ? 0 : nlb * ns->ms;
		break;
	case XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT:
		*dbytes = ((size_t)cmd->dsm.nr + 1) * sizeof(struct xnvme_spec_dsm_range);
		break;
	case XNVME_SPEC_NVM_OPC_SCOPY:
		*dbytes =
		    ((size_t)cmd->scopy.nr + 1) * sizeof(struct xnvme_spec_nvm_scopy_fmt_zero);
		break;
	case XNVME_SPEC_ZND_OPC_MGMT_SEND:
		if (ns->csi == XNVME_SPEC_CSI_ZONED &&
		    cmd->znd.mgmt_send.zsa == XNVME_SPEC_ZND_CMD_MGMT_SEND_DESCRIPTOR) {
			*dbytes = (size_t)ns->zdes * 64;
		}
		break;
	case XNVME_SPEC_ZND_OPC_MGMT_RECV:
		if (ns->csi == XNVME_SPEC_CSI_ZONED) {
			*dbytes = ((size_t)cmd->znd.mgmt_recv.ndwords + 1) * 4;
		}
		break;
	}
	return 0;
}

uint16_t
model_xfer_len(struct model *m, const struct xnvme_spec_cmd *cmd, int admin, size_t *dbytes,
	       size_t *mbytes)
{
	*dbytes = *mbytes = 0;
	if (admin) {
		switch (cmd->common.opcode) {
		case XNVME_SPEC_ADM_OPC_IDFY:
			*dbytes = sizeof(struct xnvme_spec_idfy);
			break;
		case XNVME_SPEC_ADM_OPC_LOG:
			*dbytes = (((size_t)cmd->log.numdu << 16 | cmd->log.numdl) + 1) * 4;
			break;
		}
	} else {
		model_io_len(m, cmd, dbytes, mbytes);
	}
	if (*dbytes > ((size_t)MODEL_PAGE << m->mdts)) {
		return ST(XNVME_SPEC_SC_INVALID_FIELD);
	}
	return 0;
}

/* The PRP list page entries at bus address @p iova: NULL when unreachable */
static const uint64_t *
model_prp_list(uint64_t iova, size_t *nent)
{
	*nent = (MODEL_PAGE - (iova & (MODEL_PAGE - 1))) / 8;
	return model_ptr(iova, *nent * 8);
}

/* PRP1, PRP2 and the lists they lead to, for @p len bytes */
static uint16_t
model_prp_walk(const struct xnvme_spec_cmd *cmd, size_t len, struct model_vec *v)
{
	uint64_t prp1 = cmd->common.dptr.prp.prp1, prp2 = cmd->common.dptr.prp.prp2;
	size_t first, nent, idx = 0;
	const uint64_t *list;
	uint16_t st;

	if (prp1 & 3) {
		return ST(SC_PRP_OFFSET);
	}
	first = MODEL_PAGE - (prp1 & (MODEL_PAGE - 1));
	first = first < len ? first : len;
	st = model_vec_add(v, prp1, first);
	len -= first;
	if (st || !len) {
		return st;
	}
	if (len <= MODEL_PAGE) {
		return (prp2 & (MODEL_PAGE - 1)) ? ST(SC_PRP_OFFSET) : model_vec_add(v, prp2, len);
	}
	if (prp2 & 7) {
		return ST(SC_PRP_OFFSET);
	}
	list = model_prp_list(prp2, &nent);
	if (!list) {
		return XFER_ERR;
	}
	while (len) {
		uint64_t e = list[idx];
		size_t chunk = len < MODEL_PAGE ? len : MODEL_PAGE;

		if (e & (MODEL_PAGE - 1)) {
			return ST(SC_PRP_OFFSET);
		}
		if (idx == nent - 1 && len > MODEL_PAGE) {
			/* The last entry of a list page chains the next list */
			list = model_prp_list(e, &nent);
			if (!list) {
				return XFER_ERR;
			}
			idx = 0;
			continue;
		}
		st = model_vec_add(v, e, chunk);
		if (st) {
			return st;
		}
		len -= chunk;
		idx++;
	}
	return 0;
}

/*
 * The SGL that starts with descriptor @p first, for @p need bytes (more are accepted);
 * @p short_sc: the status when the data blocks fall short
 */
static uint16_t
model_sgl_walk(const struct xnvme_spec_sgl_descriptor *first, size_t need, uint8_t short_sc,
	       struct model_vec *v)
{
	const struct xnvme_spec_sgl_descriptor *seg = first, *next;
	size_t n = 1, ndesc = 0, nnext = 0;
	int last_seg = 0;

	do {
		next = NULL;
		for (size_t i = 0; i < n; ++i) {
			const struct xnvme_spec_sgl_descriptor *d = &seg[i];
			uint32_t type = (uint32_t)d->generic.type, len = (uint32_t)d->unkeyed.len;

			if (++ndesc > MODEL_SGL_DESC_MAX) {
				return ST(SC_INVALID_NSGL);
			}
			if (d->generic.subtype != XNVME_SPEC_SGL_DESCR_SUBTYPE_ADDRESS) {
				return ST(SC_SGL_TYPE_INVALID);
			}
			if (type == XNVME_SPEC_SGL_DESCR_TYPE_DATA_BLOCK) {
				size_t take = len < need - v->nbytes ? len : need - v->nbytes;
				uint16_t st;

				/* Beyond the transfer the block is not touched: oversized SGL */
				if (!model_ptr(d->addr, len)) {
					return XFER_ERR;
				}
				st = model_vec_add(v, d->addr, take);
				if (st) {
					return st;
				}
				continue;
			}
			if (type != XNVME_SPEC_SGL_DESCR_TYPE_SEGMENT &&
			    type != XNVME_SPEC_SGL_DESCR_TYPE_LAST_SEGMENT) {
				return ST(SC_SGL_TYPE_INVALID);
			}
			/* Only a segment's last descriptor leads on, and a last segment nowhere */
			if (i != n - 1 || last_seg || !len || len % 16 || (d->addr & 7)) {
				return ST(SC_INVALID_SGL_SEG);
			}
			last_seg = type == XNVME_SPEC_SGL_DESCR_TYPE_LAST_SEGMENT;
			next = model_ptr(d->addr, len);
			if (!next) {
				return XFER_ERR;
			}
			nnext = len / 16;
		}
		seg = next;
		n = nnext;
	} while (seg);
	return v->nbytes < need ? ST(short_sc) : 0;
}

uint16_t
model_xfer_map(struct model *m, const struct xnvme_spec_cmd *cmd, int admin, size_t dbytes,
	       size_t mbytes)
{
	uint32_t psdt = cmd->common.psdt;
	uint64_t mptr = cmd->common.mptr;
	uint16_t st = 0;

	m->dvec.cnt = m->dvec.nbytes = 0;
	m->mvec.cnt = m->mvec.nbytes = 0;
	if (psdt == 3 || (psdt && (admin || !m->sgl))) {
		return ST(XNVME_SPEC_SC_INVALID_FIELD);
	}
	if (dbytes) {
		st = psdt ? model_sgl_walk(&cmd->common.dptr.sgl, dbytes, SC_DATA_SGL_LEN, &m->dvec)
			  : model_prp_walk(cmd, dbytes, &m->dvec);
	}
	if (st || !mbytes) {
		return st;
	}
	if (psdt == XNVME_SPEC_PSDT_SGL_MPTR_SGL) {
		const struct xnvme_spec_sgl_descriptor *d;

		if (mptr & 7) {
			return ST(SC_INVALID_SGL_SEG);
		}
		d = model_ptr(mptr, sizeof(*d));
		return d ? model_sgl_walk(d, mbytes, SC_MD_SGL_LEN, &m->mvec) : XFER_ERR;
	}
	if (!psdt && (mptr & 3)) {
		return ST(XNVME_SPEC_SC_INVALID_FIELD);
	}
	return model_vec_add(&m->mvec, mptr, mbytes);
}
