/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli_blk.h"

int
cli_blk_range_check(const struct xnvme_geo *geo, uint64_t slba, uint64_t nblocks)
{
	uint64_t nsze = geo->tbytes >> geo->ssw;

	/* Compared so that slba + nblocks cannot overflow */
	if (!nblocks || slba >= nsze || nblocks > nsze - slba) {
		cli_error("LBAs %llu..%llu are outside the namespace (LBAs 0..%llu)",
			  (unsigned long long)slba, (unsigned long long)(slba + nblocks - 1),
			  (unsigned long long)(nsze - 1));
		return -EINVAL;
	}
	return 0;
}

int
cli_blk_open(struct cli_args *args, struct cli_blk *blk, int xfer)
{
	memset(blk, 0, sizeof(*blk));
	blk->dev = cli_dev_open(args);
	if (!blk->dev) {
		return -ENODEV;
	}
	blk->geo = xnvme_dev_get_geo(blk->dev);
	blk->nsid = cli_nsid(args, blk->dev);
	/* Directives (write-dir) and protection information (write-read-pi), NVM 1.0 Fig. 41-42 */
	blk->cdw12 = (uint32_t)cli_num(args, CLI_OPT_DTYPE, 0) << 20 |
		     (uint32_t)cli_num(args, CLI_OPT_PRCHK, 0) << 26 |
		     (uint32_t)cli_num(args, CLI_OPT_PRACT, 0) << 29;
	blk->cdw13 = (uint32_t)cli_num(args, CLI_OPT_DSPEC, 0) << 16;
	blk->cdw15 = (uint32_t)cli_num(args, CLI_OPT_APPTAG, 0) |
		     (uint32_t)cli_num(args, CLI_OPT_APPTAG_MASK, 0) << 16;
	blk->slba = cli_num(args, CLI_OPT_SLBA, 0);
	blk->nblocks = cli_num(args, CLI_OPT_NLB, 0) + 1;
	blk->dbytes = blk->nblocks * blk->geo->lba_nbytes;
	blk->mbytes = blk->geo->lba_extended ? 0 : blk->nblocks * blk->geo->nbytes_oob;
	if (cli_blk_range_check(blk->geo, blk->slba, blk->nblocks)) {
		goto fail;
	}
	if (xfer && blk->dbytes > blk->geo->mdts_nbytes) {
		cli_error("%llu blocks are %zu bytes, more than the device takes in one command "
			  "(MDTS: %llu bytes)",
			  (unsigned long long)blk->nblocks, blk->dbytes,
			  (unsigned long long)blk->geo->mdts_nbytes);
		goto fail;
	}
	if ((cli_given(args, CLI_OPT_META_INPUT) || cli_given(args, CLI_OPT_META_OUTPUT)) &&
	    !blk->mbytes) {
		cli_error("the namespace has no separate metadata (%u bytes per LBA%s): "
			  "--meta-input/--meta-output do not apply",
			  blk->geo->nbytes_oob,
			  blk->geo->lba_extended ? ", extended in the data" : "");
		goto fail;
	}
	return 0;
fail:
	xnvme_dev_close(blk->dev);
	blk->dev = NULL;
	return -EINVAL;
}

void
cli_blk_pr(const char *tool, const char *cmd, const struct cli_blk *blk)
{
	printf("%s_%s:\n  nsid: %u\n  slba: %llu\n  nlb: %llu\n", tool, cmd, blk->nsid,
	       (unsigned long long)blk->slba, (unsigned long long)(blk->nblocks - 1));
}

int
cli_blk_pass(struct xnvme_cmd_ctx *ctx, const struct cli_blk *blk, uint8_t opc, void *dbuf,
	     void *mbuf)
{
	uint16_t nlb = (uint16_t)(blk->nblocks - 1);

	if (blk->cdw12 || blk->cdw13 || blk->cdw14 || blk->cdw15) {
		/* Fields the library's calls do not take: the command is built here, by dword */
		uint32_t *dw = (uint32_t *)&ctx->cmd;

		memset(&ctx->cmd, 0, sizeof(ctx->cmd));
		ctx->cmd.common.opcode = opc;
		ctx->cmd.common.nsid = blk->nsid;
		dw[10] = (uint32_t)blk->slba;
		dw[11] = (uint32_t)(blk->slba >> 32);
		dw[12] = nlb | blk->cdw12;
		dw[13] = blk->cdw13;
		dw[14] = blk->cdw14;
		dw[15] = blk->cdw15;
		return xnvme_cmd_pass(ctx, dbuf, blk->dbytes, mbuf, mbuf ? blk->mbytes : 0);
	}

	switch (opc) {
	case XNVME_SPEC_NVM_OPC_READ:
		return xnvme_nvm_read(ctx, blk->nsid, blk->slba, nlb, dbuf, mbuf);
	case XNVME_SPEC_NVM_OPC_WRITE:
		return xnvme_nvm_write(ctx, blk->nsid, blk->slba, nlb, dbuf, mbuf);
	case XNVME_SPEC_NVM_OPC_COMPARE:
		return xnvme_nvm_compare(ctx, blk->nsid, blk->slba, nlb, dbuf, mbuf);
	case XNVME_SPEC_ZND_OPC_APPEND:
		return xnvme_znd_append(ctx, blk->nsid, blk->slba, nlb, dbuf, mbuf);
	}
	return -EINVAL;
}

int
cli_blk_xfer(struct cli_args *args, const char *tool, const char *cmd, uint8_t opc)
{
	const char *din = args->str[CLI_OPT_DATA_INPUT], *min = args->str[CLI_OPT_META_INPUT];
	const char *dout = args->str[CLI_OPT_DATA_OUTPUT];
	int sends = opc != XNVME_SPEC_NVM_OPC_READ;
	struct xnvme_cmd_ctx ctx;
	struct cli_blk blk;
	uint8_t *dbuf = NULL, *mbuf = NULL;
	int rc = CLI_EXIT_FAIL;

	if (opc == XNVME_SPEC_NVM_OPC_COMPARE && !din) {
		return cli_usage("--data-input is required: the data to compare with");
	}
	if (cli_blk_open(args, &blk, 1)) {
		return CLI_EXIT_FAIL;
	}
	dbuf = cli_buf_alloc(blk.dev, blk.dbytes);
	mbuf = blk.mbytes ? cli_buf_alloc(blk.dev, blk.mbytes) : NULL;
	if (!dbuf || (blk.mbytes && !mbuf)) {
		goto out;
	}
	if ((din && cli_file_read(din, dbuf, blk.dbytes)) ||
	    (min && cli_file_read(min, mbuf, blk.mbytes))) {
		goto out;
	}
	if (sends && !din) {
		for (size_t i = 0; i < blk.dbytes; ++i) {
			dbuf[i] = (uint8_t)(blk.slba * blk.geo->lba_nbytes + i);
		}
	}
	ctx = xnvme_cmd_ctx_from_dev(blk.dev);
	rc = cli_cmd_result(&ctx, cli_blk_pass(&ctx, &blk, opc, dbuf, mbuf), cmd);
	if (rc == CLI_EXIT_OK && !sends && dout && cli_file_write(dout, dbuf, blk.dbytes)) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK && !sends && cli_given(args, CLI_OPT_META_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_META_OUTPUT], mbuf, blk.mbytes)) {
		rc = CLI_EXIT_FAIL;
	}
	/* Data on stdout ('-') is the whole output: no YAML after it */
	if (rc == CLI_EXIT_OK && !(dout && !strcmp(dout, "-"))) {
		cli_blk_pr(tool, cmd, &blk);
		printf("  nbytes: %zu\n  meta_nbytes: %zu\n", blk.dbytes, blk.mbytes);
		if (opc == XNVME_SPEC_ZND_OPC_APPEND) {
			/* Where the device put the data: completion dwords 0-1 */
			printf("  alba: %llu\n", (unsigned long long)ctx.cpl.result);
		}
	}
out:
	xnvme_buf_free(blk.dev, dbuf);
	xnvme_buf_free(blk.dev, mbuf);
	xnvme_dev_close(blk.dev);
	return rc;
}
