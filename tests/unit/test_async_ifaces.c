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
 *     context (or -EBUSY), then reap with poke(0), poke(small max) or wait, in turn;
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
#include "ifaces.h"
#include "round_watchdog.h"

#define FILE_NBYTES  (64ULL << 20)
#define CHUNK_NBYTES (16ULL << 10) /* the file is cut into chunks; a command writes one */
#define PIECE_NBYTES 4096ULL       /* commands are 1..4 pieces long */
#define NCMDS        2048U         /* commands per round: half the file's chunks */
#define ROUND_SECS   120U          /* a round that takes longer hangs: fail it */

struct cmd {
	uint64_t off;  ///< Byte offset in the file
	size_t nbytes; ///< 4 KiB .. 16 KiB
	uint8_t *wbuf; ///< The pattern
	uint8_t *rbuf; ///< Read back through the interface
	struct iovec iov[4];
	int niov; ///< 1: plain; more: vectored (iov stays valid until completion)
	int ncb;  ///< Callbacks seen
	struct run *run;
};

struct run {
	const char *tag; ///< "iface direct=N qd=N" for messages
	struct xnvme_dev *dev;
	struct xnvme_queue *queue;
	struct cmd *cmds;
	uint32_t nsid;
	uint32_t lba_nbytes;
	uint32_t next;       ///< Next command to submit
	uint8_t opcode;      ///< Read or write, for this phase
	int chain;           ///< Callbacks submit the next command
	uint64_t nsubmitted; ///< Counted at each 0 return of a pass
	uint64_t ncompleted; ///< Counted in callbacks
};

static void __attribute__((format(printf, 2, 3), noreturn))
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

/* The pattern of a round: every 8 bytes differ by round, offset and position */
static void
fill_pattern(uint8_t *buf, size_t nbytes, uint64_t off, uint64_t round)
{
	for (size_t i = 0; i < nbytes; i += 8) {
		uint64_t v =
		    (off + i) * 0x9E3779B97F4A7C15ULL ^ (round + 1) * 0xC2B2AE3D27D4EB4FULL;

		memcpy(buf + i, &v, 8);
	}
}

static int submit_next(struct run *r);

static void
cmd_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct cmd *c = cb_arg;
	struct run *r = c->run;

	if (++c->ncb != 1) {
		fail(r, "callback of the command at offset %llu ran %d times",
		     (unsigned long long)c->off, c->ncb);
	}
	r->ncompleted++;
	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		fail(r, "opcode 0x%x at offset %llu: status sct=%u sc=0x%x (os error %u)",
		     ctx->cmd.common.opcode, (unsigned long long)c->off, ctx->cpl.status.sct,
		     ctx->cpl.status.sc, ctx->cpl.cdw0);
	}
	if (ctx->cpl.result != c->nbytes) {
		fail(r, "offset %llu: result %llu, expected %zu bytes transferred",
		     (unsigned long long)c->off, (unsigned long long)ctx->cpl.result, c->nbytes);
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
	if (r->chain && r->next < NCMDS && submit_next(r) < 0) {
		fail(r, "no free context for a submission from a callback");
	}
}

/* Submits cmds[r->next]: 0 when submitted, -EBUSY when the queue is full */
static int
submit_next(struct run *r)
{
	struct cmd *c = &r->cmds[r->next];
	uint8_t *buf = r->opcode == XNVME_SPEC_NVM_OPC_WRITE ? c->wbuf : c->rbuf;
	struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(r->queue);
	uint32_t outstanding;
	int err;

	if (!ctx) {
		if (errno != ENOMEM) {
			fail(r, "xnvme_queue_get_cmd_ctx: %s", strerror(errno));
		}
		return -EBUSY;
	}
	xnvme_cmd_ctx_set_cb(ctx, cmd_cb, c);
	xnvme_prep_nvm(ctx, r->opcode, r->nsid, c->off / r->lba_nbytes,
		       (uint16_t)(c->nbytes / r->lba_nbytes - 1));
	for (int i = 0; i < c->niov; ++i) {
		c->iov[i].iov_base = buf + (size_t)i * (size_t)PIECE_NBYTES;
		c->iov[i].iov_len = PIECE_NBYTES;
	}
	outstanding = xnvme_queue_get_outstanding(r->queue);
	if (c->niov > 1) {
		err = xnvme_cmd_pass_iov(ctx, c->iov, (size_t)c->niov, c->nbytes, NULL, 0);
	} else {
		err = xnvme_cmd_pass(ctx, buf, c->nbytes, NULL, 0);
	}
	if (err == -EBUSY) {
		xnvme_queue_put_cmd_ctx(r->queue, ctx);
		return -EBUSY;
	}
	if (err) {
		fail(r, "submit of opcode 0x%x at offset %llu: %d (%s)", r->opcode,
		     (unsigned long long)c->off, err, strerror(-err));
	}
	if (xnvme_queue_get_outstanding(r->queue) != outstanding + 1) {
		fail(r, "outstanding went from %u to %u on a submit", outstanding,
		     xnvme_queue_get_outstanding(r->queue));
	}
	r->next++;
	r->nsubmitted++;
	return 0;
}

/* One reap, by poke(0), poke(max) or wait in turn; checks what it reports */
static void
reap(struct run *r, unsigned turn)
{
	uint32_t before = xnvme_queue_get_outstanding(r->queue);
	uint64_t ncompleted = r->ncompleted;
	uint32_t max = 0;
	int chain = r->chain, res;

	/* Counting stays exact only when callbacks do not submit: they may complete at once */
	switch (turn % 3) {
	case 0:
		res = xnvme_queue_poke(r->queue, 0);
		break;
	case 1:
		max = 1 + turn % 7;
		res = xnvme_queue_poke(r->queue, max);
		break;
	default:
		res = xnvme_queue_wait(r->queue);
		break;
	}
	if (res < 0) {
		fail(r, "%s: %d (%s)", turn % 3 == 2 ? "wait" : "poke", res, strerror(-res));
	}
	if ((uint32_t)res > before || (max && (uint32_t)res > max)) {
		fail(r, "%s reported %d completions with %u outstanding (max %u)",
		     turn % 3 == 2 ? "wait" : "poke", res, before, max);
	}
	if ((uint64_t)res != r->ncompleted - ncompleted) {
		fail(r, "%s reported %d completions, %llu callbacks ran",
		     turn % 3 == 2 ? "wait" : "poke", res,
		     (unsigned long long)(r->ncompleted - ncompleted));
	}
	if (!chain && xnvme_queue_get_outstanding(r->queue) != before - (uint32_t)res) {
		fail(r, "outstanding %u after reaping %d of %u",
		     xnvme_queue_get_outstanding(r->queue), res, before);
	}
	if (r->ncompleted > r->nsubmitted) {
		fail(r, "%llu completions for %llu submissions", (unsigned long long)r->ncompleted,
		     (unsigned long long)r->nsubmitted);
	}
}

/* Runs every command of the phase with the queue kept full, then drains */
static void
run_phase(struct run *r, uint8_t opcode, int chain)
{
	unsigned turn = 0;
	int res;

	r->opcode = opcode;
	r->chain = chain;
	r->next = 0;
	r->nsubmitted = 0;
	r->ncompleted = 0;
	for (uint32_t i = 0; i < NCMDS; ++i) {
		r->cmds[i].ncb = 0;
	}
	while (r->next < NCMDS) {
		if (!submit_next(r)) {
			continue;
		}
		if (chain) {
			/* Full: from here on the callbacks keep it full */
			while (r->next < NCMDS || xnvme_queue_get_outstanding(r->queue)) {
				reap(r, 2 * (turn++ % 2)); /* poke(0) or wait */
			}
			break;
		}
		reap(r, turn++);
	}
	res = xnvme_queue_drain(r->queue);
	if (res < 0) {
		fail(r, "drain: %d (%s)", res, strerror(-res));
	}
	if (xnvme_queue_get_outstanding(r->queue) || r->ncompleted != NCMDS ||
	    r->nsubmitted != NCMDS) {
		fail(r, "after drain: outstanding %u, %llu submitted, %llu completed of %u",
		     xnvme_queue_get_outstanding(r->queue), (unsigned long long)r->nsubmitted,
		     (unsigned long long)r->ncompleted, NCMDS);
	}
	for (uint32_t i = 0; i < NCMDS; ++i) {
		if (r->cmds[i].ncb != 1) {
			fail(r, "command %u: %d callbacks", i, r->cmds[i].ncb);
		}
	}
}

/* One command on its own through the queue, waited for; returns the context's outcome */
struct single {
	int ncb;
	uint16_t status;
	uint64_t result;
};

static void
single_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct single *s = cb_arg;

	s->ncb++;
	s->status = (uint16_t)(ctx->cpl.status.sct << 8 | ctx->cpl.status.sc);
	s->result = ctx->cpl.result;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

static void
wait_single(struct run *r, const char *what, struct single *s)
{
	for (int i = 0; i < 100 && !s->ncb; ++i) {
		int res = xnvme_queue_wait(r->queue);

		if (res < 0 || res > 1) {
			fail(r, "%s: wait returned %d with one command outstanding", what, res);
		}
	}
	if (s->ncb != 1 || s->status) {
		fail(r, "%s: %d callbacks, status 0x%x", what, s->ncb, s->status);
	}
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
	for (uint32_t i = 0; i < NCMDS; ++i) {
		struct cmd *c = &r.cmds[i];
		/* An odd stride visits every chunk once: scattered, never overlapping */
		uint64_t chunk =
		    (i * 2654435761ULL + round * 40503ULL) % (FILE_NBYTES / CHUNK_NBYTES);

		c->run = &r;
		c->off = chunk * CHUNK_NBYTES;
		c->nbytes = (size_t)(1 + (i + round) % 4) * PIECE_NBYTES;
		c->wbuf = wbuf + (size_t)i * CHUNK_NBYTES;
		c->rbuf = rbuf + (size_t)i * CHUNK_NBYTES;
		c->niov = i % 3 == 2 ? (int)(c->nbytes / PIECE_NBYTES) : 1;
		fill_pattern(c->wbuf, c->nbytes, c->off, round);
		memset(c->rbuf, 0xA5, c->nbytes);
	}

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
