/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ring shared by the io_uring and io_uring_cmd interfaces: setup, registrations, the thread
 * it is bound to, SQE acquisition.
 *
 * Setup flags, the first the kernel takes:
 * - IORING_SETUP_SINGLE_ISSUER | DEFER_TASKRUN (Linux 6.1), as t/io_uring and fio's io_uring
 *   engine set them: a completion from another CPU (a block device's, a loop device's worker)
 *   queues its work on the ring instead of as task work on the submitter, and the submitter runs
 *   it in a batch when it next enters the kernel to reap or wait; the ring skips the locking a
 *   ring shared between tasks needs. On a loop device (O_DIRECT, 4 KiB, QD 32) this took
 *   xnvme-perf from 269K to 292K IOPS (6 interleaved runs; t/io_uring 338K); neutral on a file in
 *   the page cache, whose reads complete inline. The kernel then refuses (-EEXIST) any thread but
 *   the submitter, so the ring is created disabled (IORING_SETUP_R_DISABLED: the creating thread
 *   may still register) and enabled by the first thread that uses it (xnvme_be_linux_ring_claim),
 *   which binds it. A queue is used by one thread at a time, but may be created in one and used
 *   in another, or handed over: a thread that takes over a queue with nothing outstanding gets
 *   the ring set up again for it; with commands outstanding, -EPERM (they complete only for the
 *   thread that submitted them). Not with SQPOLL (the kernel refuses the pair) or IOPOLL.
 * - IORING_SETUP_COOP_TASKRUN (Linux 5.19): a completion does not interrupt the running submitter
 *   with an IPI to run its task work; the work runs when the task next enters the kernel (a
 *   sleeping task is still woken). On a loop device this took xnvme-perf from 197K to 282K IOPS.
 * - neither.
 * IORING_SETUP_TASKRUN_FLAG goes with the first two: the kernel raises IORING_SQ_TASKRUN while
 * completions wait for the task, and a poke then enters the kernel to run them (ring.h), so a
 * caller that only pokes (never sleeps) still sees every completion.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "ring.h"

#if XNVME_HAVE_LIBURING
#include <stdatomic.h>

_Thread_local uint64_t xnvme_be_linux_ring_thread_nr __attribute__((tls_model("initial-exec")));

uint64_t
xnvme_be_linux_ring_thread_assign(void)
{
	static atomic_uint_fast64_t last;

	xnvme_be_linux_ring_thread_nr = (uint64_t)atomic_fetch_add(&last, 1) + 1;
	return xnvme_be_linux_ring_thread_nr;
}

/* The io_uring itself, with the first setup flags (above) the kernel takes */
static int
ring_setup(struct xnvme_be_linux_ring *r, unsigned entries)
{
	struct io_uring_params params = {.flags = r->flags};
	int err;

	r->single = 0;
	if (!(r->flags & (IORING_SETUP_SQPOLL | IORING_SETUP_IOPOLL))) {
		params.flags = r->flags | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			       IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_R_DISABLED;
		err = io_uring_queue_init_params(entries, &r->ring, &params);
		if (err != -EINVAL) {
			r->single = !err;
			return err;
		}
	}
	if (!(r->flags & IORING_SETUP_SQPOLL)) {
		params = (struct io_uring_params){.flags = r->flags | IORING_SETUP_COOP_TASKRUN |
							   IORING_SETUP_TASKRUN_FLAG};
		err = io_uring_queue_init_params(entries, &r->ring, &params);
		if (err != -EINVAL) {
			return err;
		}
	}
	params = (struct io_uring_params){.flags = r->flags};
	return io_uring_queue_init_params(entries, &r->ring, &params);
}

/* Sets the ring up with its registrations; on error nothing is left open */
static int
ring_start(struct xnvme_be_linux_ring *r, struct xnvme_queue *queue)
{
	struct xnvme_dev *dev = queue->dev;
	int err;

	/* SQ entries = capacity: a full queue never finds the SQ full; the CQ is twice that */
	err = ring_setup(r, queue->capacity);
	if (err) {
		return err; /* e.g. -ENOSYS, -EPERM: io_uring disabled by the system */
	}
	r->sqe_fd = dev->fd;
	r->sqe_flags = 0;
	/*
	 * The file is registered whether or not opts.register_files asks: a fixed file spares the
	 * kernel a file-table lookup and, in a threaded program (fio --thread), two atomic
	 * reference counts per request. Asked for (or needed by SQPOLL on older kernels), a refusal
	 * fails the queue; otherwise the ring uses the plain fd.
	 */
	err = io_uring_register_files(&r->ring, &dev->fd, 1);
	if (!err) {
		r->sqe_fd = 0; /* the index in the registered files */
		r->sqe_flags = IOSQE_FIXED_FILE;
	} else if (dev->opts.register_files || (r->flags & IORING_SETUP_SQPOLL)) {
		goto fail;
	}
	err = xnvme_be_linux_arena_ring_init(dev, &r->ring, &r->arena);
	if (err < 0) {
		goto fail;
	}
	r->bufs = err;
	if (queue->cfd >= 0) {
		err = io_uring_register_eventfd(&r->ring, queue->cfd);
		if (err) {
			goto fail;
		}
	}
	r->started = 1;
	return 0;
fail:
	io_uring_queue_exit(&r->ring);
	return err;
}

int
xnvme_be_linux_ring_open(struct xnvme_be_linux_ring *r, struct xnvme_queue *queue, unsigned flags)
{
	memset(r, 0, sizeof(*r));
	r->fast_owner = XNVME_BE_LINUX_RING_NOBODY;
	r->flags = flags;
	return ring_start(r, queue);
}

void
xnvme_be_linux_ring_close(struct xnvme_be_linux_ring *r)
{
	if (r->started) {
		io_uring_queue_exit(&r->ring);
		r->started = 0;
	}
}

int
xnvme_be_linux_ring_init(struct xnvme_queue *queue, int opts, unsigned flags)
{
	struct xnvme_be_linux_ring *r = calloc(1, sizeof(*r));
	int err;

	if (!r) {
		return -ENOMEM;
	}
	if (opts & XNVME_QUEUE_IOPOLL) {
		flags |= IORING_SETUP_IOPOLL;
	}
	if (opts & XNVME_QUEUE_SQPOLL) {
		flags |= IORING_SETUP_SQPOLL;
	}
	err = xnvme_be_linux_ring_open(r, queue, flags);
	if (err) {
		free(r);
		return err;
	}
	queue->be = r;
	return 0;
}

int
xnvme_be_linux_ring_term(struct xnvme_queue *queue)
{
	/* Exiting the ring waits for requests still in flight (a drain that timed out) */
	xnvme_be_linux_ring_close(queue->be);
	free(queue->be);
	queue->be = NULL;
	return 0;
}

/*
 * Who may take the fast path (xnvme_be_linux_ring_fast()): the owner of a single-issuer ring of
 * 64-byte SQEs whose queue has no completion fd; called whenever one of these changes.
 */
static void
ring_fast_decide(struct xnvme_be_linux_ring *r, const struct xnvme_queue *queue)
{
	int fast = r->single && r->owner &&
		   !(r->flags & (IORING_SETUP_SQE128 | IORING_SETUP_CQE32)) && queue->cfd < 0;

	r->fast_owner = fast ? r->owner : XNVME_BE_LINUX_RING_NOBODY;
}

int
xnvme_be_linux_ring_claim_slow(struct xnvme_be_linux_ring *r, struct xnvme_queue *queue)
{
	int err;

	if (r->owner) {
		if (queue->outstanding || io_uring_sq_ready(&r->ring)) {
			return -EPERM;
		}
		/* Taken over with nothing outstanding: a ring of its own for this thread */
		io_uring_queue_exit(&r->ring);
		r->started = 0;
		r->owner = 0;
		ring_fast_decide(r, queue);
	}
	if (!r->started) {
		err = ring_start(r, queue);
		if (err) {
			/* No ring: every later call comes here and tries again */
			r->single = 1;
			return err;
		}
		if (!r->single) {
			return 0;
		}
	}
	err = io_uring_register(r->ring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
	if (err < 0) {
		return err;
	}
	r->owner = xnvme_be_linux_ring_thread();
	ring_fast_decide(r, queue);
	return 0;
}

int
xnvme_be_linux_ring_flush(struct xnvme_be_linux_ring *r)
{
	int err;

	if (!io_uring_sq_ready(&r->ring)) {
		return 0;
	}
	do {
		err = io_uring_submit(&r->ring);
	} while (err == -EINTR);
	return err < 0 && err != -EBUSY && err != -EAGAIN ? err : 0;
}

int
xnvme_be_linux_ring_wait_enter(struct xnvme_queue *queue)
{
	struct xnvme_be_linux_ring *r = queue->be;
	struct __kernel_timespec ts = {.tv_sec = 1, .tv_nsec = 0};
	struct io_uring_cqe *cqe;
	int res;

	res = xnvme_be_linux_ring_claim(r, queue);
	if (res) {
		return res;
	}
	/* One io_uring_enter submits what is pending and, when nothing is ready, sleeps until one
	 * completion (at most a second). A submit, a yield and a wait were 0.57 system calls per
	 * I/O for xnvme-perf on a loop device; this is 0.26 (t/io_uring: 0.24 waiting for one
	 * completion, 0.12 waiting for 8). With a CQE ready, the reap submits. */
	if (io_uring_cq_ready(&r->ring)) {
		return 0;
	}
	res = io_uring_submit_and_wait_timeout(&r->ring, &cqe, 1, &ts, NULL);
	return res < 0 && res != -ETIME && res != -EINTR && res != -EAGAIN && res != -EBUSY ? res
											    : 0;
}

int
xnvme_be_linux_ring_cfd_attach(struct xnvme_queue *queue, int fd)
{
	struct xnvme_be_linux_ring *r = queue->be;
	int err;

	err = xnvme_be_linux_ring_claim(r, queue);
	if (err) {
		return err;
	}
	err = io_uring_register_eventfd(&r->ring, fd);
	if (err) {
		return err;
	}
	/* From now on each command goes to the kernel at submission (the fast path is off) */
	queue->cfd = fd;
	ring_fast_decide(r, queue);
	xnvme_be_linux_ring_flush(r); /* what the fast path batched; an error shows on the poke */
	if (io_uring_cq_ready(&r->ring)) {
		xnvme_queue_signal(queue); /* completions that arrived before the fd existed */
	}
	return 0;
}

void
xnvme_be_linux_ring_cfd_settle(struct xnvme_be_linux_ring *r, struct xnvme_queue *queue)
{
	xnvme_queue_cfd_clear(queue->cfd);
	if (io_uring_cq_ready(&r->ring) || (IO_URING_READ_ONCE(*r->ring.sq.kflags) &
					    (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW))) {
		xnvme_queue_signal(queue);
	}
}

struct io_uring_sqe *
xnvme_be_linux_ring_get_sqe_when_full(struct io_uring *ring)
{
	struct io_uring_sqe *sqe;

	/* The SQ is full of prepared entries: hand them to the kernel and try again */
	io_uring_submit(ring);
	sqe = io_uring_get_sqe(ring);
	if (!sqe && (ring->flags & IORING_SETUP_SQPOLL)) {
		/* The SQ thread moves its head after a whole batch, so a command of that batch can
		 * complete (and its context be reused) while its entry still counts as taken: wait
		 * for the thread to give entries back */
		io_uring_sqring_wait(ring);
		sqe = io_uring_get_sqe(ring);
	}
	return sqe;
}
#endif
