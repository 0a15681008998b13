/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One device handle shared by threads, as include/libxnvme_dev.h allows (issue 17). For each
 * async interface the target offers, NTHREADS threads on one handle each run rounds of:
 * allocate a buffer on the handle, write the thread's own block with a pattern of (thread,
 * round) through the sync interface, read it back sync, make a queue, read it again through the
 * queue, drain, end the queue, free the buffer; every read must hold the pattern. Meanwhile one
 * more thread opens and closes further handles of the same target. Before the device's queue
 * list was under a lock, ending a queue read a neighbour another thread had just freed (ASan:
 * heap-use-after-free) or the list closed on itself and the ending spun forever (the meson
 * timeout fails the test then). The TSan build (make test-tsan) runs it for data races.
 *
 * usage: test_shared_handle TARGET [ASYNC...]   (default: every async interface that can move
 *                                               data on TARGET)
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <libxnvme.h>
#include "check.h"
#include "ifaces.h"

#define NTHREADS 4
#define NROUNDS  150
#define QDEPTH   8

struct worker {
	struct xnvme_dev *dev;
	int id;
	uint32_t nbytes; ///< One logical block
	int nerr;        ///< Rounds that failed; the first failure is described in what
	char what[160];
};

struct opener {
	const char *target;
	struct xnvme_opts opts;
	atomic_int stop;
	int nopen;
	int nerr;
};

static void
fill(uint8_t *buf, uint32_t nbytes, int id, int round)
{
	for (uint32_t i = 0; i < nbytes; ++i) {
		buf[i] = (uint8_t)(id * 31 + round * 7 + i);
	}
}

static int
holds(const uint8_t *buf, uint32_t nbytes, int id, int round)
{
	for (uint32_t i = 0; i < nbytes; ++i) {
		if (buf[i] != (uint8_t)(id * 31 + round * 7 + i)) {
			return 0;
		}
	}
	return 1;
}

/* One round of @p w; 0 or a negative errno with w->what saying which step failed */
static int
one_round(struct worker *w, int round)
{
	struct xnvme_cmd_ctx sctx = xnvme_cmd_ctx_from_dev(w->dev);
	uint32_t nsid = xnvme_dev_get_nsid(w->dev);
	uint64_t slba = (uint64_t)w->id;
	struct check_cpl cpl = {0};
	struct xnvme_queue *queue = NULL;
	struct xnvme_cmd_ctx *ctx;
	const char *step;
	uint8_t *buf;
	int err;

	buf = xnvme_buf_alloc(w->dev, w->nbytes);
	if (!buf) {
		snprintf(w->what, sizeof(w->what), "round %d: buffer: %d", round, -errno);
		return -ENOMEM;
	}
	fill(buf, w->nbytes, w->id, round);
	step = "sync write";
	err = xnvme_nvm_write(&sctx, nsid, slba, 0, buf, NULL);
	if (!err) {
		step = "sync read";
		memset(buf, 0, w->nbytes);
		err = xnvme_nvm_read(&sctx, nsid, slba, 0, buf, NULL);
		err = err ? err : (holds(buf, w->nbytes, w->id, round) ? 0 : -EILSEQ);
	}
	if (!err) {
		step = "queue init";
		err = xnvme_queue_init(w->dev, QDEPTH, 0, &queue);
	}
	if (!err) {
		step = "async read";
		memset(buf, 0, w->nbytes);
		xnvme_queue_set_cb(queue, check_cpl_cb, &cpl);
		ctx = xnvme_queue_get_cmd_ctx(queue);
		err = xnvme_nvm_read(ctx, nsid, slba, 0, buf, NULL);
		if (err) {
			xnvme_queue_put_cmd_ctx(queue, ctx);
		} else {
			err = xnvme_queue_drain(queue);
			err = err < 0 ? err : (cpl.ndone == 1 && !cpl.nerr ? 0 : -EIO);
			err = err ? err : (holds(buf, w->nbytes, w->id, round) ? 0 : -EILSEQ);
		}
		int term = xnvme_queue_term(queue);

		if (!err && term) {
			step = "queue term";
			err = term;
		}
	}
	xnvme_buf_free(w->dev, buf);
	if (err) {
		snprintf(w->what, sizeof(w->what), "round %d: %s: %d", round, step, err);
	}
	return err;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	for (int round = 0; round < NROUNDS; ++round) {
		if (one_round(w, round)) {
			w->nerr++;
		}
	}
	return NULL;
}

static void *
opener_main(void *arg)
{
	struct opener *o = arg;

	/* At least once: on a fast target the workers may be done before this thread first runs */
	do {
		struct xnvme_dev *dev = xnvme_dev_open(o->target, &o->opts);

		if (!dev) {
			o->nerr++;
			break;
		}
		o->nopen++;
		xnvme_dev_close(dev);
	} while (!atomic_load(&o->stop));
	return NULL;
}

static void
run_async(const char *target, const char *async)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct worker workers[NTHREADS] = {0};
	pthread_t threads[NTHREADS], opener_thread;
	struct opener opener = {.target = target};
	struct xnvme_dev *dev;
	int nerr = 0, first = -1;

	opts.nsid = check_target_nsid();
	opts.async = async;
	dev = xnvme_dev_open(target, &opts);
	if (!dev) {
		CHECK(0, "%s: open %s: %s", async, target, xnvme_dev_open_err_msg());
		return;
	}
	opener.opts = opts;
	atomic_init(&opener.stop, 0);
	for (int t = 0; t < NTHREADS; ++t) {
		workers[t] = (struct worker){
		    .dev = dev, .id = t, .nbytes = xnvme_dev_get_geo(dev)->lba_nbytes};
	}
	CHECK(!pthread_create(&opener_thread, NULL, opener_main, &opener), "%s: opener starts",
	      async);
	for (int t = 0; t < NTHREADS; ++t) {
		CHECK(!pthread_create(&threads[t], NULL, worker_main, &workers[t]),
		      "%s: thread %d starts", async, t);
	}
	for (int t = 0; t < NTHREADS; ++t) {
		pthread_join(threads[t], NULL);
		nerr += workers[t].nerr;
		if (workers[t].nerr && first < 0) {
			first = t;
		}
	}
	atomic_store(&opener.stop, 1);
	pthread_join(opener_thread, NULL);

	CHECK(!nerr,
	      "%s: %d threads x %d rounds of buffer, sync write and read, queue init, async read, "
	      "drain, term on one handle: %d failed%s%s",
	      async, NTHREADS, NROUNDS, nerr,
	      first < 0 ? "" : "; first: ", first < 0 ? "" : workers[first].what);
	CHECK(opener.nopen > 0 && !opener.nerr,
	      "%s: meanwhile %d more handles of the target opened and closed, %d failed", async,
	      opener.nopen, opener.nerr);
	int err = one_round(&workers[0], NROUNDS);

	CHECK(!err, "%s: one more round on the handle afterwards%s%s", async, err ? ": " : "",
	      err ? workers[0].what : "");
	xnvme_dev_close(dev);
}

int
main(int argc, char **argv)
{
	struct ifaces list = {0};

	if (argc < 2) {
		fprintf(stderr, "usage: %s TARGET [ASYNC...]\n", argv[0]);
		return 2;
	}
	if (ifaces_for_test(argv[1], argc - 2, argv + 2, 0, &list)) {
		return 1;
	}
	for (int i = 0; i < list.n; ++i) {
		run_async(argv[1], list.item[i].id);
	}
	printf("%s\n", g_nfail ? "FAILED" : "PASS: 0 failed");
	return g_nfail ? 1 : 0;
}
