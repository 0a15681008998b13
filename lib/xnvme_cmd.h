/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: command checks shared by the core and backends. */
#ifndef __XNVME_CMD_INTERNAL_H
#define __XNVME_CMD_INTERNAL_H

#include <libxnvme.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/** Sets ctx->cpl's status to (sct, sc) with do-not-retry; how emulated interfaces report errors */
void xnvme_cmd_ctx_set_status(struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc);

/**
 * xnvme_cmd_pass() of an NVM read, write or compare that nvm.c built: ctx->cmd has its
 * nsid, slba and nlb set, @p dbuf_nbytes is exactly nlb + 1 blocks and @p mbuf_nbytes their
 * metadata (0 without @p mbuf or with extended LBAs). The checks that hold by construction are
 * left out; range, MDTS, alignment and queue checks are not.
 */
int xnvme_cmd_pass_nvm_rw(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
			  size_t mbuf_nbytes);

#pragma GCC visibility pop

#endif
