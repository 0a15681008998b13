/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad input gets a negative errno (or NULL + errno), never a crash, a hang or a silent partial
 * write. usage: test_bad_input TARGET [ASYNC ...] (a file, block device or ramdisk of at least
 * 1 MiB; overwritten). ASYNC: the async interfaces to close with commands outstanding; default
 * every one the library offers on TARGET that moves data (ifaces.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxnvme.h>
#include "check.h"
#include "ifaces.h"

static struct xnvme_dev *
open_with(const char *uri, const char *be, const char *async, int direct)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.nsid = check_target_nsid();
	opts.be = be;
	opts.async = async;
	opts.direct = (uint8_t)direct;
	return xnvme_dev_open(uri, &opts);
}

static void
test_open(const char *target)
{
	char longuri[600];
	struct xnvme_dev *dev;
	struct xnvme_opts opts = xnvme_opts_default();
	int paths;

	memset(longuri, 'a', sizeof(longuri) - 1);
	longuri[sizeof(longuri) - 1] = '\0';

	errno = 0;
	dev = open_with(target, "nosuchbe", NULL, 0);
	CHECK(!dev && errno == EINVAL, "unknown backend: EINVAL (%s)", xnvme_dev_open_err_msg());
	dev = open_with(target, NULL, "nosuchiface", 0);
	CHECK(!dev && errno == EINVAL, "unknown async interface: EINVAL (%s)",
	      xnvme_dev_open_err_msg());
	opts.sync = "nosuchsync";
	dev = xnvme_dev_open(target, &opts);
	CHECK(!dev && errno == EINVAL, "unknown sync interface: EINVAL");
	opts = xnvme_opts_default();
	opts.admin = "io_uring"; /* a real name, but of another kind */
	dev = xnvme_dev_open(target, &opts);
	CHECK(!dev && errno == EINVAL, "async name given as admin interface: EINVAL (%s)",
	      xnvme_dev_open_err_msg());
	dev = xnvme_dev_open("", NULL);
	CHECK(!dev && errno == EINVAL, "empty identifier: EINVAL");
	dev = xnvme_dev_open(NULL, NULL);
	CHECK(!dev && errno == EINVAL, "NULL identifier: EINVAL");
	dev = xnvme_dev_open(longuri, NULL);
	CHECK(!dev && errno == EINVAL, "identifier longer than the limit: EINVAL");
	dev = xnvme_dev_open("/dev/null\x01", NULL);
	CHECK(!dev && errno == EINVAL, "identifier with a control character: EINVAL");
	/* A path is the linux (or windows) backend's to claim: without it, nobody's (ENXIO) */
	paths = check_be_built("linux") || check_be_built("windows");
	dev = xnvme_dev_open("/nonexistent-dir/nonexistent-file", NULL);
	CHECK(!dev && errno == (paths ? ENOENT : ENXIO), "missing path: %s (%s)",
	      paths ? "ENOENT" : "not claimed, ENXIO", xnvme_dev_open_err_msg());
	dev = xnvme_dev_open("no-such-thing-anywhere", NULL);
	CHECK(!dev && errno == ENXIO, "identifier nobody claims: ENXIO (%s)",
	      xnvme_dev_open_err_msg());
	opts = xnvme_opts_default();
	opts.nsid = check_target_nsid() + 1000; /* not active: the rig's controllers have a few */
	dev = xnvme_dev_open(target, &opts);
	CHECK(!dev && errno, "namespace %u, not active on the target: fails (%s)", opts.nsid,
	      xnvme_dev_open_err_msg());
	xnvme_dev_close(NULL); /* must be a no-op */
}

static void
test_cmds(const char *target, int direct)
{
	struct xnvme_dev *dev = open_with(target, NULL, NULL, direct);
	const struct xnvme_geo *geo;
	uint64_t nlbas;
	uint8_t *buf, *before;
	struct xnvme_cmd_ctx ctx;
	struct iovec iov;
	uint32_t nsid;
	int err, emulated;

	if (!dev) {
		CHECK(0, "open %s direct=%d: %s", target, direct, strerror(errno));
		return;
	}
	geo = xnvme_dev_get_geo(dev);
	nsid = xnvme_dev_get_nsid(dev);
	emulated = !strcmp(xnvme_dev_get_opts(dev)->admin, "file_as_ns") ||
		   !strcmp(xnvme_dev_get_opts(dev)->admin, "block");
	nlbas = geo->tbytes / geo->nbytes; /* tbytes counts data; lba_nbytes may add metadata */
	buf = xnvme_buf_alloc(dev, 8 * geo->lba_nbytes + 4096);
	before = xnvme_buf_alloc(dev, 8 * geo->lba_nbytes);

	/* The last block is read first so that a partial write past the end would show. */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, nsid, nlbas - 1, 0, before, NULL);
	CHECK(!err, "read last block (direct=%d)", direct);
	memset(buf, 0x5A, 8 * geo->lba_nbytes);

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_write(&ctx, nsid, nlbas - 1, 7, buf, NULL);
	CHECK(err == -EINVAL && ctx.cpl.status.sc == XNVME_SPEC_SC_LBA_OUT_OF_RANGE,
	      "write of 8 blocks at the last block: -EINVAL, LBA out of range (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, nsid, nlbas - 1, 0, buf + 4096, NULL);
	CHECK(!err && !memcmp(buf + 4096, before, geo->lba_nbytes),
	      "the last block is unchanged after the refused write");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, nsid, nlbas, 0, buf, NULL);
	CHECK(err == -EINVAL, "read at slba == nsze: -EINVAL");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, nsid, UINT64_MAX - 2, 7, buf, NULL);
	CHECK(err == -EINVAL, "read with slba + nlb overflowing: -EINVAL");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_write_zeroes(&ctx, nsid, nlbas - 2, 3);
	CHECK(err == -EINVAL, "write zeroes past the end: -EINVAL");

	ctx = xnvme_cmd_ctx_from_dev(dev);
	xnvme_prep_nvm(&ctx, XNVME_SPEC_NVM_OPC_READ, nsid, 0, 0);
	err = xnvme_cmd_pass(&ctx, buf, 0, NULL, 0);
	CHECK(err == -EINVAL, "read into a zero-length buffer: -EINVAL");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	xnvme_prep_nvm(&ctx, XNVME_SPEC_NVM_OPC_READ, nsid, 0, 7);
	err = xnvme_cmd_pass(&ctx, buf, geo->lba_nbytes, NULL, 0);
	CHECK(err == -EINVAL, "read of 8 blocks into a 1-block buffer: -EINVAL");
	/* O_DIRECT as in effect: a device without a page cache (ramdisk) has no alignment rule */
	if (xnvme_dev_get_opts(dev)->direct) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		xnvme_prep_nvm(&ctx, XNVME_SPEC_NVM_OPC_READ, nsid, 0, 0);
		err = xnvme_cmd_pass(&ctx, buf + 1, geo->lba_nbytes, NULL, 0);
		CHECK(err == -EINVAL, "misaligned buffer with O_DIRECT: -EINVAL");
		ctx = xnvme_cmd_ctx_from_dev(dev);
		xnvme_prep_nvm(&ctx, XNVME_SPEC_NVM_OPC_READ, nsid, 0, 0);
		err = xnvme_cmd_pass(&ctx, buf, geo->lba_nbytes + 1, NULL, 0);
		CHECK(err == -EINVAL,
		      "buffer length not a multiple of the LBA with O_DIRECT: -EINVAL");
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	xnvme_prep_nvm(&ctx, XNVME_SPEC_NVM_OPC_READ, nsid, 0, 1);
	iov.iov_base = buf;
	iov.iov_len = geo->lba_nbytes;
	err = xnvme_cmd_passv(&ctx, &iov, 1, 2 * geo->lba_nbytes, NULL, 0, 0);
	CHECK(err == -EINVAL, "vectored read whose iovecs do not add up to the length: -EINVAL");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_mgmt_recv(&ctx, nsid, XNVME_SPEC_IO_MGMT_RECV_RUHS, 0, buf, 6);
	CHECK(err == -EINVAL, "I/O management receive of 6 bytes (not whole dwords): -EINVAL");

	/*
	 * A file or block device (emulated admin) refuses in the library: -EINVAL / -ENOSYS. A
	 * device (the ramdisk model) answers with its status: -EIO and the status in the
	 * completion.
	 */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, 0, 0, 0, buf, NULL);
	CHECK(emulated
		  ? err == -EINVAL
		  : err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT,
	      "read from nsid 0: refused (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, nsid + 1000, 0, 0, buf, NULL);
	/* An inactive NSID below NN: QEMU's controller answers Invalid Field in Command */
	CHECK(err == (emulated ? -EINVAL : -EIO) &&
		  (ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT ||
		   (!emulated && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_FIELD)),
	      "read from a namespace that does not exist: Invalid Namespace or Field (%d, sc %#x)",
	      err, ctx.cpl.status.sc);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_write_uncorrectable(&ctx, nsid, 0, 0);
	if (xnvme_dev_get_ctrlr(dev)->oncs.write_unc) {
		CHECK(!err, "write uncorrectable where the device has it: ok (%d)", err);
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_nvm_read(&ctx, nsid, 0, 0, buf, NULL);
		CHECK(err == -EIO && ctx.cpl.status.sct == XNVME_STATUS_CODE_TYPE_MEDIA &&
			  ctx.cpl.status.sc == XNVME_SPEC_SC_UNRECOVERED_READ_ERROR,
		      "then a read of the block: Unrecovered Read Error");
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_nvm_write_zeroes(&ctx, nsid, 0, 0);
		CHECK(!err, "write zeroes makes it readable again (%d)", err);
	} else {
		/* The library refuses it (-ENOSYS), or the device does (-EIO, its status) */
		CHECK((err == -ENOSYS || err == -EIO) &&
			  ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_OPCODE,
		      "write uncorrectable where the device has not got it: Invalid Opcode (%d, sc "
		      "%#x)",
		      err, ctx.cpl.status.sc);
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_HEALTH, 0, 0, nsid, 0, buf, 512);
	CHECK(emulated ? err == -ENOSYS : !err, "get log page: %s (%d)",
	      emulated ? "-ENOSYS on the emulated admin" : "ok", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_HEALTH, 0, 0, nsid, 0, buf, 510);
	CHECK(err == -EINVAL, "get log page of a length that is not dwords: -EINVAL");

	xnvme_buf_free(dev, buf);
	xnvme_buf_free(dev, before);
	xnvme_dev_close(dev);
}

static void
test_queues(const char *target)
{
	struct xnvme_dev *dev = open_with(target, NULL, "emu", 0);
	struct xnvme_queue *queue = NULL;
	struct xnvme_cmd_ctx *ctx, *ctx2;
	uint32_t bad[] = {0, 3, 6, 100, 8192, 1u << 31};
	uint8_t *buf;
	int err;

	if (!dev) {
		CHECK(0, "open: %s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < XNVME_ARRAY_SIZE(bad); ++i) {
		err = xnvme_queue_init(dev, bad[i], 0, &queue);
		CHECK(err == -EINVAL && !queue, "queue capacity %u: -EINVAL", bad[i]);
	}
	err = xnvme_queue_init(dev, 4, 0x80, &queue);
	CHECK(err == -EINVAL, "queue with unknown flags: -EINVAL");
	err = xnvme_queue_init(dev, 4, XNVME_QUEUE_IOPOLL, &queue);
	CHECK(err == -EINVAL, "emu queue asked to poll: -EINVAL, not ignored");
	err = xnvme_queue_init(dev, 4096, 0, &queue);
	CHECK(!err, "queue capacity 4096: ok");
	xnvme_queue_term(queue);

	err = xnvme_queue_init(dev, 1, 0, &queue);
	CHECK(!err, "queue capacity 1: ok");
	if (err) {
		xnvme_dev_close(dev);
		return;
	}
	buf = xnvme_buf_alloc(dev, 4096);
	memset(buf, 0, 4096);
	ctx = xnvme_queue_get_cmd_ctx(queue);
	err = xnvme_nvm_read(ctx, xnvme_dev_get_nsid(dev), 0, 0, buf, NULL);
	CHECK(!err, "submit one read");
	/* As 0.7.5: one context more than the capacity, whose submission answers -EBUSY */
	ctx2 = xnvme_queue_get_cmd_ctx(queue);
	CHECK(ctx2 && ctx2 != ctx, "a second context from a queue of capacity 1");
	CHECK(!xnvme_queue_get_cmd_ctx(queue) && errno == ENOMEM,
	      "a third context: NULL, ENOMEM (every context is taken)");
	err = ctx2 ? xnvme_nvm_read(ctx2, xnvme_dev_get_nsid(dev), 0, 0, buf, NULL) : -1;
	CHECK(err == -EBUSY, "submit to a full queue: -EBUSY");
	CHECK(xnvme_queue_get_outstanding(queue) == 1, "the refused submission is not outstanding");
	CHECK(xnvme_queue_drain(queue) == 1, "drain reaps the one command");
	err = ctx2 ? xnvme_nvm_read(ctx2, xnvme_dev_get_nsid(dev), 0, 0, buf, NULL) : -1;
	CHECK(!err && xnvme_queue_drain(queue) == 1,
	      "the second context goes once the queue has room");
	CHECK(xnvme_queue_put_cmd_ctx(queue, (struct xnvme_cmd_ctx *)buf) == -EINVAL,
	      "putting back a foreign context: -EINVAL");
	xnvme_buf_free(dev, buf);
	xnvme_queue_term(queue);
	xnvme_dev_close(dev);
}

struct close_state {
	uint32_t ncb;
};

static void
close_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct close_state *state = cb_arg;

	state->ncb += !xnvme_cmd_ctx_cpl_status(ctx);
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Closing with commands outstanding completes them first: nothing submitted is lost. */
static void
test_close_outstanding(const char *target, const char *async)
{
	/*
	 * A second handle, open throughout, reads the bytes back afterwards: the target's own,
	 * whatever the target is (a ramdisk lives while a handle to it is open)
	 */
	struct xnvme_dev *reader = open_with(target, NULL, NULL, 0);
	struct xnvme_dev *dev = reader ? open_with(target, NULL, async, 0) : NULL;
	struct close_state state = {0};
	struct xnvme_queue *queue = NULL;
	struct xnvme_cmd_ctx rctx;
	uint32_t n = 16, cmd_nlb, cmd_nbytes, nbytes;
	uint8_t *buf, *back;
	int err;

	if (!dev) {
		CHECK(0, "open with %s: %s (%s)", async, strerror(errno), xnvme_dev_open_err_msg());
		xnvme_dev_close(reader);
		return;
	}
	/* Whole blocks of up to 4 KiB (or one) per command: 4096 + 8 extended does not fit 4 KiB */
	cmd_nlb = XNVME_MAX(4096 / xnvme_dev_get_geo(dev)->lba_nbytes, 1u);
	cmd_nbytes = cmd_nlb * xnvme_dev_get_geo(dev)->lba_nbytes;
	nbytes = n * cmd_nbytes;
	buf = xnvme_buf_alloc(dev, nbytes);
	back = malloc(nbytes);
	xnvme_buf_fill(buf, nbytes, "rand-k");
	buf[0] ^= (uint8_t)async[0];
	err = xnvme_queue_init(dev, n, 0, &queue);
	if (err) {
		CHECK(0, "queue with %s: %s", async, strerror(-err));
		xnvme_dev_close(dev);
		xnvme_dev_close(reader);
		return;
	}
	xnvme_queue_set_cb(queue, close_cb, &state);
	for (uint32_t i = 0; i < n; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);
		err = xnvme_nvm_write(ctx, xnvme_dev_get_nsid(dev), (uint64_t)i * cmd_nlb,
				      (uint16_t)(cmd_nlb - 1), buf + (size_t)i * cmd_nbytes, NULL);
		if (err) {
			CHECK(0, "submit with %s: %s", async, strerror(-err));
			break;
		}
	}
	xnvme_dev_close(dev); /* no poke, no drain, no term */
	CHECK(state.ncb == n, "close with %u writes outstanding (%s): %u callbacks ran", n, async,
	      state.ncb);
	rctx = xnvme_cmd_ctx_from_dev(reader);
	err = xnvme_nvm_read(&rctx, xnvme_dev_get_nsid(reader), 0, (uint16_t)(n * cmd_nlb - 1),
			     back, NULL);
	CHECK(!err && !memcmp(buf, back, nbytes),
	      "the writes outstanding at close (%s) are on the target", async);
	xnvme_dev_close(reader);
	xnvme_buf_virt_free(buf); /* posix mem: host memory, outlives the device */
	free(back);
}

int
main(int argc, char **argv)
{
	struct ifaces asyncs;

	if (argc < 2) {
		fprintf(stderr, "usage: %s TARGET [ASYNC ...]\n", argv[0]);
		return 2;
	}
	if (ifaces_for_test(argv[1], argc - 2, &argv[2], 0, &asyncs)) {
		return 1;
	}
	test_open(argv[1]);
	test_cmds(argv[1], 0);
	test_cmds(argv[1], 1);
	test_queues(argv[1]);
	for (int i = 0; i < asyncs.n; ++i) {
		test_close_outstanding(argv[1], asyncs.item[i].id);
	}
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
