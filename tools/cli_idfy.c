/* SPDX-License-Identifier: BSD-3-Clause */
/* Identify for every tool (any CNS, decoded where the library has a printer) and raw hex output. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

/*
 * Raw bytes as YAML: a list of lines "OFFSET: 16 hex bytes". Trailing zero lines are left out
 * (they are most of a 4 KiB page); `nbytes` says how much there was.
 */
void
cli_pr_hex(const char *key, const uint8_t *buf, size_t nbytes)
{
	size_t used = nbytes;

	while (used && !buf[used - 1]) {
		used--;
	}
	printf("  nbytes: %zu\n  %s:%s\n", nbytes, key, used ? "" : " []");
	for (size_t off = 0; off < used; off += 16) {
		printf("    - '%06zx:", off);
		for (size_t i = off; i < off + 16 && i < nbytes; ++i) {
			printf(" %02x", buf[i]);
		}
		printf("'\n");
	}
}

static int
pr_idfy(uint8_t cns, uint8_t csi, struct xnvme_spec_idfy *idfy, size_t nbytes)
{
	switch (cns) {
	case XNVME_SPEC_IDFY_NS:
		return xnvme_spec_idfy_ns_fpr(stdout, &idfy->ns, XNVME_PR_DEF);
	case XNVME_SPEC_IDFY_CTRLR:
		return xnvme_spec_idfy_ctrlr_fpr(stdout, &idfy->ctrlr, XNVME_PR_DEF);
	case XNVME_SPEC_IDFY_NSLIST:
	case XNVME_SPEC_IDFY_NSLIST_IOCS:
		return xnvme_spec_idfy_nslist_fpr(stdout, idfy, XNVME_PR_DEF);
	case XNVME_SPEC_IDFY_NS_IOCS:
		if (csi == XNVME_SPEC_CSI_NVM) {
			return xnvme_spec_nvm_idfy_ns_fpr(stdout, &idfy->nvm_ns, XNVME_PR_DEF);
		}
		if (csi == XNVME_SPEC_CSI_ZONED) {
			return xnvme_spec_znd_idfy_ns_fpr(stdout, &idfy->znd_ns, XNVME_PR_DEF);
		}
		if (csi == XNVME_SPEC_CSI_KV) {
			return xnvme_spec_kvs_idfy_ns_fpr(stdout, &idfy->kvs_ns, XNVME_PR_DEF);
		}
		break;
	case XNVME_SPEC_IDFY_IOCS:
		return xnvme_spec_idfy_cs_fpr(stdout, &idfy->cs, XNVME_PR_DEF);
	case XNVME_SPEC_IDFY_CTRLR_IOCS:
		if (csi == XNVME_SPEC_CSI_NVM) {
			return xnvme_spec_nvm_idfy_ctrlr_fpr(stdout, &idfy->nvm_ctrlr,
							     XNVME_PR_DEF);
		}
		if (csi == XNVME_SPEC_CSI_ZONED) {
			return xnvme_spec_znd_idfy_ctrlr_fpr(stdout, &idfy->znd_ctrlr,
							     XNVME_PR_DEF);
		}
		break;
	}
	printf("xnvme_spec_idfy_raw:\n  cns: 0x%02x\n  csi: 0x%02x\n", cns, csi);
	cli_pr_hex("data", (const uint8_t *)idfy, nbytes);
	return 0;
}

/* CNS values whose NSID field names a namespace: without --nsid they use the device's */
static int
cns_takes_nsid(uint8_t cns)
{
	return cns == XNVME_SPEC_IDFY_NS || cns == XNVME_SPEC_IDFY_NSDSCR ||
	       cns == XNVME_SPEC_IDFY_NS_IOCS || cns == XNVME_SPEC_IDFY_NS_ALLOC;
}

/* One identify into a fresh 4 KiB buffer; prints it, writes it to --data-output when asked */
int
cli_idfy(struct cli_args *args, struct xnvme_dev *dev, uint8_t cns, uint8_t csi)
{
	size_t nbytes = sizeof(struct xnvme_spec_idfy);
	struct xnvme_spec_idfy *idfy = cli_buf_alloc(dev, nbytes);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint32_t nsid = 0;
	char what[64];
	int err, rc;

	if (!idfy) {
		return CLI_EXIT_FAIL;
	}
	if (cli_given(args, CLI_OPT_NSID)) {
		nsid = (uint32_t)args->num[CLI_OPT_NSID];
	} else if (cns_takes_nsid(cns)) {
		nsid = xnvme_dev_get_nsid(dev);
	}
	/* Filled here: xnvme_adm_idfy() (0.7.5's parameters) takes neither a 32-bit nsid nor a CSI
	 */
	ctx.cmd.common.opcode = XNVME_SPEC_ADM_OPC_IDFY;
	ctx.cmd.common.nsid = nsid;
	ctx.cmd.idfy.cns = cns;
	ctx.cmd.idfy.cntid = (uint16_t)cli_num(args, CLI_OPT_CNTID, 0);
	ctx.cmd.idfy.csi = csi;
	ctx.cmd.idfy.nvmsetid = (uint16_t)cli_num(args, CLI_OPT_SETID, 0);
	ctx.cmd.idfy.uuid = (uint8_t)cli_num(args, CLI_OPT_UUID, 0);
	err = xnvme_cmd_pass_admin(&ctx, idfy, nbytes, NULL, 0);
	snprintf(what, sizeof(what), "identify (CNS 0x%02x, CSI 0x%02x)", cns, csi);
	rc = cli_cmd_result(&ctx, err, what);
	if (rc == CLI_EXIT_OK && cli_given(args, CLI_OPT_DATA_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_DATA_OUTPUT], idfy, nbytes)) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		pr_idfy(cns, csi, idfy, nbytes);
	}
	xnvme_buf_free(dev, idfy);
	return rc;
}
