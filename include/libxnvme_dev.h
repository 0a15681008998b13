/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Device handles: open, close, enumerate and the getters of what was learned at open.
 *
 * Threads. A device handle may be shared by any number of threads for: synchronous commands
 * (each with its own command context, e.g. from xnvme_cmd_ctx_from_dev() on the caller's stack),
 * the getters, buffer allocation and freeing (xnvme_buf_*), and making and ending queues
 * (xnvme_queue_init() / xnvme_queue_term()). Devices may be opened and closed from any thread,
 * several on one controller at once. What may not be shared: one queue (see libxnvme_queue.h:
 * one thread at a time), one command context, and the handle across xnvme_dev_close() (close it
 * once, when no other thread uses it; queues still open are ended by it).
 */
#ifndef __LIBXNVME_DEV_H
#define __LIBXNVME_DEV_H

#include <stdint.h>
#include <stdio.h>
#include <libxnvme_opts.h>
#include <libxnvme_ident.h>
#include <libxnvme_geo.h>
#include <libxnvme_spec.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque device handle */
struct xnvme_dev;

/**
 * Opens the device named by @p dev_uri with @p opts (NULL: defaults). Every backend that is allowed
 * by @p opts is asked in turn; the first that claims the device wins. Interfaces named in @p opts
 * are used or the open fails: none is ever replaced by another silently.
 *
 * Returns the handle, or NULL with errno set: EINVAL (bad identifier or options), ENOENT (no such
 * device), EACCES / EPERM (no permission), ENXIO (no backend or interface claims the device),
 * ENOMEM. The reason each backend gave is available from xnvme_dev_open_err_msg().
 */
struct xnvme_dev *xnvme_dev_open(const char *dev_uri, struct xnvme_opts *opts);

/**
 * Returns a description of why the last xnvme_dev_open() in this thread failed: the reason each
 * backend that was tried gave, separated by "; ", on one line. An empty string when it did not
 * fail.
 */
const char *xnvme_dev_open_err_msg(void);

/**
 * Closes @p dev. Queues still open on it are drained (every outstanding command completes and its
 * callback runs) and terminated first, so no submitted write is lost. A queue whose commands are
 * stuck on the device ends as xnvme_queue_term() says (after the command timeout; the handle's
 * memory is then left allocated for them). NULL is ignored.
 */
void xnvme_dev_close(struct xnvme_dev *dev);

/** Return values of an enumeration callback */
enum xnvme_enumerate_action {
	XNVME_ENUMERATE_DEV_KEEP_OPEN = 0x0, ///< The callback keeps the handle and closes it later
	XNVME_ENUMERATE_DEV_CLOSE = 0x1,     ///< The library closes the handle after the callback
};

typedef int (*xnvme_enumerate_cb)(struct xnvme_dev *dev, void *cb_args);

/**
 * Calls @p cb_func for every device found by the backends allowed by @p opts. @p sys_uri names a
 * remote system (fabrics) or NULL for this one. Returns 0 or a negative errno.
 */
int xnvme_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb_func,
		    void *cb_args);

const struct xnvme_geo *xnvme_dev_get_geo(const struct xnvme_dev *dev);

const struct xnvme_ident *xnvme_dev_get_ident(const struct xnvme_dev *dev);

/** The options in effect, with the names of the interfaces that were picked */
const struct xnvme_opts *xnvme_dev_get_opts(const struct xnvme_dev *dev);

/** Identify controller data of the device (synthesized for emulated devices) */
const struct xnvme_spec_idfy_ctrlr *xnvme_dev_get_ctrlr(const struct xnvme_dev *dev);

/** Identify controller, command-set specific (NVM or zoned); NULL with errno when not available */
const struct xnvme_spec_idfy_ctrlr *xnvme_dev_get_ctrlr_css(const struct xnvme_dev *dev);

/** Identify namespace data of the device's namespace */
const struct xnvme_spec_idfy_ns *xnvme_dev_get_ns(const struct xnvme_dev *dev);

/** Identify namespace, command-set specific (NVM or zoned); NULL with errno when not available */
const struct xnvme_spec_idfy_ns *xnvme_dev_get_ns_css(const struct xnvme_dev *dev);

uint32_t xnvme_dev_get_nsid(const struct xnvme_dev *dev);

uint8_t xnvme_dev_get_csi(const struct xnvme_dev *dev);

/** Shift between bytes and logical blocks: log2 of the logical block data size */
uint64_t xnvme_dev_get_ssw(const struct xnvme_dev *dev);

/**
 * The backend's own state of @p dev (opaque: its shape is the backend's and may change); NULL
 * when the backend keeps none. For debugging and tools that know the backend.
 */
const void *xnvme_dev_get_be_state(const struct xnvme_dev *dev);

/** The name of the backend in use */
const char *xnvme_dev_get_be_name(const struct xnvme_dev *dev);

/** Prints @p dev (identifier, backend, interfaces, options, geometry) as YAML to @p stream */
int xnvme_dev_fpr(FILE *stream, const struct xnvme_dev *dev, int opts);

int xnvme_dev_pr(const struct xnvme_dev *dev, int opts);

/** Re-reads identify data and derives the geometry again, e.g. after a format */
int xnvme_dev_derive_geo(struct xnvme_dev *dev);

#ifdef __cplusplus
}
#endif

#endif
