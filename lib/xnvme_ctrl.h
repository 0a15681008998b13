/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: the controller object, shared by the namespaces (devices) and queues on one NVMe
 * controller.
 *
 * A controller is opened once per (backend, key): the key is the backend's name for it (a
 * ramdisk's identifier, a Linux controller node's name "nvmeX", later a PCI address or a TCP
 * subsystem and address). Devices opened on the same key share it; a device whose backend gives
 * no key gets a private controller. It owns the admin path (xnvme_ctrl_cmd_admin serializes
 * admin commands and the periodic work) and the backend's controller state (ctrl->state).
 *
 * Refcount rules: every device holds one reference from its open (dev.c, after the backend's
 * dev_open) to its close (after the backend's dev_close); a queue lives within its device (the
 * device's close terminates its queues), so it is covered by the device's reference; anything
 * that outlives its device takes its own with xnvme_ctrl_get(). The last xnvme_ctrl_put() closes
 * the controller, unless its ops say keep (it then lives until the process ends).
 */
#ifndef __XNVME_CTRL_H
#define __XNVME_CTRL_H

#include <pthread.h>
#include <stdint.h>
#include "xnvme_be.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

#define XNVME_CTRL_KEY_LEN 384

struct xnvme_ctrl {
	const struct xnvme_be_ctrl_ops *ops;
	const struct xnvme_be *be;
	char key[XNVME_CTRL_KEY_LEN]; ///< "" for a private controller (not shared)
	uint32_t refs;                ///< Under the registry's lock
	pthread_mutex_t admin_lock;   ///< One admin command, or one poll, at a time
	uint64_t npolls;              ///< Times ops->poll ran, under admin_lock
	void *state;                  ///< Owned by ops->open/close
	struct xnvme_ctrl *next;      ///< The process-wide list of shared controllers
};

/**
 * Attaches @p dev to the controller @p key of dev->be with one reference, opening it (ops->open
 * with @p arg) when no device has it open: sets dev->ctrl. A NULL or empty @p key gives a private
 * controller; NULL @p ops one with no ops. Thread-safe. Returns 0 or ops->open's negative errno.
 */
int xnvme_ctrl_open(struct xnvme_dev *dev, const struct xnvme_be_ctrl_ops *ops, const char *key,
		    const void *arg);

/** Takes one more reference */
void xnvme_ctrl_get(struct xnvme_ctrl *ctrl);

/** Drops one reference; the last closes the controller (unless ops->keep). NULL is ignored */
void xnvme_ctrl_put(struct xnvme_ctrl *ctrl);

/**
 * Runs the controller's periodic admin work (ops->poll) unless another thread is on the admin
 * path now (it does the work then: never blocks). Called before every admin command
 * (xnvme_ctrl_cmd_admin); an I/O loop may call it too. Returns 0 or ops->poll's negative errno.
 */
int xnvme_ctrl_poll(struct xnvme_ctrl *ctrl);

/**
 * The admin path through the controller, for admin interface tables (cmd_admin) whose backend's
 * controller executes admin commands (ops->admin): the periodic work first, then the command,
 * both under the controller's admin lock. -ENOSYS without ops->admin.
 */
int xnvme_ctrl_cmd_admin(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
			 size_t mbuf_nbytes);

/**
 * Closes every controller that no device holds and its ops keep (a ramdisk's model): for the
 * fuzzers and tests that open many distinct ramdisks in one process and need each run to start
 * from nothing. Not for programs: their data would go. Returns the number closed.
 */
int xnvme_ctrl_drop_kept(void);

#pragma GCC visibility pop

#endif
