/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads that make and end queues on one shared device handle (issue 17): each thread, many
 * times over, makes a queue, reads through it, drains and ends it, while the others do the same
 * on the same handle. The device's list of queues must stay whole: without its lock, ending a
 * queue read a neighbour another thread had just freed (ASan: heap-use-after-free) or the list
 * closed on itself and the ending spun forever (the meson timeout fails the test then). At the
 * end one more queue works and the device closes.
 *
 * usage: test_queue_shared [ASYNC]      (default: emu; thrpool gives each queue worker threads)
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <libxnvme.h>
#include "../target/check.h"

#define NTHREADS 4
#define NROUNDS  300
#define QDEPTH   8

struct worker {
	struct xnvme_dev *dev;
	void *buf;
	int nerr; ///< Rounds that failed: the first failure's errno is kept in err
	int err;
};

static int
one_round(struct worker *w)
{
	struct check_cpl cpl = {0};
	struct xnvme_queue *queue = NULL;
	struct xnvme_cmd_ctx *ctx;
	int err;

	err = xnvme_queue_init(w->dev, QDEPTH, 0, &queue);
	if (err) {
		return err;
	}
	xnvme_queue_set_cb(queue, check_cpl_cb, &cpl);
	ctx = xnvme_queue_get_cmd_ctx(queue);
	err = xnvme_nvm_read(ctx, xnvme_dev_get_nsid(w->dev), 0, 0, w->buf, NULL);
	if (err) {
		xnvme_queue_put_cmd_ctx(queue, ctx);
	} else {
		err = xnvme_queue_drain(queue);
		err = err < 0 ? err : (cpl.ndone == 1 && !cpl.nerr ? 0 : -EIO);
	}
	return err ? err : xnvme_queue_term(queue);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < NROUNDS; ++i) {
		int err = one_round(w);

		if (err && !w->nerr++) {
			w->err = err;
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct worker workers[NTHREADS] = {0};
	pthread_t threads[NTHREADS];
	struct xnvme_dev *dev;
	int nerr = 0, err = 0;

	opts.async = argc > 1 ? argv[1] : "emu";
	dev = xnvme_dev_open("ramdisk:8MiB", &opts);
	if (!dev) {
		printf("FAIL: open ramdisk:8MiB with async %s: %s\n", opts.async,
		       xnvme_dev_open_err_msg());
		return 1;
	}
	for (int t = 0; t < NTHREADS; ++t) {
		workers[t].dev = dev;
		workers[t].buf = xnvme_buf_alloc(dev, 4096);
		CHECK(workers[t].buf != NULL, "thread %d: a buffer", t);
	}
	for (int t = 0; t < NTHREADS; ++t) {
		CHECK(!pthread_create(&threads[t], NULL, worker_main, &workers[t]),
		      "thread %d starts", t);
	}
	for (int t = 0; t < NTHREADS; ++t) {
		pthread_join(threads[t], NULL);
		nerr += workers[t].nerr;
		err = err ? err : workers[t].err;
	}
	CHECK(!nerr,
	      "%s: %d threads x %d rounds of queue init, read, drain, term on one handle: %d "
	      "failed (first: %d)",
	      opts.async, NTHREADS, NROUNDS, nerr, err);
	CHECK(!one_round(&workers[0]), "one more queue on the handle afterwards works");

	for (int t = 0; t < NTHREADS; ++t) {
		xnvme_buf_free(dev, workers[t].buf);
	}
	xnvme_dev_close(dev);
	printf("%s\n", g_nfail ? "FAILED" : "PASS: 0 failed");
	return g_nfail ? 1 : 0;
}
