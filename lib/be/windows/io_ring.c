/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async interface "io_ring": Windows' I/O ring (ioringapi.h): a submission and a completion queue
 * shared with the kernel, one ring per xnvme queue, submitted and reaped in batches.
 *
 * Runtime-detected: the functions are looked up in kernelbase.dll when the first queue is made, and
 * the interface is offered only where the ring can read and write (IORING_VERSION_3, Windows 11
 * 22H2 and later; version 1 reads only). Elsewhere it says why in library-info (unavailable) and a
 * queue is refused with -ENOTSUP. Debian's mingw-w64 declares version 1 only (no write builder),
 * so the functions are called through pointers of the documented signatures.
 *
 * Plain reads and writes go on the ring, the context as user data; vectored ones, flush and the
 * emulated commands run at submit (posix_io.c) and are filed on the done ring. A completion's
 * HRESULT carries the Windows error (HRESULT_CODE), judged as posix_io.c judges an errno.
 *
 * Not run here: Wine 8 has no I/O ring, so only the detection and the refusal are tested
 * (docs/windows.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <windows.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "posix_io.h"
#include "xnvme_be_windows.h"

/* The documented values and layouts (ntioring_x.h, ioringapi.h of the Windows 11 SDK) */
#define WIN_IORING_VERSION_3 300 ///< reads, writes and flushes
#define WIN_IORING_REF_RAW   0

typedef void *win_hioring;

struct win_ioring_caps {
	int32_t max_version;
	uint32_t max_sq_size;
	uint32_t max_cq_size;
	int32_t feature_flags;
};

struct win_ioring_create_flags {
	int32_t required;
	int32_t advisory;
};

struct win_ioring_handle_ref {
	int32_t kind;
	union {
		HANDLE handle;
		uint32_t index;
	} u;
};

struct win_ioring_buffer_ref {
	int32_t kind;
	union {
		void *address;
		struct {
			uint32_t index;
			uint32_t offset;
		} registered;
	} u;
};

struct win_ioring_cqe {
	UINT_PTR user_data;
	HRESULT result;
	ULONG_PTR information;
};

_Static_assert(sizeof(struct win_ioring_handle_ref) == 16, "IORING_HANDLE_REF is 16 bytes");
_Static_assert(sizeof(struct win_ioring_buffer_ref) == 16, "IORING_BUFFER_REF is 16 bytes");
_Static_assert(sizeof(struct win_ioring_cqe) == 24, "IORING_CQE is 24 bytes");
_Static_assert(sizeof(struct win_ioring_caps) == 16, "IORING_CAPABILITIES is 16 bytes");

/* kernelbase.dll's functions, looked up once */
static struct {
	HRESULT(WINAPI *query_caps)(struct win_ioring_caps *caps);
	HRESULT(WINAPI *create)
	(int32_t version, struct win_ioring_create_flags flags, uint32_t sq_size, uint32_t cq_size,
	 win_hioring *ring);
	HRESULT(WINAPI *close)(win_hioring ring);
	HRESULT(WINAPI *submit)
	(win_hioring ring, uint32_t wait_ops, uint32_t ms, uint32_t *submitted);
	HRESULT(WINAPI *pop)(win_hioring ring, struct win_ioring_cqe *cqe);
	HRESULT(WINAPI *build_read)
	(win_hioring ring, struct win_ioring_handle_ref file, struct win_ioring_buffer_ref buf,
	 uint32_t nbytes, uint64_t off, UINT_PTR user_data, int32_t sqe_flags);
	HRESULT(WINAPI *build_write)
	(win_hioring ring, struct win_ioring_handle_ref file, struct win_ioring_buffer_ref buf,
	 uint32_t nbytes, uint64_t off, int32_t write_flags, UINT_PTR user_data, int32_t sqe_flags);
	const char *why; ///< NULL: usable
} g_ioring;
static INIT_ONCE g_ioring_once = INIT_ONCE_STATIC_INIT;

static FARPROC
ioring_sym(HMODULE mod, const char *name)
{
	return mod ? GetProcAddress(mod, name) : NULL;
}

static BOOL CALLBACK
ioring_resolve(PINIT_ONCE once, PVOID arg, PVOID *ctx)
{
	HMODULE mod = GetModuleHandleW(L"kernelbase.dll");
	struct win_ioring_caps caps = {0};

	(void)once;
	(void)arg;
	(void)ctx;
	/* Casts between function pointer types: the documented signatures of the same functions */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-function-type"
	g_ioring.query_caps = (void *)ioring_sym(mod, "QueryIoRingCapabilities");
	g_ioring.create = (void *)ioring_sym(mod, "CreateIoRing");
	g_ioring.close = (void *)ioring_sym(mod, "CloseIoRing");
	g_ioring.submit = (void *)ioring_sym(mod, "SubmitIoRing");
	g_ioring.pop = (void *)ioring_sym(mod, "PopIoRingCompletion");
	g_ioring.build_read = (void *)ioring_sym(mod, "BuildIoRingReadFile");
	g_ioring.build_write = (void *)ioring_sym(mod, "BuildIoRingWriteFile");
#pragma GCC diagnostic pop
	if (!g_ioring.query_caps || !g_ioring.create || !g_ioring.close || !g_ioring.submit ||
	    !g_ioring.pop || !g_ioring.build_read) {
		g_ioring.why = "this Windows has no I/O ring (Windows 11 and later)";
	} else if (!g_ioring.build_write || FAILED(g_ioring.query_caps(&caps)) ||
		   caps.max_version < WIN_IORING_VERSION_3) {
		g_ioring.why = "this Windows' I/O ring cannot write (Windows 11 22H2 and later)";
	}
	return TRUE;
}

/* NULL when this Windows offers an I/O ring that reads and writes, else why not */
static const char *
ioring_unavailable(void)
{
	InitOnceExecuteOnce(&g_ioring_once, ioring_resolve, NULL, NULL);
	return g_ioring.why;
}

struct ioring_state {
	win_hioring ring;
	HANDLE h;           ///< The device's handle (the ring holds no binding to it)
	uint32_t nqueued;   ///< Built, not yet submitted
	uint64_t ninflight; ///< On the ring: built and not yet popped
};

/* The errno of a completion's or a call's HRESULT */
static int
ioring_errno(HRESULT hr)
{
	return HRESULT_FACILITY(hr) == FACILITY_WIN32 ? xnvme_compat_errno(HRESULT_CODE(hr)) : EIO;
}

static int
ioring_init(struct xnvme_queue *queue, int opts)
{
	struct win_ioring_create_flags flags = {0, 0};
	struct ioring_state *state;
	HRESULT hr;

	if (opts & (XNVME_QUEUE_IOPOLL | XNVME_QUEUE_SQPOLL)) {
		return -EINVAL; /* polling flags belong to io_uring; never ignore them silently */
	}
	if (ioring_unavailable()) {
		return -ENOTSUP;
	}
	if (queue->dev->fd < 0) {
		return -ENOSYS;
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	state->h = (HANDLE)_get_osfhandle(queue->dev->fd);
	hr = g_ioring.create(WIN_IORING_VERSION_3, flags, queue->capacity, queue->capacity,
			     &state->ring);
	if (FAILED(hr)) {
		free(state);
		return -ioring_errno(hr);
	}
	queue->be = state;
	return 0;
}

static int
ioring_submit(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	      size_t mvec_nbytes)
{
	struct ioring_state *state = ctx->async.queue->be;
	struct win_ioring_handle_ref file = {WIN_IORING_REF_RAW, {.handle = state->h}};
	struct win_ioring_buffer_ref buf = {WIN_IORING_REF_RAW, {0}};
	struct xnvme_posix_io io;
	HRESULT hr;
	int err;

	err = xnvme_posix_io_decode(ctx, dvec_nbytes, mvec_nbytes, &io);
	if (err) {
		return err;
	}
	if ((io.kind != XNVME_POSIX_IO_READ && io.kind != XNVME_POSIX_IO_WRITE) || dvec_cnt > 1) {
		return xnvme_posix_io_run_now(ctx, &io, dvec, dvec_cnt);
	}
	if (io.nbytes > UINT32_MAX) {
		return -EINVAL; /* one ring entry moves less than 4 GiB */
	}
	buf.u.address = dvec_cnt ? dvec[0].iov_base : NULL;
	xnvme_posix_io_inflight_save(ctx, &io);
	if (io.kind == XNVME_POSIX_IO_WRITE) {
		hr = g_ioring.build_write(state->ring, file, buf, (uint32_t)io.nbytes, io.off, 0,
					  (UINT_PTR)ctx, 0);
	} else {
		hr = g_ioring.build_read(state->ring, file, buf, (uint32_t)io.nbytes, io.off,
					 (UINT_PTR)ctx, 0);
	}
	if (FAILED(hr)) {
		return -EBUSY; /* the submission queue is full: as many entries as contexts */
	}
	state->nqueued++;
	state->ninflight++;
	return 0;
}

static int
ioring_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	      size_t mbuf_nbytes)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};

	return ioring_submit(ctx, &dvec, dbuf ? 1 : 0, dbuf_nbytes, mbuf ? mbuf_nbytes : 0);
}

static int
ioring_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
	       struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)mvec;
	return ioring_submit(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0);
}

/*
 * Submits what was built (waiting up to @p ms for @p wait_ops completions), then delivers up to
 * @p max completions; returns how many, or a negative errno
 */
static int
ioring_reap(struct xnvme_queue *queue, uint32_t max, uint32_t wait_ops, uint32_t ms)
{
	struct ioring_state *state = queue->be;
	struct win_ioring_cqe cqe;
	uint32_t submitted = 0;
	int n = 0;
	HRESULT hr;

	if (state->nqueued || wait_ops) {
		hr = g_ioring.submit(state->ring, wait_ops, ms, &submitted);
		if (FAILED(hr) && HRESULT_CODE(hr) != WAIT_TIMEOUT) {
			return -ioring_errno(hr);
		}
		state->nqueued = 0;
	}
	while ((uint32_t)n < max && g_ioring.pop(state->ring, &cqe) == S_OK) {
		struct xnvme_cmd_ctx *ctx = (struct xnvme_cmd_ctx *)cqe.user_data;
		int64_t res = (int64_t)cqe.information;

		if (FAILED(cqe.result)) {
			/* a read that reached the end of the file: short, judged as on Linux */
			res = HRESULT_CODE(cqe.result) == ERROR_HANDLE_EOF
				  ? (int64_t)cqe.information
				  : -(int64_t)ioring_errno(cqe.result);
		}
		state->ninflight--; /* before the callback: it may poke again, or submit */
		xnvme_posix_io_inflight_cpl(ctx, res);
		xnvme_queue_complete(queue, ctx);
		n++;
	}
	return n;
}

static int
ioring_poke(struct xnvme_queue *queue, uint32_t max)
{
	struct ioring_state *state = queue->be;

	if (!state->ninflight) {
		return 0;
	}
	return ioring_reap(queue, max ? XNVME_MIN_U64(max, queue->capacity) : queue->capacity, 0,
			   0);
}

static int
ioring_wait(struct xnvme_queue *queue)
{
	struct ioring_state *state = queue->be;
	uint32_t secs = queue->dev->opts.command_timeout;

	if (!state->ninflight) {
		return 0;
	}
	return ioring_reap(queue, queue->capacity, 1, (secs ? secs : 30) * 1000);
}

/* Commands still on the ring (a drain that timed out): the ring is left to the process (parked) */
static int
ioring_term(struct xnvme_queue *queue)
{
	struct ioring_state *state = queue->be;

	queue->be = NULL;
	if (state->ninflight) {
		return -EBUSY;
	}
	g_ioring.close(state->ring);
	free(state);
	return 0;
}

const struct xnvme_be_async_ops xnvme_be_windows_async_io_ring = {
    XNVME_BE_OPS_HEAD("io_ring", "Windows' I/O ring (ioringapi), a ring per queue, batched "
				 "submission and reaping; Windows 11 22H2 and later"),
    XNVME_BE_ASYNC_FNS(ioring),
    .unavailable = ioring_unavailable,
};
