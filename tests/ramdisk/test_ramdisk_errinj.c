/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk's error injection (identifier key err=): the chosen commands fail with the chosen
 * status and DNR bit and are not carried out, the others succeed; the rule's count (@NTH, xCOUNT,
 * LBA range) is exact; the error log records the injected status. Each layer reports it: the
 * sync path (xnvme_cmd_pass returns an error, the completion has SCT/SC/DNR) and every async
 * interface the ramdisk offers that runs the model (taken from the registry; nil never reaches the
 * model), whose callback gets the status. Each case uses its own identifier: a ramdisk, and its
 * rules' counts, live for the process.
 * usage: test_ramdisk_errinj
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "../target/check.h"
#include "../target/ifaces.h"

#define NLB 8 /* blocks a command */

static struct xnvme_dev *
open_with(const char *uri, const char *sync, const char *async)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	opts.sync = sync;
	opts.async = async;
	dev = xnvme_dev_open(uri, &opts);
	if (!dev) {
		CHECK(0, "open %s: %s (%s)", uri, strerror(errno), xnvme_dev_open_err_msg());
	}
	return dev;
}

/* One sync command; its completion status as sct << 8 | sc, DNR in bit 16, -1: not an error */
static int
sync_io(struct xnvme_dev *dev, uint8_t opc, uint64_t slba, void *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	int err;

	ctx.cmd.common.opcode = opc;
	ctx.cmd.common.nsid = xnvme_dev_get_nsid(dev);
	ctx.cmd.nvm.slba = slba;
	ctx.cmd.nvm.nlb = NLB - 1;
	err = xnvme_cmd_pass(&ctx, opc == XNVME_SPEC_NVM_OPC_FLUSH ? NULL : buf,
			     opc == XNVME_SPEC_NVM_OPC_FLUSH ? 0 : NLB * 512, NULL, 0);
	if (!err != !xnvme_cmd_ctx_cpl_status(&ctx)) {
		return -2; /* the return and the completion disagree */
	}
	if (!err) {
		return -1;
	}
	return ctx.cpl.status.dnr << 16 | ctx.cpl.status.sct << 8 | ctx.cpl.status.sc;
}

#define ST(sct, sc, dnr) ((dnr) << 16 | (sct) << 8 | (sc))

/* "fail the 3rd write": only the 3rd, with the status and no DNR; it was not carried out */
static void
test_nth_write(const char *sync, int idx)
{
	char uri[128];
	struct xnvme_dev *dev;
	uint8_t *buf, *back;
	int st[5];

	/* A 2nd rule that never fails (no such opcode) makes the identifier this interface's */
	snprintf(uri, sizeof(uri), "ramdisk:1MiB,err=write@3:2/0x80+io0x7f#%d:0/1", idx);
	dev = open_with(uri, sync, NULL);
	if (!dev) {
		return;
	}
	buf = xnvme_buf_alloc(dev, NLB * 512);
	back = xnvme_buf_alloc(dev, NLB * 512);
	for (int i = 0; i < 5; ++i) {
		memset(buf, 'a' + i, NLB * 512);
		st[i] = sync_io(dev, XNVME_SPEC_NVM_OPC_WRITE, (uint64_t)i * NLB, buf);
	}
	CHECK(st[0] == -1 && st[1] == -1 && st[2] == ST(2, 0x80, 0) && st[3] == -1 && st[4] == -1,
	      "%s: writes 1..5: only the 3rd fails, Write Fault, no DNR (%x %x %x %x %x)", sync,
	      st[0], st[1], st[2], st[3], st[4]);
	memset(back, 0xff, NLB * 512);
	CHECK(sync_io(dev, XNVME_SPEC_NVM_OPC_READ, 2 * NLB, back) == -1 && back[0] == 0 &&
		  back[NLB * 512 - 1] == 0,
	      "%s: the failed write was not carried out (reads zeros)", sync);
	CHECK(sync_io(dev, XNVME_SPEC_NVM_OPC_READ, 3 * NLB, back) == -1 && back[0] == 'd',
	      "%s: the 4th write was", sync);
	xnvme_buf_free(dev, buf);
	xnvme_buf_free(dev, back);
	xnvme_dev_close(dev);
}

/* Every flush, with DNR; reads of one LBA range; two writes from the 2nd to another; all
 * compares from the 2nd */
static void
test_rules(void)
{
	const char *uri = "ramdisk:1MiB,err=flush:0/6/dnr+read#16-23:2/0x81+write@2x2#64-71:0/4+"
			  "compare@2xinf:2/0x85";
	struct xnvme_dev *dev = open_with(uri, NULL, NULL);
	uint8_t *buf;
	int st[8];

	if (!dev) {
		return;
	}
	buf = xnvme_buf_alloc(dev, NLB * 512);
	memset(buf, 0, NLB * 512);
	st[0] = sync_io(dev, XNVME_SPEC_NVM_OPC_FLUSH, 0, buf);
	st[1] = sync_io(dev, XNVME_SPEC_NVM_OPC_FLUSH, 0, buf);
	CHECK(st[0] == ST(0, 6, 1) && st[1] == ST(0, 6, 1), "every flush fails with DNR (%x %x)",
	      st[0], st[1]);
	st[0] = sync_io(dev, XNVME_SPEC_NVM_OPC_READ, 8, buf);  /* 8..15: outside */
	st[1] = sync_io(dev, XNVME_SPEC_NVM_OPC_READ, 12, buf); /* 12..19: meets 16..23 */
	st[2] = sync_io(dev, XNVME_SPEC_NVM_OPC_READ, 23, buf); /* 23..30: meets */
	st[3] = sync_io(dev, XNVME_SPEC_NVM_OPC_READ, 24, buf); /* 24..31: outside */
	st[4] = sync_io(dev, XNVME_SPEC_NVM_OPC_READ, 16, buf); /* again: every time */
	CHECK(st[0] == -1 && st[1] == ST(2, 0x81, 0) && st[2] == ST(2, 0x81, 0) && st[3] == -1 &&
		  st[4] == ST(2, 0x81, 0),
	      "reads meeting LBAs 16..23 fail, others do not (%x %x %x %x %x)", st[0], st[1], st[2],
	      st[3], st[4]);
	for (int i = 0; i < 5; ++i) {
		st[i] = sync_io(dev, XNVME_SPEC_NVM_OPC_WRITE, 64, buf);
	}
	st[5] = sync_io(dev, XNVME_SPEC_NVM_OPC_WRITE, 72, buf);
	CHECK(st[0] == -1 && st[1] == ST(0, 4, 0) && st[2] == ST(0, 4, 0) && st[3] == -1 &&
		  st[4] == -1 && st[5] == -1,
	      "writes to 64..71: the 2nd and 3rd fail; elsewhere none (%x %x %x %x %x %x)", st[0],
	      st[1], st[2], st[3], st[4], st[5]);
	for (int i = 0; i < 4; ++i) {
		memset(buf, 0, NLB * 512);
		st[i] = sync_io(dev, XNVME_SPEC_NVM_OPC_COMPARE, 128, buf);
	}
	CHECK(st[0] == -1 && st[1] == ST(2, 0x85, 0) && st[2] == ST(2, 0x85, 0) &&
		  st[3] == ST(2, 0x85, 0),
	      "compares: every one from the 2nd fails (%x %x %x %x)", st[0], st[1], st[2], st[3]);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

/* An admin opcode (get features) fails; the error log's newest entry is the injected status */
static void
test_admin(void)
{
	struct xnvme_dev *dev = open_with("ramdisk:1MiB,err=getfeat@2:0/0x0b/dnr", NULL, NULL);
	struct xnvme_spec_log_erri_entry *log;
	struct xnvme_cmd_ctx ctx;
	int err[3];

	if (!dev) {
		return;
	}
	for (int i = 0; i < 3; ++i) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err[i] = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD,
					 XNVME_SPEC_FEAT_SEL_CURRENT, NULL, 0);
		if (i == 1) {
			CHECK(err[1] && ctx.cpl.status.sct == 0 && ctx.cpl.status.sc == 0x0b &&
				  ctx.cpl.status.dnr == 1,
			      "the 2nd get features: sct 0 sc 0xb dnr 1 (err %d, %x/%x/%u)", err[1],
			      ctx.cpl.status.sct, ctx.cpl.status.sc, ctx.cpl.status.dnr);
		}
	}
	CHECK(!err[0] && !err[2], "the 1st and 3rd succeed (%d %d)", err[0], err[2]);
	log = xnvme_buf_alloc(dev, 4096);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	if (log && !xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ERRI, 0, 0, 0, 0, log, 4096)) {
		CHECK(log[0].ecnt == 1 && log[0].status.sc == 0x0b && log[0].status.dnr == 1,
		      "the error log has it: ecnt %llu sc 0x%x dnr %u",
		      (unsigned long long)log[0].ecnt, log[0].status.sc, log[0].status.dnr);
	} else {
		CHECK(0, "error log read");
	}
	xnvme_buf_free(dev, log);
	xnvme_dev_close(dev);
}

struct acpl {
	int ndone;
	int st[4];
};

static void
acpl_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct acpl *a = arg;

	if (a->ndone < 4) {
		a->st[a->ndone] =
		    xnvme_cmd_ctx_cpl_status(ctx)
			? ST(ctx->cpl.status.sct, ctx->cpl.status.sc, ctx->cpl.status.dnr)
			: -1;
	}
	a->ndone++;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* An async interface: the 2nd write's callback has the status, submission itself succeeded */
static void
test_async(const char *async, int idx)
{
	char uri[96];
	struct xnvme_queue *queue = NULL;
	struct xnvme_dev *dev;
	struct acpl a = {0};
	uint8_t *buf;
	int sub[4];

	snprintf(uri, sizeof(uri), "ramdisk:1MiB,err=write@2:1/0x86/dnr+io0x7f#%d:0/1", idx);
	dev = open_with(uri, NULL, async);
	if (!dev || xnvme_queue_init(dev, 4, 0, &queue)) {
		CHECK(0, "%s: queue", async);
		xnvme_dev_close(dev);
		return;
	}
	xnvme_queue_set_cb(queue, acpl_cb, &a);
	buf = xnvme_buf_alloc(dev, NLB * 512);
	memset(buf, 'w', NLB * 512);
	for (int i = 0; i < 4; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);

		/* one at a time, so that the 2nd submitted is the 2nd the model sees */
		sub[i] = xnvme_nvm_write(ctx, xnvme_dev_get_nsid(dev), (uint64_t)i * NLB, NLB - 1,
					 buf, NULL);
		xnvme_queue_drain(queue);
	}
	CHECK(!sub[0] && !sub[1] && !sub[2] && !sub[3] && a.ndone == 4,
	      "%s: 4 writes submitted and completed (%d %d %d %d, %d done)", async, sub[0], sub[1],
	      sub[2], sub[3], a.ndone);
	CHECK(a.st[0] == -1 && a.st[1] == ST(1, 0x86, 1) && a.st[2] == -1 && a.st[3] == -1,
	      "%s: the 2nd write's callback has sct 1 sc 0x86 dnr 1 (%x %x %x %x)", async, a.st[0],
	      a.st[1], a.st[2], a.st[3]);
	xnvme_buf_free(dev, buf);
	xnvme_queue_term(queue);
	xnvme_dev_close(dev);
}

int
main(void)
{
	struct ifaces list = {0};
	int err = ifaces_of("ramdisk:1MiB", 1, &list);

	struct ifaces all = {0};

	CHECK(!err && list.n, "the ramdisk's interfaces from the registry (%d)", list.n);
	/* Those that move no data (nil) never reach the model: said, not silently left out */
	ifaces_of("ramdisk:1MiB", 0, &all);
	for (int i = 0; i < all.n; ++i) {
		if (!ifaces_fits(all.item[i].id, all.item[i].sync, XNVME_DEV_TYPE_RAMDISK, 0)) {
			printf("SKIP: %s completes commands without the model: nothing to inject\n",
			       all.item[i].id);
		}
	}
	for (int i = 0; i < list.n; ++i) {
		if (list.item[i].sync) {
			test_nth_write(list.item[i].id, i);
		} else {
			test_async(list.item[i].id, i);
		}
	}
	test_rules();
	test_admin();
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
