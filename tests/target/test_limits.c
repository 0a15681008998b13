/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands the library or the device refuses come back as errors with the NVMe status, never as
 * a crash: transfers over MDTS (refused by the pass functions), an unknown opcode and an unknown
 * namespace (answered by the device with its status).
 * usage: test_limits DEV
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "check.h"

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	const struct xnvme_geo *geo;
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint64_t nlb_max;
	uint8_t *buf;
	uint32_t nsid;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DEV\n", argv[0]);
		return 2;
	}
	opts.nsid = check_target_nsid();
	dev = xnvme_dev_open(argv[1], &opts);
	if (!dev) {
		printf("FAIL: open %s: %s (%s)\n", argv[1], strerror(errno),
		       xnvme_dev_open_err_msg());
		return 1;
	}
	geo = xnvme_dev_get_geo(dev);
	nsid = xnvme_dev_get_nsid(dev);
	nlb_max = geo->mdts_nbytes / geo->lba_nbytes; /* blocks in the largest transfer */
	/* A transfer of MDTS, or only identify's 4 KiB when no command can reach MDTS */
	buf = xnvme_buf_alloc(dev, nlb_max < 65536 ? geo->mdts_nbytes + 2 * geo->lba_nbytes : 4096);

	if (nlb_max < 65536) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_nvm_read(&ctx, nsid, 0, (uint16_t)nlb_max, buf, NULL);
		CHECK(err == -EINVAL, "a read of MDTS + 1 block (%llu blocks): -EINVAL (%d)",
		      (unsigned long long)nlb_max + 1, err);
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_nvm_read(&ctx, nsid, 0, (uint16_t)(nlb_max - 1), buf, NULL);
		CHECK(!err, "a read of exactly MDTS (%llu blocks): ok (%d)",
		      (unsigned long long)nlb_max, err);
	} else {
		printf("NOTE: MDTS of %s is over 65536 blocks: no command can exceed it\n",
		       argv[1]);
	}

	ctx = xnvme_cmd_ctx_from_dev(dev);
	/* Reserved in the NVM command set (not 7Fh: over fabrics that is the Fabrics command) */
	ctx.cmd.common.opcode = 0x7E;
	ctx.cmd.common.nsid = nsid;
	err = xnvme_cmd_pass(&ctx, NULL, 0, NULL, 0);
	CHECK((err == -EIO || err == -ENOSYS) && ctx.cpl.status.sct == 0 &&
		  ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_OPCODE,
	      "a reserved opcode: Invalid Opcode (%d, '%s')", err,
	      xnvme_spec_status_str(ctx.cpl.status.sct, ctx.cpl.status.sc));

	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, 0xFFFF, 0, 0, buf, NULL);
	/* The device answers Invalid Namespace; the Linux driver refuses a namespace node's command
	 * for another namespace before the device sees it: -EINVAL without a status */
	CHECK((err && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT) ||
		  (err == -EINVAL && !xnvme_cmd_ctx_cpl_status(&ctx)),
	      "a read from namespace 0xFFFF: refused (%d, '%s')", err,
	      xnvme_spec_status_str(ctx.cpl.status.sct, ctx.cpl.status.sc));

	/*
	 * NVMe 2.0 5.17.2.1: an NSID above NN is invalid (an error status); an inactive one within
	 * it answers zeroes. Linux's nvmet (NN 1024) answers zeroes for any NSID it does not have
	 */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	memset(buf, 0xAB, sizeof(struct xnvme_spec_idfy_ns));
	err = xnvme_adm_idfy_ns(&ctx, 0xFFFF, (void *)buf);
	CHECK((err && xnvme_cmd_ctx_cpl_status(&ctx)) ||
		  (!err && !((struct xnvme_spec_idfy_ns *)buf)->nsze &&
		   !((struct xnvme_spec_idfy_ns *)buf)->ncap),
	      "identify of namespace 0xFFFF: an error status, or an inactive namespace's zeroes "
	      "(%d, '%s')",
	      err, xnvme_spec_status_str(ctx.cpl.status.sct, ctx.cpl.status.sc));

	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
