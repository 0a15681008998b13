/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *g_tool = "xnvme";
static const char *g_cmd = NULL;

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s%s: error: ", g_tool, g_cmd ? " " : "", g_cmd ? g_cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

int
cli_parse_u64(const char *str, uint64_t max, uint64_t *val)
{
	unsigned long long res;
	char *end;

	if (!str || !*str || !isdigit((unsigned char)str[0])) {
		return -EINVAL; /* no sign, no blank, no empty string */
	}
	errno = 0;
	res = strtoull(str, &end, 0);
	if (errno || *end || res > max) {
		return -EINVAL;
	}
	*val = res;
	return 0;
}

struct xnvme_dev *
cli_dev_open(struct cli_args *args)
{
	struct xnvme_dev *dev = xnvme_dev_open(args->uri, &args->opts);

	if (!dev) {
		cli_error("cannot open '%s': %s (%s)", args->uri, strerror(errno),
			  xnvme_dev_open_err_msg());
	}
	return dev;
}

static const struct option cli_longopts[] = {
    {"be", required_argument, NULL, 'b'},
    {"admin", required_argument, NULL, 'A'},
    {"sync", required_argument, NULL, 'S'},
    {"async", required_argument, NULL, 'a'},
    {"mem", required_argument, NULL, 'm'},
    {"nsid", required_argument, NULL, 'n'},
    {"direct", no_argument, NULL, 'd'},
    {"rdonly", no_argument, NULL, 'r'},
    {"subnqn", required_argument, NULL, 's'},
    {"hostnqn", required_argument, NULL, 'H'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void
cli_usage(const struct cli_tool *tool, const struct cli_cmd *cmd)
{
	if (cmd) {
		printf("usage: %s %s%s [options]\n\n%s\n\n", tool->name, cmd->name,
		       cmd->needs_uri ? " URI" : "", cmd->descr);
	} else {
		printf("usage: %s <command> [URI] [options]\n\n%s\n\ncommands:\n", tool->name,
		       tool->descr);
		for (int i = 0; i < tool->ncmds; ++i) {
			printf("  %-14s %s\n", tool->cmds[i].name, tool->cmds[i].descr);
		}
		printf("\n");
	}
	printf("options:\n"
	       "  --be NAME        backend (linux, ...); default: the first that claims URI\n"
	       "  --admin NAME     admin interface (file_as_ns, block, ...)\n"
	       "  --sync NAME      sync interface (psync, block, ...)\n"
	       "  --async NAME     async interface (io_uring, libaio, thrpool, emu, posix, nil)\n"
	       "  --mem NAME       buffer allocator (posix)\n"
	       "  --nsid N         namespace identifier (1..0xFFFFFFFF); default: the device's\n"
	       "  --direct         bypass the page cache (O_DIRECT)\n"
	       "  --rdonly         open read-only\n"
	       "  --subnqn NQN     fabrics: subsystem NQN\n"
	       "  --hostnqn NQN    fabrics: host NQN\n"
	       "  --output yaml    output format (yaml)\n"
	       "  -h, --help       this help\n\n"
	       "Output is YAML on stdout; errors are one line on stderr.\n"
	       "Exit codes: 0 success, 1 the operation failed, 2 usage error.\n");
}

int
cli_main(const struct cli_tool *tool, int argc, char **argv)
{
	const struct cli_cmd *cmd = NULL;
	struct cli_args args = {0};
	uint64_t val;
	int opt;

	g_tool = tool->name;
	if (argc < 2) {
		cli_usage(tool, NULL);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli_usage(tool, NULL);
		return CLI_EXIT_OK;
	}
	for (int i = 0; i < tool->ncmds; ++i) {
		if (!strcmp(argv[1], tool->cmds[i].name)) {
			cmd = &tool->cmds[i];
		}
	}
	if (!cmd) {
		cli_error("unknown command '%s' (see '%s --help')", argv[1], tool->name);
		return CLI_EXIT_USAGE;
	}
	g_cmd = cmd->name;

	args.opts = xnvme_opts_default();
	args.opts.nsid = 0; /* the device's own namespace unless --nsid says otherwise */
	opterr = 0;
	optind = 2;
	while ((opt = getopt_long(argc, argv, ":h", cli_longopts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			args.opts.be = optarg;
			break;
		case 'A':
			args.opts.admin = optarg;
			break;
		case 'S':
			args.opts.sync = optarg;
			break;
		case 'a':
			args.opts.async = optarg;
			break;
		case 'm':
			args.opts.mem = optarg;
			break;
		case 'd':
			args.opts.direct = 1;
			break;
		case 'r':
			args.opts.rdonly = 1;
			args.opts.rdwr = 0;
			break;
		case 's':
			args.opts.subnqn = optarg;
			break;
		case 'H':
			args.opts.hostnqn = optarg;
			break;
		case 'n':
			if (cli_parse_u64(optarg, UINT32_MAX, &val)) {
				cli_error("--nsid: '%s' is not a number in 1..0xFFFFFFFF", optarg);
				return CLI_EXIT_USAGE;
			}
			if (!val) {
				cli_error("--nsid: nsid 0 is not a namespace");
				return CLI_EXIT_USAGE;
			}
			args.opts.nsid = (uint32_t)val;
			args.nsid_given = 1;
			break;
		case 'o':
			if (strcmp(optarg, "yaml")) {
				cli_error("--output: '%s' is not supported (yaml)", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h':
			cli_usage(tool, cmd);
			return CLI_EXIT_OK;
		case ':':
			cli_error("option '%s' needs a value", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			cli_error("unknown option '%s'", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (cmd->needs_uri) {
		if (optind >= argc) {
			cli_error("missing the device identifier (URI)");
			return CLI_EXIT_USAGE;
		}
		args.uri = argv[optind++];
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	return cmd->func(&args);
}
