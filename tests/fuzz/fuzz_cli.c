/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command lines: the library's parser (xnvme_cli_run, lib/cli) and the tools' (cli_main,
 * tools/cli.c, with the YAML-to-JSON converter behind their --output json) on arbitrary input.
 *
 * Input: by its first byte. 0x01: the rest is a command line for the tools' parser; 0x02: the
 * rest is a YAML document for cli_yaml_to_json(); anything else: the whole input is a command
 * line for the library's parser. A command line is argv[1..] after a fixed program name, its
 * arguments separated by NUL bytes.
 *
 * The library's program has sub-commands that cover every option the library knows, as every
 * kind of entry (positional, flag, optional, required, section title), an empty list and a list
 * with an entry that is not an option. The tools' program has commands that accept every option,
 * none, one, two or an optional second positional argument. Devices are never opened (no
 * XNVME_CLI_INIT_DEV_OPEN; the tools' commands are the fuzzer's own): the commands only check
 * what the parser left them and print it, as YAML, for --output json.
 */
#include <errno.h>
#include <getopt.h>
#include <libxnvme.h>
#include "cli.h"
#include "fuzz_common.h"

#define FUZZ_CLI_ARGS_MAX 64

static char *g_argv[FUZZ_CLI_ARGS_MAX + 2];
static int g_argc;

/* A string the parser stored is one of argv's, or a part of one (--name=VALUE) */
static int
in_argv(const char *str)
{
	for (int i = 0; i < g_argc; ++i) {
		if (str >= g_argv[i] && str <= g_argv[i] + strlen(g_argv[i])) {
			return 1;
		}
	}
	return 0;
}

static int
sub_check(struct xnvme_cli *cli)
{
	const struct xnvme_cli_args *args = &cli->args;
	const char *strs[] = {
	    args->uri,        args->sys_uri,     args->subnqn,     args->hostnqn,
	    args->cmd_input,  args->cmd_output,  args->data_input, args->data_output,
	    args->meta_input, args->meta_output, args->be,         args->mem,
	    args->sync,       args->async,       args->admin,      args->core_mask,
	    args->adrfam,     args->kv_key,      args->kv_val};
	struct xnvme_opts opts = xnvme_opts_default();

	FUZZ_ASSERT(cli->sub && args->dev == NULL);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); ++i) {
		FUZZ_ASSERT(!strs[i] || in_argv(strs[i]));
	}
	for (int opt = 0; opt < XNVME_CLI_OPT_END; ++opt) {
		FUZZ_ASSERT(!cli->given[opt] || xnvme_cli_get_opt_attr((enum xnvme_cli_opt)opt));
	}
	FUZZ_ASSERT(!(args->kv_store_add && args->kv_store_update));
	FUZZ_ASSERT(!xnvme_cli_to_opts(cli, &opts));
	FUZZ_ASSERT(!cli->given[XNVME_CLI_OPT_BE] || opts.be == args->be);
	xnvme_cli_args_pr(&cli->args, XNVME_PR_DEF);
	/* The exit status is the sub-command's to pick: use the input's */
	return args->seed & 1 ? -EINVAL : 0;
}

static struct xnvme_cli_sub g_subs[7];

/* Every option the library knows, as entries of type @p type */
static void
sub_all(struct xnvme_cli_sub *sub, const char *name, enum xnvme_cli_opt_type type)
{
	int n = 0;

	sub->name = name;
	sub->descr_short = "Every option";
	sub->descr_long = "Every option the library knows, as one kind of entry";
	sub->command = sub_check;
	sub->opts[n++] = (struct xnvme_cli_sub_opt){XNVME_CLI_OPT_POSA_TITLE, XNVME_CLI_SKIP};
	for (int opt = 1; opt < XNVME_CLI_OPT_END && n < XNVME_CLI_SUB_OPTS_LEN; ++opt) {
		const struct xnvme_cli_opt_attr *attr = xnvme_cli_get_opt_attr(opt);

		if (!attr || attr->vtype == XNVME_CLI_OPT_VTYPE_SKIP) {
			continue;
		}
		sub->opts[n++] = (struct xnvme_cli_sub_opt){(enum xnvme_cli_opt)opt, type};
	}
}

/* Positional arguments of every value type, then every option with a type by its number */
static void
sub_mixed(struct xnvme_cli_sub *sub)
{
	static const enum xnvme_cli_opt_type types[] = {XNVME_CLI_LFLG, XNVME_CLI_LOPT,
							XNVME_CLI_LOPT, XNVME_CLI_LREQ};
	int n = 0;

	sub->name = "mixed";
	sub->descr_short = "Positional arguments and options of each kind";
	sub->descr_long = "";
	sub->command = sub_check;
	sub->opts[n++] = (struct xnvme_cli_sub_opt){XNVME_CLI_OPT_URI, XNVME_CLI_POSA};
	sub->opts[n++] = (struct xnvme_cli_sub_opt){XNVME_CLI_OPT_SLBA, XNVME_CLI_POSA};
	sub->opts[n++] = (struct xnvme_cli_sub_opt){XNVME_CLI_OPT_DATA_INPUT, XNVME_CLI_POSA};
	sub->opts[n++] = (struct xnvme_cli_sub_opt){XNVME_CLI_OPT_CSS, XNVME_CLI_POSA};
	sub->opts[n++] = (struct xnvme_cli_sub_opt){XNVME_CLI_OPT_NON_POSA_TITLE, XNVME_CLI_SKIP};
	for (int opt = 1; opt < XNVME_CLI_OPT_END && n < XNVME_CLI_SUB_OPTS_LEN; ++opt) {
		const struct xnvme_cli_opt_attr *attr = xnvme_cli_get_opt_attr(opt);

		if (!attr || attr->vtype == XNVME_CLI_OPT_VTYPE_SKIP) {
			continue;
		}
		sub->opts[n++] =
		    (struct xnvme_cli_sub_opt){(enum xnvme_cli_opt)opt, types[opt % 4]};
	}
	/* Listed twice: one candidate for prefix matching */
	if (n < XNVME_CLI_SUB_OPTS_LEN) {
		sub->opts[n++] = (struct xnvme_cli_sub_opt){XNVME_CLI_OPT_NSID, XNVME_CLI_LOPT};
	}
}

static struct xnvme_cli g_cli = {
    .title = "fuzz",
    .descr_short = "The library's CLI parser under libFuzzer",
    .descr_long = "",
    .nsubs = sizeof(g_subs) / sizeof(g_subs[0]),
    .subs = g_subs,
};

/* A command of the tools' program: what the parser left must be the command line's own */
static int
tool_check(struct cli_args *args)
{
	FUZZ_ASSERT(!args->uri || in_argv(args->uri));
	FUZZ_ASSERT(!args->uri2 || in_argv(args->uri2));
	for (int id = 0; id < CLI_OPT_NR; ++id) {
		FUZZ_ASSERT(!args->str[id] || in_argv(args->str[id]));
	}
	/* Some YAML of what was given, for --output json to convert */
	printf("fuzz:\n  uri: ");
	cli_yaml_str(stdout, args->uri ? args->uri : "");
	printf("\n  given: %#llx\n  nsid: %u\n  list:\n", (unsigned long long)args->given,
	       args->opts.nsid);
	for (int id = 0; id < CLI_OPT_NR; ++id) {
		if (cli_given(args, id) && args->str[id]) {
			printf("    - ");
			cli_yaml_str(stdout, args->str[id]);
			printf("\n");
		}
	}
	return cli_num(args, CLI_OPT_NSID, 0) & 1 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* The tools' table of options sets the bit of each; every command here takes --help too */
#define TOOL_ALL_OPTS (~(cli_optset)0 >> (128 - CLI_OPT_NR))

static const struct cli_cmd g_tool_cmds[] = {
    {"all", "Every option, one URI", tool_check, TOOL_ALL_OPTS, 1, CLI_CMD_NSID_OPENS},
    {"none", "No option, no argument", tool_check, 0, 0, 0},
    {"dev", "The device options, two arguments", tool_check, CLI_OPTS_DEV, 2, 0},
    {"opt2", "Output and numbers, an optional second", tool_check,
     CLI_OPT(CLI_OPT_OUTPUT) | CLI_OPT(CLI_OPT_SLBA) | CLI_OPT(CLI_OPT_DIRECT), CLI_ARGS_URI_OPT2,
     0},
};

static const struct cli_tool g_tool = {
    .name = "fuzz",
    .descr = "The tools' parser under libFuzzer",
    .cmds = g_tool_cmds,
    .ncmds = sizeof(g_tool_cmds) / sizeof(g_tool_cmds[0]),
};

/*
 * getopt keeps its place between calls (a cluster of short options half read): a tool parses
 * one command line per process, the fuzzer many; optind 0 makes the next call start over
 */
static void
getopt_reset(void)
{
	char *argv[] = {"fuzz", NULL};

	optind = 0;
	(void)getopt_long(1, argv, "", NULL, NULL);
}

static void
run_yaml(const uint8_t *data, size_t size)
{
	char *yaml = malloc(size + 1);

	FUZZ_ASSERT(yaml);
	memcpy(yaml, data, size);
	yaml[size] = '\0';
	(void)cli_yaml_to_json(yaml, fuzz_devnull());
	free(yaml);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_devnull();
	sub_all(&g_subs[0], "lopt", XNVME_CLI_LOPT);
	sub_all(&g_subs[1], "lflg", XNVME_CLI_LFLG);
	sub_all(&g_subs[2], "lreq", XNVME_CLI_LREQ);
	sub_mixed(&g_subs[3]);
	g_subs[4] = (struct xnvme_cli_sub){"none", "No option", "", sub_check, {{0}}};
	/* An entry that is not an option: the parser refuses the list, it does not crash */
	g_subs[5] = (struct xnvme_cli_sub){
	    "broken",
	    "Not an option",
	    "",
	    sub_check,
	    {{XNVME_CLI_OPT_URI, XNVME_CLI_POSA}, {(enum xnvme_cli_opt)94, XNVME_CLI_LOPT}}};
	/* No function: xnvme_cli_run() says -ENOSYS */
	g_subs[6] = (struct xnvme_cli_sub){
	    "nofunc", "No function", "", NULL, {{XNVME_CLI_OPT_URI, XNVME_CLI_POSA}}};
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int tools = size && data[0] == 0x01;
	char *text;
	size_t pos = 0;
	int rc;

	if (size && data[0] == 0x02) {
		run_yaml(data + 1, size - 1);
		return 0;
	}
	if (tools) {
		data++;
		size--;
	}
	text = malloc(size + 1);
	FUZZ_ASSERT(text);
	memcpy(text, data, size);
	text[size] = '\0';
	g_argv[0] = "fuzz";
	g_argc = 1;
	/* Each NUL ends an argument; the last runs to the end of the input */
	while (pos <= size && g_argc <= FUZZ_CLI_ARGS_MAX) {
		g_argv[g_argc++] = &text[pos];
		pos += strlen(&text[pos]) + 1;
	}
	if (size == 0) {
		g_argc = 1; /* no argument at all: the usage */
	}
	g_argv[g_argc] = NULL;

	if (tools) {
		getopt_reset();
		rc = cli_main(&g_tool, g_argc, g_argv);
		FUZZ_ASSERT(rc == CLI_EXIT_OK || rc == CLI_EXIT_FAIL || rc == CLI_EXIT_USAGE);
	} else {
		rc = xnvme_cli_run(&g_cli, g_argc, g_argv, XNVME_CLI_INIT_NONE);
		FUZZ_ASSERT(rc == 0 || rc == 1 || rc == -1);
		FUZZ_ASSERT(g_cli.args.dev == NULL);
	}
	free(text);
	return 0;
}
