/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NVM commands beyond read and write, through the sync interface and every async one: write
 * zeroes, deallocate, compare (match and mismatch), verify, copy, flush, and the FS byte-offset
 * commands of libxnvme_file.h. Each checked by reading the target back.
 * usage: test_nvm_cmds TARGET [IFACE ...]   (TARGET is overwritten; IFACE: default every sync
 * and async interface the library offers on TARGET that moves data, ifaces.h)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libxnvme.h>
#include "check.h"
#include "ifaces.h"

struct run {
	struct xnvme_dev *dev;
	struct xnvme_queue *queue;
	int ndone;
	int status;
};

static void
run_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct run *run = cb_arg;

	run->ndone++;
	run->status = xnvme_cmd_ctx_cpl_status(ctx) ? ctx->cpl.status.val : 0;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* A context for the interface under test: from the queue (async) or the stack (sync). */
static struct xnvme_cmd_ctx *
run_ctx(struct run *run, struct xnvme_cmd_ctx *sync_ctx)
{
	if (!run->queue) {
		*sync_ctx = xnvme_cmd_ctx_from_dev(run->dev);
		return sync_ctx;
	}
	return xnvme_queue_get_cmd_ctx(run->queue);
}

/* Completes the command just passed; returns 0, the submit error, or -EIO with *sc set. */
static int
run_wait(struct run *run, struct xnvme_cmd_ctx *ctx, int err, uint16_t *sc)
{
	*sc = 0;
	if (!run->queue) {
		*sc = ctx->cpl.status.sc;
		return err;
	}
	if (err) {
		xnvme_queue_put_cmd_ctx(run->queue, ctx);
		*sc = ctx->cpl.status.sc;
		return err;
	}
	run->ndone = 0;
	if (xnvme_queue_drain(run->queue) < 0 || run->ndone != 1) {
		return -ETIMEDOUT;
	}
	*sc = (uint16_t)((run->status >> 1) & 0xFF);
	return run->status ? -EIO : 0;
}

static int
read_back(struct xnvme_dev *dev, uint64_t slba, uint16_t nlb, void *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);

	return xnvme_nvm_read(&ctx, xnvme_dev_get_nsid(dev), slba, nlb, buf, NULL);
}

static int
is_zero(const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; ++i) {
		if (buf[i]) {
			return 0;
		}
	}
	return 1;
}

static void
test_iface(const char *target, const char *iface, int sync)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct run run = {0};
	const struct xnvme_geo *geo;
	int has_compare, has_verify, has_copy;
	struct xnvme_cmd_ctx sctx, *ctx;
	struct xnvme_spec_dsm_range *range;
	struct xnvme_spec_nvm_scopy_source_range *copy;
	uint8_t *pat, *buf;
	uint32_t nsid, bs;
	uint16_t sc;
	int err;

	opts.nsid = check_target_nsid();
	if (sync) {
		opts.sync = iface;
	} else {
		opts.async = iface;
	}
	run.dev = xnvme_dev_open(target, &opts);
	if (!run.dev) {
		CHECK(0, "%s: open: %s (%s)", iface, strerror(errno), xnvme_dev_open_err_msg());
		return;
	}
	if (opts.async && xnvme_queue_init(run.dev, 4, 0, &run.queue)) {
		CHECK(0, "%s: queue", iface);
		xnvme_dev_close(run.dev);
		return;
	}
	if (run.queue) {
		xnvme_queue_set_cb(run.queue, run_cb, &run);
	}
	geo = xnvme_dev_get_geo(run.dev);
	nsid = xnvme_dev_get_nsid(run.dev);
	bs = geo->lba_nbytes;
	pat = xnvme_buf_alloc(run.dev, 64 * bs);
	buf = xnvme_buf_alloc(run.dev, 64 * bs);
	range = xnvme_buf_alloc(run.dev, 4096);
	copy = xnvme_buf_alloc(run.dev, sizeof(*copy));
	xnvme_buf_fill(pat, 64 * bs, "rand-k");
	pat[0] ^= (uint8_t)iface[0];

	/* Lay down a pattern on blocks 0..63 */
	ctx = run_ctx(&run, &sctx);
	err = run_wait(&run, ctx, xnvme_nvm_write(ctx, nsid, 0, 63, pat, NULL), &sc);
	CHECK(!err && !read_back(run.dev, 0, 63, buf) && !memcmp(buf, pat, 64 * bs),
	      "%s: write 64 blocks", iface);

	ctx = run_ctx(&run, &sctx);
	err = run_wait(&run, ctx, xnvme_nvm_write_zeroes(ctx, nsid, 8, 7), &sc);
	CHECK(!err && !read_back(run.dev, 0, 63, buf) && is_zero(buf + 8 * bs, 8 * bs) &&
		  !memcmp(buf, pat, 8 * bs) && !memcmp(buf + 16 * bs, pat + 16 * bs, 48 * bs),
	      "%s: write zeroes blocks 8..15, neighbours intact (%d)", iface, err);

	memset(range, 0, 4096);
	range[0].slba = 16;
	range[0].llb = 8;
	range[1].slba = 32;
	range[1].llb = 8;
	ctx = run_ctx(&run, &sctx);
	err = run_wait(&run, ctx, xnvme_nvm_dsm(ctx, nsid, range, 1, true, false, false), &sc);
	/* What deallocated blocks read as is the device's to say: DLFEAT bits 2:0 (NVM 1.0 4.1.5.1)
	 */
	if (xnvme_dev_get_ns(run.dev)->dlfeat.bits.read_value == 0x1) {
		CHECK(!err && !read_back(run.dev, 0, 63, buf) && is_zero(buf + 16 * bs, 8 * bs) &&
			  is_zero(buf + 32 * bs, 8 * bs) &&
			  !memcmp(buf + 24 * bs, pat + 24 * bs, 8 * bs),
		      "%s: deallocate two ranges, they read as zeroes (%d)", iface, err);
	} else {
		CHECK(!err && !read_back(run.dev, 0, 63, buf) &&
			  !memcmp(buf + 24 * bs, pat + 24 * bs, 8 * bs),
		      "%s: deallocate two ranges; DLFEAT promises no content, the block between is "
		      "intact (%d)",
		      iface, err);
	}
	/* Ranges past the end: the emulations refuse them; NVMe leaves it to the controller */
	if (xnvme_dev_get_ident(run.dev)->dtype == XNVME_DEV_TYPE_FS_FILE ||
	    xnvme_dev_get_ident(run.dev)->dtype == XNVME_DEV_TYPE_BLOCK_DEVICE) {
		range[0].slba = geo->tbytes / bs;
		ctx = run_ctx(&run, &sctx);
		err = run_wait(&run, ctx, xnvme_nvm_dsm(ctx, nsid, range, 0, true, false, false),
			       &sc);
		CHECK(err == -EINVAL || (err == -EIO && sc == XNVME_SPEC_SC_LBA_OUT_OF_RANGE),
		      "%s: deallocate past the end is refused (%d)", iface, err);
	}

	/*
	 * Compare, verify and copy where the controller advertises them (ONCS bits 0, 7, 8: every
	 * emulation does; Linux's nvmet has none of them; QEMU 7.2 carries out Verify without its
	 * bit). Not advertised, a controller may refuse or carry it out: an answer of success must
	 * then be right all the same.
	 */
	has_compare = xnvme_dev_get_ctrlr(run.dev)->oncs.compare;
	has_verify = xnvme_dev_get_ctrlr(run.dev)->oncs.verify;
	has_copy = xnvme_dev_get_ctrlr(run.dev)->oncs.copy;
	ctx = run_ctx(&run, &sctx);
	err = run_wait(&run, ctx, xnvme_nvm_compare(ctx, nsid, 48, 7, pat + 48 * bs, NULL), &sc);
	CHECK(has_compare ? !err : err <= 0, "%s: compare equal data%s (%d)", iface,
	      has_compare ? "" : ", not in ONCS: refused or done", err);
	if (has_compare || !err) {
		memcpy(buf, pat + 48 * bs, 8 * bs);
		buf[5 * bs + 3] ^= 0x1;
		ctx = run_ctx(&run, &sctx);
		err = run_wait(&run, ctx, xnvme_nvm_compare(ctx, nsid, 48, 7, buf, NULL), &sc);
		CHECK(err == -EIO && sc == XNVME_SPEC_SC_COMPARE_FAILURE,
		      "%s: compare different data: Compare Failure (%d, sc 0x%x)", iface, err, sc);
	}

	ctx = run_ctx(&run, &sctx);
	err = run_wait(&run, ctx, xnvme_nvm_verify(ctx, nsid, 0, 63), &sc);
	CHECK(has_verify ? !err : err <= 0, "%s: verify%s (%d)", iface,
	      has_verify ? "" : ", not in ONCS: refused or done", err);

	memset(copy, 0, sizeof(*copy));
	copy->entry[0].slba = 0;
	copy->entry[0].nlb = 3;
	copy->entry[1].slba = 48;
	copy->entry[1].nlb = 3;
	ctx = run_ctx(&run, &sctx);
	err =
	    run_wait(&run, ctx,
		     xnvme_nvm_scopy(ctx, nsid, 56, copy->entry, 1, XNVME_NVM_SCOPY_FMT_ZERO), &sc);
	if (has_copy || !err) {
		CHECK(!err && !read_back(run.dev, 56, 7, buf) && !memcmp(buf, pat, 4 * bs) &&
			  !memcmp(buf + 4 * bs, pat + 48 * bs, 4 * bs),
		      "%s: copy two ranges to block 56 (%d)", iface, err);
	} else {
		CHECK(err < 0, "%s: copy, not in ONCS: refused (%d)", iface, err);
	}

	/* Vectored: the command's blocks move; a vector longer than them is refused before any I/O
	 * (readv/writev would move all of it) */
	{
		struct iovec exact[2] = {{buf, bs}, {buf + bs, bs}};
		struct iovec longer[2] = {{buf, bs}, {buf + bs, 2 * (size_t)bs}};

		memset(buf, 0x3C, 4 * bs);
		ctx = run_ctx(&run, &sctx);
		xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_WRITE, nsid, 40, 1);
		err = run_wait(&run, ctx, xnvme_cmd_passv(ctx, exact, 2, 2 * bs, NULL, 0, 0), &sc);
		CHECK(!err && !read_back(run.dev, 40, 2, buf + 4 * bs) && buf[4 * bs] == 0x3C &&
			  buf[6 * bs - 1] == 0x3C && !memcmp(buf + 6 * bs, pat + 42 * bs, bs),
		      "%s: vectored write of two blocks, the next intact (%d)", iface, err);
		ctx = run_ctx(&run, &sctx);
		xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_WRITE, nsid, 44, 1);
		err = run_wait(&run, ctx, xnvme_cmd_passv(ctx, longer, 2, 3 * bs, NULL, 0, 0), &sc);
		CHECK(err == -EINVAL && sc == XNVME_SPEC_SC_INVALID_FIELD &&
			  !read_back(run.dev, 44, 2, buf + 4 * bs) &&
			  !memcmp(buf + 4 * bs, pat + 44 * bs, 3 * bs),
		      "%s: a vector longer than the command is refused, nothing written (%d, sc "
		      "0x%x)",
		      iface, err, sc);
	}

	ctx = run_ctx(&run, &sctx);
	err = run_wait(&run, ctx, xnvme_nvm_flush(ctx, nsid), &sc);
	CHECK(!err, "%s: flush (%d)", iface, err);

	/* Write uncorrectable where the device has it (ONCS bit 1): reads fail until rewritten */
	if (xnvme_dev_get_ctrlr(run.dev)->oncs.write_unc) {
		ctx = run_ctx(&run, &sctx);
		err = run_wait(&run, ctx, xnvme_nvm_write_uncorrectable(ctx, nsid, 60, 1), &sc);
		CHECK(!err, "%s: write uncorrectable blocks 60..61 (%d)", iface, err);
		ctx = run_ctx(&run, &sctx);
		err = run_wait(&run, ctx, xnvme_nvm_read(ctx, nsid, 60, 0, buf, NULL), &sc);
		CHECK(err == -EIO && sc == XNVME_SPEC_SC_UNRECOVERED_READ_ERROR,
		      "%s: reading them: Unrecovered Read Error (%d, sc 0x%x)", iface, err, sc);
		ctx = run_ctx(&run, &sctx);
		err = run_wait(&run, ctx, xnvme_nvm_write(ctx, nsid, 60, 1, pat, NULL), &sc);
		CHECK(!err && !read_back(run.dev, 60, 1, buf) && !memcmp(buf, pat, 2 * bs),
		      "%s: rewritten, they read again (%d)", iface, err);
	}

	xnvme_buf_free(run.dev, pat);
	xnvme_buf_free(run.dev, buf);
	xnvme_buf_free(run.dev, range);
	xnvme_buf_free(run.dev, copy);
	xnvme_queue_term(run.queue);
	xnvme_dev_close(run.dev);
}

/* libxnvme_file.h: byte offsets through the FS pseudo command set */
static void
test_file_api(const char *target)
{
	struct xnvme_dev *fh = xnvme_file_open(target, NULL);
	struct xnvme_cmd_ctx ctx;
	char msg[] = "bytes at an odd offset";
	char back[sizeof(msg)] = {0};

	if (!fh) {
		CHECK(0, "file_open: %s", strerror(errno));
		return;
	}
	/* The FS pseudo command set is the file backends' own: NVMe devices do not take it */
	if (xnvme_dev_get_ident(fh)->dtype != XNVME_DEV_TYPE_FS_FILE) {
		printf("NOTE: %s is not a file: the file API is not tried\n", target);
		xnvme_file_close(fh);
		return;
	}
	ctx = xnvme_file_get_cmd_ctx(fh);
	CHECK(!xnvme_file_pwrite(&ctx, msg, sizeof(msg), 12345), "file pwrite at byte 12345");
	ctx = xnvme_file_get_cmd_ctx(fh);
	CHECK(!xnvme_file_pread(&ctx, back, sizeof(back), 12345) && !memcmp(msg, back, sizeof(msg)),
	      "file pread at byte 12345 reads it back");
	CHECK(!xnvme_file_sync(fh), "file sync");
	ctx = xnvme_file_get_cmd_ctx(fh);
	CHECK(xnvme_file_pread(&ctx, back, sizeof(back), -1) == -EINVAL,
	      "negative offset: -EINVAL");
	xnvme_file_close(fh);
}

/* nil completes every command at once and moves no data: the library's own cost, nothing else */
static void
test_nil(const char *target)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct run run = {0};
	struct xnvme_cmd_ctx *ctx;
	uint8_t *buf, *back;
	uint32_t bs;
	int err;

	opts.nsid = check_target_nsid();
	opts.async = "nil";
	run.dev = xnvme_dev_open(target, &opts);
	if (!run.dev || xnvme_queue_init(run.dev, 8, 0, &run.queue)) {
		CHECK(0, "nil: open and queue");
		xnvme_dev_close(run.dev);
		return;
	}
	xnvme_queue_set_cb(run.queue, run_cb, &run);
	bs = xnvme_dev_get_geo(run.dev)->lba_nbytes;
	buf = xnvme_buf_alloc(run.dev, bs);
	back = xnvme_buf_alloc(run.dev, bs);
	read_back(run.dev, 100, 0, back);
	memset(buf, ~back[0], bs);
	ctx = xnvme_queue_get_cmd_ctx(run.queue);
	err = xnvme_nvm_write(ctx, xnvme_dev_get_nsid(run.dev), 100, 0, buf, NULL);
	CHECK(!err && xnvme_queue_poke(run.queue, 0) == 1 && run.ndone == 1 && !run.status,
	      "nil: a write completes successfully on the first poke");
	CHECK(!read_back(run.dev, 100, 0, buf) && !memcmp(buf, back, bs), "nil: and wrote nothing");
	ctx = xnvme_queue_get_cmd_ctx(run.queue);
	err = xnvme_nvm_write(ctx, xnvme_dev_get_nsid(run.dev), UINT64_MAX - 1, 0, buf, NULL);
	xnvme_queue_put_cmd_ctx(run.queue, ctx);
	CHECK(err == -EINVAL, "nil: still refuses a write past the end");
	xnvme_buf_free(run.dev, buf);
	xnvme_buf_free(run.dev, back);
	xnvme_queue_term(run.queue);
	xnvme_dev_close(run.dev);
}

/*
 * A file that shrinks under an open device (another process truncates it): a read past the new end,
 * or one that straddles it, fails with Data Transfer Error and the OS error in cdw0 (ENODATA), and
 * is never reported as a success with part of the buffer filled. Regular files only.
 */
static void
test_shrunk_file(const char *target, const char *iface, int sync)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct run run = {0};
	struct xnvme_cmd_ctx sctx, *ctx;
	struct stat st;
	uint64_t nlbas, end;
	uint32_t bs, nsid;
	uint8_t *buf;
	uint16_t sc;
	int err;

	if (stat(target, &st) || !S_ISREG(st.st_mode)) {
		return;
	}
	opts.nsid = check_target_nsid();
	if (sync) {
		opts.sync = iface;
	} else {
		opts.async = iface;
	}
	run.dev = xnvme_dev_open(target, &opts);
	if (!run.dev || (opts.async && xnvme_queue_init(run.dev, 4, 0, &run.queue))) {
		CHECK(0, "%s: shrunk file: open and queue", iface);
		xnvme_dev_close(run.dev);
		return;
	}
	if (run.queue) {
		xnvme_queue_set_cb(run.queue, run_cb, &run);
	}
	bs = xnvme_dev_get_geo(run.dev)->lba_nbytes;
	nsid = xnvme_dev_get_nsid(run.dev);
	nlbas = (uint64_t)st.st_size / bs;
	end = nlbas / 2;
	buf = xnvme_buf_alloc(run.dev, 8 * bs);
	if (!buf || truncate(target, (off_t)(end * bs))) {
		CHECK(0, "%s: shrunk file: buffer and truncate", iface);
	} else {
		ctx = run_ctx(&run, &sctx);
		memset(buf, 0xA5, 8 * bs);
		err = run_wait(&run, ctx, xnvme_nvm_read(ctx, nsid, end + 4, 3, buf, NULL), &sc);
		CHECK(err == -EIO && sc == XNVME_SPEC_SC_DATA_XFER_ERROR,
		      "%s: shrunk file: a read past the new end fails (%d, sc 0x%x)", iface, err,
		      sc);
		if (!run.queue) {
			CHECK(ctx->cpl.cdw0 == ENODATA, "%s: shrunk file: cdw0 says ENODATA (%u)",
			      iface, ctx->cpl.cdw0);
		}
		ctx = run_ctx(&run, &sctx);
		err = run_wait(&run, ctx, xnvme_nvm_read(ctx, nsid, end - 2, 7, buf, NULL), &sc);
		CHECK(err == -EIO && sc == XNVME_SPEC_SC_DATA_XFER_ERROR,
		      "%s: shrunk file: a read straddling the new end fails (%d, sc 0x%x)", iface,
		      err, sc);
	}
	CHECK(!truncate(target, st.st_size), "%s: shrunk file: size restored", iface);
	xnvme_buf_free(run.dev, buf);
	if (run.queue) {
		xnvme_queue_term(run.queue);
	}
	xnvme_dev_close(run.dev);
}

int
main(int argc, char **argv)
{
	struct ifaces ifaces;

	if (argc < 2) {
		fprintf(stderr, "usage: %s TARGET [IFACE ...]\n", argv[0]);
		return 2;
	}
	if (ifaces_for_test(argv[1], argc - 2, &argv[2], 1, &ifaces)) {
		return 1;
	}
	for (int i = 0; i < ifaces.n; ++i) {
		test_iface(argv[1], ifaces.item[i].id, ifaces.item[i].sync);
		test_shrunk_file(argv[1], ifaces.item[i].id, ifaces.item[i].sync);
	}
	test_file_api(argv[1]);
	test_nil(argv[1]);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
