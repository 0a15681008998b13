/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the queue and the completion path every async interface uses. */
#ifndef __XNVME_QUEUE_INTERNAL_H
#define __XNVME_QUEUE_INTERNAL_H

#include <libxnvme.h>
#include "xnvme_be.h"

struct xnvme_queue {
	struct xnvme_dev *dev;
	const struct xnvme_be_async_ops *ops;
	uint32_t capacity;
	uint32_t outstanding;
	xnvme_queue_cb cb;
	void *cb_arg;
	void *be;                    ///< The async interface's state, owned by ops->init/term
	struct xnvme_queue *next;    ///< Next queue on the same device
	uint32_t nfree;              ///< Entries in free[]
	uint32_t opts;               ///< enum xnvme_queue_opts given at init
	struct xnvme_cmd_ctx **free; ///< Stack of free contexts
	struct xnvme_cmd_ctx *ctxs;  ///< capacity contexts, cache-line aligned
};

/** Index of @p ctx in its queue; backends keep per-command state in arrays indexed by it */
static inline uint32_t
xnvme_queue_ctx_slot(const struct xnvme_queue *queue, const struct xnvme_cmd_ctx *ctx)
{
	return (uint32_t)(ctx - queue->ctxs);
}

/** Called by an async interface for each completed command, with ctx->cpl filled in */
static inline void
xnvme_queue_complete(struct xnvme_queue *queue, struct xnvme_cmd_ctx *ctx)
{
	queue->outstanding--;
	ctx->async.cb(ctx, ctx->async.cb_arg);
}

#endif
