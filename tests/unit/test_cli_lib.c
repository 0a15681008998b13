/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command-line layer of libxnvme_cli.h through its public entry points: xnvme_cli_run() on
 * argv arrays (positional arguments, decimal and hexadecimal numbers, flags, strings; missing,
 * unknown and ill-typed arguments; --help), the xnvme_opts that xnvme_cli_to_opts() makes, the
 * device XNVME_CLI_INIT_DEV_OPEN opens (on a ramdisk), the option table, the enumeration list and
 * the timers. What the runs print to stdout is captured where its content is checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxnvme.h>
#include "check.h"

/* What the sub-commands saw in their last call */
static struct {
	int ncalls;
	int dev_open;
	uint32_t dev_nsid;
	int ret; ///< What the sub-commands return
} g_seen;

static int
sub_record(struct xnvme_cli *cli)
{
	g_seen.ncalls++;
	g_seen.dev_open = cli->args.dev != NULL;
	if (cli->args.dev) {
		g_seen.dev_nsid = xnvme_dev_get_nsid(cli->args.dev);
	}
	return g_seen.ret;
}

static struct xnvme_cli_sub g_subs[] = {
    {
	"io",
	"Positional URI, required and optional options, flags",
	"The sub-command of most checks",
	sub_record,
	{
	    {XNVME_CLI_OPT_POSA_TITLE, XNVME_CLI_SKIP},
	    {XNVME_CLI_OPT_URI, XNVME_CLI_POSA},
	    {XNVME_CLI_OPT_NON_POSA_TITLE, XNVME_CLI_SKIP},
	    {XNVME_CLI_OPT_SLBA, XNVME_CLI_LREQ},
	    {XNVME_CLI_OPT_NLB, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_NSID, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_LBA, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_CDW10, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_PRCHK, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_PRACT, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_DATA_OUTPUT, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_VERBOSE, XNVME_CLI_LFLG},
	    {XNVME_CLI_OPT_ALL, XNVME_CLI_LFLG},
	    {XNVME_CLI_OPT_COUNT, XNVME_CLI_LFLG},
	    {XNVME_CLI_OPT_KV_STORE_ADD, XNVME_CLI_LFLG},
	    {XNVME_CLI_OPT_KV_STORE_UPDATE, XNVME_CLI_LFLG},
	    XNVME_CLI_ASYNC_OPTS,
	    {XNVME_CLI_OPT_RDONLY, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_CSS, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_POLL_IO, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_CORE_MASK, XNVME_CLI_LOPT},
	    {XNVME_CLI_OPT_SHM_ID, XNVME_CLI_LOPT},
	},
    },
    {
	"copy",
	"Two positional files",
	"",
	sub_record,
	{
	    {XNVME_CLI_OPT_DATA_INPUT, XNVME_CLI_POSA},
	    {XNVME_CLI_OPT_DATA_OUTPUT, XNVME_CLI_POSA},
	    {XNVME_CLI_OPT_DATA_NBYTES, XNVME_CLI_LOPT},
	},
    },
    {
	"enum",
	"No positional argument",
	"",
	sub_record,
	{
	    {XNVME_CLI_OPT_SYS_URI, XNVME_CLI_LOPT},
	    XNVME_CLI_CORE_OPTS,
	},
    },
    {"bad",
     "A title where an option belongs",
     "",
     sub_record,
     {{XNVME_CLI_OPT_POSA_TITLE, XNVME_CLI_LOPT}}},
    {"nocmd", "No function", "", NULL, {{XNVME_CLI_OPT_VERBOSE, XNVME_CLI_LFLG}}},
};

static struct xnvme_cli g_cli = {
    .title = "test_cli_lib",
    .descr_short = "Checks of libxnvme_cli.h",
    .descr_long = "",
    .subs = g_subs,
    .nsubs = sizeof(g_subs) / sizeof(g_subs[0]),
};

#define ARGV(...) ((char *[]){"prog", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"prog", __VA_ARGS__}) / sizeof(char *)))

/* Runs the program on "prog ARGS..." with @p flags; what it prints to stdout lands in g_out */
static char g_out[16384];

static int
run_flags(int flags, int argc, char **argv)
{
	FILE *cap = tmpfile();
	int saved, ret;
	size_t len;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (!cap || saved < 0 || dup2(fileno(cap), STDOUT_FILENO) < 0) {
		printf("FAIL: cannot capture stdout\n");
		exit(1);
	}
	g_seen.ncalls = 0;
	g_seen.dev_open = 0;
	ret = xnvme_cli_run(&g_cli, argc, argv, flags);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);

	rewind(cap);
	len = fread(g_out, 1, sizeof(g_out) - 1, cap);
	g_out[len] = '\0';
	fclose(cap);
	return ret;
}

#define RUN(...)      run_flags(XNVME_CLI_INIT_NONE, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))
#define RUN_OPEN(...) run_flags(XNVME_CLI_INIT_DEV_OPEN, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))
#define PRINTED(text) (strstr(g_out, text) != NULL)
#define GIVEN(opt)    (g_cli.given[XNVME_CLI_OPT_##opt] != 0)

static void
test_numbers(void)
{
	struct xnvme_cli_args *args = &g_cli.args;

	CHECK(RUN("io", "f", "--slba", "0x10") == 0 && g_seen.ncalls == 1 && args->slba == 0x10,
	      "0x-hex number");
	CHECK(RUN("io", "f", "--slba", "10") == 0 && args->slba == 0x10,
	      "a 0xNUM option reads hexadecimal without the 0x too");
	CHECK(RUN("io", "f", "--slba", "0XfF") == 0 && args->slba == 0xff, "0X and mixed case");
	CHECK(RUN("io", "f", "--slba", "1", "--nlb", "10") == 0 && args->nlb == 10,
	      "a NUM option reads decimal");
	CHECK(RUN("io", "f", "--slba", "1", "--nlb", "0x10") == 0 && args->nlb == 16,
	      "a NUM option reads 0x-hex");
	CHECK(RUN("io", "f", "--slba", "1", "--nlb", "010") == 0 && args->nlb == 10,
	      "a leading zero is not octal");
	CHECK(RUN("io", "f", "--slba=0x20", "--nlb=7") == 0 && args->slba == 0x20 && args->nlb == 7,
	      "--name=value");
	CHECK(RUN("io", "f", "--slba", "1", "--nsid", "-1", "--lba", "-1") == 0 &&
		  args->nsid == UINT32_MAX && args->lba == UINT64_MAX,
	      "-1 is all ones in the member's width");
	CHECK(RUN("io", "f", "--slba", "1", "--nsid", "0xffffffff", "--cdw10", "0") == 0 &&
		  args->nsid == UINT32_MAX && GIVEN(CDW10) && args->cdw[10] == 0,
	      "the widest value fits; zero is given");
	CHECK(RUN("io", "f", "--slba", "0xffffffffffffffff") == 0 && args->slba == UINT64_MAX,
	      "64-bit maximum");

	CHECK(RUN("io", "f", "--slba", "zz") == -1 && g_seen.ncalls == 0 && PRINTED("'--slba'") &&
		  PRINTED("'zz'"),
	      "not a number: -1, the option and value named, the sub-command not run");
	CHECK(RUN("io", "f", "--slba", "1", "--nlb", "abc") == -1, "letters for NUM: -1");
	CHECK(RUN("io", "f", "--slba", "1", "--nlb", "12abc") == -1, "trailing garbage: -1");
	CHECK(RUN("io", "f", "--slba", "1", "--nlb", "ff") == -1,
	      "hex digits without 0x for NUM: -1");
	CHECK(RUN("io", "f", "--slba", "") == -1, "empty value: -1");
	CHECK(RUN("io", "f", "--slba", "0x") == -1, "0x alone: -1");
	CHECK(RUN("io", "f", "--slba", " 1") == -1, "leading space: -1");
	CHECK(RUN("io", "f", "--slba", "0x10000000000000000") == -1, "over 64 bits: -1");
	CHECK(RUN("io", "f", "--slba", "1", "--nsid", "0x100000000") == -1,
	      "over the 32-bit member: -1");
	CHECK(RUN("io", "f", "--slba", "1", "--prchk", "0x100") == -1 &&
		  RUN("io", "f", "--slba", "1", "--prchk", "0xff") == 0 && args->prchk == 0xff,
	      "8-bit member: 0xff fits, 0x100 does not");
}

static void
test_strings_flags(void)
{
	struct xnvme_cli_args *args = &g_cli.args;
	char *argv[] = {"prog", "io", "f", "--slba", "1", "--data-output", "/tmp/out", NULL};

	CHECK(run_flags(0, 7, argv) == 0 && args->data_output == argv[6] && args->uri == argv[2],
	      "strings point into argv");
	CHECK(RUN("io", "f", "--slba", "1", "--be", "ramdisk", "--async=emu") == 0 &&
		  !strcmp(args->be, "ramdisk") && !strcmp(args->async, "emu"),
	      "STRING options");

	CHECK(RUN("io", "f", "--slba", "1") == 0 && !args->verbose && !GIVEN(VERBOSE) && !args->all,
	      "flags not given are false");
	CHECK(RUN("io", "f", "--slba", "1", "--verbose", "--all", "--count") == 0 &&
		  args->verbose && GIVEN(VERBOSE) && args->all && args->count == 1,
	      "flags: bool members true, a number member 1");
	CHECK(PRINTED("xnvme_cli_args:") && PRINTED("slba: 0x1"),
	      "--verbose prints the arguments after the sub-command");
	CHECK(RUN("io", "f", "--slba", "1", "--verbose=1") == -1, "a flag takes no value: -1");
	CHECK(RUN("io", "f", "--slba", "1", "--verbose", "2") == -1,
	      "a flag does not take the next word: it is an extra positional, -1");
	CHECK(RUN("io", "f", "--slba", "1", "--only-add", "--only-update") == -1 &&
		  g_seen.ncalls == 0,
	      "--only-add with --only-update: -1");
	CHECK(RUN("io", "f", "--slba", "1", "--only-add") == 0 && args->kv_store_add,
	      "--only-add alone");
}

static void
test_positional(void)
{
	struct xnvme_cli_args *args = &g_cli.args;

	CHECK(RUN("copy", "in", "out") == 0 && !strcmp(args->data_input, "in") &&
		  !strcmp(args->data_output, "out") && GIVEN(DATA_INPUT) && GIVEN(DATA_OUTPUT),
	      "two positionals, in order");
	CHECK(RUN("copy", "--data-nbytes", "4096", "in", "out") == 0 && args->data_nbytes == 4096,
	      "options before positionals");
	CHECK(RUN("copy", "in", "--data-nbytes", "0x1000", "out") == 0 && args->data_nbytes == 4096,
	      "options between positionals");
	CHECK(RUN("copy", "in", "--", "--out") == 0 && !strcmp(args->data_output, "--out"),
	      "-- ends the options");
	CHECK(RUN("copy", "-", "out") == 0 && !strcmp(args->data_input, "-"),
	      "- alone is positional");
	CHECK(RUN("copy", "in") == -1 && g_seen.ncalls == 0 && PRINTED("positional"),
	      "a positional missing: -1");
	CHECK(RUN("copy", "in", "out", "more") == -1, "a positional too many: -1");
	CHECK(RUN("enum", "extra") == -1, "a positional where none is declared: -1");
	CHECK(RUN("enum", "--uri", "127.0.0.1:4420") == 0 &&
		  !strcmp(args->sys_uri, "127.0.0.1:4420") && !args->uri,
	      "--uri of the system fills sys_uri");
	CHECK(RUN("io", "--slba", "1") == -1 && g_seen.ncalls == 0, "missing URI: -1");
	CHECK(RUN("io", "f") == -1 && g_seen.ncalls == 0 && PRINTED("--slba"),
	      "missing required option: -1, named");
}

static void
test_errors_help(void)
{
	struct xnvme_cli_args *args = &g_cli.args;

	CHECK(RUN("io", "f", "--slba", "1", "--bogus", "1") == -1 && g_seen.ncalls == 0 &&
		  PRINTED("--bogus"),
	      "unknown option: -1, named");
	CHECK(RUN("io", "f", "--slba", "1", "-x") == -1, "short option: -1");
	CHECK(RUN("io", "f", "--sl", "5") == 0 && args->slba == 5, "a unique prefix is the option");
	CHECK(RUN("io", "f", "--slba", "1", "--a", "x") == -1 && PRINTED("mbiguous"),
	      "an ambiguous prefix: -1");
	CHECK(RUN("io", "f", "--slba", "1", "--admin", "nvme", "--as", "emu") == 0 &&
		  !strcmp(args->async, "emu"),
	      "a longer prefix is unique again");
	CHECK(RUN("io", "f", "--slba") == -1 && PRINTED("value"), "option without its value: -1");
	CHECK(RUN("bogus") == -1 && PRINTED("bogus"), "unknown sub-command: -1");

	CHECK(RUN("io", "--help") == 0 && g_seen.ncalls == 0 && PRINTED("Usage: prog io <uri>") &&
		  PRINTED("--slba 0xNUM ") && PRINTED("[ --nlb NUM ]") &&
		  PRINTED("[ --verbose ]") && PRINTED("[ --be STRING ]") && PRINTED("[ --help ]") &&
		  PRINTED("Positional arguments:") && PRINTED("test_cli_lib -- ver: {major: "),
	      "sub-command --help: 0, its help, the sub-command not run");
	CHECK(RUN("io", "-h") == 0 && g_seen.ncalls == 0 && PRINTED("Usage: prog io"), "-h too");
	CHECK(RUN("io", "--help", "extra", "more") == 0 && g_seen.ncalls == 0,
	      "--help wins over a wrong count of positionals");
	CHECK(RUN("io", "--bogus", "--help") == -1, "an unknown option wins over --help");
	CHECK(run_flags(0, 1, ARGV("x")) == 0 && PRINTED("Usage: prog <command>") &&
		  PRINTED("  io               | Positional URI") && PRINTED("  enum "),
	      "no sub-command: the program's usage, 0");
	CHECK(RUN("--help") == 0 && PRINTED("Usage: prog <command>"), "--help: usage, 0");
	CHECK(RUN("-h") == 0 && PRINTED("Usage: prog <command>"), "-h: usage, 0");

	g_seen.ret = -EIO;
	CHECK(RUN("io", "f", "--slba", "1") == 1 && g_seen.ncalls == 1, "the sub-command fails: 1");
	g_seen.ret = 7;
	CHECK(RUN("io", "f", "--slba", "1") == 1, "a positive error: 1");
	g_seen.ret = 0;

	CHECK(RUN("io", "f", "--slba", "5", "--nlb", "3") == 0 &&
		  RUN("io", "g", "--slba", "6") == 0 && args->nlb == 0 && !GIVEN(NLB) &&
		  !strcmp(args->uri, "g"),
	      "a second run starts from clean arguments");
	CHECK(xnvme_cli_run(NULL, 1, ARGV("x"), 0) == -1, "no cli: -1");
	CHECK(RUN("bad") == -1 && g_seen.ncalls == 0 && PRINTED("not an option"),
	      "a title listed as an option: -1");
	CHECK(RUN("nocmd") == 1, "a sub-command without a function: 1");
}

static void
test_to_opts(void)
{
	struct xnvme_opts opts;
	struct xnvme_opts untouched;

	CHECK(RUN("io", "f", "--slba", "1") == 0, "run without device options");
	memset(&opts, 0xAB, sizeof(opts));
	untouched = opts;
	CHECK(xnvme_cli_to_opts(&g_cli, &opts) == 0 && !memcmp(&opts, &untouched, sizeof(opts)),
	      "nothing given: opts untouched");

	CHECK(RUN("io", "f", "--slba", "1", "--be", "ramdisk", "--mem", "posix", "--sync", "psync",
		  "--async", "emu", "--admin", "block", "--dev-nsid", "2", "--direct", "1",
		  "--rdonly", "1", "--css", "0x7", "--poll_io", "1", "--core_mask", "0x3",
		  "--shm_id", "0x10", "--subnqn", "nqn.a", "--hostnqn", "nqn.b", "--nsid",
		  "9") == 0,
	      "run with device options");
	opts = xnvme_opts_default();
	CHECK(xnvme_cli_to_opts(&g_cli, &opts) == 0, "to_opts: 0");
	CHECK(opts.be && !strcmp(opts.be, "ramdisk") && !strcmp(opts.mem, "posix") &&
		  !strcmp(opts.sync, "psync") && !strcmp(opts.async, "emu") &&
		  !strcmp(opts.admin, "block"),
	      "interface names copied");
	CHECK(opts.nsid == 2, "--dev-nsid is the device's nsid; --nsid (the command's) is not");
	CHECK(opts.direct == 1 && opts.rdonly == 1 && opts.rdwr == 1 && opts.poll_io == 1,
	      "open and io_uring flags copied, rdwr default kept");
	CHECK(opts.css.value == 7 && opts.css.given == 1, "--css: value and given");
	CHECK(!strcmp(opts.core_mask, "0x3") && opts.shm_id == 0x10 &&
		  !strcmp(opts.subnqn, "nqn.a") && !strcmp(opts.hostnqn, "nqn.b"),
	      "user-space driver and fabrics options copied");
	CHECK(opts.admin_timeout == xnvme_opts_default().admin_timeout, "timeouts left alone");

	CHECK(RUN("io", "f", "--slba", "1", "--direct", "0") == 0 &&
		  (opts = xnvme_opts_default(), !xnvme_cli_to_opts(&g_cli, &opts)) &&
		  opts.direct == 1,
	      "--direct 0 turns direct on, as xNVMe 0.7.5 reads a given yes/no option");
	CHECK(RUN("io", "f", "--slba", "1", "--pract", "0x0") == 0 && g_cli.args.pract == 1 &&
		  RUN("io", "f", "--slba", "1", "--pract", "1") == 0 && g_cli.args.pract == 1 &&
		  RUN("io", "f", "--slba", "1") == 0 && g_cli.args.pract == 0,
	      "--pract given is on whatever its value, as in xNVMe 0.7.5; not given is off");
	CHECK(RUN("io", "f", "--slba", "1", "--pract", "zero") != 0,
	      "a yes/no option's value must still be a number");
	CHECK(xnvme_cli_to_opts(NULL, &opts) == -EINVAL &&
		  xnvme_cli_to_opts(&g_cli, NULL) == -EINVAL,
	      "NULL arguments: -EINVAL");
}

static void
test_dev_open(void)
{
	CHECK(RUN_OPEN("io", "ramdisk:64MiB", "--slba", "0") == 0 && g_seen.ncalls == 1 &&
		  g_seen.dev_open && g_cli.args.dev == NULL,
	      "XNVME_CLI_INIT_DEV_OPEN: the sub-command gets the device, closed after");
	CHECK(RUN("io", "ramdisk:64MiB", "--slba", "0") == 0 && g_seen.ncalls == 1 &&
		  !g_seen.dev_open,
	      "XNVME_CLI_INIT_NONE: no device");
	CHECK(RUN_OPEN("io", "/nonexistent/xnvme-cli-test", "--slba", "0") == -1 &&
		  g_seen.ncalls == 0,
	      "the device does not open: -1, the sub-command not run");
	CHECK(RUN_OPEN("io", "ramdisk:64MiB", "--slba", "0", "--be", "nosuchbackend") == -1 &&
		  g_seen.ncalls == 0,
	      "--be reaches the open");
	CHECK(RUN_OPEN("enum") == 0 && g_seen.ncalls == 1 && !g_seen.dev_open,
	      "no URI: nothing to open");
	CHECK(RUN_OPEN("io", "ramdisk:64MiB", "--help") == 0 && g_seen.ncalls == 0,
	      "--help opens nothing");
	g_seen.ret = -EINVAL;
	CHECK(RUN_OPEN("io", "ramdisk:64MiB", "--slba", "0") == 1 && g_seen.dev_open &&
		  g_cli.args.dev == NULL,
	      "the sub-command fails: 1, the device closed all the same");
	g_seen.ret = 0;
}

static void
test_opt_attr(void)
{
	const struct xnvme_cli_opt_attr *attr;
	int nbad = 0;

	CHECK(!xnvme_cli_get_opt_attr(XNVME_CLI_OPT_NONE) &&
		  !xnvme_cli_get_opt_attr(XNVME_CLI_OPT_END) &&
		  !xnvme_cli_get_opt_attr((enum xnvme_cli_opt)94) &&
		  !xnvme_cli_get_opt_attr((enum xnvme_cli_opt) - 1),
	      "NONE, END, 94 and out of range: no attributes");
	for (int opt = 1; opt < XNVME_CLI_OPT_END; ++opt) {
		if (opt == 94) {
			continue;
		}
		attr = xnvme_cli_get_opt_attr((enum xnvme_cli_opt)opt);
		if (!attr || (int)attr->opt != opt || !attr->name || !attr->name[0] ||
		    !attr->descr) {
			printf("opt %d: bad attributes\n", opt);
			nbad++;
		}
	}
	CHECK(!nbad, "every other option has attributes of its own");
	attr = xnvme_cli_get_opt_attr(XNVME_CLI_OPT_SLBA);
	CHECK(attr && !strcmp(attr->name, "slba") && attr->vtype == XNVME_CLI_OPT_VTYPE_HEX,
	      "slba: hexadecimal");
	attr = xnvme_cli_get_opt_attr(XNVME_CLI_OPT_NLB);
	CHECK(attr && !strcmp(attr->name, "nlb") && attr->vtype == XNVME_CLI_OPT_VTYPE_NUM,
	      "nlb: decimal");
	attr = xnvme_cli_get_opt_attr(XNVME_CLI_OPT_DEV_NSID);
	CHECK(attr && !strcmp(attr->name, "dev-nsid"), "dev-nsid");
	attr = xnvme_cli_get_opt_attr(XNVME_CLI_OPT_POSA_TITLE);
	CHECK(attr && attr->vtype == XNVME_CLI_OPT_VTYPE_SKIP, "titles are SKIP");
}

static void
test_enumeration(void)
{
	struct xnvme_cli_enumeration *list = NULL;
	struct xnvme_ident ident = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *stream;

	CHECK(xnvme_cli_enumeration_alloc(NULL, 1) == -EINVAL, "alloc without a list: -EINVAL");
	CHECK(!xnvme_cli_enumeration_alloc(&list, 2) && list && list->capacity == 2 &&
		  list->nentries == 0,
	      "alloc: capacity 2, empty");
	snprintf(ident.uri, sizeof(ident.uri), "/dev/nvme0n1");
	ident.nsid = 1;
	CHECK(!xnvme_cli_enumeration_append(list, &ident) && list->nentries == 1 &&
		  list->capacity == 1,
	      "append: one entry, capacity 1 left");
	ident.nsid = 2;
	CHECK(!xnvme_cli_enumeration_append(list, &ident) && list->nentries == 2 &&
		  list->capacity == 0 && list->entries[1].nsid == 2,
	      "append: the second entry, copied");
	CHECK(xnvme_cli_enumeration_append(list, &ident) == -ENOMEM && list->nentries == 2,
	      "full: -ENOMEM");

	stream = open_memstream(&text, &len);
	CHECK(stream && xnvme_cli_enumeration_fpr(stream, list, XNVME_PR_DEF) > 0, "fpr writes");
	fclose(stream);
	CHECK(text && strstr(text, "xnvme_cli_enumeration:\n") && strstr(text, "nentries: 2") &&
		  strstr(text, "/dev/nvme0n1") && strstr(text, "nsid: 0x2"),
	      "fpr: the count and the entries");
	free(text);
	xnvme_cli_enumeration_free(list);
	xnvme_cli_enumeration_free(NULL);
}

static void
test_timer(void)
{
	uint64_t start, stop;

	start = xnvme_cli_timer_start(&g_cli);
	stop = xnvme_cli_timer_stop(&g_cli);
	CHECK(start == g_cli.timer.start && stop == g_cli.timer.stop && stop >= start,
	      "timer: monotonic samples kept in cli->timer");
	g_cli.timer.start = 0;
	g_cli.timer.stop = 2000000000ULL;
	CHECK(xnvme_timer_elapsed_secs(&g_cli.timer) == 2.0 &&
		  xnvme_timer_elapsed_msecs(&g_cli.timer) == 2000.0,
	      "timer: elapsed");
}

int
main(void)
{
	test_numbers();
	test_strings_flags();
	test_positional();
	test_errors_help();
	test_to_opts();
	test_dev_open();
	test_opt_attr();
	test_enumeration();
	test_timer();

	printf("%s: %d failed\n", g_nfail ? "FAIL" : "PASS", g_nfail);
	return g_nfail ? 1 : 0;
}
