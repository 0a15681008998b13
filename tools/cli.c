/* SPDX-License-Identifier: BSD-3-Clause */
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "cli_opts.h"

/* getopt_long() returns this plus the option's id, clear of the short options and '?' / ':' */
#define CLI_OPT_VAL 0x100

/*
 * The prefix of the error line. A file-scope variable because errors are reported from
 * anywhere in a tool, also before there are arguments to carry it; a tool is one thread.
 */
static const char *g_tool = "xnvme";
static const char *g_cmd;
static enum cli_output g_output;

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

int
cli_usage(const char *fmt, ...)
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

int
cli_cmd_result_hint(struct xnvme_cmd_ctx *ctx, int err, const char *what, const char *hint)
{
	if (ctx && xnvme_cmd_ctx_cpl_status(ctx)) {
		/* The device answered: the status by name and by value, in the one error line */
		cli_error("%s failed: %s (sct 0x%x, sc 0x%02x, dnr %u)%s%s", what,
			  xnvme_spec_status_str(ctx->cpl.status.sct, ctx->cpl.status.sc),
			  ctx->cpl.status.sct, ctx->cpl.status.sc, ctx->cpl.status.dnr,
			  hint ? ": " : "", hint ? hint : "");
		return CLI_EXIT_FAIL;
	}
	if (err) {
		cli_error("%s failed: %s", what, strerror(err < 0 ? -err : err));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int
cli_cmd_result(struct xnvme_cmd_ctx *ctx, int err, const char *what)
{
	return cli_cmd_result_hint(ctx, err, what, NULL);
}

int
cli_file_read(const char *path, void *buf, size_t nbytes)
{
	FILE *fp = fopen(path, "rb");
	size_t nread;
	int err = 0;

	if (!fp) {
		err = -errno;
		cli_error("cannot open '%s': %s", path, strerror(errno));
		return err;
	}
	nread = fread(buf, 1, nbytes, fp);
	if (ferror(fp)) {
		err = -EIO;
		cli_error("cannot read '%s': %s", path, strerror(EIO));
	} else if (nread < nbytes) {
		err = -EINVAL;
		cli_error("'%s' has %zu bytes; the command needs %zu", path, nread, nbytes);
	}
	fclose(fp);
	return err;
}

long long
cli_file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		cli_error("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_error("'%s' is not a regular file", path);
		return -1;
	}
	return (long long)st.st_size;
}

int
cli_file_write(const char *path, const void *buf, size_t nbytes)
{
	int to_stdout = !strcmp(path, "-");
	FILE *fp;
	int err = 0;

	if (to_stdout && g_output == CLI_OUTPUT_JSON) {
		cli_error("data on stdout ('-') cannot be mixed with --output json");
		return -EINVAL;
	}
#ifdef _WIN32
	/* Windows' C runtime writes stdout as text (\n becomes \r\n): data goes out as it is */
	if (to_stdout) {
		fflush(stdout);
		_setmode(_fileno(stdout), _O_BINARY);
	}
#endif
	fp = to_stdout ? stdout : fopen(path, "wb");
	if (!fp) {
		err = -errno;
		cli_error("cannot create '%s': %s", path, strerror(errno));
		return err;
	}
	if (fwrite(buf, 1, nbytes, fp) != nbytes || fflush(fp)) {
		err = errno ? -errno : -EIO;
	}
	if (!to_stdout && fclose(fp) && !err) {
		err = errno ? -errno : -EIO;
	}
	if (err) {
		cli_error("cannot write '%s': %s", path, strerror(-err));
	}
	return err;
}

int
cli_info(struct cli_args *args)
{
	struct xnvme_dev *dev = cli_dev_open(args);

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	xnvme_dev_pr(dev, XNVME_PR_DEF);
	xnvme_dev_close(dev);
	return CLI_EXIT_OK;
}

uint32_t
cli_nsid(const struct cli_args *args, struct xnvme_dev *dev)
{
	return cli_given(args, CLI_OPT_NSID) ? (uint32_t)args->num[CLI_OPT_NSID]
					     : xnvme_dev_get_nsid(dev);
}

void *
cli_buf_alloc(struct xnvme_dev *dev, size_t nbytes)
{
	void *buf = xnvme_buf_alloc(dev, nbytes);

	if (!buf) {
		cli_error("cannot allocate a buffer of %zu bytes: %s", nbytes, strerror(errno));
		return NULL;
	}
	memset(buf, 0, nbytes);
	return buf;
}

static void
cli_help_opt(enum cli_opt_id id)
{
	const struct cli_opt *o = &g_cli_opts[id];
	char lhs[64];

	snprintf(lhs, sizeof(lhs), "%s--%s%s%s", id == CLI_OPT_HELP ? "-h, " : "", o->name,
		 o->meta ? " " : "", o->meta ? o->meta : "");
	printf("  %-24s %s\n", lhs, cli_opt_help(id));
}

static void
cli_help(const struct cli_tool *tool, const struct cli_cmd *cmd)
{
	if (cmd) {
		printf("usage: %s %s%s%s [options]\n\n%s\n\noptions:\n", tool->name, cmd->name,
		       cmd->needs_uri ? " URI" : "",
		       cmd->needs_uri == CLI_ARGS_URI_OPT2 ? " [ARG2]"
		       : cmd->needs_uri > 1                ? " URI2"
							   : "",
		       cmd->descr);
		for (int id = 0; id < CLI_OPT_NR; ++id) {
			if ((cmd->opts | CLI_OPT(CLI_OPT_HELP)) & CLI_OPT(id)) {
				cli_help_opt((enum cli_opt_id)id);
			}
		}
	} else {
		printf("usage: %s <command> [URI] [options]\n\n%s\n\ncommands:\n", tool->name,
		       tool->descr);
		for (size_t i = 0; i < tool->ncmds; ++i) {
			printf("  %-24s %s\n", tool->cmds[i].name, tool->cmds[i].descr);
		}
		printf("\noptions:\n");
		cli_help_opt(CLI_OPT_HELP);
		printf("  %-24s %s\n", "--version", "print the version and exit");
		printf("\nSee '%s <command> --help' for the options of a command.\n", tool->name);
	}
	printf("\nOutput is YAML on stdout; an error is one line on stderr.\n"
	       "Exit codes: 0 success, 1 the operation failed, 2 usage error.\n");
}

/* Checks and stores the value of option @p id; returns 0 or the usage exit code */
static int
cli_opt_value(struct cli_args *args, enum cli_opt_id id, const char *val)
{
	const struct cli_opt *o = &g_cli_opts[id];
	uint64_t num;
	int err;

	switch (o->kind) {
	case CLI_KIND_FLAG:
		break;
	case CLI_KIND_FLAG_NUM:
		/* Given is on whatever the value, as xNVMe 0.7.5's tools read it */
		args->num[id] = 1;
		if (val && cli_parse_u64(val, o->max, &num)) {
			return cli_usage("--%s: '%s' is not 0 or 1", o->name, val);
		}
		if (val && !num) {
			fprintf(stderr, "warning: '--%s %s' turns %s on, as xNVMe 0.7.5 reads it\n",
				o->name, val, o->name);
		}
		break;
	case CLI_KIND_STR:
		if (!val[0]) {
			return cli_usage("--%s: the value is empty", o->name);
		}
		args->str[id] = val;
		break;
	case CLI_KIND_NUM:
		err = cli_parse_u64(val, o->max, &args->num[id]);
		if (err == -ERANGE) {
			return cli_usage("--%s: '%s' is too large (at most 0x%llX)", o->name, val,
					 (unsigned long long)o->max);
		}
		if (err && val[0] == '-') {
			return cli_usage("--%s: '%s' is negative", o->name, val);
		}
		if (err) {
			return cli_usage("--%s: '%s' is not a number (decimal or 0x-hex)", o->name,
					 val);
		}
		break;
	}
	if (id == CLI_OPT_DEV_NSID && !args->num[id]) {
		return cli_usage("--%s: nsid 0 is not a namespace", o->name);
	}
	if (id == CLI_OPT_OUTPUT) {
		if (!strcmp(val, "json")) {
			args->output = CLI_OUTPUT_JSON;
		} else if (strcmp(val, "yaml")) {
			return cli_usage("--output: '%s' is not a format (yaml, json)", val);
		}
	}
	if (id == CLI_OPT_QDEPTH && !args->num[id]) {
		return cli_usage("--qdepth: 0 is not a queue depth");
	}
	if ((id == CLI_OPT_RUNTIME || id == CLI_OPT_THREADS || id == CLI_OPT_BS ||
	     id == CLI_OPT_IOS || id == CLI_OPT_REAP || id == CLI_OPT_BATCH) &&
	    !args->num[id]) {
		return cli_usage("--%s: 0 is not a value it takes", o->name);
	}
	args->given |= CLI_OPT(id);
	if (o->same_as) {
		args->num[o->same_as - 1] = args->num[id];
		args->str[o->same_as - 1] = args->str[id];
		args->given |= CLI_OPT(o->same_as - 1);
	}
	return 0;
}

/* Device options: the library's defaults, changed only by the options given */
static void
cli_build_opts(const struct cli_cmd *cmd, struct cli_args *args)
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
	if (cli_given(args, CLI_OPT_DEV_NSID)) {
		opts->nsid = (uint32_t)args->num[CLI_OPT_DEV_NSID];
	} else if (cli_given(args, CLI_OPT_NSID) && (cmd->flags & CLI_CMD_NSID_OPENS)) {
		opts->nsid = (uint32_t)args->num[CLI_OPT_NSID];
	}
	if (cli_given(args, CLI_OPT_DIRECT)) {
		opts->direct = args->num[CLI_OPT_DIRECT] ? 1 : 0;
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
		longopts[id].name = g_cli_opts[id].name;
		longopts[id].has_arg = g_cli_opts[id].kind == CLI_KIND_FLAG ? no_argument
				       : g_cli_opts[id].kind == CLI_KIND_FLAG_NUM
					   ? optional_argument
					   : required_argument;
		longopts[id].val = CLI_OPT_VAL + id;
	}
	opterr = 0; /* getopt's own messages would not follow the one-line convention */
	optind = 2;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		const char *text = argv[optind - 1];
		int id = opt == 'h' ? CLI_OPT_HELP : opt - CLI_OPT_VAL;
		const char *val;
		int err;

		if (opt == ':') {
			return cli_usage("option '%s' needs a value", text);
		}
		if (opt == '?' && optopt >= CLI_OPT_VAL) {
			return cli_usage("option '--%s' takes no value",
					 g_cli_opts[optopt - CLI_OPT_VAL].name);
		}
		if (opt == '?' || id < 0 || id >= CLI_OPT_NR) {
			if (optopt > 0 && optopt < CLI_OPT_VAL) {
				return cli_usage("unknown option '-%c'", optopt);
			}
			return cli_usage("unknown option '%s'", text);
		}
		if (opt != 'h' && !cli_opt_exact(argv, optind, g_cli_opts[id].name)) {
			return cli_usage("unknown option '%s' (did you mean '--%s'?)",
					 cli_opt_text(argv, optind), g_cli_opts[id].name);
		}
		if (id == CLI_OPT_HELP) {
			cli_help(tool, cmd);
			return CLI_EXIT_OK;
		}
		if (!(cmd->opts & CLI_OPT(id))) {
			return cli_usage("option '--%s' does not apply to '%s'",
					 g_cli_opts[id].name, cmd->name);
		}
		val = optarg;
		/* xNVMe's tools write "--direct 1": a number right after such a flag is its value
		 */
		if (g_cli_opts[id].kind == CLI_KIND_FLAG_NUM && !val && optind < argc &&
		    !cli_parse_u64(argv[optind], 1, &(uint64_t){0})) {
			val = argv[optind++];
		}
		err = cli_opt_value(args, (enum cli_opt_id)id, val);
		if (err) {
			return err;
		}
	}
	/* In a command's field nsid 0 has uses (features of the controller); a device has none */
	if ((cmd->flags & CLI_CMD_NSID_OPENS) && cli_given(args, CLI_OPT_NSID) &&
	    !args->num[CLI_OPT_NSID]) {
		return cli_usage("--nsid: nsid 0 is not a namespace");
	}
	if (cmd->needs_uri) {
		if (optind >= argc) {
			return cli_usage("missing the device identifier (URI)");
		}
		args->uri = argv[optind++];
	}
	if (cmd->needs_uri == CLI_ARGS_URI_OPT2 && optind < argc) {
		args->uri2 = argv[optind++];
	} else if (cmd->needs_uri == 2) {
		if (optind >= argc) {
			return cli_usage("missing the second argument");
		}
		args->uri2 = argv[optind++];
	}
	if (optind < argc) {
		return cli_usage("unexpected argument '%s'", argv[optind]);
	}
	cli_build_opts(cmd, args);
	return -1; /* no exit code yet: run the command */
}

/* Reads what the command wrote into @p fd, NUL-terminated; NULL when it cannot */
static char *
cli_fd_slurp(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *buf;

	if (len < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		return NULL;
	}
	buf = malloc((size_t)len + 1);
	if (!buf) {
		return NULL;
	}
	for (off_t got = 0; got < len;) {
		ssize_t n = read(fd, buf + got, (size_t)(len - got));

		if (n <= 0) {
			free(buf);
			return NULL;
		}
		got += n;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * Runs the command with its stdout (file descriptor 1, so the library's printers too) in memory,
 * then prints that as JSON. On a failed command what it printed is dropped: the error line says
 * what happened, and a JSON reader gets no partial document.
 */
static int
cli_run_json(const struct cli_cmd *cmd, struct cli_args *args)
{
	int mem = cli_mem_fd();
	int saved = dup(STDOUT_FILENO);
	struct cli_mem outmem;
	size_t nbytes = 0;
	char *yaml, *json = NULL;
	FILE *out;
	int rc, err;

	if (mem < 0 || saved < 0 || fflush(stdout) || dup2(mem, STDOUT_FILENO) < 0) {
		cli_error("cannot collect the output: %s", strerror(errno));
		if (mem >= 0) {
			close(mem);
		}
		if (saved >= 0) {
			close(saved);
		}
		return CLI_EXIT_FAIL;
	}
	rc = cmd->func(args);
	fflush(stdout);
	clearerr(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	yaml = cli_fd_slurp(mem);
	close(mem);
	if (rc != CLI_EXIT_OK || !yaml) {
		if (rc == CLI_EXIT_OK) {
			cli_error("cannot collect the output: %s", strerror(ENOMEM));
			rc = CLI_EXIT_FAIL;
		}
		free(yaml);
		return rc;
	}
	out = cli_mem_open(&outmem);
	err = out ? cli_yaml_to_json(yaml, out) : -ENOMEM;
	if (out && cli_mem_close(&outmem, &json, &nbytes) && !err) {
		err = -ENOMEM;
	}
	if (err) {
		cli_error("cannot write the output as JSON: %s", strerror(-err));
		rc = CLI_EXIT_FAIL;
	} else {
		fwrite(json, 1, nbytes, stdout);
	}
	free(json);
	free(yaml);
	return rc;
}

/* The edit distance of @p a and @p b (insert, delete, replace one character), capped at 99 */
static size_t
cli_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 63 || lb >= 63) {
		return 99;
	}
	for (size_t j = 0; j <= lb; ++j) {
		row[j] = j;
	}
	for (size_t i = 1; i <= la; ++i) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; ++j) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			best = up + 1 < best ? up + 1 : best;
			best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The command nearest to the unknown @p name, or NULL when none is near enough to be meant */
static const char *
cli_cmd_nearest(const struct cli_tool *tool, const char *name)
{
	size_t len = strlen(name), limit = len / 3 > 2 ? len / 3 : 2, best = 100;
	const char *near = NULL;

	for (size_t i = 0; i < tool->ncmds; ++i) {
		size_t d = cli_distance(name, tool->cmds[i].name);
		/* A prefix of a command ("feat" for feature-get) is meant as that command */
		int prefix = len >= 3 && !strncmp(tool->cmds[i].name, name, len);

		if ((d <= limit || prefix) && d < best) {
			best = d;
			near = tool->cmds[i].name;
		}
	}
	return near;
}

int
cli_main(const struct cli_tool *tool, int argc, char **argv)
{
	const struct cli_cmd *cmd = NULL;
	struct cli_args args = {0};
	int rc;

	g_tool = tool->name;
	if (argc < 2) {
		return cli_usage("missing the command");
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
	if (!strcmp(argv[1], "--version")) {
		printf("%s %d.%d.%d\n", tool->name, xnvme_ver_major(), xnvme_ver_minor(),
		       xnvme_ver_patch());
		return CLI_EXIT_OK;
	}
	if (!cmd) {
		const char *near = cli_cmd_nearest(tool, argv[1]);

		if (near) {
			return cli_usage("unknown command '%s' (did you mean '%s'?)", argv[1],
					 near);
		}
		return cli_usage("unknown command '%s'", argv[1]);
	}
	g_cmd = cmd->name;

	rc = cli_parse(tool, cmd, argc, argv, &args);
	if (rc < 0) {
		g_output = args.output;
		rc = args.output == CLI_OUTPUT_JSON ? cli_run_json(cmd, &args) : cmd->func(&args);
	}
	/* Output lost to a full disk or a closed pipe is a failure, not a success */
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write the output: %s", strerror(errno));
		rc = CLI_EXIT_FAIL;
	}
	return rc;
}

#ifdef _WIN32
/* The same table as the library's: strings only, kept in one place */
#include "../lib/xnvme_errno_text.h"

#undef strerror
const char *
cli_strerror(int errnum)
{
	for (size_t i = 0; i < sizeof(xnvme_errno_text) / sizeof(xnvme_errno_text[0]); ++i) {
		if (xnvme_errno_text[i].errnum == errnum) {
			return xnvme_errno_text[i].text;
		}
	}
	return strerror(errnum);
}
#endif
