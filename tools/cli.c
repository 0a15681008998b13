/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

enum cli_opt_kind {
	CLI_KIND_FLAG,
	CLI_KIND_STR,
	CLI_KIND_NUM,
};

struct cli_opt {
	const char *name; ///< The long name, without "--"
	enum cli_opt_kind kind;
	const char *meta; ///< Placeholder of the value in the help
	uint64_t max;     ///< Largest value of a number
	const char *help; ///< One line
};

static const struct cli_opt g_opts[CLI_OPT_NR] = {
    [CLI_OPT_BE] = {"be", CLI_KIND_STR, "NAME", 0,
		    "backend: linux, ...; default: the first that claims URI"},
    [CLI_OPT_ADMIN] = {"admin", CLI_KIND_STR, "NAME", 0,
		       "admin interface: nvme, block, file_as_ns; default: per device"},
    [CLI_OPT_SYNC] = {"sync", CLI_KIND_STR, "NAME", 0,
		      "sync interface: psync, nvme, block; default: per device"},
    [CLI_OPT_ASYNC] = {"async", CLI_KIND_STR, "NAME", 0,
		       "async interface: io_uring, libaio, thrpool, posix, emu, nil"},
    [CLI_OPT_MEM] = {"mem", CLI_KIND_STR, "NAME", 0, "buffer allocator: posix"},
    [CLI_OPT_NSID] = {"nsid", CLI_KIND_NUM, "N", UINT32_MAX,
		      "namespace identifier, 1..0xFFFFFFFF; default: the device's own"},
    [CLI_OPT_DIRECT] = {"direct", CLI_KIND_FLAG, NULL, 0, "bypass the page cache (O_DIRECT)"},
    [CLI_OPT_RDONLY] = {"rdonly", CLI_KIND_FLAG, NULL, 0, "open for reading only"},
    [CLI_OPT_SUBNQN] = {"subnqn", CLI_KIND_STR, "NQN", 0, "fabrics: subsystem NQN"},
    [CLI_OPT_HOSTNQN] = {"hostnqn", CLI_KIND_STR, "NQN", 0, "fabrics: host NQN"},
    [CLI_OPT_OUTPUT] = {"output", CLI_KIND_STR, "FORMAT", 0,
			"output format: yaml (the only one so far)"},
    [CLI_OPT_HELP] = {"help", CLI_KIND_FLAG, NULL, 0, "print this help and exit"},
};

/* getopt_long() returns this plus the option's id, clear of the short options and '?' / ':' */
#define CLI_OPT_VAL 0x100

/*
 * The prefix of the error line. A file-scope variable because errors are reported from
 * anywhere in a tool, also before there are arguments to carry it; a tool is one thread.
 */
static const char *g_tool = "xnvme";
static const char *g_cmd;

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout); /* so that an error follows the output it belongs to on a shared terminal */
	fprintf(stderr, "%s%s%s: error: ", g_tool, g_cmd ? " " : "", g_cmd ? g_cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A usage error: the error line, pointing at the help; returns the usage exit code */
static int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
cli_usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_error("%s (see '%s%s%s --help')", msg, g_tool, g_cmd ? " " : "", g_cmd ? g_cmd : "");
	return CLI_EXIT_USAGE;
}

int
cli_parse_u64(const char *str, uint64_t max, uint64_t *val)
{
	const char *digits = "0123456789";
	unsigned long long res;
	int base = 10;

	if (!str) {
		return -EINVAL;
	}
	/* strtoull() alone would take blanks, a sign, a second 0x, and a leading 0 as octal */
	if (str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
		digits = "0123456789abcdefABCDEF";
		str += 2;
		base = 16;
	}
	if (!str[0] || str[strspn(str, digits)]) {
		return -EINVAL;
	}
	errno = 0;
	res = strtoull(str, NULL, base);
	if (errno == ERANGE || res > max) {
		return -ERANGE;
	}
	*val = res;
	return 0;
}

int
cli_yaml_str(FILE *stream, const char *str)
{
	int wrtn = fputc('"', stream) == EOF ? 0 : 1;

	for (const unsigned char *c = (const unsigned char *)str; c && *c; ++c) {
		if (*c == '"' || *c == '\\') {
			wrtn += fprintf(stream, "\\%c", *c);
		} else if (*c < 0x20 || *c > 0x7E) {
			/* The library's printers escape the same bytes: output stays ASCII */
			wrtn += fprintf(stream, "\\x%02X", *c);
		} else {
			wrtn += fputc(*c, stream) == EOF ? 0 : 1;
		}
	}
	return wrtn + (fputc('"', stream) == EOF ? 0 : 1);
}

struct xnvme_dev *
cli_dev_open(struct cli_args *args)
{
	struct xnvme_dev *dev = xnvme_dev_open(args->uri, &args->opts);
	char why[1024];
	int err = errno;

	if (dev) {
		return dev;
	}
	/* The reasons are documented as one line per backend: keep the error to one line */
	snprintf(why, sizeof(why), "%s", xnvme_dev_open_err_msg());
	for (char *c = why; *c; ++c) {
		if (*c == '\n') {
			*c = c[1] ? ';' : '\0';
		}
	}
	cli_error("cannot open '%s': %s%s%s%s", args->uri, strerror(err), why[0] ? " (" : "", why,
		  why[0] ? ")" : "");
	return NULL;
}

static void
cli_help_opt(enum cli_opt_id id)
{
	const struct cli_opt *o = &g_opts[id];
	char lhs[48];

	snprintf(lhs, sizeof(lhs), "%s--%s%s%s", id == CLI_OPT_HELP ? "-h, " : "", o->name,
		 o->meta ? " " : "", o->meta ? o->meta : "");
	printf("  %-20s %s\n", lhs, o->help);
}

static void
cli_help(const struct cli_tool *tool, const struct cli_cmd *cmd)
{
	if (cmd) {
		printf("usage: %s %s%s [options]\n\n%s\n\noptions:\n", tool->name, cmd->name,
		       cmd->needs_uri ? " URI" : "", cmd->descr);
		for (int id = 0; id < CLI_OPT_NR; ++id) {
			if ((cmd->opts | CLI_OPT(CLI_OPT_HELP)) & CLI_OPT(id)) {
				cli_help_opt((enum cli_opt_id)id);
			}
		}
	} else {
		printf("usage: %s <command> [URI] [options]\n\n%s\n\ncommands:\n", tool->name,
		       tool->descr);
		for (size_t i = 0; i < tool->ncmds; ++i) {
			printf("  %-20s %s\n", tool->cmds[i].name, tool->cmds[i].descr);
		}
		printf("\noptions:\n");
		cli_help_opt(CLI_OPT_HELP);
		printf("\nSee '%s <command> --help' for the options of a command.\n", tool->name);
	}
	printf("\nOutput is YAML on stdout; an error is one line on stderr.\n"
	       "Exit codes: 0 success, 1 the operation failed, 2 usage error.\n");
}

/* Checks and stores the value of option @p id; returns 0 or the usage exit code */
static int
cli_opt_value(struct cli_args *args, enum cli_opt_id id, const char *val)
{
	const struct cli_opt *o = &g_opts[id];
	int err;

	switch (o->kind) {
	case CLI_KIND_FLAG:
		break;
	case CLI_KIND_STR:
		if (!val[0]) {
			return cli_usage_error("--%s: the value is empty", o->name);
		}
		args->str[id] = val;
		break;
	case CLI_KIND_NUM:
		err = cli_parse_u64(val, o->max, &args->num[id]);
		if (err == -ERANGE) {
			return cli_usage_error("--%s: '%s' is too large (at most 0x%llX)", o->name,
					       val, (unsigned long long)o->max);
		}
		if (err && val[0] == '-') {
			return cli_usage_error("--%s: '%s' is negative", o->name, val);
		}
		if (err) {
			return cli_usage_error("--%s: '%s' is not a number (decimal or 0x-hex)",
					       o->name, val);
		}
		break;
	}
	if (id == CLI_OPT_NSID && !args->num[id]) {
		return cli_usage_error("--nsid: nsid 0 is not a namespace");
	}
	if (id == CLI_OPT_OUTPUT && strcmp(val, "yaml")) {
		return cli_usage_error("--output: '%s' is not supported (only yaml, so far)", val);
	}
	args->given |= CLI_OPT(id);
	return 0;
}

/* Device options: the library's defaults, changed only by the options given */
static void
cli_build_opts(struct cli_args *args)
{
	struct xnvme_opts *opts = &args->opts;

	*opts = xnvme_opts_default();
	opts->nsid = 0; /* the default is 1; 0 lets the backend take the device's own namespace */
	opts->be = args->str[CLI_OPT_BE];
	opts->admin = args->str[CLI_OPT_ADMIN];
	opts->sync = args->str[CLI_OPT_SYNC];
	opts->async = args->str[CLI_OPT_ASYNC];
	opts->mem = args->str[CLI_OPT_MEM];
	opts->subnqn = args->str[CLI_OPT_SUBNQN];
	opts->hostnqn = args->str[CLI_OPT_HOSTNQN];
	if (args->given & CLI_OPT(CLI_OPT_NSID)) {
		opts->nsid = (uint32_t)args->num[CLI_OPT_NSID];
	}
	if (args->given & CLI_OPT(CLI_OPT_DIRECT)) {
		opts->direct = 1;
	}
	if (args->given & CLI_OPT(CLI_OPT_RDONLY)) {
		opts->rdonly = 1;
		opts->rdwr = 0;
	}
}

/* The option getopt_long() just returned: its value, when separate, is the last element read */
static const char *
cli_opt_text(char **argv, int optind_after)
{
	if (optarg && optarg == argv[optind_after - 1]) {
		return argv[optind_after - 2];
	}
	return argv[optind_after - 1];
}

/*
 * getopt_long() takes unique prefixes ("--as" for "--async"); they are refused because a prefix
 * that works today becomes ambiguous, or another option, when an option is added.
 */
static int
cli_opt_exact(char **argv, int optind_after, const char *name)
{
	const char *text = cli_opt_text(argv, optind_after);
	size_t len = strlen(name);

	return !strncmp(text, "--", 2) && !strncmp(text + 2, name, len) &&
	       (text[2 + len] == '\0' || text[2 + len] == '=');
}

/* Parses the options and positional arguments of @p cmd in argv[2..]; returns an exit code */
static int
cli_parse(const struct cli_tool *tool, const struct cli_cmd *cmd, int argc, char **argv,
	  struct cli_args *args)
{
	struct option longopts[CLI_OPT_NR + 1] = {0};
	int opt;

	for (int id = 0; id < CLI_OPT_NR; ++id) {
		longopts[id].name = g_opts[id].name;
		longopts[id].has_arg =
		    g_opts[id].kind == CLI_KIND_FLAG ? no_argument : required_argument;
		longopts[id].val = CLI_OPT_VAL + id;
	}
	opterr = 0; /* getopt's own messages would not follow the one-line convention */
	optind = 2;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		const char *text = argv[optind - 1];
		int id = opt == 'h' ? CLI_OPT_HELP : opt - CLI_OPT_VAL;
		int err;

		if (opt == ':') {
			return cli_usage_error("option '%s' needs a value", text);
		}
		if (opt == '?' && optopt >= CLI_OPT_VAL) {
			return cli_usage_error("option '--%s' takes no value",
					       g_opts[optopt - CLI_OPT_VAL].name);
		}
		if (opt == '?' || id < 0 || id >= CLI_OPT_NR) {
			if (optopt > 0 && optopt < CLI_OPT_VAL) {
				return cli_usage_error("unknown option '-%c'", optopt);
			}
			return cli_usage_error("unknown option '%s'", text);
		}
		if (opt != 'h' && !cli_opt_exact(argv, optind, g_opts[id].name)) {
			return cli_usage_error("unknown option '%s' (did you mean '--%s'?)",
					       cli_opt_text(argv, optind), g_opts[id].name);
		}
		if (id == CLI_OPT_HELP) {
			cli_help(tool, cmd);
			return CLI_EXIT_OK;
		}
		if (!(cmd->opts & CLI_OPT(id))) {
			return cli_usage_error("option '--%s' does not apply to '%s'",
					       g_opts[id].name, cmd->name);
		}
		err = cli_opt_value(args, (enum cli_opt_id)id, optarg);
		if (err) {
			return err;
		}
	}
	if (cmd->needs_uri) {
		if (optind >= argc) {
			return cli_usage_error("missing the device identifier (URI)");
		}
		args->uri = argv[optind++];
	}
	if (optind < argc) {
		return cli_usage_error("unexpected argument '%s'", argv[optind]);
	}
	cli_build_opts(args);
	return -1; /* no exit code yet: run the command */
}

int
cli_main(const struct cli_tool *tool, int argc, char **argv)
{
	const struct cli_cmd *cmd = NULL;
	struct cli_args args = {0};
	int rc;

	g_tool = tool->name;
	if (argc < 2) {
		return cli_usage_error("missing the command");
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli_help(tool, NULL);
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < tool->ncmds && !cmd; ++i) {
		if (!strcmp(argv[1], tool->cmds[i].name)) {
			cmd = &tool->cmds[i];
		}
	}
	if (!cmd) {
		return cli_usage_error("unknown command '%s'", argv[1]);
	}
	g_cmd = cmd->name;

	rc = cli_parse(tool, cmd, argc, argv, &args);
	if (rc < 0) {
		rc = cmd->func(&args);
	}
	/* Output lost to a full disk or a closed pipe is a failure, not a success */
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write the output: %s", strerror(errno));
		rc = CLI_EXIT_FAIL;
	}
	return rc;
}
