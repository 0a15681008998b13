/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interfaces "iocp" and "iocp_th": overlapped ReadFile/WriteFile on an I/O completion port.
 *
 * A handle is bound to one completion port for its life, and the device's own handle is shared by
 * every queue (and by the sync interface): each queue opens a handle of its own on the same file
 * (ReOpenFile: the same access and flags, overlapped, unbuffered when direct) and binds it to a
 * port of its own. Closing the queue closes both. The device's handle is never bound to a port,
 * so the commands run at submit (below) go through it as the sync interface's do.
 *
 *   iocp: the queue's thread reaps the port, GetQueuedCompletionStatusEx in batches of up to 64:
 *     poke with a zero timeout (and no system call when nothing is in flight), wait blocking up
 *     to the command timeout.
 *   iocp_th: a thread per queue blocks on the port, judges each completion (ctx->cpl), and hands
 *     it to the queue's thread through a ring under a lock; poke takes what is there, wait sleeps
 *     on a condition variable up to the command timeout. Callbacks run on the queue's thread only.
 *
 * Submission: the context's slot holds the OVERLAPPED (offset in Offset/OffsetHigh). The handle is
 * set to skip the port on success (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS): a read or write that
 * Windows completes at once (a cached read) is judged at submit and filed on the queue's done ring,
 * saving a trip through the port; ERROR_IO_PENDING completes through the port; an immediate error
 * completes with its status, filed on the done ring. When the mode cannot be set, a success at
 * once completes through the port as a pending one does.
 *
 * Vectored reads and writes go through a bounce buffer (sector aligned, allocated per command,
 * freed at completion): one ReadFile/WriteFile, so the command is one I/O like a plain one, which
 * pieces issued one by one would not be (Windows' scatter/gather file calls take whole pages of an
 * unbuffered file only). Flush and the emulated commands (write zeroes, deallocate, compare, ...)
 * run at submit on the device's handle (posix_io.c) and are filed on the done ring.
 *
 * Errors: Windows' error codes become errnos (xnvme_compat_errno), and the status by posix_io.c's
 * rule; a read that stops at the end of the file is short, as on Linux. Windows has no completion
 * fd (completion_fd.c): the queue never holds one here, so nothing signals it.
 */
#include <errno.h>
#include <process.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_common.h"
#include "xnvme_be_windows.h"

/* Completions taken from the port per call: Windows' own examples' batch, a few KiB of stack */
#define IOCP_BATCH 64
/* The key of the packet that tells iocp_th's thread to end; I/O completes with key 0 */
#define IOCP_KEY_STOP 1
/* Bounce buffers are aligned for any sector size: unbuffered I/O needs it for direct */
#define IOCP_BOUNCE_ALIGN 4096

struct iocp_slot {
	OVERLAPPED ov; ///< First: the OVERLAPPED a completion names is its slot
	struct xnvme_cmd_ctx *ctx;
	void *bounce;             ///< Vectored: the pieces gathered, freed at completion
	const struct iovec *dvec; ///< Vectored read: where the bounce buffer is scattered
	size_t dvec_cnt;
};

struct iocp_state {
	HANDLE h;    ///< The queue's own handle on the device's file, bound to port
	HANDLE port; ///< The queue's completion port
	int skip;    ///< FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is set on h
	/*
	 * Commands handed to the port (pending, or a success it will post), and those taken from
	 * it: iocp's are the queue thread's alone; iocp_th's ncompleted is its thread's, under lock
	 */
	uint64_t nsubmitted;
	uint64_t ncompleted;
	struct iocp_slot *slots; ///< One per context slot
	/* iocp_th */
	SRWLOCK lock;
	CONDITION_VARIABLE done;    ///< Woken when cq gets an entry
	struct xnvme_queue_ring cq; ///< Head: the queue's thread; tail: the reaper, under lock
	HANDLE thread;              ///< The reaper; NULL for iocp
};

static void
iocp_free(struct iocp_state *state)
{
	if (state->port) {
		CloseHandle(state->port);
	}
	if (state->h != INVALID_HANDLE_VALUE) {
		CloseHandle(state->h);
	}
	xnvme_queue_ring_term(&state->cq);
	free(state->slots);
	free(state);
}

static int
iocp_setup(struct xnvme_queue *queue, int opts, struct iocp_state **out)
{
	struct iocp_state *state;
	int err;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	if (queue->dev->fd < 0) {
		return -ENOSYS;
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	state->h = INVALID_HANDLE_VALUE;
	state->slots = calloc(queue->nctxs, sizeof(*state->slots));
	if (!state->slots) {
		iocp_free(state);
		return -ENOMEM;
	}
	state->h = xnvme_be_windows_reopen(queue->dev);
	if (state->h == INVALID_HANDLE_VALUE) {
		err = -xnvme_compat_errno(GetLastError());
		iocp_free(state);
		return err;
	}
	state->port = CreateIoCompletionPort(state->h, NULL, 0, 1);
	if (!state->port) {
		err = -xnvme_compat_errno(GetLastError());
		iocp_free(state);
		return err;
	}
	/* Also no signal of the handle per completion: nothing waits on it */
	state->skip =
	    SetFileCompletionNotificationModes(state->h, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS |
							     FILE_SKIP_SET_EVENT_ON_HANDLE) != 0;
	*out = state;
	return 0;
}

/* The outcome of the command in @p slot, which Windows completed: bytes moved, or -errno */
static int64_t
iocp_result(HANDLE h, struct iocp_slot *slot)
{
	DWORD got = 0, winerr;

	if (GetOverlappedResult(h, &slot->ov, &got, FALSE)) {
		return got;
	}
	winerr = GetLastError();
	/* A read that reached the end of the file: short, judged as on Linux */
	return winerr == ERROR_HANDLE_EOF ? (int64_t)got : -(int64_t)xnvme_compat_errno(winerr);
}

/* Sets ctx->cpl of the command in @p slot from @p res; a vectored read's data is scattered */
static void
iocp_finish(struct iocp_slot *slot, int64_t res)
{
	struct xnvme_cmd_ctx *ctx = slot->ctx;

	if (slot->bounce) {
		if (xnvme_cmd_io_kind(ctx) == XNVME_POSIX_IO_READ &&
		    (uint64_t)res == xnvme_cmd_io_nbytes(ctx)) {
			const uint8_t *from = slot->bounce;

			for (size_t i = 0; i < slot->dvec_cnt; ++i) {
				memcpy(slot->dvec[i].iov_base, from, slot->dvec[i].iov_len);
				from += slot->dvec[i].iov_len;
			}
		}
		xnvme_compat_memalign_free(slot->bounce);
		slot->bounce = NULL;
	}
	xnvme_posix_io_inflight_cpl(ctx, res);
}

/* A vectored command's one buffer: a write's pieces gathered into it, a read's scattered later */
static int
iocp_bounce(struct iocp_slot *slot, int write, const struct iovec *dvec, size_t dvec_cnt,
	    size_t nbytes)
{
	uint8_t *to;

	if (xnvme_compat_memalign(&slot->bounce, IOCP_BOUNCE_ALIGN, nbytes)) {
		slot->bounce = NULL;
		return -ENOMEM;
	}
	slot->dvec = dvec; /* the caller's vector, valid until completion */
	slot->dvec_cnt = dvec_cnt;
	to = slot->bounce;
	for (size_t i = 0; write && i < dvec_cnt; ++i) {
		memcpy(to, dvec[i].iov_base, dvec[i].iov_len);
		to += dvec[i].iov_len;
	}
	return 0;
}

/*
 * Starts the read or write of @p ctx (decoded, recorded in ctx) in @p slot. Pending, or a success
 * the port will post: counted as handed to the port. Completed at once (a success the port skips,
 * or an error): judged now and filed on the done ring.
 */
static int
iocp_start(struct iocp_state *state, struct iocp_slot *slot, struct xnvme_cmd_ctx *ctx,
	   const struct xnvme_posix_io *io, void *buf)
{
	int64_t res;
	DWORD winerr;
	BOOL ok;

	memset(&slot->ov, 0, sizeof(slot->ov));
	slot->ov.Offset = (DWORD)(io->off & 0xFFFFFFFFu);
	slot->ov.OffsetHigh = (DWORD)(io->off >> 32);
	slot->ctx = ctx;
	if (io->kind == XNVME_POSIX_IO_WRITE) {
		ok = WriteFile(state->h, buf, (DWORD)io->nbytes, NULL, &slot->ov);
	} else {
		ok = ReadFile(state->h, buf, (DWORD)io->nbytes, NULL, &slot->ov);
	}
	winerr = ok ? ERROR_SUCCESS : GetLastError();
	if (ok ? !state->skip : winerr == ERROR_IO_PENDING) {
		state->nsubmitted++;
		return 0;
	}
	/* Refused before it started, the OVERLAPPED may say nothing: the call's error is the word
	 */
	if (ok) {
		res = iocp_result(state->h, slot);
	} else {
		res = winerr == ERROR_HANDLE_EOF ? 0 : -(int64_t)xnvme_compat_errno(winerr);
	}
	iocp_finish(slot, res);
	return xnvme_queue_done(ctx->async.queue, ctx, 0);
}

static int
iocp_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	    size_t mvec_nbytes)
{
	struct xnvme_queue *queue = ctx->async.queue;
	struct iocp_state *state = queue->be;
	struct iocp_slot *slot = &state->slots[xnvme_queue_ctx_slot(queue, ctx)];
	struct xnvme_posix_io io;
	void *buf = dvec_cnt ? dvec[0].iov_base : NULL;
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	if (io.kind != XNVME_POSIX_IO_READ && io.kind != XNVME_POSIX_IO_WRITE) {
		return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
	}
	if (io.nbytes > MAXDWORD) {
		return -EINVAL; /* one ReadFile/WriteFile moves less than 4 GiB */
	}
	if (dvec_cnt > 1) {
		err = iocp_bounce(slot, io.kind == XNVME_POSIX_IO_WRITE, dvec, dvec_cnt, io.nbytes);
		if (err) {
			return err;
		}
		buf = slot->bounce;
	}
	xnvme_posix_io_inflight_save(ctx, &io);
	return iocp_start(state, slot, ctx, &io, buf);
}

static int
iocp_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	    size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return iocp_submit(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

static int
iocp_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	     struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return iocp_submit(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

/* The command timeout (30 s when the options say 0) in milliseconds: the bound of every wait */
static DWORD
iocp_wait_ms(const struct xnvme_queue *queue)
{
	uint32_t secs = queue->dev->opts.command_timeout;

	return (DWORD)(secs ? secs : 30) * 1000;
}

/*
 * iocp: takes up to @p max (at least 1) completions from the port, waiting up to @p ms for the
 * first, and delivers them; returns how many, or a negative errno
 */
static int
iocp_take(struct xnvme_queue *queue, uint32_t max, DWORD ms)
{
	struct iocp_state *state = queue->be;
	OVERLAPPED_ENTRY ents[IOCP_BATCH];
	ULONG n = 0;

	if (!GetQueuedCompletionStatusEx(state->port, ents, (ULONG)XNVME_MIN_U64(max, IOCP_BATCH),
					 &n, ms, FALSE)) {
		DWORD winerr = GetLastError();

		return winerr == WAIT_TIMEOUT ? 0 : -xnvme_compat_errno(winerr);
	}
	/* Counted before the callbacks: one may poke again, or submit */
	state->ncompleted += n;
	for (ULONG i = 0; i < n; ++i) {
		struct iocp_slot *slot = (struct iocp_slot *)ents[i].lpOverlapped;

		iocp_finish(slot, iocp_result(state->h, slot));
		xnvme_queue_complete(queue, slot->ctx);
	}
	return (int)n;
}

static int
iocp_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct iocp_state *state = queue->be;
	uint32_t reaped = 0;

	max = max ? XNVME_MIN_U64(max, queue->capacity) : queue->capacity;
	/* Nothing with the port: no system call */
	while (reaped < max && state->nsubmitted != state->ncompleted) {
		uint32_t want = (uint32_t)XNVME_MIN_U64(max - reaped, IOCP_BATCH);
		int n = iocp_take(queue, want, 0);

		if (n < 0) {
			return reaped ? (int)reaped : n;
		}
		reaped += (uint32_t)n;
		if ((uint32_t)n < want) {
			break; /* the port is empty */
		}
	}
	return (int)reaped;
}

static int
iocp_wait(struct xnvme_queue *queue)
{
	struct iocp_state *state = queue->be;

	if (state->nsubmitted == state->ncompleted) {
		return 0; /* nothing the port can post: the queue's done ring had them all */
	}
	return iocp_take(queue, queue->capacity, iocp_wait_ms(queue));
}

static int
iocp_init(struct xnvme_queue *queue, int opts)
{
	struct iocp_state *state;
	int err = iocp_setup(queue, opts, &state);

	if (!err) {
		queue->be = state;
	}
	return err;
}

/*
 * Commands still with Windows (a drain that timed out) will write their OVERLAPPEDs and data when
 * they end, if ever: they are asked to cancel, and the state, the handle and the port are left to
 * the process (parked), never waited for.
 */
static int
iocp_park(struct iocp_state *state)
{
	CancelIoEx(state->h, NULL);
	return -EBUSY;
}

static int
iocp_term(struct xnvme_queue *queue)
{
	struct iocp_state *state = queue->be;

	queue->be = NULL;
	if (state->nsubmitted != state->ncompleted) {
		return iocp_park(state);
	}
	iocp_free(state);
	return 0;
}

const struct xnvme_be_async_ops xnvme_be_windows_async_iocp = {
    XNVME_BE_OPS_HEAD("iocp", "overlapped I/O on a completion port per queue, reaped in batches "
			      "(GetQueuedCompletionStatusEx)"),
    XNVME_BE_ASYNC_FNS(iocp),
};

/*
 * iocp_th's reaper: blocks on the port, judges each completion and files it in cq, until the
 * packet with IOCP_KEY_STOP arrives or the port is closed
 */
static unsigned __stdcall iocp_th_reaper(void *arg)
{
	struct iocp_state *state = arg;
	int stop = 0;

	while (!stop) {
		OVERLAPPED_ENTRY ents[IOCP_BATCH];
		struct xnvme_cmd_ctx *done[IOCP_BATCH];
		ULONG n = 0, ndone = 0;

		if (!GetQueuedCompletionStatusEx(state->port, ents, IOCP_BATCH, &n, INFINITE,
						 FALSE)) {
			break; /* with no timeout: the port is gone */
		}
		for (ULONG i = 0; i < n; ++i) {
			struct iocp_slot *slot = (struct iocp_slot *)ents[i].lpOverlapped;

			if (!slot) {
				stop |= ents[i].lpCompletionKey == IOCP_KEY_STOP;
				continue;
			}
			iocp_finish(slot, iocp_result(state->h, slot));
			done[ndone++] = slot->ctx;
		}
		AcquireSRWLockExclusive(&state->lock);
		for (ULONG i = 0; i < ndone; ++i) {
			state->cq.ents[state->cq.tail++ & state->cq.mask] = done[i];
		}
		state->ncompleted += ndone;
		ReleaseSRWLockExclusive(&state->lock);
		if (ndone) {
			WakeConditionVariable(&state->done);
		}
	}
	return 0;
}

static int
iocp_th_init(struct xnvme_queue *queue, int opts)
{
	struct iocp_state *state;
	int err = iocp_setup(queue, opts, &state);

	if (err) {
		return err;
	}
	InitializeSRWLock(&state->lock);
	InitializeConditionVariable(&state->done);
	if (xnvme_queue_ring_init(&state->cq, queue->capacity)) {
		iocp_free(state);
		return -ENOMEM;
	}
	state->thread = (HANDLE)_beginthreadex(NULL, 0, iocp_th_reaper, state, 0, NULL);
	if (!state->thread) {
		err = -errno;
		iocp_free(state);
		return err ? err : -EAGAIN;
	}
	queue->be = state;
	return 0;
}

/* Tells the reaper to end: the packet reaches it after the completions posted before it */
static int
iocp_th_tell_stop(struct iocp_state *state)
{
	return PostQueuedCompletionStatus(state->port, 0, IOCP_KEY_STOP, NULL) ? 0 : -EIO;
}

static int
iocp_th_term(struct xnvme_queue *queue)
{
	struct iocp_state *state = queue->be;
	int held;

	queue->be = NULL;
	AcquireSRWLockShared(&state->lock);
	held = state->nsubmitted != state->ncompleted;
	ReleaseSRWLockShared(&state->lock);
	if (held || iocp_th_tell_stop(state)) {
		/*
		 * Parked: the reaper ends at the stop packet (or lives on with the port, when even
		 * that could not be posted), writing only into the parked state
		 */
		if (held) {
			iocp_th_tell_stop(state);
		}
		CloseHandle(state->thread);
		return iocp_park(state);
	}
	WaitForSingleObject(state->thread, INFINITE); /* it is at most in the port's wait */
	CloseHandle(state->thread);
	iocp_free(state);
	return 0;
}

/*
 * Delivers up to @p max (0: all) of what the reaper filed, after waiting up to @p ms for one. One
 * lock round: only the queue's thread moves cq.head, and entries below the tail it saw stay put.
 */
static int
iocp_th_reap(struct xnvme_queue *queue, uint32_t max, DWORD ms)
{
	struct iocp_state *state = queue->be;
	ULONGLONG deadline = GetTickCount64() + ms;
	uint32_t tail, n;

	AcquireSRWLockExclusive(&state->lock);
	/* Nothing with the port either: the queue's done ring had them all */
	while (ms && state->cq.head == state->cq.tail && state->nsubmitted != state->ncompleted) {
		ULONGLONG now = GetTickCount64();

		if (now >= deadline || !SleepConditionVariableSRW(&state->done, &state->lock,
								  (DWORD)(deadline - now), 0)) {
			break; /* timed out (or failed): what is there is delivered */
		}
	}
	tail = state->cq.tail;
	ReleaseSRWLockExclusive(&state->lock);

	n = tail - state->cq.head;
	if (max && max < n) {
		n = max;
	}
	/* Outside the lock: a callback may submit, and the reaper may file meanwhile */
	for (uint32_t i = 0; i < n; ++i) {
		xnvme_queue_complete(queue, state->cq.ents[state->cq.head++ & state->cq.mask]);
	}
	return (int)n;
}

static int
iocp_th_poke(struct xnvme_queue *queue, uint32_t max)
{
	return iocp_th_reap(queue, max, 0);
}

static int
iocp_th_wait(struct xnvme_queue *queue)
{
	return iocp_th_reap(queue, 0, iocp_wait_ms(queue));
}

const struct xnvme_be_async_ops xnvme_be_windows_async_iocp_th = {
    XNVME_BE_OPS_HEAD("iocp_th", "overlapped I/O on a completion port per queue, reaped by a "
				 "thread per queue"),
    .init = iocp_th_init,
    .term = iocp_th_term,
    .cmd_io = iocp_cmd_io, /* submission is iocp's */
    .cmd_iov = iocp_cmd_iov,
    .poke = iocp_th_poke,
    .wait = iocp_th_wait,
};
