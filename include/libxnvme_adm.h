/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Admin command helpers. Each fills ctx->cmd and passes it with xnvme_cmd_pass_admin().
 */
#ifndef __LIBXNVME_ADM_H
#define __LIBXNVME_ADM_H

#include <stdint.h>
#include <stdbool.h>
#include <libxnvme_spec.h>
#include <libxnvme_cmd.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Identify with any CNS into @p dbuf, a 4096-byte buffer from xnvme_buf_alloc(). The parameters
 * are xNVMe 0.7.5's: @p nsid is 8 bits wide, and the CSI is left as the caller set it in
 * ctx->cmd.idfy.csi; the variants below take a 32-bit nsid and a CSI.
 */
int xnvme_adm_idfy(struct xnvme_cmd_ctx *ctx, uint8_t cns, uint16_t cntid, uint8_t nsid,
		   uint16_t nvmsetid, uint8_t uuid, struct xnvme_spec_idfy *dbuf);

int xnvme_adm_idfy_ctrlr(struct xnvme_cmd_ctx *ctx, struct xnvme_spec_idfy *idfy);

int xnvme_adm_idfy_ctrlr_csi(struct xnvme_cmd_ctx *ctx, uint8_t csi, struct xnvme_spec_idfy *idfy);

int xnvme_adm_idfy_ns(struct xnvme_cmd_ctx *ctx, uint32_t nsid, struct xnvme_spec_idfy *idfy);

int xnvme_adm_idfy_ns_csi(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t csi,
			  struct xnvme_spec_idfy *idfy);

/** Fills ctx->cmd for a Get Log Page as xnvme_adm_log() would, without passing it */
void xnvme_prep_adm_log(struct xnvme_cmd_ctx *ctx, uint8_t lid, uint8_t lsp, uint64_t lpo_nbytes,
			uint32_t nsid, uint8_t rae, uint32_t dbuf_nbytes);

/**
 * Get log page @p lid from byte offset @p lpo_nbytes, @p dbuf_nbytes bytes (a multiple of 4, any
 * size: the NUMDL/NUMDU split is done here).
 */
int xnvme_adm_log(struct xnvme_cmd_ctx *ctx, uint8_t lid, uint8_t lsp, uint64_t lpo_nbytes,
		  uint32_t nsid, uint8_t rae, void *dbuf, uint32_t dbuf_nbytes);

/** Fills ctx->cmd for a Get Features, without passing it */
void xnvme_prep_adm_gfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint8_t sel);

/** Fills ctx->cmd for a Set Features, without passing it */
void xnvme_prep_adm_sfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint32_t feat,
			  uint8_t save);

/** Get features; the value is returned in ctx->cpl.cdw0 */
int xnvme_adm_gfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint8_t sel, void *dbuf,
		    size_t dbuf_nbytes);

/** Set features to @p feat (CDW11) */
int xnvme_adm_sfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint32_t feat,
		    uint8_t save, const void *dbuf, size_t dbuf_nbytes);

/** Format NVM */
int xnvme_adm_format(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t lbaf, uint8_t zf,
		     uint8_t mset, uint8_t ses, uint8_t pi, uint8_t pil);

/**
 * Sanitize with action @p sanact (1 exit failure mode, 2 block erase, 3 overwrite, 4 crypto erase),
 * @p ovrpat / @p owpass / @p oipbp for overwrite. -EINVAL for values outside their fields.
 */
int xnvme_adm_sanitize(struct xnvme_cmd_ctx *ctx, uint8_t sanact, uint8_t ause, uint32_t ovrpat,
		       uint8_t owpass, uint8_t oipbp, uint8_t nodas);

/** xNVMe 0.7.5's name and types for xnvme_adm_sanitize() */
int xnvme_nvm_sanitize(struct xnvme_cmd_ctx *ctx, uint8_t sanact, bool ause, uint32_t ovrpat,
		       uint8_t owpass, bool oipbp, bool nodas);

/**
 * Directive Send without data: operation @p doper of directive type @p dtype, @p dspec in CDW11's
 * directive-specific half and @p val in CDW12 (e.g. enabling streams: identify type, doper 1,
 * val = 1 | 1 << 8). -EINVAL when @p dtype or @p dspec do not fit their fields.
 */
int xnvme_adm_dir_send(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t doper, uint32_t dtype,
		       uint32_t dspec, uint32_t val);

/** Directive Receive of @p dbuf_nbytes (a multiple of 4) into @p dbuf; @p val in CDW12 */
int xnvme_adm_dir_recv(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t doper, uint32_t dtype,
		       uint32_t val, void *dbuf, size_t dbuf_nbytes);

/** Device self-test with self-test code @p stc */
int xnvme_adm_dsend(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t stc);

#ifdef __cplusplus
}
#endif

#endif
