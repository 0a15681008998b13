/* SPDX-License-Identifier: BSD-3-Clause */
/* The `xnvme` tool: enumerate, describe and identify devices; describe the library. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xnvme_tool.h"

static int
cmd_enum(struct cli_args *args)
{
	return cli_enum(args, -1);
}

/* Identify controller or, with @p ns, the device's namespace (or --nsid) */
static int
cmd_idfy(struct cli_args *args, int ns)
{
	struct xnvme_dev *dev = cli_dev_open(args);
	int rc;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	rc = cli_idfy(args, dev, ns ? XNVME_SPEC_IDFY_NS : XNVME_SPEC_IDFY_CTRLR,
		      XNVME_SPEC_CSI_NVM);
	xnvme_dev_close(dev);
	return rc;
}

static int
cmd_idfy_ctrl(struct cli_args *args)
{
	return cmd_idfy(args, 0);
}

static int
cmd_idfy_ns(struct cli_args *args)
{
	return cmd_idfy(args, 1);
}

static int
cmd_library_info(struct cli_args *args)
{
	(void)args;
	xnvme_ver_fpr(stdout, XNVME_PR_DEF);
	xnvme_libconf_fpr(stdout, XNVME_PR_DEF);
	return CLI_EXIT_OK;
}

#define OUT      CLI_OPT(CLI_OPT_OUTPUT)
#define DEV      (OUT | CLI_OPTS_DEV)
#define DOUT     CLI_OPT(CLI_OPT_DATA_OUTPUT)
#define O(id)    CLI_OPT(CLI_OPT_##id)
#define LOGOPTS  (DEV | DOUT | O(LSP) | O(LPO) | O(LPO_NBYTES) | O(RAE))
#define ENUMOPTS (OUT | (CLI_OPTS_DEV & ~O(NSID)) | O(URI) | O(FLAGS))
#define FDPLOG   (DEV | DOUT | O(LSI))
#define RAWOPTS                                                                                    \
	(DEV | O(CMD_INPUT) | O(CMD_OUTPUT) | O(OPCODE) | O(CDW0) | O(CDW1) | O(CDW2) | O(CDW3) |  \
	 O(CDW4) | O(CDW5) | O(CDW6) | O(CDW7) | O(CDW8) | O(CDW9) | O(CDW10) | O(CDW11) |         \
	 O(CDW12) | O(CDW13) | O(CDW14) | O(CDW15) | O(DATA_INPUT) | DOUT | O(DATA_NBYTES) |       \
	 O(META_INPUT) | O(META_OUTPUT) | O(META_NBYTES) | O(VERBOSE))
#define FSETOPTS (DEV | O(FID) | O(FEAT) | O(SAVE) | O(CDW12))

static const struct cli_cmd g_cmds[] = {
    {"enum", "list the devices the backends find (--uri: at a fabrics address)", cmd_enum, ENUMOPTS,
     0},
    {"list", "same as enum (xNVMe's name)", cmd_enum, ENUMOPTS, 0},
    {"info", "describe a device: backend, interfaces, options in effect, geometry", cli_info, DEV,
     1, CLI_CMD_NSID_OPENS},
    {"idfy-ctrl", "identify controller", cmd_idfy_ctrl, DEV | DOUT, 1},
    {"idfy-ctrlr", "same as idfy-ctrl (xNVMe's name)", cmd_idfy_ctrl, DEV | DOUT, 1},
    {"idfy-ns", "identify namespace: the device's own, or --nsid", cmd_idfy_ns, DEV | DOUT, 1},
    {"idfy", "identify with any CNS (--cns), decoded where known", xnvme_tool_idfy,
     DEV | DOUT | O(CNS) | O(CNTID) | O(CSI) | O(SETID) | O(UUID), 1},
    {"idfy-cs", "command-set specific identify controller and namespace (--csi: the device's)",
     xnvme_tool_idfy_cs, DEV | DOUT | O(CSI), 1},
    {"log", "get log page --lid, --data-nbytes long (4096) at --lpo; decoded where known",
     xnvme_tool_log, LOGOPTS | O(LID) | O(LSI) | O(DATA_NBYTES), 1},
    {"log-erri", "error information log (--limit entries, 64)", xnvme_tool_log_erri,
     DEV | DOUT | O(LIMIT), 1},
    {"log-health", "SMART / health information log", xnvme_tool_log_health, DEV | DOUT, 1},
    {"log-fwsl", "firmware slot information log", xnvme_tool_log_fwsl, DEV | DOUT, 1},
    {"log-cmds-effects", "commands supported and effects log", xnvme_tool_log_cmds_effects,
     DEV | DOUT, 1},
    {"log-chns", "changed namespace list log", xnvme_tool_log_chns, DEV | DOUT, 1},
    {"log-fdp-config", "FDP configurations log of endurance group --lsi (--data-nbytes)",
     xnvme_tool_log_fdp_config, FDPLOG | O(DATA_NBYTES), 1},
    {"log-ruhu", "FDP reclaim unit handle usage log (--lsi, --limit handles)", xnvme_tool_log_ruhu,
     FDPLOG | O(LIMIT), 1},
    {"log-fdp-stats", "FDP statistics log (--lsi)", xnvme_tool_log_fdp_stats, FDPLOG, 1},
    {"log-fdp-events", "FDP events log (--lsi, --limit events, --lsp 0 host / 1 controller)",
     xnvme_tool_log_fdp_events, FDPLOG | O(LIMIT) | O(LSP), 1},
    {"feature-get", "get features --fid (--sel: 0 current, 1 default, 2 saved, 3 capabilities)",
     xnvme_tool_feature_get, DEV | DOUT | O(FID) | O(SEL) | O(CDW11) | O(DATA_NBYTES), 1},
    {"feature-set", "set features --fid to --feat (--save to keep it)", xnvme_tool_feature_set,
     FSETOPTS | O(DATA_INPUT) | O(DATA_NBYTES), 1},
    {"set-fdp-events", "enable (--cdw12 1) or disable the FDP events of handle --feat",
     xnvme_tool_set_fdp_events, FSETOPTS, 1},
    {"format", "format NVM: erases the namespace; what is not given stays as it is",
     xnvme_tool_format, DEV | O(LBAF) | O(LBAFL) | O(LBAFU) | O(SES) | O(PI) | O(PIL) | O(MSET), 1},
    {"sanitize", "start a sanitize operation (--sanact): erases the whole NVM subsystem",
     xnvme_tool_sanitize, DEV | O(SANACT) | O(AUSE) | O(OVRPAT) | O(OWPASS) | O(OIPBP) | O(NODAS),
     1},
    {"dev-selftest", "start a device self-test (--stc)", xnvme_tool_dev_selftest, DEV | O(STC), 1},
    {"fdp-ruhs", "FDP reclaim unit handle status (--limit handles)", xnvme_tool_fdp_ruhs,
     DEV | O(LIMIT), 1},
    {"fdp-ruhu", "FDP reclaim unit handle update of placement identifiers --pid",
     xnvme_tool_fdp_ruhu, DEV | O(PID), 1},
    {"dsm", "dataset management of --llb (one-based) blocks from --slba (--ad, --idw, --idr)",
     xnvme_tool_dsm, DEV | O(SLBA) | O(LLB) | O(AD) | O(IDW) | O(IDR), 1},
    {"padc", "pass a raw admin command: --cmd-input FILE or --opcode and fields", xnvme_tool_padc,
     RAWOPTS, 1},
    {"pioc", "pass a raw I/O command: --cmd-input FILE or --opcode and fields", xnvme_tool_pioc,
     RAWOPTS, 1},
    {"subsystem-reset", "NVM subsystem reset (Linux NVMe controllers)", xnvme_tool_subsystem_reset,
     DEV, 1},
    {"ctrlr-reset", "controller reset (Linux NVMe controllers)", xnvme_tool_ctrlr_reset, DEV, 1},
    {"ns-rescan", "rescan the controller's namespaces (Linux NVMe controllers)",
     xnvme_tool_ns_rescan, DEV, 1},
    {"show-regs", "the controller's registers (PCIe controllers on Linux)", xnvme_tool_show_regs,
     DEV, 1},
    {"library-info", "version, build facts, backends and their interfaces", cmd_library_info, OUT,
     0},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "xnvme",
	    .descr =
		"Devices through the xNVMe C API: enumerate, describe, identify, logs, features,\n"
		"format, sanitize, self-test, raw admin and I/O commands.",
	    .cmds = g_cmds,
	    .ncmds = sizeof(g_cmds) / sizeof(g_cmds[0]),
	};

	return cli_main(&tool, argc, argv);
}
