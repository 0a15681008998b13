/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The option table of the command-line layer: per option its name (what follows `--`), the type
 * of its value, a description for the help, and the member of struct xnvme_cli_args it fills.
 * The member's kind and width come from its declared type, so a row cannot disagree with the
 * struct. Storing a parsed value and printing it back are here too, written once for all rows.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_internal.h"
#include "spec/spec_pp.h"

#define CLI_MEMBER(m) (((struct xnvme_cli_args *)0)->m)

#define CLI_KIND_OF(m)                                                                             \
	_Generic(CLI_MEMBER(m),                                                                    \
		const char *: CLI_KIND_STR,                                                        \
		bool: CLI_KIND_BOOL,                                                               \
		struct xnvme_opts_css: CLI_KIND_CSS,                                               \
		default: CLI_KIND_UINT)

/* One option: enum value, value type (suffix of XNVME_CLI_OPT_VTYPE_), name, member, description */
#define CLI_OPT(o, vt, nm, m, descr)                                                               \
	[XNVME_CLI_OPT_##o] = {{XNVME_CLI_OPT_##o, XNVME_CLI_OPT_VTYPE_##vt, nm, descr, 0},        \
			       (uint16_t)offsetof(struct xnvme_cli_args, m),                       \
			       (uint8_t)sizeof(CLI_MEMBER(m)),                                     \
			       (uint8_t)CLI_KIND_OF(m)}

/* A section title of the help: no value, no member */
#define CLI_TITLE_ATTR(o, nm)                                                                      \
	{                                                                                          \
		XNVME_CLI_OPT_##o, XNVME_CLI_OPT_VTYPE_SKIP, nm, "", 0                             \
	}
#define CLI_TITLE(o, nm) [XNVME_CLI_OPT_##o] = {CLI_TITLE_ATTR(o, nm), 0, 0, CLI_KIND_NONE}

static const struct cli_opt_def g_cli_opts[XNVME_CLI_OPT_END] = {
    CLI_OPT(CDW00, HEX, "cdw0", cdw[0], "Command dword 0"),
    CLI_OPT(CDW01, HEX, "cdw1", cdw[1], "Command dword 1"),
    CLI_OPT(CDW02, HEX, "cdw2", cdw[2], "Command dword 2"),
    CLI_OPT(CDW03, HEX, "cdw3", cdw[3], "Command dword 3"),
    CLI_OPT(CDW04, HEX, "cdw4", cdw[4], "Command dword 4"),
    CLI_OPT(CDW05, HEX, "cdw5", cdw[5], "Command dword 5"),
    CLI_OPT(CDW06, HEX, "cdw6", cdw[6], "Command dword 6"),
    CLI_OPT(CDW07, HEX, "cdw7", cdw[7], "Command dword 7"),
    CLI_OPT(CDW08, HEX, "cdw8", cdw[8], "Command dword 8"),
    CLI_OPT(CDW09, HEX, "cdw9", cdw[9], "Command dword 9"),
    CLI_OPT(CDW10, HEX, "cdw10", cdw[10], "Command dword 10"),
    CLI_OPT(CDW11, HEX, "cdw11", cdw[11], "Command dword 11"),
    CLI_OPT(CDW12, HEX, "cdw12", cdw[12], "Command dword 12"),
    CLI_OPT(CDW13, HEX, "cdw13", cdw[13], "Command dword 13"),
    CLI_OPT(CDW14, HEX, "cdw14", cdw[14], "Command dword 14"),
    CLI_OPT(CDW15, HEX, "cdw15", cdw[15], "Command dword 15"),

    CLI_OPT(CMD_INPUT, FILE, "cmd-input", cmd_input, "File to read the 64-byte command from"),
    CLI_OPT(CMD_OUTPUT, FILE, "cmd-output", cmd_output, "File to write the command to"),

    CLI_OPT(DATA_NBYTES, NUM, "data-nbytes", data_nbytes, "Size of the data buffer in bytes"),
    CLI_OPT(DATA_INPUT, FILE, "data-input", data_input, "File to read the data from"),
    CLI_OPT(DATA_OUTPUT, FILE, "data-output", data_output, "File to write the data to"),

    CLI_OPT(META_NBYTES, NUM, "meta-nbytes", meta_nbytes, "Size of the metadata buffer in bytes"),
    CLI_OPT(META_INPUT, FILE, "meta-input", meta_input, "File to read the metadata from"),
    CLI_OPT(META_OUTPUT, FILE, "meta-output", meta_output, "File to write the metadata to"),

    CLI_OPT(LBAFL, HEX, "lbafl", lbafl, "LBA format index, its low 4 bits"),
    CLI_OPT(SLBA, HEX, "slba", slba, "First logical block address"),
    CLI_OPT(ELBA, HEX, "elba", elba, "Last logical block address"),
    CLI_OPT(LBA, HEX, "lba", lba, "A logical block address"),
    CLI_OPT(NLB, NUM, "nlb", nlb, "Number of logical blocks, zero-based: 0 is one block"),

    CLI_OPT(URI, URI, "uri", uri,
	    "Device: a file, /dev/nvme0n1, /dev/ng0n1, a PCI or fabrics address"),
    CLI_OPT(SYS_URI, URI, "uri", sys_uri, "System to look at, e.g. a fabrics address host:port"),
    CLI_OPT(UUID, HEX, "uuid", uuid, "UUID index"),
    CLI_OPT(NSID, HEX, "nsid", nsid, "Namespace identifier put in the command"),
    CLI_OPT(CNS, HEX, "cns", cns, "Identify: Controller or Namespace Structure"),
    CLI_OPT(CSI, HEX, "csi", csi, "Command set identifier"),
    CLI_OPT(INDEX, HEX, "index", index, "Index of the entry"),
    CLI_OPT(SETID, HEX, "setid", setid, "NVM set identifier"),

    CLI_OPT(CNTID, HEX, "cntid", cntid, "Controller identifier"),
    CLI_OPT(LID, HEX, "lid", lid, "Log page identifier"),
    CLI_OPT(LSP, HEX, "lsp", lsp, "Log specific parameter"),
    CLI_OPT(LPO_NBYTES, NUM, "lpo-nbytes", lpo_nbytes, "Log page offset in bytes"),
    CLI_OPT(RAE, HEX, "rae", rae, "Retain asynchronous event"),
    CLI_OPT(CLEAR, HEX, "clear", clear, "Clear (what depends on the command)"),
    CLI_OPT(LBAFU, HEX, "lbafu", lbafu, "LBA format index, its high 2 bits"),
    CLI_OPT(SES, HEX, "ses", ses, "Secure erase: 0x0 none, 0x1 user data, 0x2 cryptographic"),
    CLI_OPT(SEL, HEX, "sel", sel, "Select: 0x0 current, 0x1 default, 0x2 saved, 0x3 supported"),
    CLI_OPT(MSET, HEX, "mset", mset, "Metadata settings: 0x0 separate, 0x1 extended LBA"),
    CLI_OPT(AUSE, HEX, "ause", ause, "Sanitize: allow unrestricted sanitize exit"),
    CLI_OPT(OVRPAT, HEX, "ovrpat", ovrpat, "Sanitize: overwrite pattern"),
    CLI_OPT(OWPASS, HEX, "owpass", owpass, "Sanitize: overwrite pass count"),
    CLI_OPT(OIPBP, HEX, "oipbp", oipbp, "Sanitize: invert the pattern between passes"),
    CLI_OPT(NODAS, HEX, "nodas", nodas, "Sanitize: no deallocate after sanitize"),

    CLI_OPT(
	SANACT, HEX, "sanact", sanact,
	"Sanitize action: 0x1 exit failure mode, 0x2 block erase, 0x3 overwrite, 0x4 crypto erase"),
    CLI_OPT(ZSA, HEX, "zsa", zsa,
	    "Zone send action: 0x1 close, 0x2 finish, 0x3 open, 0x4 reset, 0x5 offline, 0x10 "
	    "set zone descriptor extension"),

    CLI_OPT(PI, HEX, "pi", pi, "Protection information type: 0x0 none, 0x1, 0x2 or 0x3"),
    CLI_OPT(PIL, HEX, "pil", pil, "Protection information location: 0x0 last bytes, 0x1 first"),

    CLI_OPT(FID, HEX, "fid", fid, "Feature identifier"),
    CLI_OPT(FEAT, HEX, "feat", feat, "Feature value (dword 11)"),

    CLI_OPT(SEED, NUM, "seed", seed, "Seed of the random numbers"),
    CLI_OPT(LIMIT, NUM, "limit", limit, "At most this many"),
    CLI_OPT(IOSIZE, NUM, "iosize", iosize, "Size of each I/O"),
    CLI_OPT(QDEPTH, NUM, "qdepth", qdepth, "Queue depth: commands in flight at most"),
    CLI_OPT(DIRECT, NUM, "direct", direct, "Bypass the operating system's caches (O_DIRECT)"),

    CLI_OPT(STATUS, NUM, "status", status, "Show the state of the command"),
    CLI_OPT(SAVE, NUM, "save", save, "Save across resets"),
    CLI_OPT(RESET, NUM, "reset", reset, "Reset the controller"),
    CLI_OPT(VERBOSE, NUM, "verbose", verbose, "Print more"),
    CLI_OPT(HELP, NUM, "help", help, "Print this help"),

    CLI_OPT(COUNT, NUM, "count", count, "How many times"),
    CLI_OPT(OFFSET, NUM, "offset", offset, "Offset"),

    CLI_OPT(OPCODE, HEX, "opcode", opcode, "Command opcode"),
    CLI_OPT(FLAGS, HEX, "flags", flags, "Command flags"),

    CLI_OPT(ALL, HEX, "all", all, "All of them"),

    CLI_OPT(BE, STR, "be", be, "Backend: linux, ramdisk, spdk, posix, fbsd, macos, windows"),
    CLI_OPT(MEM, STR, "mem", mem, "Buffer allocator interface"),
    CLI_OPT(SYNC, STR, "sync", sync, "Synchronous command interface: nvme, psync, block, ..."),
    CLI_OPT(ASYNC, STR, "async", async,
	    "Asynchronous command interface: io_uring, libaio, emu, ..."),
    CLI_OPT(ADMIN, STR, "admin", admin, "Admin command interface: nvme, block, ..."),

    CLI_OPT(SHM_ID, HEX, "shm_id", shm_id, "User-space driver: shared memory id of the processes"),
    CLI_OPT(MAIN_CORE, HEX, "main_core", main_core, "User-space driver: the main core"),
    CLI_OPT(CORE_MASK, STR, "core_mask", core_mask, "User-space driver: the cores to use"),

    CLI_OPT(USE_CMB_SQS, NUM, "use_cmb_sqs", use_cmb_sqs,
	    "User-space driver: submission queues in the controller memory buffer"),
    CLI_OPT(CSS, HEX, "css", css, "User-space driver: command sets to enable at controller setup"),

    CLI_OPT(POLL_IO, NUM, "poll_io", poll_io, "io_uring: poll for completions"),
    CLI_OPT(POLL_SQ, NUM, "poll_sq", poll_sq, "io_uring: a kernel thread polls the submissions"),
    CLI_OPT(REGISTER_FILES, NUM, "register_files", register_files, "io_uring: register the file"),
    CLI_OPT(REGISTER_BUFFERS, NUM, "register_buffers", register_buffers,
	    "io_uring: register the buffers"),

    CLI_OPT(TRUNCATE, NUM, "truncate", truncate, "Files: truncate on open"),
    CLI_OPT(RDONLY, NUM, "rdonly", rdonly, "Files: open for reading only"),
    CLI_OPT(WRONLY, NUM, "wronly", wronly, "Files: open for writing only"),
    CLI_OPT(RDWR, NUM, "rdwr", rdwr, "Files: open for reading and writing"),

    CLI_OPT(CREATE, NUM, "create", create, "Files: create when missing"),
    CLI_OPT(CREATE_MODE, HEX, "create_mode", create_mode, "Files: mode of a created file"),

    CLI_OPT(ADRFAM, STR, "adrfam", adrfam, "Fabrics: address family, IPv4 or IPv6"),
    CLI_OPT(DEV_NSID, HEX, "dev-nsid", dev_nsid, "Namespace identifier of the device handle"),

    CLI_OPT(VEC_CNT, NUM, "vec-cnt", vec_cnt, "Number of vector elements of vectored I/O"),

    CLI_OPT(SUBNQN, STR, "subnqn", subnqn, "Fabrics: NQN of the subsystem"),
    CLI_OPT(HOSTNQN, STR, "hostnqn", hostnqn, "Fabrics: NQN of this host"),

    CLI_OPT(DTYPE, HEX, "dtype", dtype, "Directive type: 0x0 identify, 0x1 streams"),
    CLI_OPT(DSPEC, HEX, "dspec", dspec, "Directive specific value"),
    CLI_OPT(DOPER, HEX, "doper", doper, "Directive operation"),
    CLI_OPT(ENDIR, HEX, "endir", endir, "Directive: 0x1 enable, 0x0 disable"),
    CLI_OPT(TGTDIR, HEX, "tgtdir", tgtdir, "Directive to enable or disable"),
    CLI_OPT(NSR, HEX, "nsr", nsr, "Streams: number of streams requested"),

    CLI_TITLE(POSA_TITLE, "Positional arguments:"),
    CLI_TITLE(NON_POSA_TITLE, "Where <args> are:"),
    CLI_TITLE(ORCH_TITLE, "How to reach the device (<args> too):"),

    CLI_OPT(AD, NUM, "ad", ad, "Deallocate the ranges"),
    CLI_OPT(IDW, NUM, "idw", idw, "Hint: the ranges are written as a whole"),
    CLI_OPT(IDR, NUM, "idr", idr, "Hint: the ranges are read as a whole"),
    CLI_OPT(LLB, NUM, "llb", llb, "Number of logical blocks, one-based: 1 is one block"),

    CLI_OPT(LSI, HEX, "lsi", lsi, "Log specific identifier"),
    CLI_OPT(PID, HEX, "pid", pid, "Placement identifier"),

    CLI_OPT(KV_KEY, STR, "key", kv_key, "Key of the key-value pair"),
    CLI_OPT(KV_VAL, STR, "value", kv_val, "Value of the key-value pair"),

    CLI_OPT(KV_STORE_UPDATE, NUM, "only-update", kv_store_update,
	    "Store only when the key exists already"),
    CLI_OPT(KV_STORE_ADD, NUM, "only-add", kv_store_add, "Store only when the key is new"),
    CLI_OPT(KV_STORE_COMPRESS, NUM, "compress", kv_store_compress,
	    "Let the device compress the value"),

    CLI_OPT(PRACT, NUM, "pract", pract, "Protection information action"),
    CLI_OPT(PRCHK, HEX, "prchk", prchk, "Protection information check"),
    CLI_OPT(APPTAG, HEX, "apptag", apptag, "Application tag"),
    CLI_OPT(APPTAG_MASK, HEX, "apptag_mask", apptag_mask, "Application tag mask"),

    CLI_OPT(SDLBA, HEX, "sdlba", sdlba, "First logical block address of the destination"),
};

const struct cli_opt_def *
cli_opt_def(enum xnvme_cli_opt opt)
{
	if ((int)opt <= XNVME_CLI_OPT_NONE || opt >= XNVME_CLI_OPT_END ||
	    !g_cli_opts[opt].attr.name) {
		return NULL;
	}
	return &g_cli_opts[opt];
}

const struct xnvme_cli_opt_attr *
xnvme_cli_get_opt_attr(enum xnvme_cli_opt opt)
{
	const struct cli_opt_def *def = cli_opt_def(opt);

	return def ? &def->attr : NULL;
}

const char *
cli_vtype_placeholder(enum xnvme_cli_opt_value_type vtype)
{
	switch (vtype) {
	case XNVME_CLI_OPT_VTYPE_URI:
		return "uri";
	case XNVME_CLI_OPT_VTYPE_NUM:
		return "NUM";
	case XNVME_CLI_OPT_VTYPE_HEX:
		return "0xNUM";
	case XNVME_CLI_OPT_VTYPE_FILE:
		return "FILE";
	case XNVME_CLI_OPT_VTYPE_STR:
		return "STRING";
	case XNVME_CLI_OPT_VTYPE_SKIP:
		break;
	}
	return "";
}

/*
 * A number: decimal, or hexadecimal with 0x; @p hex makes hexadecimal the default. A leading '-'
 * gives the two's complement (so -1 is all ones); @p neg tells the caller, which checks the width.
 * Nothing else may follow the digits.
 */
static int
cli_num_parse(const char *str, int hex, uint64_t *val, int *neg)
{
	const char *digits = str;
	char *end = NULL;
	int base = hex ? 16 : 10;

	*neg = digits[0] == '-';
	digits += *neg;
	if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
		digits += 2;
		base = 16;
	}
	if (!(base == 16 ? isxdigit((unsigned char)digits[0])
			 : isdigit((unsigned char)digits[0]))) {
		return -EINVAL;
	}
	errno = 0;
	*val = strtoull(digits, &end, base);
	if (errno || *end || (*neg && *val > (UINT64_C(1) << 63))) {
		return -EINVAL;
	}
	if (*neg) {
		*val = (uint64_t)0 - *val;
	}
	return 0;
}

/* Whether @p val, as parsed (negative when @p neg), fits @p width bytes */
static int
cli_num_fits(uint64_t val, int neg, unsigned width)
{
	if (width >= sizeof(uint64_t)) {
		return 1;
	}
	if (neg) {
		return ((uint64_t)0 - val) <= (UINT64_C(1) << (width * 8 - 1));
	}
	return val <= (UINT64_C(1) << (width * 8)) - 1;
}

static void
cli_uint_store(void *dst, unsigned width, uint64_t val)
{
	switch (width) {
	case 1:
		*(uint8_t *)dst = (uint8_t)val;
		break;
	case 2:
		*(uint16_t *)dst = (uint16_t)val;
		break;
	case 4:
		*(uint32_t *)dst = (uint32_t)val;
		break;
	default:
		*(uint64_t *)dst = val;
		break;
	}
}

static uint64_t
cli_uint_load(const void *src, unsigned width)
{
	switch (width) {
	case 1:
		return *(const uint8_t *)src;
	case 2:
		return *(const uint16_t *)src;
	case 4:
		return *(const uint32_t *)src;
	default:
		return *(const uint64_t *)src;
	}
}

int
cli_opt_store(struct xnvme_cli_args *args, const struct cli_opt_def *def, const char *val)
{
	char *dst = (char *)args + def->off;
	uint64_t num = 1; /* what a flag sets */
	int neg = 0;

	switch (def->kind) {
	case CLI_KIND_STR:
		if (val) {
			*(const char **)dst = val;
		}
		return 0;
	case CLI_KIND_NONE:
		return 0;
	default:
		break;
	}

	if (val && cli_num_parse(val, def->attr.vtype == XNVME_CLI_OPT_VTYPE_HEX, &num, &neg)) {
		return -EINVAL;
	}

	switch (def->kind) {
	case CLI_KIND_BOOL:
		/*
		 * xNVMe 0.7.5 turns a yes/no option on when it is given, whatever value follows
		 * ("--pract 0x0" is on); upstream's programs and scripts are written against that
		 */
		if (val && !num) {
			fprintf(stderr,
				"# warning: '--%s %s' turns %s on, as xNVMe 0.7.5 reads it\n",
				def->attr.name, val, def->attr.name);
		}
		*(bool *)dst = true;
		return 0;
	case CLI_KIND_CSS:
		if (!cli_num_fits(num, neg, sizeof(uint32_t))) {
			return -EINVAL;
		}
		((struct xnvme_opts_css *)dst)->value = (uint32_t)num;
		((struct xnvme_opts_css *)dst)->given = 1;
		return 0;
	default:
		if (!cli_num_fits(num, neg, def->width)) {
			return -EINVAL;
		}
		cli_uint_store(dst, def->width, num);
		return 0;
	}
}

int
cli_opt_fpr(FILE *stream, const char *key, const struct xnvme_cli_args *args,
	    const struct cli_opt_def *def)
{
	const char *src = (const char *)args + def->off;
	const char *str = NULL;
	uint64_t num = 0;
	int wrtn;

	switch (def->kind) {
	case CLI_KIND_STR:
		str = *(const char *const *)src;
		break;
	case CLI_KIND_BOOL:
		num = *(const bool *)src;
		break;
	case CLI_KIND_CSS:
		num = ((const struct xnvme_opts_css *)src)->given;
		break;
	case CLI_KIND_UINT:
		num = cli_uint_load(src, def->width);
		break;
	default:
		break;
	}
	if (!str && !num) {
		return 0;
	}

	wrtn = fprintf(stream, "  %s: ", key);
	if (str) {
		wrtn += spec_pp_qstr(stream, str, strlen(str));
	} else if (def->kind == CLI_KIND_BOOL) {
		wrtn += fprintf(stream, "true");
	} else if (def->kind == CLI_KIND_CSS) {
		wrtn += fprintf(stream, "0x%" PRIx32, ((const struct xnvme_opts_css *)src)->value);
	} else if (def->attr.vtype == XNVME_CLI_OPT_VTYPE_HEX) {
		wrtn += fprintf(stream, "0x%" PRIx64, num);
	} else {
		wrtn += fprintf(stream, "%" PRIu64, num);
	}
	return wrtn + fprintf(stream, "\n");
}
