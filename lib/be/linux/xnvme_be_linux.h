/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the Linux backend. */
#ifndef __XNVME_BE_LINUX_H
#define __XNVME_BE_LINUX_H

#include <sys/uio.h>
#include <xnvme_config.h>
#include "xnvme_be.h"

struct nvme_passthru_cmd64;

extern const struct xnvme_be xnvme_be_linux;

extern const struct xnvme_be_dev_ops xnvme_be_linux_dev;
extern const struct xnvme_be_admin_ops xnvme_be_linux_admin_nvme;
extern const struct xnvme_be_sync_ops xnvme_be_linux_sync_nvme;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_iouring;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_ucmd;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_libaio;
extern const struct xnvme_be_mem_ops xnvme_be_linux_mem_arena;

/** Regions a device's arena can grow to: the size of every ring's sparse buffer table */
#define XNVME_BE_LINUX_ARENA_MAX 64

/**
 * For a device whose mem interface is "arena": the index of the region that holds all of
 * [buf, buf + nbytes), or -1 when the buffer is not (wholly) the arena's. Lock-free.
 */
int xnvme_be_linux_arena_lookup(const struct xnvme_dev *dev, const void *buf, size_t nbytes);

/** Fills iov with regions from index @p from on, at most max; returns how many */
unsigned xnvme_be_linux_arena_regions(const struct xnvme_dev *dev, struct iovec *iov, unsigned from,
				      unsigned max);

/** Fills the driver's passthrough struct from ctx->cmd (no buffers), with a timeout */
void xnvme_be_linux_nvme_prep(const struct xnvme_cmd_ctx *ctx, struct nvme_passthru_cmd64 *kcmd,
			      uint32_t timeout_s);

/** Sets ctx->cpl's status from the positive status the driver returns */
void xnvme_be_linux_nvme_status(struct xnvme_cmd_ctx *ctx, int status);

/** Walks /sys/class/nvme (or $XNVME_SYSFS_ROOT/class/nvme) and opens every namespace found */
int xnvme_be_linux_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb,
			     void *cb_args);

#if XNVME_HAVE_LIBURING
struct io_uring;

/**
 * For a ring on a device whose mem interface is "arena": gives the ring a sparse table of
 * XNVME_BE_LINUX_ARENA_MAX fixed buffers and registers the regions the arena has (a region's
 * buffer index is its arena index). Returns 1 when set up, 0 when the device's memory is not the
 * arena (nothing done), or a negative errno.
 */
int xnvme_be_linux_arena_ring_init(const struct xnvme_dev *dev, struct io_uring *ring,
				   unsigned *nregistered);

/**
 * *index: the fixed-buffer index of [buf, buf + nbytes), or -1 when it is not arena memory.
 * Registers regions the arena added since *nregistered first (a system call only then).
 * Returns 0 or a negative errno.
 */
int xnvme_be_linux_arena_ring_index(const struct xnvme_dev *dev, struct io_uring *ring,
				    unsigned *nregistered, const void *buf, size_t nbytes,
				    int *index);
#endif

#endif
