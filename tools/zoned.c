/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `zoned` tool: the zoned namespace command set. Every command that names a device checks
 * that it is a zoned namespace before it sends anything, and zone management and append check
 * that --slba is a zone's start LBA.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cli_blk.h"

/*
 * Opens the device and checks it is a zoned namespace whose zoned identify data the library has
 * (the zone size and limits come from it); NULL after the error line
 */
static struct xnvme_dev *
zoned_open(struct cli_args *args)
{
	struct xnvme_dev *dev = cli_dev_open(args);

	if (!dev) {
		return NULL;
	}
	if (xnvme_dev_get_csi(dev) != XNVME_SPEC_CSI_ZONED) {
		cli_error("'%s' is not a zoned namespace (its command set is 0x%x)", args->uri,
			  xnvme_dev_get_csi(dev));
		xnvme_dev_close(dev);
		return NULL;
	}
	if (!xnvme_znd_dev_get_ns(dev) || !xnvme_znd_dev_get_lbafe(dev) ||
	    !xnvme_znd_dev_get_ctrlr(dev)) {
		cli_error("'%s' is a zoned namespace but its zoned identify data (CSI 2) could not "
			  "be read",
			  args->uri);
		xnvme_dev_close(dev);
		return NULL;
	}
	return dev;
}

/*
 * The largest zone append in bytes: ZASL, a power of two in units of the minimum memory page
 * size, 0 meaning MDTS (ZNS 1.1, I/O command set specific Identify Controller). The library
 * takes that page size as 4 KiB for MDTS too, and an append cannot exceed what the path to the
 * device takes (geo's mdts_nbytes).
 */
static uint64_t
zoned_append_nbytes(struct xnvme_dev *dev)
{
	uint64_t mdts_nbytes = xnvme_dev_get_geo(dev)->mdts_nbytes;
	uint8_t zasl = xnvme_znd_dev_get_ctrlr(dev)->zasl;
	uint64_t zasl_nbytes;

	/* From 2^52 bytes on the shift would overflow; such a limit is past any MDTS anyway */
	if (!zasl || zasl >= 52) {
		return mdts_nbytes;
	}
	zasl_nbytes = UINT64_C(4096) << zasl;
	return zasl_nbytes < mdts_nbytes ? zasl_nbytes : mdts_nbytes;
}

/* The zone size in LBAs, from the LBA format extension in use */
static uint64_t
zoned_zsze(struct xnvme_dev *dev)
{
	const struct xnvme_spec_znd_idfy_lbafe *lbafe = xnvme_znd_dev_get_lbafe(dev);

	return lbafe ? lbafe->zsze : 0;
}

/* Checks that --slba is the start LBA of a zone of @p dev; the error line when not */
static int
zoned_check_zslba(struct xnvme_dev *dev, uint64_t slba)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	uint64_t zsze = zoned_zsze(dev);

	if (cli_blk_range_check(geo, slba, 1)) {
		return -EINVAL;
	}
	if (!zsze || slba % zsze) {
		cli_error(
		    "--slba %llu is not the start of a zone (zones are %llu LBAs: %llu or %llu)",
		    (unsigned long long)slba, (unsigned long long)zsze,
		    (unsigned long long)(zsze ? slba / zsze * zsze : 0),
		    (unsigned long long)(zsze ? (slba / zsze + 1) * zsze : 0));
		return -EINVAL;
	}
	return 0;
}

static int
cmd_enum(struct cli_args *args)
{
	return cli_enum(args, XNVME_SPEC_CSI_ZONED);
}

static int
cmd_info(struct cli_args *args)
{
	struct xnvme_dev *dev = zoned_open(args);
	const struct xnvme_spec_znd_idfy_ns *ns;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	ns = xnvme_znd_dev_get_ns(dev);
	xnvme_dev_pr(dev, XNVME_PR_DEF);
	printf("zoned_geo:\n  zsze: %llu\n  zdes: %u\n  mor: %u\n  mar: %u\n  zasl: %u\n"
	       "  append_nbytes: %llu\n",
	       (unsigned long long)zoned_zsze(dev), xnvme_znd_dev_get_lbafe(dev)->zdes, ns->mor,
	       ns->mar, xnvme_znd_dev_get_ctrlr(dev)->zasl,
	       (unsigned long long)zoned_append_nbytes(dev));
	xnvme_dev_close(dev);
	return CLI_EXIT_OK;
}

/* ZNS identify controller or namespace (CSI 2) */
static int
zoned_idfy(struct cli_args *args, int ns)
{
	struct xnvme_dev *dev = zoned_open(args);
	int rc;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	rc = cli_idfy(args, dev, ns ? XNVME_SPEC_IDFY_NS_IOCS : XNVME_SPEC_IDFY_CTRLR_IOCS,
		      XNVME_SPEC_CSI_ZONED);
	xnvme_dev_close(dev);
	return rc;
}

static int
cmd_idfy_ctrl(struct cli_args *args)
{
	return zoned_idfy(args, 0);
}

static int
cmd_idfy_ns(struct cli_args *args)
{
	return zoned_idfy(args, 1);
}

static int
cmd_report(struct cli_args *args)
{
	struct xnvme_znd_report *report;
	struct xnvme_dev *dev = zoned_open(args);
	uint64_t slba = cli_num(args, CLI_OPT_SLBA, 0), zsze, left, limit;
	int rc = CLI_EXIT_OK;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	if (cli_blk_range_check(xnvme_dev_get_geo(dev), slba, 1)) {
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	if (cli_given(args, CLI_OPT_EXTENDED) && !xnvme_znd_dev_get_lbafe(dev)->zdes) {
		cli_error("the namespace has no zone descriptor extensions: --extended does not "
			  "apply");
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	/* A --limit past the last zone reports up to the last zone */
	zsze = zoned_zsze(dev);
	left = zsze ? xnvme_dev_get_geo(dev)->nzone - slba / zsze : 0;
	limit = cli_num(args, CLI_OPT_LIMIT, 0);
	report = xnvme_znd_report_from_dev(dev, slba, (size_t)(limit > left ? left : limit),
					   cli_given(args, CLI_OPT_EXTENDED));
	if (!report) {
		cli_error("report zones failed: %s", strerror(errno));
		rc = CLI_EXIT_FAIL;
	} else {
		/* --data-output: the zone descriptors (and extensions) as the device sent them */
		if (cli_given(args, CLI_OPT_DATA_OUTPUT) &&
		    cli_file_write(args->str[CLI_OPT_DATA_OUTPUT], report->storage,
				   (size_t)report->entries_nbytes)) {
			rc = CLI_EXIT_FAIL;
		} else {
			xnvme_znd_report_fpr(stdout, report, XNVME_PR_DEF);
		}
		xnvme_buf_virt_free(report);
	}
	xnvme_dev_close(dev);
	return rc;
}

static int
cmd_changes(struct cli_args *args)
{
	struct xnvme_spec_znd_log_changes *log;
	struct xnvme_dev *dev = zoned_open(args);
	struct xnvme_cmd_ctx ctx;
	int err, rc;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	log = cli_buf_alloc(dev, sizeof(*log));
	if (!log) {
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	/* Through the log helper rather than the report one: the device's status is kept */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ZND_CHANGES, 0, 0, cli_nsid(args, dev), 0, log,
			    sizeof(*log));
	rc = cli_cmd_result(&ctx, err, "get log page (changed zone list)");
	if (rc == CLI_EXIT_OK && cli_given(args, CLI_OPT_DATA_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_DATA_OUTPUT], log, sizeof(*log))) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		xnvme_spec_znd_log_changes_fpr(stdout, log, XNVME_PR_DEF);
	}
	xnvme_buf_free(dev, log);
	xnvme_dev_close(dev);
	return rc;
}

/* The error information log (xNVMe's `zoned errors`): 64 entries, or to --data-output */
static int
cmd_errors(struct cli_args *args)
{
	size_t nentries = 64, nbytes = nentries * sizeof(struct xnvme_spec_log_erri_entry);
	struct xnvme_dev *dev = zoned_open(args);
	struct xnvme_cmd_ctx ctx;
	void *log;
	int rc = CLI_EXIT_FAIL;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	log = cli_buf_alloc(dev, nbytes);
	if (log) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		rc = cli_cmd_result(&ctx,
				    xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ERRI, 0, 0,
						  cli_nsid(args, dev), 0, log, (uint32_t)nbytes),
				    "get log page (error information)");
	}
	if (rc == CLI_EXIT_OK && cli_given(args, CLI_OPT_DATA_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_DATA_OUTPUT], log, nbytes)) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		xnvme_spec_log_erri_fpr(stdout, log, (int)nentries, XNVME_PR_DEF);
	}
	xnvme_buf_free(dev, log);
	xnvme_dev_close(dev);
	return rc;
}

static int
zoned_mgmt(struct cli_args *args, const char *name, enum xnvme_spec_znd_cmd_mgmt_send_action act)
{
	int all = cli_given(args, CLI_OPT_ALL);
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint64_t slba = cli_num(args, CLI_OPT_SLBA, 0);
	int err, rc;

	if (all == cli_given(args, CLI_OPT_SLBA)) {
		return cli_usage("give the zone with one of --slba (its start LBA) and --all");
	}
	dev = zoned_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	if (!all && zoned_check_zslba(dev, slba)) {
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_znd_mgmt_send(&ctx, cli_nsid(args, dev), all ? 0 : slba, all, act, 0, NULL);
	rc = cli_cmd_result(&ctx, err, name);
	if (rc == CLI_EXIT_OK) {
		printf("zoned_%s:\n  nsid: %u\n", name, cli_nsid(args, dev));
		if (!strcmp(name, "mgmt")) {
			printf("  zsa: 0x%x\n", act);
		}
		if (all) {
			printf("  all: true\n");
		} else {
			printf("  zslba: %llu\n", (unsigned long long)slba);
		}
	}
	xnvme_dev_close(dev);
	return rc;
}

static int
cmd_mgmt_open(struct cli_args *args)
{
	return zoned_mgmt(args, "mgmt-open", XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN);
}

static int
cmd_mgmt_close(struct cli_args *args)
{
	return zoned_mgmt(args, "mgmt-close", XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE);
}

static int
cmd_mgmt_finish(struct cli_args *args)
{
	return zoned_mgmt(args, "mgmt-finish", XNVME_SPEC_ZND_CMD_MGMT_SEND_FINISH);
}

static int
cmd_mgmt_reset(struct cli_args *args)
{
	return zoned_mgmt(args, "mgmt-reset", XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET);
}

static int
cmd_mgmt_offline(struct cli_args *args)
{
	return zoned_mgmt(args, "mgmt-offline", XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE);
}

static int
cmd_mgmt(struct cli_args *args)
{
	if (!cli_given(args, CLI_OPT_ZSA)) {
		return cli_usage(
		    "--zsa is required (1 close, 2 finish, 3 open, 4 reset, 5 offline)");
	}
	return zoned_mgmt(args, "mgmt",
			  (enum xnvme_spec_znd_cmd_mgmt_send_action)args->num[CLI_OPT_ZSA]);
}

/* read, write and append: the block commands, on a zoned namespace */
static int
zoned_xfer(struct cli_args *args, const char *name, uint8_t opc)
{
	struct xnvme_dev *dev = zoned_open(args);
	int err = 0;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	if (opc == XNVME_SPEC_ZND_OPC_APPEND) {
		uint64_t nbytes =
		    (cli_num(args, CLI_OPT_NLB, 0) + 1) * xnvme_dev_get_geo(dev)->lba_nbytes;

		err = zoned_check_zslba(dev, cli_num(args, CLI_OPT_SLBA, 0));
		/* ZASL can be below MDTS; the MDTS check itself is the block layer's */
		if (!err && nbytes > zoned_append_nbytes(dev)) {
			cli_error("%llu blocks are %llu bytes, more than the device appends in one "
				  "command (ZASL %u: %llu bytes)",
				  (unsigned long long)cli_num(args, CLI_OPT_NLB, 0) + 1,
				  (unsigned long long)nbytes, xnvme_znd_dev_get_ctrlr(dev)->zasl,
				  (unsigned long long)zoned_append_nbytes(dev));
			err = -EINVAL;
		}
	}
	xnvme_dev_close(dev);
	return err ? CLI_EXIT_FAIL : cli_blk_xfer(args, "zoned", name, opc);
}

static int
cmd_append(struct cli_args *args)
{
	return zoned_xfer(args, "append", XNVME_SPEC_ZND_OPC_APPEND);
}

static int
cmd_read(struct cli_args *args)
{
	return zoned_xfer(args, "read", XNVME_SPEC_NVM_OPC_READ);
}

static int
cmd_write(struct cli_args *args)
{
	return zoned_xfer(args, "write", XNVME_SPEC_NVM_OPC_WRITE);
}

#define DEV   (CLI_OPT(CLI_OPT_OUTPUT) | CLI_OPTS_DEV)
#define DOUT  CLI_OPT(CLI_OPT_DATA_OUTPUT)
#define ZONE  (DEV | CLI_OPT(CLI_OPT_SLBA) | CLI_OPT(CLI_OPT_ALL))
#define RANGE (DEV | CLI_OPT(CLI_OPT_SLBA) | CLI_OPT(CLI_OPT_NLB))
#define SEND  (RANGE | CLI_OPT(CLI_OPT_DATA_INPUT) | CLI_OPT(CLI_OPT_META_INPUT))

static const struct cli_cmd g_cmds[] = {
    {"enum", "list the zoned namespaces the backends find (--uri: at a fabrics address)", cmd_enum,
     CLI_OPT(CLI_OPT_OUTPUT) | (CLI_OPTS_DEV & ~CLI_OPT(CLI_OPT_NSID)) | CLI_OPT(CLI_OPT_URI) |
	 CLI_OPT(CLI_OPT_FLAGS),
     0},
    {"info", "describe the device and its zones", cmd_info, DEV, 1, CLI_CMD_NSID_OPENS},
    {"idfy-ctrl", "identify controller, zoned command set", cmd_idfy_ctrl, DEV | DOUT, 1},
    {"idfy-ctrlr", "same as idfy-ctrl (xNVMe's name)", cmd_idfy_ctrl, DEV | DOUT, 1},
    {"idfy-ns", "identify namespace, zoned command set", cmd_idfy_ns, DEV | DOUT, 1},
    {"report", "report zones from --slba (--limit zones, 0 all; --extended)", cmd_report,
     DEV | DOUT | CLI_OPT(CLI_OPT_SLBA) | CLI_OPT(CLI_OPT_LIMIT) | CLI_OPT(CLI_OPT_EXTENDED), 1},
    {"changes", "changed zone list log", cmd_changes, DEV | DOUT, 1},
    {"errors", "error information log (64 entries)", cmd_errors, DEV | DOUT, 1},
    {"mgmt", "zone management send with action --zsa on the zone at --slba, or --all", cmd_mgmt,
     ZONE | CLI_OPT(CLI_OPT_ZSA), 1},
    {"mgmt-open", "open the zone at --slba, or --all closed zones", cmd_mgmt_open, ZONE, 1},
    {"mgmt-close", "close the zone at --slba, or --all open zones", cmd_mgmt_close, ZONE, 1},
    {"mgmt-finish", "finish the zone at --slba, or --all open and closed zones", cmd_mgmt_finish,
     ZONE, 1},
    {"mgmt-reset", "reset the zone at --slba, or --all open, closed and full zones", cmd_mgmt_reset,
     ZONE, 1},
    {"mgmt-offline", "take the zone at --slba, or --all read-only zones, offline", cmd_mgmt_offline,
     ZONE, 1},
    {"append", "append to the zone starting at --slba; prints the LBA written (alba)", cmd_append,
     SEND, 1},
    {"read", "read --nlb+1 blocks from --slba", cmd_read,
     RANGE | CLI_OPT(CLI_OPT_DATA_OUTPUT) | CLI_OPT(CLI_OPT_META_OUTPUT), 1},
    {"write", "write at --slba, which must be the zone's write pointer", cmd_write, SEND, 1},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "zoned",
	    .descr = "The zoned namespace command set: zones, their reports, management, append.",
	    .cmds = g_cmds,
	    .ncmds = sizeof(g_cmds) / sizeof(g_cmds[0]),
	};

	return cli_main(&tool, argc, argv);
}
