/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the queue and the completion path every async interface uses. */
#ifndef __XNVME_QUEUE_INTERNAL_H
#define __XNVME_QUEUE_INTERNAL_H

#include <errno.h>
#include <libxnvme.h>
#include "xnvme_be.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/** A ring of context pointers no larger than the queue's capacity (a power of two) */
struct xnvme_queue_ring {
	uint32_t head;
	uint32_t tail;
	uint32_t mask;
	struct xnvme_cmd_ctx **ents;
};

struct xnvme_queue {
	struct xnvme_dev *dev;
	/*
	 * dev->async, the table commands are submitted through (cmd.c); an interface may switch its
	 * queue to another (emu and nil do, to signal the completion fd only once there is one)
	 */
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
	/*
	 * Commands an interface carried out at submit (all of emu's and nil's, the emulated ones of
	 * the others), delivered in submission order before the interface's own on poke and wait.
	 */
	struct xnvme_queue_ring done;
	/*
	 * The completion fd (xnvme_queue_get_completion_fd), -1 until asked for: readable while a
	 * completion waits. The queue clears it on poke and wait and signals it for the done ring;
	 * an interface signals it (xnvme_queue_signal) for completions it finds itself.
	 */
	int cfd;
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

/** Allocates a ring for a queue of @p capacity (a power of two); 0 or -ENOMEM */
int xnvme_queue_ring_init(struct xnvme_queue_ring *ring, uint32_t capacity);

void xnvme_queue_ring_term(struct xnvme_queue_ring *ring);

/** xnvme_queue_ring_reap() when the ring holds completions */
uint32_t xnvme_queue_ring_deliver(struct xnvme_queue *queue, struct xnvme_queue_ring *ring,
				  uint32_t max);

/**
 * Delivers up to @p max (0: all) completions filed in @p ring; returns how many. Inline: the
 * queue looks at its done ring on every poke, and it is almost always empty.
 */
static inline uint32_t
xnvme_queue_ring_reap(struct xnvme_queue *queue, struct xnvme_queue_ring *ring, uint32_t max)
{
	return ring->tail == ring->head ? 0 : xnvme_queue_ring_deliver(queue, ring, max);
}

/** A blocking completion fd (eventfd); -ENOSYS where the system has none (completion_fd.c) */
int xnvme_queue_cfd_open(void);

/** Makes the completion fd @p fd readable, one count more */
void xnvme_queue_cfd_signal(int fd);

/** Takes the count of @p fd without blocking */
void xnvme_queue_cfd_clear(int fd);

/** Makes the queue's completion fd, if it has one, readable: a completion waits to be reaped */
static inline void
xnvme_queue_signal(struct xnvme_queue *queue)
{
	if (queue->cfd >= 0) {
		xnvme_queue_cfd_signal(queue->cfd);
	}
}

/**
 * Files @p ctx, carried out at submit with the result @p err, in the queue's done ring: a success
 * or a command the device completed with an error status (-EIO with ctx->cpl set) completes on
 * the next poke; any other error is a refusal, returned to the submitter, and nothing is filed.
 * The completion fd is not signalled: see xnvme_queue_done().
 */
static inline int
xnvme_queue_file(struct xnvme_queue *queue, struct xnvme_cmd_ctx *ctx, int err)
{
	if (err && !(err == -EIO && xnvme_cmd_ctx_cpl_status(ctx))) {
		return err;
	}
	queue->done.ents[queue->done.tail++ & queue->done.mask] = ctx;
	return 0;
}

/** xnvme_queue_file(), and the completion fd signalled for what was filed */
static inline int
xnvme_queue_done(struct xnvme_queue *queue, struct xnvme_cmd_ctx *ctx, int err)
{
	err = xnvme_queue_file(queue, ctx, err);
	if (!err) {
		xnvme_queue_signal(queue);
	}
	return err;
}

#pragma GCC visibility pop

#endif
