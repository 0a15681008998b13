/* SPDX-License-Identifier: BSD-3-Clause */
/* The `xnvme` tool: enumerate, describe and identify devices; describe the library. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xnvme_tool.h"

static void
enum_trimmed(FILE *list, const char *key, const char *field, size_t len)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%.*s", (int)len, field);

	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\0')) {
		buf[--n] = '\0';
	}
	fprintf(list, "\n    %s: ", key);
	cli_yaml_str(list, buf);
}

static int
enum_cb(struct xnvme_dev *dev, void *cb_args)
{
	const struct xnvme_ident *ident = xnvme_dev_get_ident(dev);
	const struct xnvme_spec_idfy_ctrlr *ctrlr = xnvme_dev_get_ctrlr(dev);
	FILE *list = cb_args;
	unsigned ctrl, ns;

	fprintf(list, "  - uri: ");
	cli_yaml_str(list, ident->uri);
	fprintf(list, "\n    dtype: 0x%x\n    nsid: 0x%x\n    csi: 0x%x\n    be: ", ident->dtype,
		ident->nsid, ident->csi);
	cli_yaml_str(list, xnvme_dev_get_be_name(dev));
	/* The Linux NVMe driver's nodes of a namespace: block /dev/nvmeXnY, generic /dev/ngXnY */
	if (sscanf(ident->uri, "/dev/nvme%un%u", &ctrl, &ns) == 2) {
		fprintf(list, "\n    blkdev: '/dev/nvme%un%u'\n    chardev: '/dev/ng%un%u'", ctrl,
			ns, ctrl, ns);
		fprintf(list, "\n    ctrlr: '/dev/nvme%u'", ctrl);
	}
	/* Identify strings are space padded and not terminated */
	enum_trimmed(list, "mn", (const char *)ctrlr->mn, sizeof(ctrlr->mn));
	enum_trimmed(list, "sn", (const char *)ctrlr->sn, sizeof(ctrlr->sn));
	enum_trimmed(list, "fr", (const char *)ctrlr->fr, sizeof(ctrlr->fr));
	fputc('\n', list);
	return XNVME_ENUMERATE_DEV_CLOSE;
}

static int
cmd_enum(struct cli_args *args)
{
	size_t nbytes = 0;
	char *buf = NULL;
	FILE *list;
	int err;

	/* The list is collected first: a failed enumeration prints nothing on stdout */
	list = open_memstream(&buf, &nbytes);
	if (!list) {
		cli_error("cannot collect the list: %s", strerror(errno));
		return CLI_EXIT_FAIL;
	}
	err = xnvme_enumerate(NULL, &args->opts, enum_cb, list);
	if (fclose(list) && !err) {
		err = -ENOMEM;
	}
	if (err) {
		cli_error("enumeration failed: %s", strerror(-err));
		free(buf);
		return CLI_EXIT_FAIL;
	}
	printf("xnvme_enumeration:%s\n%s", nbytes ? "" : " []", buf);
	free(buf);
	return CLI_EXIT_OK;
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

#define OUT     CLI_OPT(CLI_OPT_OUTPUT)
#define DEV     (OUT | CLI_OPTS_DEV)
#define DOUT    CLI_OPT(CLI_OPT_DATA_OUTPUT)
#define LOGOPTS (DEV | DOUT | CLI_OPT(CLI_OPT_LSP) | CLI_OPT(CLI_OPT_LPO))
#define RAWOPTS                                                                                    \
	(DEV | CLI_OPT(CLI_OPT_CMD_INPUT) | CLI_OPT(CLI_OPT_CMD_OUTPUT) |                          \
	 CLI_OPT(CLI_OPT_OPCODE) | CLI_OPT(CLI_OPT_CDW10) | CLI_OPT(CLI_OPT_CDW11) |               \
	 CLI_OPT(CLI_OPT_CDW12) | CLI_OPT(CLI_OPT_CDW13) | CLI_OPT(CLI_OPT_CDW14) |                \
	 CLI_OPT(CLI_OPT_CDW15) | CLI_OPT(CLI_OPT_DATA_INPUT) | DOUT |                             \
	 CLI_OPT(CLI_OPT_DATA_NBYTES) | CLI_OPT(CLI_OPT_META_INPUT) |                              \
	 CLI_OPT(CLI_OPT_META_OUTPUT) | CLI_OPT(CLI_OPT_META_NBYTES))

static const struct cli_cmd g_cmds[] = {
    {"enum", "list the devices the backends find", cmd_enum,
     OUT | (CLI_OPTS_DEV & ~CLI_OPT(CLI_OPT_NSID)), 0},
    {"info", "describe a device: backend, interfaces, options in effect, geometry", cli_info,
     OUT | CLI_OPTS_DEV, 1},
    {"idfy-ctrl", "identify controller", cmd_idfy_ctrl, OUT | CLI_OPTS_DEV, 1},
    {"idfy-ns", "identify namespace: the device's own, or --nsid", cmd_idfy_ns, OUT | CLI_OPTS_DEV,
     1},
    {"idfy", "identify with any CNS (--cns), decoded where known", xnvme_tool_idfy,
     DEV | DOUT | CLI_OPT(CLI_OPT_CNS) | CLI_OPT(CLI_OPT_CNTID) | CLI_OPT(CLI_OPT_CSI), 1},
    {"idfy-cs", "command-set specific identify controller and namespace (--csi: the device's)",
     xnvme_tool_idfy_cs, DEV | DOUT | CLI_OPT(CLI_OPT_CSI), 1},
    {"log", "get log page --lid, --data-nbytes long (4096) at --lpo; decoded where known",
     xnvme_tool_log, LOGOPTS | CLI_OPT(CLI_OPT_LID) | CLI_OPT(CLI_OPT_DATA_NBYTES), 1},
    {"log-erri", "error information log (--limit entries, 64)", xnvme_tool_log_erri,
     DEV | DOUT | CLI_OPT(CLI_OPT_LIMIT), 1},
    {"log-health", "SMART / health information log", xnvme_tool_log_health, DEV | DOUT, 1},
    {"log-fwsl", "firmware slot information log", xnvme_tool_log_fwsl, DEV | DOUT, 1},
    {"log-cmds-effects", "commands supported and effects log", xnvme_tool_log_cmds_effects,
     DEV | DOUT, 1},
    {"log-chns", "changed namespace list log", xnvme_tool_log_chns, DEV | DOUT, 1},
    {"feature-get", "get features --fid (--sel: 0 current, 1 default, 2 saved, 3 capabilities)",
     xnvme_tool_feature_get,
     DEV | DOUT | CLI_OPT(CLI_OPT_FID) | CLI_OPT(CLI_OPT_SEL) | CLI_OPT(CLI_OPT_DATA_NBYTES), 1},
    {"feature-set", "set features --fid to --feat (--save to keep it)", xnvme_tool_feature_set,
     DEV | CLI_OPT(CLI_OPT_FID) | CLI_OPT(CLI_OPT_FEAT) | CLI_OPT(CLI_OPT_SAVE) |
	 CLI_OPT(CLI_OPT_DATA_INPUT) | CLI_OPT(CLI_OPT_DATA_NBYTES),
     1},
    {"format", "format NVM: erases the namespace; what is not given stays as it is",
     xnvme_tool_format,
     DEV | CLI_OPT(CLI_OPT_LBAF) | CLI_OPT(CLI_OPT_SES) | CLI_OPT(CLI_OPT_PI) |
	 CLI_OPT(CLI_OPT_PIL) | CLI_OPT(CLI_OPT_MSET),
     1},
    {"sanitize", "start a sanitize operation (--sanact): erases the whole NVM subsystem",
     xnvme_tool_sanitize,
     DEV | CLI_OPT(CLI_OPT_SANACT) | CLI_OPT(CLI_OPT_AUSE) | CLI_OPT(CLI_OPT_OVRPAT), 1},
    {"dev-selftest", "start a device self-test (--stc)", xnvme_tool_dev_selftest,
     DEV | CLI_OPT(CLI_OPT_STC), 1},
    {"padc", "pass a raw admin command: --cmd-input FILE or --opcode and fields", xnvme_tool_padc,
     RAWOPTS, 1},
    {"pioc", "pass a raw I/O command: --cmd-input FILE or --opcode and fields", xnvme_tool_pioc,
     RAWOPTS, 1},
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
