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

/** Identify with any CNS; @p idfy is a 4096-byte buffer from xnvme_buf_alloc() */
int xnvme_adm_idfy(struct xnvme_cmd_ctx *ctx, uint8_t cns, uint16_t cntid, uint8_t cnsid,
		   uint32_t nsid, uint8_t csi, struct xnvme_spec_idfy *idfy);

int xnvme_adm_idfy_ctrlr(struct xnvme_cmd_ctx *ctx, struct xnvme_spec_idfy *idfy);

int xnvme_adm_idfy_ctrlr_csi(struct xnvme_cmd_ctx *ctx, uint8_t csi, struct xnvme_spec_idfy *idfy);

int xnvme_adm_idfy_ns(struct xnvme_cmd_ctx *ctx, uint32_t nsid, struct xnvme_spec_idfy *idfy);

int xnvme_adm_idfy_ns_csi(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t csi,
			  struct xnvme_spec_idfy *idfy);

/**
 * Get log page @p lid from byte offset @p lpo_nbytes, @p dbuf_nbytes bytes (a multiple of 4, any
 * size: the NUMDL/NUMDU split is done here).
 */
int xnvme_adm_log(struct xnvme_cmd_ctx *ctx, uint8_t lid, uint8_t lsp, uint64_t lpo_nbytes,
		  uint32_t nsid, uint8_t rae, void *dbuf, uint32_t dbuf_nbytes);

/** Get features; the value is returned in ctx->cpl.cdw0 */
int xnvme_adm_gfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint8_t sel, void *dbuf,
		    size_t dbuf_nbytes);

/** Set features to @p feat (CDW11) */
int xnvme_adm_sfeat(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t fid, uint32_t feat,
		    uint8_t save, const void *dbuf, size_t dbuf_nbytes);

/** Format NVM */
int xnvme_adm_format(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t lbaf, uint8_t zf,
		     uint8_t mset, uint8_t ses, uint8_t pi, uint8_t pil);

/** Sanitize */
int xnvme_adm_sanitize(struct xnvme_cmd_ctx *ctx, uint8_t sanact, uint8_t ause, uint32_t ovrpat,
		       uint8_t owpass, uint8_t oipbp, uint8_t nodas);

/** Device self-test with self-test code @p stc */
int xnvme_adm_dsend(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t stc);

#ifdef __cplusplus
}
#endif

#endif
