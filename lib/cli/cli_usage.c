/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the command-line layer prints: the program's usage, a sub-command's help, the parsed
 * arguments, and the two message helpers programs use (xnvme_cli_pinf, xnvme_cli_perr).
 *
 * The help lists one argument per line, its form padded to a column and then its description:
 * `  <uri>`, `  --slba 0xNUM` for a required option, `  [ --nsid 0xNUM ]` for an optional one,
 * `  [ --verbose ]` for a flag. Section titles come where the sub-command's list puts them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli_internal.h"

#define CLI_USAGE_COL 30

int
cli_ver_pr(int opts)
{
	(void)opts;
	return printf("ver: {major: %d, minor: %d, patch: %d}", xnvme_ver_major(),
		      xnvme_ver_minor(), xnvme_ver_patch());
}

/* The version line closing every usage: "TITLE -- " and what cli->ver_pr prints */
static void
cli_usage_footer(const struct xnvme_cli *cli)
{
	printf("\n%s -- ", cli->title ? cli->title : "");
	(cli->ver_pr ? cli->ver_pr : cli_ver_pr)(XNVME_PR_DEF);
	printf("\n");
}

void
cli_usage_pr(const struct xnvme_cli *cli)
{
	const char *prog = cli->argc > 0 ? cli->argv[0] : "";
	int width = 16; /* the names' column: at least 16, and a space after the longest */

	for (int i = 0; i < cli->nsubs; ++i) {
		int len = cli->subs[i].name ? (int)strlen(cli->subs[i].name) : 0;

		width = len + 1 > width ? len + 1 : width;
	}

	printf("Usage: %s <command> [<args>]\n\n", prog);
	printf("Where <command> is one of:\n\n");
	for (int i = 0; i < cli->nsubs; ++i) {
		printf("  %-*s | %s\n", width, cli->subs[i].name ? cli->subs[i].name : "",
		       cli->subs[i].descr_short ? cli->subs[i].descr_short : "");
	}
	printf("\nSee '%s <command> --help' for the <args> of each command\n", prog);
	cli_usage_footer(cli);
}

/* One line of a sub-command's help: the argument's form padded, then its description */
static void
cli_usage_line(const struct xnvme_cli_sub_opt *sopt)
{
	const struct cli_opt_def *def = cli_opt_def(sopt->opt);
	const char *name = def ? def->attr.name : "?";
	const char *hold = def ? cli_vtype_placeholder(def->attr.vtype) : "";
	char form[128];

	switch (sopt->type) {
	case XNVME_CLI_POSA:
		snprintf(form, sizeof(form), "%s", name);
		break;
	case XNVME_CLI_LREQ:
		snprintf(form, sizeof(form), "--%s %s", name, hold);
		break;
	case XNVME_CLI_LFLG:
		snprintf(form, sizeof(form), "[ --%s ]", name);
		break;
	default:
		snprintf(form, sizeof(form), "[ --%s %s ]", name, hold);
		break;
	}
	printf("  %-*s; %s\n", CLI_USAGE_COL, form, def ? def->attr.descr : "");
}

void
cli_sub_usage_pr(const struct xnvme_cli *cli, const struct xnvme_cli_sub *sub)
{
	static const struct xnvme_cli_sub_opt help = {XNVME_CLI_OPT_HELP, XNVME_CLI_LFLG};
	const char *prog = cli->argc > 0 ? cli->argv[0] : "";
	int nopts = cli_sub_nopts(sub);

	printf("Usage: %s %s", prog, sub->name);
	for (int i = 0; i < nopts; ++i) {
		const struct cli_opt_def *def = cli_opt_def(sub->opts[i].opt);

		if (sub->opts[i].type == XNVME_CLI_POSA && def) {
			printf(" <%s>", def->attr.name);
		}
	}
	printf(" [<args>]\n\n%s\n", sub->descr_long ? sub->descr_long : "");

	for (int i = 0; i < nopts; ++i) {
		const struct cli_opt_def *def = cli_opt_def(sub->opts[i].opt);

		if (sub->opts[i].type != XNVME_CLI_SKIP) {
			cli_usage_line(&sub->opts[i]);
		} else if (def && def->kind == CLI_KIND_NONE) {
			printf("\n%s\n\n", def->attr.name);
		}
	}
	cli_usage_line(&help);

	printf("\nSee '%s --help' for the other commands\n", prog);
	cli_usage_footer(cli);
}

void
xnvme_cli_pinf(const char *format, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, format);
	vprintf(format, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void
xnvme_cli_perr(const char *msg, int err)
{
	fflush(stdout);
	fprintf(stderr, "# ERR: '%s': {errno: %d, msg: '%s'}\n", msg ? msg : "(null)", err,
		strerror(abs(err)));
	fflush(stderr);
}

void
xnvme_cli_args_pr(struct xnvme_cli_args *args, int opts)
{
	(void)opts;
	if (!args) {
		printf("xnvme_cli_args: ~\n");
		return;
	}
	/* Only what is set; with nothing set the mapping is empty, which YAML reads as null */
	printf("xnvme_cli_args:\n");
	for (int opt = XNVME_CLI_OPT_NONE + 1; opt < XNVME_CLI_OPT_END; ++opt) {
		const struct cli_opt_def *def = cli_opt_def((enum xnvme_cli_opt)opt);

		if (!def || opt == XNVME_CLI_OPT_HELP) {
			continue;
		}
		/* The two URI options share their name; the member's name tells them apart */
		cli_opt_fpr(stdout, opt == XNVME_CLI_OPT_SYS_URI ? "sys_uri" : def->attr.name, args,
			    def);
	}
}
