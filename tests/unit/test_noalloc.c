/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * No allocation in steady state: after a warm-up, thousands of reads and writes through a queue
 * (the completion callback resubmitting on the same context, as a benchmark or a server does)
 * call malloc, calloc, realloc, free and the aligned allocators zero times, in any thread.
 *
 * The program defines the allocator entry points itself: ELF interposition sends the library's
 * calls (and libc's own, and its threads') here, and glibc's __libc_* functions do the work.
 * usage: test_noalloc DIR [IFACE ...]  (a 64 MiB file is made in DIR; default: every async
 * interface of the build that is meant to be allocation-free; "io_uring+fixed" is io_uring with
 * registered file and buffers)
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxnvme.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_memalign(size_t align, size_t size);

static atomic_int g_counting;
static atomic_ulong g_nallocs;

static inline void
count(void)
{
	if (atomic_load_explicit(&g_counting, memory_order_relaxed)) {
		atomic_fetch_add_explicit(&g_nallocs, 1, memory_order_relaxed);
	}
}

void *
malloc(size_t size)
{
	count();
	return __libc_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
	count();
	return __libc_calloc(n, size);
}

void *
realloc(void *ptr, size_t size)
{
	count();
	return __libc_realloc(ptr, size);
}

void
free(void *ptr)
{
	if (ptr) {
		count();
	}
	__libc_free(ptr);
}

int
posix_memalign(void **ptr, size_t align, size_t size)
{
	void *p;

	count();
	p = __libc_memalign(align, size);
	if (!p) {
		return ENOMEM;
	}
	*ptr = p;
	return 0;
}

void *
aligned_alloc(size_t align, size_t size)
{
	count();
	return __libc_memalign(align, size);
}

void *
memalign(size_t align, size_t size)
{
	count();
	return __libc_memalign(align, size);
}

#define NA_QD     32
#define NA_BS     4096
#define NA_WARMUP 2000
#define NA_STEADY 20000

struct na_run {
	uint64_t nsubmitted, ncompleted, limit;
	uint64_t nblocks;
	uint32_t nsid;
	uint16_t nlb;
	int failed;
	uint8_t *bufs[NA_QD];
};

static int
na_submit(struct na_run *run, struct xnvme_cmd_ctx *ctx, int slot)
{
	uint64_t lba = (run->nsubmitted * 7919) % run->nblocks * (run->nlb + 1u);
	int err = run->nsubmitted & 1
		      ? xnvme_nvm_write(ctx, run->nsid, lba, run->nlb, run->bufs[slot], NULL)
		      : xnvme_nvm_read(ctx, run->nsid, lba, run->nlb, run->bufs[slot], NULL);

	run->nsubmitted += !err;
	return err;
}

static void
na_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct na_run *run = *(struct na_run **)cb_arg;

	run->ncompleted++;
	run->failed |= xnvme_cmd_ctx_cpl_status(ctx);
	/* The next I/O on the same context (its data lands in one shared buffer: only counts) */
	if (run->nsubmitted < run->limit && !na_submit(run, ctx, 0)) {
		return;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Runs @p n more I/Os at queue depth NA_QD; returns 0 when all completed without error */
static int
na_phase(struct xnvme_queue *queue, struct na_run *run, struct na_run **cb_arg, uint64_t n)
{
	run->limit = run->nsubmitted + n;
	for (int i = 0; i < NA_QD && run->nsubmitted < run->limit; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);

		if (!ctx) {
			return -EBUSY;
		}
		xnvme_cmd_ctx_set_cb(ctx, na_cb, cb_arg);
		if (na_submit(run, ctx, i)) {
			return -EIO;
		}
	}
	while (run->ncompleted < run->nsubmitted) {
		if (xnvme_queue_poke(queue, 0) < 0) {
			return -EIO;
		}
	}
	return run->failed ? -EIO : 0;
}

static int g_nfail;

static void
na_test(const char *uri, const char *iface)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_queue *queue = NULL;
	struct na_run run = {0}, *cb_arg = &run;
	struct xnvme_dev *dev;
	unsigned long nallocs;
	int err;

	opts.nsid = 0;
	opts.async = iface;
	if (!strcmp(iface, "io_uring+fixed")) {
		/* registered buffers: the arena lookup is on every command's path */
		opts.async = "io_uring";
		opts.register_buffers = 1;
		opts.register_files = 1;
	}
	dev = xnvme_dev_open(uri, &opts);
	if (!dev || xnvme_queue_init(dev, NA_QD, 0, &queue)) {
		printf("FAIL: %s on %s: open and queue: %s\n", iface, uri, strerror(errno));
		g_nfail++;
		xnvme_dev_close(dev);
		return;
	}
	run.nsid = xnvme_dev_get_nsid(dev);
	run.nlb = (uint16_t)(NA_BS / xnvme_dev_get_geo(dev)->lba_nbytes - 1);
	run.nblocks = xnvme_dev_get_geo(dev)->tbytes / NA_BS;
	for (int i = 0; i < NA_QD; ++i) {
		run.bufs[i] = xnvme_buf_alloc(dev, NA_BS);
		memset(run.bufs[i], i, NA_BS);
	}
	err = na_phase(queue, &run, &cb_arg, NA_WARMUP);
	atomic_store(&g_nallocs, 0);
	atomic_store(&g_counting, 1);
	err = err ? err : na_phase(queue, &run, &cb_arg, NA_STEADY);
	atomic_store(&g_counting, 0);
	nallocs = atomic_load(&g_nallocs);
	printf("%s: %s on %s: %d I/Os in steady state, %lu allocator calls\n",
	       !err && !nallocs ? "PASS" : "FAIL", iface, uri, NA_STEADY, nallocs);
	g_nfail += err || nallocs;
	for (int i = 0; i < NA_QD; ++i) {
		xnvme_buf_free(dev, run.bufs[i]);
	}
	xnvme_queue_term(queue);
	xnvme_dev_close(dev);
}

int
main(int argc, char **argv)
{
	const char *dflt[] = {"emu", "thrpool", "posix", "io_uring", "io_uring+fixed", "libaio"};
	const char **ifaces = dflt;
	int n = (int)(sizeof(dflt) / sizeof(dflt[0]));
	char path[4096];
	FILE *fp;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [IFACE ...]\n", argv[0]);
		return 2;
	}
	if (argc > 2) {
		ifaces = (const char **)&argv[2];
		n = argc - 2;
	}
	snprintf(path, sizeof(path), "%s/noalloc-%d.img", argv[1], (int)getpid());
	fp = fopen(path, "w");
	if (!fp || ftruncate(fileno(fp), 64 << 20)) {
		printf("FAIL: cannot make %s\n", path);
		return 1;
	}
	fclose(fp);
	/* The counter sees what the library allocates, or a zero below would prove nothing */
	{
		struct xnvme_dev *dev = xnvme_dev_open("ramdisk:1MiB", NULL);
		void *buf;

		atomic_store(&g_nallocs, 0);
		atomic_store(&g_counting, 1);
		buf = dev ? xnvme_buf_alloc(dev, 4096) : NULL;
		atomic_store(&g_counting, 0);
		printf("%s: the counter sees the library's allocation (%lu calls)\n",
		       buf && atomic_load(&g_nallocs) ? "PASS" : "FAIL", atomic_load(&g_nallocs));
		g_nfail += !buf || !atomic_load(&g_nallocs);
		xnvme_buf_free(dev, buf);
		xnvme_dev_close(dev);
	}
	for (int i = 0; i < n; ++i) {
		na_test(path, ifaces[i]);
	}
	na_test("ramdisk:64MiB", "emu");
	na_test("ramdisk:64MiB,nil=1", "nil");
	unlink(path);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
