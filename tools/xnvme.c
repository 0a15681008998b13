/* SPDX-License-Identifier: BSD-3-Clause */
/* The `xnvme` tool: enumerate, describe and identify devices; describe the library. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

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
	enum_trimmed(list, "mn", ctrlr->mn, sizeof(ctrlr->mn));
	enum_trimmed(list, "sn", ctrlr->sn, sizeof(ctrlr->sn));
	enum_trimmed(list, "fr", ctrlr->fr, sizeof(ctrlr->fr));
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

/* Identify controller or, with @p ns, the device's namespace; printed with the spec printers */
static int
cmd_idfy(struct cli_args *args, int ns)
{
	const char *what = ns ? "identify namespace" : "identify controller";
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
	if (xnvme_cmd_ctx_cpl_status(&ctx)) {
		/* The device answered: its completion says why, the error line says what */
		xnvme_cmd_ctx_fpr(stderr, &ctx, XNVME_PR_DEF);
		cli_error("%s failed: %s", what,
			  xnvme_spec_status_str(ctx.cpl.status.sct, ctx.cpl.status.sc));
		rc = CLI_EXIT_FAIL;
	} else if (err) {
		cli_error("%s failed: %s", what, strerror(-err));
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

#define OUT CLI_OPT(CLI_OPT_OUTPUT)

static const struct cli_cmd g_cmds[] = {
    {"enum", "list the devices the backends find", cmd_enum,
     OUT | (CLI_OPTS_DEV & ~CLI_OPT(CLI_OPT_NSID)), 0},
    {"info", "describe a device: backend, interfaces, options in effect, geometry", cmd_info,
     OUT | CLI_OPTS_DEV, 1},
    {"idfy-ctrl", "identify controller", cmd_idfy_ctrl, OUT | CLI_OPTS_DEV, 1},
    {"idfy-ns", "identify namespace: the device's own, or --nsid", cmd_idfy_ns, OUT | CLI_OPTS_DEV,
     1},
    {"library-info", "version, build facts, backends and their interfaces", cmd_library_info, OUT,
     0},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "xnvme",
	    .descr = "Devices through the xNVMe C API: enumerate, describe, identify.",
	    .cmds = g_cmds,
	    .ncmds = sizeof(g_cmds) / sizeof(g_cmds[0]),
	};

	return cli_main(&tool, argc, argv);
}
