/* SPDX-License-Identifier: BSD-3-Clause */
/* The `enum` (and `list`) command of every tool: the devices the backends find */
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

/* What the enumeration callback is given: where the list goes and which command set it takes */
struct enum_list {
	FILE *list;
	int csi; ///< Only namespaces of this command set; -1 all
};

static int
enum_cb(struct xnvme_dev *dev, void *cb_args)
{
	const struct xnvme_ident *ident = xnvme_dev_get_ident(dev);
	const struct xnvme_spec_idfy_ctrlr *ctrlr = xnvme_dev_get_ctrlr(dev);
	struct enum_list *el = cb_args;
	FILE *list = el->list;
	unsigned ctrl, ns;

	if (el->csi >= 0 && ident->csi != el->csi) {
		return XNVME_ENUMERATE_DEV_CLOSE;
	}
	fprintf(list, "  - uri: ");
	cli_yaml_str(list, ident->uri);
	fprintf(list, "\n    dtype: 0x%x\n    nsid: 0x%x\n    csi: 0x%x\n    be: ", ident->dtype,
		ident->nsid, ident->csi);
	cli_yaml_str(list, xnvme_dev_get_be_name(dev));
	fprintf(list, "\n    subnqn: ");
	cli_yaml_str(list, ident->subnqn);
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

int
cli_enum(struct cli_args *args, int csi)
{
	struct enum_list el = {.csi = csi};
	struct cli_mem mem;
	size_t nbytes = 0;
	char *buf = NULL;
	FILE *list;
	int err;

	/* The list is collected first: a failed enumeration prints nothing on stdout */
	list = cli_mem_open(&mem);
	el.list = list;
	if (!list) {
		cli_error("cannot collect the list: %s", strerror(errno));
		return CLI_EXIT_FAIL;
	}
	err = xnvme_enumerate(args->str[CLI_OPT_URI], &args->opts, enum_cb, &el);
	if (cli_mem_close(&mem, &buf, &nbytes) && !err) {
		err = -ENOMEM;
	}
	if (err) {
		cli_error("enumeration failed: %s", strerror(-err));
		free(buf);
		return CLI_EXIT_FAIL;
	}
	printf("xnvme_cli_enumeration:%s\n%s", nbytes ? "" : " []", buf);
	if (!nbytes) {
		/* What a newcomer reads: why nothing, and what to open instead (YAML comments) */
		if (args->str[CLI_OPT_URI]) {
			printf("# no devices found at '%s'\n", args->str[CLI_OPT_URI]);
		} else {
			printf(
			    "# no devices found: no NVMe namespaces (Linux: /sys/class/nvme; "
			    "NVMe/TCP: --uri)\n"
			    "# without hardware, open one by name: xnvme info ramdisk:64MiB, or a "
			    "file\n");
		}
	}
	free(buf);
	return CLI_EXIT_OK;
}
