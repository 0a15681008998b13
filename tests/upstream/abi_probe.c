/*
 * The ABI probe of the conformance suite (docs/conformance.md): built against xNVMe 0.7.5's
 * installed headers and run with our library in place of upstream's, it reads what the library
 * hands back through upstream's layouts (options, geometry, identifier, command contexts, queues)
 * and checks the values against what the target implies; a member at another offset or a
 * different calling convention shows as a wrong value, not as a crash later in a user's program.
 * Built against upstream's headers and run with upstream's library it must pass too: that checks
 * the probe's own expectations.
 *
 *   abi_probe URI BE NBYTES   URI: a target of NBYTES: a file with BE linux, or '1GB' with BE
 *                             ramdisk; PROBE_ASYNC names the async interface (default emu)
 * Exit 0 when every check holds; one line per check ("PASS: ..." / "FAIL: ...").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>

#define LBA_NBYTES 512ULL
#define QDEPTH     16
#define NCMDS      4
#define NLB        8 /* blocks per command; the command's field is zero-based */

static int g_nfail;
static unsigned long long g_target_nbytes;

static void
check(int ok, const char *what, unsigned long long got, unsigned long long want)
{
	if (ok) {
		printf("PASS: %s\n", what);
		return;
	}
	printf("FAIL: %s: got %llu (0x%llx), want %llu\n", what, got, got, want);
	g_nfail++;
}

/* Each operand is evaluated once: a call under test is made once */
static void
check_eq(const char *what, unsigned long long got, unsigned long long want)
{
	check(got == want, what, got, want);
}

#define CHECK_EQ(what, got, want)                                                                  \
	check_eq(what, (unsigned long long)(got), (unsigned long long)(want))

static void
check_str(const char *what, const char *got, const char *want)
{
	int ok = got && want && !strcmp(got, want);

	printf("%s: %s: '%s'%s%s%s\n", ok ? "PASS" : "FAIL", what, got ? got : "(null)",
	       ok ? "" : ", want '", ok ? "" : want, ok ? "" : "'");
	g_nfail += !ok;
}

static void
fill(uint8_t *buf, size_t nbytes, unsigned seed)
{
	for (size_t i = 0; i < nbytes; i++) {
		buf[i] = (uint8_t)(i * 7 + seed * 13 + 1);
	}
}

/* The options a program starts from, and the ones the device reports it opened with */
static void
probe_opts(const struct xnvme_opts *def, const struct xnvme_opts *used, const char *be)
{
	CHECK_EQ("xnvme_opts_default: nsid", def->nsid, 1);
	CHECK_EQ("xnvme_opts_default: rdwr", def->rdwr, 1);
	CHECK_EQ("xnvme_opts_default: rdonly", def->rdonly, 0);
	CHECK_EQ("xnvme_opts_default: be is NULL", def->be == NULL, 1);
	CHECK_EQ("xnvme_opts_default: async is NULL", def->async == NULL, 1);
	CHECK_EQ("xnvme_opts_default: poll_io", def->poll_io, 0);
	CHECK_EQ("xnvme_opts_default: keep_alive_timeout_ms", def->keep_alive_timeout_ms, 0);

	CHECK_EQ("xnvme_dev_get_opts: not NULL", used != NULL, 1);
	if (!used) {
		return;
	}
	check_str("xnvme_dev_get_opts: be", used->be, be);
	check_str("xnvme_dev_get_opts: async", used->async, "emu");
	CHECK_EQ("xnvme_dev_get_opts: nsid", used->nsid, 1);
	CHECK_EQ("xnvme_dev_get_opts: rdwr", used->rdwr, 1);
}

/*
 * The geometry of a namespace of 512-byte blocks without metadata. A file is a namespace of the
 * file-system command set, which addresses bytes: xNVMe 0.7.5 reports it as one "sector" of one
 * byte (nsect 1, nbytes 1), with tbytes the file's size and lba_nbytes 512 for NVM commands. This
 * library reports the same tbytes and lba_nbytes but the blocks its NVM commands address (nbytes
 * 512, nsect the whole blocks: docs/conformance.md, "Decisions"); either is a right answer here.
 */
static void
probe_geo(struct xnvme_dev *dev, int is_file)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);

	CHECK_EQ("xnvme_dev_get_geo: not NULL", geo != NULL, 1);
	if (!geo) {
		return;
	}
	CHECK_EQ("geo.type", geo->type, XNVME_GEO_CONVENTIONAL);
	CHECK_EQ("geo.lba_nbytes", geo->lba_nbytes, LBA_NBYTES);
	if (is_file && geo->nbytes == 1) {
		CHECK_EQ("geo.nsect of a file as 0.7.5 counts it", geo->nsect, 1);
	} else {
		CHECK_EQ("geo.nbytes", geo->nbytes, LBA_NBYTES);
		CHECK_EQ("geo.nsect", geo->nsect, g_target_nbytes / LBA_NBYTES);
	}
	CHECK_EQ("geo.tbytes", geo->tbytes, g_target_nbytes);
	CHECK_EQ("geo.nbytes_oob", geo->nbytes_oob, 0);
	CHECK_EQ("geo.lba_extended", geo->lba_extended, 0);
	CHECK_EQ("geo.pi_type", geo->pi_type, 0);
	CHECK_EQ("geo.ssw", geo->ssw, 9);
	CHECK_EQ("geo.npugrp", geo->npugrp, 1);
	CHECK_EQ("geo.npunit", geo->npunit, 1);
	CHECK_EQ("geo.nzone", geo->nzone, 1);
	CHECK_EQ("geo.mdts_nbytes: a whole number of blocks, at least 4 KiB",
		 geo->mdts_nbytes >= 4096 && geo->mdts_nbytes % LBA_NBYTES == 0, 1);
	CHECK_EQ("xnvme_dev_get_ssw", xnvme_dev_get_ssw(dev), 9);
}

static void
probe_ident(struct xnvme_dev *dev, const char *uri)
{
	const struct xnvme_ident *ident = xnvme_dev_get_ident(dev);

	CHECK_EQ("xnvme_dev_get_ident: not NULL", ident != NULL, 1);
	if (!ident) {
		return;
	}
	check_str("ident.uri", ident->uri, uri);
	CHECK_EQ("ident.nsid", ident->nsid, 1);
	CHECK_EQ("xnvme_dev_get_nsid", xnvme_dev_get_nsid(dev), 1);
	CHECK_EQ("xnvme_dev_get_csi equals ident.csi", xnvme_dev_get_csi(dev), ident->csi);
}

/* A synchronous write and read-back through a context from the device */
static void
probe_sync(struct xnvme_dev *dev, uint8_t *wbuf, uint8_t *rbuf, size_t nbytes)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	int err;

	CHECK_EQ("sync ctx.dev", ctx.dev == dev, 1);
	fill(wbuf, nbytes, 1);
	err = xnvme_nvm_write(&ctx, 1, 8, NLB - 1, wbuf, NULL);
	CHECK_EQ("xnvme_nvm_write: returns 0", err, 0);
	CHECK_EQ("xnvme_nvm_write: completion status", xnvme_cmd_ctx_cpl_status(&ctx), 0);
	CHECK_EQ("sync ctx.cmd.common.opcode", ctx.cmd.common.opcode, XNVME_SPEC_NVM_OPC_WRITE);
	CHECK_EQ("sync ctx.cmd.common.nsid", ctx.cmd.common.nsid, 1);
	CHECK_EQ("sync ctx.cmd.nvm.slba", ctx.cmd.nvm.slba, 8);
	CHECK_EQ("sync ctx.cmd.nvm.nlb", ctx.cmd.nvm.nlb, NLB - 1);

	ctx = xnvme_cmd_ctx_from_dev(dev);
	memset(rbuf, 0, nbytes);
	err = xnvme_nvm_read(&ctx, 1, 8, NLB - 1, rbuf, NULL);
	CHECK_EQ("xnvme_nvm_read: returns 0", err, 0);
	CHECK_EQ("sync ctx.cmd.common.opcode after read", ctx.cmd.common.opcode,
		 XNVME_SPEC_NVM_OPC_READ);
	CHECK_EQ("sync read returns what was written", memcmp(wbuf, rbuf, nbytes), 0);
}

struct cb_state {
	struct xnvme_queue *queue;
	int ncalls;
	int nerr;
	int nwrong;
};

static void
on_cpl(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct cb_state *st = arg;

	st->ncalls++;
	st->nerr += xnvme_cmd_ctx_cpl_status(ctx) != 0;
	st->nwrong += ctx->async.queue != st->queue || ctx->async.cb_arg != arg;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* NCMDS commands on one queue with a callback, then drained */
static void
submit_all(struct xnvme_dev *dev, struct xnvme_queue *queue, struct cb_state *st, uint8_t *buf,
	   int write)
{
	size_t cmd_nbytes = NLB * LBA_NBYTES;

	for (int i = 0; i < NCMDS; i++) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);
		uint64_t slba = 64 + (uint64_t)i * NLB;
		uint8_t *dbuf = buf + i * cmd_nbytes;
		int err;

		if (!ctx) {
			check(0, "xnvme_queue_get_cmd_ctx: a context", 0, 1);
			return;
		}
		if (i == 0) {
			CHECK_EQ("async ctx.async.queue", ctx->async.queue == queue, 1);
			CHECK_EQ("async ctx.async.cb_arg", ctx->async.cb_arg == st, 1);
			CHECK_EQ("async ctx.dev", ctx->dev == dev, 1);
		}
		err = write ? xnvme_nvm_write(ctx, 1, slba, NLB - 1, dbuf, NULL)
			    : xnvme_nvm_read(ctx, 1, slba, NLB - 1, dbuf, NULL);
		if (err) {
			check(0,
			      write ? "async xnvme_nvm_write: submitted"
				    : "async xnvme_nvm_read: submitted",
			      (unsigned long long)-err, 0);
			xnvme_queue_put_cmd_ctx(queue, ctx);
			return;
		}
	}
	if (write) {
		CHECK_EQ("xnvme_queue_get_outstanding after submitting",
			 xnvme_queue_get_outstanding(queue), NCMDS);
	}
	CHECK_EQ("xnvme_queue_drain: >= 0", xnvme_queue_drain(queue) >= 0, 1);
	CHECK_EQ("xnvme_queue_get_outstanding after drain", xnvme_queue_get_outstanding(queue), 0);
}

static void
probe_async(struct xnvme_dev *dev, uint8_t *wbuf, uint8_t *rbuf, size_t nbytes)
{
	struct cb_state st = {0};
	struct xnvme_queue *queue = NULL;
	int err;

	err = xnvme_queue_init(dev, QDEPTH, 0, &queue);
	CHECK_EQ("xnvme_queue_init: returns 0", err, 0);
	if (err || !queue) {
		return;
	}
	st.queue = queue;
	CHECK_EQ("xnvme_queue_get_capacity", xnvme_queue_get_capacity(queue), QDEPTH);
	CHECK_EQ("xnvme_queue_set_cb: returns 0", xnvme_queue_set_cb(queue, on_cpl, &st), 0);

	fill(wbuf, nbytes, 2);
	submit_all(dev, queue, &st, wbuf, 1);
	memset(rbuf, 0, nbytes);
	submit_all(dev, queue, &st, rbuf, 0);
	CHECK_EQ("async callbacks", st.ncalls, 2 * NCMDS);
	CHECK_EQ("async completions with an error status", st.nerr, 0);
	CHECK_EQ("async callbacks given another queue or argument", st.nwrong, 0);
	CHECK_EQ("async read returns what was written", memcmp(wbuf, rbuf, nbytes), 0);
	CHECK_EQ("xnvme_queue_term: returns 0", xnvme_queue_term(queue), 0);
}

int
main(int argc, char **argv)
{
	struct xnvme_opts def = xnvme_opts_default();
	struct xnvme_opts opts = xnvme_opts_default();
	size_t nbytes = NCMDS * NLB * LBA_NBYTES;
	struct xnvme_dev *dev;
	uint8_t *wbuf, *rbuf;

	if (argc != 4) {
		fprintf(stderr, "usage: %s URI BE NBYTES\n", argv[0]);
		return 2;
	}
	g_target_nbytes = strtoull(argv[3], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0); /* every line out before a crash */
	opts.be = argv[2];
	opts.async = getenv("PROBE_ASYNC") ? getenv("PROBE_ASYNC") : "emu";
	dev = xnvme_dev_open(argv[1], &opts);
	if (!dev) {
		printf("FAIL: xnvme_dev_open('%s', be=%s): %s\n", argv[1], argv[2],
		       strerror(errno));
		return 1;
	}
	probe_opts(&def, xnvme_dev_get_opts(dev), argv[2]);
	probe_geo(dev, strcmp(argv[2], "ramdisk") != 0);
	probe_ident(dev, argv[1]);

	wbuf = xnvme_buf_alloc(dev, nbytes);
	rbuf = xnvme_buf_alloc(dev, nbytes);
	CHECK_EQ("xnvme_buf_alloc: two buffers", wbuf && rbuf, 1);
	if (wbuf && rbuf) {
		probe_sync(dev, wbuf, rbuf, NLB * LBA_NBYTES);
		probe_async(dev, wbuf, rbuf, nbytes);
	}
	xnvme_buf_free(dev, wbuf);
	xnvme_buf_free(dev, rbuf);
	xnvme_dev_close(dev);

	printf("# %d checks failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
