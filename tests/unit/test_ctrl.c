/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The controller object (lib/ctrl.c) with a test double backend that counts what it is asked:
 * one open per key however many devices share it, one close at the last put (none with keep),
 * private controllers never shared, open and put from many threads at once, the admin path
 * running the periodic work (poll) before each command, a poll that never waits for a busy admin
 * path. Then through the public API: two ramdisk handles of one identifier share one controller,
 * a file has a private one, and admin commands of both reach the controller's admin path.
 * usage: test_ctrl
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"

static atomic_int g_nopen, g_nclose, g_nadmin, g_npoll;
static int g_poll_seen_by_admin; ///< The polls counted when the admin command ran

static int
fake_open(struct xnvme_ctrl *ctrl, struct xnvme_dev *dev, const void *arg)
{
	(void)dev;
	if (arg && !strcmp(arg, "refuse")) {
		return -EINVAL;
	}
	ctrl->state = malloc(1);
	atomic_fetch_add(&g_nopen, 1);
	return 0;
}

static void
fake_close(struct xnvme_ctrl *ctrl)
{
	free(ctrl->state);
	atomic_fetch_add(&g_nclose, 1);
}

static int
fake_admin(struct xnvme_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
	   void *mbuf, size_t mbuf_nbytes)
{
	(void)ctrl, (void)ctx, (void)dbuf, (void)dbuf_nbytes, (void)mbuf, (void)mbuf_nbytes;
	g_poll_seen_by_admin = atomic_load(&g_npoll);
	atomic_fetch_add(&g_nadmin, 1);
	return 0;
}

static int
fake_poll(struct xnvme_ctrl *ctrl)
{
	(void)ctrl;
	atomic_fetch_add(&g_npoll, 1);
	return 0;
}

static const struct xnvme_be_ctrl_ops fake_ops = {
    .id = "fake", .open = fake_open, .close = fake_close, .admin = fake_admin, .poll = fake_poll};
static const struct xnvme_be_ctrl_ops fake_keep_ops = {
    .id = "fake-keep", .open = fake_open, .close = fake_close, .keep = true};
static const struct xnvme_be fake_be = {.name = "fake"};
static const struct xnvme_be other_be = {.name = "other"};

static struct xnvme_dev *
fake_dev(const struct xnvme_be *be)
{
	struct xnvme_dev *dev = calloc(1, sizeof(*dev));

	dev->be = be;
	return dev;
}

static void
reset_counts(void)
{
	atomic_store(&g_nopen, 0);
	atomic_store(&g_nclose, 0);
	atomic_store(&g_nadmin, 0);
	atomic_store(&g_npoll, 0);
}

static void
test_sharing(void)
{
	struct xnvme_dev *a = fake_dev(&fake_be), *b = fake_dev(&fake_be), *c = fake_dev(&fake_be);
	struct xnvme_dev *d = fake_dev(&other_be), *p = fake_dev(&fake_be), *q = fake_dev(&fake_be);
	int err;

	reset_counts();
	err = xnvme_ctrl_open(a, &fake_ops, "ctrl0", NULL);
	err |= xnvme_ctrl_open(b, &fake_ops, "ctrl0", NULL);
	err |= xnvme_ctrl_open(c, &fake_ops, "ctrl1", NULL);
	err |= xnvme_ctrl_open(d, &fake_ops, "ctrl0", NULL);
	err |= xnvme_ctrl_open(p, &fake_ops, NULL, NULL);
	err |= xnvme_ctrl_open(q, &fake_ops, "", NULL);
	CHECK(!err && a->ctrl == b->ctrl && a->ctrl->refs == 2 && g_nopen == 5,
	      "two devices on one key share one controller, opened once (%d opens)", g_nopen);
	CHECK(c->ctrl != a->ctrl && d->ctrl != a->ctrl && p->ctrl != q->ctrl,
	      "another key, another backend's same key, and keyless devices: other controllers");
	xnvme_ctrl_put(a->ctrl);
	CHECK(!g_nclose, "the first put leaves the shared controller open");
	xnvme_ctrl_put(b->ctrl);
	CHECK(g_nclose == 1, "the last put closes it (%d)", g_nclose);
	err = xnvme_ctrl_open(a, &fake_ops, "ctrl0", NULL);
	CHECK(!err && g_nopen == 6 && a->ctrl->refs == 1,
	      "reopened after the last put: opened anew");
	xnvme_ctrl_put(a->ctrl);
	xnvme_ctrl_put(c->ctrl);
	xnvme_ctrl_put(d->ctrl);
	xnvme_ctrl_put(p->ctrl);
	xnvme_ctrl_put(q->ctrl);
	CHECK(g_nopen == g_nclose, "every controller closed once (%d opens, %d closes)", g_nopen,
	      g_nclose);

	errno = 0;
	err = xnvme_ctrl_open(a, &fake_ops, "refused", "refuse");
	CHECK(err == -EINVAL && !a->ctrl,
	      "a refused open returns the backend's error, no controller");
	err = xnvme_ctrl_open(a, &fake_ops, "refused", NULL);
	CHECK(!err && a->ctrl && a->ctrl->refs == 1, "and leaves nothing registered under its key");
	xnvme_ctrl_put(a->ctrl);
	free(a), free(b), free(c), free(d), free(p), free(q);
}

static void
test_keep(void)
{
	struct xnvme_dev *a = fake_dev(&fake_be);
	struct xnvme_ctrl *first;

	reset_counts();
	xnvme_ctrl_open(a, &fake_keep_ops, "kept", NULL);
	first = a->ctrl;
	xnvme_ctrl_put(a->ctrl);
	xnvme_ctrl_open(a, &fake_keep_ops, "kept", NULL);
	CHECK(a->ctrl == first && g_nopen == 1 && !g_nclose,
	      "keep: the controller outlives its last device and is found again");
	CHECK(!xnvme_ctrl_drop_kept() && !g_nclose, "dropping the kept ones spares a held one");
	xnvme_ctrl_put(a->ctrl);
	CHECK(xnvme_ctrl_drop_kept() == 1 && g_nclose == 1,
	      "and closes it once no device holds it (%d closes)", g_nclose);
	xnvme_ctrl_open(a, &fake_keep_ops, "kept", NULL);
	CHECK(g_nopen == 2, "the next open of its key opens it anew (%d opens)", g_nopen);
	xnvme_ctrl_put(a->ctrl);
	xnvme_ctrl_drop_kept();
	free(a);
}

#define NTHREADS 8
#define NROUNDS  2000

static void *
open_put_worker(void *arg)
{
	struct xnvme_dev *dev = fake_dev(&fake_be);

	(void)arg;
	for (int i = 0; i < NROUNDS; ++i) {
		if (!xnvme_ctrl_open(dev, &fake_ops, i % 2 ? "busy0" : "busy1", NULL)) {
			xnvme_ctrl_get(dev->ctrl);
			xnvme_ctrl_put(dev->ctrl);
			xnvme_ctrl_put(dev->ctrl);
		}
	}
	free(dev);
	return NULL;
}

/* Without a reference held, the keys open and close under the threads' feet; with one, they share
 */
static void
test_threads(void)
{
	struct xnvme_dev *base0 = fake_dev(&fake_be), *base1 = fake_dev(&fake_be);
	pthread_t threads[NTHREADS];

	for (int held = 0; held < 2; ++held) {
		reset_counts();
		if (held) {
			xnvme_ctrl_open(base0, &fake_ops, "busy0", NULL);
			xnvme_ctrl_open(base1, &fake_ops, "busy1", NULL);
		}
		for (int i = 0; i < NTHREADS; ++i) {
			pthread_create(&threads[i], NULL, open_put_worker, NULL);
		}
		for (int i = 0; i < NTHREADS; ++i) {
			pthread_join(threads[i], NULL);
		}
		if (held) {
			CHECK(g_nopen == 2 && !g_nclose && base0->ctrl->refs == 1 &&
				  base1->ctrl->refs == 1,
			      "%d threads share two held controllers %d times: %d opens, %d closes",
			      NTHREADS, NROUNDS, g_nopen, g_nclose);
			xnvme_ctrl_put(base0->ctrl);
			xnvme_ctrl_put(base1->ctrl);
		}
		CHECK(g_nopen >= 2 && g_nopen == g_nclose,
		      "%d threads open, get and put two keys %s: %d opens, %d closes", NTHREADS,
		      held ? "(held)" : "(not held)", g_nopen, g_nclose);
	}
	free(base0), free(base1);
}

struct poll_arg {
	struct xnvme_ctrl *ctrl;
	int res;
};

static void *
poll_worker(void *arg)
{
	struct poll_arg *pa = arg;

	pa->res = xnvme_ctrl_poll(pa->ctrl);
	return NULL;
}

static void
test_admin_and_poll(void)
{
	struct xnvme_dev *dev = fake_dev(&fake_be), *other = fake_dev(&fake_be);
	struct xnvme_cmd_ctx ctx = {0};
	int err;

	reset_counts();
	xnvme_ctrl_open(dev, &fake_ops, "admin0", NULL);
	xnvme_ctrl_open(other, &fake_ops, "admin0", NULL);
	ctx.dev = dev;
	err = xnvme_ctrl_cmd_admin(&ctx, NULL, 0, NULL, 0);
	CHECK(!err && g_nadmin == 1 && g_npoll == 1 && g_poll_seen_by_admin == 1,
	      "an admin command runs the periodic work first, then the command");
	ctx.dev = other;
	err = xnvme_ctrl_cmd_admin(&ctx, NULL, 0, NULL, 0);
	err |= xnvme_ctrl_poll(dev->ctrl);
	CHECK(!err && g_npoll == 3 && dev->ctrl->npolls == 3,
	      "another namespace's admin commands and explicit polls: one controller's count (%d)",
	      g_npoll);

	/* While a thread is on the admin path, a poll returns at once, without polling */
	pthread_mutex_lock(&dev->ctrl->admin_lock);
	{
		struct poll_arg pa = {.ctrl = dev->ctrl, .res = -1};
		pthread_t thread;

		pthread_create(&thread, NULL, poll_worker, &pa);
		pthread_join(thread, NULL);
		CHECK(!pa.res && g_npoll == 3,
		      "a poll never waits for a busy admin path (%d polls)", g_npoll);
	}
	pthread_mutex_unlock(&dev->ctrl->admin_lock);

	xnvme_ctrl_put(dev->ctrl);
	xnvme_ctrl_put(other->ctrl);
	free(dev), free(other);

	dev = fake_dev(&fake_be);
	xnvme_ctrl_open(dev, NULL, NULL, NULL);
	ctx.dev = dev;
	CHECK(xnvme_ctrl_cmd_admin(&ctx, NULL, 0, NULL, 0) == -ENOSYS &&
		  !xnvme_ctrl_poll(dev->ctrl),
	      "a private controller without ops: admin -ENOSYS, poll nothing to do");
	xnvme_ctrl_put(dev->ctrl);
	free(dev);
}

/* Through the public API: what dev.c and the backends attach */
static void
test_backends(void)
{
	struct xnvme_opts opts = xnvme_opts_default();
	char path[] = "/tmp/test_ctrl.XXXXXX";
	struct xnvme_dev *a, *b, *c, *f;
	struct xnvme_spec_idfy idfy;
	struct xnvme_cmd_ctx ctx;
	int fd, err;

	a = xnvme_dev_open("ramdisk:1MiB,nns=2", NULL);
	opts.nsid = 2;
	b = xnvme_dev_open("ramdisk:1MiB,nns=2", &opts);
	c = xnvme_dev_open("ramdisk:2MiB", NULL);
	CHECK(a && b && c && a->ctrl == b->ctrl && a->ctrl != c->ctrl &&
		  !strcmp(a->ctrl->ops->id, "ramdisk") && a->ctrl->refs == 2,
	      "two namespaces of one ramdisk share its controller, another ramdisk has its own");
	ctx = xnvme_cmd_ctx_from_dev(b);
	err = b ? xnvme_adm_idfy_ctrlr(&ctx, &idfy) : -ENODEV;
	CHECK(!err && idfy.ctrlr.nn == 2,
	      "identify controller through the controller's admin path");
	xnvme_dev_close(a);
	xnvme_dev_close(b);
	xnvme_dev_close(c);

	fd = mkstemp(path);
	if (fd >= 0 && ftruncate(fd, 1 << 20)) {
		fd = -1;
	}
	f = fd >= 0 ? xnvme_dev_open(path, NULL) : NULL;
	CHECK(f && f->ctrl && !f->ctrl->key[0] && f->ctrl->refs == 1,
	      "a file has a private controller (%s)", f ? "" : xnvme_dev_open_err_msg());
	xnvme_dev_close(f);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
}

int
main(void)
{
	test_sharing();
	test_keep();
	test_threads();
	test_admin_and_poll();
	test_backends();
	printf("%s\n", g_nfail ? "FAILED" : "PASSED");
	return g_nfail ? 1 : 0;
}
