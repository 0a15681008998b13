/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: command checks shared by the core and backends. */
#ifndef __XNVME_CMD_INTERNAL_H
#define __XNVME_CMD_INTERNAL_H

#include <libxnvme.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/** xnvme_prep_nvm(), inline for the library's own paths */
static inline void
xnvme_cmd_prep_nvm(struct xnvme_cmd_ctx *ctx, uint8_t opcode, uint32_t nsid, uint64_t slba,
		   uint16_t nlb)
{
	ctx->cmd.common.opcode = opcode;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.nvm.slba = slba;
	ctx->cmd.nvm.nlb = nlb;
}

/** Sets ctx->cpl's status to (sct, sc) with do-not-retry; how emulated interfaces report errors */
void xnvme_cmd_ctx_set_status(struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc);

/**
 * The NVM read, write or compare of nvm.c: prepares ctx->cmd (@p opc, @p nsid, @p slba, @p nlb)
 * and passes it with @p dbuf (nlb + 1 blocks) and @p mbuf (their metadata, none with extended
 * LBAs). -EINVAL without @p dbuf. The checks that hold by construction (opcode class, buffer
 * lengths) are left out; range, MDTS, alignment and queue checks are not. Here rather than in
 * nvm.c so that the preparation and the checks are one function: xnvme_nvm_read() is a jump.
 */
int xnvme_cmd_pass_nvm_rw(struct xnvme_cmd_ctx *ctx, uint8_t opc, uint32_t nsid, uint64_t slba,
			  uint16_t nlb, void *dbuf, void *mbuf);

/**
 * Identify with every field: a 32-bit @p nsid and @p csi, which xnvme_adm_idfy() (0.7.5's
 * parameters) cannot take; the identify variants and the geometry use it.
 */
int xnvme_adm_idfy_any(struct xnvme_cmd_ctx *ctx, uint8_t cns, uint16_t cntid, uint32_t nsid,
		       uint16_t nvmsetid, uint8_t uuid, uint8_t csi, struct xnvme_spec_idfy *idfy);

#pragma GCC visibility pop

#endif
