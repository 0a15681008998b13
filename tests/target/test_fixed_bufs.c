/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Registered (fixed) buffers: opts.register_buffers binds the mem interface "arena", io_uring
 * queues register its regions, and reads and writes from arena buffers go as fixed-buffer
 * operations. Checked here:
 * - the arena is in effect, its buffers are page aligned, freed pages are reused, realloc keeps
 *   the content, a pointer that is not the arena's is refused (realloc) or left alone (free);
 * - the regions are pinned (VmPin of /proc/self/status grows by at least what was registered)
 *   and released when the queues and the device are gone;
 * - data written from arena buffers through one queue (regions added before and after the queue
 *   existed, interior pointers of a large buffer, a vectored write that cannot be fixed) reads
 *   back identical through a second queue and through an independent pread of the target;
 * - libaio and psync on an arena device move the same bytes (the memory is only memory to them).
 * usage: test_fixed_bufs DEV [ASYNC [BLOCK_DEV]]
 *   ASYNC: io_uring (default) or io_uring_cmd; BLOCK_DEV: the same namespace as a file or block
 *   device, for the independent read and for libaio (default DEV; give it when DEV is /dev/ngXnY)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libxnvme.h>
#include "check.h"

#define FB_NBUFS      32
#define FB_BUF_NBYTES (64U << 10) /* 32 of them fill the arena's first 2 MiB region */
#define FB_BIG_NBYTES (3U << 20)  /* does not fit there: a second region */
#define FB_NBYTES     (FB_NBUFS * FB_BUF_NBYTES) /* the first half of the data: from the small ones */

/* Pinned memory of this process in KiB (VmPin), or -1 */
static long
fb_vmpin_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f) {
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmPin: %ld kB", &kib) == 1) {
			break;
		}
	}
	fclose(f);
	return kib;
}

/* Reads or writes nbytes at byte offset off from buf, in commands of at most chunk bytes */
static int
fb_xfer(struct xnvme_dev *dev, struct xnvme_queue *queue, int write, uint64_t off, uint8_t *buf,
	size_t nbytes, size_t chunk)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	struct check_cpl state = {0};
	int err = 0;

	xnvme_queue_set_cb(queue, check_cpl_cb, &state);
	for (size_t done = 0; done < nbytes && !err; done += chunk) {
		struct xnvme_cmd_ctx *ctx;
		size_t n = XNVME_MIN_U64(chunk, nbytes - done);

		while (!(ctx = xnvme_queue_get_cmd_ctx(queue))) {
			xnvme_queue_poke(queue, 0);
		}
		xnvme_prep_nvm(ctx, write ? XNVME_SPEC_NVM_OPC_WRITE : XNVME_SPEC_NVM_OPC_READ,
			       xnvme_dev_get_nsid(dev), (off + done) / geo->lba_nbytes,
			       (uint16_t)(n / geo->lba_nbytes - 1));
		/* One context more than the queue takes: -EBUSY until a poke */
		do {
			err = xnvme_cmd_pass(ctx, buf + done, n, NULL, 0);
		} while (err == -EBUSY && xnvme_queue_poke(queue, 0) >= 0);
		if (err) {
			xnvme_queue_put_cmd_ctx(queue, ctx);
		}
	}
	if (xnvme_queue_drain(queue) < 0 && !err) {
		err = -ETIMEDOUT;
	}
	return err ? err : state.nerr ? -EIO : 0;
}

static struct xnvme_dev *
fb_open(const char *uri, const char *async, int register_buffers)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	opts.nsid = check_target_nsid();
	opts.direct = 1; /* where fixed buffers matter: the device reads the pinned pages */
	opts.async = async;
	opts.register_buffers = (uint8_t)register_buffers;
	dev = xnvme_dev_open(uri, &opts);
	if (!dev) {
		printf("FAIL: open %s with %s: %s (%s)\n", uri, async, strerror(errno),
		       xnvme_dev_open_err_msg());
		g_nfail++;
	}
	return dev;
}

/* The arena's own promises: alignment, reuse, realloc, foreign pointers */
static void
fb_check_allocator(struct xnvme_dev *dev)
{
	uint8_t *a = xnvme_buf_alloc(dev, 1), *b, *c, *r, *foreign;
	long pagesize = sysconf(_SC_PAGESIZE);

	CHECK(a && !((uintptr_t)a % (uintptr_t)pagesize), "a 1-byte buffer is page aligned (%p)",
	      (void *)a);
	b = xnvme_buf_alloc(dev, 3 * (size_t)pagesize);
	memset(b, 0x5A, 3 * (size_t)pagesize);
	xnvme_buf_free(dev, a);
	c = xnvme_buf_alloc(dev, 1);
	CHECK(c == a, "a freed page is handed out again (%p, %p)", (void *)a, (void *)c);
	r = xnvme_buf_realloc(dev, b, 8 * (size_t)pagesize);
	CHECK(r && r[0] == 0x5A && r[3 * pagesize - 1] == 0x5A,
	      "realloc to a larger size keeps the content");
	/* free of an interior pointer is not a free: those pages stay handed out */
	xnvme_buf_free(dev, r + pagesize);
	a = xnvme_buf_alloc(dev, (size_t)pagesize);
	CHECK(a && (a < r || a >= r + 8 * pagesize),
	      "an interior pointer given to free is left alone (the pages are not reused)");
	errno = 0;
	CHECK(!xnvme_buf_realloc(dev, r + 8, 2 * (size_t)pagesize) && errno == EINVAL,
	      "realloc of a pointer inside an allocation: NULL, EINVAL");
	foreign = malloc(64);
	errno = 0;
	CHECK(!xnvme_buf_realloc(dev, foreign, 128) && errno == EINVAL,
	      "realloc of memory that is not the arena's: NULL, EINVAL");
	free(foreign);
	xnvme_buf_free(dev, a);
	xnvme_buf_free(dev, c);
	xnvme_buf_free(dev, r);
}

int
main(int argc, char **argv)
{
	const char *async = argc > 2 ? argv[2] : "io_uring";
	const char *blkdev = argc > 3 ? argv[3] : argv[1];
	uint8_t *small[FB_NBUFS], *big, *back, *expect;
	struct xnvme_queue *q1 = NULL, *q2 = NULL;
	struct xnvme_dev *dev, *other;
	const struct xnvme_geo *geo;
	long pin0, pin;
	size_t chunk;
	int err, fd;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s DEV [io_uring|io_uring_cmd [BLOCK_DEV]]\n", argv[0]);
		return 2;
	}
	pin0 = fb_vmpin_kib();
	dev = fb_open(argv[1], async, 1);
	if (!dev) {
		return 1;
	}
	geo = xnvme_dev_get_geo(dev);
	chunk = XNVME_MIN_U64((size_t)geo->mdts_nbytes, (size_t)FB_BUF_NBYTES);
	CHECK(!strcmp(xnvme_dev_get_opts(dev)->mem, "arena"),
	      "register_buffers binds the mem interface arena (%s)", xnvme_dev_get_opts(dev)->mem);
	if (geo->tbytes < 2ULL * FB_NBYTES + FB_BIG_NBYTES) {
		printf("FAIL: %s is too small for this test\n", argv[1]);
		return 1;
	}

	err = xnvme_queue_init(dev, 64, 0, &q1);
	CHECK(!err, "a queue before any buffer exists (%d)", err);
	if (err) {
		return 1;
	}
	for (int i = 0; i < FB_NBUFS; ++i) {
		small[i] = xnvme_buf_alloc(dev, FB_BUF_NBYTES);
		if (small[i]) {
			for (size_t j = 0; j < FB_BUF_NBYTES; ++j) {
				small[i][j] = (uint8_t)(i * 131 + j * 7 + (j >> 9));
			}
		}
	}
	big = xnvme_buf_alloc(dev, FB_BIG_NBYTES);
	expect = malloc(FB_NBYTES + FB_BIG_NBYTES);
	CHECK(big && expect && small[FB_NBUFS - 1], "32 x 64 KiB and 3 MiB allocated");
	if (!big || !expect || !small[FB_NBUFS - 1]) {
		return 1;
	}
	for (size_t j = 0; j < FB_BIG_NBYTES; ++j) {
		big[j] = (uint8_t)(j * 13 + (j >> 12));
	}
	for (int i = 0; i < FB_NBUFS; ++i) {
		memcpy(expect + (size_t)i * FB_BUF_NBYTES, small[i], FB_BUF_NBYTES);
	}
	memcpy(expect + FB_NBYTES, big, FB_BIG_NBYTES);

	/* Small buffers one command each, then the large one in pieces (interior pointers) */
	err = 0;
	for (int i = 0; i < FB_NBUFS && !err; ++i) {
		err = fb_xfer(dev, q1, 1, (uint64_t)i * FB_BUF_NBYTES, small[i], FB_BUF_NBYTES,
			      chunk);
	}
	CHECK(!err, "writes from 32 arena buffers through the first queue (%d)", err);
	err = fb_xfer(dev, q1, 1, FB_NBYTES, big, FB_BIG_NBYTES, chunk);
	CHECK(!err, "writes from inside a 3 MiB arena buffer, a region added after the queue (%d)",
	      err);

	err = xnvme_queue_init(dev, 64, 0, &q2);
	CHECK(!err, "a second queue on the device registers the regions there are (%d)", err);
	if (err) {
		return 1;
	}
	/* Bigger than what is left in any region: a third region, registered by q2 at submit */
	back = xnvme_buf_alloc(dev, FB_NBYTES + FB_BIG_NBYTES);
	CHECK(back != NULL, "a 5 MiB buffer after the second queue exists");
	if (!back) {
		return 1;
	}
	memset(back, 0xEE, FB_NBYTES + FB_BIG_NBYTES);
	err = fb_xfer(dev, q2, 0, 0, back, FB_NBYTES + FB_BIG_NBYTES, chunk);
	CHECK(!err && !memcmp(back, expect, FB_NBYTES + FB_BIG_NBYTES),
	      "the second queue reads back what the first wrote, into a new region (%d, %zu bytes "
	      "differ)",
	      err, xnvme_buf_diff(back, expect, FB_NBYTES + FB_BIG_NBYTES));
	pin = fb_vmpin_kib();
	/* Regions: 2 MiB (both queues), 4 MiB (both), 8 MiB (q2): at least 2+4+2+4+8 MiB */
	CHECK(pin0 >= 0 && pin - pin0 >= 20 * 1024,
	      "the regions are pinned by the rings (VmPin %ld -> %ld KiB)", pin0, pin);

	/* Independent check: the target's own bytes, past any page cache */
	fd = open(blkdev, O_RDONLY | O_DIRECT);
	if (fd >= 0) {
		void *disk = NULL;
		ssize_t got = -1;

		if (!posix_memalign(&disk, 4096, FB_NBYTES + FB_BIG_NBYTES)) {
			got = pread(fd, disk, FB_NBYTES + FB_BIG_NBYTES, 0);
		}
		CHECK(got == (ssize_t)(FB_NBYTES + FB_BIG_NBYTES) &&
			  !memcmp(disk, expect, FB_NBYTES + FB_BIG_NBYTES),
		      "an O_DIRECT pread of %s sees the same bytes", blkdev);
		free(disk);
		close(fd);
	} else {
		CHECK(0, "open %s for pread: %s", blkdev, strerror(errno));
	}

	/* A vectored write of arena memory: no fixed form, the plain one */
	{
		struct check_cpl state = {0};
		struct xnvme_cmd_ctx *ctx;
		struct iovec vec[2] = {{small[0], chunk / 2}, {small[1], chunk / 2}};

		xnvme_queue_set_cb(q1, check_cpl_cb, &state);
		ctx = xnvme_queue_get_cmd_ctx(q1);
		xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_WRITE, xnvme_dev_get_nsid(dev), 0,
			       (uint16_t)(chunk / geo->lba_nbytes - 1));
		err = xnvme_cmd_pass_iov(ctx, vec, 2, chunk, NULL, 0);
		xnvme_queue_drain(q1);
		memcpy(expect, small[0], chunk / 2);
		memcpy(expect + chunk / 2, small[1], chunk / 2);
		err = err ? err : fb_xfer(dev, q2, 0, 0, back, chunk, chunk);
		CHECK(!err && !state.nerr && !memcmp(back, expect, chunk),
		      "a vectored write of arena buffers reads back (%d)", err);
	}

	/* Other interfaces on an arena device: the same bytes */
	other = fb_open(blkdev, "libaio", 1);
	if (other) {
		struct xnvme_queue *q = NULL;
		uint8_t *buf = xnvme_buf_alloc(other, FB_NBYTES);

		err = buf ? xnvme_queue_init(other, 16, 0, &q) : -ENOMEM;
		err = err ? err : fb_xfer(other, q, 0, 0, buf, FB_NBYTES, chunk);
		CHECK(!err && !memcmp(buf, expect, FB_NBYTES),
		      "libaio on an arena device reads the same bytes (%d)", err);
		xnvme_queue_term(q);
		xnvme_buf_free(other, buf);
		xnvme_dev_close(other);
	}

	fb_check_allocator(dev);

	xnvme_buf_free(dev, back);
	xnvme_buf_free(dev, big);
	for (int i = 0; i < FB_NBUFS; ++i) {
		xnvme_buf_free(dev, small[i]);
	}
	xnvme_queue_term(q1);
	xnvme_queue_term(q2);
	xnvme_dev_close(dev);
	/* Ring teardown runs in the kernel's workqueue: give it a moment */
	for (int i = 0; i < 200 && (pin = fb_vmpin_kib()) > pin0; ++i) {
		nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
	}
	CHECK(pin == pin0, "nothing stays pinned after close (VmPin %ld KiB, was %ld)", pin, pin0);
	free(expect);

	/* The arena is the Linux backend's: elsewhere it is named and refused */
	if (!check_be_built("ramdisk")) {
		printf("SKIP: mem arena on the ramdisk backend: the ramdisk is not built\n");
	} else {
		struct xnvme_opts opts = xnvme_opts_default();

		opts.mem = "arena";
		errno = 0;
		other = xnvme_dev_open("ramdisk:16MiB", &opts);
		CHECK(!other && errno == EINVAL && strstr(xnvme_dev_open_err_msg(), "arena"),
		      "mem arena on the ramdisk backend: refused, named ('%s')",
		      xnvme_dev_open_err_msg());
		xnvme_dev_close(other);
	}

	printf("%s: %d failure(s)\n", argv[0], g_nfail);
	return g_nfail ? 1 : 0;
}
