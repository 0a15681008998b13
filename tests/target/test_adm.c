/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admin commands through the helpers of libxnvme_adm.h: identify variants, log pages (whole and
 * in pieces at offsets), features (set, then read back), and the commands a device may not have
 * (sanitize, device self-test): those must come back as an NVMe status, never as a crash.
 * usage: test_adm DEV [--format]   --format also formats the namespace (erases it)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "check.h"

static const char *
status(const struct xnvme_cmd_ctx *ctx)
{
	return xnvme_spec_status_str(ctx->cpl.status.sct, ctx->cpl.status.sc);
}

static void
test_idfy(struct xnvme_dev *dev, struct xnvme_spec_idfy *idfy)
{
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	int err, found = 0;

	err = xnvme_adm_idfy(&ctx, XNVME_SPEC_IDFY_NSLIST, 0, 0, 0, 0, idfy);
	for (int i = 0; !err && i < 1024 && idfy->nslist[i]; ++i) {
		found |= idfy->nslist[i] == nsid;
	}
	CHECK(!err && found, "namespace list (CNS 02h) holds nsid %u (%d, %s)", nsid, err,
	      status(&ctx));

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_idfy(&ctx, XNVME_SPEC_IDFY_NSDSCR, 0, (uint8_t)nsid, 0, 0, idfy);
	CHECK(!err && idfy->raw[0] != 0, "namespace descriptor list (CNS 03h): first type %u",
	      idfy->raw[0]);

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_idfy_ns_csi(&ctx, nsid, xnvme_dev_get_csi(dev), idfy);
	CHECK(!err, "identify namespace, command set %u (CNS 05h) (%d, %s)", xnvme_dev_get_csi(dev),
	      err, status(&ctx));
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_idfy_ctrlr_csi(&ctx, xnvme_dev_get_csi(dev), idfy);
	CHECK(!err, "identify controller, command set %u (CNS 06h) (%d, %s)",
	      xnvme_dev_get_csi(dev), err, status(&ctx));

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_idfy(&ctx, 0xFE, 0, (uint8_t)nsid, 0, 0, idfy); /* a reserved CNS */
	CHECK(err && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_FIELD,
	      "a reserved CNS: Invalid Field (%d, %s)", err, status(&ctx));
}

static void
test_logs(struct xnvme_dev *dev, uint8_t *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t *whole = buf, *pieces = buf + 4096;
	int err;

	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_HEALTH, 0, 0, 0xFFFFFFFF, 0, buf, 512);
	CHECK(!err, "SMART / health log (%d, %s)", err, status(&ctx));

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ERRI, 0, 0, 0, 0, buf,
			    64 * ((uint32_t)xnvme_dev_get_ctrlr(dev)->elpe + 1));
	CHECK(!err, "error information log, %u entries (%d, %s)",
	      xnvme_dev_get_ctrlr(dev)->elpe + 1, err, status(&ctx));

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_FW, 0, 0, 0, 0, buf, 512);
	CHECK(!err, "firmware slot log (%d, %s)", err, status(&ctx));

	/* The commands supported and effects log is 4 KiB: read whole, then in pieces at offsets */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_CSAE, 0, 0, 0, 0, whole, 4096);
	CHECK(!err && (((struct xnvme_spec_log_csae *)whole)->acs[XNVME_SPEC_ADM_OPC_IDFY].csupp),
	      "commands supported and effects log lists identify (%d, %s)", err, status(&ctx));
	memset(pieces, 0, 4096);
	for (uint32_t off = 0; !err && off < 4096; off += 1024) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_CSAE, 0, off, 0, 0, pieces + off, 1024);
	}
	CHECK(!err && (xnvme_dev_get_ctrlr(dev)->lpa.edlp ? !memcmp(whole, pieces, 4096) : 1),
	      "the same log in 1 KiB pieces at offsets (LPA bit 2: %s) (%d)",
	      xnvme_dev_get_ctrlr(dev)->lpa.edlp ? "compared" : "offsets not supported", err);

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_CHNS, 0, 0, 0, 0, buf, 4096);
	CHECK(!err, "changed namespace list log (%d, %s)", err, status(&ctx));

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, 0x7F, 0, 0, 0, 0, buf, 512); /* reserved log identifier */
	CHECK(err && xnvme_cmd_ctx_cpl_status(&ctx), "a reserved log page: %s", status(&ctx));
}

static void
test_feats(struct xnvme_dev *dev)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	struct xnvme_spec_feat feat = {.val = 0};
	uint32_t orig;
	int err;

	err = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD, XNVME_SPEC_FEAT_SEL_CURRENT,
			      NULL, 0);
	orig = ctx.cpl.cdw0;
	CHECK(!err && orig, "get temperature threshold: %u K (%d, %s)", orig & 0xFFFF, err,
	      status(&ctx));
	feat.temp_threshold.tmpth = 350;
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD, feat.val, 0, NULL, 0);
	CHECK(!err, "set temperature threshold to 350 K (%d, %s)", err, status(&ctx));
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD, XNVME_SPEC_FEAT_SEL_CURRENT,
			      NULL, 0);
	CHECK(!err && (ctx.cpl.cdw0 & 0xFFFF) == 350, "and it reads back 350 K (%u)",
	      ctx.cpl.cdw0 & 0xFFFF);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	xnvme_adm_sfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD, orig, 0, NULL, 0);

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err =
	    xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_NQUEUES, XNVME_SPEC_FEAT_SEL_CURRENT, NULL, 0);
	CHECK(!err, "get number of queues: %u SQs, %u CQs (%d)", (ctx.cpl.cdw0 & 0xFFFF) + 1,
	      (ctx.cpl.cdw0 >> 16) + 1, err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_ARBITRATION, XNVME_SPEC_FEAT_SEL_CURRENT,
			      NULL, 0);
	CHECK(!err, "get arbitration (%d, %s)", err, status(&ctx));
	if (xnvme_dev_get_ctrlr(dev)->vwc.present) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_VWCACHE, XNVME_SPEC_FEAT_SEL_CURRENT,
				      NULL, 0);
		CHECK(!err, "get volatile write cache: wce %u (%d)", ctx.cpl.cdw0 & 0x1, err);
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_gfeat(&ctx, 0, 0x7F, XNVME_SPEC_FEAT_SEL_CURRENT, NULL, 0);
	CHECK(err && xnvme_cmd_ctx_cpl_status(&ctx), "a reserved feature: %s", status(&ctx));
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_ARBITRATION, 7, NULL, 0);
	CHECK(err == -EINVAL, "a select value out of range: -EINVAL before the device (%d)", err);
}

/* Commands a device may not have: either done, or an NVMe status, never a hang or crash */
static void
test_optional(struct xnvme_dev *dev)
{
	const struct xnvme_spec_idfy_ctrlr *ctrlr = xnvme_dev_get_ctrlr(dev);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	int err;

	if (!ctrlr->sanicap.val) {
		err = xnvme_adm_sanitize(&ctx, 0x2, 0, 0, 0, 0, 0);
		CHECK(err && xnvme_cmd_ctx_cpl_status(&ctx),
		      "sanitize on a controller without it: %s (%d)", status(&ctx), err);
	}
	if (!ctrlr->oacs.device_self_test) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_adm_dsend(&ctx, xnvme_dev_get_nsid(dev), 0x1);
		CHECK(err && xnvme_cmd_ctx_cpl_status(&ctx),
		      "device self-test on a controller without it: %s (%d)", status(&ctx), err);
	} else {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_adm_dsend(&ctx, xnvme_dev_get_nsid(dev), 0x1);
		CHECK(!err, "device self-test, short (%d, %s)", err, status(&ctx));
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sanitize(&ctx, 9, 0, 0, 0, 0, 0);
	CHECK(err == -EINVAL, "sanitize action out of range: -EINVAL before the device");
}

static void
test_format(struct xnvme_dev *dev, uint8_t *buf)
{
	const struct xnvme_spec_idfy_ns *ns = xnvme_dev_get_ns(dev);
	uint8_t lbaf = xnvme_spec_idfy_ns_flbas_idx(ns);
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint32_t bs = xnvme_dev_get_geo(dev)->lba_nbytes;
	int err, zeroed = 1;

	memset(buf, 0x5A, bs);
	err = xnvme_nvm_write(&ctx, nsid, 0, 0, buf, NULL);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err
		  : xnvme_adm_format(&ctx, nsid, lbaf, 0, ns->flbas.extended, 1, ns->dps.pit,
				     ns->dps.md_start);
	CHECK(!err, "format NVM in LBA format %u with user data erase (%d, %s)", lbaf, err,
	      status(&ctx));
	CHECK(!xnvme_dev_derive_geo(dev) &&
		  xnvme_spec_idfy_ns_flbas_idx(xnvme_dev_get_ns(dev)) == lbaf,
	      "identify after format: LBA format %u", lbaf);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, nsid, 0, 0, buf, NULL);
	for (uint32_t i = 0; i < xnvme_dev_get_geo(dev)->nbytes; ++i) {
		zeroed &= buf[i] == 0;
	}
	CHECK(!err && zeroed, "the data written before reads as zeroes (%d)", err);
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;
	uint8_t *buf;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DEV [--format]\n", argv[0]);
		return 2;
	}
	opts.nsid = check_target_nsid();
	dev = xnvme_dev_open(argv[1], &opts);
	if (!dev) {
		printf("FAIL: open %s: %s (%s)\n", argv[1], strerror(errno),
		       xnvme_dev_open_err_msg());
		return 1;
	}
	/* Room for identify, logs in pieces, a block, and the whole error log (ELPE + 1 entries) */
	buf = xnvme_buf_alloc(dev, XNVME_MAX(3 * 4096 + xnvme_dev_get_geo(dev)->lba_nbytes,
					     64 * ((uint32_t)xnvme_dev_get_ctrlr(dev)->elpe + 1)));
	test_idfy(dev, (struct xnvme_spec_idfy *)buf);
	test_logs(dev, buf);
	test_feats(dev);
	test_optional(dev);
	if (argc > 2 && !strcmp(argv[2], "--format")) {
		test_format(dev, buf);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
