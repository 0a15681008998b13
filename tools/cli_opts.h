/* SPDX-License-Identifier: BSD-3-Clause */
/* The option table every tool shares (cli_opts.c): an option means the same in every tool */
#ifndef __XNVME_CLI_OPTS_H
#define __XNVME_CLI_OPTS_H

#include "cli.h"

enum cli_opt_kind {
	CLI_KIND_FLAG,
	CLI_KIND_STR,
	CLI_KIND_NUM,
	CLI_KIND_FLAG_NUM, ///< A flag that may be followed by a number, ignored: xNVMe's "--direct
			   ///< 1"
};

struct cli_opt {
	const char *name; ///< The long name, without "--"
	enum cli_opt_kind kind;
	const char *meta; ///< Placeholder of the value in the help
	uint64_t max;     ///< Largest value of a number
	const char *help; ///< One line
	int same_as; ///< Another name of option (same_as - 1): its value goes there too; 0 none
};

/* The initializer of an option that is another name of option @p id */
#define CLI_SAME_AS(id) ((id) + 1)

/** Name, kind, range and help of every option, indexed by enum cli_opt_id */
extern const struct cli_opt g_cli_opts[CLI_OPT_NR];

/** The help line of option @p id: its table entry, with the names the library offers for --be and
 * the interface options */
const char *cli_opt_help(enum cli_opt_id id);

#endif
