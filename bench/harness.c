/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neutral harness of `make bench`: one program, built once against our library and once
 * against upstream xNVMe 0.7.5's prebuilt one (bench/build_upstream.sh), so the two sides run the
 * very same code and differ only in the library behind the xnvme_* calls. It therefore uses only
 * what xNVMe 0.7.5's public headers declare, in the way a plain user of that API would:
 * async commands take a context from the queue, complete through a callback that puts it back,
 * and are reaped by xnvme_queue_poke(); sync commands use a context from xnvme_cmd_ctx_from_dev().
 *
 *   harness URI [--be NAME] (--async IFACE [--qdepth N] | --sync IFACE) [--bs BYTES]
 *               [--runtime SECONDS | --ios COUNT]
 *
 * It reads BYTES (4096) at random aligned offsets of the whole device and prints one JSON line:
 * the library it ran with, I/Os, seconds, IOPS and the process's CPU time over the measured loop
 * (getrusage: user and system), from which CPU per I/O follows. Setup (open, queue, buffers) and
 * teardown are outside the measured interval. Exit 2 on bad options, 1 on a failed command.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <libxnvme.h>

struct job {
	struct xnvme_dev *dev;
	uint32_t nsid;
	uint64_t nblocks; /* of --bs bytes: the random offsets' range */
	uint16_t nlb;     /* NVMe's zero-based count of LBAs per read */
	uint32_t lbas_per_block;
	uint64_t rng;
	char *bufs;
	size_t bs;
	uint32_t *free_slots; /* a stack: each in-flight read owns one buffer slot */
	uint32_t nfree;
	uint64_t completed;
	int failed; /* first error status seen by a callback */
};

struct slot_arg {
	struct job *job;
	uint32_t slot;
};

/* seconds and a fraction of @unit_ns each (1 for a timespec, 1000 for a timeval) in ns */
static uint64_t
to_ns(time_t sec, long frac, uint64_t unit_ns)
{
	return (uint64_t)sec * 1000000000ull + (uint64_t)frac * unit_ns;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	return clock_gettime(CLOCK_MONOTONIC, &ts) ? 0 : to_ns(ts.tv_sec, ts.tv_nsec, 1);
}

/* xorshift64*: a few instructions per offset, the same sequence on both sides */
static uint64_t
next_slba(struct job *job)
{
	job->rng ^= job->rng >> 12;
	job->rng ^= job->rng << 25;
	job->rng ^= job->rng >> 27;
	return ((job->rng * 2685821657736338717ull) % job->nblocks) * job->lbas_per_block;
}

static void
on_complete(struct xnvme_cmd_ctx *ctx, void *opaque)
{
	struct slot_arg *arg = opaque;
	struct job *job = arg->job;

	if (xnvme_cmd_ctx_cpl_status(ctx) && !job->failed) {
		job->failed = -EIO;
	}
	job->free_slots[job->nfree++] = arg->slot;
	job->completed++;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Keeps @qdepth reads in flight until @deadline_ns or @limit completions; 0 or a negative errno */
static int
run_async(struct job *job, uint32_t qdepth, uint64_t deadline_ns, uint64_t limit)
{
	struct xnvme_queue *queue = NULL;
	struct slot_arg *args;
	uint64_t submitted = 0, next_check = 64;
	int err;

	err = xnvme_queue_init(job->dev, (uint16_t)qdepth, 0, &queue);
	if (err) {
		fprintf(stderr, "harness: xnvme_queue_init(qdepth %" PRIu32 "): %s\n", qdepth,
			strerror(-err));
		return err;
	}
	args = calloc(qdepth, sizeof(*args));
	if (!args) {
		xnvme_queue_term(queue);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < qdepth; ++i) {
		args[i] = (struct slot_arg){job, i};
	}
	for (;;) {
		while (job->nfree && (!limit || submitted < limit)) {
			struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);
			uint32_t slot = job->free_slots[--job->nfree];

			if (!ctx) {
				job->nfree++;
				break;
			}
			xnvme_cmd_ctx_set_cb(ctx, on_complete, &args[slot]);
			err = xnvme_nvm_read(ctx, job->nsid, next_slba(job), job->nlb,
					     job->bufs + (size_t)slot * job->bs, NULL);
			if (err == -EBUSY || err == -EAGAIN) {
				/* the queue is full underneath: reap, then try again */
				job->nfree++;
				xnvme_queue_put_cmd_ctx(queue, ctx);
				break;
			}
			if (err) {
				fprintf(stderr, "harness: submit: %s\n", strerror(-err));
				goto out;
			}
			submitted++;
		}
		err = xnvme_queue_poke(queue, 0);
		if (err < 0 && err != -EBUSY && err != -EAGAIN) {
			fprintf(stderr, "harness: poke: %s\n", strerror(-err));
			goto out;
		}
		err = 0;
		if (job->failed || (limit && job->completed >= limit)) {
			break;
		}
		/* the clock is read once per 64 completions, not per I/O */
		if (!limit && job->completed >= next_check) {
			next_check = job->completed + 64;
			if (now_ns() >= deadline_ns) {
				break;
			}
		}
	}
out:
	if (xnvme_queue_drain(queue) < 0 && !err) {
		err = -EIO;
	}
	xnvme_queue_term(queue);
	free(args);
	return err ? err : job->failed;
}

static int
run_sync(struct job *job, uint64_t deadline_ns, uint64_t limit)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(job->dev);

	while (!limit || job->completed < limit) {
		int err =
		    xnvme_nvm_read(&ctx, job->nsid, next_slba(job), job->nlb, job->bufs, NULL);

		if (err || xnvme_cmd_ctx_cpl_status(&ctx)) {
			fprintf(stderr, "harness: sync read: %s\n",
				err ? strerror(-err) : "NVMe status");
			return err ? err : -EIO;
		}
		job->completed++;
		if (!limit && !(job->completed & 63) && now_ns() >= deadline_ns) {
			break;
		}
	}
	return 0;
}

/* Which library this process runs with: the file that defines xnvme_dev_open */
static const char *
library_path(void)
{
	Dl_info info;

	return dladdr((void *)xnvme_dev_open, &info) && info.dli_fname ? info.dli_fname : "?";
}

static int
usage(const char *why)
{
	fprintf(stderr,
		"harness: %s\nusage: harness URI [--be NAME] (--async IFACE [--qdepth N] | --sync "
		"IFACE) [--bs BYTES] [--runtime SECONDS | --ios COUNT]\n",
		why);
	return 2;
}

static int
parse_u64(const char *s, uint64_t max, uint64_t *val)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9') {
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || !v || v > max) {
		return -EINVAL;
	}
	*val = v;
	return 0;
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	const struct xnvme_geo *geo;
	struct job job = {.rng = 0x9e3779b97f4a7c15ull};
	uint64_t qdepth = 0, runtime = 0, ios = 0, bs = 4096, t0, t1;
	struct rusage ru0, ru1;
	const char *uri = NULL;
	int err;

	for (int i = 1; i < argc; ++i) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (a[0] != '-') {
			if (uri) {
				return usage("more than one URI");
			}
			uri = a;
			continue;
		}
		if (!v) {
			return usage("an option without its value");
		}
		++i;
		if (!strcmp(a, "--be")) {
			opts.be = v;
		} else if (!strcmp(a, "--async")) {
			opts.async = v;
		} else if (!strcmp(a, "--sync")) {
			opts.sync = v;
		} else if (!strcmp(a, "--qdepth")) {
			bad = parse_u64(v, 4096, &qdepth);
		} else if (!strcmp(a, "--bs")) {
			bad = parse_u64(v, 1 << 20, &bs);
		} else if (!strcmp(a, "--runtime")) {
			bad = parse_u64(v, 86400, &runtime);
		} else if (!strcmp(a, "--ios")) {
			bad = parse_u64(v, UINT64_MAX, &ios);
		} else {
			return usage("unknown option");
		}
		if (bad) {
			return usage("a value is not a positive number in range");
		}
	}
	if (!uri || !!opts.async == !!opts.sync || !!runtime == !!ios) {
		return usage("need a URI, one of --async/--sync and one of --runtime/--ios");
	}
	if (opts.sync && qdepth > 1) {
		return usage("--sync runs one I/O at a time");
	}
	qdepth = opts.sync ? 1 : (qdepth ? qdepth : 32);

	job.dev = xnvme_dev_open(uri, &opts);
	if (!job.dev) {
		fprintf(stderr, "harness: xnvme_dev_open(%s): %s\n", uri, strerror(errno));
		return 1;
	}
	geo = xnvme_dev_get_geo(job.dev);
	job.bs = bs;
	if (!geo->lba_nbytes || bs % geo->lba_nbytes || geo->tbytes < bs ||
	    bs / geo->lba_nbytes > 65536) {
		fprintf(stderr,
			"harness: --bs %" PRIu64 " does not fit LBAs of %" PRIu32 " bytes\n", bs,
			geo->lba_nbytes);
		xnvme_dev_close(job.dev);
		return 2;
	}
	job.nsid = xnvme_dev_get_nsid(job.dev);
	job.lbas_per_block = (uint32_t)(bs / geo->lba_nbytes);
	job.nlb = (uint16_t)(job.lbas_per_block - 1);
	job.nblocks = geo->tbytes / bs;
	job.bufs = xnvme_buf_alloc(job.dev, bs * qdepth);
	job.free_slots = calloc(qdepth, sizeof(*job.free_slots));
	if (!job.bufs || !job.free_slots) {
		fprintf(stderr, "harness: no memory for %" PRIu64 " buffers\n", qdepth);
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < qdepth; ++i) {
		job.free_slots[job.nfree++] = (uint32_t)(qdepth - 1 - i);
	}

	getrusage(RUSAGE_SELF, &ru0);
	t0 = now_ns();
	if (opts.async) {
		err = run_async(&job, (uint32_t)qdepth, t0 + runtime * 1000000000ull, ios);
	} else {
		err = run_sync(&job, t0 + runtime * 1000000000ull, ios);
	}
	t1 = now_ns();
	getrusage(RUSAGE_SELF, &ru1);
	if (!err && job.completed) {
		uint64_t usr = to_ns(ru1.ru_utime.tv_sec, ru1.ru_utime.tv_usec, 1000) -
			       to_ns(ru0.ru_utime.tv_sec, ru0.ru_utime.tv_usec, 1000);
		uint64_t sys = to_ns(ru1.ru_stime.tv_sec, ru1.ru_stime.tv_usec, 1000) -
			       to_ns(ru0.ru_stime.tv_sec, ru0.ru_stime.tv_usec, 1000);
		double secs = (double)(t1 - t0) / 1e9;

		printf("{\"harness\": {\"lib\": \"%s\", \"uri\": \"%s\", \"iface\": \"%s\", "
		       "\"qdepth\": %" PRIu64 ", \"bs\": %" PRIu64 ", \"ios\": %" PRIu64
		       ", \"seconds\": %.6f, \"iops\": %.1f, \"usr_ns\": %" PRIu64
		       ", \"sys_ns\": %" PRIu64 ", \"cpu_ns_per_io\": %.3f}}\n",
		       library_path(), uri, opts.async ? opts.async : opts.sync, qdepth, bs,
		       job.completed, secs, (double)job.completed / secs, usr, sys,
		       (double)(usr + sys) / (double)job.completed);
	} else if (!err) {
		fprintf(stderr, "harness: no I/O completed\n");
		err = -EIO;
	}
out:
	free(job.free_slots);
	if (job.bufs) {
		xnvme_buf_free(job.dev, job.bufs);
	}
	xnvme_dev_close(job.dev);
	return err ? 1 : 0;
}
