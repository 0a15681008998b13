/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The completion fd of the async interfaces (xnvme_queue_get_completion_fd): an eventfd that is
 * readable while completions wait to be reaped. It blocks, as xNVMe 0.7.5's does: programs
 * written for it read() the fd to sleep until a command completes. The queue (queue.c) owns it
 * and clears it; the interfaces signal it (xnvme_queue_signal); neither ever blocks on it. A
 * system without eventfd (the build checks for it) has no completion fd: -ENOSYS.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <xnvme_config.h>
#if XNVME_HAVE_EVENTFD
#include <poll.h>
#include <sys/eventfd.h>
#endif
#include "xnvme_queue.h"

int
xnvme_queue_cfd_open(void)
{
#if XNVME_HAVE_EVENTFD
	int fd = eventfd(0, EFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
#else
	return -ENOSYS;
#endif
}

#if XNVME_HAVE_EVENTFD
void
xnvme_queue_cfd_signal(int fd)
{
	uint64_t one = 1;

	/* The counter cannot saturate in practice (2^64 - 2 signals): the write never blocks */
	if (write(fd, &one, sizeof(one)) < 0) {
		/* nothing to do: the fd is readable either way */
	}
}

void
xnvme_queue_cfd_clear(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	uint64_t cnt;

	/* Looked at first: a read of a fd that was not signalled would block */
	if (poll(&pfd, 1, 0) == 1 && read(fd, &cnt, sizeof(cnt)) < 0) {
		/* nothing to do: another reader took the count */
	}
}
#else
/* Without a completion fd there is nothing to signal or clear: the queue never holds one */
void
xnvme_queue_cfd_signal(int fd)
{
	(void)fd;
}

void
xnvme_queue_cfd_clear(int fd)
{
	(void)fd;
}
#endif
