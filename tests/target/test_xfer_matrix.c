/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data written through each sync and async interface reads back byte-identical through every
 * other, at several queue depths, buffered and with O_DIRECT.
 *
 * usage: test_xfer_matrix TARGET [IFACE ...]
 *   TARGET  a regular file (at least 16 MiB) or a block device; its content is overwritten
 *   IFACE   interfaces to cross; default: every sync and async interface the library offers
 *           on TARGET that moves data (ifaces.h)
 * Environment: XFER_QDS="1 32 1024" queue depths; XFER_DIRECT="0 1" buffered and/or direct;
 *   XFER_MATRIX=full (default) or pairwise, see below.
 *
 * full: every writer, then every reader, at every queue depth and direct setting: D x Q x N x N
 * read-backs for N interfaces. pairwise (make test-sanitize, make test-configs): each writer still
 * writes at every (direct, queue depth) setting and each reader still reads at every one, and each
 * (writer, reader) pair still meets, but a pair meets at one setting instead of all of them: with
 * C = D x Q settings, about N x N read-backs when N >= C (N x C when N < C) instead of C x N x N.
 * So every pair of the four dimensions (writer, reader, depth, direct) is crossed at least once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "check.h"
#include "ifaces.h"

#define XFER_NBYTES (8ULL << 20) /* bytes written per writer, per round, at most */
#define XFER_BS     4096ULL      /* bytes per command, at most (or one block) */

/*
 * Blocks per command: as many as fit XFER_BS. A block of a format with extended metadata (e.g.
 * 512 + 8 bytes) does not divide 4096, so the sizes below are whole blocks, not XFER_BS.
 */
static uint64_t
xfer_cmd_nlb(const struct xnvme_geo *geo)
{
	return geo->lba_nbytes < XFER_BS ? XFER_BS / geo->lba_nbytes : 1;
}

/* Bytes moved per round: whole commands within XFER_NBYTES */
static uint64_t
xfer_round_nbytes(const struct xnvme_geo *geo)
{
	uint64_t cmd_nbytes = xfer_cmd_nlb(geo) * geo->lba_nbytes;

	return XFER_NBYTES / cmd_nbytes * cmd_nbytes;
}

static struct ifaces g_ifaces;

/*
 * Whether the reader r reads back the writer w at setting c (0 .. nsettings-1) in the pairwise
 * matrix: with m = min(nifaces, nsettings), when (w + r) and c are equal modulo m. For a given
 * (w, c) the readers r = c - w, c - w + m, ... (mod m) exist since nifaces >= m; likewise a writer
 * for a given (r, c); and a given (w, r) meets at the settings c = w + r (mod m), of which there is
 * at least one since nsettings >= m.
 */
static int
xfer_pairwise_reads(int w, int r, int c, int nifaces, int nsettings)
{
	int m = nifaces < nsettings ? nifaces : nsettings;

	return (w + r) % m == c % m;
}

static struct xnvme_dev *
xfer_open(const char *target, const char *iface, int direct)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	opts.nsid = check_target_nsid();
	opts.direct = (uint8_t)direct;
	if (ifaces_sync(&g_ifaces, iface)) {
		opts.sync = iface;
	} else {
		opts.async = iface;
	}
	dev = xnvme_dev_open(target, &opts);
	if (!dev) {
		fprintf(stderr, "FAIL: open(%s, %s, direct=%d): %s: %s\n", target, iface, direct,
			strerror(errno), xnvme_dev_open_err_msg());
	}
	return dev;
}

/* Moves buf to/from the device through iface: sync psync, or async at queue depth qd. */
static int
xfer_run(struct xnvme_dev *dev, const char *iface, uint32_t qd, int write, uint64_t slba_base,
	 uint8_t *buf, uint64_t nbytes)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	uint64_t cmd_nlb = xfer_cmd_nlb(geo), cmd_nbytes = cmd_nlb * geo->lba_nbytes;
	uint16_t nlb = (uint16_t)(cmd_nlb - 1);
	uint64_t ncmds = nbytes / cmd_nbytes;
	struct check_cpl state = {0};
	struct xnvme_queue *queue = NULL;
	int err;

	if (ifaces_sync(&g_ifaces, iface)) {
		for (uint64_t i = 0; i < ncmds; ++i) {
			struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
			uint64_t slba = slba_base + i * cmd_nlb;

			err =
			    write
				? xnvme_nvm_write(&ctx, nsid, slba, nlb, buf + i * cmd_nbytes, NULL)
				: xnvme_nvm_read(&ctx, nsid, slba, nlb, buf + i * cmd_nbytes, NULL);
			if (err || xnvme_cmd_ctx_cpl_status(&ctx)) {
				fprintf(stderr, "FAIL: psync %s: %d\n", write ? "write" : "read",
					err);
				return -EIO;
			}
		}
		return 0;
	}

	err = xnvme_queue_init(dev, qd, 0, &queue);
	if (err) {
		fprintf(stderr, "FAIL: queue_init(%s, qd=%u): %s\n", iface, qd, strerror(-err));
		return err;
	}
	xnvme_queue_set_cb(queue, check_cpl_cb, &state);
	/* Interleave the order so that commands complete out of LBA order. */
	for (uint64_t n = 0; n < ncmds; ++n) {
		uint64_t i = (n * 7919) % ncmds;
		uint64_t slba = slba_base + i * cmd_nlb;
		struct xnvme_cmd_ctx *ctx;

		for (;;) {
			ctx = xnvme_queue_get_cmd_ctx(queue);
			if (ctx) {
				break;
			}
			err = xnvme_queue_poke(queue, 0);
			if (err < 0) {
				fprintf(stderr, "FAIL: poke: %s\n", strerror(-err));
				goto out;
			}
		}
		/* The queue hands out one context more than it takes: -EBUSY until a poke */
		do {
			err =
			    write
				? xnvme_nvm_write(ctx, nsid, slba, nlb, buf + i * cmd_nbytes, NULL)
				: xnvme_nvm_read(ctx, nsid, slba, nlb, buf + i * cmd_nbytes, NULL);
		} while (err == -EBUSY && xnvme_queue_poke(queue, 0) >= 0);
		if (err) {
			fprintf(stderr, "FAIL: submit %s: %s\n", iface, strerror(-err));
			xnvme_queue_put_cmd_ctx(queue, ctx);
			goto out;
		}
		if (xnvme_queue_get_outstanding(queue) > qd) {
			fprintf(stderr, "FAIL: outstanding %u > capacity %u\n",
				xnvme_queue_get_outstanding(queue), qd);
			err = -EIO;
			goto out;
		}
	}
	err = xnvme_queue_drain(queue);
	if (err < 0) {
		fprintf(stderr, "FAIL: drain: %s\n", strerror(-err));
		goto out;
	}
	err = 0;
	if ((uint64_t)state.ndone != ncmds || state.nerr) {
		fprintf(stderr, "FAIL: %s: %d of %lu completed, %d errors\n", iface, state.ndone,
			(unsigned long)ncmds, state.nerr);
		err = -EIO;
	}
out:
	xnvme_queue_term(queue);
	return err;
}

int
main(int argc, char **argv)
{
	const char *ifaces[IFACES_MAX];
	int nifaces;
	const char *qds_env = getenv("XFER_QDS");
	const char *direct_env = getenv("XFER_DIRECT");
	const char *matrix_env = getenv("XFER_MATRIX");
	int pairwise = 0;
	uint32_t qds[8];
	int directs[2], nqds = 0, ndirects = 0, nfail = 0, nrun = 0;
	uint8_t *wbuf, *rbuf;

	if (argc < 2) {
		fprintf(stderr, "usage: %s TARGET [IFACE ...]\n", argv[0]);
		return 2;
	}
	if (matrix_env && strcmp(matrix_env, "full") != 0) {
		if (strcmp(matrix_env, "pairwise") != 0) {
			fprintf(stderr, "%s: XFER_MATRIX=%s: want full or pairwise\n", argv[0],
				matrix_env);
			return 2;
		}
		pairwise = 1;
	}
	if (ifaces_for_test(argv[1], argc - 2, &argv[2], 1, &g_ifaces)) {
		return 1;
	}
	nifaces = g_ifaces.n;
	for (int i = 0; i < nifaces; ++i) {
		ifaces[i] = g_ifaces.item[i].id;
	}
	for (const char *p = qds_env ? qds_env : "1 32 1024"; *p && nqds < 8;) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);

		if (end == p) {
			break;
		}
		qds[nqds++] = (uint32_t)v;
		p = end;
	}
	for (const char *p = direct_env ? direct_env : "0 1"; *p && ndirects < 2; ++p) {
		if (*p == '0' || *p == '1') {
			directs[ndirects++] = *p - '0';
		}
	}

	wbuf = xnvme_buf_virt_alloc(4096, XFER_NBYTES);
	rbuf = xnvme_buf_virt_alloc(4096, XFER_NBYTES);
	if (!wbuf || !rbuf) {
		fprintf(stderr, "FAIL: out of memory\n");
		return 1;
	}

	for (int d = 0; d < ndirects; ++d) {
		for (int q = 0; q < nqds; ++q) {
			for (int w = 0; w < nifaces; ++w) {
				struct xnvme_dev *wdev = xfer_open(argv[1], ifaces[w], directs[d]);
				uint64_t slba, nbytes;

				if (!wdev) {
					nfail++;
					continue;
				}
				/* A fresh pattern per writer: stale data from an earlier round
				 * fails */
				for (uint64_t i = 0; i < XFER_NBYTES; ++i) {
					wbuf[i] = (uint8_t)(i * 31 + (uint64_t)w * 131 +
							    (uint64_t)q * 17 + (uint64_t)d * 7 +
							    (i >> 12));
				}
				slba = 0;
				nbytes = xfer_round_nbytes(xnvme_dev_get_geo(wdev));
				if (xfer_run(wdev, ifaces[w], qds[q], 1, slba, wbuf, nbytes)) {
					nfail++;
					xnvme_dev_close(wdev);
					continue;
				}
				/* The writer stays open while the readers read: a ramdisk lives
				 * while a handle to it is open; a file does not care */
				for (int r = 0; r < nifaces; ++r) {
					struct xnvme_dev *rdev;
					size_t diff;

					if (pairwise &&
					    !xfer_pairwise_reads(w, r, d * nqds + q, nifaces,
								 ndirects * nqds)) {
						continue;
					}
					rdev = xfer_open(argv[1], ifaces[r], directs[d]);
					nrun++;
					if (!rdev) {
						nfail++;
						continue;
					}
					memset(rbuf, 0xAA, XFER_NBYTES);
					if (xfer_run(rdev, ifaces[r], qds[q], 0, slba, rbuf,
						     nbytes)) {
						nfail++;
					} else if ((diff = xnvme_buf_diff(wbuf, rbuf, nbytes))) {
						fprintf(
						    stderr,
						    "FAIL: write %s, read %s, qd %u, direct %d: "
						    "%zu bytes differ\n",
						    ifaces[w], ifaces[r], qds[q], directs[d],
						    diff - 1);
						nfail++;
					}
					xnvme_dev_close(rdev);
				}
				xnvme_dev_close(wdev);
			}
		}
	}
	xnvme_buf_virt_free(wbuf);
	xnvme_buf_virt_free(rbuf);
	printf("%d cross-checks (%s matrix: %d interfaces, %d queue depths, %d direct settings), "
	       "%d failed\n",
	       nrun, pairwise ? "pairwise" : "full", nifaces, nqds, ndirects, nfail);
	return nfail ? 1 : 0;
}
