/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every async interface moves data correctly and keeps the queue's promises, on a 64 MiB file.
 *
 * usage: test_async_ifaces [IFACE ...]   (default: every async interface the library offers on
 * the file that moves data: tests/target/ifaces.h)
 *        test_async_ifaces --cfd URI [IFACE...]  (the completion fd alone, on any device;
 *        default: the async interfaces of the backend that claims URI, nil included)
 *
 * For each interface, buffered and with O_DIRECT, at queue depths 1, 32 and 1024 (and for
 * io_uring twice more: with SQPOLL, and with O_DIRECT and a registered file):
 *   - writes a pattern unique to the round to scattered, non-overlapping ranges of 4..16 KiB
 *     (every third command vectored), keeping the queue full: submit until the queue has no free
 *     context (or -EBUSY), then reap with poke(0), poke(small max) or wait, in turn; the whole
 *     capacity must have been in flight at once (the rounds: tests/target/async_rounds.h);
 *   - reads it back through the same interface, the completion callbacks submitting the next
 *     reads themselves (re-entrant submission), and compares;
 *   - reads it back with plain pread() on the file, the checker independent of the library;
 *   - flushes, writes zeroes (a command carried out at submit) and checks them with pread();
 *   - checks that each callback ran exactly once with a clean status and result = bytes moved,
 *     that poke/wait never report more completions than were outstanding or than max, and that
 *     a metadata buffer is -EINVAL and an unsupported opcode -ENOSYS, neither counted;
 *   - that the completion fd is quiet with nothing pending, readable once a read completes
 *     (without a poke), and quiet again once it is reaped; --cfd checks only that, on any
 *     device (nil on a ramdisk, io_uring_cmd on an NVMe char device in the VM rig).
 * Exit 0 on success, 77 when every interface was skipped (not built, io_uring disabled), 1 with a
 * message on the first failure. TMPDIR chooses where the file goes (default /var/tmp).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxnvme.h>
#include "async_rounds.h"
#include "ifaces.h"
#include "round_watchdog.h"

#define ROUND_SECS 120U /* a round that takes longer hangs: fail it */

static void
fail(const struct run *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: %s: ", r ? r->tag : "setup");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
check_pread(struct run *r, int fd, uint8_t *tmp)
{
	for (uint32_t i = 0; i < NCMDS; ++i) {
		const struct cmd *c = &r->cmds[i];
		ssize_t n = pread(fd, tmp, c->nbytes, (off_t)c->off);

		if (n != (ssize_t)c->nbytes) {
			fail(r, "pread at %llu: %zd", (unsigned long long)c->off, n);
		}
		if (memcmp(tmp, c->wbuf, c->nbytes)) {
			fail(r, "pread() of the file differs from what was written at offset %llu",
			     (unsigned long long)c->off);
		}
	}
}

/* Flush, write zeroes (checked with pread), and the submissions that must be refused */
static void
check_misc(struct run *r, int fd, uint8_t *tmp)
{
	const struct cmd *c = &r->cmds[0];
	struct single s = {0};
	struct xnvme_cmd_ctx *ctx;
	int err;

	ctx = xnvme_queue_get_cmd_ctx(r->queue);
	xnvme_cmd_ctx_set_cb(ctx, single_cb, &s);
	err = xnvme_nvm_flush(ctx, r->nsid);
	if (err) {
		fail(r, "flush submit: %d", err);
	}
	wait_single(r, "flush", &s);

	memset(&s, 0, sizeof(s));
	ctx = xnvme_queue_get_cmd_ctx(r->queue);
	xnvme_cmd_ctx_set_cb(ctx, single_cb, &s);
	err = xnvme_nvm_write_zeroes(ctx, r->nsid, c->off / r->lba_nbytes,
				     (uint16_t)(c->nbytes / r->lba_nbytes - 1));
	if (err) {
		fail(r, "write zeroes submit: %d", err);
	}
	wait_single(r, "write zeroes", &s);
	if (pread(fd, tmp, c->nbytes, (off_t)c->off) != (ssize_t)c->nbytes) {
		fail(r, "pread after write zeroes");
	}
	for (size_t i = 0; i < c->nbytes; ++i) {
		if (tmp[i]) {
			fail(r, "write zeroes left byte %zu at offset %llu non-zero", i,
			     (unsigned long long)c->off);
		}
	}

	ctx = xnvme_queue_get_cmd_ctx(r->queue);
	xnvme_cmd_ctx_set_cb(ctx, single_cb, &s);
	xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_READ, r->nsid, 0,
		       (uint16_t)(4096 / r->lba_nbytes - 1));
	err = xnvme_cmd_pass(ctx, c->rbuf, 4096, c->wbuf, 64);
	if (err != -EINVAL || xnvme_queue_get_outstanding(r->queue)) {
		fail(r,
		     "read with a metadata buffer on a file: %d, outstanding %u (want -EINVAL, 0)",
		     err, xnvme_queue_get_outstanding(r->queue));
	}
	xnvme_cmd_ctx_clear(ctx);
	err = xnvme_nvm_write_uncorrectable(ctx, r->nsid, 0, 0);
	if (err != -ENOSYS || xnvme_queue_get_outstanding(r->queue)) {
		fail(r, "write uncorrectable on a file: %d, outstanding %u (want -ENOSYS, 0)", err,
		     xnvme_queue_get_outstanding(r->queue));
	}
	xnvme_queue_put_cmd_ctx(r->queue, ctx);
}

/* Whether @p fd is readable within @p ms milliseconds */
static int
fd_readable(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, ms) == 1 && (pfd.revents & POLLIN);
}

/*
 * Every async interface has a completion fd: quiet while nothing is pending, readable once a
 * submitted read completes, without a poke (0.7.5's programs read() it right after submitting),
 * and quiet again once the completion is reaped. Twice, so the second read finds the fd in use.
 * @p buf holds @p nbytes (a multiple of the LBA size) to read from LBA 0.
 */
static void
check_completion_fd_on(struct run *r, void *buf, size_t nbytes)
{
	int fd = xnvme_queue_get_completion_fd(r->queue);

	if (fd < 0) {
		fail(r, "get_completion_fd: %d (every async interface offers one)", fd);
	}
	if (xnvme_queue_get_completion_fd(r->queue) != fd) {
		fail(r, "get_completion_fd: a second call gave another fd");
	}
	if (fd_readable(fd, 0)) {
		fail(r, "completion fd %d readable with nothing submitted", fd);
	}
	for (int i = 0; i < 2; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(r->queue);
		struct single s = {0};

		xnvme_cmd_ctx_set_cb(ctx, single_cb, &s);
		if (xnvme_nvm_read(ctx, r->nsid, 0, (uint16_t)(nbytes / r->lba_nbytes - 1), buf,
				   NULL)) {
			fail(r, "read %d for the completion fd", i);
		}
		if (!fd_readable(fd, 5000)) {
			fail(r, "completion fd %d not readable within 5 s of a submitted read (%d)",
			     fd, i);
		}
		wait_single(r, "read for the completion fd", &s);
		if (fd_readable(fd, 0)) {
			fail(r,
			     "completion fd %d still readable once the completion was reaped (%d)",
			     fd, i);
		}
	}
}

static void
check_completion_fd(struct run *r)
{
	check_completion_fd_on(r, r->cmds[0].rbuf, 4096);
}

/*
 * The completion fd alone, on any device (a ramdisk, an NVMe char device for io_uring_cmd) with
 * @p iface; 77 when the device or the interface is not there
 */
static int
cfd_only(const char *uri, const char *iface)
{
	struct xnvme_opts opts = xnvme_opts_default();
	char tag[160];
	struct run r = {.tag = tag};
	void *buf;
	int err;

	snprintf(tag, sizeof(tag), "%s on %s: completion fd", iface, uri);
	g_tag = tag;
	alarm(ROUND_SECS);
	opts.async = iface;
	r.dev = xnvme_dev_open(uri, &opts);
	if (!r.dev) {
		printf("SKIP: %s: %s\n", tag, xnvme_dev_open_err_msg());
		return 77;
	}
	r.nsid = xnvme_dev_get_nsid(r.dev);
	r.lba_nbytes = (uint32_t)xnvme_dev_get_geo(r.dev)->lba_nbytes;
	err = xnvme_queue_init(r.dev, 4, 0, &r.queue);
	if (err == -ENOSYS || err == -EOPNOTSUPP) {
		printf("SKIP: %s: queue: %d\n", tag, err);
		xnvme_dev_close(r.dev);
		return 77;
	}
	if (err) {
		fail(&r, "xnvme_queue_init: %d", err);
	}
	buf = xnvme_buf_alloc(r.dev, r.lba_nbytes);
	if (!buf) {
		fail(&r, "xnvme_buf_alloc");
	}
	check_completion_fd_on(&r, buf, r.lba_nbytes);
	xnvme_buf_free(r.dev, buf);
	xnvme_queue_term(r.queue);
	xnvme_dev_close(r.dev);
	alarm(0);
	printf("ok: %s\n", tag);
	return 0;
}

/* One round: interface x direct x depth; returns 77 when the interface is not available */
static int
run_round(const char *path, const char *iface, int direct, uint32_t qd, int qopts, int regfiles,
	  uint64_t round)
{
	struct xnvme_opts opts = xnvme_opts_default();
	char tag[128];
	struct run r = {.tag = tag};
	uint8_t *wbuf, *rbuf;
	int fd, err;

	snprintf(tag, sizeof(tag), "%s direct=%d qd=%u%s%s", iface, direct, qd,
		 qopts & XNVME_QUEUE_SQPOLL ? " sqpoll" : "", regfiles ? " register_files" : "");
	g_tag = tag;
	alarm(ROUND_SECS);
	opts.async = iface;
	opts.direct = (uint8_t)direct;
	opts.register_files = (uint8_t)regfiles;
	r.dev = xnvme_dev_open(path, &opts);
	if (!r.dev) {
		if (direct && errno == EINVAL) {
			printf("SKIP: %s: O_DIRECT not supported where the file is\n", tag);
			return 77;
		}
		fail(&r, "xnvme_dev_open: %s: %s", strerror(errno), xnvme_dev_open_err_msg());
	}
	if (strcmp(xnvme_dev_get_opts(r.dev)->async, iface)) {
		fail(&r, "opened with async interface %s", xnvme_dev_get_opts(r.dev)->async);
	}
	r.nsid = xnvme_dev_get_nsid(r.dev);
	r.lba_nbytes = (uint32_t)xnvme_dev_get_geo(r.dev)->lba_nbytes;

	err = xnvme_queue_init(r.dev, qd, qopts, &r.queue);
	if (err == -ENOSYS || (err == -EPERM && !strcmp(iface, "io_uring"))) {
		printf("SKIP: %s: queue init: %s\n", tag, strerror(-err));
		xnvme_dev_close(r.dev);
		return 77;
	}
	if (err) {
		fail(&r, "xnvme_queue_init: %d (%s)", err, strerror(-err));
	}
	wbuf = xnvme_buf_alloc(r.dev, NCMDS * CHUNK_NBYTES);
	rbuf = xnvme_buf_alloc(r.dev, NCMDS * CHUNK_NBYTES);
	r.cmds = calloc(NCMDS, sizeof(*r.cmds));
	fd = open(path, O_RDONLY);
	if (!wbuf || !rbuf || !r.cmds || fd < 0) {
		fail(&r, "out of memory or cannot open %s", path);
	}
	round_cmds_init(&r, wbuf, rbuf, round);

	run_phase(&r, XNVME_SPEC_NVM_OPC_WRITE, 0);
	run_phase(&r, XNVME_SPEC_NVM_OPC_READ, 1);
	for (uint32_t i = 0; i < NCMDS; ++i) {
		if (memcmp(r.cmds[i].rbuf, r.cmds[i].wbuf, r.cmds[i].nbytes)) {
			fail(&r, "read back through the interface differs at offset %llu",
			     (unsigned long long)r.cmds[i].off);
		}
	}
	check_pread(&r, fd, rbuf);
	check_misc(&r, fd, rbuf);
	check_completion_fd(&r);

	close(fd);
	free(r.cmds);
	xnvme_buf_free(r.dev, wbuf);
	xnvme_buf_free(r.dev, rbuf);
	err = xnvme_queue_term(r.queue);
	if (err) {
		fail(&r, "xnvme_queue_term: %d", err);
	}
	xnvme_dev_close(r.dev);
	alarm(0);
	g_tag = "setup";
	printf("ok: %s\n", tag);
	fflush(stdout);
	return 0;
}

/* Polling flags are io_uring's; IOPOLL needs O_DIRECT: others must refuse, not ignore them */
static int
check_poll_flags(const char *path, const char *iface)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_queue *queue = NULL;
	struct xnvme_dev *dev;
	int err;

	opts.async = iface;
	dev = xnvme_dev_open(path, &opts);
	if (!dev) {
		fail(NULL, "%s: xnvme_dev_open: %s", iface, xnvme_dev_open_err_msg());
	}
	err = xnvme_queue_init(dev, 8, XNVME_QUEUE_IOPOLL, &queue);
	xnvme_dev_close(dev);
	if (err == -ENOSYS) {
		return 77;
	}
	if (err != -EINVAL) {
		fail(NULL, "%s: queue with IOPOLL on a buffered file: %d, want -EINVAL", iface,
		     err);
	}
	return 0;
}

/*
 * --cfd URI [IFACE...]: the completion fd of the named interfaces, or of every async interface
 * of the backend claiming URI that can run there (its registry's list), nil included: the fd
 * check moves no data it looks at
 */
static int
cfd_main(const char *uri, int argc, char **argv)
{
	struct ifaces fit, all;
	int nran = 0;

	if (argc) {
		ifaces_for_test(uri, argc, argv, 0, &fit);
	} else if (ifaces_of(uri, 1, &fit) || ifaces_of(uri, 0, &all)) {
		printf("SKIP: %s: no interfaces (not there)\n", uri);
		return 77;
	} else {
		for (int i = 0; i < all.n && fit.n < IFACES_MAX; ++i) {
			if (!strcmp(all.item[i].id, "nil") && !all.item[i].sync) {
				fit.item[fit.n++] = all.item[i];
			}
		}
	}
	for (int i = 0; i < fit.n; ++i) {
		if (!fit.item[i].sync) {
			nran += !cfd_only(uri, fit.item[i].id);
		}
	}
	return nran ? 0 : 77;
}

int
main(int argc, char **argv)
{
	static const uint32_t qds[] = {1, 32, 1024};
	const char *tmpdir = getenv("TMPDIR");
	struct ifaces ifaces;
	uint64_t round = 0;
	int nran = 0, fd;

	signal(SIGALRM, on_alarm);
	if (argc > 2 && !strcmp(argv[1], "--cfd")) {
		return cfd_main(argv[2], argc - 3, &argv[3]);
	}
	snprintf(g_path, sizeof(g_path), "%s/xnvme-async-XXXXXX", tmpdir ? tmpdir : "/var/tmp");
	fd = mkstemp(g_path);
	if (fd < 0) {
		g_path[0] = 0;
		fail(NULL, "mkstemp: %s", strerror(errno));
	}
	atexit(cleanup);
	if (ftruncate(fd, (off_t)FILE_NBYTES)) {
		fail(NULL, "ftruncate: %s", strerror(errno));
	}
	close(fd);
	if (ifaces_for_test(g_path, argc - 1, &argv[1], 0, &ifaces)) {
		return 1;
	}

	for (int i = 0; i < ifaces.n; ++i) {
		const char *iface = ifaces.item[i].id;
		int ran = 0;

		if (check_poll_flags(g_path, iface) == 77) {
			printf("SKIP: %s: not available\n", iface);
			continue;
		}
		for (int direct = 0; direct <= 1; ++direct) {
			for (size_t q = 0; q < sizeof(qds) / sizeof(qds[0]); ++q) {
				ran |= !run_round(g_path, iface, direct, qds[q], 0, 0, round++);
			}
		}
		if (ran && !strcmp(iface, "io_uring")) {
			ran |= !run_round(g_path, iface, 0, 32, XNVME_QUEUE_SQPOLL, 0, round++);
			ran |= !run_round(g_path, iface, 1, 32, 0, 1, round++);
		}
		nran += ran;
	}
	if (!nran) {
		printf("SKIP: no interface could run\n");
		return 77;
	}
	printf("PASS: %d interface(s)\n", nran);
	return 0;
}
