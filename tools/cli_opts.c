/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "cli_opts.h"

const struct cli_opt g_cli_opts[CLI_OPT_NR] = {
    /* '@' is where cli_opt_help() puts the names this build of the library offers */
    [CLI_OPT_BE] = {"be", CLI_KIND_STR, "NAME", 0,
		    "backend: @; default: the first that claims URI"},
    [CLI_OPT_ADMIN] = {"admin", CLI_KIND_STR, "NAME", 0, "admin interface: @; default: per device"},
    [CLI_OPT_SYNC] = {"sync", CLI_KIND_STR, "NAME", 0, "sync interface: @; default: per device"},
    [CLI_OPT_ASYNC] = {"async", CLI_KIND_STR, "NAME", 0, "async interface: @; default: per device"},
    [CLI_OPT_MEM] = {"mem", CLI_KIND_STR, "NAME", 0, "buffer allocator: @; default: per device"},
    [CLI_OPT_NSID] = {"nsid", CLI_KIND_NUM, "N", UINT32_MAX,
		      "namespace identifier, 1..0xFFFFFFFF; default: the device's own"},
    [CLI_OPT_DIRECT] = {"direct", CLI_KIND_FLAG_NUM, "[0|1]", 1,
			"bypass the page cache (O_DIRECT); on when given, whatever the value"},
    [CLI_OPT_RDONLY] = {"rdonly", CLI_KIND_FLAG, NULL, 0, "open for reading only"},
    [CLI_OPT_SUBNQN] = {"subnqn", CLI_KIND_STR, "NQN", 0, "fabrics: subsystem NQN"},
    [CLI_OPT_HOSTNQN] = {"hostnqn", CLI_KIND_STR, "NQN", 0, "fabrics: host NQN"},
    [CLI_OPT_OUTPUT] = {"output", CLI_KIND_STR, "FORMAT", 0, "output format: yaml or json"},
    [CLI_OPT_SLBA] = {"slba", CLI_KIND_NUM, "LBA", UINT64_MAX, "start LBA"},
    [CLI_OPT_NLB] = {"nlb", CLI_KIND_NUM, "N", UINT16_MAX,
		     "number of LBAs, zero-based like the NVMe field: 0 is one"},
    [CLI_OPT_SDLBA] = {"sdlba", CLI_KIND_NUM, "LBA", UINT64_MAX, "copy: destination start LBA"},
    [CLI_OPT_RANGES] = {"ranges", CLI_KIND_STR, "SLBA:NLB,...", 0,
			"LBA ranges, NLB zero-based; up to 128 (copy, dsm)"},
    [CLI_OPT_LIMIT] = {"limit", CLI_KIND_NUM, "N", UINT32_MAX, "at most N entries; 0: all"},
    [CLI_OPT_EXTENDED] = {"extended", CLI_KIND_FLAG, NULL, 0, "with descriptor extensions"},
    [CLI_OPT_ALL] = {"all", CLI_KIND_FLAG, NULL, 0, "every zone (select all)"},
    [CLI_OPT_CNS] = {"cns", CLI_KIND_NUM, "CNS", UINT8_MAX, "identify: CNS value"},
    [CLI_OPT_CNTID] = {"cntid", CLI_KIND_NUM, "ID", UINT16_MAX, "identify: controller id"},
    [CLI_OPT_CSI] = {"csi", CLI_KIND_NUM, "CSI", UINT8_MAX,
		     "command set: 0 NVM, 1 KV, 2 ZNS; default: the device's"},
    [CLI_OPT_LID] = {"lid", CLI_KIND_NUM, "LID", UINT8_MAX, "log page identifier"},
    [CLI_OPT_LSP] = {"lsp", CLI_KIND_NUM, "LSP", 0x7F, "log specific field"},
    [CLI_OPT_LPO] = {"lpo", CLI_KIND_NUM, "BYTES", UINT64_MAX,
		     "log page offset in bytes, a multiple of 4"},
    [CLI_OPT_FID] = {"fid", CLI_KIND_NUM, "FID", UINT8_MAX, "feature identifier"},
    [CLI_OPT_SEL] = {"sel", CLI_KIND_NUM, "SEL", 7,
		     "feature: 0 current, 1 default, 2 saved, 3 capabilities"},
    [CLI_OPT_FEAT] = {"feat", CLI_KIND_NUM, "VALUE", UINT32_MAX,
		      "feature value (command dword 11)"},
    [CLI_OPT_SAVE] = {"save", CLI_KIND_FLAG, NULL, 0, "feature: keep across power cycles"},
    [CLI_OPT_LBAF] = {"lbaf", CLI_KIND_NUM, "N", 63, "format: LBA format index; default: in use"},
    [CLI_OPT_SES] = {"ses", CLI_KIND_NUM, "SES", 7,
		     "format: 0 no erase, 1 user data erase, 2 cryptographic erase"},
    [CLI_OPT_PI] = {"pi", CLI_KIND_NUM, "TYPE", 7, "format: protection information type"},
    [CLI_OPT_PIL] = {"pil", CLI_KIND_NUM, "0|1", 1,
		     "format: PI in the first (1) or last (0) bytes"},
    [CLI_OPT_MSET] = {"mset", CLI_KIND_NUM, "0|1", 1,
		      "format: metadata extended (1) or separate (0)"},
    [CLI_OPT_SANACT] = {"sanact", CLI_KIND_NUM, "ACTION", 7,
			"sanitize: 1 exit failure, 2 block erase, 3 overwrite, 4 crypto erase"},
    [CLI_OPT_AUSE] = {"ause", CLI_KIND_FLAG, NULL, 0, "sanitize: allow unrestricted exit"},
    [CLI_OPT_OVRPAT] = {"ovrpat", CLI_KIND_NUM, "PATTERN", UINT32_MAX,
			"sanitize: overwrite pattern"},
    [CLI_OPT_STC] = {"stc", CLI_KIND_NUM, "CODE", 0xF,
		     "self-test: 1 short, 2 extended, 0xE vendor, 0xF abort"},
    [CLI_OPT_OPCODE] = {"opcode", CLI_KIND_NUM, "OPC", UINT8_MAX, "command opcode"},
    [CLI_OPT_CDW10] = {"cdw10", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 10"},
    [CLI_OPT_CDW11] = {"cdw11", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 11"},
    [CLI_OPT_CDW12] = {"cdw12", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 12"},
    [CLI_OPT_CDW13] = {"cdw13", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 13"},
    [CLI_OPT_CDW14] = {"cdw14", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 14"},
    [CLI_OPT_CDW15] = {"cdw15", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 15"},
    [CLI_OPT_KEY] = {"key", CLI_KIND_STR, "KEY", 0, "key-value: the key, 1..16 bytes"},
    [CLI_OPT_VALUE] = {"value", CLI_KIND_STR, "STRING", 0, "key-value: the value, as text"},
    [CLI_OPT_ONLY_ADD] = {"only-add", CLI_KIND_FLAG, NULL, 0,
			  "key-value: store only if the key does not exist"},
    [CLI_OPT_ONLY_UPDATE] = {"only-update", CLI_KIND_FLAG, NULL, 0,
			     "key-value: store only if the key exists"},
    [CLI_OPT_CMD_INPUT] = {"cmd-input", CLI_KIND_STR, "FILE", 0,
			   "the 64-byte command to send; options change its fields"},
    [CLI_OPT_CMD_OUTPUT] = {"cmd-output", CLI_KIND_STR, "FILE", 0,
			    "write the 64-byte command sent to FILE"},
    [CLI_OPT_DATA_INPUT] = {"data-input", CLI_KIND_STR, "FILE", 0, "data to send, from FILE"},
    [CLI_OPT_DATA_OUTPUT] = {"data-output", CLI_KIND_STR, "FILE", 0,
			     "data received, to FILE ('-': stdout)"},
    [CLI_OPT_DATA_NBYTES] = {"data-nbytes", CLI_KIND_NUM, "BYTES", UINT32_MAX,
			     "size of the data buffer"},
    [CLI_OPT_META_INPUT] = {"meta-input", CLI_KIND_STR, "FILE", 0, "metadata to send, from FILE"},
    [CLI_OPT_META_OUTPUT] = {"meta-output", CLI_KIND_STR, "FILE", 0, "metadata received, to FILE"},
    [CLI_OPT_META_NBYTES] = {"meta-nbytes", CLI_KIND_NUM, "BYTES", UINT32_MAX,
			     "size of the metadata buffer"},
    [CLI_OPT_IOSIZE] = {"iosize", CLI_KIND_NUM, "BYTES", UINT32_MAX, "bytes per I/O"},
    [CLI_OPT_QDEPTH] = {"qdepth", CLI_KIND_NUM, "N", 4096, "queue depth, 1..4096"},
    [CLI_OPT_RW] = {"rw", CLI_KIND_STR, "PATTERN", 0,
		    "I/O pattern: randread, randwrite, randrw, read, write"},
    [CLI_OPT_BS] = {"bs", CLI_KIND_NUM, "BYTES", 16u << 20, "block size, a multiple of the LBA"},
    [CLI_OPT_RUNTIME] = {"runtime", CLI_KIND_NUM, "SECONDS", 3600, "run this long, 1..3600"},
    [CLI_OPT_IOS] = {"ios", CLI_KIND_NUM, "N", UINT64_MAX, "stop after N I/Os (per thread)"},
    [CLI_OPT_THREADS] = {"threads", CLI_KIND_NUM, "N", 64,
			 "threads, each with its own device handle and queue"},
    [CLI_OPT_RWMIX] = {"rwmix", CLI_KIND_NUM, "PERCENT", 100, "randrw: the percentage of reads"},
    [CLI_OPT_REGISTER] = {"register", CLI_KIND_FLAG, NULL, 0,
			  "io_uring: register the file and the buffers (fixed buffers)"},
    [CLI_OPT_POLL] =
	{"poll", CLI_KIND_FLAG, NULL, 0,
	 "io_uring: poll for completions (IOPOLL, needs --direct; io_uring_cmd: Linux 6.5 on)"},
    [CLI_OPT_SQPOLL] = {"sqpoll", CLI_KIND_FLAG, NULL, 0,
			"io_uring: a kernel thread submits (SQPOLL)"},
    [CLI_OPT_NO_LAT] = {"no-lat", CLI_KIND_FLAG, NULL, 0,
			"no per-I/O clock reads: rates only (for the library's own cost)"},
    [CLI_OPT_SPIN] = {"spin", CLI_KIND_FLAG, NULL, 0,
		      "poll for completions without sleeping (default: sleep in the kernel when "
		      "none is ready)"},
    [CLI_OPT_REAP] = {"reap", CLI_KIND_NUM, "N", 4096,
		      "reap at most N completions per poke, 1..4096 (default: all ready)"},
    [CLI_OPT_BATCH] = {"batch", CLI_KIND_NUM, "N", 4096,
		       "submit at most N commands per poke or wait, 1..qdepth (default: every "
		       "refill at once)"},
    [CLI_OPT_DEV_NSID] = {"dev-nsid", CLI_KIND_NUM, "N", UINT32_MAX,
			  "namespace the device is opened with; default: the device's own"},
    [CLI_OPT_URI] = {"uri", CLI_KIND_STR, "URI", 0,
		     "enumerate at URI (a fabrics address); default: this system"},
    [CLI_OPT_FLAGS] = {"flags", CLI_KIND_NUM, "FLAGS", UINT32_MAX,
		       "enumeration flags (kept for xNVMe's scripts; none defined)"},
    [CLI_OPT_SETID] = {"setid", CLI_KIND_NUM, "ID", UINT16_MAX, "identify: NVM set identifier"},
    [CLI_OPT_UUID] = {"uuid", CLI_KIND_NUM, "INDEX", 0x7F, "identify: UUID index"},
    [CLI_OPT_RAE] = {"rae", CLI_KIND_NUM, "0|1", 1,
		     "log: retain asynchronous event (1 keeps it outstanding)"},
    [CLI_OPT_LPO_NBYTES] = {"lpo-nbytes", CLI_KIND_NUM, "BYTES", UINT64_MAX,
			    "same as --lpo (xNVMe's name)", CLI_SAME_AS(CLI_OPT_LPO)},
    [CLI_OPT_CDW0] = {"cdw0", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 0"},
    [CLI_OPT_CDW1] = {"cdw1", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 1"},
    [CLI_OPT_CDW2] = {"cdw2", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 2"},
    [CLI_OPT_CDW3] = {"cdw3", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 3"},
    [CLI_OPT_CDW4] = {"cdw4", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 4"},
    [CLI_OPT_CDW5] = {"cdw5", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 5"},
    [CLI_OPT_CDW6] = {"cdw6", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 6"},
    [CLI_OPT_CDW7] = {"cdw7", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 7"},
    [CLI_OPT_CDW8] = {"cdw8", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 8"},
    [CLI_OPT_CDW9] = {"cdw9", CLI_KIND_NUM, "VALUE", UINT32_MAX, "command dword 9"},
    [CLI_OPT_VERBOSE] = {"verbose", CLI_KIND_FLAG, NULL, 0,
			 "padc/pioc: also print the data received, in hex"},
    [CLI_OPT_LBAFL] = {"lbafl", CLI_KIND_NUM, "N", 0xF,
		       "format: LBA format index, low 4 bits (with --lbafu; same as --lbaf)"},
    [CLI_OPT_LBAFU] = {"lbafu", CLI_KIND_NUM, "N", 0x3, "format: LBA format index, high 2 bits"},
    [CLI_OPT_OWPASS] = {"owpass", CLI_KIND_NUM, "N", 0xF,
			"sanitize: overwrite pass count (0 is 16)"},
    [CLI_OPT_OIPBP] = {"oipbp", CLI_KIND_FLAG, NULL, 0,
		       "sanitize: invert the pattern between overwrite passes"},
    [CLI_OPT_NODAS] = {"nodas", CLI_KIND_FLAG, NULL, 0, "sanitize: no deallocate after sanitize"},
    [CLI_OPT_AD] = {"ad", CLI_KIND_FLAG, NULL, 0, "dsm: deallocate the range"},
    [CLI_OPT_IDW] = {"idw", CLI_KIND_FLAG, NULL, 0, "dsm: hint, the range is written as one unit"},
    [CLI_OPT_IDR] = {"idr", CLI_KIND_FLAG, NULL, 0, "dsm: hint, the range is read as one unit"},
    [CLI_OPT_LLB] = {"llb", CLI_KIND_NUM, "N", UINT32_MAX,
		     "dsm: length of the range in LBAs, one-based"},
    [CLI_OPT_LSI] = {"lsi", CLI_KIND_NUM, "ID", UINT16_MAX,
		     "log: log specific identifier (FDP: the endurance group)"},
    [CLI_OPT_PID] = {"pid", CLI_KIND_STR, "PID,...", 0,
		     "FDP: placement identifiers, comma separated"},
    [CLI_OPT_DSPEC] = {"dspec", CLI_KIND_NUM, "N", UINT16_MAX, "directive specific value"},
    [CLI_OPT_DTYPE] = {"dtype", CLI_KIND_NUM, "N", UINT8_MAX,
		       "directive type: 0 identify, 1 streams, 2 data placement"},
    [CLI_OPT_DOPER] = {"doper", CLI_KIND_NUM, "N", UINT8_MAX, "directive operation"},
    [CLI_OPT_ENDIR] = {"endir", CLI_KIND_NUM, "0|1", 1, "directive send: enable (1) or disable"},
    [CLI_OPT_TGTDIR] = {"tgtdir", CLI_KIND_NUM, "N", UINT8_MAX,
			"directive send: the directive type to enable or disable"},
    [CLI_OPT_NSR] = {"nsr", CLI_KIND_NUM, "N", UINT16_MAX,
		     "directive receive: number of streams to allocate"},
    [CLI_OPT_PRACT] = {"pract", CLI_KIND_NUM, "0|1", 1,
		       "protection information action: 1 the controller inserts/strips it"},
    [CLI_OPT_PRCHK] = {"prchk", CLI_KIND_NUM, "BITS", 7,
		       "protection information check: 4 guard, 2 application tag, 1 reference tag"},
    [CLI_OPT_APPTAG] = {"apptag", CLI_KIND_NUM, "TAG", UINT16_MAX,
			"protection information: application tag"},
    [CLI_OPT_APPTAG_MASK] = {"apptag_mask", CLI_KIND_NUM, "MASK", UINT16_MAX,
			     "protection information: application tag mask"},
    [CLI_OPT_ZSA] = {"zsa", CLI_KIND_NUM, "ACTION", UINT8_MAX,
		     "zone send action: 1 close, 2 finish, 3 open, 4 reset, 5 offline"},
    [CLI_OPT_COMPRESS] = {"compress", CLI_KIND_FLAG, NULL, 0,
			  "key-value: let the device compress the value"},
    [CLI_OPT_VEC_CNT] = {"vec-cnt", CLI_KIND_NUM, "N", 1024, "elements per vectored I/O, 1..1024"},
    [CLI_OPT_OFFSET] = {"offset", CLI_KIND_NUM, "BYTES", INT64_MAX,
			"start at this byte offset of the input and the output"},
    [CLI_OPT_HELP] = {"help", CLI_KIND_FLAG, NULL, 0, "print this help and exit"},
};

/* Appends @p name to the comma-separated @p list unless it is there already */
static void
names_add(char *list, size_t len, const char *name)
{
	size_t n = strlen(name), used = strlen(list);

	for (const char *p = list; (p = strstr(p, name)); p += n) {
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0')) {
			return;
		}
	}
	snprintf(list + used, len - used, "%s%s", used ? ", " : "", name);
}

/* One list per option, in the order of enum cli_opt_id from CLI_OPT_BE on */
enum { NAMES_BE, NAMES_ADMIN, NAMES_SYNC, NAMES_ASYNC, NAMES_MEM, NAMES_NR };
_Static_assert(CLI_OPT_ADMIN == CLI_OPT_BE + NAMES_ADMIN &&
		   CLI_OPT_SYNC == CLI_OPT_BE + NAMES_SYNC &&
		   CLI_OPT_ASYNC == CLI_OPT_BE + NAMES_ASYNC &&
		   CLI_OPT_MEM == CLI_OPT_BE + NAMES_MEM,
	       "the device-naming options follow --be in enum cli_opt_id");

/*
 * The backends (names, then aliases, in claim order) and the interface names of each kind that
 * this library offers, from its build listing (xnvme_libconf_fpr(): the public API's view of the
 * backend registry), so that the help, and the completion that reads it, list exactly what an
 * open takes. An alias shared by backends is explained after the list ("spdk: pcie or tcp").
 */
static int
names_read(char names[NAMES_NR][256], char *aliases, size_t alen)
{
	char *text = NULL, *save = NULL, alias[64] = "", be[64] = "";
	char owners[4][96] = {{0}}, seen[4][64] = {{0}};
	struct cli_mem mem;
	size_t size = 0;
	int kind = -1;
	FILE *stream = cli_mem_open(&mem);

	if (!stream) {
		return -1;
	}
	xnvme_libconf_fpr(stream, XNVME_PR_DEF);
	if (cli_mem_close(&mem, &text, &size)) {
		return -1;
	}
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char word[64];

		if (sscanf(line, "  - name: '%63[^']'", be) == 1) {
			names_add(names[NAMES_BE], sizeof(names[0]), be);
			kind = -1;
		} else if (sscanf(line, "    alias: '%63[^']'", alias) == 1) {
			for (size_t i = 0; i < 4; ++i) {
				if (!seen[i][0] || !strcmp(seen[i], alias)) {
					snprintf(seen[i], sizeof(seen[i]), "%s", alias);
					names_add(owners[i], sizeof(owners[i]), be);
					break;
				}
			}
		} else if (!strcmp(line, "      admin:") || !strcmp(line, "      sync:") ||
			   !strcmp(line, "      async:") || !strcmp(line, "      mem:")) {
			kind = line[6] == 'a'   ? (line[7] == 'd' ? NAMES_ADMIN : NAMES_ASYNC)
			       : line[6] == 's' ? NAMES_SYNC
						: NAMES_MEM;
		} else if (kind >= NAMES_ADMIN &&
			   sscanf(line, "        - {id: '%63[^']'", word) == 1) {
			names_add(names[kind], sizeof(names[0]), word);
		}
	}
	free(text);
	for (size_t i = 0; i < 4 && seen[i][0]; ++i) {
		size_t used = strlen(aliases);
		char *last = strrchr(owners[i], ',');

		names_add(names[NAMES_BE], sizeof(names[0]), seen[i]);
		if (last && strlen(owners[i]) + 2 < sizeof(owners[i])) { // "pcie or tcp"
			memmove(last + 3, last + 1, strlen(last + 1) + 1);
			memcpy(last, " or", 3);
		}
		snprintf(aliases + used, alen - used, "; %s: %s", seen[i], owners[i]);
	}
	return 0;
}

const char *
cli_opt_help(enum cli_opt_id id)
{
	static char names[NAMES_NR][256], aliases[512], help[NAMES_NR][1024];
	static int done;
	const char *tmpl = g_cli_opts[id].help, *at = strchr(tmpl, '@');
	int which = (int)id - (int)CLI_OPT_BE;

	if (!at || which < 0 || which >= NAMES_NR) {
		return tmpl;
	}
	if (!done) {
		done = names_read(names, aliases, sizeof(aliases)) ? -1 : 1;
	}
	snprintf(help[which], sizeof(help[which]), "%.*s%s%s%s", (int)(at - tmpl), tmpl,
		 done > 0 ? names[which] : "see 'xnvme library-info'",
		 which == NAMES_BE ? aliases : "", at + 1);
	return help[which];
}
