/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "io_uring" (liburing) on the device's file descriptor. Submission is batched:
 * commands only fill SQEs, and one io_uring_enter submits them all on poke or wait (or when the
 * submission queue is full). Commands io_uring has no operation for run synchronously at submit
 * and complete on the next poke, like emu.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_linux.h"

#if XNVME_HAVE_LIBURING
#include <liburing.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct iouring_state {
	struct io_uring ring;
	int fixed;   ///< The file is registered: SQEs use index 0 with IOSQE_FIXED_FILE
	int eventfd; ///< -1 until get_completion_fd asks for one
	struct xnvme_queue_ring done; ///< Commands carried out at submit, delivered on poke
};

static int
iouring_init(struct xnvme_queue *queue, int opts)
{
	struct xnvme_dev *dev = queue->dev;
	struct io_uring_params params = {0};
	struct iouring_state *state;
	int err;

	if ((opts & XNVME_QUEUE_IOPOLL) && !dev->opts.direct) {
		return -EINVAL; /* IOPOLL needs O_DIRECT; without it every read fails */
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	if (xnvme_queue_ring_init(&state->done, queue->capacity)) {
		free(state);
		return -ENOMEM;
	}
	state->eventfd = -1;
	if (opts & XNVME_QUEUE_IOPOLL) {
		params.flags |= IORING_SETUP_IOPOLL;
	}
	if (opts & XNVME_QUEUE_SQPOLL) {
		params.flags |= IORING_SETUP_SQPOLL;
	}
	err = io_uring_queue_init_params(queue->capacity, &state->ring, &params);
	if (err) {
		xnvme_queue_ring_term(&state->done);
		free(state);
		return err;
	}
	if (dev->opts.register_files || (opts & XNVME_QUEUE_SQPOLL)) {
		err = io_uring_register_files(&state->ring, &dev->fd, 1);
		if (err) {
			io_uring_queue_exit(&state->ring);
			xnvme_queue_ring_term(&state->done);
			free(state);
			return err;
		}
		state->fixed = 1;
	}
	queue->be = state;
	return 0;
}

static int
iouring_term(struct xnvme_queue *queue)
{
	struct iouring_state *state = queue->be;

	io_uring_queue_exit(&state->ring);
	if (state->eventfd >= 0) {
		close(state->eventfd);
	}
	xnvme_queue_ring_term(&state->done);
	free(state);
	queue->be = NULL;
	return 0;
}

static struct io_uring_sqe *
iouring_get_sqe(struct iouring_state *state)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&state->ring);

	if (!sqe) {
		/* The SQ is full of prepared entries: hand them to the kernel and try again */
		io_uring_submit(&state->ring);
		sqe = io_uring_get_sqe(&state->ring);
	}
	return sqe;
}

static int
iouring_submit_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		   size_t dvec_nbytes, size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct iouring_state *state = queue->be;
	int fd = state->fixed ? 0 : ctx->dev->fd;
	struct io_uring_sqe *sqe;
	struct xnvme_posix_io io;
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	if (io.kind == XNVME_POSIX_IO_OTHER) {
		err = xnvme_posix_io_exec(ctx->dev->fd, ctx, &io, dvec, (int)dvec_cnt);
		return xnvme_queue_ring_push(&state->done, ctx, err);
	}
	sqe = iouring_get_sqe(state);
	if (!sqe) {
		return -EBUSY;
	}
	switch (io.kind) {
	case XNVME_POSIX_IO_READ:
		if (dvec_cnt == 1) {
			io_uring_prep_read(sqe, fd, dvec[0].iov_base, (unsigned)io.nbytes, io.off);
		} else {
			io_uring_prep_readv(sqe, fd, dvec, (unsigned)dvec_cnt, io.off);
		}
		break;
	case XNVME_POSIX_IO_WRITE:
		if (dvec_cnt == 1) {
			io_uring_prep_write(sqe, fd, dvec[0].iov_base, (unsigned)io.nbytes, io.off);
		} else {
			io_uring_prep_writev(sqe, fd, dvec, (unsigned)dvec_cnt, io.off);
		}
		break;
	default:
		io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
		break;
	}
	if (state->fixed) {
		sqe->flags |= IOSQE_FIXED_FILE;
	}
	io_uring_sqe_set_data(sqe, ctx);
	/* Remember how many bytes were asked for: a short transfer is an error */
	memcpy(ctx->be_rsvd, &io.nbytes, sizeof(uint32_t));
	return 0;
}

static int
iouring_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return iouring_submit_iov(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

static int
iouring_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return iouring_submit_iov(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

static void
iouring_cpl(struct xnvme_queue *queue, struct io_uring_cqe *cqe)
{
	struct xnvme_cmd_ctx *ctx = io_uring_cqe_get_data(cqe);
	uint32_t want;
	int res = cqe->res;

	memcpy(&want, ctx->be_rsvd, sizeof(want));
	if (res < 0) {
		xnvme_posix_io_fail(ctx, res);
	} else if (ctx->cmd.common.opcode != XNVME_SPEC_NVM_OPC_FLUSH &&
		   ctx->cmd.common.opcode != XNVME_SPEC_FS_OPC_FLUSH && (uint32_t)res != want) {
		xnvme_posix_io_fail(ctx, -EIO); /* short transfer: end of device or file */
	} else {
		ctx->cpl.result = (uint64_t)res;
	}
	xnvme_queue_complete(queue, ctx);
}

static int
iouring_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct iouring_state *state = queue->be;
	struct io_uring_cqe *cqes[64];
	uint32_t reaped = 0;
	int err;

	max = max ? max : queue->capacity;
	reaped = xnvme_queue_ring_reap(queue, &state->done, max);
	if (io_uring_sq_ready(&state->ring)) {
		err = io_uring_submit(&state->ring);
		if (err < 0 && err != -EBUSY && err != -EAGAIN) {
			return err;
		}
	}
	while (reaped < max) {
		unsigned n =
		    io_uring_peek_batch_cqe(&state->ring, cqes, XNVME_MIN(64U, max - reaped));

		if (!n) {
			/* IOPOLL rings only complete when the kernel is entered */
			if ((queue->opts & XNVME_QUEUE_IOPOLL) &&
			    !io_uring_sq_ready(&state->ring)) {
				io_uring_get_events(&state->ring);
				n = io_uring_peek_batch_cqe(&state->ring, cqes,
							    XNVME_MIN(64U, max - reaped));
			}
			if (!n) {
				break;
			}
		}
		for (unsigned i = 0; i < n; ++i) {
			struct io_uring_cqe *cqe = cqes[i];

			/* Mark seen first: the callback may submit and then wait on the ring */
			io_uring_cqe_seen(&state->ring, cqe);
			iouring_cpl(queue, cqe);
		}
		reaped += n;
	}
	return (int)reaped;
}

static int
iouring_wait(struct xnvme_queue *queue)
{
	struct iouring_state *state = queue->be;
	struct __kernel_timespec ts = {.tv_sec = 1, .tv_nsec = 0};
	struct io_uring_cqe *cqe;
	int res;

	res = iouring_poke(queue, 0);
	if (res) {
		return res;
	}
	res = io_uring_submit_and_wait_timeout(&state->ring, &cqe, 1, &ts, NULL);
	if (res < 0 && res != -ETIME && res != -EINTR) {
		return res;
	}
	return iouring_poke(queue, 0);
}

static int
iouring_get_completion_fd(struct xnvme_queue *queue)
{
	struct iouring_state *state = queue->be;
	int err;

	if (state->eventfd >= 0) {
		return state->eventfd;
	}
	state->eventfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (state->eventfd < 0) {
		return -errno;
	}
	err = io_uring_register_eventfd(&state->ring, state->eventfd);
	if (err) {
		close(state->eventfd);
		state->eventfd = -1;
		return err;
	}
	return state->eventfd;
}

const struct xnvme_be_async_ops xnvme_be_linux_async_iouring = {
    .id = "io_uring",
    .descr = "io_uring (liburing): batched submission, SQPOLL/IOPOLL, registered file",
    .init = iouring_init,
    .term = iouring_term,
    .cmd_io = iouring_cmd_io,
    .cmd_iov = iouring_cmd_iov,
    .poke = iouring_poke,
    .wait = iouring_wait,
    .get_completion_fd = iouring_get_completion_fd,
};

#else

static int
iouring_init_nosys(struct xnvme_queue *queue, int opts)
{
	(void)queue;
	(void)opts;
	return -ENOSYS;
}

const struct xnvme_be_async_ops xnvme_be_linux_async_iouring = {
    .id = "io_uring",
    .descr = "not built: liburing was not found",
    .init = iouring_init_nosys,
    .term = NULL,
    .cmd_io = xnvme_be_nosys_cmd_io,
    .cmd_iov = xnvme_be_nosys_cmd_iov,
    .poke = NULL,
};

#endif
