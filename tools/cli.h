/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * The command-line layer shared by the tools (xnvme, and later lblk, zoned, kvs, xnvme_file):
 * sub-command tables, one option table, number parsing, generated help, error reporting.
 *
 * Every tool uses the same option table so that an option means the same thing in every tool;
 * a sub-command lists the options it accepts, and anything else is a usage error.
 *
 * Conventions (docs/cli.md): YAML on stdout, nothing else; errors are one line on stderr,
 * "<tool> <command>: error: <message>". Exit codes below.
 */
#ifndef __XNVME_CLI_H
#define __XNVME_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <libxnvme.h>

#define CLI_EXIT_OK    0 ///< Success
#define CLI_EXIT_FAIL  1 ///< The operation failed: device, library or OS error
#define CLI_EXIT_USAGE 2 ///< Usage error: bad option, value, sub-command or missing argument

/** The options known to every tool; a tool's new options are added here and to cli.c's table */
enum cli_opt_id {
	CLI_OPT_BE,
	CLI_OPT_ADMIN,
	CLI_OPT_SYNC,
	CLI_OPT_ASYNC,
	CLI_OPT_MEM,
	CLI_OPT_NSID,
	CLI_OPT_DIRECT,
	CLI_OPT_RDONLY,
	CLI_OPT_SUBNQN,
	CLI_OPT_HOSTNQN,
	CLI_OPT_OUTPUT,
	CLI_OPT_HELP,
	CLI_OPT_NR,
};

#define CLI_OPT(id) (UINT64_C(1) << (id))

/** The options that pick the backend and interfaces and say how to open the device */
#define CLI_OPTS_DEV                                                                               \
	(CLI_OPT(CLI_OPT_BE) | CLI_OPT(CLI_OPT_ADMIN) | CLI_OPT(CLI_OPT_SYNC) |                    \
	 CLI_OPT(CLI_OPT_ASYNC) | CLI_OPT(CLI_OPT_MEM) | CLI_OPT(CLI_OPT_NSID) |                   \
	 CLI_OPT(CLI_OPT_DIRECT) | CLI_OPT(CLI_OPT_RDONLY) | CLI_OPT(CLI_OPT_SUBNQN) |             \
	 CLI_OPT(CLI_OPT_HOSTNQN))

/** What the command line said; handed to the sub-command */
struct cli_args {
	const char *uri;             ///< The device identifier: the first positional argument
	uint64_t given;              ///< CLI_OPT() bits of the options given
	const char *str[CLI_OPT_NR]; ///< Values of the string options given
	uint64_t num[CLI_OPT_NR];    ///< Values of the number options given
	struct xnvme_opts opts; ///< Device options: the defaults, nsid 0, then the options given
};

struct cli_cmd {
	const char *name;
	const char *descr; ///< One line, shown in the tool's and the sub-command's help
	int (*func)(struct cli_args *args); ///< Returns an exit code
	uint64_t opts; ///< CLI_OPT() bits of the options accepted; --help always is
	int needs_uri; ///< Takes the device identifier as its positional argument
};

struct cli_tool {
	const char *name;
	const char *descr;
	const struct cli_cmd *cmds;
	size_t ncmds;
};

/** Parses argv, runs the sub-command and checks that its output was written; returns the exit code
 */
int cli_main(const struct cli_tool *tool, int argc, char **argv);

/** Prints one line on stderr: "<tool> <command>: error: <message>" */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Opens args->uri with args->opts; on failure prints the error line and returns NULL */
struct xnvme_dev *cli_dev_open(struct cli_args *args);

/**
 * Parses a decimal or 0x-hex number no larger than @p max into @p val. A leading 0 is decimal,
 * not octal. Returns 0, -EINVAL for anything not a number (empty, blanks, sign, trailing
 * characters) or -ERANGE when larger than @p max.
 */
int cli_parse_u64(const char *str, uint64_t max, uint64_t *val);

/** Writes @p str as a YAML double-quoted scalar, escaping what YAML or the terminal would trip on
 */
int cli_yaml_str(FILE *stream, const char *str);

#endif
