/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the device handle. */
#ifndef __XNVME_DEV_INTERNAL_H
#define __XNVME_DEV_INTERNAL_H

#include <pthread.h>
#include <libxnvme.h>
#include "xnvme_be.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/*
 * What every I/O command is checked against (cmd.c), derived once from the geometry and options
 * (xnvme_dev_io_limits_set) so the per-command checks are a load and a compare each, on one line.
 */
struct xnvme_dev_io_limits {
	uint64_t nlbs;        ///< The namespace's logical blocks (tbytes >> ssw)
	uint64_t nsid;        ///< The nsid the checks judge; above 32 bits (none matches) for KV
	uint64_t max_nlb;     ///< Blocks per command within MDTS (mdts_nbytes / lba_nbytes)
	uintptr_t align_mask; ///< O_DIRECT: buffers and lengths aligned to this + 1; 0: not direct
	uint32_t lba_nbytes;  ///< geo.lba_nbytes
	uint32_t oob_nbytes;  ///< Separate metadata per block; 0 with extended LBAs or none
};

struct xnvme_dev {
	struct xnvme_dev_io_limits io; ///< First: the hot path reads it and little else
	struct xnvme_ident ident;
	struct xnvme_opts opts; ///< In effect: names point at the bound interfaces' ids
	struct xnvme_geo geo;
	const struct xnvme_be *be;
	struct xnvme_ctrl *ctrl; ///< The controller behind it, one reference held (lib/ctrl.c)
	const struct xnvme_be_admin_ops *admin;
	const struct xnvme_be_sync_ops *sync;
	const struct xnvme_be_async_ops *async;
	const struct xnvme_be_mem_ops *mem;

	int fd;           ///< File descriptor for data commands; -1 when the backend has none
	uint32_t nqueues; ///< Queues open on the device, under queues_lock
	struct xnvme_queue *queues; ///< Their list, so close can drain them; under queues_lock
	/** Threads may make and end queues on one shared handle at once (nothing forbids it) */
	pthread_mutex_t queues_lock;
	/*
	 * Queues ended with commands still held by the OS or a worker thread (xnvme_queue_term,
	 * "parked"), under queues_lock: a stuck command may still read the handle (its geometry,
	 * fd_ops), so close leaves it allocated when this is not 0.
	 */
	uint32_t nparked;
	void *be_state;              ///< Owned by the backend's dev ops
	void *mem_state;             ///< Owned by the mem interface (init/term)
	uint64_t be_max_xfer_nbytes; ///< The backend's own transfer limit (0: none), caps MDTS
	uint64_t be_file_nbytes;     ///< A regular file's size at open: the geometry's tbytes

	/** What the system offers on fd beyond POSIX, set by the backend at open; NULL: nothing */
	const struct xnvme_be_fd_ops *fd_ops;

	struct xnvme_spec_idfy_ctrlr id_ctrlr;
	struct xnvme_spec_idfy_ns id_ns;
	struct xnvme_spec_idfy ctrlr_css; ///< Command-set specific identify controller
	struct xnvme_spec_idfy ns_css;    ///< Command-set specific identify namespace
	uint8_t has_ctrlr_css;
	uint8_t has_ns_css;
	char hostnqn[256];
};

/** Sets dev->io from dev->geo, dev->ident and dev->opts; after the geometry is derived */
void xnvme_dev_io_limits_set(struct xnvme_dev *dev);

#pragma GCC visibility pop

#endif
