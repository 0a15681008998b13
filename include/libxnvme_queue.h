/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Asynchronous command queues. A queue belongs to one device and one thread: calls on the same
 * queue must not run concurrently. A queue may be created in one thread and used in another, and
 * handed to another thread when nothing is outstanding; a thread that takes over a queue with
 * commands outstanding may get -EPERM from submit, poke and wait (io_uring interfaces on kernels
 * that bind a ring to one thread): those commands complete for the thread that submitted them.
 * Each queue owns a fixed set of command contexts, handed out by xnvme_queue_get_cmd_ctx(); no
 * memory is allocated per command.
 */
#ifndef __LIBXNVME_QUEUE_H
#define __LIBXNVME_QUEUE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;
struct xnvme_queue;
struct xnvme_cmd_ctx;

/** Completion callback: called from xnvme_queue_poke() / _drain() / _wait() for each command */
typedef void (*xnvme_queue_cb)(struct xnvme_cmd_ctx *ctx, void *opaque);

enum xnvme_queue_opts {
	/** Poll for completions (io_uring IOPOLL): needs direct I/O; with io_uring_cmd, Linux 6.5
	 * or later (-EOPNOTSUPP before: docs/backends.md) */
	XNVME_QUEUE_IOPOLL = 0x1,
	XNVME_QUEUE_SQPOLL = 0x2, ///< Kernel-side submission polling (io_uring SQPOLL)
};

#define XNVME_QUEUE_CAPACITY_MAX 4096

/**
 * Creates a queue of @p capacity commands (a power of two in [1, 4096]) on @p dev with the
 * device's async interface. Returns 0, -EINVAL (bad capacity or flags), -ENOMEM, or the
 * interface's error (e.g. -ENOSYS when io_uring is disabled).
 */
int xnvme_queue_init(struct xnvme_dev *dev, uint16_t capacity, int opts,
		     struct xnvme_queue **queue);

/**
 * Terminates @p queue: outstanding commands are completed first (their callbacks run). Returns 0,
 * or -ETIMEDOUT when commands did not complete within the device's command timeout, on every
 * async interface: term never waits longer for a stuck device. The queue is then gone for the
 * caller, and the callbacks of those commands never run; since the device or the OS may still
 * complete them, the library leaves what they could write allocated (the queue, its contexts),
 * and their data buffers must not be freed or reused by the caller either. NULL is ignored.
 */
int xnvme_queue_term(struct xnvme_queue *queue);

/** Sets the default callback given to every context handed out by the queue */
int xnvme_queue_set_cb(struct xnvme_queue *queue, xnvme_queue_cb cb, void *cb_arg);

/** Hands out a free command context, or NULL with errno EBUSY when all are in use */
struct xnvme_cmd_ctx *xnvme_queue_get_cmd_ctx(struct xnvme_queue *queue);

/** Returns @p ctx to @p queue; -EINVAL when it does not belong there */
int xnvme_queue_put_cmd_ctx(struct xnvme_queue *queue, struct xnvme_cmd_ctx *ctx);

uint32_t xnvme_queue_get_capacity(struct xnvme_queue *queue);

/** Commands submitted and not yet completed */
uint32_t xnvme_queue_get_outstanding(struct xnvme_queue *queue);

/**
 * Reaps up to @p max completions (0: all available) and calls their callbacks. Returns the number
 * reaped (possibly 0), or a negative errno.
 */
int xnvme_queue_poke(struct xnvme_queue *queue, uint32_t max);

/**
 * Reaps until no command is outstanding. Returns the number reaped or a negative errno:
 * -ETIMEDOUT when commands are still outstanding after the device's command timeout.
 */
int xnvme_queue_drain(struct xnvme_queue *queue);

/** Waits for at least one completion when any is outstanding; returns the number reaped */
int xnvme_queue_wait(struct xnvme_queue *queue);

/**
 * A file descriptor that becomes readable when completions are ready, or -ENOSYS. Interfaces that
 * batch submissions (io_uring, libaio) hand commands to the kernel on poke or wait: poke once after
 * submitting, then wait on the descriptor. Poke clears it; it stays readable while completions are
 * waiting to be reaped.
 */
int xnvme_queue_get_completion_fd(struct xnvme_queue *queue);

#ifdef __cplusplus
}
#endif

#endif
