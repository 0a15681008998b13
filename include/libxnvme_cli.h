/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * The command-line layer that xNVMe's example, test and tool programs are written on: a program
 * describes its sub-commands and their options in a struct xnvme_cli, and xnvme_cli_run() parses
 * argv into struct xnvme_cli_args, prints usage and help, optionally opens the device named by the
 * first positional argument and runs the chosen sub-command.
 *
 * Command lines look like `PROG SUB POSITIONAL... [--name VALUE | --name]...`; options and
 * positional arguments may be mixed, `--name=VALUE` works too, a unique prefix of a name is
 * accepted and `--` ends the options. Values are typed by the option (enum
 * xnvme_cli_opt_value_type): NUM is decimal or 0x-hexadecimal, 0xNUM is hexadecimal with or
 * without the 0x, the others are strings kept as pointers into argv.
 */
#ifndef __LIBXNVME_CLI_H
#define __LIBXNVME_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <libxnvme_util.h>
#include <libxnvme_opts.h>
#include <libxnvme_ident.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;

/*
 * Option lists that sub-commands include at the end of their own: how the device is reached.
 * CORE: the backend and the fabrics names; ADMIN adds the device-handle namespace, the admin and
 * memory interfaces and --direct; SYNC adds the sync interface; ASYNC the async one.
 */
#define XNVME_CLI_CORE_OPTS                                                                        \
	{XNVME_CLI_OPT_ORCH_TITLE, XNVME_CLI_SKIP}, {XNVME_CLI_OPT_SUBNQN, XNVME_CLI_LOPT},        \
	    {XNVME_CLI_OPT_HOSTNQN, XNVME_CLI_LOPT},                                               \
	{                                                                                          \
		XNVME_CLI_OPT_BE, XNVME_CLI_LOPT                                                   \
	}

#define XNVME_CLI_ADMIN_OPTS                                                                       \
	XNVME_CLI_CORE_OPTS, {XNVME_CLI_OPT_DEV_NSID, XNVME_CLI_LOPT},                             \
	    {XNVME_CLI_OPT_ADMIN, XNVME_CLI_LOPT}, {XNVME_CLI_OPT_MEM, XNVME_CLI_LOPT},            \
	{                                                                                          \
		XNVME_CLI_OPT_DIRECT, XNVME_CLI_LOPT                                               \
	}

#define XNVME_CLI_SYNC_OPTS                                                                        \
	XNVME_CLI_ADMIN_OPTS,                                                                      \
	{                                                                                          \
		XNVME_CLI_OPT_SYNC, XNVME_CLI_LOPT                                                 \
	}

#define XNVME_CLI_ASYNC_OPTS                                                                       \
	XNVME_CLI_SYNC_OPTS,                                                                       \
	{                                                                                          \
		XNVME_CLI_OPT_ASYNC, XNVME_CLI_LOPT                                                \
	}

/**
 * The parsed command line: one member per option (enum xnvme_cli_opt); whether an option was
 * given at all is in xnvme_cli.given[]. Strings point into argv. Numbers given to a flag-like
 * member (bool) set it to true when non-zero; an option used as a flag (XNVME_CLI_LFLG) sets a
 * numeric member to 1 and leaves a string member NULL.
 */
struct xnvme_cli_args {
	struct xnvme_dev *dev; ///< Opened by xnvme_cli_run() with XNVME_CLI_INIT_DEV_OPEN

	const char *uri;     ///< The device, usually the first positional argument
	const char *sys_uri; ///< The system to enumerate (fabrics address), NULL for this host

	const char *subnqn;
	const char *hostnqn;

	const char *cmd_input;
	const char *cmd_output;
	size_t data_nbytes;
	const char *data_input;
	const char *data_output;
	size_t meta_nbytes;
	const char *meta_input;
	const char *meta_output;

	uint32_t cdw[16]; ///< Command dwords, --cdw0 to --cdw15

	uint64_t lbafl;
	uint64_t lba;
	uint32_t llb; ///< Number of logical blocks, one-based
	uint32_t nlb; ///< Number of logical blocks, zero-based as in the command
	uint64_t slba;
	uint64_t elba;

	uint32_t uuid;
	uint32_t nsid;     ///< Namespace of the command
	uint32_t dev_nsid; ///< Namespace of the device handle: xnvme_opts.nsid
	uint32_t cns;
	uint32_t csi;
	uint64_t index;
	uint32_t setid;

	uint64_t cntid;
	uint32_t lid;
	uint32_t lsp;
	uint64_t lpo_nbytes;
	uint32_t rae;
	bool clear;
	uint32_t lbafu;
	uint32_t ses;
	uint32_t sel;
	uint32_t mset;
	bool ause;
	uint32_t ovrpat;
	uint32_t owpass;
	bool oipbp;
	bool nodas;

	uint32_t sanact;
	uint32_t zsa;

	uint32_t pi;
	uint32_t pil;

	uint32_t fid;
	uint32_t feat;

	uint32_t seed;
	uint32_t iosize;
	uint32_t qdepth;
	bool direct;
	uint32_t limit;

	uint64_t count;
	uint64_t offset;

	uint64_t opcode;
	uint64_t flags;
	bool all;

	uint32_t status;
	bool save;
	uint32_t reset;
	bool verbose; ///< Also prints the parsed arguments after the sub-command
	uint32_t help;

	const char *be;
	const char *mem;
	const char *sync;
	const char *async;
	const char *admin;

	uint64_t shm_id;
	uint32_t main_core;
	const char *core_mask;

	struct xnvme_opts_css css; ///< --css: value, and given=1 when given

	uint32_t use_cmb_sqs;
	const char *adrfam;

	uint32_t poll_io;
	uint32_t poll_sq;
	uint32_t register_files;
	uint32_t register_buffers;

	uint32_t truncate;
	uint32_t rdonly;
	uint32_t wronly;
	uint32_t rdwr;
	uint32_t create;
	uint32_t create_mode;

	uint32_t nr;
	bool ad;
	bool idw;
	bool idr;

	uint32_t vec_cnt;

	uint32_t dtype;
	uint32_t dspec;
	uint32_t doper;
	uint32_t endir;
	uint32_t tgtdir;
	uint32_t nsr;

	uint32_t lsi;
	uint32_t pid;

	const char *kv_key;
	const char *kv_val;
	bool kv_store_add;
	bool kv_store_update;
	bool kv_store_compress;

	bool pract;
	uint8_t prchk;
	uint32_t apptag;
	uint32_t apptag_mask;

	uint64_t sdlba;
};

/** Prints the members of @p args that are set (non-zero) as YAML to stdout; @p opts: enum xnvme_pr
 */
void xnvme_cli_args_pr(struct xnvme_cli_args *args, int opts);

/**
 * The options a sub-command can declare; each fills the member of struct xnvme_cli_args of the
 * same name. The *_TITLE entries are not options: they start a section of the help text.
 */
enum xnvme_cli_opt {
	XNVME_CLI_OPT_NONE = 0, ///< Ends a sub-command's option list early

	XNVME_CLI_OPT_CDW00 = 1,
	XNVME_CLI_OPT_CDW01 = 2,
	XNVME_CLI_OPT_CDW02 = 3,
	XNVME_CLI_OPT_CDW03 = 4,
	XNVME_CLI_OPT_CDW04 = 5,
	XNVME_CLI_OPT_CDW05 = 6,
	XNVME_CLI_OPT_CDW06 = 7,
	XNVME_CLI_OPT_CDW07 = 8,
	XNVME_CLI_OPT_CDW08 = 9,
	XNVME_CLI_OPT_CDW09 = 10,
	XNVME_CLI_OPT_CDW10 = 11,
	XNVME_CLI_OPT_CDW11 = 12,
	XNVME_CLI_OPT_CDW12 = 13,
	XNVME_CLI_OPT_CDW13 = 14,
	XNVME_CLI_OPT_CDW14 = 15,
	XNVME_CLI_OPT_CDW15 = 16,

	XNVME_CLI_OPT_CMD_INPUT = 17,
	XNVME_CLI_OPT_CMD_OUTPUT = 18,

	XNVME_CLI_OPT_DATA_NBYTES = 19,
	XNVME_CLI_OPT_DATA_INPUT = 20,
	XNVME_CLI_OPT_DATA_OUTPUT = 21,

	XNVME_CLI_OPT_META_NBYTES = 22,
	XNVME_CLI_OPT_META_INPUT = 23,
	XNVME_CLI_OPT_META_OUTPUT = 24,

	XNVME_CLI_OPT_LBAFL = 25,
	XNVME_CLI_OPT_SLBA = 26,
	XNVME_CLI_OPT_ELBA = 27,
	XNVME_CLI_OPT_LBA = 28,
	XNVME_CLI_OPT_NLB = 29,

	XNVME_CLI_OPT_URI = 30,
	XNVME_CLI_OPT_SYS_URI = 31,
	XNVME_CLI_OPT_UUID = 32,
	XNVME_CLI_OPT_NSID = 33,
	XNVME_CLI_OPT_CNS = 34,
	XNVME_CLI_OPT_CSI = 35,
	XNVME_CLI_OPT_INDEX = 36,
	XNVME_CLI_OPT_SETID = 37,

	XNVME_CLI_OPT_CNTID = 38,
	XNVME_CLI_OPT_LID = 39,
	XNVME_CLI_OPT_LSP = 40,
	XNVME_CLI_OPT_LPO_NBYTES = 41,
	XNVME_CLI_OPT_RAE = 42,
	XNVME_CLI_OPT_CLEAR = 43,
	XNVME_CLI_OPT_LBAFU = 44,
	XNVME_CLI_OPT_SES = 45,
	XNVME_CLI_OPT_SEL = 46,
	XNVME_CLI_OPT_MSET = 47,
	XNVME_CLI_OPT_AUSE = 48,
	XNVME_CLI_OPT_OVRPAT = 49,
	XNVME_CLI_OPT_OWPASS = 50,
	XNVME_CLI_OPT_OIPBP = 51,
	XNVME_CLI_OPT_NODAS = 52,

	XNVME_CLI_OPT_SANACT = 53,
	XNVME_CLI_OPT_ZSA = 54,

	XNVME_CLI_OPT_PI = 55,
	XNVME_CLI_OPT_PIL = 56,

	XNVME_CLI_OPT_FID = 57,
	XNVME_CLI_OPT_FEAT = 58,

	XNVME_CLI_OPT_SEED = 59,
	XNVME_CLI_OPT_LIMIT = 60,
	XNVME_CLI_OPT_IOSIZE = 61,
	XNVME_CLI_OPT_QDEPTH = 62,
	XNVME_CLI_OPT_DIRECT = 63,

	XNVME_CLI_OPT_STATUS = 64,
	XNVME_CLI_OPT_SAVE = 65,
	XNVME_CLI_OPT_RESET = 66,
	XNVME_CLI_OPT_VERBOSE = 67,
	XNVME_CLI_OPT_HELP = 68, ///< Every sub-command has it; no need to declare it

	XNVME_CLI_OPT_COUNT = 69,
	XNVME_CLI_OPT_OFFSET = 70,

	XNVME_CLI_OPT_OPCODE = 71,
	XNVME_CLI_OPT_FLAGS = 72,

	XNVME_CLI_OPT_ALL = 73,

	XNVME_CLI_OPT_BE = 74,
	XNVME_CLI_OPT_MEM = 75,
	XNVME_CLI_OPT_SYNC = 76,
	XNVME_CLI_OPT_ASYNC = 77,
	XNVME_CLI_OPT_ADMIN = 78,

	XNVME_CLI_OPT_SHM_ID = 79,
	XNVME_CLI_OPT_MAIN_CORE = 80,
	XNVME_CLI_OPT_CORE_MASK = 81,

	XNVME_CLI_OPT_USE_CMB_SQS = 82,
	XNVME_CLI_OPT_CSS = 83,

	XNVME_CLI_OPT_POLL_IO = 84,
	XNVME_CLI_OPT_POLL_SQ = 85,
	XNVME_CLI_OPT_REGISTER_FILES = 86,
	XNVME_CLI_OPT_REGISTER_BUFFERS = 87,

	XNVME_CLI_OPT_TRUNCATE = 88,
	XNVME_CLI_OPT_RDONLY = 89,
	XNVME_CLI_OPT_WRONLY = 90,
	XNVME_CLI_OPT_RDWR = 91,

	XNVME_CLI_OPT_CREATE = 92,
	XNVME_CLI_OPT_CREATE_MODE = 93,

	/* 94 is not used */

	XNVME_CLI_OPT_ADRFAM = 95,
	XNVME_CLI_OPT_DEV_NSID = 96,

	XNVME_CLI_OPT_VEC_CNT = 97,

	XNVME_CLI_OPT_SUBNQN = 98,
	XNVME_CLI_OPT_HOSTNQN = 99,

	XNVME_CLI_OPT_DTYPE = 100,
	XNVME_CLI_OPT_DSPEC = 101,
	XNVME_CLI_OPT_DOPER = 102,
	XNVME_CLI_OPT_ENDIR = 103,
	XNVME_CLI_OPT_TGTDIR = 104,
	XNVME_CLI_OPT_NSR = 105,

	XNVME_CLI_OPT_POSA_TITLE = 106,     ///< Help section: positional arguments
	XNVME_CLI_OPT_NON_POSA_TITLE = 107, ///< Help section: the sub-command's options
	XNVME_CLI_OPT_ORCH_TITLE = 108,     ///< Help section: how the device is reached

	XNVME_CLI_OPT_AD = 109,
	XNVME_CLI_OPT_IDW = 110,
	XNVME_CLI_OPT_IDR = 111,
	XNVME_CLI_OPT_LLB = 112,

	XNVME_CLI_OPT_LSI = 113,
	XNVME_CLI_OPT_PID = 114,

	XNVME_CLI_OPT_KV_KEY = 115,
	XNVME_CLI_OPT_KV_VAL = 116,

	XNVME_CLI_OPT_KV_STORE_UPDATE = 117,
	XNVME_CLI_OPT_KV_STORE_ADD = 118,
	XNVME_CLI_OPT_KV_STORE_COMPRESS = 119,

	XNVME_CLI_OPT_PRACT = 120,
	XNVME_CLI_OPT_PRCHK = 121,
	XNVME_CLI_OPT_APPTAG = 122,
	XNVME_CLI_OPT_APPTAG_MASK = 123,

	XNVME_CLI_OPT_SDLBA = 124,
	XNVME_CLI_OPT_END = 125, ///< The number of options (one past the last)
};

/** How a sub-command takes an option */
enum xnvme_cli_opt_type {
	XNVME_CLI_POSA = 0x1, ///< Positional: required, in the order declared: `PROG SUB VALUE`
	XNVME_CLI_LFLG = 0x2, ///< Flag, optional, without a value: `--name`
	XNVME_CLI_LOPT = 0x3, ///< Optional, with a value: `--name VALUE`
	XNVME_CLI_LREQ = 0x4, ///< Required, with a value: `--name VALUE`
	XNVME_CLI_SKIP = 0x5, ///< Not an option: a section title of the help text
};

/** The type of an option's value, which decides how it is parsed and shown in the help */
enum xnvme_cli_opt_value_type {
	XNVME_CLI_OPT_VTYPE_URI = 0x1,  ///< A device or system identifier (string)
	XNVME_CLI_OPT_VTYPE_NUM = 0x2,  ///< A number: decimal, or hexadecimal with 0x
	XNVME_CLI_OPT_VTYPE_HEX = 0x3,  ///< A number: hexadecimal, the 0x is optional
	XNVME_CLI_OPT_VTYPE_FILE = 0x4, ///< A path (string)
	XNVME_CLI_OPT_VTYPE_STR = 0x5,  ///< A string
	XNVME_CLI_OPT_VTYPE_SKIP = 0x6, ///< No value: a section title
};

/** What the library knows of an option: its value type, its name (`--name`) and description */
struct xnvme_cli_opt_attr {
	enum xnvme_cli_opt opt;
	enum xnvme_cli_opt_value_type vtype;
	const char *name;
	const char *descr;

	char getoptval; ///< Not used by this implementation (0)
};

/** Returns the attributes of @p opt, or NULL when @p opt is not an option (NONE, 94, END, ...). */
const struct xnvme_cli_opt_attr *xnvme_cli_get_opt_attr(enum xnvme_cli_opt opt);

/** One entry of a sub-command's option list */
struct xnvme_cli_sub_opt {
	enum xnvme_cli_opt opt;
	enum xnvme_cli_opt_type type;
};

struct xnvme_cli;

/** A sub-command: returns 0 on success, anything else (an errno, signed either way) on failure */
typedef int (*xnvme_cli_subfunc)(struct xnvme_cli *);

#define XNVME_CLI_SUB_OPTS_LEN 200

#define XNVME_CLI_SUB_NAME_LEN_MAX 30

/** A sub-command, as the program declares it; the option list ends at the first XNVME_CLI_OPT_NONE
 */
struct xnvme_cli_sub {
	const char *name;        ///< What the user types after the program name
	const char *descr_short; ///< One line, in the program's usage
	const char *descr_long;  ///< In the sub-command's help

	xnvme_cli_subfunc command;

	struct xnvme_cli_sub_opt opts[XNVME_CLI_SUB_OPTS_LEN];
};

/** A program: filled by the program (title to subs), the rest by xnvme_cli_run() */
struct xnvme_cli {
	const char *title;
	const char *descr_short;
	const char *descr_long;

	int nsubs;
	struct xnvme_cli_sub *subs;

	int (*ver_pr)(int); ///< Prints the version in the help; xnvme_ver_pr() when NULL

	int argc;
	char **argv;
	struct xnvme_cli_args args;

	int given[XNVME_CLI_OPT_END]; ///< Non-zero for each option that was given

	struct xnvme_cli_sub *sub; ///< The sub-command that runs

	struct xnvme_timer timer; ///< Used by xnvme_cli_timer_*()
};

/** Flags of xnvme_cli_run() */
enum xnvme_cli_opts {
	XNVME_CLI_INIT_NONE = 0x0,
	/** Open args.uri (when the sub-command has a URI and it was given) into args.dev with the
	 * options from xnvme_cli_to_opts(), and close it after the sub-command */
	XNVME_CLI_INIT_DEV_OPEN = 0x1,
};

/** A list of device identifiers, e.g. filled from an xnvme_enumerate() callback */
struct xnvme_cli_enumeration {
	uint32_t capacity;            ///< Entries still free
	uint32_t nentries;            ///< Entries used
	struct xnvme_ident entries[]; ///< capacity + nentries entries
};

/**
 * Allocates a list with room for @p capacity entries into @p list (free it with
 * xnvme_cli_enumeration_free()). Returns 0, -EINVAL when @p list is NULL, or -ENOMEM.
 */
int xnvme_cli_enumeration_alloc(struct xnvme_cli_enumeration **list, uint32_t capacity);

/** Frees @p list; NULL is ignored */
void xnvme_cli_enumeration_free(struct xnvme_cli_enumeration *list);

/** Copies @p entry to the end of @p list. Returns 0, -EINVAL (NULL arguments) or -ENOMEM (full). */
int xnvme_cli_enumeration_append(struct xnvme_cli_enumeration *list,
				 const struct xnvme_ident *entry);

/**
 * Prints @p list as YAML to @p stream: capacity, nentries and one flow mapping per entry (uri,
 * dtype, nsid, csi, subnqn); XNVME_PR_TERSE leaves out capacity and nentries. Returns the number
 * of characters written.
 */
int xnvme_cli_enumeration_fpr(FILE *stream, struct xnvme_cli_enumeration *list, int opts);

/** Prints the identifiers of @p list alone, as a YAML list, to @p stream; returns the characters */
int xnvme_cli_enumeration_fpp(FILE *stream, struct xnvme_cli_enumeration *list, int opts);

/** xnvme_cli_enumeration_fpp() to stdout */
int xnvme_cli_enumeration_pp(struct xnvme_cli_enumeration *list, int opts);

/** xnvme_cli_enumeration_fpr() to stdout */
int xnvme_cli_enumeration_pr(struct xnvme_cli_enumeration *list, int opts);

/** Starts @p cli's timer; returns the clock sample (nanoseconds) */
uint64_t xnvme_cli_timer_start(struct xnvme_cli *cli);

/** Stops @p cli's timer; returns the clock sample (nanoseconds) */
uint64_t xnvme_cli_timer_stop(struct xnvme_cli *cli);

/** Prints "PREFIX: {elapsed: SECONDS, mib: MIB, mib_sec: RATE}" for @p nbytes moved in the timer */
void xnvme_cli_timer_bw_pr(struct xnvme_cli *cli, const char *prefix, size_t nbytes);

/** Prints "# " and the formatted message and a newline to stdout */
void xnvme_cli_pinf(const char *format, ...);

/** Prints "# ERR: 'MSG': {errno: ERR, msg: 'DESCRIPTION'}" to stderr; @p err signed either way */
void xnvme_cli_perr(const char *msg, int err);

/**
 * Runs the program described by @p cli on the command line @p argc / @p argv: picks the
 * sub-command named by argv[1] (none, -h or --help: prints the program's usage), parses its
 * options into cli->args and cli->given (--help: prints the sub-command's help), with
 * XNVME_CLI_INIT_DEV_OPEN in @p opts opens the device, runs the sub-command and closes the device.
 * Errors are printed: what was wrong with the command line ("# ..." on stdout) and the error
 * (xnvme_cli_perr() on stderr).
 *
 * Returns an exit status for main(): 0 on success (usage and help included), 1 when the
 * sub-command failed, -1 when the command line is wrong or the device does not open.
 */
int xnvme_cli_run(struct xnvme_cli *cli, int argc, char **argv, int opts);

/**
 * Copies the options given on @p cli's command line that say how to reach a device (--be, --mem,
 * --sync, --async, --admin, --dev-nsid as nsid, --direct, the file-open and io_uring flags, the
 * user-space driver and fabrics names) into @p opts; members not given are left untouched, so
 * start from xnvme_opts_default(). Returns 0, or -EINVAL when an argument is NULL.
 */
int xnvme_cli_to_opts(const struct xnvme_cli *cli, struct xnvme_opts *opts);

#ifdef __cplusplus
}
#endif

#endif
