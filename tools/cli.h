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
	/* Command fields */
	CLI_OPT_SLBA,
	CLI_OPT_NLB,
	CLI_OPT_SDLBA,
	CLI_OPT_RANGES,
	CLI_OPT_LIMIT,
	CLI_OPT_EXTENDED,
	CLI_OPT_ALL,
	CLI_OPT_CNS,
	CLI_OPT_CNTID,
	CLI_OPT_CSI,
	CLI_OPT_LID,
	CLI_OPT_LSP,
	CLI_OPT_LPO,
	CLI_OPT_FID,
	CLI_OPT_SEL,
	CLI_OPT_FEAT,
	CLI_OPT_SAVE,
	CLI_OPT_LBAF,
	CLI_OPT_SES,
	CLI_OPT_PI,
	CLI_OPT_PIL,
	CLI_OPT_MSET,
	CLI_OPT_SANACT,
	CLI_OPT_AUSE,
	CLI_OPT_OVRPAT,
	CLI_OPT_STC,
	CLI_OPT_OPCODE,
	CLI_OPT_CDW10,
	CLI_OPT_CDW11,
	CLI_OPT_CDW12,
	CLI_OPT_CDW13,
	CLI_OPT_CDW14,
	CLI_OPT_CDW15,
	CLI_OPT_KEY,
	CLI_OPT_VALUE,
	CLI_OPT_ONLY_ADD,
	CLI_OPT_ONLY_UPDATE,
	/* Data */
	CLI_OPT_CMD_INPUT,
	CLI_OPT_CMD_OUTPUT,
	CLI_OPT_DATA_INPUT,
	CLI_OPT_DATA_OUTPUT,
	CLI_OPT_DATA_NBYTES,
	CLI_OPT_META_INPUT,
	CLI_OPT_META_OUTPUT,
	CLI_OPT_META_NBYTES,
	CLI_OPT_IOSIZE,
	CLI_OPT_QDEPTH,
	/* Benchmarks */
	CLI_OPT_RW,
	CLI_OPT_BS,
	CLI_OPT_RUNTIME,
	CLI_OPT_IOS,
	CLI_OPT_THREADS,
	CLI_OPT_RWMIX,
	CLI_OPT_REGISTER,
	CLI_OPT_POLL,
	CLI_OPT_SQPOLL,
	CLI_OPT_NO_LAT,
	CLI_OPT_SPIN,
	CLI_OPT_REAP,
	CLI_OPT_BATCH,
	/* xNVMe 0.7.5's options that ours did not have (docs/cli.md, "xNVMe's verbs and options")
	 */
	CLI_OPT_DEV_NSID,
	CLI_OPT_URI,
	CLI_OPT_FLAGS,
	CLI_OPT_SETID,
	CLI_OPT_UUID,
	CLI_OPT_RAE,
	CLI_OPT_LPO_NBYTES,
	CLI_OPT_CDW0,
	CLI_OPT_CDW1,
	CLI_OPT_CDW2,
	CLI_OPT_CDW3,
	CLI_OPT_CDW4,
	CLI_OPT_CDW5,
	CLI_OPT_CDW6,
	CLI_OPT_CDW7,
	CLI_OPT_CDW8,
	CLI_OPT_CDW9,
	CLI_OPT_VERBOSE,
	CLI_OPT_LBAFL,
	CLI_OPT_LBAFU,
	CLI_OPT_OWPASS,
	CLI_OPT_OIPBP,
	CLI_OPT_NODAS,
	CLI_OPT_AD,
	CLI_OPT_IDW,
	CLI_OPT_IDR,
	CLI_OPT_LLB,
	CLI_OPT_LSI,
	CLI_OPT_PID,
	CLI_OPT_DSPEC,
	CLI_OPT_DTYPE,
	CLI_OPT_DOPER,
	CLI_OPT_ENDIR,
	CLI_OPT_TGTDIR,
	CLI_OPT_NSR,
	CLI_OPT_PRACT,
	CLI_OPT_PRCHK,
	CLI_OPT_APPTAG,
	CLI_OPT_APPTAG_MASK,
	CLI_OPT_ZSA,
	CLI_OPT_COMPRESS,
	CLI_OPT_VEC_CNT,
	CLI_OPT_OFFSET,
	CLI_OPT_HELP,
	CLI_OPT_NR,
};

/*
 * A set of options, one bit per enum cli_opt_id. More than 64 options exist, so 128 bits: a
 * GCC/Clang extension, the compilers the project builds with; a static assert guards the width.
 */
__extension__ typedef unsigned __int128 cli_optset;

#define CLI_OPT(id) ((cli_optset)1 << (id))

/** The options that pick the backend and interfaces and say how to open the device */
#define CLI_OPTS_DEV                                                                               \
	(CLI_OPT(CLI_OPT_BE) | CLI_OPT(CLI_OPT_ADMIN) | CLI_OPT(CLI_OPT_SYNC) |                    \
	 CLI_OPT(CLI_OPT_ASYNC) | CLI_OPT(CLI_OPT_MEM) | CLI_OPT(CLI_OPT_NSID) |                   \
	 CLI_OPT(CLI_OPT_DIRECT) | CLI_OPT(CLI_OPT_RDONLY) | CLI_OPT(CLI_OPT_SUBNQN) |             \
	 CLI_OPT(CLI_OPT_HOSTNQN) | CLI_OPT(CLI_OPT_DEV_NSID))

_Static_assert(CLI_OPT_NR <= 128, "cli_optset holds 128 options");

/** Output formats of --output */
enum cli_output {
	CLI_OUTPUT_YAML = 0,
	CLI_OUTPUT_JSON,
};

/** What the command line said; handed to the sub-command */
struct cli_args {
	const char *uri;  ///< The device identifier: the first positional argument
	const char *uri2; ///< The second positional argument, for commands taking two (nargs 2)
	cli_optset given; ///< CLI_OPT() bits of the options given
	const char *str[CLI_OPT_NR]; ///< Values of the string options given
	uint64_t num[CLI_OPT_NR];    ///< Values of the number options given
	struct xnvme_opts opts; ///< Device options: the defaults, nsid 0, then the options given
	enum cli_output output; ///< --output
};

/** Whether option @p id was given */
static inline int
cli_given(const struct cli_args *args, enum cli_opt_id id)
{
	return (args->given & CLI_OPT(id)) != 0;
}

/** The value of number option @p id, or @p dflt when it was not given */
static inline uint64_t
cli_num(const struct cli_args *args, enum cli_opt_id id, uint64_t dflt)
{
	return cli_given(args, id) ? args->num[id] : dflt;
}

struct cli_cmd {
	const char *name;
	const char *descr; ///< One line, shown in the tool's and the sub-command's help
	int (*func)(struct cli_args *args); ///< Returns an exit code
	cli_optset opts; ///< CLI_OPT() bits of the options accepted; --help always is
	int needs_uri;   ///< Positional arguments: 0, 1 (URI), 2 (URI and a second, e.g. SRC DST)
			 ///< or CLI_ARGS_URI_OPT2 (URI and an optional second)
	unsigned flags;  ///< CLI_CMD_*
};

/** needs_uri: the URI and, optionally, a second positional argument */
#define CLI_ARGS_URI_OPT2 3

/**
 * The command sends no command of its own (info): --nsid picks the namespace the device is
 * opened with, as --dev-nsid does. Elsewhere --nsid is only the commands' namespace field, as in
 * xNVMe 0.7.5's tools.
 */
#define CLI_CMD_NSID_OPENS 0x1

struct cli_tool {
	const char *name;
	const char *descr;
	const struct cli_cmd *cmds;
	size_t ncmds;
};

/**
 * Reports the result of a command: with a device status, its completion on stderr and the error
 * line "<what> failed: <status name>"; with only @p err, "<what> failed: <strerror>". Returns the
 * exit code: CLI_EXIT_OK when the command succeeded.
 */
int cli_cmd_result(struct xnvme_cmd_ctx *ctx, int err, const char *what);

/** cli_cmd_result(), with @p hint (or NULL) after the device's status in the error line */
int cli_cmd_result_hint(struct xnvme_cmd_ctx *ctx, int err, const char *what, const char *hint);

/**
 * Reads exactly @p nbytes from the file at @p path into @p buf. A file shorter than @p nbytes, or
 * one that cannot be read, is reported with the error line. Returns 0 or a negative errno.
 */
int cli_file_read(const char *path, void *buf, size_t nbytes);

/** The size of the regular file at @p path, or -1 after the error line */
long long cli_file_size(const char *path);

/**
 * Writes @p nbytes of @p buf to the file at @p path, created or truncated; "-" is stdout, for
 * commands whose only output is the data. Reported with the error line. Returns 0 or a negative
 * errno.
 */
int cli_file_write(const char *path, const void *buf, size_t nbytes);

/**
 * Identify with @p cns and @p csi on @p dev, printed decoded where the library has a printer (raw
 * hex otherwise), or written to --data-output. --nsid, else the device's namespace for the CNS
 * values about one namespace; --cntid. Returns the exit code.
 */
int cli_idfy(struct cli_args *args, struct xnvme_dev *dev, uint8_t cns, uint8_t csi);

/**
 * Raw bytes as YAML under @p key: "nbytes", then lines "OFFSET: 16 hex bytes"; trailing zero
 * lines are left out (they are most of a 4 KiB page)
 */
void cli_pr_hex(const char *key, const uint8_t *buf, size_t nbytes);

/**
 * The namespace for the commands sent: --nsid, else the namespace @p dev was opened with (its
 * own, or --dev-nsid)
 */
uint32_t cli_nsid(const struct cli_args *args, struct xnvme_dev *dev);

/**
 * The `enum` sub-command: the devices found (at --uri, else on this system) under xNVMe 0.7.5's
 * key `xnvme_cli_enumeration`; only those of command set @p csi unless it is -1
 */
int cli_enum(struct cli_args *args, int csi);

/** The `info` sub-command of every tool: device, options in effect, geometry */
int cli_info(struct cli_args *args);

/** Allocates a zeroed buffer of @p nbytes for @p dev; reported with the error line when it fails */
void *cli_buf_alloc(struct xnvme_dev *dev, size_t nbytes);

/**
 * Writes the YAML in @p yaml (the block style the printers write; changed in place) as one JSON
 * document on @p out. Returns 0, or -EINVAL for YAML outside that style (partial output then).
 */
int cli_yaml_to_json(char *yaml, FILE *out);

/** Parses argv, runs the sub-command and checks that its output was written; returns the exit code
 */
int cli_main(const struct cli_tool *tool, int argc, char **argv);

/* mingw-w64's printf is C99's (__USE_MINGW_ANSI_STDIO) while gcc's "printf" there is msvcrt's */
#ifdef __MINGW_PRINTF_FORMAT
#define CLI_PRINTF_FORMAT __MINGW_PRINTF_FORMAT
#else
#define CLI_PRINTF_FORMAT printf
#endif

/** Output collected in memory (cli_mem.c): open_memstream where the system has it */
struct cli_mem {
	FILE *stream;
	char *buf;
	size_t nbytes;
};

/** A stream whose output cli_mem_close() hands over; NULL with errno set when it cannot */
FILE *cli_mem_open(struct cli_mem *mem);
/** Closes the stream; *buf (NUL-terminated, the caller frees it) holds what was written */
int cli_mem_close(struct cli_mem *mem, char **buf, size_t *nbytes);
/** A read-write file descriptor in memory (or a temporary file), for stdout to be pointed at */
int cli_mem_fd(void);

#ifdef _WIN32
#include <string.h> /* before strerror is redefined below */
/*
 * The C runtime's strerror knows the errno values up to 42; the others POSIX has (ENOTSUP,
 * ETIMEDOUT, ENODATA, ...) are mingw-w64's numbers, which it calls "Unknown error" (cli.c)
 */
const char *cli_strerror(int errnum);
#define strerror(errnum) cli_strerror(errnum)
#endif

/** Prints one line on stderr: "<tool> <command>: error: <message>" */
void cli_error(const char *fmt, ...) __attribute__((format(CLI_PRINTF_FORMAT, 1, 2)));

/**
 * A usage error found by a sub-command (a missing or conflicting option): the error line, pointing
 * at the help. Returns CLI_EXIT_USAGE.
 */
int cli_usage(const char *fmt, ...) __attribute__((format(CLI_PRINTF_FORMAT, 1, 2)));

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
