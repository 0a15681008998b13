/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * The shared command-line layer of the tools: sub-command tables, device options, number parsing,
 * help text and error reporting. Exit codes: 0 success, 1 the operation failed, 2 usage error.
 */
#ifndef __XNVME_CLI_H
#define __XNVME_CLI_H

#include <stdint.h>
#include <libxnvme.h>

#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1
#define CLI_EXIT_USAGE 2

struct cli_args {
	const char *uri; ///< The device identifier: the first positional argument
	struct xnvme_opts opts;
	int nsid_given;
};

struct cli_cmd {
	const char *name;
	const char *descr;
	int needs_uri;
	int (*func)(struct cli_args *args);
};

struct cli_tool {
	const char *name;
	const char *descr;
	const struct cli_cmd *cmds;
	int ncmds;
};

/** Parses argv and runs the sub-command; returns the process exit code */
int cli_main(const struct cli_tool *tool, int argc, char **argv);

/** One line on stderr: "<tool> <cmd>: error: <message>" */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Opens args->uri with args->opts; prints the error line and returns NULL on failure */
struct xnvme_dev *cli_dev_open(struct cli_args *args);

/** Parses a decimal or 0x-hex number in [0, max]; -EINVAL on garbage, sign or overflow */
int cli_parse_u64(const char *str, uint64_t max, uint64_t *val);

#endif
