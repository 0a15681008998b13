/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the queue and the completion path every async interface uses. */
#ifndef __XNVME_QUEUE_INTERNAL_H
#define __XNVME_QUEUE_INTERNAL_H

#include <errno.h>
#include <libxnvme.h>
#include "xnvme_be.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

struct xnvme_queue {
	struct xnvme_dev *dev;
	const struct xnvme_be_async_ops *ops;
	uint32_t capacity;
	uint32_t outstanding;
	/*
	 * Contexts: capacity + 1. xNVMe 0.7.5 hands out one more context than the queue takes, and
	 * programs written for it take it and expect -EBUSY when they submit it to a full queue.
	 * Per-command arrays indexed by slot are sized by nctxs.
	 */
	uint32_t nctxs;
	xnvme_queue_cb cb;
	void *cb_arg;
	void *be;                    ///< The async interface's state, owned by ops->init/term
	struct xnvme_queue *next;    ///< Next queue on the same device
	uint32_t nfree;              ///< Entries in free[]
	uint32_t opts;               ///< enum xnvme_queue_opts given at init
	struct xnvme_cmd_ctx **free; ///< Stack of free contexts
	struct xnvme_cmd_ctx *ctxs;  ///< nctxs contexts, cache-line aligned
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

/**
 * A ring of contexts whose commands were carried out at submit (emu, and the commands an async
 * interface has no operation of its own for), delivered in submission order on poke. It never
 * holds more than the queue's capacity.
 */
struct xnvme_queue_ring {
	uint32_t head;
	uint32_t tail;
	uint32_t mask;
	struct xnvme_cmd_ctx **ents;
};

/** Allocates a ring for a queue of @p capacity (a power of two); 0 or -ENOMEM */
int xnvme_queue_ring_init(struct xnvme_queue_ring *ring, uint32_t capacity);

void xnvme_queue_ring_term(struct xnvme_queue_ring *ring);

/**
 * Files @p ctx for delivery given the result @p err of carrying it out: a success or a command the
 * device completed with an error status (-EIO with ctx->cpl set) completes on poke; any other
 * error is a refusal, returned to the submitter, and nothing is filed.
 */
static inline int
xnvme_queue_ring_push(struct xnvme_queue_ring *ring, struct xnvme_cmd_ctx *ctx, int err)
{
	if (err && !(err == -EIO && xnvme_cmd_ctx_cpl_status(ctx))) {
		return err;
	}
	ring->ents[ring->tail++ & ring->mask] = ctx;
	return 0;
}

/** xnvme_queue_ring_reap() when the ring holds completions */
uint32_t xnvme_queue_ring_deliver(struct xnvme_queue *queue, struct xnvme_queue_ring *ring,
				  uint32_t max);

/**
 * Delivers up to @p max (0: all) filed completions; returns how many. Inline: async interfaces
 * look at their ring on every poke, and it is almost always empty.
 */
static inline uint32_t
xnvme_queue_ring_reap(struct xnvme_queue *queue, struct xnvme_queue_ring *ring, uint32_t max)
{
	return ring->tail == ring->head ? 0 : xnvme_queue_ring_deliver(queue, ring, max);
}

#pragma GCC visibility pop

#endif
