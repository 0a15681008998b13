/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `xnvme-perf`: a benchmark of any backend and interface. Random or sequential reads, writes or a
 * mix, at a block size and queue depth, for a run time or an I/O count, on several threads each
 * with its own device handle and queue. Reports IOPS, bandwidth and latency percentiles from a
 * log-linear histogram (no per-I/O storage), as YAML or JSON.
 *
 * The loop is what the library's users write: get a context, submit, poke; the completion
 * callback records the latency and resubmits on the same context, so a steady state allocates
 * nothing and costs one submit and one reap per I/O.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

/* Latency histogram: 16 linear buckets per power of two of nanoseconds, up to 2^40 ns */
#define PERF_HIST_SUB      16
#define PERF_HIST_NBUCKETS (41 * PERF_HIST_SUB)

struct perf_hist {
	uint64_t count[PERF_HIST_NBUCKETS];
	uint64_t n, sum, min, max;
};

enum perf_rw { PERF_RANDREAD, PERF_RANDWRITE, PERF_RANDRW, PERF_READ, PERF_WRITE };

struct perf_job {
	struct cli_args *args;
	enum perf_rw rw;
	uint32_t bs, qdepth, rwmix;
	uint64_t runtime_ns, ios;
	int sync;
	int lat;       ///< Measure each I/O's latency (two clock reads per I/O)
	int spin;      ///< Poke without ever sleeping in xnvme_queue_wait
	uint32_t reap; ///< Completions per poke at most (0: all ready)
	uint32_t
	    batch; ///< Submissions per poke or wait at most (0: every refill, from the callback)
};

struct perf_thread;

/* One slot per queue entry: the context it uses and when its I/O was submitted */
struct perf_slot {
	struct perf_thread *t;
	uint8_t *buf;
	uint64_t t_submit;
	struct xnvme_cmd_ctx *ctx; ///< --batch: the context, while the slot waits to be submitted
};

struct perf_thread {
	const struct perf_job *job;
	int idx;
	pthread_t tid;
	struct xnvme_dev *dev;
	struct xnvme_queue *queue;
	struct perf_slot *slots;
	struct perf_slot **idle; ///< --batch: slots whose I/O completed, to be submitted again
	uint32_t nidle;
	uint32_t nsid;
	uint64_t nblocks; ///< bs-sized blocks on the device
	uint16_t nlb;     ///< per I/O, zero-based
	uint64_t lba_per_block;
	uint64_t rng;      ///< xorshift64 state
	uint64_t next_seq; ///< the next block of a sequential pattern
	uint64_t nsubmitted, ncompleted, nwrites, nerrors; ///< reads: submitted - writes
	uint64_t t_end;                                    ///< stop submitting at this time
	uint32_t credit;      ///< I/Os that may start before the stop conditions are checked again
	uint32_t check_every; ///< what credit is refilled to (adapts to the I/O rate)
	uint64_t t_check;     ///< when the stop conditions were last checked
	int lat;              ///< job->lat, on the line the hot path reads anyway
	int stop;
	int err;
	const char *err_step; ///< what failed, when it was not the I/O itself (for the message)
	struct perf_hist hist;
};

static uint64_t
perf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned
perf_hist_idx(uint64_t ns)
{
	unsigned msb, sub;

	if (ns < PERF_HIST_SUB) {
		return (unsigned)ns;
	}
	msb = 63u - (unsigned)__builtin_clzll(ns);
	sub = (unsigned)(ns >> (msb - 4)) & (PERF_HIST_SUB - 1);
	msb = msb > 40 ? 40 : msb;
	return (msb - 3) * PERF_HIST_SUB + sub;
}

/* The smallest latency of bucket @p idx: the inverse of perf_hist_idx() */
static uint64_t
perf_hist_value(unsigned idx)
{
	unsigned msb = idx / PERF_HIST_SUB + 3, sub = idx % PERF_HIST_SUB;

	if (idx < PERF_HIST_SUB) {
		return idx;
	}
	return ((uint64_t)(PERF_HIST_SUB + sub)) << (msb - 4);
}

static void
perf_hist_add(struct perf_hist *h, uint64_t ns)
{
	h->count[perf_hist_idx(ns)]++;
	h->n++;
	h->sum += ns;
	h->min = h->n == 1 || ns < h->min ? ns : h->min;
	h->max = ns > h->max ? ns : h->max;
}

static void
perf_hist_merge(struct perf_hist *dst, const struct perf_hist *src)
{
	for (unsigned i = 0; i < PERF_HIST_NBUCKETS; ++i) {
		dst->count[i] += src->count[i];
	}
	if (src->n && (!dst->n || src->min < dst->min)) {
		dst->min = src->min;
	}
	dst->max = src->max > dst->max ? src->max : dst->max;
	dst->n += src->n;
	dst->sum += src->sum;
}

/*
 * The latency below which @p pct percent of the I/Os completed: the middle of its bucket (within
 * 1/32 of the true value), kept between the smallest and largest latency seen
 */
static uint64_t
perf_hist_pct(const struct perf_hist *h, double pct)
{
	uint64_t want = (uint64_t)((double)h->n * pct / 100.0), seen = 0;

	for (unsigned i = 0; i < PERF_HIST_NBUCKETS; ++i) {
		seen += h->count[i];
		if (seen > want) {
			uint64_t lo = perf_hist_value(i), hi = perf_hist_value(i + 1);
			uint64_t mid = lo + (hi - lo) / 2;

			return mid < h->min ? h->min : mid > h->max ? h->max : mid;
		}
	}
	return h->max;
}

static uint64_t
perf_rand(struct perf_thread *t)
{
	t->rng ^= t->rng << 13;
	t->rng ^= t->rng >> 7;
	t->rng ^= t->rng << 17;
	return t->rng;
}

/* A random number below @p n: the high half of a 64x64 multiply, not a 64-bit division (tens of
 * cycles per I/O on some CPUs); as uniform as the modulo for any n far below 2^64 */
static uint64_t
perf_rand_below(struct perf_thread *t, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)perf_rand(t) * n) >> 64);
}

/* Picks the next I/O: its block and direction */
static inline __attribute__((always_inline)) void
perf_next(struct perf_thread *t, uint64_t *block, int *write)
{
	const struct perf_job *job = t->job;

	switch (job->rw) {
	case PERF_READ:
	case PERF_WRITE:
		*block = t->next_seq++ % t->nblocks;
		*write = job->rw == PERF_WRITE;
		return;
	default:
		*block = perf_rand_below(t, t->nblocks);
		*write = job->rw == PERF_RANDWRITE ||
			 (job->rw == PERF_RANDRW && perf_rand_below(t, 100) >= job->rwmix);
	}
}

/* Inlined into the completion callback: a call and a second prologue per I/O less */
static inline __attribute__((always_inline)) int
perf_submit(struct perf_thread *t, struct xnvme_cmd_ctx *ctx, struct perf_slot *slot)
{
	uint64_t block;
	int write, err;

	perf_next(t, &block, &write);
	slot->t_submit = t->lat ? perf_now() : 0;
	err = write
		  ? xnvme_nvm_write(ctx, t->nsid, block * t->lba_per_block, t->nlb, slot->buf, NULL)
		  : xnvme_nvm_read(ctx, t->nsid, block * t->lba_per_block, t->nlb, slot->buf, NULL);
	if (!err) {
		t->nsubmitted++;
		t->nwrites += (unsigned)write;
	}
	return err;
}

/* Checks the stop conditions less often as the I/O rate allows: from every I/O up to every
 * PERF_CHECK_MAX, while a check interval stays under PERF_CHECK_NS, so a run ends at most about
 * that late even on a slow device, and a fast one reads the clock rarely */
#define PERF_CHECK_MAX 256U
#define PERF_CHECK_NS  200000ULL

static int
perf_check(struct perf_thread *t)
{
	uint64_t left = UINT64_MAX, now;

	if (t->stop) {
		return 0;
	}
	if (t->job->ios) {
		left = t->job->ios - t->nsubmitted;
		if (!left) {
			return 0;
		}
	}
	if (t->job->runtime_ns) {
		now = perf_now();
		if (now >= t->t_end) {
			t->stop = 1;
			return 0;
		}
		if (now - t->t_check < PERF_CHECK_NS && t->check_every < PERF_CHECK_MAX) {
			t->check_every <<= 1;
		} else if (now - t->t_check >= 2 * PERF_CHECK_NS && t->check_every > 1) {
			t->check_every >>= 1;
		}
		t->t_check = now;
	} else {
		t->check_every = PERF_CHECK_MAX;
	}
	/* This I/O is one of them */
	t->credit = (uint32_t)((left < t->check_every ? left : t->check_every) - 1);
	return 1;
}

/* Whether another I/O may start */
static inline int
perf_more(struct perf_thread *t)
{
	if (t->credit) {
		t->credit--;
		return 1;
	}
	return perf_check(t);
}

/* --batch: @p slot waits, with its context, for the loop to submit it */
static void
perf_park(struct perf_thread *t, struct perf_slot *slot, struct xnvme_cmd_ctx *ctx)
{
	slot->ctx = ctx;
	t->idle[t->nidle++] = slot;
}

/* Ends the run: no more I/O starts */
static void
perf_stop(struct perf_thread *t)
{
	t->stop = 1;
	t->credit = 0;
}

static void
perf_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct perf_slot *slot = cb_arg;
	struct perf_thread *t = slot->t;

	if (t->lat) {
		perf_hist_add(&t->hist, perf_now() - slot->t_submit);
	}
	t->ncompleted++;
	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		t->nerrors++;
		perf_stop(t);
	}
	/* --batch: the loop submits it, with at most batch - 1 others */
	if (t->job->batch) {
		perf_park(t, slot, ctx);
		return;
	}
	/* The same context carries the next I/O: no put and get per I/O */
	if (perf_more(t) && !perf_submit(t, ctx, slot)) {
		return;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* --batch: the idle slots' contexts go back to the queue */
static void
perf_put_idle(struct perf_thread *t)
{
	while (t->nidle) {
		xnvme_queue_put_cmd_ctx(t->queue, t->idle[--t->nidle]->ctx);
	}
}

/*
 * --batch: submits at most job->batch of the idle slots (their contexts kept) before the loop
 * pokes or waits, which hands them to the device together. When no more I/O may start, the
 * idle contexts go back to the queue.
 */
static int
perf_submit_batch(struct perf_thread *t)
{
	for (uint32_t n = 0; n < t->job->batch && t->nidle; ++n) {
		struct perf_slot *slot = t->idle[t->nidle - 1];
		int err;

		if (!perf_more(t)) {
			perf_put_idle(t); /* the run is over */
			return 0;
		}
		err = perf_submit(t, slot->ctx, slot);
		if (err) {
			return err;
		}
		t->nidle--;
	}
	return 0;
}

static int
perf_run_async(struct perf_thread *t)
{
	uint32_t cap = 1;
	int err;

	while (cap < t->job->qdepth) {
		cap <<= 1;
	}
	err = xnvme_queue_init(
	    t->dev, cap,
	    (t->job->args->given & CLI_OPT(CLI_OPT_POLL) ? XNVME_QUEUE_IOPOLL : 0) |
		(t->job->args->given & CLI_OPT(CLI_OPT_SQPOLL) ? XNVME_QUEUE_SQPOLL : 0),
	    &t->queue);
	if (err) {
		t->err_step = "cannot make its queue";
		return err;
	}
	for (uint32_t i = 0; i < t->job->qdepth && (t->job->batch || perf_more(t)); ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(t->queue);

		xnvme_cmd_ctx_set_cb(ctx, perf_cb, &t->slots[i]);
		if (t->job->batch) {
			perf_park(t, &t->slots[i], ctx);
			continue;
		}
		err = perf_submit(t, ctx, &t->slots[i]);
		if (err) {
			xnvme_queue_put_cmd_ctx(t->queue, ctx);
			break;
		}
	}
	while (!err) {
		int n = 0;

		if (t->job->batch) {
			err = perf_submit_batch(t);
			if (err) {
				break;
			}
		}
		if (t->ncompleted >= t->nsubmitted) {
			break;
		}
		/* Without --spin the loop waits: xnvme_queue_wait reaps what is ready, submits the
		 * refills and sleeps in the kernel only when nothing is ready (as t/io_uring does),
		 * so the CPU is free for whatever completes the I/O. --reap N pokes first, at most
		 * N at a time; --spin only pokes, never sleeping */
		if (t->job->spin || t->job->reap) {
			n = xnvme_queue_poke(t->queue, t->job->reap);
		}
		if (!n && !t->job->spin) {
			n = xnvme_queue_wait(t->queue);
		}
		if (n < 0) {
			err = n;
		}
	}
	perf_put_idle(t);
	xnvme_queue_drain(t->queue);
	xnvme_queue_term(t->queue);
	t->queue = NULL;
	return err;
}

static int
perf_run_sync(struct perf_thread *t)
{
	/* One context for every I/O: the pass functions reset its command and completion */
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(t->dev);

	while (perf_more(t)) {
		int err = perf_submit(t, &ctx, &t->slots[0]);

		if (err) {
			return err;
		}
		if (t->lat) {
			perf_hist_add(&t->hist, perf_now() - t->slots[0].t_submit);
		}
		t->ncompleted++;
	}
	return 0;
}

static void *
perf_thread_main(void *arg)
{
	struct perf_thread *t = arg;

	t->t_check = perf_now();
	t->t_end = t->t_check + t->job->runtime_ns;
	t->check_every = 1;
	t->err = t->job->sync ? perf_run_sync(t) : perf_run_async(t);
	return NULL;
}

/* Opens the thread's device and buffers; the job's checks against the device come first */
static int
perf_thread_setup(struct perf_thread *t, const struct perf_job *job, int idx)
{
	struct xnvme_opts opts = job->args->opts;
	const struct xnvme_geo *geo;

	t->job = job;
	t->lat = job->lat;
	t->idx = idx;
	t->rng = 0x9E3779B97F4A7C15ull * (uint64_t)(idx + 1);
	opts.register_files = opts.register_buffers =
	    (job->args->given & CLI_OPT(CLI_OPT_REGISTER)) != 0;
	opts.poll_io = (job->args->given & CLI_OPT(CLI_OPT_POLL)) != 0;
	opts.poll_sq = (job->args->given & CLI_OPT(CLI_OPT_SQPOLL)) != 0;
	t->dev = xnvme_dev_open(job->args->uri, &opts);
	if (!t->dev) {
		cli_error("cannot open '%s': %s (%s)", job->args->uri, strerror(errno),
			  xnvme_dev_open_err_msg());
		return -1;
	}
	geo = xnvme_dev_get_geo(t->dev);
	t->nsid = xnvme_dev_get_nsid(t->dev);
	if (job->bs % geo->lba_nbytes || job->bs > geo->mdts_nbytes) {
		cli_error("--bs %u: not a multiple of the LBA size (%u) or above MDTS (%llu)",
			  job->bs, geo->lba_nbytes, (unsigned long long)geo->mdts_nbytes);
		return -1;
	}
	t->lba_per_block = job->bs / geo->lba_nbytes;
	t->nlb = (uint16_t)(t->lba_per_block - 1);
	t->nblocks = geo->tbytes / geo->lba_nbytes / t->lba_per_block;
	if (t->nblocks < 1) {
		cli_error("the device (%llu bytes) is smaller than one block of --bs %u",
			  (unsigned long long)geo->tbytes, job->bs);
		return -1;
	}
	t->next_seq = (uint64_t)idx * (t->nblocks / job->args->num[CLI_OPT_THREADS]);
	t->slots = calloc(job->qdepth, sizeof(*t->slots));
	t->idle = job->batch ? calloc(job->qdepth, sizeof(*t->idle)) : NULL;
	if (!t->slots || (job->batch && !t->idle)) {
		cli_error("cannot allocate: %s", strerror(ENOMEM));
		return -1;
	}
	for (uint32_t i = 0; i < job->qdepth; ++i) {
		t->slots[i].t = t;
		t->slots[i].buf = xnvme_buf_alloc(t->dev, job->bs);
		if (!t->slots[i].buf) {
			cli_error("cannot allocate an I/O buffer: %s", strerror(errno));
			return -1;
		}
		memset(t->slots[i].buf, 0x5A ^ (int)i, job->bs);
	}
	return 0;
}

static void
perf_thread_teardown(struct perf_thread *t)
{
	for (uint32_t i = 0; t->slots && i < t->job->qdepth; ++i) {
		xnvme_buf_free(t->dev, t->slots[i].buf);
	}
	free(t->slots);
	free(t->idle);
	xnvme_dev_close(t->dev);
}

static int
perf_parse_rw(const char *rw, enum perf_rw *out)
{
	static const char *const names[] = {"randread", "randwrite", "randrw", "read", "write"};

	for (int i = 0; i < 5; ++i) {
		if (!strcmp(rw, names[i])) {
			*out = (enum perf_rw)i;
			return 0;
		}
	}
	return -EINVAL;
}

static void
perf_report(const struct perf_job *job, struct perf_thread *threads, uint32_t nthreads,
	    uint64_t elapsed_ns)
{
	struct perf_hist all = {0};
	uint64_t nios = 0, nreads = 0, nwrites = 0;
	double secs = (double)elapsed_ns / 1e9;
	const struct xnvme_opts *opts = xnvme_dev_get_opts(threads[0].dev);

	for (uint32_t i = 0; i < nthreads; ++i) {
		perf_hist_merge(&all, &threads[i].hist);
		nios += threads[i].ncompleted;
		nreads += threads[i].nsubmitted - threads[i].nwrites;
		nwrites += threads[i].nwrites;
	}
	printf("xnvme_perf:\n  uri: ");
	cli_yaml_str(stdout, job->args->uri);
	printf("\n  be: ");
	cli_yaml_str(stdout, opts->be);
	printf("\n  iface: ");
	cli_yaml_str(stdout, job->sync ? opts->sync : opts->async);
	printf("\n  mode: %s\n  rw: %s\n  bs: %u\n  qdepth: %u\n  threads: %u\n",
	       job->sync ? "sync" : "async", job->args->str[CLI_OPT_RW], job->bs, job->qdepth,
	       nthreads);
	printf("  seconds: %.3f\n  ios: %" PRIu64 "\n  reads: %" PRIu64 "\n  writes: %" PRIu64
	       "\n  iops: %.0f\n  mib_per_s: %.1f\n",
	       secs, nios, nreads, nwrites, secs > 0 ? (double)nios / secs : 0.0,
	       secs > 0 ? (double)nios * job->bs / secs / (1 << 20) : 0.0);
	if (!job->lat) {
		printf("  lat_ns: ~\n");
		return;
	}
	printf("  lat_ns: {min: %" PRIu64 ", mean: %" PRIu64 ", p50: %" PRIu64 ", p99: %" PRIu64
	       ", p99_9: %" PRIu64 ", max: %" PRIu64 "}\n",
	       all.min, all.n ? all.sum / all.n : 0, perf_hist_pct(&all, 50.0),
	       perf_hist_pct(&all, 99.0), perf_hist_pct(&all, 99.9), all.max);
}

static int
cmd_run(struct cli_args *args)
{
	struct perf_job job = {.args = args};
	uint32_t nthreads = (uint32_t)cli_num(args, CLI_OPT_THREADS, 1);
	struct perf_thread *threads;
	uint64_t t0, elapsed, nerrors = 0;
	int rc = CLI_EXIT_OK;

	if (!args->str[CLI_OPT_RW]) {
		args->str[CLI_OPT_RW] = "randread";
	}
	if (perf_parse_rw(args->str[CLI_OPT_RW], &job.rw)) {
		return cli_usage("--rw '%s': one of randread, randwrite, randrw, read, write",
				 args->str[CLI_OPT_RW]);
	}
	if (cli_given(args, CLI_OPT_RWMIX) && job.rw != PERF_RANDRW) {
		return cli_usage("--rwmix goes with --rw randrw");
	}
	job.sync = cli_given(args, CLI_OPT_SYNC) && !cli_given(args, CLI_OPT_ASYNC);
	job.lat = !cli_given(args, CLI_OPT_NO_LAT);
	job.spin = cli_given(args, CLI_OPT_SPIN);
	job.reap = (uint32_t)cli_num(args, CLI_OPT_REAP, 0);
	job.batch = (uint32_t)cli_num(args, CLI_OPT_BATCH, 0);
	job.bs = (uint32_t)cli_num(args, CLI_OPT_BS, 4096);
	job.qdepth = (uint32_t)cli_num(args, CLI_OPT_QDEPTH, job.sync ? 1 : 32);
	job.rwmix = (uint32_t)cli_num(args, CLI_OPT_RWMIX, 50);
	job.ios = cli_num(args, CLI_OPT_IOS, 0);
	job.runtime_ns = cli_given(args, CLI_OPT_RUNTIME) || !job.ios
			     ? cli_num(args, CLI_OPT_RUNTIME, 10) * 1000000000ull
			     : 0;
	if (job.sync && job.qdepth != 1) {
		return cli_usage(
		    "--qdepth %u: the sync interface has one I/O in flight (give --async "
		    "for a queue)",
		    job.qdepth);
	}
	if (job.batch && job.sync) {
		return cli_usage("--batch goes with an async interface (--async)");
	}
	if (job.batch > job.qdepth) {
		return cli_usage("--batch %u: above --qdepth %u", job.batch, job.qdepth);
	}
	args->num[CLI_OPT_THREADS] = nthreads;
	threads = calloc(nthreads, sizeof(*threads));
	if (!threads) {
		cli_error("cannot allocate: %s", strerror(ENOMEM));
		return CLI_EXIT_FAIL;
	}
	/* Every thread's device is opened and checked before any I/O */
	for (uint32_t i = 0; i < nthreads && rc == CLI_EXIT_OK; ++i) {
		if (perf_thread_setup(&threads[i], &job, (int)i)) {
			rc = CLI_EXIT_FAIL;
		}
	}
	if (rc == CLI_EXIT_OK) {
		t0 = perf_now();
		for (uint32_t i = 0; i < nthreads; ++i) {
			pthread_create(&threads[i].tid, NULL, perf_thread_main, &threads[i]);
		}
		for (uint32_t i = 0; i < nthreads; ++i) {
			pthread_join(threads[i].tid, NULL);
		}
		elapsed = perf_now() - t0;
		for (uint32_t i = 0; i < nthreads; ++i) {
			nerrors += threads[i].nerrors;
			if (threads[i].err && rc == CLI_EXIT_OK) {
				cli_error("thread %u: %s%s%s", i,
					  threads[i].err_step ? threads[i].err_step : "",
					  threads[i].err_step ? ": " : "",
					  strerror(-threads[i].err));
				rc = CLI_EXIT_FAIL;
			}
		}
		if (nerrors && rc == CLI_EXIT_OK) {
			cli_error("%llu I/Os failed on the device", (unsigned long long)nerrors);
			rc = CLI_EXIT_FAIL;
		}
		if (rc == CLI_EXIT_OK) {
			perf_report(&job, threads, nthreads, elapsed);
		}
	}
	for (uint32_t i = 0; i < nthreads; ++i) {
		perf_thread_teardown(&threads[i]);
	}
	free(threads);
	return rc;
}

#define PERF_OPTS                                                                                  \
	(CLI_OPT(CLI_OPT_OUTPUT) | CLI_OPTS_DEV | CLI_OPT(CLI_OPT_RW) | CLI_OPT(CLI_OPT_BS) |      \
	 CLI_OPT(CLI_OPT_QDEPTH) | CLI_OPT(CLI_OPT_RUNTIME) | CLI_OPT(CLI_OPT_IOS) |               \
	 CLI_OPT(CLI_OPT_THREADS) | CLI_OPT(CLI_OPT_RWMIX) | CLI_OPT(CLI_OPT_REGISTER) |           \
	 CLI_OPT(CLI_OPT_POLL) | CLI_OPT(CLI_OPT_SQPOLL) | CLI_OPT(CLI_OPT_NO_LAT) |               \
	 CLI_OPT(CLI_OPT_SPIN) | CLI_OPT(CLI_OPT_REAP) | CLI_OPT(CLI_OPT_BATCH))

static const struct cli_cmd g_cmds[] = {
    {"run", "run the workload: --rw, --bs, --qdepth, --runtime or --ios, --threads", cmd_run,
     PERF_OPTS, 1},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "xnvme-perf",
	    .descr = "Benchmark any backend and interface: IOPS, bandwidth, latency percentiles.\n"
		     "Defaults: --rw randread, --bs 4096, --qdepth 32 (1 with --sync and no "
		     "--async),\n--runtime 10 unless --ios is given, --threads 1.",
	    .cmds = g_cmds,
	    .ncmds = sizeof(g_cmds) / sizeof(g_cmds[0]),
	};

	return cli_main(&tool, argc, argv);
}
