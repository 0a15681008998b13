/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include "xnvme_cmd.h"
#include "xnvme_dev.h"

/* Every identify field but the CSI, which xnvme_adm_idfy() leaves as the caller set it (0.7.5) */
static void
adm_prep_idfy(struct xnvme_cmd_ctx *ctx, uint8_t cns, uint16_t cntid, uint32_t nsid,
	      uint16_t nvmsetid, uint8_t uuid)
{
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_IDFY;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.idfy.cns = cns;
	ctx->cmd.idfy.cntid = cntid;
	ctx->cmd.idfy.nvmsetid = nvmsetid;
	ctx->cmd.idfy.uuid = uuid & 0x7F;
}

int
xnvme_adm_idfy_any(struct xnvme_cmd_ctx *ctx, uint8_t cns, uint16_t cntid, uint32_t nsid,
		   uint16_t nvmsetid, uint8_t uuid, uint8_t csi, struct xnvme_spec_idfy *idfy)
{
	if (!idfy) {
		return -EINVAL;
	}
	adm_prep_idfy(ctx, cns, cntid, nsid, nvmsetid, uuid);
	ctx->cmd.idfy.csi = csi;
	return xnvme_cmd_pass_admin(ctx, idfy, sizeof(*idfy), NULL, 0);
}

int
xnvme_adm_idfy(struct xnvme_cmd_ctx *ctx, uint8_t cns, uint16_t cntid, uint8_t nsid,
	       uint16_t nvmsetid, uint8_t uuid, struct xnvme_spec_idfy *dbuf)
{
	if (!dbuf) {
		return -EINVAL;
	}
	adm_prep_idfy(ctx, cns, cntid, nsid, nvmsetid, uuid);
	return xnvme_cmd_pass_admin(ctx, dbuf, sizeof(*dbuf), NULL, 0);
}

int
xnvme_adm_idfy_ctrlr(struct xnvme_cmd_ctx *ctx, struct xnvme_spec_idfy *idfy)
{
	return xnvme_adm_idfy_any(ctx, XNVME_SPEC_IDFY_CTRLR, 0, 0, 0, 0, 0, idfy);
}

int
xnvme_adm_idfy_ctrlr_csi(struct xnvme_cmd_ctx *ctx, uint8_t csi, struct xnvme_spec_idfy *idfy)
{
	return xnvme_adm_idfy_any(ctx, XNVME_SPEC_IDFY_CTRLR_IOCS, 0, 0, 0, 0, csi, idfy);
}

int
xnvme_adm_idfy_ns(struct xnvme_cmd_ctx *ctx, uint32_t nsid, struct xnvme_spec_idfy *idfy)
{
	return xnvme_adm_idfy_any(ctx, XNVME_SPEC_IDFY_NS, 0, nsid, 0, 0, 0, idfy);
}

int
xnvme_adm_idfy_ns_csi(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t csi,
		      struct xnvme_spec_idfy *idfy)
{
	return xnvme_adm_idfy_any(ctx, XNVME_SPEC_IDFY_NS_IOCS, 0, nsid, 0, 0, csi, idfy);
}

void
xnvme_prep_adm_log(struct xnvme_cmd_ctx *ctx, uint8_t lid, uint8_t lsp, uint64_t lpo_nbytes,
		   uint32_t nsid, uint8_t rae, uint32_t dbuf_nbytes)
{
	/* The log page offset and length are in dwords on the wire (NVMe 2.0, 5.16.1) */
	uint32_t numd = dbuf_nbytes / 4 - 1;

	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_LOG;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.log.lid = lid;
	ctx->cmd.log.lsp = lsp & 0x7F;
	ctx->cmd.log.rae = rae & 0x1;
	ctx->cmd.log.numdl = numd & 0xFFFF;
	ctx->cmd.log.numdu = (numd >> 16) & 0xFFFF;
	ctx->cmd.log.lpol = (uint32_t)lpo_nbytes;
	ctx->cmd.log.lpou = (uint32_t)(lpo_nbytes >> 32);
	/* Only the changed zone list is command-set specific among the logs we know */
	ctx->cmd.log.csi = lid == XNVME_SPEC_LOG_ZND_CHANGES && ctx->dev ? ctx->dev->ident.csi : 0;
}

int
xnvme_adm_log(struct xnvme_cmd_ctx *ctx, uint8_t lid, uint8_t lsp, uint64_t lpo_nbytes,
	      uint32_t nsid, uint8_t rae, void *dbuf, uint32_t dbuf_nbytes)
{
	if (!dbuf || !dbuf_nbytes || dbuf_nbytes % 4 || lpo_nbytes % 4) {
		return -EINVAL;
	}
	xnvme_prep_adm_log(ctx, lid, lsp, lpo_nbytes, nsid, rae, dbuf_nbytes);
	return xnvme_cmd_pass_admin(ctx, dbuf, dbuf_nbytes, NULL, 0);
}

void
xnvme_prep_adm_gfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint8_t sel)
{
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_GFEAT;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.gfeat.cdw10.fid = fid;
	ctx->cmd.gfeat.cdw10.sel = sel & 0x7;
}

void
xnvme_prep_adm_sfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint32_t feat,
		     uint8_t save)
{
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_SFEAT;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.sfeat.cdw10.fid = fid;
	ctx->cmd.sfeat.feat.val = feat;
	ctx->cmd.sfeat.cdw10.save = save & 0x1;
}

int
xnvme_adm_gfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint8_t sel, void *dbuf,
		size_t dbuf_nbytes)
{
	if (sel > XNVME_SPEC_FEAT_SEL_SUPPORTED) {
		return -EINVAL;
	}
	xnvme_prep_adm_gfeat(ctx, nsid, fid, sel);
	return xnvme_cmd_pass_admin(ctx, dbuf, dbuf_nbytes, NULL, 0);
}

int
xnvme_adm_sfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint32_t feat, uint8_t save,
		const void *dbuf, size_t dbuf_nbytes)
{
	xnvme_prep_adm_sfeat(ctx, nsid, fid, feat, save);
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
xnvme_nvm_sanitize(struct xnvme_cmd_ctx *ctx, uint8_t sanact, bool ause, uint32_t ovrpat,
		   uint8_t owpass, bool oipbp, bool nodas)
{
	return xnvme_adm_sanitize(ctx, sanact, ause, ovrpat, owpass, oipbp, nodas);
}

int
xnvme_adm_dir_send(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t doper, uint32_t dtype,
		   uint32_t dspec, uint32_t val)
{
	if (dtype > 0xFF || dspec > 0xFFFF) {
		return -EINVAL;
	}
	/* Directive Send (NVMe 2.0, 5.10): operation, type and directive specific in CDW11 */
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_DSEND;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.dsend.numd = 0;
	ctx->cmd.dsend.doper = doper;
	ctx->cmd.dsend.dtype = dtype & 0xFF;
	ctx->cmd.dsend.dspec = dspec & 0xFFFF;
	ctx->cmd.dsend.cdw12.val = val;
	return xnvme_cmd_pass_admin(ctx, NULL, 0, NULL, 0);
}

int
xnvme_adm_dir_recv(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t doper, uint32_t dtype,
		   uint32_t val, void *dbuf, size_t dbuf_nbytes)
{
	if (dtype > 0xFF || !dbuf || !dbuf_nbytes || dbuf_nbytes % 4 ||
	    dbuf_nbytes / 4 > UINT32_MAX) {
		return -EINVAL;
	}
	/* Directive Receive (NVMe 2.0, 5.9): the number of dwords is zero-based */
	ctx->cmd.common.opcode = XNVME_SPEC_ADM_OPC_DRECV;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.drecv.numd = (uint32_t)(dbuf_nbytes / 4 - 1);
	ctx->cmd.drecv.doper = doper;
	ctx->cmd.drecv.dtype = dtype & 0xFF;
	ctx->cmd.drecv.cdw12.val = val;
	return xnvme_cmd_pass_admin(ctx, dbuf, dbuf_nbytes, NULL, 0);
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
