/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "thrpool": a pool of worker threads per queue carries out commands with blocking
 * calls, in one of two ways, one table each:
 *
 *   xnvme_be_common_async_thrpool: the POSIX calls on the device's file descriptor
 *     (xnvme_posix_io_exec: preadv/pwritev, fdatasync, the emulated commands); commands are
 *     decoded at submit. One that cannot be done on a file descriptor (a zone append on a zoned
 *     block device) goes to the device's sync interface in the worker, as with the table below,
 *     when that interface is not itself made of file operations (psync/block would refuse it
 *     too: then submit refuses it).
 *   xnvme_be_common_async_thrpool_sync: the device's own sync interface (dev->sync), for a
 *     backend without a file descriptor whose sync interface may be called from several threads
 *     at once (the ramdisk); its commands reach the sync interface as the caller gave them.
 *
 * Two rings of context pointers, each as large as the queue, connect the queue's thread and the
 * workers: the submission ring (queue thread pushes, workers pop) and the completion ring (workers
 * push, queue thread pops). Both are protected by one mutex; a context is in at most one of them,
 * so neither can overflow. The per-command arguments live in an array indexed by the context's
 * slot. Completions are delivered, callbacks run, only on the queue's thread in poke/wait.
 *
 * Threads: XNVME_THRPOOL_NTHREADS (1..64, default 4), never more than the queue's capacity.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "xnvme_cmd.h"
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_common.h"

/*
 * The clock wait()'s deadline is on. Windows' pthreads (winpthreads) time condition waits on the
 * wall clock only: there a clock step can stretch one wait, which the command timeout still ends.
 */
#ifdef _WIN32
#define THRPOOL_WAIT_CLOCK CLOCK_REALTIME
#else
#define THRPOOL_WAIT_CLOCK CLOCK_MONOTONIC
#endif
#define THRPOOL_NTHREADS_DEFAULT 4
#define THRPOOL_NTHREADS_MAX     64

/*
 * Both argument structs begin with the same int, the path the worker takes (0: the file
 * descriptor, 1: the sync interface); a union may be read through a common initial sequence of
 * its members. It fills what was padding after an int: neither struct grows.
 */

/* A command for the file descriptor, decoded at submit */
struct thrpool_fd_args {
	int via_sync; ///< 0
	int dvec_cnt;
	struct xnvme_posix_io io;
	struct iovec iov;         ///< The one buffer of a non-vectored command
	const struct iovec *dvec; ///< &iov, or the caller's vector (valid until completion)
};

/*
 * A command for the sync interface: the arguments of cmd_io, or of cmd_iov when vectored. A
 * one-piece vector may live on the submitter's stack (xnvme_cmd_pass_iov() builds the metadata one
 * there) and be gone before a worker runs the command: its piece is kept here instead of the
 * vector, and the worker rebuilds it. No larger than the fd path's arguments: the array of them is
 * walked per command.
 */
struct thrpool_sync_args {
	int via_sync; ///< 1
	uint32_t dvec_cnt;
	uint32_t mvec_cnt;
	int vectored;
	void *dbuf;         ///< The data buffer; vectored: the piece, or the vector when more
	void *mbuf;         ///< The same for metadata
	size_t dbuf_nbytes; ///< Vectored with one piece: also the piece's length (cmd.c checked)
	size_t mbuf_nbytes;
	size_t mvec1_len; ///< The metadata piece's length, when that is all of its vector
};

union thrpool_args {
	struct thrpool_fd_args fd;
	struct thrpool_sync_args sync;
};
_Static_assert(sizeof(struct thrpool_sync_args) <= sizeof(struct thrpool_fd_args),
	       "the sync path's arguments would make the fd path's array sparser");

struct thrpool_state {
	pthread_mutex_t lock;
	pthread_cond_t work; ///< Signalled when the submission ring gets an entry, and at stop
	pthread_cond_t done; ///< Signalled when the completion ring gets an entry
	struct xnvme_queue_ring sq; ///< Head: workers; tail: the queue's thread; under lock
	struct xnvme_queue_ring cq; ///< Head: the queue's thread only; tail: workers, under lock
	int stop;
	/*
	 * A duplicate of the device's file descriptor, or -1: commands go to the sync interface.
	 * The queue's own: a worker parked on a stuck command (thrpool_term) may still use it
	 * after the device is closed, and must not reach a file reopened under the same number.
	 */
	int fd;
	int sync_fallback; ///< fd path: what decode refuses goes to the device's sync interface
	int nthreads;
	union thrpool_args *args; ///< One per context slot
	struct xnvme_queue *queue;
	pthread_t threads[THRPOOL_NTHREADS_MAX];
};

/*
 * A sync interface refuses a command it cannot carry out with a negative errno and no status. At
 * submit that would be the submitter's answer; a worker runs after submit answered 0, so the
 * completion carries it as a status instead, the errno in cdw0 as for the OS's errors.
 */
static void
thrpool_sync_exec(struct xnvme_cmd_ctx *ctx, const struct thrpool_sync_args *a)
{
	const struct xnvme_be_sync_ops *sync = ctx->dev->sync;
	int err;

	if (a->vectored) {
		struct iovec d1 = {.iov_base = a->dbuf, .iov_len = a->dbuf_nbytes};
		struct iovec m1 = {.iov_base = a->mbuf, .iov_len = a->mvec1_len};

		err = sync->cmd_iov(ctx, a->dvec_cnt == 1 ? &d1 : a->dbuf, a->dvec_cnt,
				    a->dbuf_nbytes, a->mvec_cnt == 1 ? &m1 : a->mbuf, a->mvec_cnt,
				    a->mbuf_nbytes);
	} else {
		err = sync->cmd_io(ctx, a->dbuf, a->dbuf_nbytes, a->mbuf, a->mbuf_nbytes);
	}
	if (!err || (err == -EIO && xnvme_cmd_ctx_cpl_status(ctx))) {
		return;
	}
	if (err == -ENOSYS) {
		xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_OPCODE);
		ctx->cpl.cdw0 = ENOSYS;
		return;
	}
	xnvme_posix_io_fail(ctx, err);
}

static void *
thrpool_worker(void *arg)
{
	struct thrpool_state *state = arg;

	pthread_mutex_lock(&state->lock);
	for (;;) {
		const union thrpool_args *a;
		struct xnvme_cmd_ctx *ctx;

		while (state->sq.head == state->sq.tail && !state->stop) {
			pthread_cond_wait(&state->work, &state->lock);
		}
		if (state->stop) {
			break;
		}
		ctx = state->sq.ents[state->sq.head++ & state->sq.mask];
		pthread_mutex_unlock(&state->lock);

		a = &state->args[xnvme_queue_ctx_slot(state->queue, ctx)];
		/*
		 * The outcome is in ctx->cpl. decode() at submit caught what exec refuses (-ENOSYS,
		 * -EINVAL without a status); what is left fails with a status, which the
		 * completion carries.
		 */
		if (a->fd.via_sync) {
			thrpool_sync_exec(ctx, &a->sync);
		} else {
			xnvme_posix_io_exec(state->fd, ctx, &a->fd.io, a->fd.dvec, a->fd.dvec_cnt);
		}

		pthread_mutex_lock(&state->lock);
		state->cq.ents[state->cq.tail++ & state->cq.mask] = ctx;
		pthread_cond_signal(&state->done);
		xnvme_queue_signal(state->queue); /* queue->cfd is set under the lock */
	}
	pthread_mutex_unlock(&state->lock);
	return NULL;
}

static void
thrpool_free(struct thrpool_state *state)
{
	if (state->fd >= 0) {
		close(state->fd);
	}
	xnvme_queue_ring_term(&state->sq);
	xnvme_queue_ring_term(&state->cq);
	free(state->args);
	pthread_mutex_destroy(&state->lock);
	pthread_cond_destroy(&state->work);
	pthread_cond_destroy(&state->done);
	free(state);
}

/* Tells the workers to end: each does once its command, if it has one, is done */
static void
thrpool_tell_stop(struct thrpool_state *state)
{
	pthread_mutex_lock(&state->lock);
	state->stop = 1;
	pthread_cond_broadcast(&state->work);
	pthread_mutex_unlock(&state->lock);
}

static void
thrpool_stop(struct thrpool_state *state)
{
	thrpool_tell_stop(state);
	for (int i = 0; i < state->nthreads; ++i) {
		pthread_join(state->threads[i], NULL);
	}
	thrpool_free(state);
}

static int
thrpool_nthreads(uint32_t capacity)
{
	const char *env = getenv("XNVME_THRPOOL_NTHREADS");
	long val = THRPOOL_NTHREADS_DEFAULT;

	if (env && *env) {
		char *end;

		val = strtol(env, &end, 10);
		if (*end || val < 1 || val > THRPOOL_NTHREADS_MAX) {
			return -EINVAL; /* a setting that cannot be honoured is an error, not a hint
					 */
		}
	}
	return (int)XNVME_MIN_U64((uint32_t)val, capacity);
}

static int
thrpool_locks_init(struct thrpool_state *state)
{
	pthread_condattr_t attr;
	int err;

	err = pthread_mutex_init(&state->lock, NULL);
	if (err) {
		return -err;
	}
	err = pthread_condattr_init(&attr);
	if (!err) {
		/* wait() bounds itself on the monotonic clock: a clock step must not stretch it */
		err = pthread_condattr_setclock(&attr, THRPOOL_WAIT_CLOCK);
		if (!err) {
			err = pthread_cond_init(&state->done, &attr);
		}
		pthread_condattr_destroy(&attr);
	}
	if (err) {
		pthread_mutex_destroy(&state->lock);
		return -err;
	}
	err = pthread_cond_init(&state->work, NULL);
	if (err) {
		pthread_cond_destroy(&state->done);
		pthread_mutex_destroy(&state->lock);
		return -err;
	}
	return 0;
}

/*
 * Whether the sync interface of @p dev can carry commands the file descriptor cannot: not when it
 * is made of the same file operations (psync's, under any table's name: block, Windows' file),
 * nor when it has none.
 */
static int
thrpool_sync_carries_more(const struct xnvme_dev *dev)
{
	const struct xnvme_be_sync_ops *sync = dev->sync;

	return sync && sync->cmd_io && sync->cmd_iov &&
	       sync->cmd_io != xnvme_be_common_psync_cmd_io &&
	       sync->cmd_io != xnvme_be_nosys_cmd_io;
}

static int
thrpool_start(struct xnvme_queue *queue, int opts, int fd)
{
	struct thrpool_state *state;
	int nthreads, err;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	nthreads = thrpool_nthreads(queue->capacity);
	if (nthreads < 0) {
		return nthreads;
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	err = thrpool_locks_init(state);
	if (err) {
		free(state);
		return err;
	}
	state->fd = fd >= 0 ? xnvme_compat_dup_cloexec(fd) : -1;
	if (fd >= 0 && state->fd < 0) {
		err = -errno;
		state->fd = -1;
		thrpool_free(state);
		return err;
	}
	state->sync_fallback = fd >= 0 && thrpool_sync_carries_more(queue->dev);
	state->queue = queue;
	state->args = calloc(queue->nctxs, sizeof(*state->args));
	if (!state->args || xnvme_queue_ring_init(&state->sq, queue->capacity) ||
	    xnvme_queue_ring_init(&state->cq, queue->capacity)) {
		thrpool_free(state);
		return -ENOMEM;
	}
	for (int i = 0; i < nthreads; ++i) {
		err = pthread_create(&state->threads[i], NULL, thrpool_worker, state);
		if (err) {
			thrpool_stop(state);
			return -err;
		}
		state->nthreads++;
	}
	queue->be = state;
	return 0;
}

static int
thrpool_init(struct xnvme_queue *queue, int opts)
{
	if (queue->dev->fd < 0) {
		return -ENOSYS; /* the table for a device without a file descriptor is _sync */
	}
	return thrpool_start(queue, opts, queue->dev->fd);
}

static int
thrpool_sync_init(struct xnvme_queue *queue, int opts)
{
	return thrpool_start(queue, opts, -1);
}

/*
 * Commands a drain gave up on are still with the workers: one may sit in a system call on a
 * stuck device for as long as the device takes. Joining it would hang term; freeing the state
 * would let it write its completion into freed memory. The workers are told to stop and detached
 * instead, and the state is left allocated (parked) with its file descriptor: an idle worker ends
 * now, a busy one when its call returns, after filing its completion in the parked state and
 * signalling the parked queue's completion fd. Commands not yet taken by a worker are never run.
 */
static int
thrpool_park(struct thrpool_state *state)
{
	thrpool_tell_stop(state);
	for (int i = 0; i < state->nthreads; ++i) {
		pthread_detach(state->threads[i]);
	}
	return -EBUSY;
}

static int
thrpool_term(struct xnvme_queue *queue)
{
	struct thrpool_state *state = queue->be;

	queue->be = NULL;
	if (queue->outstanding) {
		return thrpool_park(state);
	}
	thrpool_stop(state);
	return 0;
}

/* The arguments of the command in @p ctx's slot, to be filled before thrpool_push() */
static inline union thrpool_args *
thrpool_args_of(struct xnvme_cmd_ctx *ctx)
{
	struct xnvme_queue *queue = ctx->async.queue;

	return &((struct thrpool_state *)queue->be)->args[xnvme_queue_ctx_slot(queue, ctx)];
}

/* Hands @p ctx, its arguments filled, to the workers */
static inline int
thrpool_push(struct xnvme_cmd_ctx *ctx)
{
	struct thrpool_state *state = ctx->async.queue->be;

	pthread_mutex_lock(&state->lock);
	state->sq.ents[state->sq.tail++ & state->sq.mask] = ctx;
	pthread_cond_signal(&state->work);
	pthread_mutex_unlock(&state->lock);
	return 0;
}

static int
thrpool_sync_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		    size_t mbuf_nbytes)
{
	struct thrpool_sync_args *a = &thrpool_args_of(ctx)->sync;

	a->via_sync = 1;
	a->dbuf = dbuf;
	a->dbuf_nbytes = dbuf_nbytes;
	a->mbuf = mbuf;
	a->mbuf_nbytes = mbuf_nbytes;
	a->vectored = 0;
	return thrpool_push(ctx);
}

static int
thrpool_sync_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		     size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	struct thrpool_sync_args *a = &thrpool_args_of(ctx)->sync;

	if (dvec_cnt > UINT32_MAX || mvec_cnt > UINT32_MAX) {
		return -EINVAL;
	}
	a->via_sync = 1;
	/* Longer vectors are the caller's, valid until completion; a one-piece one is kept */
	a->dbuf = dvec_cnt == 1 ? dvec[0].iov_base : (void *)dvec;
	a->dvec_cnt = (uint32_t)dvec_cnt;
	a->dbuf_nbytes = dvec_nbytes;
	a->mbuf = mvec_cnt == 1 ? mvec[0].iov_base : (void *)mvec;
	a->mvec1_len = mvec_cnt == 1 ? mvec[0].iov_len : 0;
	a->mvec_cnt = (uint32_t)mvec_cnt;
	a->mbuf_nbytes = mvec_nbytes;
	a->vectored = 1;
	return thrpool_push(ctx);
}

/*
 * Decodes the command for the file descriptor and hands it to the workers. Returns 1, nothing
 * pushed, when decode refused it and the device's sync interface is to carry it instead: the
 * caller passes it on as it was given, the refusal's status cleared.
 */
static int
thrpool_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	       size_t mvec_nbytes)
{
	struct thrpool_fd_args *a = &thrpool_args_of(ctx)->fd;
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &a->io);
	if (err) {
		if (err == -ENOSYS &&
		    ((struct thrpool_state *)ctx->async.queue->be)->sync_fallback) {
			memset(&ctx->cpl, 0, sizeof(ctx->cpl));
			return 1;
		}
		return err;
	}
	a->via_sync = 0;
	if (dvec_cnt <= 1) {
		/* cmd_io's vector lives on its stack: keep a copy */
		a->iov = dvec_cnt ? dvec[0] : (struct iovec){0};
		a->dvec = &a->iov;
	} else {
		a->dvec = dvec;
	}
	a->dvec_cnt = (int)dvec_cnt;
	return thrpool_push(ctx);
}

static int
thrpool_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};
	int err = thrpool_submit(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);

	return err == 1 ? thrpool_sync_cmd_io(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes) : err;
}

static int
thrpool_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	int err = thrpool_submit(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);

	return err == 1 ? thrpool_sync_cmd_iov(ctx, dvec, dvec_cnt, dvec_nbytes, mvec, mvec_cnt,
					       mvec_nbytes)
			: err;
}

/*
 * Delivers up to max (0: all) completions. One lock round per call: the queue's thread alone moves
 * cq.head, and the entries below the tail it saw stay put until it does. When @p deadline is
 * given, first waits until then for the completion ring to get an entry.
 */
static int
thrpool_reap(struct xnvme_queue *queue, uint32_t max, const struct timespec *deadline)
{
	struct thrpool_state *state = queue->be;
	uint32_t tail, n;

	pthread_mutex_lock(&state->lock);
	while (deadline && state->cq.head == state->cq.tail) {
		if (pthread_cond_timedwait(&state->done, &state->lock, deadline) == ETIMEDOUT) {
			break;
		}
	}
	tail = state->cq.tail;
	pthread_mutex_unlock(&state->lock);

	n = tail - state->cq.head;
	if (max && max < n) {
		n = max;
	}
	/* Outside the lock: a callback may submit, and a worker may complete meanwhile */
	for (uint32_t i = 0; i < n; ++i) {
		xnvme_queue_complete(queue, state->cq.ents[state->cq.head++ & state->cq.mask]);
	}
	if (queue->cfd >= 0) {
		pthread_mutex_lock(&state->lock);
		if (state->cq.head != state->cq.tail) {
			xnvme_queue_signal(
			    queue); /* left for the next poke: keep the fd readable */
		}
		pthread_mutex_unlock(&state->lock);
	}
	return (int)n;
}

static int
thrpool_poke(struct xnvme_queue *queue, uint32_t max)
{
	return thrpool_reap(queue, max, NULL);
}

static int
thrpool_wait(struct xnvme_queue *queue)
{
	struct timespec deadline;

	clock_gettime(THRPOOL_WAIT_CLOCK, &deadline);
	deadline.tv_sec += 1;
	return thrpool_reap(queue, 0, &deadline);
}

static int
thrpool_cfd_attach(struct xnvme_queue *queue, int fd)
{
	struct thrpool_state *state = queue->be;

	/* The workers read queue->cfd under the lock */
	pthread_mutex_lock(&state->lock);
	queue->cfd = fd;
	if (state->cq.head != state->cq.tail) {
		xnvme_queue_signal(queue); /* completions that arrived before the fd existed */
	}
	pthread_mutex_unlock(&state->lock);
	return 0;
}

const struct xnvme_be_async_ops xnvme_be_common_async_thrpool = {
    XNVME_BE_OPS_HEAD("thrpool",
		      "a pool of worker threads per queue (XNVME_THRPOOL_NTHREADS, default 4)"),
    XNVME_BE_ASYNC_FNS(thrpool),
    .cfd_attach = thrpool_cfd_attach,
};

const struct xnvme_be_async_ops xnvme_be_common_async_thrpool_sync = {
    XNVME_BE_OPS_HEAD("thrpool", "a pool of worker threads per queue running the sync interface "
				 "(XNVME_THRPOOL_NTHREADS, default 4)"),
    .init = thrpool_sync_init,
    .term = thrpool_term,
    .cmd_io = thrpool_sync_cmd_io,
    .cmd_iov = thrpool_sync_cmd_iov,
    .poke = thrpool_poke,
    .wait = thrpool_wait,
    .cfd_attach = thrpool_cfd_attach,
};
