/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include "xnvme_dev.h"

int
xnvme_adm_idfy(struct xnvme_cmd_ctx *ctx, uint8_t cns, uint16_t cntid, uint8_t cnsid, uint32_t nsid,
	       uint8_t csi, struct xnvme_spec_idfy *idfy)
{
	if (!idfy) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_IDFY;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.idfy.cns = cns;
	ctx->cmd.idfy.cntid = cntid;
	ctx->cmd.idfy.nvmsetid = cnsid;
	ctx->cmd.idfy.csi = csi;
	return xnvme_cmd_pass_admin(ctx, idfy, sizeof(*idfy), NULL, 0);
}

int
xnvme_adm_idfy_ctrlr(struct xnvme_cmd_ctx *ctx, struct xnvme_spec_idfy *idfy)
{
	return xnvme_adm_idfy(ctx, XNVME_SPEC_IDFY_CTRLR, 0, 0, 0, 0, idfy);
}

int
xnvme_adm_idfy_ctrlr_csi(struct xnvme_cmd_ctx *ctx, uint8_t csi, struct xnvme_spec_idfy *idfy)
{
	return xnvme_adm_idfy(ctx, XNVME_SPEC_IDFY_CTRLR_IOCS, 0, 0, 0, csi, idfy);
}

int
xnvme_adm_idfy_ns(struct xnvme_cmd_ctx *ctx, uint32_t nsid, struct xnvme_spec_idfy *idfy)
{
	return xnvme_adm_idfy(ctx, XNVME_SPEC_IDFY_NS, 0, 0, nsid, 0, idfy);
}

int
xnvme_adm_idfy_ns_csi(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t csi,
		      struct xnvme_spec_idfy *idfy)
{
	return xnvme_adm_idfy(ctx, XNVME_SPEC_IDFY_NS_IOCS, 0, 0, nsid, csi, idfy);
}

int
xnvme_adm_log(struct xnvme_cmd_ctx *ctx, uint8_t lid, uint8_t lsp, uint64_t lpo_nbytes,
	      uint32_t nsid, uint8_t rae, void *dbuf, uint32_t dbuf_nbytes)
{
	uint32_t numd;

	/* The log page offset and length are in dwords on the wire (NVMe 2.0, 5.16.1) */
	if (!dbuf || !dbuf_nbytes || dbuf_nbytes % 4 || lpo_nbytes % 4) {
		return -EINVAL;
	}
	numd = dbuf_nbytes / 4 - 1;
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_LOG;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.log.lid = lid;
	ctx->cmd.log.lsp = lsp & 0x7F;
	ctx->cmd.log.rae = rae & 0x1;
	ctx->cmd.log.numdl = numd & 0xFFFF;
	ctx->cmd.log.numdu = (numd >> 16) & 0xFFFF;
	ctx->cmd.log.lpol = (uint32_t)lpo_nbytes;
	ctx->cmd.log.lpou = (uint32_t)(lpo_nbytes >> 32);
	ctx->cmd.log.csi = ctx->dev ? ctx->dev->ident.csi : 0;
	if (lid != XNVME_SPEC_LOG_ZND_CHANGES) {
		ctx->cmd.log.csi = 0;
	}
	return xnvme_cmd_pass_admin(ctx, dbuf, dbuf_nbytes, NULL, 0);
}

int
xnvme_adm_gfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint8_t sel, void *dbuf,
		size_t dbuf_nbytes)
{
	if (sel > XNVME_SPEC_FEAT_SEL_SUPPORTED) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_GFEAT;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.gfeat.cdw10.fid = fid;
	ctx->cmd.gfeat.cdw10.sel = sel;
	return xnvme_cmd_pass_admin(ctx, dbuf, dbuf_nbytes, NULL, 0);
}

int
xnvme_adm_sfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint32_t feat, uint8_t save,
		const void *dbuf, size_t dbuf_nbytes)
{
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_SFEAT;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.sfeat.cdw10.fid = fid;
	ctx->cmd.sfeat.feat.val = feat;
	ctx->cmd.sfeat.cdw10.save = save & 0x1;
	return xnvme_cmd_pass_admin(ctx, (void *)dbuf, dbuf_nbytes, NULL, 0);
}

int
xnvme_adm_format(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t lbaf, uint8_t zf, uint8_t mset,
		 uint8_t ses, uint8_t pi, uint8_t pil)
{
	(void)zf;
	if (lbaf > 63 || mset > 1 || ses > 7 || pi > 7 || pil > 1) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_FMT;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.format.lbafl = lbaf & 0xF;
	ctx->cmd.format.lbafu = (lbaf >> 4) & 0x3;
	ctx->cmd.format.mset = mset;
	ctx->cmd.format.ses = ses;
	ctx->cmd.format.pi = pi;
	ctx->cmd.format.pil = pil;
	return xnvme_cmd_pass_admin(ctx, NULL, 0, NULL, 0);
}

int
xnvme_adm_sanitize(struct xnvme_cmd_ctx *ctx, uint8_t sanact, uint8_t ause, uint32_t ovrpat,
		   uint8_t owpass, uint8_t oipbp, uint8_t nodas)
{
	if (sanact > 7 || ause > 1 || owpass > 15 || oipbp > 1 || nodas > 1) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_SANITIZE;
	ctx->cmd.sanitize.sanact = sanact;
	ctx->cmd.sanitize.ause = ause;
	ctx->cmd.sanitize.ovrpat = ovrpat;
	ctx->cmd.sanitize.owpass = owpass;
	ctx->cmd.sanitize.oipbp = oipbp;
	ctx->cmd.sanitize.nodas = nodas;
	return xnvme_cmd_pass_admin(ctx, NULL, 0, NULL, 0);
}

int
xnvme_adm_dsend(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t stc)
{
	if (stc > 0xF) {
		return -EINVAL;
	}
	// Device self-test: the self-test code is bits 3:0 of CDW10 (NVMe 2.0 Figure 176)
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_DST;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.cdw[10] = stc;
	return xnvme_cmd_pass_admin(ctx, NULL, 0, NULL, 0);
}
