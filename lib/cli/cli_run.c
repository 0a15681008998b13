/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Running a program described by struct xnvme_cli: pick the sub-command, parse its command line,
 * open the device when asked to, run it, close the device; and turning the parsed arguments into
 * device options (xnvme_cli_to_opts).
 *
 * The return value is an exit status for main(), the same as xNVMe's: 0, 1 when the sub-command
 * failed, -1 (exit status 255) when the command line was wrong or the device did not open.
 */
#include <errno.h>
#include <string.h>
#include "cli_internal.h"

static struct xnvme_cli_sub *
cli_sub_find(struct xnvme_cli *cli, const char *name)
{
	for (int i = 0; i < cli->nsubs; ++i) {
		if (cli->subs[i].name && !strcmp(cli->subs[i].name, name)) {
			return &cli->subs[i];
		}
	}
	return NULL;
}

/* Opens args.uri with the options of the command line, as XNVME_CLI_INIT_DEV_OPEN asks */
static int
cli_dev_open(struct xnvme_cli *cli)
{
	struct xnvme_opts opts = xnvme_opts_default();
	const char *why;
	int err;

	xnvme_cli_to_opts(cli, &opts);
	cli->args.dev = xnvme_dev_open(cli->args.uri, &opts);
	if (cli->args.dev) {
		return 0;
	}
	err = errno ? -errno : -EIO;
	why = xnvme_dev_open_err_msg();
	if (why && why[0]) {
		xnvme_cli_pinf("xnvme_dev_open('%s'): %s", cli->args.uri, why);
	}
	xnvme_cli_perr("xnvme_dev_open()", err);
	return err;
}

int
xnvme_cli_run(struct xnvme_cli *cli, int argc, char **argv, int opts)
{
	struct xnvme_cli_sub *sub;
	int err;

	if (!cli || argc < 0 || (argc && !argv) || (cli->nsubs > 0 && !cli->subs)) {
		xnvme_cli_perr("xnvme_cli_run()", EINVAL);
		return -1;
	}
	memset(&cli->args, 0, sizeof(cli->args));
	memset(cli->given, 0, sizeof(cli->given));
	cli->argc = argc;
	cli->argv = argv;
	cli->sub = NULL;
	if (!cli->ver_pr) {
		cli->ver_pr = cli_ver_pr;
	}

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage_pr(cli);
		return 0;
	}

	sub = cli_sub_find(cli, argv[1]);
	if (!sub) {
		xnvme_cli_pinf("%s: unknown command: '%s', see: %s --help", argv[0], argv[1],
			       argv[0]);
		xnvme_cli_perr("xnvme_cli_run()", EINVAL);
		return -1;
	}
	cli->sub = sub;

	err = cli_parse(cli, sub, argc - 2, argv + 2);
	if (err < 0) {
		xnvme_cli_perr("xnvme_cli_run()", -err);
		return -1;
	}
	if (err > 0) {
		cli_sub_usage_pr(cli, sub);
		return 0;
	}

	if ((opts & XNVME_CLI_INIT_DEV_OPEN) && cli->given[XNVME_CLI_OPT_URI] &&
	    cli_dev_open(cli)) {
		return -1;
	}

	err = sub->command ? sub->command(cli) : -ENOSYS;
	if (err) {
		xnvme_cli_perr(sub->name, err);
	}
	if (cli->args.verbose) {
		xnvme_cli_args_pr(&cli->args, XNVME_PR_DEF);
	}

	xnvme_dev_close(cli->args.dev);
	cli->args.dev = NULL;

	return err ? 1 : 0;
}

int
xnvme_cli_to_opts(const struct xnvme_cli *cli, struct xnvme_opts *opts)
{
	const struct xnvme_cli_args *args;

	if (!cli || !opts) {
		return -EINVAL;
	}
	args = &cli->args;

/* Copies the argument of option OPT to opts->dst when the option was given */
#define CLI_TO_OPTS(opt, dst, val)                                                                 \
	do {                                                                                       \
		if (cli->given[XNVME_CLI_OPT_##opt]) {                                             \
			opts->dst = val;                                                           \
		}                                                                                  \
	} while (0)

	CLI_TO_OPTS(BE, be, args->be);
	CLI_TO_OPTS(MEM, mem, args->mem);
	CLI_TO_OPTS(SYNC, sync, args->sync);
	CLI_TO_OPTS(ASYNC, async, args->async);
	CLI_TO_OPTS(ADMIN, admin, args->admin);
	CLI_TO_OPTS(DEV_NSID, nsid, args->dev_nsid);

	CLI_TO_OPTS(RDONLY, rdonly, (uint8_t)args->rdonly);
	CLI_TO_OPTS(WRONLY, wronly, (uint8_t)args->wronly);
	CLI_TO_OPTS(RDWR, rdwr, (uint8_t)args->rdwr);
	CLI_TO_OPTS(CREATE, create, (uint8_t)args->create);
	CLI_TO_OPTS(TRUNCATE, truncate, (uint8_t)args->truncate);
	CLI_TO_OPTS(DIRECT, direct, (uint8_t)args->direct);
	CLI_TO_OPTS(CREATE_MODE, create_mode, args->create_mode);

	CLI_TO_OPTS(POLL_IO, poll_io, (uint8_t)args->poll_io);
	CLI_TO_OPTS(POLL_SQ, poll_sq, (uint8_t)args->poll_sq);
	CLI_TO_OPTS(REGISTER_FILES, register_files, (uint8_t)args->register_files);
	CLI_TO_OPTS(REGISTER_BUFFERS, register_buffers, (uint8_t)args->register_buffers);

	CLI_TO_OPTS(CSS, css, args->css);
	CLI_TO_OPTS(USE_CMB_SQS, use_cmb_sqs, args->use_cmb_sqs);
	CLI_TO_OPTS(SHM_ID, shm_id, (uint32_t)args->shm_id);
	CLI_TO_OPTS(MAIN_CORE, main_core, args->main_core);
	CLI_TO_OPTS(CORE_MASK, core_mask, args->core_mask);
	CLI_TO_OPTS(ADRFAM, adrfam, args->adrfam);
	CLI_TO_OPTS(SUBNQN, subnqn, args->subnqn);
	CLI_TO_OPTS(HOSTNQN, hostnqn, args->hostnqn);

#undef CLI_TO_OPTS
	return 0;
}
