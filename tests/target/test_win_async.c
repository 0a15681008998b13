/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Windows backend's async interfaces on a 64 MiB file: a Windows program (run under Wine
 * here). tests/unit/test_async_ifaces.c checks the same promises on Linux, where it also leans on
 * poll(), SIGALRM, open_memstream and pread, which Windows lacks.
 *
 * usage: test_win_async [IFACE ...]   (default: iocp iocp_th thrpool emu)
 *
 * For each interface, buffered and direct (FILE_FLAG_NO_BUFFERING), at queue depths 1, 32, 1024:
 *   - writes a pattern unique to the round to scattered, non-overlapping ranges of 4..16 KiB
 *     (every third command vectored), keeping the queue full (submit until -EBUSY or no free
 *     context), reaping with poke(0), poke(small max) or wait in turn; in each phase the whole
 *     capacity must have been in flight at once (tests/target/async_rounds.h: the rounds, shared
 *     with tests/unit/test_async_ifaces.c);
 *   - reads it back through the interface, the callbacks submitting the next reads, and compares;
 *   - reads it back with ReadFile on a handle of the test's own, independent of the library;
 *   - flushes, writes zeroes (checked with ReadFile);
 *   - refuses: a metadata buffer (-EINVAL), write uncorrectable (-ENOSYS), and with direct a
 *     misaligned buffer, a length of no whole sectors and a misaligned vector piece (-EINVAL),
 *     none counted;
 *   - checks each callback ran once with a clean status and result = bytes moved, that poke and
 *     wait never report more than were outstanding or than max, and that term returns 0.
 * Then, per interface, two failures reach the completion's status: a read of blocks the file
 * lost behind the library's back (completes through the port: Data Transfer Error, ENODATA in
 * cdw0) and a write on a device opened read-only (refused by Windows at once: EACCES in cdw0).
 * A watchdog thread fails a round that hangs. Exit 0 on success, 1 with a message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <libxnvme.h>
#include "async_rounds.h"

#define ROUND_MS 120000U

static char g_path[MAX_PATH];
static volatile LONG g_round; ///< Bumped by every round: the watchdog sees progress

static void
fail(const struct run *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: %s: ", r ? r->tag : "setup");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	DeleteFileA(g_path);
	exit(1);
}

static DWORD WINAPI
watchdog(LPVOID arg)
{
	LONG seen = -1;

	(void)arg;
	for (;;) {
		Sleep(ROUND_MS);
		if (g_round == seen) {
			fprintf(stderr, "FAIL: round %ld hung (not done in %u s)\n", seen,
				ROUND_MS / 1000);
			DeleteFileA(g_path);
			_exit(1);
		}
		seen = g_round;
	}
	return 0;
}

/* ReadFile of @p nbytes at @p off on a handle of the test's own; the bytes read */
static DWORD
read_plain(const struct run *r, void *buf, size_t nbytes, uint64_t off)
{
	HANDLE h = CreateFileA(g_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			       OPEN_EXISTING, 0, NULL);
	OVERLAPPED ov = {.Offset = (DWORD)off, .OffsetHigh = (DWORD)(off >> 32)};
	DWORD got = 0;

	if (h == INVALID_HANDLE_VALUE) {
		fail(r, "CreateFileA of the checker: error %lu", GetLastError());
	}
	if (!ReadFile(h, buf, (DWORD)nbytes, &got, &ov)) {
		got = 0;
	}
	CloseHandle(h);
	return got;
}

/* Submits @p ctx's command (prepared) with @p buf and waits for it; its outcome */
static struct single
run_single(struct run *r, const char *what, struct xnvme_cmd_ctx *ctx, void *buf, size_t nbytes)
{
	struct single s = {0};
	int err;

	xnvme_cmd_ctx_set_cb(ctx, single_cb, &s);
	err = xnvme_cmd_pass(ctx, buf, nbytes, NULL, 0);
	if (err) {
		fail(r, "%s: submit: %d", what, err);
	}
	wait_single_any(r, what, &s);
	return s;
}

/* A submission that must be refused with @p want, nothing counted */
static void
check_refused(struct run *r, const char *what, struct xnvme_cmd_ctx *ctx, void *buf, size_t nbytes,
	      void *mbuf, int want)
{
	int err = xnvme_cmd_pass(ctx, buf, nbytes, mbuf, mbuf ? 64 : 0);

	if (err != want || xnvme_queue_get_outstanding(r->queue)) {
		fail(r, "%s: %d, outstanding %u (want %d, 0)", what, err,
		     xnvme_queue_get_outstanding(r->queue), want);
	}
}

/* Direct: a vectored read with a misaligned piece is refused too, before it reaches Windows */
static void
check_misaligned_iov(struct run *r, struct xnvme_cmd_ctx *ctx, uint8_t *buf)
{
	struct iovec iov[2] = {{buf, 2048}, {buf + 4096 + 8, 2048}};
	int err = xnvme_cmd_pass_iov(ctx, iov, 2, 4096, NULL, 0);

	if (err != -EINVAL || xnvme_queue_get_outstanding(r->queue)) {
		fail(r, "direct vectored read with a misaligned piece: %d, outstanding %u", err,
		     xnvme_queue_get_outstanding(r->queue));
	}
}

static void
check_misc(struct run *r, int direct)
{
	const struct cmd *c = &r->cmds[0];
	uint32_t nlb = (uint32_t)(c->nbytes / r->lba_nbytes);
	struct xnvme_cmd_ctx *ctx;
	struct single s;

	ctx = xnvme_queue_get_cmd_ctx(r->queue);
	ctx->cmd.common.opcode = XNVME_SPEC_NVM_OPC_FLUSH;
	ctx->cmd.common.nsid = r->nsid;
	s = run_single(r, "flush", ctx, NULL, 0);
	if (s.status) {
		fail(r, "flush: status 0x%x", s.status);
	}

	ctx = xnvme_queue_get_cmd_ctx(r->queue);
	xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_WRITE_ZEROES, r->nsid, c->off / r->lba_nbytes,
		       (uint16_t)(nlb - 1));
	s = run_single(r, "write zeroes", ctx, NULL, 0);
	if (s.status) {
		fail(r, "write zeroes: status 0x%x", s.status);
	}
	if (read_plain(r, c->rbuf, c->nbytes, c->off) != c->nbytes) {
		fail(r, "ReadFile after write zeroes");
	}
	for (size_t i = 0; i < c->nbytes; ++i) {
		if (c->rbuf[i]) {
			fail(r, "write zeroes left byte %zu non-zero", i);
		}
	}

	ctx = xnvme_queue_get_cmd_ctx(r->queue);
	xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_READ, r->nsid, 0,
		       (uint16_t)(4096 / r->lba_nbytes - 1));
	check_refused(r, "read with a metadata buffer", ctx, c->rbuf, 4096, c->wbuf, -EINVAL);
	if (direct) {
		check_refused(r, "direct read into a misaligned buffer", ctx, c->rbuf + 8, 4096,
			      NULL, -EINVAL);
		check_refused(r, "direct read with a length of no whole sectors", ctx, c->rbuf,
			      4096 + 8, NULL, -EINVAL);
		check_misaligned_iov(r, ctx, c->rbuf);
	}
	xnvme_cmd_ctx_clear(ctx);
	if (xnvme_nvm_write_uncorrectable(ctx, r->nsid, 0, 0) != -ENOSYS ||
	    xnvme_queue_get_outstanding(r->queue)) {
		fail(r, "write uncorrectable on a file: not -ENOSYS, or counted");
	}
	xnvme_queue_put_cmd_ctx(r->queue, ctx);
}

static struct xnvme_dev *
open_dev(struct run *r, const char *iface, int direct, int rdonly)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	opts.async = iface;
	opts.direct = (uint8_t)direct;
	opts.rdonly = (uint8_t)rdonly;
	dev = xnvme_dev_open(g_path, &opts);
	if (!dev) {
		fail(r, "xnvme_dev_open: %s", xnvme_dev_open_err_msg());
	}
	if (strcmp(xnvme_dev_get_opts(dev)->async, iface)) {
		fail(r, "opened with async interface %s", xnvme_dev_get_opts(dev)->async);
	}
	return dev;
}

static void
run_round(const char *iface, int direct, uint32_t qd, uint64_t round)
{
	char tag[96];
	struct run r = {.tag = tag};
	uint8_t *wbuf, *rbuf;
	int err;

	snprintf(tag, sizeof(tag), "%s direct=%d qd=%u", iface, direct, qd);
	InterlockedIncrement(&g_round);
	r.dev = open_dev(&r, iface, direct, 0);
	r.nsid = xnvme_dev_get_nsid(r.dev);
	r.lba_nbytes = (uint32_t)xnvme_dev_get_geo(r.dev)->lba_nbytes;
	err = xnvme_queue_init(r.dev, (uint16_t)qd, 0, &r.queue);
	if (err) {
		fail(&r, "xnvme_queue_init: %d", err);
	}
	wbuf = xnvme_buf_alloc(r.dev, NCMDS * CHUNK_NBYTES);
	rbuf = xnvme_buf_alloc(r.dev, NCMDS * CHUNK_NBYTES);
	r.cmds = calloc(NCMDS, sizeof(*r.cmds));
	if (!wbuf || !rbuf || !r.cmds) {
		fail(&r, "out of memory");
	}
	round_cmds_init(&r, wbuf, rbuf, round);
	run_phase(&r, XNVME_SPEC_NVM_OPC_WRITE, 0);
	run_phase(&r, XNVME_SPEC_NVM_OPC_READ, 1);
	for (uint32_t i = 0; i < NCMDS; ++i) {
		const struct cmd *c = &r.cmds[i];

		if (memcmp(c->rbuf, c->wbuf, c->nbytes)) {
			fail(&r, "read back through the interface differs at offset %llu",
			     (unsigned long long)c->off);
		}
		memset(c->rbuf, 0x5A, c->nbytes);
		if (read_plain(&r, c->rbuf, c->nbytes, c->off) != c->nbytes ||
		    memcmp(c->rbuf, c->wbuf, c->nbytes)) {
			fail(&r, "ReadFile of the file differs at offset %llu",
			     (unsigned long long)c->off);
		}
	}
	check_misc(&r, direct);
	free(r.cmds);
	xnvme_buf_free(r.dev, wbuf);
	xnvme_buf_free(r.dev, rbuf);
	err = xnvme_queue_term(r.queue);
	if (err) {
		fail(&r, "xnvme_queue_term: %d", err);
	}
	xnvme_dev_close(r.dev);
	printf("ok: %s\n", r.tag);
	fflush(stdout);
}

/* Sets the file's size with a handle of the test's own */
static void
set_size(uint64_t nbytes)
{
	HANDLE h = CreateFileA(g_path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			       OPEN_EXISTING, 0, NULL);
	LARGE_INTEGER size = {.QuadPart = (LONGLONG)nbytes};

	if (h == INVALID_HANDLE_VALUE || !SetFilePointerEx(h, size, NULL, FILE_BEGIN) ||
	    !SetEndOfFile(h)) {
		fail(NULL, "setting the file's size to %llu: error %lu", (unsigned long long)nbytes,
		     GetLastError());
	}
	CloseHandle(h);
}

/* Failures reach the completion: the status by the errno, the errno in cdw0 */
static void
run_errors(const char *iface)
{
	char tag[96];
	struct run r = {.tag = tag};
	struct xnvme_cmd_ctx *ctx;
	struct single s;
	void *buf;

	snprintf(tag, sizeof(tag), "%s errors", iface);
	InterlockedIncrement(&g_round);

	/* The library knows the file as 64 MiB; it shrinks to 1 MiB under it */
	r.dev = open_dev(&r, iface, 0, 0);
	r.nsid = xnvme_dev_get_nsid(r.dev);
	r.lba_nbytes = (uint32_t)xnvme_dev_get_geo(r.dev)->lba_nbytes;
	if (xnvme_queue_init(r.dev, 4, 0, &r.queue)) {
		fail(&r, "xnvme_queue_init");
	}
	buf = xnvme_buf_alloc(r.dev, 4096);
	set_size(1 << 20);
	ctx = xnvme_queue_get_cmd_ctx(r.queue);
	xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_READ, r.nsid, (2ULL << 20) / r.lba_nbytes,
		       (uint16_t)(4096 / r.lba_nbytes - 1));
	s = run_single(&r, "read past the shrunk end", ctx, buf, 4096);
	if (s.status != XNVME_SPEC_SC_DATA_XFER_ERROR || s.cdw0 != ENODATA) {
		fail(&r, "read past the end: status 0x%x cdw0 %u (want 0x%x, ENODATA %d)", s.status,
		     s.cdw0, XNVME_SPEC_SC_DATA_XFER_ERROR, ENODATA);
	}
	xnvme_buf_free(r.dev, buf);
	if (xnvme_queue_term(r.queue)) {
		fail(&r, "xnvme_queue_term after the failed read");
	}
	xnvme_dev_close(r.dev);
	set_size(FILE_NBYTES);

	r.dev = open_dev(&r, iface, 0, 1);
	if (xnvme_queue_init(r.dev, 4, 0, &r.queue)) {
		fail(&r, "xnvme_queue_init read-only");
	}
	buf = xnvme_buf_alloc(r.dev, 4096);
	ctx = xnvme_queue_get_cmd_ctx(r.queue);
	xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_WRITE, r.nsid, 0,
		       (uint16_t)(4096 / r.lba_nbytes - 1));
	s = run_single(&r, "write on a read-only device", ctx, buf, 4096);
	if (s.status != XNVME_SPEC_SC_DATA_XFER_ERROR || s.cdw0 != EACCES) {
		fail(&r, "write read-only: status 0x%x cdw0 %u (want 0x%x, EACCES %d)", s.status,
		     s.cdw0, XNVME_SPEC_SC_DATA_XFER_ERROR, EACCES);
	}
	xnvme_buf_free(r.dev, buf);
	if (xnvme_queue_term(r.queue)) {
		fail(&r, "xnvme_queue_term read-only");
	}
	xnvme_dev_close(r.dev);
	printf("ok: %s\n", r.tag);
}

int
main(int argc, char **argv)
{
	static const char *const dflt[] = {"iocp", "iocp_th", "thrpool", "emu"};
	static const uint32_t qds[] = {1, 32, 1024};
	const char *const *ifaces = argc > 1 ? (const char *const *)&argv[1] : dflt;
	int nifaces = argc > 1 ? argc - 1 : (int)(sizeof(dflt) / sizeof(dflt[0]));
	char dir[MAX_PATH];
	uint64_t round = 0;
	HANDLE h;

	if (!GetTempPathA(sizeof(dir), dir) || !GetTempFileNameA(dir, "xnv", 0, g_path)) {
		fail(NULL, "no temporary file: error %lu", GetLastError());
	}
	h = CreateThread(NULL, 0, watchdog, NULL, 0, NULL);
	if (!h) {
		fail(NULL, "no watchdog thread");
	}
	CloseHandle(h);
	set_size(FILE_NBYTES);
	for (int i = 0; i < nifaces; ++i) {
		for (int direct = 0; direct <= 1; ++direct) {
			for (size_t q = 0; q < sizeof(qds) / sizeof(qds[0]); ++q) {
				run_round(ifaces[i], direct, qds[q], round++);
			}
		}
		run_errors(ifaces[i]);
	}
	DeleteFileA(g_path);
	printf("PASS: %d interface(s)\n", nifaces);
	return 0;
}
