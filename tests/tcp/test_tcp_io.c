/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NVMe/TCP initiator moving data: test_tcp_io URI [ASYNC_DEPTH]
 *   URI  nvme+tcp://HOST:PORT/SUBNQN[?digest=...] (the namespace is overwritten)
 * For transfer sizes from one block to the controller's largest (MDTS), across the in-capsule
 * limit (writes up to it go in the capsule, larger ones on R2T) and across MAXH2CDATA: a write
 * and a read-back, byte-identical, through the sync interface, the async one (one command at a
 * time and ASYNC_DEPTH, 64 by default, in flight), and vectored (three pieces); then the
 * refusals: a metadata buffer (-ENOTSUP: NVMe/TCP has none), a transfer over MDTS (-EINVAL).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "check.h"

static uint32_t g_nsid;

static void
fill(uint8_t *buf, size_t nbytes, uint32_t seed)
{
	for (size_t i = 0; i < nbytes; ++i) {
		buf[i] = (uint8_t)((i * 131 + seed * 7 + (i >> 12)) ^ (seed >> 3));
	}
}

static int
sync_rw(struct xnvme_dev *dev, int write, uint64_t slba, uint32_t nlb, void *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);

	return write ? xnvme_nvm_write(&ctx, g_nsid, slba, (uint16_t)(nlb - 1), buf, NULL)
		     : xnvme_nvm_read(&ctx, g_nsid, slba, (uint16_t)(nlb - 1), buf, NULL);
}

static void
count_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	int *nerr = arg;

	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		xnvme_cmd_ctx_pr(ctx, XNVME_PR_DEF);
		(*nerr)++;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* @p n commands of @p nlb blocks each from @p slba, all in flight on @p queue, then a drain */
static int
async_rw(struct xnvme_dev *dev, struct xnvme_queue *queue, int write, uint64_t slba, uint32_t nlb,
	 uint32_t n, uint8_t *buf)
{
	size_t cmd_nbytes = (size_t)nlb * xnvme_dev_get_geo(dev)->lba_nbytes;
	int nerr = 0;

	xnvme_queue_set_cb(queue, count_cb, &nerr);
	for (uint32_t i = 0; i < n; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);
		uint64_t lba = slba + (uint64_t)i * nlb;
		int err;

		if (!ctx) {
			return -EBUSY;
		}
		err = write ? xnvme_nvm_write(ctx, g_nsid, lba, (uint16_t)(nlb - 1),
					      buf + i * cmd_nbytes, NULL)
			    : xnvme_nvm_read(ctx, g_nsid, lba, (uint16_t)(nlb - 1),
					     buf + i * cmd_nbytes, NULL);
		if (err) {
			xnvme_queue_put_cmd_ctx(queue, ctx);
			xnvme_queue_drain(queue);
			return err;
		}
	}
	return xnvme_queue_drain(queue) < 0 ? -EIO : nerr ? -EIO : 0;
}

static void
test_sizes(struct xnvme_dev *dev, uint8_t *w, uint8_t *r, size_t max)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	uint32_t lba = geo->lba_nbytes;
	size_t sizes[] = {lba,   1024,        4096,   8192 - lba, 8192,          8192 + lba,
			  16384, 65536 + lba, 131072, 262144,     max / 2 + lba, max};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); ++i) {
		size_t nbytes = sizes[i] / lba * lba;
		uint32_t nlb = (uint32_t)(nbytes / lba);
		uint64_t slba = (uint64_t)i * (max / lba) % (geo->nsect - nlb);

		if (!nbytes || nbytes > max) {
			continue;
		}
		fill(w, nbytes, (uint32_t)i + 1);
		memset(r, 0, nbytes);
		CHECK(!sync_rw(dev, 1, slba, nlb, w) && !sync_rw(dev, 0, slba, nlb, r) &&
			  !memcmp(w, r, nbytes),
		      "sync: %zu bytes written and read back", nbytes);
	}
}

static void
test_async(struct xnvme_dev *dev, uint8_t *w, uint8_t *r, size_t max, uint32_t depth)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	uint32_t lba = geo->lba_nbytes;
	struct xnvme_queue *queue = NULL;
	uint32_t nlb_big = (uint32_t)(max / lba), nlb_4k = 4096 / lba ? 4096 / lba : 1;
	int err = xnvme_queue_init(dev, (uint16_t)depth, 0, &queue);

	CHECK(!err, "async: a queue of %u (%d)", depth, err);
	if (err) {
		return;
	}
	fill(w, max, 77);
	memset(r, 0, max);
	CHECK(!async_rw(dev, queue, 1, 0, nlb_big, 1, w) &&
		  !async_rw(dev, queue, 0, 0, nlb_big, 1, r) && !memcmp(w, r, max),
	      "async: one %zu-byte command each way, read back", max);
	/* depth commands of 4 KiB in flight: within max bytes */
	depth = depth * nlb_4k * lba > max ? (uint32_t)(max / (nlb_4k * lba)) : depth;
	fill(w, (size_t)depth * nlb_4k * lba, 78);
	memset(r, 0, (size_t)depth * nlb_4k * lba);
	CHECK(!async_rw(dev, queue, 1, 4096, nlb_4k, depth, w) &&
		  !async_rw(dev, queue, 0, 4096, nlb_4k, depth, r) &&
		  !memcmp(w, r, (size_t)depth * nlb_4k * lba),
	      "async: %u commands of %u bytes in flight each way, read back", depth, nlb_4k * lba);
	xnvme_queue_term(queue);
}

static void
test_vectored(struct xnvme_dev *dev, uint8_t *w, uint8_t *r)
{
	uint32_t lba = xnvme_dev_get_geo(dev)->lba_nbytes;
	size_t piece = 4096 / lba ? 4096 : lba;
	struct iovec wv[3] = {{w, piece}, {w + 3 * piece, piece * 2}, {w + 8 * piece, piece}};
	struct iovec rv[3] = {{r + 5 * piece, piece * 2}, {r, piece}, {r + 9 * piece, piece}};
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t back[4 * 4096];
	int err;

	fill(w, 12 * piece, 99);
	memset(r, 0, 12 * piece);
	ctx.cmd.common.opcode = XNVME_SPEC_NVM_OPC_WRITE;
	ctx.cmd.common.nsid = g_nsid;
	ctx.cmd.nvm.slba = 8192;
	ctx.cmd.nvm.nlb = (uint16_t)(4 * piece / lba - 1);
	err = xnvme_cmd_passv(&ctx, wv, 3, 4 * piece, NULL, 0, 0);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	ctx.cmd.common.opcode = XNVME_SPEC_NVM_OPC_READ;
	ctx.cmd.common.nsid = g_nsid;
	ctx.cmd.nvm.slba = 8192;
	ctx.cmd.nvm.nlb = (uint16_t)(4 * piece / lba - 1);
	err = err ? err : xnvme_cmd_passv(&ctx, rv, 3, 4 * piece, NULL, 0, 0);
	/* The stream written: w[0..p), w[3p..5p), w[8p..9p); read into r[5p..7p), r[0..p), ... */
	memcpy(back, w, piece);
	memcpy(back + piece, w + 3 * piece, 2 * piece);
	memcpy(back + 3 * piece, w + 8 * piece, piece);
	CHECK(!err && !memcmp(r + 5 * piece, back, 2 * piece) &&
		  !memcmp(r, back + 2 * piece, piece) &&
		  !memcmp(r + 9 * piece, back + 3 * piece, piece),
	      "vectored: three pieces out, three other pieces back (%d)", err);
}

static void
test_refusals(struct xnvme_dev *dev, uint8_t *w, size_t max)
{
	uint32_t lba = xnvme_dev_get_geo(dev)->lba_nbytes;
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t md[64];
	int err;

	ctx.cmd.common.opcode = XNVME_SPEC_NVM_OPC_WRITE;
	ctx.cmd.common.nsid = g_nsid;
	err = xnvme_cmd_pass(&ctx, w, lba, md, sizeof(md));
	CHECK(err == -ENOTSUP, "a separate metadata buffer: -ENOTSUP (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	ctx.cmd.common.opcode = XNVME_SPEC_NVM_OPC_READ;
	ctx.cmd.common.nsid = g_nsid;
	ctx.cmd.nvm.nlb = (uint16_t)((max + lba) / lba - 1);
	err = xnvme_cmd_pass(&ctx, w, max + lba, NULL, 0);
	CHECK(err == -EINVAL, "a transfer over MDTS: -EINVAL (%d)", err);
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	uint32_t depth = argc > 2 ? (uint32_t)atoi(argv[2]) : 64;
	struct xnvme_dev *dev;
	uint8_t *w, *r;
	size_t max;

	if (argc < 2) {
		fprintf(stderr, "usage: %s nvme+tcp://HOST:PORT/SUBNQN [ASYNC_DEPTH]\n", argv[0]);
		return 2;
	}
	opts.nsid = 0;
	dev = xnvme_dev_open(argv[1], &opts);
	if (!dev) {
		printf("FAIL: open %s: %s\n", argv[1], xnvme_dev_open_err_msg());
		return 1;
	}
	g_nsid = xnvme_dev_get_nsid(dev);
	max = xnvme_dev_get_geo(dev)->mdts_nbytes;
	max = max && max <= (1u << 20) ? max : (1u << 20);
	printf("opened %s: be %s, nsid %u, lba %u B, mdts %zu B\n", argv[1],
	       xnvme_dev_get_be_name(dev), g_nsid, xnvme_dev_get_geo(dev)->lba_nbytes, max);
	w = xnvme_buf_alloc(dev, max + 4096);
	r = xnvme_buf_alloc(dev, max + 4096);
	if (!w || !r) {
		printf("FAIL: buffers\n");
		return 1;
	}
	test_sizes(dev, w, r, max);
	test_async(dev, w, r, max, depth);
	test_vectored(dev, w, r);
	test_refusals(dev, w, max);
	xnvme_buf_free(dev, w);
	xnvme_buf_free(dev, r);
	xnvme_dev_close(dev);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
