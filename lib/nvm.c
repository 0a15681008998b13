/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_cmd.h"

void
xnvme_prep_nvm(struct xnvme_cmd_ctx *ctx, uint8_t opcode, uint32_t nsid, uint64_t slba,
	       uint16_t nlb)
{
	xnvme_cmd_prep_nvm(ctx, opcode, nsid, slba, nlb);
}

int
xnvme_nvm_read(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb, void *dbuf,
	       void *mbuf)
{
	return xnvme_cmd_pass_nvm_rw(ctx, XNVME_SPEC_NVM_OPC_READ, nsid, slba, nlb, dbuf, mbuf);
}

int
xnvme_nvm_write(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb,
		const void *dbuf, const void *mbuf)
{
	return xnvme_cmd_pass_nvm_rw(ctx, XNVME_SPEC_NVM_OPC_WRITE, nsid, slba, nlb, (void *)dbuf,
				     (void *)mbuf);
}

int
xnvme_nvm_compare(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb, void *dbuf,
		  void *mbuf)
{
	return xnvme_cmd_pass_nvm_rw(ctx, XNVME_SPEC_NVM_OPC_COMPARE, nsid, slba, nlb, dbuf, mbuf);
}

static int
nvm_nodata(struct xnvme_cmd_ctx *ctx, uint8_t opc, uint32_t nsid, uint64_t slba, uint16_t nlb)
{
	xnvme_cmd_prep_nvm(ctx, opc, nsid, slba, nlb);
	return xnvme_cmd_pass(ctx, NULL, 0, NULL, 0);
}

int
xnvme_nvm_write_zeroes(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb)
{
	return nvm_nodata(ctx, XNVME_SPEC_NVM_OPC_WRITE_ZEROES, nsid, slba, nlb);
}

int
xnvme_nvm_write_uncorrectable(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb)
{
	return nvm_nodata(ctx, XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE, nsid, slba, nlb);
}

int
xnvme_nvm_verify(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb)
{
	return nvm_nodata(ctx, XNVME_SPEC_NVM_OPC_VERIFY, nsid, slba, nlb);
}

int
xnvme_nvm_flush(struct xnvme_cmd_ctx *ctx, uint32_t nsid)
{
	ctx->cmd.common.opcode = XNVME_SPEC_NVM_OPC_FLUSH;
	ctx->cmd.common.nsid = nsid;
	return xnvme_cmd_pass(ctx, NULL, 0, NULL, 0);
}

int
xnvme_nvm_dsm(struct xnvme_cmd_ctx *ctx, uint32_t nsid, struct xnvme_spec_dsm_range *dsm_range,
	      uint8_t nr, bool ad, bool idw, bool idr)
{
	if (!dsm_range) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.dsm.nr = nr;
	ctx->cmd.dsm.ad = ad;
	ctx->cmd.dsm.idw = idw;
	ctx->cmd.dsm.idr = idr;
	return xnvme_cmd_pass(ctx, dsm_range, sizeof(*dsm_range) * ((size_t)nr + 1), NULL, 0);
}

int
xnvme_nvm_scopy(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t sdlba,
		struct xnvme_spec_nvm_scopy_fmt_zero *ranges, uint8_t nr,
		enum xnvme_nvm_scopy_fmt copy_fmt)
{
	if (!ranges || nr >= XNVME_SPEC_NVM_SCOPY_NENTRY_MAX) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_NVM_OPC_SCOPY;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.scopy.sdlba = sdlba;
	ctx->cmd.scopy.nr = nr;
	ctx->cmd.scopy.df = copy_fmt & XNVME_NVM_SCOPY_FMT_SRCLEN ? 1 : 0;
	return xnvme_cmd_pass(ctx, ranges, sizeof(*ranges) * ((size_t)nr + 1), NULL, 0);
}

int
xnvme_nvm_mgmt_recv(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t mo, uint16_t mos, void *dbuf,
		    uint32_t dbuf_nbytes)
{
	if (!dbuf || dbuf_nbytes < 4 || dbuf_nbytes % 4) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_NVM_OPC_IO_MGMT_RECV;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.mgmt.mgmt_recv.mo = mo;
	ctx->cmd.mgmt.mgmt_recv.mos = mos;
	ctx->cmd.mgmt.mgmt_recv.numd = dbuf_nbytes / 4 - 1;
	return xnvme_cmd_pass(ctx, dbuf, dbuf_nbytes, NULL, 0);
}

int
xnvme_nvm_mgmt_send(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t mo, uint16_t mos, void *dbuf,
		    uint32_t dbuf_nbytes)
{
	ctx->cmd.common.opcode = XNVME_SPEC_NVM_OPC_IO_MGMT_SEND;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.mgmt.mgmt_send.mo = mo;
	ctx->cmd.mgmt.mgmt_send.mos = mos;
	return xnvme_cmd_pass(ctx, dbuf, dbuf ? dbuf_nbytes : 0, NULL, 0);
}
