/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Example: write a device's first MiBs through an async queue, read them back, verify, and report
 * the rates as YAML.
 *
 * usage: xnvme_io_async URI [--async NAME] [--qd N] [--mib N]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>

struct io_state {
	uint64_t ncompleted;
	uint64_t nerrors;
};

static void
io_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct io_state *state = cb_arg;

	state->ncompleted++;
	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		xnvme_cmd_ctx_pr(ctx, XNVME_PR_DEF);
		state->nerrors++;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Submits nbytes in 4 KiB commands, keeping the queue full; returns 0 or a negative errno. */
static int
io_run(struct xnvme_dev *dev, struct xnvme_queue *queue, int write, uint8_t *buf, uint64_t nbytes)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	uint64_t bs = 4096 < geo->mdts_nbytes ? 4096 : geo->mdts_nbytes;
	uint16_t nlb = (uint16_t)(bs / geo->lba_nbytes - 1);
	struct io_state state = {0};
	int err;

	xnvme_queue_set_cb(queue, io_cb, &state);
	for (uint64_t off = 0; off < nbytes; off += bs) {
		struct xnvme_cmd_ctx *ctx;

		while (!(ctx = xnvme_queue_get_cmd_ctx(queue))) {
			err = xnvme_queue_poke(queue, 0);
			if (err < 0) {
				return err;
			}
		}
		/* A full queue answers -EBUSY (it hands out one context more than it takes) */
		do {
			err = write ? xnvme_nvm_write(ctx, xnvme_dev_get_nsid(dev),
						      off / geo->lba_nbytes, nlb, buf + off, NULL)
				    : xnvme_nvm_read(ctx, xnvme_dev_get_nsid(dev),
						     off / geo->lba_nbytes, nlb, buf + off, NULL);
		} while (err == -EBUSY && xnvme_queue_poke(queue, 0) >= 0);
		if (err) {
			xnvme_queue_put_cmd_ctx(queue, ctx);
			return err;
		}
	}
	err = xnvme_queue_drain(queue);
	if (err < 0) {
		return err;
	}
	return state.nerrors ? -EIO : 0;
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	uint32_t qd = 32;
	uint64_t mib = 16, nbytes, t0, t1, t2;
	struct xnvme_queue *queue = NULL;
	struct xnvme_dev *dev;
	uint8_t *wbuf, *rbuf;
	int err;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: %s URI [--async NAME] [--qd N] [--mib N]\n", argv[0]);
		return 2;
	}
	opts.nsid = 0;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--async")) {
			opts.async = argv[i + 1];
		} else if (!strcmp(argv[i], "--qd")) {
			qd = (uint32_t)strtoul(argv[i + 1], NULL, 0);
		} else if (!strcmp(argv[i], "--mib")) {
			mib = strtoull(argv[i + 1], NULL, 0);
		} else {
			fprintf(stderr, "error: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	dev = xnvme_dev_open(argv[1], &opts);
	if (!dev) {
		fprintf(stderr, "error: cannot open '%s': %s (%s)\n", argv[1], strerror(errno),
			xnvme_dev_open_err_msg());
		return 1;
	}
	nbytes = mib << 20;
	if (!nbytes || nbytes > xnvme_dev_get_geo(dev)->tbytes) {
		fprintf(stderr, "error: %llu MiB does not fit the device\n",
			(unsigned long long)mib);
		xnvme_dev_close(dev);
		return 1;
	}
	err = xnvme_queue_init(dev, qd, 0, &queue);
	if (err) {
		fprintf(stderr, "error: queue of depth %u: %s\n", qd, strerror(-err));
		xnvme_dev_close(dev);
		return 1;
	}
	wbuf = xnvme_buf_alloc(dev, nbytes);
	rbuf = xnvme_buf_alloc(dev, nbytes);
	if (!wbuf || !rbuf) {
		fprintf(stderr, "error: out of memory\n");
		err = -ENOMEM;
		goto out;
	}
	xnvme_buf_fill(wbuf, nbytes, "rand-k");
	memset(rbuf, 0, nbytes);

	t0 = xnvme_timer_now_ns();
	err = io_run(dev, queue, 1, wbuf, nbytes);
	t1 = xnvme_timer_now_ns();
	if (!err) {
		err = io_run(dev, queue, 0, rbuf, nbytes);
	}
	t2 = xnvme_timer_now_ns();
	if (err) {
		fprintf(stderr, "error: I/O failed: %s\n", strerror(-err));
		goto out;
	}
	if (xnvme_buf_diff(wbuf, rbuf, nbytes)) {
		fprintf(stderr, "error: data read back differs from data written\n");
		err = -EIO;
		goto out;
	}
	printf("xnvme_io_async:\n  uri: '%s'\n  async: '%s'\n  qd: %u\n  nbytes: %llu\n"
	       "  verify: ok\n  write_mib_per_s: %.1f\n  read_mib_per_s: %.1f\n",
	       argv[1], xnvme_dev_get_opts(dev)->async, qd, (unsigned long long)nbytes,
	       (double)nbytes / (1 << 20) / ((double)(t1 - t0) / 1e9),
	       (double)nbytes / (1 << 20) / ((double)(t2 - t1) / 1e9));
out:
	xnvme_buf_free(dev, wbuf);
	xnvme_buf_free(dev, rbuf);
	xnvme_queue_term(queue);
	xnvme_dev_close(dev);
	return err ? 1 : 0;
}
