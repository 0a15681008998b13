/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `xnvme` tool's admin and raw sub-commands: idfy, idfy-cs, log and its named pages,
 * feature-get/-set, format, sanitize, dev-selftest, padc and pioc. Each checks its options before
 * it opens the device, so a usage error touches nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "xnvme_tool.h"

/* Log pages and features that are not about one namespace go to all of them */
#define NSID_ALL 0xFFFFFFFFu

/* The largest buffer a raw command or log may ask for: far above any MDTS, and still an amount a
 * tool can allocate without a second thought */
#define DATA_NBYTES_MAX (64u << 20)

/* A buffer of @p nbytes from the device, or NULL after the error line */
static void *
adm_buf(struct xnvme_dev *dev, size_t nbytes)
{
	return nbytes ? cli_buf_alloc(dev, nbytes) : NULL;
}

int
xnvme_tool_idfy(struct cli_args *args)
{
	struct xnvme_dev *dev;
	int rc;

	if (!cli_given(args, CLI_OPT_CNS)) {
		return cli_usage("--cns is required");
	}
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	rc = cli_idfy(args, dev, (uint8_t)args->num[CLI_OPT_CNS],
		      (uint8_t)cli_num(args, CLI_OPT_CSI, 0));
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_idfy_cs(struct cli_args *args)
{
	struct xnvme_dev *dev = cli_dev_open(args);
	uint8_t csi;
	int rc;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	csi = (uint8_t)cli_num(args, CLI_OPT_CSI, xnvme_dev_get_csi(dev));
	rc = cli_idfy(args, dev, XNVME_SPEC_IDFY_CTRLR_IOCS, csi);
	if (rc == CLI_EXIT_OK && !cli_given(args, CLI_OPT_DATA_OUTPUT)) {
		rc = cli_idfy(args, dev, XNVME_SPEC_IDFY_NS_IOCS, csi);
	}
	xnvme_dev_close(dev);
	return rc;
}

/* Decodes a log page the library has a printer for, when the buffer holds all of it */
static int
pr_log(uint8_t lid, uint64_t lpo, const void *buf, size_t nbytes)
{
	if (!lpo) {
		switch (lid) {
		case XNVME_SPEC_LOG_ERRI:
			if (nbytes >= sizeof(struct xnvme_spec_log_erri_entry)) {
				return xnvme_spec_log_erri_fpr(
				    stdout, buf,
				    (int)(nbytes / sizeof(struct xnvme_spec_log_erri_entry)),
				    XNVME_PR_DEF);
			}
			break;
		case XNVME_SPEC_LOG_HEALTH:
			if (nbytes >= sizeof(struct xnvme_spec_log_health_entry)) {
				return xnvme_spec_log_health_fpr(stdout, buf, XNVME_PR_DEF);
			}
			break;
		case XNVME_SPEC_LOG_FW:
			if (nbytes >= sizeof(struct xnvme_spec_log_fw_slot)) {
				return xnvme_spec_log_fw_slot_fpr(stdout, buf, XNVME_PR_DEF);
			}
			break;
		case XNVME_SPEC_LOG_CHNS:
			if (nbytes >= sizeof(struct xnvme_spec_log_chns)) {
				return xnvme_spec_log_chns_fpr(stdout, buf, XNVME_PR_DEF);
			}
			break;
		case XNVME_SPEC_LOG_CSAE:
			if (nbytes >= sizeof(struct xnvme_spec_log_csae)) {
				return xnvme_spec_log_csae_fpr(stdout, buf, XNVME_PR_DEF);
			}
			break;
		case XNVME_TOOL_LOG_FDP_CONF:
		case XNVME_TOOL_LOG_RUHU:
		case XNVME_TOOL_LOG_FDP_STATS:
		case XNVME_TOOL_LOG_FDP_EVENTS:
			return xnvme_tool_fdp_log_pr(lid, buf, nbytes);
		case XNVME_SPEC_LOG_ZND_CHANGES:
			if (nbytes >= sizeof(struct xnvme_spec_znd_log_changes)) {
				return xnvme_spec_znd_log_changes_fpr(stdout, buf, XNVME_PR_DEF);
			}
			break;
		}
	}
	printf("xnvme_log_raw:\n  lid: 0x%02x\n  lpo: %llu\n", lid, (unsigned long long)lpo);
	cli_pr_hex("data", buf, nbytes);
	return 0;
}

/* Get Log Page @p lid of @p nbytes; printed decoded where known, raw otherwise */
int
xnvme_tool_log_run(struct cli_args *args, uint8_t lid, uint32_t dflt_nbytes)
{
	uint64_t nbytes = cli_num(args, CLI_OPT_DATA_NBYTES, dflt_nbytes);
	uint64_t lpo = cli_num(args, CLI_OPT_LPO, 0);
	uint32_t nsid = (uint32_t)cli_num(args, CLI_OPT_NSID, NSID_ALL);
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	char what[48];
	void *buf;
	int err, rc;

	/* NUMD counts dwords and LPO addresses dwords: anything else is not a log request */
	if (!nbytes || nbytes % 4 || nbytes > DATA_NBYTES_MAX) {
		return cli_usage("--data-nbytes must be a multiple of 4 from 4 to %u",
				 DATA_NBYTES_MAX);
	}
	if (lpo % 4) {
		return cli_usage("--lpo (--lpo-nbytes) must be a multiple of 4");
	}
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	buf = adm_buf(dev, nbytes);
	if (!buf) {
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	xnvme_prep_adm_log(&ctx, lid, (uint8_t)cli_num(args, CLI_OPT_LSP, 0), lpo, nsid,
			   (uint8_t)cli_num(args, CLI_OPT_RAE, 0), (uint32_t)nbytes);
	/* The log specific identifier (FDP: the endurance group) is CDW11 bits 31:16 */
	((uint32_t *)&ctx.cmd)[11] |= (uint32_t)cli_num(args, CLI_OPT_LSI, 0) << 16;
	err = xnvme_cmd_pass_admin(&ctx, buf, nbytes, NULL, 0);
	snprintf(what, sizeof(what), "get log page 0x%02x", lid);
	rc = cli_cmd_result(&ctx, err, what);
	if (rc == CLI_EXIT_OK && cli_given(args, CLI_OPT_DATA_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_DATA_OUTPUT], buf, nbytes)) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		pr_log(lid, lpo, buf, nbytes);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_log(struct cli_args *args)
{
	if (!cli_given(args, CLI_OPT_LID)) {
		return cli_usage("--lid is required");
	}
	return xnvme_tool_log_run(args, (uint8_t)args->num[CLI_OPT_LID], 4096);
}

int
xnvme_tool_log_erri(struct cli_args *args)
{
	/* --limit entries; without it the 64 entries of one page (ELPE may allow more) */
	uint64_t nentries = cli_num(args, CLI_OPT_LIMIT, 64);

	if (!nentries || nentries > 256) {
		return cli_usage("--limit must be 1..256 entries");
	}
	args->num[CLI_OPT_DATA_NBYTES] = nentries * sizeof(struct xnvme_spec_log_erri_entry);
	args->given |= CLI_OPT(CLI_OPT_DATA_NBYTES);
	return xnvme_tool_log_run(args, XNVME_SPEC_LOG_ERRI, 0);
}

int
xnvme_tool_log_health(struct cli_args *args)
{
	return xnvme_tool_log_run(args, XNVME_SPEC_LOG_HEALTH,
				  sizeof(struct xnvme_spec_log_health_entry));
}

int
xnvme_tool_log_fwsl(struct cli_args *args)
{
	return xnvme_tool_log_run(args, XNVME_SPEC_LOG_FW, sizeof(struct xnvme_spec_log_fw_slot));
}

int
xnvme_tool_log_cmds_effects(struct cli_args *args)
{
	return xnvme_tool_log_run(args, XNVME_SPEC_LOG_CSAE, sizeof(struct xnvme_spec_log_csae));
}

int
xnvme_tool_log_chns(struct cli_args *args)
{
	return xnvme_tool_log_run(args, XNVME_SPEC_LOG_CHNS, sizeof(struct xnvme_spec_log_chns));
}

int
xnvme_tool_feature_get(struct cli_args *args)
{
	uint64_t nbytes = cli_num(args, CLI_OPT_DATA_NBYTES, 0);
	uint8_t sel = (uint8_t)cli_num(args, CLI_OPT_SEL, XNVME_SPEC_FEAT_SEL_CURRENT);
	uint8_t fid;
	struct xnvme_spec_feat feat;
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	void *buf = NULL;
	int err, rc;

	if (!cli_given(args, CLI_OPT_FID)) {
		return cli_usage("--fid is required");
	}
	if (sel > XNVME_SPEC_FEAT_SEL_SUPPORTED) {
		return cli_usage("--sel %u is reserved (0 current, 1 default, 2 saved, 3 "
				 "capabilities)",
				 sel);
	}
	if (nbytes > DATA_NBYTES_MAX) {
		return cli_usage("--data-nbytes: at most %u", DATA_NBYTES_MAX);
	}
	if (cli_given(args, CLI_OPT_DATA_OUTPUT) && !nbytes) {
		return cli_usage("--data-output needs --data-nbytes");
	}
	fid = (uint8_t)args->num[CLI_OPT_FID];
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	buf = adm_buf(dev, nbytes);
	if (nbytes && !buf) {
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	xnvme_prep_adm_gfeat(&ctx, (uint32_t)cli_num(args, CLI_OPT_NSID, 0), fid, sel);
	/* A feature-specific input (e.g. the FDP events' placement handle) is in CDW11 */
	((uint32_t *)&ctx.cmd)[11] = (uint32_t)cli_num(args, CLI_OPT_CDW11, 0);
	err = xnvme_cmd_pass_admin(&ctx, buf, nbytes, NULL, 0);
	rc = cli_cmd_result(&ctx, err, "get features");
	if (rc == CLI_EXIT_OK && nbytes && cli_given(args, CLI_OPT_DATA_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_DATA_OUTPUT], buf, nbytes)) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		feat.val = ctx.cpl.cdw0;
		if (sel == XNVME_SPEC_FEAT_SEL_SUPPORTED) {
			/* The completion carries capabilities, not a value */
			printf("xnvme_feat_capabilities:\n  fid: 0x%02x\n  saveable: %u\n"
			       "  nsspec: %u\n  changeable: %u\n",
			       fid, feat.val & 1, (feat.val >> 1) & 1, (feat.val >> 2) & 1);
		} else {
			/* "feat: {...}" as xNVMe prints it, then what was asked, beside it */
			xnvme_spec_feat_fpr(stdout, fid, feat, XNVME_PR_DEF);
			printf("fid: 0x%02x\nsel: %u\nval: 0x%08x\n", fid, sel, feat.val);
		}
		if (nbytes && !cli_given(args, CLI_OPT_DATA_OUTPUT)) {
			cli_pr_hex("data", buf, nbytes);
		}
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

/* A buffer of @p nbytes, filled from --data-input (or --meta-input) when @p input is given */
static void *
adm_buf_in(struct xnvme_dev *dev, const char *input, size_t nbytes)
{
	void *buf = adm_buf(dev, nbytes);

	if (buf && input && cli_file_read(input, buf, nbytes)) {
		xnvme_buf_free(dev, buf);
		return NULL;
	}
	return buf;
}

int
xnvme_tool_feature_set(struct cli_args *args)
{
	const char *input = args->str[CLI_OPT_DATA_INPUT];
	struct xnvme_cmd_ctx ctx;
	struct xnvme_spec_feat feat;
	struct xnvme_dev *dev;
	long long nbytes = 0;
	void *buf = NULL;
	uint8_t fid;
	int err, rc;

	if (!cli_given(args, CLI_OPT_FID) || !cli_given(args, CLI_OPT_FEAT)) {
		return cli_usage("--fid and --feat are required");
	}
	if (input) {
		nbytes = (long long)cli_num(args, CLI_OPT_DATA_NBYTES, 0);
		if (!nbytes) {
			nbytes = cli_file_size(input);
			if (nbytes < 0) {
				return CLI_EXIT_FAIL;
			}
		}
		if (!nbytes || nbytes > DATA_NBYTES_MAX) {
			return cli_usage("--data-input: 1 to %u bytes", DATA_NBYTES_MAX);
		}
	}
	fid = (uint8_t)args->num[CLI_OPT_FID];
	feat.val = (uint32_t)args->num[CLI_OPT_FEAT];
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	buf = adm_buf_in(dev, input, (size_t)nbytes);
	if (nbytes && !buf) {
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	xnvme_prep_adm_sfeat(&ctx, (uint32_t)cli_num(args, CLI_OPT_NSID, 0), fid, feat.val,
			     cli_given(args, CLI_OPT_SAVE));
	((uint32_t *)&ctx.cmd)[12] = (uint32_t)cli_num(args, CLI_OPT_CDW12, 0);
	err = xnvme_cmd_pass_admin(&ctx, buf, (size_t)nbytes, NULL, 0);
	rc = cli_cmd_result(&ctx, err, "set features");
	if (rc == CLI_EXIT_OK) {
		xnvme_spec_feat_fpr(stdout, fid, feat, XNVME_PR_DEF);
		printf("fid: 0x%02x\nsave: %d\nval: 0x%08x\n", fid, cli_given(args, CLI_OPT_SAVE),
		       feat.val);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_format(struct cli_args *args)
{
	struct xnvme_dev *dev = NULL;
	const struct xnvme_spec_idfy_ns *ns;
	struct xnvme_cmd_ctx ctx;
	uint8_t lbaf, mset, pi, pil, ses = (uint8_t)cli_num(args, CLI_OPT_SES, 0);
	uint32_t nsid;
	int err, rc;

	if (ses > 2) {
		return cli_usage("--ses %u is reserved (0, 1 or 2)", ses);
	}
	if (cli_given(args, CLI_OPT_LBAF) &&
	    (cli_given(args, CLI_OPT_LBAFL) || cli_given(args, CLI_OPT_LBAFU))) {
		return cli_usage("--lbaf or --lbafl/--lbafu, not both");
	}
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	/* What is not given stays as it is: a format only changes what the user asks for */
	ns = xnvme_dev_get_ns(dev);
	lbaf = (uint8_t)cli_num(args, CLI_OPT_LBAF, xnvme_spec_idfy_ns_flbas_idx(ns));
	/* xNVMe's --lbafl/--lbafu: the index's low 4 and high 2 bits, each replacing its part */
	if (cli_given(args, CLI_OPT_LBAFL)) {
		lbaf = (uint8_t)((lbaf & 0x30) | args->num[CLI_OPT_LBAFL]);
	}
	if (cli_given(args, CLI_OPT_LBAFU)) {
		lbaf = (uint8_t)((lbaf & 0xF) | args->num[CLI_OPT_LBAFU] << 4);
	}
	mset = (uint8_t)cli_num(args, CLI_OPT_MSET, ns->flbas.extended);
	pi = (uint8_t)cli_num(args, CLI_OPT_PI, ns->dps.pit);
	pil = (uint8_t)cli_num(args, CLI_OPT_PIL, ns->dps.md_start);
	/* NULBAF (NVM 1.0, byte 82) is reserved81[1] in xNVMe's layout */
	if (lbaf > ns->nlbaf + ns->reserved81[1]) {
		cli_error("--lbaf %u: the namespace has LBA formats 0..%u", lbaf,
			  ns->nlbaf + ns->reserved81[1]);
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	nsid = xnvme_dev_get_nsid(dev);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_format(&ctx, nsid, lbaf, 0, mset, ses, pi, pil);
	rc = cli_cmd_result(&ctx, err, "format NVM");
	if (rc == CLI_EXIT_OK) {
		printf("xnvme_format:\n  nsid: %u\n  lbaf: %u\n  mset: %u\n  ses: %u\n  pi: %u\n"
		       "  pil: %u\n",
		       nsid, lbaf, mset, ses, pi, pil);
	}
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_sanitize(struct cli_args *args)
{
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint8_t sanact;
	int err, rc;

	if (!cli_given(args, CLI_OPT_SANACT)) {
		return cli_usage("--sanact is required");
	}
	sanact = (uint8_t)args->num[CLI_OPT_SANACT];
	if (!sanact || sanact > 4) {
		return cli_usage("--sanact %u is reserved (1..4)", sanact);
	}
	if ((cli_given(args, CLI_OPT_OVRPAT) || cli_given(args, CLI_OPT_OWPASS) ||
	     cli_given(args, CLI_OPT_OIPBP)) &&
	    sanact != 3) {
		return cli_usage("--ovrpat, --owpass and --oipbp go with --sanact 3 (overwrite)");
	}
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sanitize(&ctx, sanact, cli_given(args, CLI_OPT_AUSE),
				 (uint32_t)cli_num(args, CLI_OPT_OVRPAT, 0),
				 (uint8_t)cli_num(args, CLI_OPT_OWPASS, 1),
				 cli_given(args, CLI_OPT_OIPBP), cli_given(args, CLI_OPT_NODAS));
	rc = cli_cmd_result(&ctx, err, "sanitize");
	if (rc == CLI_EXIT_OK) {
		/* The controller runs it in the background: the sanitize status log tells progress
		 */
		printf("xnvme_sanitize:\n  sanact: %u\n  ause: %d\n  owpass: %u\n  oipbp: %d\n"
		       "  nodas: %d\n  started: true\n",
		       sanact, cli_given(args, CLI_OPT_AUSE),
		       (unsigned)cli_num(args, CLI_OPT_OWPASS, 1), cli_given(args, CLI_OPT_OIPBP),
		       cli_given(args, CLI_OPT_NODAS));
	}
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_dev_selftest(struct cli_args *args)
{
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint8_t stc;
	int err, rc;

	if (!cli_given(args, CLI_OPT_STC)) {
		return cli_usage("--stc is required");
	}
	stc = (uint8_t)args->num[CLI_OPT_STC];
	if (stc != 1 && stc != 2 && stc != 0xE && stc != 0xF) {
		return cli_usage("--stc 0x%x is reserved (1 short, 2 extended, 0xE, 0xF)", stc);
	}
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_dsend(&ctx, (uint32_t)cli_num(args, CLI_OPT_NSID, NSID_ALL), stc);
	rc = cli_cmd_result(&ctx, err, "device self-test");
	if (rc == CLI_EXIT_OK) {
		printf("xnvme_dev_selftest:\n  stc: 0x%x\n  started: true\n", stc);
	}
	xnvme_dev_close(dev);
	return rc;
}

/* The command of padc/pioc: --cmd-input, then the fields given on the command line */
static int
raw_cmd_build(struct cli_args *args, struct xnvme_spec_cmd *cmd)
{
	static const enum cli_opt_id cdw_opts[] = {
	    CLI_OPT_CDW0,  CLI_OPT_CDW1,  CLI_OPT_CDW2,  CLI_OPT_CDW3, CLI_OPT_CDW4,  CLI_OPT_CDW5,
	    CLI_OPT_CDW6,  CLI_OPT_CDW7,  CLI_OPT_CDW8,  CLI_OPT_CDW9, CLI_OPT_CDW10, CLI_OPT_CDW11,
	    CLI_OPT_CDW12, CLI_OPT_CDW13, CLI_OPT_CDW14, CLI_OPT_CDW15};
	uint32_t *cdw = cmd->cdw;

	memset(cmd, 0, sizeof(*cmd));
	if (cli_given(args, CLI_OPT_CMD_INPUT)) {
		long long nbytes = cli_file_size(args->str[CLI_OPT_CMD_INPUT]);

		if (nbytes < 0) {
			return CLI_EXIT_FAIL;
		}
		if (nbytes != (long long)sizeof(*cmd)) {
			cli_error("'%s' has %lld bytes; a command is %zu",
				  args->str[CLI_OPT_CMD_INPUT], nbytes, sizeof(*cmd));
			return CLI_EXIT_FAIL;
		}
		if (cli_file_read(args->str[CLI_OPT_CMD_INPUT], cmd, sizeof(*cmd))) {
			return CLI_EXIT_FAIL;
		}
	} else if (!cli_given(args, CLI_OPT_OPCODE) && !cli_given(args, CLI_OPT_CDW0)) {
		return cli_usage("--opcode, --cdw0 or --cmd-input is required");
	}
	/* Whole dwords first (xNVMe's --cdw0..--cdw15), then the named fields within them */
	for (size_t i = 0; i < sizeof(cdw_opts) / sizeof(cdw_opts[0]); ++i) {
		if (cli_given(args, cdw_opts[i])) {
			cdw[i] = (uint32_t)args->num[cdw_opts[i]];
		}
	}
	if (cli_given(args, CLI_OPT_OPCODE)) {
		cmd->common.opcode = (uint8_t)args->num[CLI_OPT_OPCODE];
	}
	if (cli_given(args, CLI_OPT_NSID)) {
		cmd->common.nsid = (uint32_t)args->num[CLI_OPT_NSID];
	}
	return -1; /* no exit code: go on */
}

/* Size of the data (or metadata) buffer: --*-nbytes, else the input file's size, else none */
static long long
raw_nbytes(struct cli_args *args, enum cli_opt_id nbytes_opt, enum cli_opt_id input_opt)
{
	long long nbytes = (long long)cli_num(args, nbytes_opt, 0);

	if (!cli_given(args, nbytes_opt) && cli_given(args, input_opt)) {
		nbytes = cli_file_size(args->str[input_opt]);
	}
	if (nbytes > DATA_NBYTES_MAX) {
		cli_error("a buffer of %lld bytes is more than the %u a raw command may use",
			  nbytes, DATA_NBYTES_MAX);
		return -1;
	}
	return nbytes;
}

static int
raw_run(struct cli_args *args, int admin)
{
	struct xnvme_spec_cmd cmd;
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	long long dnbytes, mnbytes;
	void *dbuf = NULL, *mbuf = NULL;
	int err, rc;

	rc = raw_cmd_build(args, &cmd);
	if (rc >= 0) {
		return rc;
	}
	dnbytes = raw_nbytes(args, CLI_OPT_DATA_NBYTES, CLI_OPT_DATA_INPUT);
	mnbytes = raw_nbytes(args, CLI_OPT_META_NBYTES, CLI_OPT_META_INPUT);
	if (dnbytes < 0 || mnbytes < 0) {
		return CLI_EXIT_FAIL;
	}
	if ((cli_given(args, CLI_OPT_DATA_OUTPUT) && !dnbytes) ||
	    (cli_given(args, CLI_OPT_META_OUTPUT) && !mnbytes)) {
		return cli_usage("an output file needs a buffer size (--data-nbytes, "
				 "--meta-nbytes)");
	}
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	if (!admin && !cli_given(args, CLI_OPT_NSID) && !cli_given(args, CLI_OPT_CDW1) &&
	    !cmd.common.nsid) {
		cmd.common.nsid = xnvme_dev_get_nsid(dev);
	}
	rc = CLI_EXIT_FAIL;
	dbuf = adm_buf_in(dev, args->str[CLI_OPT_DATA_INPUT], (size_t)dnbytes);
	mbuf = adm_buf_in(dev, args->str[CLI_OPT_META_INPUT], (size_t)mnbytes);
	if ((dnbytes && !dbuf) || (mnbytes && !mbuf)) {
		goto out;
	}
	if (cli_given(args, CLI_OPT_CMD_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_CMD_OUTPUT], &cmd, sizeof(cmd))) {
		goto out;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	ctx.cmd = cmd;
	err = admin ? xnvme_cmd_pass_admin(&ctx, dbuf, (size_t)dnbytes, mbuf, (size_t)mnbytes)
		    : xnvme_cmd_pass(&ctx, dbuf, (size_t)dnbytes, mbuf, (size_t)mnbytes);
	rc = cli_cmd_result(&ctx, err, admin ? "admin command" : "I/O command");
	if (rc == CLI_EXIT_OK && cli_given(args, CLI_OPT_DATA_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_DATA_OUTPUT], dbuf, (size_t)dnbytes)) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK && cli_given(args, CLI_OPT_META_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_META_OUTPUT], mbuf, (size_t)mnbytes)) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		// The fields by name; xNVMe prints the plain dwords (in binary) by default
		xnvme_spec_cmd_fpr(stdout, &ctx.cmd, XNVME_PR_YAML | XNVME_PR_TERSE);
		xnvme_spec_cpl_fpr(stdout, &ctx.cpl, XNVME_PR_DEF);
		if (cli_given(args, CLI_OPT_VERBOSE) && dnbytes) {
			printf("xnvme_pass_data:\n");
			cli_pr_hex("data", dbuf, (size_t)dnbytes);
		}
	}
out:
	xnvme_buf_free(dev, dbuf);
	xnvme_buf_free(dev, mbuf);
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_padc(struct cli_args *args)
{
	return raw_run(args, 1);
}

int
xnvme_tool_pioc(struct cli_args *args)
{
	return raw_run(args, 0);
}
