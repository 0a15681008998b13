/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: backends and their interface tables.
 *
 * A backend reaches one family of devices. It offers five kinds of interfaces, each a table of
 * function pointers: dev (claim/open/close/enumerate), admin, sync, async and mem. At open, the
 * core asks backends to claim the identifier, then binds one table of each kind, by the name in the
 * options or by the backend's default for the device kind. After that, a command costs one indirect
 * call into the bound table.
 */
#ifndef __XNVME_BE_H
#define __XNVME_BE_H

#include <stdbool.h>
#include <stdint.h>
#include <libxnvme.h>
#include "xnvme_compat.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

struct xnvme_dev;
struct xnvme_queue;

/** Passing one I/O command, plain and vectored */
typedef int (*xnvme_be_cmd_io_fn)(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
				  void *mbuf, size_t mbuf_nbytes);
typedef int (*xnvme_be_cmd_iov_fn)(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
				   size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt,
				   size_t mvec_nbytes);

/*
 * Every interface table, of any kind, starts with the same three members, so that code looking
 * tables up by name (be.c) or listing them (libconf.c) serves all kinds:
 *
 *   id     the name the table is bound by and reported under (opts and xnvme_dev_pr)
 *   descr  one line for library-info, says whether it is emulated
 *   alias  another name it is bound by, or NULL; the device reports id all the same, as xNVMe
 *          0.7.5 reports its ramdisk's admin interface 'ramdisk_as_ns' when 'ramdisk' is asked
 */
struct xnvme_be_admin_ops {
	const char *id;
	const char *descr;
	const char *alias;
	int (*cmd_admin)(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
			 size_t mbuf_nbytes);
};

struct xnvme_be_sync_ops {
	const char *id;
	const char *descr;
	const char *alias;
	xnvme_be_cmd_io_fn cmd_io;
	xnvme_be_cmd_iov_fn cmd_iov;
};

struct xnvme_be_async_ops {
	const char *id;
	const char *descr;
	const char *alias;
	/** Sets up queue->be (the interface's own state); returns 0 or a negative errno */
	int (*init)(struct xnvme_queue *queue, int opts);
	/**
	 * Optional: frees what init set up; called after a drain (which may have timed out).
	 * Returns 0, or -EBUSY when commands are still held by the OS or the interface's threads
	 * (the drain timed out on a stuck device) and cannot be taken back: it must then return at
	 * once, never wait for them, and leave allocated ("park") whatever they may still write or
	 * read (its own state, a file descriptor they use); the core parks the queue, its
	 * contexts and its completion fd in turn. One rule for every interface: a stuck command
	 * costs leaked memory, never a hang and never a write into freed memory.
	 */
	int (*term)(struct xnvme_queue *queue);
	xnvme_be_cmd_io_fn cmd_io;
	xnvme_be_cmd_iov_fn cmd_iov;
	/*
	 * Commands carried out at submit go to the queue's done ring (xnvme_queue_done()), which
	 * the queue delivers before calling poke or wait; the queue's completion fd is cleared
	 * before them too.
	 */
	/**
	 * Optional (NULL: the done ring is all): reaps up to max (0: all ready) completions via
	 * xnvme_queue_complete(); returns the count. Signals the queue (xnvme_queue_signal) for
	 * completions it leaves ready.
	 */
	int (*poke)(struct xnvme_queue *queue, uint32_t max);
	/** Optional: blocks until at least one completion is ready (bounded); NULL: poke loop */
	int (*wait)(struct xnvme_queue *queue);
	/**
	 * Optional (NULL: the queue sets queue->cfd): the queue opened its completion fd @p fd;
	 * makes the interface's own completions signal it, sets queue->cfd = fd where its
	 * completers see it, and signals it for completions that may be ready. 0 or a negative
	 * errno (the queue closes the fd).
	 */
	int (*cfd_attach)(struct xnvme_queue *queue, int fd);
	/**
	 * Optional (NULL: always): for an interface the build has but the system may lack (an OS
	 * too old for it), NULL when this system offers it, else why not. library-info lists it
	 * as "not available: WHY"; its init returns -ENOTSUP.
	 */
	const char *(*unavailable)(void);
};

/** The id, descr and alias every interface table starts with */
#define XNVME_BE_OPS_HEAD(ID, DESCR) .id = (ID), .descr = (DESCR)

/** The members of an async table whose functions are named PREFIX_init, PREFIX_term, ... */
#define XNVME_BE_ASYNC_FNS(PREFIX)                                                                 \
	.init = PREFIX##_init, .term = PREFIX##_term, .cmd_io = PREFIX##_cmd_io,                   \
	.cmd_iov = PREFIX##_cmd_iov, .poke = PREFIX##_poke, .wait = PREFIX##_wait

/** An async interface that was not built (a library missing): its queues cannot be set up */
#define XNVME_BE_ASYNC_NOT_BUILT(ID, WHY)                                                          \
	{                                                                                          \
		XNVME_BE_OPS_HEAD(ID, "not built: " WHY), .init = xnvme_be_async_init_nosys,       \
							  .cmd_io = xnvme_be_nosys_cmd_io,         \
							  .cmd_iov = xnvme_be_nosys_cmd_iov,       \
	}

/** The init of XNVME_BE_ASYNC_NOT_BUILT: -ENOSYS (queue.c) */
int xnvme_be_async_init_nosys(struct xnvme_queue *queue, int opts);

struct xnvme_be_mem_ops {
	const char *id;
	const char *descr;
	const char *alias;
	/** Optional: sets up dev->mem_state at open; returns 0 or a negative errno */
	int (*init)(struct xnvme_dev *dev);
	/** Optional: frees dev->mem_state at close, after the queues are gone */
	void (*term)(struct xnvme_dev *dev);
	void *(*buf_alloc)(const struct xnvme_dev *dev, size_t nbytes);
	void *(*buf_realloc)(const struct xnvme_dev *dev, void *buf, size_t nbytes);
	void (*buf_free)(const struct xnvme_dev *dev, void *buf);
	int (*buf_vtophys)(const struct xnvme_dev *dev, void *buf, uint64_t *phys);
	/** Optional, with unmap: makes caller memory usable for payloads (NULL: usable as is) */
	int (*mem_map)(const struct xnvme_dev *dev, void *vaddr, size_t nbytes);
	int (*mem_unmap)(const struct xnvme_dev *dev, void *vaddr);
};

struct xnvme_ctrl;

/**
 * A backend's controller: what the namespaces (devices) and queues on one controller share
 * (lib/xnvme_ctrl.h). The backend's dev_open attaches its device with xnvme_ctrl_open(); devices
 * it attaches none to get a private controller with no ops.
 */
struct xnvme_be_ctrl_ops {
	const char *id;
	/** Sets up ctrl->state for the first device that opens the controller; 0 or -errno */
	int (*open)(struct xnvme_ctrl *ctrl, struct xnvme_dev *dev, const void *arg);
	/** Frees ctrl->state once the last reference is gone (or never, with keep) */
	void (*close)(struct xnvme_ctrl *ctrl);
	/** Optional: runs one admin command on the controller (xnvme_ctrl_cmd_admin serializes) */
	int (*admin)(struct xnvme_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, void *dbuf,
		     size_t dbuf_nbytes, void *mbuf, size_t mbuf_nbytes);
	/** Optional: periodic admin work (keep-alive, async event requests); 0 or -errno */
	int (*poll)(struct xnvme_ctrl *ctrl);
	/** The controller outlives its last device, until the process ends (a ramdisk's data) */
	bool keep;
};

/** Names of the interfaces a backend picks for a device it claimed */
struct xnvme_be_defaults {
	const char *admin;
	const char *sync;
	const char *async;
	const char *mem;
};

/** What xnvme_subsystem_reset(), xnvme_controller_reset(), xnvme_namespace_rescan() ask */
enum xnvme_be_ctrlr_op {
	XNVME_BE_CTRLR_SUBSYSTEM_RESET,
	XNVME_BE_CTRLR_RESET,
	XNVME_BE_CTRLR_NS_RESCAN,
};

struct xnvme_be_dev_ops {
	const char *id;
	const char *descr;
	/**
	 * Claims and opens dev->ident for this backend: sets dev->ident.dtype, dev->fd (or -1),
	 * dev->be_state, and fills @p defaults. Returns 0, -ENODEV when the identifier is not for
	 * this backend (the next is tried), or another negative errno (the real reason, reported).
	 */
	int (*dev_open)(struct xnvme_dev *dev, struct xnvme_be_defaults *defaults);
	void (*dev_close)(struct xnvme_dev *dev);
	/** Optional: calls cb for every device this backend finds */
	int (*enumerate)(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb,
			 void *cb_args);
	/** Optional (NULL: -ENOSYS): a reset or rescan of the controller behind the device */
	int (*ctrlr_op)(struct xnvme_dev *dev, enum xnvme_be_ctrlr_op op);
	/** Optional (NULL: -ENOSYS): copies the first @p nbytes of the controller's registers */
	int (*ctrlr_regs)(struct xnvme_dev *dev, void *regs, size_t nbytes);
};

struct xnvme_be {
	const char *name;
	const char *alias; ///< Another name users type for it, or NULL
	const struct xnvme_be_dev_ops *dev;
	const struct xnvme_be_admin_ops *const *admin; ///< NULL-terminated lists
	const struct xnvme_be_sync_ops *const *sync;
	const struct xnvme_be_async_ops *const *async;
	const struct xnvme_be_mem_ops *const *mem;
};

/**
 * The backends compiled in, in the order they are asked to claim an identifier, NULL-terminated.
 * Generated (be_registry.c) from the backend folders that build: see lib/be/meson.build.
 */
extern const struct xnvme_be *const xnvme_be_registry[];

/** The shared "not supported" entries: return -ENOSYS */
int xnvme_be_nosys_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
			  size_t mbuf_nbytes);
int xnvme_be_nosys_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
			   size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt,
			   size_t mvec_nbytes);

/**
 * The first backend named @p name (its name or alias). Several may share an alias ("spdk": the
 * user-space PCIe driver and NVMe/TCP, as xNVMe 0.7.5's spdk backend is both): code choosing
 * backends for a device asks each with xnvme_be_named()
 */
const struct xnvme_be *xnvme_be_by_name(const char *name);

/** 1 when @p be is named @p name, by its name or its alias */
int xnvme_be_named(const struct xnvme_be *be, const char *name);

/** Space-padded ASCII of @p len bytes, as identify strings are (NVMe 2.0, 1.5 Conventions) */
void xnvme_be_strpad(char *dst, size_t len, const char *src);

/** Binds admin/sync/async/mem of dev->be from dev->opts or @p dflt; errors name the interface */
int xnvme_be_bind(struct xnvme_dev *dev, const struct xnvme_be_defaults *dflt);

int xnvme_be_iface_name_known(const char *name);

/** The per-thread message of why the last open failed */
void xnvme_be_open_err_reset(void);
void xnvme_be_open_err_add(const char *be, const char *what, int err);

/**
 * What the system offers on dev->fd beyond POSIX: the backend sets dev->fd_ops at open (NULL:
 * nothing). The portable interfaces in lib/be/common call an operation when it is set and do what
 * any POSIX system can otherwise (write zeroes, fstat). Each returns 0 or a negative errno.
 */
struct xnvme_be_fd_ops {
	/** Optional: zeroes [off, off + nbytes); on any error the caller writes the zeroes */
	int (*zero_range)(int fd, uint64_t off, uint64_t nbytes);
	/** Optional: deallocates [off, off + nbytes), which then reads as zeroes; its error is the
	 * command's (none set: the range is written with zeroes, what deallocation promises) */
	int (*discard)(int fd, uint64_t off, uint64_t nbytes);
	/** Optional: the capacity and logical block size of a block device (fstat sizes files) */
	int (*blk_size)(int fd, uint64_t *nbytes, uint32_t *lba_nbytes);
};

#pragma GCC visibility pop

#endif
