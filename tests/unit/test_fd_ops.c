/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The system's operations on a device's file descriptor (dev->fd_ops, xnvme_be.h), as lib/be/common
 * uses them for write zeroes and deallocate on a file, through psync: a hook that works replaces
 * the written zeroes, one that fails falls back to them (write zeroes) or fails the command
 * (deallocate), and without hooks both commands write zeroes, what any POSIX system can do.
 * Counting hooks replace the backend's on an open file. Skips (77) without a backend that opens
 * files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xnvme_dev.h"
#include "check.h"

#define NBLOCKS 64

/* What a counting hook saw: its calls and the range of the last */
struct hook_seen {
	int calls;
	uint64_t off, nbytes;
};
static struct hook_seen g_zero, g_discard;
static int g_hook_err; ///< What the hooks return

static int
hook_record(struct hook_seen *seen, uint64_t off, uint64_t nbytes)
{
	seen->calls++;
	seen->off = off;
	seen->nbytes = nbytes;
	return g_hook_err;
}

static int
count_zero_range(int fd, uint64_t off, uint64_t nbytes)
{
	(void)fd;
	return hook_record(&g_zero, off, nbytes);
}

static int
count_discard(int fd, uint64_t off, uint64_t nbytes)
{
	(void)fd;
	return hook_record(&g_discard, off, nbytes);
}

static const struct xnvme_be_fd_ops g_counting = {
    .zero_range = count_zero_range,
    .discard = count_discard,
};

/* Blocks [8, 16) after a write of a pattern to all and one command: 1 zeroes, 0 pattern, -1 error
 */
static int
run_cmd(struct xnvme_dev *dev, int dsm, const uint8_t *pat, uint8_t *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	struct xnvme_spec_dsm_range *range = (void *)buf;
	uint32_t bs = xnvme_dev_get_geo(dev)->lba_nbytes, nsid = xnvme_dev_get_nsid(dev);
	int err;

	if (xnvme_nvm_write(&ctx, nsid, 0, NBLOCKS - 1, (void *)pat, NULL)) {
		return -1;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	if (dsm) {
		memset(range, 0, sizeof(*range));
		range->slba = 8;
		range->llb = 8;
		err = xnvme_nvm_dsm(&ctx, nsid, range, 0, true, false, false);
	} else {
		err = xnvme_nvm_write_zeroes(&ctx, nsid, 8, 7);
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	if (err || xnvme_nvm_read(&ctx, nsid, 0, NBLOCKS - 1, buf, NULL)) {
		return -1;
	}
	if (memcmp(buf, pat, 8 * bs) || memcmp(buf + 16 * bs, pat + 16 * bs, 48 * bs)) {
		return -1; /* the neighbours must be intact whatever the hooks do */
	}
	for (size_t i = 8 * bs; i < 16 * bs; ++i) {
		if (buf[i]) {
			return memcmp(buf + 8 * bs, pat + 8 * bs, 8 * bs) ? -1 : 0;
		}
	}
	return 1;
}

int
main(void)
{
	char path[] = "/tmp/xnvme-fd-ops-XXXXXX";
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;
	uint8_t *pat, *buf;
	uint64_t bs;
	size_t nbytes;
	int fd;

	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, NBLOCKS * 4096)) {
		perror("a temporary file");
		return 1;
	}
	close(fd);
	opts.sync = "psync";
	dev = xnvme_dev_open(path, &opts);
	if (!dev) {
		printf("SKIP: no backend opens a file here (%s)\n", xnvme_dev_open_err_msg());
		unlink(path);
		return 77;
	}
	CHECK(dev->fd_ops != NULL, "the backend set its operations on the file at open");
	bs = xnvme_dev_get_geo(dev)->lba_nbytes;
	nbytes = (size_t)(NBLOCKS * bs);
	pat = xnvme_buf_alloc(dev, nbytes);
	buf = xnvme_buf_alloc(dev, nbytes);
	xnvme_buf_fill(pat, nbytes, "rand-k");
	for (size_t i = 0; i < nbytes; ++i) {
		pat[i] |= 1; /* no zero byte: zeroes are the command's */
	}
	CHECK(run_cmd(dev, 0, pat, buf) == 1 && run_cmd(dev, 1, pat, buf) == 1,
	      "the backend's own operations: write zeroes and deallocate read back as zeroes");

	dev->fd_ops = &g_counting;
	g_hook_err = 0;
	CHECK(run_cmd(dev, 0, pat, buf) == 0 && g_zero.calls == 1 && g_zero.off == 8 * bs &&
		  g_zero.nbytes == 8 * bs,
	      "write zeroes: a zero_range that succeeds is the whole command (%d call)",
	      g_zero.calls);
	CHECK(run_cmd(dev, 1, pat, buf) == 0 && g_discard.calls == 1 && g_discard.off == 8 * bs &&
		  g_discard.nbytes == 8 * bs,
	      "deallocate: a discard that succeeds is the whole command (%d call)",
	      g_discard.calls);
	g_hook_err = -EOPNOTSUPP;
	CHECK(run_cmd(dev, 0, pat, buf) == 1 && g_zero.calls == 2,
	      "write zeroes: a zero_range that fails falls back to written zeroes");
	CHECK(run_cmd(dev, 1, pat, buf) == -1 && g_discard.calls == 2,
	      "deallocate: a discard that fails fails the command");

	dev->fd_ops = NULL;
	CHECK(run_cmd(dev, 0, pat, buf) == 1 && g_zero.calls == 2,
	      "no operations: write zeroes writes them");
	CHECK(run_cmd(dev, 1, pat, buf) == 1 && g_discard.calls == 2,
	      "no operations: deallocate writes zeroes (identify says deallocated blocks read so)");

	xnvme_buf_free(dev, pat);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	unlink(path);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
