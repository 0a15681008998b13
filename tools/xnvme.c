/* SPDX-License-Identifier: BSD-3-Clause */
/* The `xnvme` tool: enumerate, describe and identify devices; describe the library. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static int
enum_cb(struct xnvme_dev *dev, void *cb_args)
{
	const struct xnvme_ident *ident = xnvme_dev_get_ident(dev);
	int *count = cb_args;

	printf("  - {uri: '%s', dtype: 0x%x, nsid: 0x%x, csi: 0x%x, be: '%s'}\n", ident->uri,
	       ident->dtype, ident->nsid, ident->csi, xnvme_dev_get_be_name(dev));
	(*count)++;
	return XNVME_ENUMERATE_DEV_CLOSE;
}

static int
cmd_enum(struct cli_args *args)
{
	int count = 0, err;

	/* The list is printed as it is found: an empty one is closed after the walk */
	printf("xnvme_enumeration:\n");
	err = xnvme_enumerate(NULL, &args->opts, enum_cb, &count);
	if (!count) {
		printf("  []\n");
	}
	if (err) {
		cli_error("enumeration failed: %s", strerror(-err));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int
cmd_info(struct cli_args *args)
{
	struct xnvme_dev *dev = cli_dev_open(args);

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	xnvme_dev_pr(dev, XNVME_PR_DEF);
	xnvme_dev_close(dev);
	return CLI_EXIT_OK;
}

/* Identify controller (nsid 0) or namespace, printed with the spec printer */
static int
cmd_idfy(struct cli_args *args, int ns)
{
	struct xnvme_dev *dev = cli_dev_open(args);
	struct xnvme_spec_idfy *idfy;
	struct xnvme_cmd_ctx ctx;
	int err, rc = CLI_EXIT_OK;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	idfy = xnvme_buf_alloc(dev, sizeof(*idfy));
	if (!idfy) {
		cli_error("cannot allocate a buffer: %s", strerror(errno));
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	memset(idfy, 0, sizeof(*idfy));
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = ns ? xnvme_adm_idfy_ns(&ctx, xnvme_dev_get_nsid(dev), idfy)
		 : xnvme_adm_idfy_ctrlr(&ctx, idfy);
	if (err || xnvme_cmd_ctx_cpl_status(&ctx)) {
		xnvme_cmd_ctx_fpr(stderr, &ctx, XNVME_PR_DEF);
		cli_error("identify %s failed: %s (status %s)", ns ? "namespace" : "controller",
			  strerror(err ? -err : EIO),
			  xnvme_spec_status_str(ctx.cpl.status.sct, ctx.cpl.status.sc));
		rc = CLI_EXIT_FAIL;
	} else if (ns) {
		xnvme_spec_idfy_ns_fpr(stdout, &idfy->ns, XNVME_PR_DEF);
	} else {
		xnvme_spec_idfy_ctrlr_fpr(stdout, &idfy->ctrlr, XNVME_PR_DEF);
	}
	xnvme_buf_free(dev, idfy);
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

static const struct cli_cmd g_cmds[] = {
    {"enum", "list the devices the backends find", 0, cmd_enum},
    {"info", "describe a device: backend, interfaces, options, geometry", 1, cmd_info},
    {"idfy-ctrl", "identify controller", 1, cmd_idfy_ctrl},
    {"idfy-ns", "identify namespace (the device's, or --nsid)", 1, cmd_idfy_ns},
    {"library-info", "version, build facts, backends and their interfaces", 0, cmd_library_info},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "xnvme",
	    .descr = "Devices through the xNVMe C API: enumerate, describe, identify.",
	    .cmds = g_cmds,
	    .ncmds = (int)(sizeof(g_cmds) / sizeof(g_cmds[0])),
	};

	return cli_main(&tool, argc, argv);
}
