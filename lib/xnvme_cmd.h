/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: command checks shared by the core and backends. */
#ifndef __XNVME_CMD_INTERNAL_H
#define __XNVME_CMD_INTERNAL_H

#include <libxnvme.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/** Sets ctx->cpl's status to (sct, sc) with do-not-retry; how emulated interfaces report errors */
void xnvme_cmd_ctx_set_status(struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc);

#pragma GCC visibility pop

#endif
