/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Polled completions: io_uring queues with XNVME_QUEUE_IOPOLL (IORING_SETUP_IOPOLL, O_DIRECT).
 * usage: test_iopoll DEV supported|unsupported|refused [ASYNC [BLOCK_DEV]]
 *   ASYNC: io_uring (default) or io_uring_cmd; BLOCK_DEV: the same namespace as a block device,
 *   for the independent read (default DEV; give it when DEV is /dev/ngXnY)
 * - supported (a block device whose driver has poll queues: the VM rig loads nvme with
 *   poll_queues=1): data written through a polled queue, completions found by pokes alone (the
 *   kernel is entered to poll), reads back identical through a second polled queue that waits,
 *   and through an independent O_DIRECT pread; a flush, which a polled ring cannot take, runs at
 *   submit and completes on the next poke; with the file and buffers registered too.
 * - unsupported (a file, a loop device: no poll queues below): every command completes and the
 *   queue drains, nothing hangs; the reads fail with an error status (the kernel's EOPNOTSUPP in
 *   cdw0). Writes may succeed: a file system can carry them out without the device (ext4 does
 *   for a sparse file), so only their completion is checked.
 * - refused (io_uring_cmd on a kernel before 6.5, whose passthrough polling can crash): a polled
 *   queue is refused with -EOPNOTSUPP, and the device still takes a queue that does not poll and
 *   moves data through it.
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

#define IOP_NBLOCKS 64 /* blocks of IOP_BS moved per pass */
#define IOP_BS      4096
#define IOP_QD      16
#define IOP_SECONDS 30 /* a pass that takes longer is a hang */

static double
iop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reaps until @p state has @p n completions: by pokes only, or by waits; -ETIMEDOUT on a hang */
static int
iop_reap(struct xnvme_queue *queue, struct check_cpl *state, int n, int poke_only)
{
	double end = iop_now() + IOP_SECONDS;

	while (state->ndone < n) {
		int err = poke_only ? xnvme_queue_poke(queue, 0) : xnvme_queue_wait(queue);

		if (err < 0) {
			return err;
		}
		if (iop_now() > end) {
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* A new queue of @p dev made with @p qopts whose completions count into @p state, zeroed */
static int
iop_queue(struct xnvme_dev *dev, int qopts, struct check_cpl *state, struct xnvme_queue **queue)
{
	int err;

	*state = (struct check_cpl){0};
	err = xnvme_queue_init(dev, IOP_QD, qopts, queue);
	if (!err) {
		xnvme_queue_set_cb(*queue, check_cpl_cb, state);
	}
	return err;
}

/*
 * Writes (or reads) IOP_NBLOCKS blocks of @p buf at block 0 through a new queue of @p dev made with
 * @p qopts (XNVME_QUEUE_IOPOLL: polled), IOP_QD at a time; counts completions and errors in
 * @p state. Returns 0 or a negative errno.
 */
static int
iop_pass(struct xnvme_dev *dev, int write, uint8_t *buf, int poke_only, struct check_cpl *state,
	 int qopts)
{
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	uint16_t nlb = (uint16_t)(IOP_BS / xnvme_dev_get_geo(dev)->lba_nbytes - 1);
	struct xnvme_queue *queue;
	int err;

	err = iop_queue(dev, qopts, state, &queue);
	if (err) {
		return err;
	}
	for (int i = 0; i < IOP_NBLOCKS && !err; ++i) {
		struct xnvme_cmd_ctx *ctx;
		uint64_t slba = (uint64_t)i * (nlb + 1U);

		if (xnvme_queue_get_outstanding(queue) == IOP_QD) {
			err = iop_reap(queue, state, i - IOP_QD + 1, poke_only);
			if (err) {
				break;
			}
		}
		ctx = xnvme_queue_get_cmd_ctx(queue);
		err = write ? xnvme_nvm_write(ctx, nsid, slba, nlb, buf + (size_t)i * IOP_BS, NULL)
			    : xnvme_nvm_read(ctx, nsid, slba, nlb, buf + (size_t)i * IOP_BS, NULL);
		if (err) {
			xnvme_queue_put_cmd_ctx(queue, ctx);
		}
	}
	if (!err) {
		err = iop_reap(queue, state, IOP_NBLOCKS, poke_only);
	}
	xnvme_queue_drain(queue);
	xnvme_queue_term(queue);
	return err;
}

/* A flush on a polled queue: the ring cannot poll for it, so it runs at submit */
static int
iop_flush(struct xnvme_dev *dev, struct check_cpl *state)
{
	struct xnvme_queue *queue;
	struct xnvme_cmd_ctx *ctx;
	int err;

	err = iop_queue(dev, XNVME_QUEUE_IOPOLL, state, &queue);
	if (err) {
		return err;
	}
	ctx = xnvme_queue_get_cmd_ctx(queue);
	err = xnvme_nvm_flush(ctx, xnvme_dev_get_nsid(dev));
	if (err) {
		xnvme_queue_put_cmd_ctx(queue, ctx);
	} else {
		err = iop_reap(queue, state, 1, 1);
	}
	xnvme_queue_term(queue);
	return err;
}

static const char *g_async = "io_uring";

static struct xnvme_dev *
iop_open(const char *uri, int registered)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.async = g_async;
	opts.direct = 1;
	opts.register_files = (uint8_t)registered;
	opts.register_buffers = (uint8_t)registered;
	return xnvme_dev_open(uri, &opts);
}

/* Independent of the library: the first @p nbytes of @p uri by an O_DIRECT pread */
static int
iop_pread(const char *uri, uint8_t *buf, size_t nbytes)
{
	int fd = open(uri, O_RDONLY | O_DIRECT);
	ssize_t got;

	if (fd < 0) {
		return -errno;
	}
	got = pread(fd, buf, nbytes, 0);
	close(fd);
	return got == (ssize_t)nbytes ? 0 : -EIO;
}

static void
iop_supported(const char *uri, const char *blkdev, int registered)
{
	const char *how = registered ? "registered file and buffers" : "plain";
	size_t nbytes = (size_t)IOP_NBLOCKS * IOP_BS;
	struct xnvme_dev *dev = iop_open(uri, registered);
	struct check_cpl state;
	uint8_t *wbuf, *rbuf, *pbuf = NULL;
	int err;

	CHECK(dev != NULL, "open %s O_DIRECT, %s (%s)", uri, g_async, how);
	if (!dev) {
		return;
	}
	wbuf = xnvme_buf_alloc(dev, nbytes);
	rbuf = xnvme_buf_alloc(dev, nbytes);
	if (!wbuf || !rbuf || posix_memalign((void **)&pbuf, 4096, nbytes)) {
		CHECK(0, "allocate the buffers");
		goto out;
	}
	srand(registered ? 7 : 11);
	for (size_t i = 0; i < nbytes; ++i) {
		wbuf[i] = (uint8_t)rand();
	}
	memset(rbuf, 0, nbytes);

	err = iop_pass(dev, 1, wbuf, 1, &state, XNVME_QUEUE_IOPOLL);
	CHECK(!err && state.ndone == IOP_NBLOCKS && !state.nerr,
	      "%d polled writes, completions by pokes alone (%s): err %d, %d done, %d failed",
	      IOP_NBLOCKS, how, err, state.ndone, state.nerr);
	err = iop_pass(dev, 0, rbuf, 0, &state, XNVME_QUEUE_IOPOLL);
	CHECK(!err && state.ndone == IOP_NBLOCKS && !state.nerr,
	      "%d polled reads, by waits (%s): err %d, %d done, %d failed", IOP_NBLOCKS, how, err,
	      state.ndone, state.nerr);
	CHECK(!memcmp(wbuf, rbuf, nbytes), "what the polled queue read is what it wrote (%s)", how);
	err = iop_pread(blkdev, pbuf, nbytes);
	CHECK(!err && !memcmp(wbuf, pbuf, nbytes),
	      "an independent O_DIRECT pread finds the written data (%s): err %d", how, err);
	err = iop_flush(dev, &state);
	CHECK(!err && state.ndone == 1 && !state.nerr,
	      "a flush on a polled queue completes on a poke (%s): err %d, %d done, %d failed", how,
	      err, state.ndone, state.nerr);
out:
	free(pbuf);
	xnvme_buf_free(dev, wbuf);
	xnvme_buf_free(dev, rbuf);
	xnvme_dev_close(dev);
}

static void
iop_unsupported(const char *uri)
{
	size_t nbytes = (size_t)IOP_NBLOCKS * IOP_BS;
	struct xnvme_dev *dev = iop_open(uri, 0);
	struct check_cpl state;
	uint8_t *buf;
	int err;

	CHECK(dev != NULL, "open %s O_DIRECT, io_uring", uri);
	if (!dev) {
		return;
	}
	buf = xnvme_buf_alloc(dev, nbytes);
	CHECK(buf != NULL, "allocate the buffer");
	if (buf) {
		memset(buf, 0x5A, nbytes);
		err = iop_pass(dev, 1, buf, 1, &state, XNVME_QUEUE_IOPOLL);
		CHECK(
		    !err && state.ndone == IOP_NBLOCKS,
		    "a target that cannot poll: all %d writes complete, nothing hangs: err %d, %d "
		    "done (%d failed)",
		    IOP_NBLOCKS, err, state.ndone, state.nerr);
		err = iop_pass(dev, 0, buf, 0, &state, XNVME_QUEUE_IOPOLL);
		CHECK(!err && state.ndone == IOP_NBLOCKS && state.nerr == IOP_NBLOCKS,
		      "a target that cannot poll: all %d reads complete with an error status, "
		      "nothing hangs: err %d, %d done, %d failed",
		      IOP_NBLOCKS, err, state.ndone, state.nerr);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

static void
iop_refused(const char *uri)
{
	struct xnvme_dev *dev = iop_open(uri, 0);
	struct xnvme_queue *queue = NULL;
	struct check_cpl state;
	uint8_t *buf;
	int err;

	CHECK(dev != NULL, "open %s O_DIRECT, %s", uri, g_async);
	if (!dev) {
		return;
	}
	err = xnvme_queue_init(dev, IOP_QD, XNVME_QUEUE_IOPOLL, &queue);
	CHECK(err == -EOPNOTSUPP && !queue, "a polled %s queue is refused: err %d (want %d)",
	      g_async, err, -EOPNOTSUPP);
	if (!err) {
		xnvme_queue_term(queue);
	}
	buf = xnvme_buf_alloc(dev, (size_t)IOP_NBLOCKS * IOP_BS);
	CHECK(buf != NULL, "allocate the buffer");
	if (buf) {
		memset(buf, 0x3C, (size_t)IOP_NBLOCKS * IOP_BS);
		err = iop_pass(dev, 1, buf, 0, &state, 0);
		CHECK(
		    !err && state.ndone == IOP_NBLOCKS && !state.nerr,
		    "then a queue that does not poll writes %d blocks: err %d, %d done, %d failed",
		    IOP_NBLOCKS, err, state.ndone, state.nerr);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

int
main(int argc, char **argv)
{
	const char *blkdev = argc > 4 ? argv[4] : argv[1];

	if (argc < 3 || argc > 5 ||
	    (strcmp(argv[2], "supported") && strcmp(argv[2], "unsupported") &&
	     strcmp(argv[2], "refused"))) {
		fprintf(stderr, "usage: %s DEV supported|unsupported|refused [ASYNC [BLOCK_DEV]]\n",
			argv[0]);
		return 2;
	}
	g_async = argc > 3 ? argv[3] : g_async;
	if (!strcmp(argv[2], "supported")) {
		iop_supported(argv[1], blkdev, 0);
		iop_supported(argv[1], blkdev, 1);
	} else if (!strcmp(argv[2], "refused")) {
		iop_refused(argv[1]);
	} else {
		iop_unsupported(argv[1]);
	}
	return g_nfail ? 1 : 0;
}
