/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver against each fault hook of the model (lib/be/pcie/model.h): never-ready, cfs@N,
 * drop@N, dup@N, stale@N, badcid@N, hold@N, and hold@N ended by xnvme_controller_reset(). The
 * faulted command must come back as an error (never a success), everything else must complete,
 * the device must work afterwards, and nothing may hang: an alarm() ends a hung run (a failure
 * for meson), and a crash is one. Small timeouts: the options' command timeout 1 s, CAP.TO 1
 * (500 ms); a repeated completion after its slot was reused (dup-reuse). Also the driver's
 * XNVME_PCIE_SGL switch (sgl-env): 0 keeps it to PRPs on a controller with SGLs, a bad value
 * fails the open with the variable's name. Usage: test_pcie_faults HOOK sync|async
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <libxnvme.h>
#include "xnvme_dev.h"
#include "xnvme_ctrl.h"
#include "xnvme_be_pcie.h"

static int g_fails;

/* @p c is evaluated once: it may be a command */
#define CHECK(c, ...)                                                                              \
	do {                                                                                       \
		int ok_ = !!(c);                                                                   \
		printf("%s: ", ok_ ? "PASS" : "FAIL");                                             \
		printf(__VA_ARGS__);                                                               \
		printf("\n");                                                                      \
		g_fails += !ok_;                                                                   \
	} while (0)

#define NTH  3 ///< The faulted I/O command
#define NCMD 6

static struct xnvme_dev *
open_model(const char *spec)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.command_timeout = 1;
	opts.admin_timeout = 2;
	return xnvme_dev_open(spec, &opts);
}

static struct pcie_ctrl *
ctrl_of(struct xnvme_dev *dev)
{
	return dev->ctrl->state;
}

static int
write_sync(struct xnvme_dev *dev, uint64_t slba, uint8_t *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);

	memset(buf, (int)(0x40 + slba), 512);
	return xnvme_nvm_write(&ctx, xnvme_dev_get_nsid(dev), slba, 0, buf, NULL);
}

/* The device still works: a write and its read-back, sync */
static int
roundtrip(struct xnvme_dev *dev, uint8_t *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t want[512];
	int err = write_sync(dev, 100, buf);

	memcpy(want, buf, sizeof(want));
	memset(buf, 0, 512);
	err = err ? err : xnvme_nvm_read(&ctx, xnvme_dev_get_nsid(dev), 100, 0, buf, NULL);
	return err ? err : memcmp(buf, want, sizeof(want)) ? -EIO : 0;
}

struct counts {
	int ok, err;
};

static void
count_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct counts *c = arg;

	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		c->err++;
	} else {
		c->ok++;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* @p n writes through a queue, then a drain; @p reset: a controller reset before the drain */
static int
write_async(struct xnvme_dev *dev, struct xnvme_queue *q, int n, uint8_t *buf, int reset,
	    struct counts *c)
{
	memset(c, 0, sizeof(*c));
	xnvme_queue_set_cb(q, count_cb, c);
	for (int i = 0; i < n; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(q);
		int err = xnvme_nvm_write(ctx, xnvme_dev_get_nsid(dev), (uint64_t)i, 0,
					  buf + (size_t)i * 512, NULL);

		if (err) {
			xnvme_queue_put_cmd_ctx(q, ctx);
			return err;
		}
	}
	for (int i = 0; i < 10; ++i) {
		xnvme_queue_poke(q, 0);
	}
	if (reset) {
		int err = xnvme_controller_reset(dev);

		CHECK(!err, "controller reset with %u commands outstanding: %d",
		      xnvme_queue_get_outstanding(q), err);
	}
	return xnvme_queue_drain(q);
}

/* Whether the hook's Nth command is lost to the driver (it must fail it) or merely repeated */
static int
hook_fails_cmd(const char *hook)
{
	return strcmp(hook, "dup");
}

static void
test_never_ready(void)
{
	uint64_t t0 = xnvme_timer_now_ns();
	struct xnvme_dev *dev = open_model("pcie-model:8MiB,fault=never-ready,to=1");
	double secs = (double)(xnvme_timer_now_ns() - t0) / 1e9;

	CHECK(!dev, "open of a controller that never gets ready fails (%s)",
	      dev ? "opened" : xnvme_dev_open_err_msg());
	CHECK(secs < 5, "and within CAP.TO's bound: %.2f s", secs);
	xnvme_dev_close(dev);
}

static void
test_sync(const char *hook, const char *spec)
{
	struct xnvme_dev *dev = open_model(spec);
	uint8_t *buf;
	int res[NCMD];

	if (!dev) {
		CHECK(0, "open %s: %s", spec, xnvme_dev_open_err_msg());
		return;
	}
	buf = xnvme_buf_alloc(dev, 4096);
	for (int i = 0; i < NCMD; ++i) {
		res[i] = write_sync(dev, (uint64_t)i, buf);
	}
	for (int i = 0; i < NCMD; ++i) {
		int faulted = i + 1 == NTH && hook_fails_cmd(hook);
		/* hold: the later ones wait for the reset the timeout of the Nth brought */
		CHECK(faulted ? res[i] != 0 : res[i] == 0, "%s sync write %d: %d%s", hook, i + 1,
		      res[i], faulted ? " (the faulted one: an error)" : "");
	}
	if (!hook_fails_cmd(hook)) {
		CHECK(atomic_load(&ctrl_of(dev)->nstray) >= 1,
		      "the repeated completion was ignored and counted: %llu",
		      (unsigned long long)atomic_load(&ctrl_of(dev)->nstray));
	} else {
		CHECK(atomic_load(&ctrl_of(dev)->nresets) >= 1, "the controller was reset: %llu",
		      (unsigned long long)atomic_load(&ctrl_of(dev)->nresets));
	}
	CHECK(!roundtrip(dev, buf), "%s: the device works afterwards", hook);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

static void
test_async(const char *hook, const char *spec, int reset)
{
	struct xnvme_dev *dev = open_model(spec);
	struct xnvme_queue *q = NULL;
	struct counts c;
	uint64_t t0;
	uint8_t *buf;
	int res;

	if (!dev) {
		CHECK(0, "open %s: %s", spec, xnvme_dev_open_err_msg());
		return;
	}
	buf = xnvme_buf_alloc(dev, NCMD * 512);
	memset(buf, 0x5A, NCMD * 512);
	res = xnvme_queue_init(dev, 8, 0, &q);
	CHECK(!res, "queue: %d", res);
	if (res) {
		xnvme_dev_close(dev);
		return;
	}
	t0 = xnvme_timer_now_ns();
	res = write_async(dev, q, NCMD, buf, reset, &c);
	CHECK(c.ok + c.err == NCMD && !xnvme_queue_get_outstanding(q),
	      "%s async: every callback ran (%d ok, %d errors, drain %d)", hook, c.ok, c.err, res);
	if (hook_fails_cmd(hook)) {
		CHECK(c.err >= 1, "%s async: the faulted command is an error, not a success", hook);
	} else {
		CHECK(c.err == 0 && atomic_load(&ctrl_of(dev)->nstray) >= 1,
		      "%s async: all succeed, the repeat ignored (%llu strays)", hook,
		      (unsigned long long)atomic_load(&ctrl_of(dev)->nstray));
	}
	if (reset) {
		double secs = (double)(xnvme_timer_now_ns() - t0) / 1e9;

		CHECK(secs < 1, "the reset, not a timeout, failed the held ones: %.2f s", secs);
	}
	/* The queue is made again after the reset: it works */
	res = write_async(dev, q, 2, buf, 0, &c);
	CHECK(c.ok == 2 && res >= 0, "%s async: the queue works afterwards (%d ok, %d)", hook, c.ok,
	      res);
	CHECK(!roundtrip(dev, buf), "%s: the device works afterwards", hook);
	xnvme_queue_term(q);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

/*
 * A completion the device repeats after its slot took another command: dup@64 posts command 64's
 * completion twice, the second first in the driver's next batch of 64, after the callbacks of
 * the first batch ran; command 64's callback submits a new command (the same context, the same
 * slot), which hold@101 keeps on the device. The repeat must not complete the new command: it
 * is the old one's (its command id's use count differs); only the reset ends the new one, as an
 * error.
 */
struct reuse {
	struct xnvme_dev *dev;
	int delivered;
	int late_done, late_err;
	uint8_t *buf;
};

static void
late_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct reuse *r = arg;

	r->late_done++;
	r->late_err = xnvme_cmd_ctx_cpl_status(ctx);
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

static void
reuse_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct reuse *r = arg;
	struct xnvme_queue *q = ctx->async.queue;

	xnvme_queue_put_cmd_ctx(q, ctx);
	if (++r->delivered == 64) {
		struct xnvme_cmd_ctx *late = xnvme_queue_get_cmd_ctx(q);

		late->async.cb = late_cb;
		late->async.cb_arg = r;
		CHECK(late == ctx, "the 64th's context is handed out again (its slot reused)");
		CHECK(!xnvme_nvm_write(late, xnvme_dev_get_nsid(r->dev), 200, 0, r->buf, NULL),
		      "a new command from the 64th's callback");
	}
}

static void
test_dup_reuse(void)
{
	struct xnvme_queue *q = NULL;
	struct reuse r = {0};
	int err;

	r.dev = open_model("pcie-model:8MiB,to=1,fault=dup@64+hold@101");
	if (!r.dev) {
		CHECK(0, "open: %s", xnvme_dev_open_err_msg());
		return;
	}
	r.buf = xnvme_buf_alloc(r.dev, 100 * 512);
	err = xnvme_queue_init(r.dev, 128, 0, &q);
	CHECK(!err, "queue: %d", err);
	if (err) {
		xnvme_dev_close(r.dev);
		return;
	}
	xnvme_queue_set_cb(q, reuse_cb, &r);
	for (int i = 0; i < 100; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(q);

		err = xnvme_nvm_write(ctx, xnvme_dev_get_nsid(r.dev), (uint64_t)i, 0,
				      r.buf + (size_t)i * 512, NULL);
		if (err) {
			CHECK(0, "write %d: %d", i, err);
			break;
		}
	}
	for (int i = 0; i < 10; ++i) {
		xnvme_queue_poke(q, 0);
	}
	CHECK(r.delivered == 100, "the 100 commands completed once each: %d", r.delivered);
	CHECK(!r.late_done, "the repeated completion did not complete the slot's new command");
	CHECK(xnvme_queue_get_outstanding(q) == 1, "the new command is outstanding: %u",
	      xnvme_queue_get_outstanding(q));
	CHECK(atomic_load(&ctrl_of(r.dev)->nstray) >= 1, "the repeat was counted as a stray");
	CHECK(!xnvme_controller_reset(r.dev), "controller reset");
	xnvme_queue_drain(q);
	CHECK(r.late_done == 1 && r.late_err, "the reset failed the new command (%d, %d)",
	      r.late_done, r.late_err);
	xnvme_queue_term(q);
	xnvme_buf_free(r.dev, r.buf);
	xnvme_dev_close(r.dev);
}

static void *
reset_later(void *arg)
{
	usleep(200000);
	CHECK(!xnvme_controller_reset(arg), "another thread resets the controller");
	return NULL;
}

/*
 * A sync command held by the controller while another thread resets it: the waiter learns at
 * once (the reset's generation), not after its timeout; the command is an error
 */
static void
test_reset_sync(void)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;
	pthread_t thread;
	uint64_t t0;
	uint8_t *buf;
	double secs;
	int err;

	opts.command_timeout = 5;
	dev = xnvme_dev_open("pcie-model:8MiB,to=1,fault=hold@2", &opts);
	if (!dev) {
		CHECK(0, "open: %s", xnvme_dev_open_err_msg());
		return;
	}
	buf = xnvme_buf_alloc(dev, 4096);
	CHECK(!write_sync(dev, 0, buf), "the first write");
	pthread_create(&thread, NULL, reset_later, dev);
	t0 = xnvme_timer_now_ns();
	err = write_sync(dev, 1, buf);
	secs = (double)(xnvme_timer_now_ns() - t0) / 1e9;
	pthread_join(thread, NULL);
	CHECK(err != 0, "the held write is an error: %d", err);
	CHECK(secs < 2, "known at the reset, well before the 5 s timeout: %.2f s", secs);
	CHECK(!roundtrip(dev, buf), "the device works afterwards");
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

static void
test_sgl_env(void)
{
	static const char *const spec = "pcie-model:8MiB,sgl=1";
	struct xnvme_dev *dev;
	uint8_t *buf;

	setenv("XNVME_PCIE_SGL", "yes", 1);
	dev = open_model(spec);
	CHECK(!dev && errno == EINVAL && strstr(xnvme_dev_open_err_msg(), "XNVME_PCIE_SGL"),
	      "XNVME_PCIE_SGL=yes: the open fails, EINVAL, naming it (%s)",
	      xnvme_dev_open_err_msg());
	xnvme_dev_close(dev);
	for (int allowed = 0; allowed < 2; ++allowed) {
		setenv("XNVME_PCIE_SGL", allowed ? "1" : "0", 1);
		dev = open_model(spec);
		CHECK(dev, "XNVME_PCIE_SGL=%d: opens (%s)", allowed, xnvme_dev_open_err_msg());
		if (!dev) {
			continue;
		}
		buf = xnvme_buf_alloc(dev, 4096);
		CHECK(ctrl_of(dev)->caps.sgl == allowed,
		      "XNVME_PCIE_SGL=%d: SGLs used on a controller that has them: %d", allowed,
		      ctrl_of(dev)->caps.sgl);
		CHECK(buf && !roundtrip(dev, buf), "XNVME_PCIE_SGL=%d: a round trip", allowed);
		xnvme_buf_free(dev, buf);
		xnvme_dev_close(dev);
	}
	unsetenv("XNVME_PCIE_SGL");
}

int
main(int argc, char **argv)
{
	const char *hook = argc > 1 ? argv[1] : "";
	const char *mode = argc > 2 ? argv[2] : "sync";
	char spec[128];

	/* A hang is a failure: the driver must give up on its own well before this */
	alarm(60);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(hook, "never-ready")) {
		test_never_ready();
	} else if (!strcmp(hook, "reset-sync")) {
		test_reset_sync();
	} else if (!strcmp(hook, "dup-reuse")) {
		test_dup_reuse();
	} else if (!strcmp(hook, "sgl-env")) {
		test_sgl_env();
	} else if (!strcmp(hook, "reset")) {
		test_async("hold", "pcie-model:8MiB,to=1,fault=hold@3", 1);
	} else if (!strcmp(hook, "cfs") || !strcmp(hook, "drop") || !strcmp(hook, "dup") ||
		   !strcmp(hook, "stale") || !strcmp(hook, "badcid") || !strcmp(hook, "hold")) {
		snprintf(spec, sizeof(spec), "pcie-model:8MiB,to=1,fault=%s@%d%s", hook, NTH,
			 !strcmp(mode, "thread") ? ",proc=thread" : "");
		if (!strcmp(mode, "sync")) {
			test_sync(hook, spec);
		} else {
			test_async(hook, spec, 0);
		}
	} else {
		fprintf(
		    stderr,
		    "usage: %s "
		    "never-ready|cfs|drop|dup|dup-reuse|stale|badcid|hold|reset|reset-sync|sgl-env "
		    "[sync|async|thread]\n",
		    argv[0]);
		return 2;
	}
	printf("%d failed\n", g_fails);
	return g_fails ? 1 : 0;
}
