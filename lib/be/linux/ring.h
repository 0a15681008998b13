/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: ring setup and SQ/CQ access shared by the io_uring and io_uring_cmd interfaces */
#ifndef __XNVME_BE_LINUX_RING_H
#define __XNVME_BE_LINUX_RING_H

#include <xnvme_config.h>

#if XNVME_HAVE_LIBURING
#include <liburing.h>

#pragma GCC visibility push(hidden)

/**
 * io_uring_queue_init_params() with the setup flags every ring of the backend wants (see ring.c),
 * retried without them on kernels that do not know them. Returns 0 or a negative errno.
 */
int xnvme_be_linux_ring_init(unsigned entries, struct io_uring *ring,
			     struct io_uring_params *params);

/** xnvme_be_linux_ring_get_sqe() when the SQ has no free entry */
struct io_uring_sqe *xnvme_be_linux_ring_get_sqe_when_full(struct io_uring *ring);

/**
 * A free SQE: when the SQ is full, the prepared entries are submitted first; with SQPOLL, waits
 * for the kernel thread to give entries back. NULL when none could be had.
 */
static inline struct io_uring_sqe *
xnvme_be_linux_ring_get_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	return sqe ? sqe : xnvme_be_linux_ring_get_sqe_when_full(ring);
}

/**
 * CQEs ready in the CQ. When there are none but the kernel holds completions back (task work a
 * COOP_TASKRUN ring runs only when the task enters the kernel, flagged IORING_SQ_TASKRUN, or an
 * overflowed CQ), enters the kernel to have them posted, as liburing's peek does. Inline: one
 * poke per I/O is fio's pattern, and liburing's out-of-line peek cost ~40 instructions of it.
 */
static inline unsigned
xnvme_be_linux_ring_cq_ready(struct io_uring *ring)
{
	unsigned n = io_uring_cq_ready(ring);

	if (!n &&
	    (IO_URING_READ_ONCE(*ring->sq.kflags) & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN))) {
		io_uring_get_events(ring);
		n = io_uring_cq_ready(ring);
	}
	return n;
}

/** The @p i-th ready CQE (0: the oldest); CQE32 rings hold two slots per entry */
static inline struct io_uring_cqe *
xnvme_be_linux_ring_cqe(struct io_uring *ring, unsigned i)
{
	unsigned head = *ring->cq.khead + i;

	return &ring->cq.cqes[io_uring_cqe_index(ring, head, ring->cq.ring_mask)];
}

#pragma GCC visibility pop

#endif
#endif
