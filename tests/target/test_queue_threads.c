/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A queue handed from thread to thread. The io_uring interfaces bind their ring to the thread
 * that uses it first (SINGLE_ISSUER | DEFER_TASKRUN, where the kernel has them; lib/be/linux/
 * ring.c), so checked here:
 * - a queue created in one thread does I/O in another, then in a third and back in the first,
 *   with the file, the buffers and a completion fd registered (O_DIRECT where the target has
 *   it), every time with the data intact (each thread reads what the one before wrote, and an
 *   independent pread of the target agrees); a read from yet another thread makes the same
 *   completion fd readable;
 * - a thread that takes over a queue while another thread's command is outstanding is refused
 *   with -EPERM by poke, wait and submit when the kernel binds rings (a probe of io_uring_setup
 *   tells), the refused submission's context is still the caller's and nothing is delivered to
 *   it; the command completes exactly once, for the thread that submitted it; then the idle
 *   queue moves again.
 * usage: test_queue_threads DEV [ASYNC [BLOCK_DEV]]
 *   ASYNC: io_uring (default) or io_uring_cmd; BLOCK_DEV: the namespace as a file or block device
 *   for the independent read (default DEV; give it when DEV is /dev/ngXnY)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <libxnvme.h>
#include "check.h"

#define QT_NBLOCKS 8 /* blocks per round: one command each */

struct qt_round {
	struct xnvme_dev *dev;
	struct xnvme_queue *queue;
	uint8_t *bufs[QT_NBLOCKS]; ///< One block each, from the device's (arena) allocator
	uint32_t first;            ///< First block of the range the round writes
	uint8_t pattern;           ///< What it writes
	uint32_t verify_first;     ///< Range to read back first (what the previous round wrote)
	uint8_t verify_pattern;
	int verify;
	int ndone;
	int nerr;
	int err; ///< First error of a call
	int efd; ///< The queue's completion fd, or a negative errno
};

static void
qt_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct qt_round *r = cb_arg;

	r->ndone++;
	r->nerr += xnvme_cmd_ctx_cpl_status(ctx) ? 1 : 0;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* QT_NBLOCKS one-block commands from block first on, then reaps them all */
static int
qt_io(struct qt_round *r, int write, uint32_t first)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(r->dev);
	int err;

	r->ndone = 0;
	r->nerr = 0;
	xnvme_queue_set_cb(r->queue, qt_cb, r);
	for (uint32_t i = 0; i < QT_NBLOCKS; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(r->queue);

		xnvme_prep_nvm(ctx, write ? XNVME_SPEC_NVM_OPC_WRITE : XNVME_SPEC_NVM_OPC_READ,
			       xnvme_dev_get_nsid(r->dev), first + i, 0);
		err = xnvme_cmd_pass(ctx, r->bufs[i], geo->lba_nbytes, NULL, 0);
		if (err) {
			xnvme_queue_put_cmd_ctx(r->queue, ctx);
			return err;
		}
	}
	err = xnvme_queue_drain(r->queue);
	if (err < 0) {
		return err;
	}
	return r->ndone == QT_NBLOCKS && !r->nerr ? 0 : -EIO;
}

/* A round on the calling thread: read back and compare the previous round's range, then write */
static void *
qt_round_run(void *arg)
{
	struct qt_round *r = arg;
	const struct xnvme_geo *geo = xnvme_dev_get_geo(r->dev);

	if (r->verify) {
		r->err = qt_io(r, 0, r->verify_first);
		for (uint32_t i = 0; !r->err && i < QT_NBLOCKS; ++i) {
			for (uint32_t b = 0; b < geo->lba_nbytes; ++b) {
				if (r->bufs[i][b] != (uint8_t)(r->verify_pattern + i)) {
					r->err = -EILSEQ;
					break;
				}
			}
		}
		if (r->err) {
			return NULL;
		}
	}
	for (uint32_t i = 0; i < QT_NBLOCKS; ++i) {
		memset(r->bufs[i], r->pattern + i, geo->lba_nbytes);
	}
	r->err = qt_io(r, 1, r->first);
	return NULL;
}

/* Submits one read of block 0 into bufs[0] (not handed to the kernel yet); 0 or the error */
static int
qt_submit_read0(struct qt_round *r)
{
	struct xnvme_cmd_ctx *ctx;
	int err;

	r->ndone = 0;
	r->nerr = 0;
	xnvme_queue_set_cb(r->queue, qt_cb, r);
	ctx = xnvme_queue_get_cmd_ctx(r->queue);
	xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_READ, xnvme_dev_get_nsid(r->dev), 0, 0);
	err = xnvme_cmd_pass(ctx, r->bufs[0], xnvme_dev_get_geo(r->dev)->lba_nbytes, NULL, 0);
	if (err) {
		xnvme_queue_put_cmd_ctx(r->queue, ctx);
	}
	return err;
}

/* One read; when the poke did not complete it, the completion fd must become readable for it */
static void *
qt_fd_round(void *arg)
{
	struct qt_round *r = arg;
	struct pollfd pfd = {.fd = r->efd, .events = POLLIN};
	int res;

	r->err = qt_submit_read0(r);
	if (r->err) {
		return NULL;
	}
	res = xnvme_queue_poke(r->queue, 0);
	if (!res) {
		if (poll(&pfd, 1, 5000) != 1 || !(pfd.revents & POLLIN)) {
			r->err = -ETIMEDOUT;
			return NULL;
		}
	} else {
		printf("NOTE: the read completed at submit: the fd was not needed\n");
	}
	res = xnvme_queue_drain(r->queue);
	r->err = res < 0 ? res : r->ndone == 1 && !r->nerr ? 0 : -EIO;
	return NULL;
}

static int
qt_on_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, arg)) {
		return -errno;
	}
	return pthread_join(t, NULL) ? -EINVAL : 0;
}

/* Whether this kernel binds an io_uring to one thread (SINGLE_ISSUER and DEFER_TASKRUN) */
static int
qt_kernel_binds_rings(void)
{
	struct io_uring_params p;
	long fd;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	fd = syscall(__NR_io_uring_setup, 2, &p);
	if (fd < 0) {
		return 0;
	}
	close((int)fd);
	return 1;
}

/*
 * A thread that submits one read and leaves it outstanding (prepared, not yet handed to the
 * kernel: so it stays outstanding on any target) until the main thread has tried to take the
 * queue over, then reaps it itself.
 */
struct qt_holder {
	struct qt_round *r;
	pthread_barrier_t barrier; ///< Submitted / the main thread is done trying
	int err;
	int drained;
};

static void *
qt_hold_one(void *arg)
{
	struct qt_holder *h = arg;

	h->err = qt_submit_read0(h->r);
	pthread_barrier_wait(&h->barrier);
	pthread_barrier_wait(&h->barrier);
	h->drained = xnvme_queue_drain(h->r->queue);
	return NULL;
}

static void
qt_check_outstanding_elsewhere(struct qt_round *r)
{
	struct qt_holder h = {.r = r};
	int binds = qt_kernel_binds_rings();
	struct xnvme_cmd_ctx *ctx;
	pthread_t t;
	int res;

	if (pthread_barrier_init(&h.barrier, NULL, 2) ||
	    pthread_create(&t, NULL, qt_hold_one, &h)) {
		CHECK(0, "thread for the outstanding read");
		return;
	}
	pthread_barrier_wait(&h.barrier);
	CHECK(!h.err && xnvme_queue_get_outstanding(r->queue) == 1,
	      "a read submitted on a thread of its own, outstanding (%d)", h.err);
	if (binds) {
		res = xnvme_queue_poke(r->queue, 0);
		CHECK(res == -EPERM,
		      "poke from another thread while it is outstanding: -EPERM (%d)", res);
		res = xnvme_queue_wait(r->queue);
		CHECK(res == -EPERM, "wait from another thread: -EPERM (%d)", res);
		ctx = xnvme_queue_get_cmd_ctx(r->queue);
		xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_READ, xnvme_dev_get_nsid(r->dev), 1, 0);
		res =
		    xnvme_cmd_pass(ctx, r->bufs[1], xnvme_dev_get_geo(r->dev)->lba_nbytes, NULL, 0);
		CHECK(res == -EPERM && xnvme_queue_get_outstanding(r->queue) == 1,
		      "submit from another thread: -EPERM, nothing counted (%d)", res);
		xnvme_queue_put_cmd_ctx(r->queue, ctx);
		CHECK(r->ndone == 0, "no completion was delivered to the other thread");
	} else {
		printf("NOTE: this kernel does not bind rings to a thread: not checked\n");
	}
	pthread_barrier_wait(&h.barrier);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&h.barrier);
	CHECK(h.drained >= 0 && r->ndone == 1 && !r->nerr,
	      "the submitting thread reaps it, once (%d, %d done)", h.drained, r->ndone);
	/* And the main thread may take the idle queue over again */
	r->verify = 0;
	r->first = 0;
	r->pattern = 0x10;
	qt_round_run(r);
	CHECK(!r->err, "then the main thread takes the idle queue over (%d)", r->err);
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	const char *async = argc > 2 ? argv[2] : "io_uring";
	const char *block = argc > 3 ? argv[3] : argv[1];
	struct qt_round r = {0};
	const struct xnvme_geo *geo;
	uint8_t *expect;
	int fd, err;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DEV [ASYNC [BLOCK_DEV]]\n", argv[0]);
		return 2;
	}
	opts.nsid = check_target_nsid();
	opts.async = async;
	opts.register_files = 1;
	opts.register_buffers = 1;
	opts.direct = 1; /* completions then come from the device, not at submit */
	r.dev = xnvme_dev_open(argv[1], &opts);
	if (!r.dev && errno == EINVAL) {
		opts.direct = 0; /* no O_DIRECT where the file is (tmpfs) */
		r.dev = xnvme_dev_open(argv[1], &opts);
	}
	if (!r.dev) {
		printf("FAIL: open %s with %s: %s (%s)\n", argv[1], async, strerror(errno),
		       xnvme_dev_open_err_msg());
		return 1;
	}
	geo = xnvme_dev_get_geo(r.dev);
	for (uint32_t i = 0; i < QT_NBLOCKS; ++i) {
		r.bufs[i] = xnvme_buf_alloc(r.dev, geo->lba_nbytes);
	}
	/* Created here, in the main thread */
	err = xnvme_queue_init(r.dev, 16, 0, &r.queue);
	CHECK(!err && r.bufs[QT_NBLOCKS - 1], "queue created in the main thread (%d)", err);
	if (err) {
		xnvme_dev_close(r.dev);
		return 1;
	}

	/* The completion fd, asked for here: the ring binds to the main thread, and every take-over
	 * below must register the same fd with the new ring */
	r.efd = xnvme_queue_get_completion_fd(r.queue);
	CHECK(r.efd >= 0 || r.efd == -ENOSYS, "completion fd in the main thread (%d)", r.efd);

	/* Thread A writes blocks 0..7; B reads them back and writes 8..15; main reads those back
	 * and writes 16..23; C reads those back */
	r.first = 0;
	r.pattern = 0x10;
	CHECK(!qt_on_thread(qt_round_run, &r) && !r.err, "thread A: the first I/O (%d)", r.err);
	r.verify = 1;
	r.verify_first = 0;
	r.verify_pattern = 0x10;
	r.first = QT_NBLOCKS;
	r.pattern = 0x40;
	CHECK(!qt_on_thread(qt_round_run, &r) && !r.err,
	      "thread B takes the queue over: reads A's data back, writes (%d)", r.err);
	r.verify_first = QT_NBLOCKS;
	r.verify_pattern = 0x40;
	r.first = 2 * QT_NBLOCKS;
	r.pattern = 0x70;
	qt_round_run(&r);
	CHECK(!r.err, "the main thread takes it back: reads B's data back, writes (%d)", r.err);
	r.verify_first = 2 * QT_NBLOCKS;
	r.verify_pattern = 0x70;
	r.first = 3 * QT_NBLOCKS;
	r.pattern = 0xA0;
	CHECK(!qt_on_thread(qt_round_run, &r) && !r.err,
	      "thread C: reads the main thread's data back, writes (%d)", r.err);

	/* The independent checker: pread of the target */
	expect = malloc(geo->lba_nbytes);
	fd = open(block, O_RDONLY);
	err = fd < 0 || !expect ? -1 : 0;
	for (uint32_t blk = 0; !err && blk < 4 * QT_NBLOCKS; ++blk) {
		uint8_t pattern = (uint8_t)((blk / QT_NBLOCKS) * 0x30 + 0x10 + blk % QT_NBLOCKS);

		memset(expect, pattern, geo->lba_nbytes);
		if (pread(fd, r.bufs[0], geo->lba_nbytes, (off_t)blk * geo->lba_nbytes) !=
			(ssize_t)geo->lba_nbytes ||
		    memcmp(r.bufs[0], expect, geo->lba_nbytes)) {
			err = (int)blk + 1;
		}
	}
	CHECK(!err, "pread of %s has what the four threads wrote (first bad block + 1: %d)", block,
	      err);
	if (fd >= 0) {
		close(fd);
	}
	free(expect);

	if (r.efd >= 0) {
		CHECK(!qt_on_thread(qt_fd_round, &r) && !r.err,
		      "a thread that takes the queue over gets completions on the same fd (%d)",
		      r.err);
	}
	qt_check_outstanding_elsewhere(&r);

	xnvme_queue_term(r.queue);
	for (uint32_t i = 0; i < QT_NBLOCKS; ++i) {
		xnvme_buf_free(r.dev, r.bufs[i]);
	}
	xnvme_dev_close(r.dev);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
