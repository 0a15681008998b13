/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parsing a sub-command's command line into struct xnvme_cli_args, by the sub-command's option
 * list. Long options only: `--name VALUE`, `--name=VALUE`, `--name` for flags; a unique prefix of
 * a name is enough (an exact name always wins); options and positional arguments mix freely and
 * `--` ends the options. `-h` and `--help` ask for the help. Nothing global is used, so a program
 * may run xnvme_cli_run() more than once.
 *
 * Checks, in order, each stopping the parse with a message: unknown, ambiguous or malformed
 * options and values; then --help (which skips the rest); the number of positional arguments and
 * their values; the required options; options that exclude each other.
 */
#include <errno.h>
#include <string.h>
#include "cli_internal.h"

/* What a sub-command accepts, gathered from its option list */
struct cli_decl {
	const struct cli_opt_def *pos[XNVME_CLI_SUB_OPTS_LEN];
	const struct xnvme_cli_sub_opt *opt[XNVME_CLI_SUB_OPTS_LEN];
	int npos;
	int nopt;
};

int
cli_sub_nopts(const struct xnvme_cli_sub *sub)
{
	int nopts = 0;

	while (nopts < XNVME_CLI_SUB_OPTS_LEN && sub->opts[nopts].opt != XNVME_CLI_OPT_NONE) {
		nopts++;
	}
	return nopts;
}

static int
cli_decl_init(struct cli_decl *decl, const struct xnvme_cli_sub *sub)
{
	int nopts = cli_sub_nopts(sub);

	decl->npos = 0;
	decl->nopt = 0;
	for (int i = 0; i < nopts; ++i) {
		const struct xnvme_cli_sub_opt *sopt = &sub->opts[i];
		const struct cli_opt_def *def = cli_opt_def(sopt->opt);

		if (sopt->type == XNVME_CLI_SKIP) {
			continue;
		}
		if (!def || def->kind == CLI_KIND_NONE) {
			xnvme_cli_pinf(
			    "Sub-command '%s': entry %d of its list, %d, is not an option",
			    sub->name, i, (int)sopt->opt);
			return -EINVAL;
		}
		if (sopt->type == XNVME_CLI_POSA) {
			decl->pos[decl->npos++] = def;
		} else {
			decl->opt[decl->nopt++] = sopt;
		}
	}
	return 0;
}

/*
 * The declared option named @p name (@p len characters): the exact name, else the only one it is
 * a prefix of. --help is every sub-command's. NULL with *ambiguous set when several match.
 */
static const struct xnvme_cli_sub_opt *
cli_decl_find(const struct cli_decl *decl, const char *name, size_t len, int *ambiguous)
{
	static const struct xnvme_cli_sub_opt help = {XNVME_CLI_OPT_HELP, XNVME_CLI_LFLG};
	const struct xnvme_cli_sub_opt *found = NULL;
	int nfound = 0;

	*ambiguous = 0;
	for (int i = 0; i <= decl->nopt; ++i) {
		const struct xnvme_cli_sub_opt *sopt = i < decl->nopt ? decl->opt[i] : &help;
		const char *cand = cli_opt_def(sopt->opt)->attr.name;

		if (strncmp(cand, name, len)) {
			continue;
		}
		if (!cand[len]) {
			return sopt;
		}
		/* A sub-command may list the same option twice; that is one candidate */
		if (!found || found->opt != sopt->opt) {
			nfound++;
		}
		found = sopt;
	}
	if (nfound > 1) {
		*ambiguous = 1;
		return NULL;
	}
	return found;
}

/* One `--name[=value]` at argv[*idx]; may take argv[*idx + 1] as its value */
static int
cli_parse_long(struct xnvme_cli *cli, const struct cli_decl *decl, int argc, char **argv, int *idx)
{
	const char *arg = argv[*idx];
	const char *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct xnvme_cli_sub_opt *sopt;
	const struct cli_opt_def *def;
	const char *val = NULL;
	int ambiguous;

	sopt = cli_decl_find(decl, name, len, &ambiguous);
	if (!sopt) {
		xnvme_cli_pinf("%s option: '%.*s', see: --help",
			       ambiguous ? "Ambiguous" : "Unknown", (int)len + 2, arg);
		return -EINVAL;
	}
	def = cli_opt_def(sopt->opt);

	if (sopt->type == XNVME_CLI_LFLG) {
		if (eq) {
			xnvme_cli_pinf("Option '--%s' takes no value", def->attr.name);
			return -EINVAL;
		}
	} else if (eq) {
		val = eq + 1;
	} else if (*idx + 1 < argc) {
		*idx += 1;
		val = argv[*idx];
	} else {
		xnvme_cli_pinf("Option '--%s' needs a value (%s)", def->attr.name,
			       cli_vtype_placeholder(def->attr.vtype));
		return -EINVAL;
	}

	if (cli_opt_store(&cli->args, def, val)) {
		xnvme_cli_pinf("Invalid value for '--%s': '%s', expected %s", def->attr.name, val,
			       cli_vtype_placeholder(def->attr.vtype));
		return -EINVAL;
	}
	cli->given[def->attr.opt] = 1;
	return 0;
}

int
cli_parse(struct xnvme_cli *cli, const struct xnvme_cli_sub *sub, int argc, char **argv)
{
	const char *posv[XNVME_CLI_SUB_OPTS_LEN];
	struct cli_decl decl;
	int nposv = 0;
	int opts_end = 0;
	int err;

	err = cli_decl_init(&decl, sub);
	if (err) {
		return err;
	}

	for (int idx = 0; idx < argc; ++idx) {
		const char *arg = argv[idx];

		if (opts_end || arg[0] != '-' || !arg[1]) {
			if (nposv < XNVME_CLI_SUB_OPTS_LEN) {
				posv[nposv] = arg;
			}
			nposv++;
		} else if (!strcmp(arg, "--")) {
			opts_end = 1;
		} else if (!strcmp(arg, "-h")) {
			cli->given[XNVME_CLI_OPT_HELP] = 1;
		} else if (arg[1] == '-') {
			err = cli_parse_long(cli, &decl, argc, argv, &idx);
			if (err) {
				return err;
			}
		} else {
			xnvme_cli_pinf("Unknown option: '%s', see: --help", arg);
			return -EINVAL;
		}
	}

	if (cli->given[XNVME_CLI_OPT_HELP]) {
		cli->args.help = 1;
		return 1;
	}

	if (nposv != decl.npos) {
		xnvme_cli_pinf("Expected %d positional argument%s, got %d, see: --help", decl.npos,
			       decl.npos == 1 ? "" : "s", nposv);
		return -EINVAL;
	}
	for (int i = 0; i < nposv; ++i) {
		const struct cli_opt_def *def = decl.pos[i];

		if (cli_opt_store(&cli->args, def, posv[i])) {
			xnvme_cli_pinf("Invalid value for <%s>: '%s', expected %s", def->attr.name,
				       posv[i], cli_vtype_placeholder(def->attr.vtype));
			return -EINVAL;
		}
		cli->given[def->attr.opt] = 1;
	}

	for (int i = 0; i < decl.nopt; ++i) {
		const struct cli_opt_def *def = cli_opt_def(decl.opt[i]->opt);

		if (decl.opt[i]->type == XNVME_CLI_LREQ && !cli->given[def->attr.opt]) {
			xnvme_cli_pinf("Missing required option: '--%s', see: --help",
				       def->attr.name);
			return -EINVAL;
		}
	}

	/* A key-value store is either an update or an add, not both */
	if (cli->args.kv_store_update && cli->args.kv_store_add) {
		xnvme_cli_pinf("Options '--%s' and '--%s' exclude each other",
			       cli_opt_def(XNVME_CLI_OPT_KV_STORE_UPDATE)->attr.name,
			       cli_opt_def(XNVME_CLI_OPT_KV_STORE_ADD)->attr.name);
		return -EINVAL;
	}

	return 0;
}
