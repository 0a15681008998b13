/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: what the files of the command-line layer (lib/cli/) share. Not exported.
 *
 * Each option is one row of a table (cli_opt.c): its public attributes and where its value lives in
 * struct xnvme_cli_args (offset, width, kind), so parsing, storing and printing a value is written
 * once for all options.
 */
#ifndef __XNVME_CLI_INTERNAL_H
#define __XNVME_CLI_INTERNAL_H

#include <stdint.h>
#include <libxnvme.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/** What kind of member of struct xnvme_cli_args an option fills */
enum cli_kind {
	CLI_KIND_NONE, ///< None: a help section title
	CLI_KIND_STR,  ///< const char *, pointing into argv
	CLI_KIND_BOOL, ///< bool: true when the value is non-zero
	CLI_KIND_UINT, ///< unsigned integer of 1, 4 or 8 bytes
	CLI_KIND_CSS,  ///< struct xnvme_opts_css: value, and given set to 1
};

struct cli_opt_def {
	struct xnvme_cli_opt_attr attr;
	uint16_t off;  ///< Offset of the member in struct xnvme_cli_args
	uint8_t width; ///< sizeof the member (CLI_KIND_UINT)
	uint8_t kind;  ///< enum cli_kind
};

/** The row of @p opt, or NULL when @p opt is not an option */
const struct cli_opt_def *cli_opt_def(enum xnvme_cli_opt opt);

/**
 * Stores @p val, the text given for @p def, into @p args, parsed by the option's value type;
 * @p val NULL means the option was given as a flag. Returns 0, or -EINVAL when @p val is not a
 * number of the option's type or does not fit its member.
 */
int cli_opt_store(struct xnvme_cli_args *args, const struct cli_opt_def *def, const char *val);

/**
 * Prints "  @p key: VALUE" and a newline to @p stream when the member of @p def in @p args is set
 * (not zero, false or NULL); returns the number of characters written, 0 when nothing was.
 */
int cli_opt_fpr(FILE *stream, const char *key, const struct xnvme_cli_args *args,
		const struct cli_opt_def *def);

/** How the help shows a value of type @p vtype: NUM, 0xNUM, FILE, STRING, uri */
const char *cli_vtype_placeholder(enum xnvme_cli_opt_value_type vtype);

/** The number of entries of @p sub's option list: up to the first XNVME_CLI_OPT_NONE */
int cli_sub_nopts(const struct xnvme_cli_sub *sub);

/**
 * Parses the command line of @p sub, @p argv[0 .. @p argc - 1] (after the sub-command's name), into
 * cli->args and cli->given. Returns 0; 1 when --help was given (nothing else is checked then);
 * -EINVAL when the command line is wrong, after printing why.
 */
int cli_parse(struct xnvme_cli *cli, const struct xnvme_cli_sub *sub, int argc, char **argv);

/** The version printer of programs that set none: "ver: {major: M, minor: N, patch: P}", no newline
 */
int cli_ver_pr(int opts);

/** Prints the usage of the program: its sub-commands */
void cli_usage_pr(const struct xnvme_cli *cli);

/** Prints the help of @p sub: its positional arguments and options */
void cli_sub_usage_pr(const struct xnvme_cli *cli, const struct xnvme_cli_sub *sub);

#pragma GCC visibility pop

#endif
