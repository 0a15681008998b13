/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk's controller model fed arbitrary 64-byte commands: admin (xnvme_cmd_pass_admin) and
 * I/O, contiguous (xnvme_cmd_pass) and vectored (xnvme_cmd_passv, xnvme_cmd_pass_iov), with data
 * and metadata buffers of fuzzed sizes, on small ramdisks of several formats: plain, nil,
 * metadata extended and separate, zoned (with extensions and limits), key-value, and several
 * namespaces of each kind on one controller.
 *
 * Every buffer is its own allocation of exactly the size the command is given, so ASan sees any
 * access outside it. A command must end in a status: 0 with no NVMe status, or a negative errno
 * (-EIO always with an NVMe status, which a refusal may carry too), never a positive value, a crash
 * or a hang.
 *
 * Input: a format byte, then up to 16 commands of 71 bytes each: a kind byte (admin or I/O,
 * contiguous or vectored, the number of pieces, NULL buffers, the data size's unit), a fill byte,
 * the data size (2 bytes, in bytes or with the kind's top bit in 32-byte units: up to 2 MiB, above
 * the 1 MiB transfer limit), the metadata size (2 bytes), the split byte of the vectors, and the
 * 64-byte command. Each run opens the ramdisk afresh and
 * drops it at the end, so a run depends on its input alone.
 */
#include <errno.h>
#include <sys/uio.h>
#include <libxnvme.h>
#include "xnvme_ctrl.h"
#include "fuzz_common.h"

#define FUZZ_CMDS_MAX   16
#define FUZZ_IOV_PIECES 4

/* Small: a ramdisk's pages are faulted in at open, and each run opens one */
static const char *const g_formats[] = {
    "ramdisk:256KiB",
    "ramdisk:1MiB,nil=1",
    "ramdisk:256KiB,lbads=4096,ms=8,mset=ext",
    "ramdisk:128KiB,ms=16,mset=sep",
    "ramdisk:256KiB,lbads=4096,ms=64,mset=sep",
    "ramdisk:256KiB,zoned=1,zsze=64,zcap=48,zdes=1,mor=3,mar=5",
    "ramdisk:256KiB,zoned=1,zsze=32,ronly=2",
    "ramdisk:256KiB,kv=1,kvseed=4",
    "ramdisk:64KiB,nns=3,zoned=2,kv=3",
    "ramdisk:256KiB,lbads=4096,ms=8,mset=sep,zoned=1,zsze=16",
};
#define FUZZ_NFORMATS (sizeof(g_formats) / sizeof(g_formats[0]))

struct fuzz_bufs {
	uint8_t *piece[FUZZ_IOV_PIECES];
	struct iovec iov[FUZZ_IOV_PIECES];
	size_t cnt;
};

/* @p nbytes in @p npieces allocations, split at fractions taken from @p split */
static void
bufs_make(struct fuzz_bufs *bufs, size_t nbytes, size_t npieces, uint8_t split, uint8_t fill)
{
	size_t left = nbytes;

	bufs->cnt = npieces;
	for (size_t i = 0; i < npieces; ++i) {
		size_t len = i + 1 == npieces ? left : left * ((split >> (2 * i)) & 0x3) / 4;

		/* Zeroed but for a head of @p fill: a large buffer's pages are faulted in only
		 * where the model touches them (a fault costs more than most commands) */
		bufs->piece[i] = calloc(1, len ? len : 1);
		FUZZ_ASSERT(bufs->piece[i]);
		memset(bufs->piece[i], fill, len < 64 ? len : 64);
		bufs->iov[i].iov_base = bufs->piece[i];
		bufs->iov[i].iov_len = len;
		left -= len;
	}
}

static void
bufs_free(struct fuzz_bufs *bufs)
{
	for (size_t i = 0; i < bufs->cnt; ++i) {
		free(bufs->piece[i]);
	}
	bufs->cnt = 0;
}

static void
run_cmd(struct xnvme_dev *dev, struct fuzz_in *in)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t kind = (uint8_t)fuzz_take(in, 1);
	uint8_t fill = (uint8_t)fuzz_take(in, 1);
	size_t dlen = (size_t)fuzz_take(in, 2) << ((kind & 0x80) ? 5 : 0);
	size_t mlen = (size_t)fuzz_take(in, 2);
	uint8_t split = (uint8_t)fuzz_take(in, 1);
	size_t npieces = 1 + ((kind >> 2) & 0x3);
	struct fuzz_bufs d = {0}, m = {0};
	int vectored = !(kind & 0x1) && (kind & 0x2), /* admin commands take one buffer */
	    null_data = kind & 0x10, null_meta = kind & 0x20, err;

	fuzz_take_bytes(in, &ctx.cmd, sizeof(ctx.cmd));
	bufs_make(&d, dlen, vectored ? npieces : 1, split, fill);
	bufs_make(&m, mlen, vectored ? npieces : 1, (uint8_t)(split >> 1), fill);

	if (kind & 0x1) {
		err =
		    xnvme_cmd_pass_admin(&ctx, null_data ? NULL : d.piece[0], null_data ? 0 : dlen,
					 null_meta ? NULL : m.piece[0], null_meta ? 0 : mlen);
	} else if (!vectored) {
		err = xnvme_cmd_pass(&ctx, null_data ? NULL : d.piece[0], null_data ? 0 : dlen,
				     null_meta ? NULL : m.piece[0], null_meta ? 0 : mlen);
	} else if (kind & 0x40) {
		err = xnvme_cmd_pass_iov(&ctx, null_data ? NULL : d.iov, null_data ? 0 : d.cnt,
					 null_data ? 0 : dlen, null_meta ? NULL : m.piece[0],
					 null_meta ? 0 : m.iov[0].iov_len);
	} else {
		err = xnvme_cmd_passv(&ctx, null_data ? NULL : d.iov, null_data ? 0 : d.cnt,
				      null_data ? 0 : dlen, null_meta ? NULL : m.iov,
				      null_meta ? 0 : m.cnt, null_meta ? 0 : mlen);
	}
	FUZZ_ASSERT(err <= 0);
	FUZZ_ASSERT(err || !xnvme_cmd_ctx_cpl_status(&ctx));
	/* The library may refuse a command with a status too (-EINVAL); -EIO always has one */
	FUZZ_ASSERT(err != -EIO || xnvme_cmd_ctx_cpl_status(&ctx));
	bufs_free(&d);
	bufs_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct xnvme_opts opts = xnvme_opts_default();
	uint8_t format = (uint8_t)fuzz_take(&in, 1);
	struct xnvme_dev *dev;

	fuzz_devnull();
	opts.be = "ramdisk";
	opts.nsid = 1;
	dev = xnvme_dev_open(g_formats[format % FUZZ_NFORMATS], &opts);
	FUZZ_ASSERT(dev);
	for (int i = 0; i < FUZZ_CMDS_MAX && in.len; ++i) {
		run_cmd(dev, &in);
	}
	xnvme_dev_close(dev);
	FUZZ_ASSERT(xnvme_ctrl_drop_kept() == 1);
	return 0;
}
