/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk model's NVM command set: read, write, compare, write zeroes, write uncorrectable,
 * dataset management (deallocate), verify, copy and flush, with metadata extended in the data or
 * in a separate buffer. Blocks written uncorrectable fail reads (Unrecovered Read Error) until
 * they are written again; deallocated blocks read as zeros (DLFEAT 1).
 */
#include <errno.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_be_ramdisk.h"

/* Status values beyond the library's enums: NVMe 2.0 Figure 102 (Command Size Limit Exceeded) */
#define RD_SC_CMD_SIZE_LIMIT 0x83

static int
rd_uncor_get(const struct rd_ns *ns, uint64_t lba)
{
	return (ns->uncor[lba / 8] >> (lba % 8)) & 1;
}

static void
rd_uncor_set(struct rd_ns *ns, uint64_t slba, uint64_t nlb, int val)
{
	for (uint64_t lba = slba; lba < slba + nlb; ++lba) {
		if (val) {
			ns->uncor[lba / 8] |= (uint8_t)(1 << (lba % 8));
		} else {
			ns->uncor[lba / 8] &= (uint8_t) ~(1 << (lba % 8));
		}
	}
}

static int
rd_range_ok(const struct rd_ns *ns, uint64_t slba, uint64_t nlb)
{
	return slba < ns->nlb && nlb <= ns->nlb - slba;
}

static int
rd_lba_out_of_range(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx)
{
	return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC, XNVME_SPEC_SC_LBA_OUT_OF_RANGE);
}

/* Fails with Unrecovered Read Error when a block of the range is written uncorrectable */
static int
rd_check_uncor(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, uint64_t slba,
	       uint64_t nlb)
{
	for (uint64_t lba = slba; lba < slba + nlb; ++lba) {
		if (rd_uncor_get(ns, lba)) {
			ctrl->media_errors++;
			return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_MEDIA,
					 XNVME_SPEC_SC_UNRECOVERED_READ_ERROR);
		}
	}
	return 0;
}

/* Sizes of the data and metadata a transfer of @p nlb blocks needs */
static void
rd_xfer_sizes(const struct rd_ns *ns, uint64_t nlb, size_t *dbytes, size_t *mbytes)
{
	*dbytes = nlb * (ns->lbads + (ns->mset ? ns->ms : 0));
	*mbytes = ns->mset ? 0 : nlb * ns->ms;
}

/*
 * Moves @p nlb blocks from @p slba between the namespace and the command's buffers (@p to_host:
 * read direction). Metadata: interleaved in the data when extended; from / to the metadata
 * buffer when separate and given.
 */
static void
rd_move(struct rd_ctrl *ctrl, struct rd_ns *ns, uint64_t slba, uint64_t nlb, struct rd_buf *dbuf,
	struct rd_buf *mbuf, int to_host)
{
	size_t stride = ns->lbads + (ns->mset ? ns->ms : 0);

	if (ctrl->nil) {
		return;
	}
	if (!ns->mset || !ns->ms) {
		rd_buf_copy(dbuf, 0, ns->data + slba * ns->lbads, nlb * ns->lbads, to_host);
		if (ns->ms && mbuf->nbytes) {
			rd_buf_copy(mbuf, 0, ns->meta + slba * ns->ms, nlb * ns->ms, to_host);
		}
		return;
	}
	for (uint64_t i = 0; i < nlb; ++i) {
		rd_buf_copy(dbuf, i * stride, ns->data + (slba + i) * ns->lbads, ns->lbads,
			    to_host);
		rd_buf_copy(dbuf, i * stride + ns->lbads, ns->meta + (slba + i) * ns->ms, ns->ms,
			    to_host);
	}
}

/*
 * SMART / health: blocks read by Read, Compare and Verify count as data read and each such command
 * as a host read command; only Write (and zone append) counts as written: write zeroes and write
 * uncorrectable do not (NVMe 2.0, Figure 207)
 */
static void
rd_count_read(struct rd_ctrl *ctrl, const struct rd_ns *ns, uint64_t nlb)
{
	ctrl->bytes_read += nlb * ns->lbads;
	ctrl->host_reads++;
}

static void
rd_zero(struct rd_ctrl *ctrl, struct rd_ns *ns, uint64_t slba, uint64_t nlb)
{
	if (!ctrl->nil) {
		memset(ns->data + slba * ns->lbads, 0, nlb * ns->lbads);
		if (ns->ms) {
			memset(ns->meta + slba * ns->ms, 0, nlb * ns->ms);
		}
	}
	rd_uncor_set(ns, slba, nlb, 0);
}

/* Compares the range with the command's buffers, block by block, without a second copy */
static int
rd_compare(struct rd_ns *ns, uint64_t slba, uint64_t nlb, struct rd_buf *dbuf, struct rd_buf *mbuf)
{
	size_t stride = ns->lbads + (ns->mset ? ns->ms : 0);
	uint8_t blk[4096 + 64];

	for (uint64_t i = 0; i < nlb; ++i) {
		rd_buf_copy(dbuf, i * stride, blk, stride, 0);
		if (memcmp(blk, ns->data + (slba + i) * ns->lbads, ns->lbads) ||
		    (ns->mset && ns->ms &&
		     memcmp(blk + ns->lbads, ns->meta + (slba + i) * ns->ms, ns->ms))) {
			return -1;
		}
		if (!ns->mset && ns->ms && mbuf->nbytes) {
			rd_buf_copy(mbuf, i * ns->ms, blk, ns->ms, 0);
			if (memcmp(blk, ns->meta + (slba + i) * ns->ms, ns->ms)) {
				return -1;
			}
		}
	}
	return 0;
}

static int
rd_dsm(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf)
{
	size_t nranges = (size_t)ctx->cmd.dsm.nr + 1;
	struct xnvme_spec_dsm_range r;

	if (dbuf->nbytes < nranges * sizeof(r)) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_INVALID_FIELD);
	}
	/* All ranges are checked before any is deallocated: a refused command changes nothing */
	for (size_t i = 0; i < nranges; ++i) {
		rd_buf_copy(dbuf, i * sizeof(r), &r, sizeof(r), 0);
		if (!rd_range_ok(ns, r.slba, r.llb)) {
			return rd_lba_out_of_range(ctrl, ctx);
		}
	}
	for (size_t i = 0; ctx->cmd.dsm.ad && i < nranges; ++i) {
		rd_buf_copy(dbuf, i * sizeof(r), &r, sizeof(r), 0);
		rd_zero(ctrl, ns, r.slba, r.llb);
	}
	return 0;
}

static int
rd_copy(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf)
{
	struct xnvme_spec_nvm_scopy_fmt_zero e;
	size_t nranges = (size_t)ctx->cmd.scopy.nr + 1;
	uint64_t total = 0, dst = ctx->cmd.scopy.sdlba;

	if (ctx->cmd.scopy.df != 0 || dbuf->nbytes < nranges * sizeof(e)) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_INVALID_FIELD);
	}
	for (size_t i = 0; i < nranges; ++i) {
		rd_buf_copy(dbuf, i * sizeof(e), &e, sizeof(e), 0);
		if ((uint64_t)e.nlb + 1 > 256) {
			return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_CMDSPEC,
					 RD_SC_CMD_SIZE_LIMIT);
		}
		if (!rd_range_ok(ns, e.slba, (uint64_t)e.nlb + 1)) {
			return rd_lba_out_of_range(ctrl, ctx);
		}
		if (rd_check_uncor(ctrl, ns, ctx, e.slba, (uint64_t)e.nlb + 1)) {
			return -EIO;
		}
		total += (uint64_t)e.nlb + 1;
	}
	if (total > 1024) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_CMDSPEC, RD_SC_CMD_SIZE_LIMIT);
	}
	if (!rd_range_ok(ns, dst, total)) {
		return rd_lba_out_of_range(ctrl, ctx);
	}
	for (size_t i = 0; i < nranges; ++i) {
		uint64_t n;

		rd_buf_copy(dbuf, i * sizeof(e), &e, sizeof(e), 0);
		n = (uint64_t)e.nlb + 1;
		if (!ctrl->nil) {
			memmove(ns->data + dst * ns->lbads, ns->data + e.slba * ns->lbads,
				n * ns->lbads);
			if (ns->ms) {
				memmove(ns->meta + dst * ns->ms, ns->meta + e.slba * ns->ms,
					n * ns->ms);
			}
		}
		rd_uncor_set(ns, dst, n, 0);
		dst += n;
	}
	return 0;
}

int
rd_nvm(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
       struct rd_buf *mbuf)
{
	uint8_t opc = ctx->cmd.common.opcode;
	uint64_t slba = ctx->cmd.nvm.slba, nlb = (uint64_t)ctx->cmd.nvm.nlb + 1;
	size_t dbytes, mbytes;

	switch (opc) {
	case XNVME_SPEC_NVM_OPC_FLUSH:
		/* Memory has nothing to commit; an image's pages go to the file's disk */
		return rd_img_sync(ctrl) ? rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
						     XNVME_SPEC_SC_INTERNAL_DEVICE_ERROR)
					 : 0;
	case XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT:
		return rd_dsm(ctrl, ns, ctx, dbuf);
	case XNVME_SPEC_NVM_OPC_SCOPY:
		return rd_copy(ctrl, ns, ctx, dbuf);
	case XNVME_SPEC_NVM_OPC_READ:
	case XNVME_SPEC_NVM_OPC_WRITE:
	case XNVME_SPEC_NVM_OPC_COMPARE:
	case XNVME_SPEC_NVM_OPC_WRITE_ZEROES:
	case XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE:
	case XNVME_SPEC_NVM_OPC_VERIFY:
		break;
	default:
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_INVALID_OPCODE);
	}
	if (!rd_range_ok(ns, slba, nlb)) {
		return rd_lba_out_of_range(ctrl, ctx);
	}
	rd_xfer_sizes(ns, nlb, &dbytes, &mbytes);
	if ((opc == XNVME_SPEC_NVM_OPC_READ || opc == XNVME_SPEC_NVM_OPC_WRITE ||
	     opc == XNVME_SPEC_NVM_OPC_COMPARE) &&
	    (dbuf->nbytes < dbytes || (mbuf->nbytes && mbuf->nbytes < mbytes) ||
	     dbytes > ((size_t)4096 << RD_MDTS))) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_INVALID_FIELD);
	}
	switch (opc) {
	case XNVME_SPEC_NVM_OPC_READ:
		if (rd_check_uncor(ctrl, ns, ctx, slba, nlb)) {
			return -EIO;
		}
		rd_move(ctrl, ns, slba, nlb, dbuf, mbuf, 1);
		rd_count_read(ctrl, ns, nlb);
		return 0;
	case XNVME_SPEC_NVM_OPC_WRITE:
		rd_move(ctrl, ns, slba, nlb, dbuf, mbuf, 0);
		rd_uncor_set(ns, slba, nlb, 0);
		ctrl->bytes_written += nlb * ns->lbads;
		ctrl->host_writes++;
		return 0;
	case XNVME_SPEC_NVM_OPC_COMPARE:
		if (rd_check_uncor(ctrl, ns, ctx, slba, nlb)) {
			return -EIO;
		}
		if (!ctrl->nil && rd_compare(ns, slba, nlb, dbuf, mbuf)) {
			return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_MEDIA,
					 XNVME_SPEC_SC_COMPARE_FAILURE);
		}
		rd_count_read(ctrl, ns, nlb);
		return 0;
	case XNVME_SPEC_NVM_OPC_WRITE_ZEROES:
		rd_zero(ctrl, ns, slba, nlb);
		return 0;
	case XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE:
		rd_uncor_set(ns, slba, nlb, 1);
		return 0;
	default: /* verify: what a read would find, without the transfer */
		if (rd_check_uncor(ctrl, ns, ctx, slba, nlb)) {
			return -EIO;
		}
		rd_count_read(ctrl, ns, nlb);
		return 0;
	}
}
