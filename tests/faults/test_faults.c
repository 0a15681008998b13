/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Faults from the kernel's own machinery (device-mapper, PCI removal) against the library. Runs in
 * the VM rig's guest, driven by tests/faults/faults.sh, which builds the devices and releases
 * them; it is the watchdog too (a hang here shows as a deadline missed there).
 *
 *   test_faults stall  DEV TIMEOUT IFACE...  DEV never completes I/O (dm-delay): term, drain and
 *                                           close return -ETIMEDOUT within TIMEOUT s + slack
 *   test_faults errors DEV NGOOD IFACE...    blocks [0, NGOOD) work, the rest fail (dm linear +
 *                                           error): each command's outcome is its block's
 *   test_faults wfail  DEV IFACE...          every write fails, every read works (dm-flakey
 *                                           error_writes); buffered psync writes then a flush:
 *                                           the flush reports the lost write-back
 *   test_faults remove DEV BDF IFACE[@URI]...  I/O on one queue per interface (a thread each) while
 *                                           the controller BDF is removed: commands end within
 *                                           a bound, none submitted after removal succeeds,
 *                                           term and close return
 *
 * IFACE: an async interface, or "psync" / "nvme" (sync). Prints PASS:/FAIL: lines; exit 0 when no
 * FAIL. Last line "CHECKED": faults.sh may release the device (the process may not exit before: the
 * kernel holds it on requests still stuck).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxnvme.h>

#define NLB_CMD 1 /* blocks per command */

static atomic_int g_nfail;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		printf("FAIL: " __VA_ARGS__);                                                      \
		atomic_fetch_add(&g_nfail, 1);                                                     \
	} while (0)

static double
now_s(void)
{
	return (double)xnvme_timer_now_ns() / 1e9;
}

static int
is_sync(const char *iface)
{
	return !strcmp(iface, "psync") || !strcmp(iface, "nvme");
}

static struct xnvme_dev *
fault_open(const char *uri, const char *iface, int direct, uint32_t timeout)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	opts.direct = direct;
	opts.command_timeout = timeout;
	if (is_sync(iface)) {
		opts.sync = iface;
	} else {
		opts.async = iface;
	}
	dev = xnvme_dev_open(uri, &opts);
	if (!dev) {
		FAIL("open %s with %s: %s\n", uri, iface, strerror(errno));
	}
	return dev;
}

#define MAXCMDS 64

/* What became of each command of a batch: -1 pending, 0 success, 1 an error status */
struct batch {
	int outcome[MAXCMDS];
	uint32_t ok, err;
	struct rec {
		struct batch *b;
		uint32_t i;
	} recs[MAXCMDS];
};

static void
batch_init(struct batch *b)
{
	memset(b, 0, sizeof(*b));
	for (uint32_t i = 0; i < MAXCMDS; ++i) {
		b->outcome[i] = -1;
		b->recs[i] = (struct rec){.b = b, .i = i};
	}
}

static void
batch_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct rec *r = arg;
	int bad = xnvme_cmd_ctx_cpl_status(ctx) != 0;

	r->b->outcome[r->i] = bad;
	bad ? r->b->err++ : r->b->ok++;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Submits command @p i of a batch: a read or write of block @p lba from @p buf */
static int
batch_submit(struct xnvme_queue *queue, struct batch *b, uint32_t i, int write, uint64_t lba,
	     void *buf)
{
	struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);
	struct xnvme_dev *dev;
	int err;

	if (!ctx) {
		return -errno;
	}
	dev = ctx->dev;
	xnvme_cmd_ctx_set_cb(ctx, batch_cb, &b->recs[i]);
	if (write) {
		err = xnvme_nvm_write(ctx, xnvme_dev_get_nsid(dev), lba, NLB_CMD - 1, buf, NULL);
	} else {
		err = xnvme_nvm_read(ctx, xnvme_dev_get_nsid(dev), lba, NLB_CMD - 1, buf, NULL);
	}
	if (err) {
		xnvme_queue_put_cmd_ctx(queue, ctx);
	}
	return err;
}

/* One sync command: 0 on success, else the error the library gave (an error status: -EIO) */
static int
sync_io(struct xnvme_dev *dev, int write, uint64_t lba, void *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	int err;

	if (write) {
		err = xnvme_nvm_write(&ctx, xnvme_dev_get_nsid(dev), lba, NLB_CMD - 1, buf, NULL);
	} else {
		err = xnvme_nvm_read(&ctx, xnvme_dev_get_nsid(dev), lba, NLB_CMD - 1, buf, NULL);
	}
	if (!err && xnvme_cmd_ctx_cpl_status(&ctx)) {
		return -EIO; /* a status with no error returned: still a failure, never a success */
	}
	return err;
}

static void *
fault_buf(struct xnvme_dev *dev, size_t nbytes)
{
	void *buf = xnvme_buf_alloc(dev, nbytes);

	if (!buf) {
		FAIL("buffer of %zu bytes: %s\n", nbytes, strerror(errno));
	} else {
		memset(buf, 0xA5, nbytes);
	}
	return buf;
}

/*
 * stall: DEV holds every command. Per interface, two rounds of 4 reads each: drain then term;
 * and close with the queue still open. Each must return -ETIMEDOUT (close: return at all) within
 * the command timeout plus slack, and no command may report success. The buffers are leaked: the
 * device may still write them once released.
 */
#define STALL_NCMDS 4
#define STALL_SLACK 8.0 /* seconds over the bound: TCG is slow, and a hang is far longer */

static int
stall_check(const char *what, const char *iface, int res, int want, double t0, double bound)
{
	double dt = now_s() - t0;

	if (res != want) {
		FAIL("stall %s %s: %d (%s), expected %d\n", iface, what, res, strerror(-res), want);
		return -1;
	}
	if (dt > bound + STALL_SLACK) {
		FAIL("stall %s %s: %.1f s, the bound is %.1f s\n", iface, what, dt, bound);
		return -1;
	}
	printf("PASS: stall %s %s: %d after %.1f s (bound %.0f s)\n", iface, what, res, dt, bound);
	return 0;
}

static void
stall_round(const char *uri, const char *iface, uint32_t timeout, int close_only)
{
	struct xnvme_dev *dev = fault_open(uri, iface, 1, timeout);
	struct xnvme_queue *queue = NULL;
	struct batch *b = calloc(1, sizeof(*b)); /* leaked: a parked command may still point here */
	size_t nbytes;
	uint8_t *buf;
	double t0;
	int err;

	if (!dev || !b) {
		return;
	}
	batch_init(b);
	nbytes = (size_t)xnvme_dev_get_geo(dev)->lba_nbytes * NLB_CMD;
	buf = fault_buf(dev, nbytes * STALL_NCMDS);
	err = buf ? xnvme_queue_init(dev, 16, 0, &queue) : -ENOMEM;
	if (err) {
		FAIL("stall %s: queue_init: %d\n", iface, err);
		xnvme_dev_close(dev);
		return;
	}
	/*
	 * With a completion fd: a late completion signals it (posix: from a thread of the C
	 * library's), so it must stay open, parked with the queue, after term gave up.
	 */
	err = xnvme_queue_get_completion_fd(queue);
	if (err < 0) {
		FAIL("stall %s: completion fd: %d\n", iface, err);
	}
	for (uint32_t i = 0; i < STALL_NCMDS; ++i) {
		err = batch_submit(queue, b, i, 0, (uint64_t)i * 8, buf + i * nbytes);
		if (err) {
			FAIL("stall %s: submit %u: %d\n", iface, i, err);
		}
	}
	xnvme_queue_poke(queue, 0);
	if (b->ok) {
		FAIL("stall %s: %u commands reported success on a stalled device\n", iface, b->ok);
	}
	t0 = now_s();
	if (close_only) {
		xnvme_dev_close(dev);
		stall_check("close with the queue open", iface, 0, 0, t0, timeout);
	} else {
		stall_check("drain", iface, xnvme_queue_drain(queue), -ETIMEDOUT, t0, timeout);
		t0 = now_s();
		stall_check("term", iface, xnvme_queue_term(queue), -ETIMEDOUT, t0, timeout);
		t0 = now_s();
		xnvme_dev_close(dev);
		stall_check("close", iface, 0, 0, t0, 1);
	}
	if (b->ok) {
		FAIL("stall %s: %u commands reported success on a stalled device\n", iface, b->ok);
	}
}

/*
 * A sync command on a stalled device blocks in the OS, which the library cannot bound (the
 * documented rule, docs/backends.md): checked here is that it neither returns early nor reports
 * success while the device holds it. Run in a thread left behind (detached, its buffer leaked).
 */
struct sync_stall {
	struct xnvme_dev *dev;
	void *buf;
	atomic_int done;
	int res;
};

static void *
sync_stall_thread(void *arg)
{
	struct sync_stall *s = arg;

	s->res = sync_io(s->dev, 0, 0, s->buf);
	atomic_store(&s->done, 1);
	return NULL;
}

static void
stall_sync(const char *uri, const char *iface, uint32_t timeout)
{
	struct sync_stall *s = calloc(1, sizeof(*s));
	pthread_t thread;

	if (!s || !(s->dev = fault_open(uri, iface, 1, timeout))) {
		return;
	}
	s->buf = fault_buf(s->dev, xnvme_dev_get_geo(s->dev)->lba_nbytes * NLB_CMD);
	if (!s->buf || pthread_create(&thread, NULL, sync_stall_thread, s)) {
		FAIL("stall %s: no thread\n", iface);
		return;
	}
	pthread_detach(thread);
	sleep(timeout + 1);
	if (atomic_load(&s->done)) {
		FAIL("stall %s: a read on a stalled device returned %d\n", iface, s->res);
		return;
	}
	printf("PASS: stall %s: the read is still held after %u s, no success reported\n", iface,
	       timeout + 1);
}

static void
cmd_stall(const char *uri, uint32_t timeout, char **ifaces, int n)
{
	for (int i = 0; i < n; ++i) {
		if (is_sync(ifaces[i])) {
			stall_sync(uri, ifaces[i], timeout);
			continue;
		}
		stall_round(uri, ifaces[i], timeout, 0);
		stall_round(uri, ifaces[i], timeout, 1);
	}
}

/*
 * errors: blocks below ngood work, the rest fail. A batch of reads and writes alternating between
 * the two halves; each command's outcome must be its block's. mode: which kinds fail on the bad
 * half (1: reads and writes; 2: writes only, the whole device being bad for writes).
 */
#define ERR_NCMDS 32

static int
err_expect_bad(uint64_t lba, int write, uint64_t ngood, int writes_only)
{
	return writes_only ? write : lba >= ngood;
}

static uint64_t
err_lba(uint32_t i, uint64_t ngood)
{
	/* Even commands on the good half, odd ones on the bad half, spread a little */
	return (i & 1) ? ngood + (i * 8) : (uint64_t)i * 8;
}

static void
errors_async(struct xnvme_dev *dev, const char *iface, uint64_t ngood, int writes_only,
	     uint8_t *buf, size_t nbytes)
{
	struct xnvme_queue *queue;
	struct batch b;
	uint32_t nbad = 0;
	int err;

	batch_init(&b);
	err = xnvme_queue_init(dev, 64, 0, &queue);
	if (err) {
		FAIL("errors %s: queue_init: %d\n", iface, err);
		return;
	}
	for (uint32_t i = 0; i < ERR_NCMDS; ++i) {
		int write = (i >> 1) & 1;

		err = batch_submit(queue, &b, i, write, err_lba(i, ngood), buf + i * nbytes);
		if (err) {
			/* Refused at submit is an error reported too: never a success */
			b.outcome[i] = 1;
			b.err++;
		}
	}
	err = xnvme_queue_drain(queue);
	if (err < 0) {
		FAIL("errors %s: drain: %d\n", iface, err);
	}
	for (uint32_t i = 0; i < ERR_NCMDS; ++i) {
		int write = (i >> 1) & 1;
		int want = err_expect_bad(err_lba(i, ngood), write, ngood, writes_only);

		nbad += (uint32_t)want;
		if (b.outcome[i] != want) {
			FAIL("errors %s: %s of block %llu: %s, expected %s\n", iface,
			     write ? "write" : "read", (unsigned long long)err_lba(i, ngood),
			     b.outcome[i] < 0 ? "no completion"
			     : b.outcome[i]   ? "error"
					      : "success",
			     want ? "error" : "success");
		}
	}
	xnvme_queue_term(queue);
	if (b.ok + b.err == ERR_NCMDS && b.err == nbad) {
		printf("PASS: errors %s: %u commands, %u failed as their blocks do, %u succeeded\n",
		       iface, ERR_NCMDS, b.err, b.ok);
	}
}

static void
errors_sync(struct xnvme_dev *dev, const char *iface, uint64_t ngood, int writes_only, uint8_t *buf,
	    size_t nbytes)
{
	uint32_t nbad = 0, nwrong = 0;

	for (uint32_t i = 0; i < ERR_NCMDS; ++i) {
		int write = (i >> 1) & 1;
		int want = err_expect_bad(err_lba(i, ngood), write, ngood, writes_only);
		int res = sync_io(dev, write, err_lba(i, ngood), buf + i * nbytes);

		nbad += (uint32_t)want;
		if ((res != 0) != want) {
			FAIL("errors %s: %s of block %llu returned %d, expected %s\n", iface,
			     write ? "write" : "read", (unsigned long long)err_lba(i, ngood), res,
			     want ? "an error" : "success");
			nwrong++;
		}
	}
	if (!nwrong) {
		printf("PASS: errors %s: %u commands, %u failed as their blocks do\n", iface,
		       ERR_NCMDS, nbad);
	}
}

static void
cmd_errors(const char *uri, uint64_t ngood, int writes_only, char **ifaces, int n)
{
	for (int i = 0; i < n; ++i) {
		struct xnvme_dev *dev = fault_open(uri, ifaces[i], 1, 0);
		size_t nbytes;
		uint8_t *buf;

		if (!dev) {
			continue;
		}
		nbytes = (size_t)xnvme_dev_get_geo(dev)->lba_nbytes * NLB_CMD;
		buf = fault_buf(dev, nbytes * ERR_NCMDS);
		if (buf) {
			(is_sync(ifaces[i]) ? errors_sync : errors_async)(dev, ifaces[i], ngood,
									  writes_only, buf, nbytes);
			xnvme_buf_free(dev, buf);
		}
		xnvme_dev_close(dev);
	}
}

/*
 * A write-back that fails after the write returned: buffered (not direct) psync writes land in
 * the page cache and succeed; the flush that follows must report the failed write-back.
 */
static void
cmd_flush(const char *uri)
{
	struct xnvme_dev *dev = fault_open(uri, "psync", 0, 0);
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;
	int err;

	if (!dev) {
		return;
	}
	buf = fault_buf(dev, xnvme_dev_get_geo(dev)->lba_nbytes * NLB_CMD);
	if (!buf) {
		xnvme_dev_close(dev);
		return;
	}
	for (uint64_t lba = 0; lba < 16; ++lba) {
		err = sync_io(dev, 1, lba, buf);
		if (err) {
			printf("note: buffered write of block %llu already failed: %d\n",
			       (unsigned long long)lba, err);
		}
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_flush(&ctx, xnvme_dev_get_nsid(dev));
	if (!err && !xnvme_cmd_ctx_cpl_status(&ctx)) {
		FAIL("flush after a failed write-back reported success\n");
	} else {
		printf(
		    "PASS: flush after a failed write-back: %d, status sct %u sc 0x%x, cdw0 %u\n",
		    err, ctx.cpl.status.sct, ctx.cpl.status.sc, ctx.cpl.cdw0);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

/*
 * remove: one thread per interface keeps commands in flight while the main thread removes the
 * controller (sysfs remove). A command submitted after the removal returned must not succeed;
 * every thread must see its commands end, and term and close return, within the bound.
 */
#define RM_QD      8
#define RM_TIMEOUT 5    /* command timeout given to the library, s */
#define RM_BOUND   30.0 /* from the removal to a thread's close, s */
#define RM_AFTER   2.0  /* seconds a thread keeps submitting after the removal */
#define RM_NBLOCKS 4096 /* commands go to the first blocks */

static _Atomic double g_removed_s; /* 0 until the removal returned */

struct rm_thread {
	const char *uri;
	const char *iface;
	pthread_t thread;
	uint32_t ok_before, ok_after, err_after, err_submit;
	uint32_t nwrong; ///< Reads that succeeded though submitted after the removal
	double end_s;
	int term_res;
};

struct rm_rec {
	struct rm_thread *t;
	double submit_s;
	uint32_t *inflight;
};

/* A read submitted @p after s after the removal succeeded: the first few are shown */
static void
rm_wrong(struct rm_thread *t, double after)
{
	if (++t->nwrong <= 3) {
		FAIL("remove %s: a read submitted %.2f s after the removal succeeded\n", t->iface,
		     after);
	}
}

static void
rm_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct rm_rec *r = arg;
	double removed = atomic_load(&g_removed_s);
	int bad = xnvme_cmd_ctx_cpl_status(ctx) != 0;

	if (bad) {
		r->t->err_after++;
	} else if (removed && r->submit_s > removed) {
		rm_wrong(r->t, r->submit_s - removed);
	} else {
		removed ? r->t->ok_after++ : r->t->ok_before++;
	}
	(*r->inflight)--;
	r->submit_s = -1;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

static void
rm_async(struct rm_thread *t, struct xnvme_dev *dev, uint8_t *buf, size_t nbytes)
{
	struct rm_rec recs[RM_QD];
	struct xnvme_queue *queue;
	uint32_t inflight = 0, n = 0;
	double removed;

	if (xnvme_queue_init(dev, RM_QD * 2, 0, &queue)) {
		FAIL("remove %s: queue_init\n", t->iface);
		return;
	}
	for (int i = 0; i < RM_QD; ++i) {
		recs[i] = (struct rm_rec){.t = t, .submit_s = -1, .inflight = &inflight};
	}
	for (;;) {
		removed = atomic_load(&g_removed_s);
		if (removed && now_s() > removed + RM_AFTER) {
			break;
		}
		for (int i = 0; i < RM_QD; ++i) {
			struct xnvme_cmd_ctx *ctx;
			int err;

			if (recs[i].submit_s >= 0) {
				continue;
			}
			ctx = xnvme_queue_get_cmd_ctx(queue);
			if (!ctx) {
				break;
			}
			xnvme_cmd_ctx_set_cb(ctx, rm_cb, &recs[i]);
			recs[i].submit_s = now_s();
			err = xnvme_nvm_read(ctx, xnvme_dev_get_nsid(dev), (n++ * 7) % RM_NBLOCKS,
					     0, buf + (size_t)i * nbytes, NULL);
			if (err) {
				recs[i].submit_s = -1;
				xnvme_queue_put_cmd_ctx(queue, ctx);
				if (atomic_load(&g_removed_s)) {
					t->err_submit++;
				} else if (err != -EBUSY) {
					FAIL("remove %s: submit before the removal: %d\n", t->iface,
					     err);
				}
				continue;
			}
			inflight++;
		}
		if (xnvme_queue_wait(queue) < 0 && !atomic_load(&g_removed_s)) {
			usleep(1000);
		}
	}
	xnvme_queue_drain(queue);
	t->term_res = xnvme_queue_term(queue);
}

static void
rm_sync(struct rm_thread *t, struct xnvme_dev *dev, uint8_t *buf)
{
	uint32_t n = 0;

	for (;;) {
		double removed = atomic_load(&g_removed_s);
		double t0 = now_s();
		int res;

		if (removed && t0 > removed + RM_AFTER) {
			break;
		}
		res = sync_io(dev, 0, (n++ * 7) % RM_NBLOCKS, buf);
		if (res) {
			t->err_after++;
		} else if (removed && t0 > removed) {
			rm_wrong(t, t0 - removed);
		} else {
			removed ? t->ok_after++ : t->ok_before++;
		}
	}
}

static void *
rm_thread_main(void *arg)
{
	struct rm_thread *t = arg;
	struct xnvme_dev *dev = fault_open(t->uri, t->iface, 1, RM_TIMEOUT);
	size_t nbytes;
	uint8_t *buf;

	if (!dev) {
		return NULL;
	}
	nbytes = (size_t)xnvme_dev_get_geo(dev)->lba_nbytes * NLB_CMD;
	buf = fault_buf(dev, nbytes * RM_QD); /* leaked: a command may be parked on it */
	if (buf) {
		is_sync(t->iface) ? rm_sync(t, dev, buf) : rm_async(t, dev, buf, nbytes);
	}
	xnvme_dev_close(dev);
	t->end_s = now_s();
	return NULL;
}

static void
cmd_remove(const char *uri, const char *bdf, char **ifaces, int n)
{
	struct rm_thread *ts = calloc((size_t)n, sizeof(*ts));
	char path[256];
	double removed;
	int fd;

	if (!ts) {
		FAIL("out of memory\n");
		return;
	}
	for (int i = 0; i < n; ++i) {
		char *at = strchr(ifaces[i], '@');

		/* IFACE@URI: that interface on another node of the controller (e.g. its ng node) */
		if (at) {
			*at = '\0';
		}
		ts[i] = (struct rm_thread){.uri = at ? at + 1 : uri, .iface = ifaces[i]};
		if (pthread_create(&ts[i].thread, NULL, rm_thread_main, &ts[i])) {
			FAIL("remove: no thread\n");
			return;
		}
	}
	sleep(2);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", bdf);
	removed = now_s();
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "1", 1) != 1) {
		FAIL("remove: %s: %s\n", path, strerror(errno));
	}
	if (fd >= 0) {
		close(fd);
	}
	printf("note: %s removed; the removal took %.1f s\n", bdf, now_s() - removed);
	removed = now_s();
	atomic_store(&g_removed_s, removed);
	for (int i = 0; i < n; ++i) {
		struct rm_thread *t = &ts[i];

		int good;

		pthread_join(t->thread, NULL);
		/* Each condition below that does not hold is a FAIL line of its own */
		good = t->ok_before && (t->err_after || t->err_submit) && !t->nwrong &&
		       t->end_s - removed <= RM_BOUND;
		if (!t->ok_before) {
			FAIL("remove %s: no command succeeded before the removal: nothing tested\n",
			     t->iface);
		}
		if (!t->err_after && !t->err_submit) {
			FAIL("remove %s: no command failed after the removal\n", t->iface);
		}
		if (t->nwrong) {
			FAIL("remove %s: %u reads submitted after the removal succeeded\n",
			     t->iface, t->nwrong);
		}
		if (t->end_s - removed > RM_BOUND) {
			FAIL("remove %s: closed %.1f s after the removal, bound %.0f s\n", t->iface,
			     t->end_s - removed, RM_BOUND);
		}
		printf(
		    "%s: remove %s: %u ok before, %u ok (in flight) after, %u failed, %u refused "
		    "at submit; term %d; closed %.1f s after the removal\n",
		    good ? "PASS" : "note", t->iface, t->ok_before, t->ok_after, t->err_after,
		    t->err_submit, t->term_res, t->end_s - removed);
	}
}

/*
 * With FAULTS_RELEASED set: waits (at most 60 s) for that file, made by faults.sh once it has
 * released the device, then lets the late completions of the commands term gave up on arrive
 * while the process still runs: they land in parked memory (an ASan build would report them
 * landing in freed memory). Exiting at once would hide them: the kernel ends the threads of an
 * exiting process before they return to user space.
 */
static void
wait_released(void)
{
	const char *path = getenv("FAULTS_RELEASED");

	if (!path || !*path) {
		return;
	}
	for (int i = 0; i < 600 && access(path, F_OK); ++i) {
		usleep(100000);
	}
	sleep(2);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 5 && !strcmp(argv[1], "stall")) {
		cmd_stall(argv[2], (uint32_t)strtoul(argv[3], NULL, 10), argv + 4, argc - 4);
	} else if (argc >= 5 && !strcmp(argv[1], "errors")) {
		cmd_errors(argv[2], strtoull(argv[3], NULL, 10), 0, argv + 4, argc - 4);
	} else if (argc >= 4 && !strcmp(argv[1], "wfail")) {
		cmd_errors(argv[2], 0, 1, argv + 3, argc - 3);
		cmd_flush(argv[2]);
	} else if (argc >= 5 && !strcmp(argv[1], "remove")) {
		cmd_remove(argv[2], argv[3], argv + 4, argc - 4);
	} else {
		fprintf(stderr, "usage: test_faults stall DEV TIMEOUT IFACE... | errors DEV NGOOD "
				"IFACE... | wfail DEV IFACE... | remove DEV BDF IFACE...\n");
		return 2;
	}
	printf("CHECKED: %d failed\n", atomic_load(&g_nfail));
	wait_released();
	return atomic_load(&g_nfail) ? 1 : 0;
}
