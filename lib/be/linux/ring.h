/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the ring the io_uring and io_uring_cmd interfaces share (ring.c) */
#ifndef __XNVME_BE_LINUX_RING_H
#define __XNVME_BE_LINUX_RING_H

#include <xnvme_config.h>

#if XNVME_HAVE_LIBURING
#include <liburing.h>
#include <sched.h>
#include <stdint.h>
#include "xnvme_queue.h"
#include "xnvme_be_linux.h"

#pragma GCC visibility push(hidden)

/** No thread's number (see xnvme_be_linux_ring_thread()) */
#define XNVME_BE_LINUX_RING_NOBODY UINT64_MAX

/**
 * A queue's io_uring with what is registered in it (the device's file, the arena's buffers, the
 * queue's completion fd) and, when the kernel took SINGLE_ISSUER, the thread it is bound to: the
 * whole state (queue->be) of the io_uring and io_uring_cmd interfaces.
 */
struct xnvme_be_linux_ring {
	struct io_uring ring;
	int bufs; ///< The device's buffers come from the arena: fixed-buffer table set up
	struct xnvme_be_linux_arena_ring arena; ///< The arena's regions in the fixed-buffer table
	unsigned flags; ///< IORING_SETUP_* the interface asked for (SQE128, IOPOLL, SQPOLL, ...)
	int started;    ///< The io_uring is set up (a take-over sets it up again)
	int single;     ///< SINGLE_ISSUER | DEFER_TASKRUN: only the owner thread may enter
	uint64_t owner; ///< xnvme_be_linux_ring_thread() of the thread it is bound to; 0: none yet
	uint64_t fast_owner; ///< Who may take the fast path: see xnvme_be_linux_ring_fast()
	int sqe_fd;          ///< What an SQE names the file by: the fd, or 0 (registered)
	uint8_t sqe_flags;   ///< IOSQE_FIXED_FILE when the file is registered (opts or SQPOLL)
};

/*
 * The calling thread's number: unique for the process's lifetime (a pthread_t is not: a thread
 * created after another ended often gets the same one), and read without a call (initial-exec
 * TLS). 0 until the thread first asks.
 */
extern _Thread_local uint64_t xnvme_be_linux_ring_thread_nr
    __attribute__((tls_model("initial-exec")));

/** Gives the calling thread its number */
uint64_t xnvme_be_linux_ring_thread_assign(void);

static inline uint64_t
xnvme_be_linux_ring_thread(void)
{
	uint64_t nr = xnvme_be_linux_ring_thread_nr;

	return nr ? nr : xnvme_be_linux_ring_thread_assign();
}

/**
 * Sets up @p r for @p queue: a ring of the queue's capacity with @p flags and the setup flags
 * every ring of the backend wants (see ring.c, retried without them on kernels that do not know
 * them), the file registered (opts.register_files or SQPOLL) and the arena's buffers (when the
 * device's mem is the arena). Returns 0 or a negative errno; on error nothing is left open.
 */
int xnvme_be_linux_ring_open(struct xnvme_be_linux_ring *r, struct xnvme_queue *queue,
			     unsigned flags);

/** The members of an async table on the ring: PREFIX_init, _cmd_io, _cmd_iov, _poke, _wait */
#define XNVME_BE_LINUX_RING_FNS(PREFIX)                                                            \
	.init = PREFIX##_init, .term = xnvme_be_linux_ring_term, .cmd_io = PREFIX##_cmd_io,        \
	.cmd_iov = PREFIX##_cmd_iov, .poke = PREFIX##_poke, .wait = PREFIX##_wait,                 \
	.cfd_attach = xnvme_be_linux_ring_cfd_attach

/** Tears @p r down; requests still in flight are waited for by the kernel */
void xnvme_be_linux_ring_close(struct xnvme_be_linux_ring *r);

/**
 * The init of both interfaces: queue->be becomes a ring with @p flags and the flags of the queue
 * options @p opts (XNVME_QUEUE_IOPOLL: IORING_SETUP_IOPOLL, XNVME_QUEUE_SQPOLL: _SQPOLL).
 */
int xnvme_be_linux_ring_init(struct xnvme_queue *queue, int opts, unsigned flags);

/** The term of both interfaces */
int xnvme_be_linux_ring_term(struct xnvme_queue *queue);

/** xnvme_be_linux_ring_claim() when the calling thread is not the ring's owner */
int xnvme_be_linux_ring_claim_slow(struct xnvme_be_linux_ring *r, struct xnvme_queue *queue);

/**
 * Makes the calling thread the one that may enter @p r: called before anything that may submit,
 * reap or register. A single-issuer ring binds to the first thread that uses it; when another
 * thread takes the queue over with nothing outstanding, the ring is set up again for it. With
 * commands outstanding (they belong to the owner's ring), -EPERM. Returns 0 or a negative errno.
 */
static inline int
xnvme_be_linux_ring_claim(struct xnvme_be_linux_ring *r, struct xnvme_queue *queue)
{
	if (r->owner == xnvme_be_linux_ring_thread() || !r->single) {
		return 0;
	}
	return xnvme_be_linux_ring_claim_slow(r, queue);
}

/**
 * The calling thread may take the interface's fast path on @p r: the ring is single-issuer, bound
 * to this thread, its SQEs are 64 bytes (no SQE128/CQE32), and the queue has no completion fd
 * (the fast path batches SQEs until a poke; whoever waits on the fd may not poke first). One
 * compare: r->fast_owner is decided in one place (ring.c) whenever one of these changes; a thread
 * that never asked has number 0 and no thread has XNVME_BE_LINUX_RING_NOBODY. Rings of kernels
 * without SINGLE_ISSUER take the general path.
 */
static inline int
xnvme_be_linux_ring_fast(const struct xnvme_be_linux_ring *r)
{
	return r->fast_owner == xnvme_be_linux_ring_thread_nr;
}

/**
 * A free 64-byte SQE, or NULL when the SQ is full: liburing's io_uring_get_sqe() without its
 * tests of the setup flags, for a ring whose fast path holds (no SQE128)
 */
static inline struct io_uring_sqe *
xnvme_be_linux_ring_sqe64(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned tail = sq->sqe_tail;

	if (tail - io_uring_smp_load_acquire(sq->khead) >= sq->ring_entries) {
		return NULL;
	}
	sq->sqe_tail = tail + 1;
	return &sq->sqes[tail & sq->ring_mask];
}

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
 * CQEs a reap may take now. When the CQ is empty the kernel is entered (as liburing's peek does)
 * if it holds completions back: an IOPOLL ring completes only when entered to poll; and for a
 * poke (@p poking: it must find whatever has completed) task work the ring runs only when the
 * task enters the kernel (flagged IORING_SQ_TASKRUN) or an overflowed CQ. A wait has just been in
 * the kernel: it takes what is posted and leaves held-back completions to its next enter, which
 * submits the refills too. Inline: one poke per I/O is fio's pattern, and liburing's out-of-line
 * peek cost ~40 instructions of it.
 */
static inline unsigned
xnvme_be_linux_ring_reapable(struct xnvme_be_linux_ring *r, int poking)
{
	struct io_uring *ring = &r->ring;
	unsigned n = io_uring_cq_ready(ring);

	if (!n && ((r->flags & IORING_SETUP_IOPOLL) ||
		   (poking && (IO_URING_READ_ONCE(*ring->sq.kflags) &
			       (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN))))) {
		n = io_uring_get_events(ring) ? 0 : io_uring_cq_ready(ring);
	}
	return n;
}

/** The oldest ready CQE (see reapable()); CQE32 rings hold two slots per entry */
static inline struct io_uring_cqe *
xnvme_be_linux_ring_cqe(struct io_uring *ring)
{
	return &ring->cq.cqes[io_uring_cqe_index(ring, *ring->cq.khead, ring->cq.ring_mask)];
}

/** Hands prepared SQEs to the kernel; -EBUSY/-EAGAIN leave them for the next call */
int xnvme_be_linux_ring_flush(struct xnvme_be_linux_ring *r);

/**
 * The wait of both interfaces, up to the reap: claims the ring and, when no CQE is ready, submits
 * what is pending and sleeps until a completion, at most a second, in one io_uring_enter.
 * Returns 0 or a negative errno.
 */
int xnvme_be_linux_ring_wait_enter(struct xnvme_queue *queue);

/** The queue's completion fd: registered as the ring's eventfd (ops cfd_attach) */
int xnvme_be_linux_ring_cfd_attach(struct xnvme_queue *queue, int fd);

/**
 * After a reap: the completion fd readable when completions wait, quiet when none does. The
 * kernel signals it for a CQE it posts, and with DEFER_TASKRUN also when a completion's work is
 * queued for the task: one completion may count twice, the second time while the reap enters the
 * kernel, after the queue cleared the fd. So the fd is cleared again here, then signalled when CQEs
 * are ready or completion work waits (IORING_SQ_TASKRUN; work queued after the clear signals
 * anew).
 */
void xnvme_be_linux_ring_cfd_settle(struct xnvme_be_linux_ring *r, struct xnvme_queue *queue);

/** Fills ctx->cpl from its CQE; the interface's part of a reap */
typedef void (*xnvme_be_linux_ring_cpl_fn)(struct xnvme_cmd_ctx *ctx,
					   const struct io_uring_cqe *cqe);

/*
 * The reap of both interfaces: submits what is pending, then delivers up to @p max (0: all)
 * completions, each CQE given back before its callback (which may submit and wait on the ring).
 * poking: a poke, which must find whatever has completed: the kernel is entered for completions
 * it holds back (reapable()), and with @p yield the CPU is given up when nothing was ready. A
 * wait's reap takes what is posted: xnvme-perf on a loop device went from 0.39 to 0.26 enters per
 * I/O, and 7% more IOPS. Inline with @p cpl a constant: the call per CQE folds away.
 */
static inline __attribute__((always_inline)) int
xnvme_be_linux_ring_reap(struct xnvme_queue *queue, uint32_t max, int poking, int yield,
			 xnvme_be_linux_ring_cpl_fn cpl)
{
	struct xnvme_be_linux_ring *r = queue->be;
	struct io_uring *ring = &r->ring;
	uint32_t reaped = 0;
	int err;

	max = max ? XNVME_MIN_U64(max, queue->capacity) : queue->capacity;
	err = xnvme_be_linux_ring_flush(r);
	if (err) {
		return err;
	}
	while (reaped < max && xnvme_be_linux_ring_reapable(r, poking)) {
		struct io_uring_cqe *cqe = xnvme_be_linux_ring_cqe(ring);
		struct xnvme_cmd_ctx *ctx = io_uring_cqe_get_data(cqe);

		if ((uintptr_t)ctx == LIBURING_UDATA_TIMEOUT || !ctx) {
			io_uring_cq_advance(ring, 1);
			continue; /* liburing's own timeout entry (kernels without EXT_ARG) */
		}
		cpl(ctx, cqe);
		io_uring_cq_advance(ring, 1);
		xnvme_queue_complete(queue, ctx);
		reaped++;
	}
	if (queue->cfd >= 0) {
		xnvme_be_linux_ring_cfd_settle(r, queue);
	}
	if (yield && !reaped && poking && queue->outstanding && !(r->flags & IORING_SETUP_IOPOLL)) {
		/* Nothing ready: a caller that spins on poke (fio's xnvme engine does) would keep
		 * the kernel's io-wq workers that run its punted requests (tmpfs reads, for one)
		 * off a CPU they share: fio on tmpfs went from 147K to 246K IOPS with this */
		sched_yield();
	}
	return (int)reaped;
}

/** The poke of both interfaces */
static inline __attribute__((always_inline)) int
xnvme_be_linux_ring_poke(struct xnvme_queue *queue, uint32_t max, int yield,
			 xnvme_be_linux_ring_cpl_fn cpl)
{
	int err = xnvme_be_linux_ring_claim(queue->be, queue);

	return err ? err : xnvme_be_linux_ring_reap(queue, max, 1, yield, cpl);
}

/** The wait of both interfaces */
static inline __attribute__((always_inline)) int
xnvme_be_linux_ring_wait(struct xnvme_queue *queue, xnvme_be_linux_ring_cpl_fn cpl)
{
	int err = xnvme_be_linux_ring_wait_enter(queue);

	return err ? err : xnvme_be_linux_ring_reap(queue, 0, 0, 0, cpl);
}

#pragma GCC visibility pop

#endif
#endif
