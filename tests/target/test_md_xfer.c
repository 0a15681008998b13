/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data and metadata written through one interface read back identical through another, with
 * contiguous and vectored buffers. Metadata separate (its own buffer) or extended (inline in each
 * logical block, lba_nbytes = data + metadata bytes).
 *
 * usage: test_md_xfer DEV [IFACE ...]   IFACE: a sync or an async interface (default: every one
 * the library offers on DEV that moves data, ifaces.h: on /dev/ngXnY nvme and io_uring_cmd). DEV
 * is overwritten from LBA 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "check.h"
#include "ifaces.h"

#define MD_NCMDS 16 /* commands per round */
#define MD_NLB   8  /* logical blocks per command */
#define MD_NVEC  4  /* iovecs per vectored command */

struct md_bufs {
	uint8_t *data; ///< MD_NCMDS * MD_NLB * lba_nbytes
	uint8_t *meta; ///< MD_NCMDS * MD_NLB * nbytes_oob, when metadata is separate
	size_t data_nbytes;
	size_t meta_nbytes;
};

static struct ifaces g_ifaces;

static struct xnvme_dev *
md_open(const char *uri, const char *iface)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	opts.nsid = check_target_nsid();
	/* Direct: a write through the page cache would not be seen by a passthrough read */
	opts.direct = 1;
	if (ifaces_sync(&g_ifaces, iface)) {
		opts.sync = iface;
	} else {
		opts.async = iface;
	}
	dev = xnvme_dev_open(uri, &opts);
	if (!dev) {
		printf("FAIL: open %s with %s: %s (%s)\n", uri, iface, strerror(errno),
		       xnvme_dev_open_err_msg());
		g_nfail++;
	}
	return dev;
}

/* One command: blocks [i*MD_NLB, (i+1)*MD_NLB) of the buffers, contiguous or split in iovecs */
static int
md_pass(struct xnvme_cmd_ctx *ctx, int write, uint32_t i, struct md_bufs *b, int vectored,
	struct iovec *vec)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(ctx->dev);
	size_t dlen = (size_t)MD_NLB * geo->lba_nbytes;
	size_t mlen = geo->lba_extended ? 0 : (size_t)MD_NLB * geo->nbytes_oob;
	uint8_t *dbuf = b->data + i * dlen;
	uint8_t *mbuf = mlen ? b->meta + i * mlen : NULL;

	xnvme_prep_nvm(ctx, write ? XNVME_SPEC_NVM_OPC_WRITE : XNVME_SPEC_NVM_OPC_READ,
		       xnvme_dev_get_nsid(ctx->dev), (uint64_t)i * MD_NLB, MD_NLB - 1);
	if (!vectored) {
		return xnvme_cmd_pass(ctx, dbuf, dlen, mbuf, mlen);
	}
	/* Uneven pieces, each a whole number of logical blocks: 1, 2, 2, 3 */
	{
		static const int blocks[MD_NVEC] = {1, 2, 2, 3};
		size_t off = 0;

		for (int v = 0; v < MD_NVEC; ++v) {
			vec[v].iov_base = dbuf + off;
			vec[v].iov_len = (size_t)blocks[v] * geo->lba_nbytes;
			off += vec[v].iov_len;
		}
	}
	return xnvme_cmd_pass_iov(ctx, vec, MD_NVEC, dlen, mbuf, mlen);
}

static int
md_run(struct xnvme_dev *dev, const char *iface, int write, struct md_bufs *b, int vectored)
{
	static struct iovec vecs[MD_NCMDS][MD_NVEC];
	struct check_cpl state = {0};
	struct xnvme_queue *queue = NULL;
	int err;

	if (ifaces_sync(&g_ifaces, iface)) {
		for (uint32_t i = 0; i < MD_NCMDS; ++i) {
			struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);

			err = md_pass(&ctx, write, i, b, vectored, vecs[i]);
			if (err || xnvme_cmd_ctx_cpl_status(&ctx)) {
				xnvme_cmd_ctx_pr(&ctx, XNVME_PR_DEF);
				return err ? err : -EIO;
			}
		}
		return 0;
	}
	err = xnvme_queue_init(dev, MD_NCMDS, 0, &queue);
	if (err) {
		return err;
	}
	xnvme_queue_set_cb(queue, check_cpl_cb, &state);
	for (uint32_t i = 0; i < MD_NCMDS; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);

		err = md_pass(ctx, write, i, b, vectored, vecs[i]);
		if (err) {
			xnvme_queue_put_cmd_ctx(queue, ctx);
			break;
		}
	}
	if (xnvme_queue_drain(queue) < 0 && !err) {
		err = -ETIMEDOUT;
	}
	xnvme_queue_term(queue);
	return err ? err : state.nerr ? -EIO : 0;
}

static int
md_alloc(struct xnvme_dev *dev, struct md_bufs *b)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);

	b->data_nbytes = (size_t)MD_NCMDS * MD_NLB * geo->lba_nbytes;
	b->meta_nbytes = geo->lba_extended ? 0 : (size_t)MD_NCMDS * MD_NLB * geo->nbytes_oob;
	b->data = xnvme_buf_alloc(dev, b->data_nbytes);
	b->meta = b->meta_nbytes ? xnvme_buf_alloc(dev, b->meta_nbytes) : NULL;
	return b->data && (b->meta || !b->meta_nbytes) ? 0 : -ENOMEM;
}

static void
md_free(struct xnvme_dev *dev, struct md_bufs *b)
{
	xnvme_buf_free(dev, b->data);
	xnvme_buf_free(dev, b->meta);
}

int
main(int argc, char **argv)
{
	const char *ifaces[IFACES_MAX];
	int n;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DEV [IFACE ...]\n", argv[0]);
		return 2;
	}
	if (ifaces_for_test(argv[1], argc - 2, &argv[2], 1, &g_ifaces)) {
		return 1;
	}
	n = g_ifaces.n;
	for (int i = 0; i < n; ++i) {
		ifaces[i] = g_ifaces.item[i].id;
	}
	for (int vectored = 0; vectored < 2; ++vectored) {
		for (int w = 0; w < n; ++w) {
			for (int r = 0; r < n; ++r) {
				struct xnvme_dev *wdev = md_open(argv[1], ifaces[w]);
				struct xnvme_dev *rdev = wdev ? md_open(argv[1], ifaces[r]) : NULL;
				struct md_bufs wb = {0}, rb = {0};
				const struct xnvme_geo *geo;
				int err;

				if (!rdev) {
					xnvme_dev_close(wdev);
					continue;
				}
				geo = xnvme_dev_get_geo(wdev);
				if (!geo->nbytes_oob && !w && !r && !vectored) {
					printf("NOTE: %s has no metadata; data only\n", argv[1]);
				}
				if (md_alloc(wdev, &wb) || md_alloc(rdev, &rb)) {
					printf("FAIL: out of memory\n");
					return 1;
				}
				xnvme_buf_fill(wb.data, wb.data_nbytes, "rand-k");
				wb.data[0] ^= (uint8_t)(w * 16 + r * 4 + vectored);
				if (wb.meta) {
					for (size_t i = 0; i < wb.meta_nbytes; ++i) {
						wb.meta[i] =
						    (uint8_t)(0xA0 + i + (size_t)w + (size_t)r);
					}
				}
				memset(rb.data, 0, rb.data_nbytes);
				if (rb.meta) {
					memset(rb.meta, 0, rb.meta_nbytes);
				}
				err = md_run(wdev, ifaces[w], 1, &wb, vectored);
				if (!err) {
					err = md_run(rdev, ifaces[r], 0, &rb, vectored);
				}
				if (err) {
					printf("FAIL: write %s, read %s, %s: %s\n", ifaces[w],
					       ifaces[r], vectored ? "vectored" : "contiguous",
					       strerror(-err));
					g_nfail++;
				} else if (memcmp(wb.data, rb.data, wb.data_nbytes) ||
					   (wb.meta && memcmp(wb.meta, rb.meta, wb.meta_nbytes))) {
					printf(
					    "FAIL: write %s, read %s, %s: %s differs\n", ifaces[w],
					    ifaces[r], vectored ? "vectored" : "contiguous",
					    memcmp(wb.data, rb.data, wb.data_nbytes) ? "data"
										     : "metadata");
					g_nfail++;
				} else {
					printf("PASS: write %s, read %s, %s, lba %u B + %u B %s\n",
					       ifaces[w], ifaces[r],
					       vectored ? "vectored" : "contiguous", geo->nbytes,
					       geo->nbytes_oob,
					       geo->lba_extended ? "extended" : "separate");
				}
				md_free(wdev, &wb);
				md_free(rdev, &rb);
				xnvme_dev_close(rdev);
				xnvme_dev_close(wdev);
			}
		}
	}
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
