/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring setup and SQE acquisition shared by the io_uring and io_uring_cmd interfaces.
 *
 * IORING_SETUP_COOP_TASKRUN: a completion does not interrupt the running submitter with an IPI to
 * run its task work; the work runs when the task next enters the kernel (a sleeping task is still
 * woken). On a loop device that completes from another CPU this took xnvme-perf from 197K to 282K
 * IOPS (4 KiB, QD 32). IORING_SETUP_TASKRUN_FLAG goes with it: the kernel raises IORING_SQ_TASKRUN
 * while completions wait for the task, and liburing's peek then enters the kernel to run them, so
 * a caller that only pokes (never sleeps) still sees every completion.
 * Not used: SINGLE_ISSUER / DEFER_TASKRUN and a registered ring fd, which bind the ring to the
 * thread that set it up, while a queue may be created in one thread and used in another.
 */
#include <errno.h>
#include <xnvme_config.h>
#include "ring.h"

#if XNVME_HAVE_LIBURING

int
xnvme_be_linux_ring_init(unsigned entries, struct io_uring *ring, struct io_uring_params *params)
{
	unsigned flags = params->flags;
	int err;

	/* SQPOLL has no submitter to spare an IPI: the kernel refuses the pair */
	if (!(flags & IORING_SETUP_SQPOLL)) {
		params->flags |= IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
		err = io_uring_queue_init_params(entries, ring, params);
		if (err != -EINVAL) {
			return err;
		}
		params->flags = flags; /* before Linux 5.19: without them */
	}
	return io_uring_queue_init_params(entries, ring, params);
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
