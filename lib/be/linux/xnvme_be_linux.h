/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the Linux backend. */
#ifndef __XNVME_BE_LINUX_H
#define __XNVME_BE_LINUX_H

#include <sys/uio.h>
#include <xnvme_config.h>
#include "xnvme_be.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

struct nvme_passthru_cmd64;

extern const struct xnvme_be xnvme_be_linux;

extern const struct xnvme_be_dev_ops xnvme_be_linux_dev;
extern const struct xnvme_be_admin_ops xnvme_be_linux_admin_nvme;
extern const struct xnvme_be_sync_ops xnvme_be_linux_sync_nvme;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_iouring;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_ucmd;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_libaio;
extern const struct xnvme_be_mem_ops xnvme_be_linux_mem_arena;
extern const struct xnvme_be_mem_ops xnvme_be_linux_mem_hugepage;

/** Regions a device's arena can grow to */
#define XNVME_BE_LINUX_ARENA_MAX 64
/** The unit of registration: a buffer within one slot goes as a fixed buffer (see arena.c) */
#define XNVME_BE_LINUX_ARENA_SLOT_NBYTES (128U << 10)
/** Fixed buffers in every ring's table: 512 MiB of arena at most is registered */
#define XNVME_BE_LINUX_ARENA_SLOTS 4096U

/** Caller memory ranges xnvme_mem_map() can hold on a device (mem "hugepage") */
#define XNVME_BE_LINUX_ARENA_MAPPED_MAX 64

/*
 * The arena's allocator (arena.c), shared by the mem interfaces "arena" and "hugepage": setup
 * sets dev->mem_state, with regions of hugepages of @p huge_nbytes (0: plain pages); the rest are
 * the mem ops of the same names. A run of pages that fits in one hugepage is carved from one.
 */
int xnvme_be_linux_arena_setup(struct xnvme_dev *dev, size_t huge_nbytes);
void xnvme_be_linux_arena_term(struct xnvme_dev *dev);
void *xnvme_be_linux_arena_alloc(const struct xnvme_dev *dev, size_t nbytes);
void *xnvme_be_linux_arena_realloc(const struct xnvme_dev *dev, void *buf, size_t nbytes);
void xnvme_be_linux_arena_free(const struct xnvme_dev *dev, void *buf);
/** Whether @p buf is in the arena's regions or in caller memory mapped to it */
int xnvme_be_linux_arena_owns(const struct xnvme_dev *dev, const void *buf);
/** Pins caller memory and records it; -EEXIST when @p vaddr is mapped already */
int xnvme_be_linux_arena_map(const struct xnvme_dev *dev, void *vaddr, size_t nbytes);
/** Forgets and unpins what map recorded at @p vaddr; -EINVAL when nothing was */
int xnvme_be_linux_arena_unmap(const struct xnvme_dev *dev, void *vaddr);

/** Fills the driver's passthrough struct from ctx->cmd (no buffers), with a timeout */
void xnvme_be_linux_nvme_prep(const struct xnvme_cmd_ctx *ctx, struct nvme_passthru_cmd64 *kcmd,
			      uint32_t timeout_s);

/** Sets ctx->cpl's status from the positive status the driver returns */
void xnvme_be_linux_nvme_status(struct xnvme_cmd_ctx *ctx, int status);

/** The controllers of Linux devices: their admin path is the driver's admin ioctl (nvme.c) */
extern const struct xnvme_be_ctrl_ops xnvme_be_linux_ctrl;

/** The name (nvmeX) of the controller behind an NVMe node, from sysfs (topology.c); -ENOSYS when
 * @p dev is not an NVMe node */
int xnvme_be_linux_ctrlr_name(const struct xnvme_dev *dev, char *name, size_t len);

/** The controller behind an NVMe node: a reset or rescan by ioctl on its char device (topology.c)
 */
int xnvme_be_linux_ctrlr_op(struct xnvme_dev *dev, enum xnvme_be_ctrlr_op op);

/** Copies @p nbytes of the controller's BAR0 from sysfs resource0 (topology.c) */
int xnvme_be_linux_ctrlr_regs(struct xnvme_dev *dev, void *regs, size_t nbytes);

/** Walks /sys/class/nvme (or $XNVME_SYSFS_ROOT/class/nvme) and opens every namespace found */
int xnvme_be_linux_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb,
			     void *cb_args);

#if XNVME_HAVE_LIBURING
struct io_uring;

/**
 * What a ring knows of the arena: how many of its regions it registered, and the last region a
 * fixed buffer was found in (regions never change once published), so that the next lookup is a
 * range check inline instead of a walk of the regions.
 */
struct xnvme_be_linux_arena_ring {
	unsigned nregistered; ///< Arena regions registered in the ring's table so far
	unsigned slot_shift;  ///< log2 of a slot's bytes
	const uint8_t *hint_base;
	size_t hint_nbytes; ///< 0: no hint yet
	unsigned hint_first_slot;
};

/**
 * For a ring on a device whose mem interface is "arena": gives the ring a sparse table of
 * XNVME_BE_LINUX_ARENA_SLOTS fixed buffers and registers the slots of the regions the arena has,
 * filling in @p ar. Returns 1 when set up, 0 when the device's memory is not the arena (nothing
 * done), or a negative errno.
 */
int xnvme_be_linux_arena_ring_init(const struct xnvme_dev *dev, struct io_uring *ring,
				   struct xnvme_be_linux_arena_ring *ar);

/**
 * The fixed-buffer index of @p nbytes at byte @p off of a region whose first slot is
 * @p first_slot, or -1 when they cross into the next slot. Shifts, not divisions: this runs for
 * every fixed-buffer I/O, and a 64-bit division costs up to ~45 cycles on older x86 cores.
 */
static inline int
xnvme_be_linux_arena_slot(size_t off, size_t nbytes, unsigned slot_shift, unsigned first_slot)
{
	size_t slot_nbytes = (size_t)1 << slot_shift;

	if (nbytes > slot_nbytes - (off & (slot_nbytes - 1))) {
		return -1;
	}
	return (int)(first_slot + (off >> slot_shift));
}

/** xnvme_be_linux_arena_ring_index() when the hint does not answer: looks up and updates it */
int xnvme_be_linux_arena_ring_lookup(const struct xnvme_dev *dev, struct io_uring *ring,
				     struct xnvme_be_linux_arena_ring *ar, const void *buf,
				     size_t nbytes, int *index);

/**
 * *index: the fixed-buffer index of [buf, buf + nbytes), or -1 when the range is not within one
 * slot of the arena. Registers regions the arena added since the ring last looked first (system
 * calls only then). Lock-free otherwise. Returns 0 or a negative errno.
 */
static inline int
xnvme_be_linux_arena_ring_index(const struct xnvme_dev *dev, struct io_uring *ring,
				struct xnvme_be_linux_arena_ring *ar, const void *buf,
				size_t nbytes, int *index)
{
	uintptr_t off = (uintptr_t)buf - (uintptr_t)ar->hint_base;

	if (off < ar->hint_nbytes) {
		*index =
		    xnvme_be_linux_arena_slot(off, nbytes, ar->slot_shift, ar->hint_first_slot);
		return 0;
	}
	return xnvme_be_linux_arena_ring_lookup(dev, ring, ar, buf, nbytes, index);
}
#endif

#pragma GCC visibility pop

#endif
