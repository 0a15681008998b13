/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every spec printer on every structure filled three ways: all zeroes, a known pattern (with
 * quotes, backslashes, control and non-ASCII bytes in the strings) and all 0xFF. Each printer
 * writes its own YAML document ("---" first) to argv[1], or to stdout; spec_yaml_check.py parses
 * the stream and checks the pattern's values came through. Here: each printer returns the number of
 * bytes it wrote, and the name functions give the specification's names.
 *
 * Document order (the checker relies on it): for each fill in zero, pattern, 0xFF, every printer
 * with XNVME_PR_DEF then XNVME_PR_TERSE (the command-side printers, which print xNVMe's output and
 * have no terse form, with XNVME_PR_DEF then XNVME_PR_YAML); then the NULL documents; then the
 * `_pr` documents. check_cmd_printers() holds the exact output of the command-side printers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxnvme_spec_pp.h>

enum fill { FILL_ZERO, FILL_PATTERN, FILL_ONES };

static FILE *g_out;
static FILE *g_raw; ///< What is not a YAML document of its own (xNVMe's FDP lists, fragments)
static FILE *g_dst; ///< Where PRINT_STDOUT copies to
static int g_nfail;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "FAIL: " __VA_ARGS__);                                             \
		fprintf(stderr, "\n");                                                             \
		g_nfail++;                                                                         \
	} while (0)

/* One document: the printer's return must equal the bytes ftell() saw reach the stream */
#define PRINT(expr)                                                                                \
	do {                                                                                       \
		FILE *stream = g_dst;                                                              \
		long before, after;                                                                \
		int ret;                                                                           \
		fputs("---\n", stream);                                                            \
		before = ftell(stream);                                                            \
		ret = (expr);                                                                      \
		after = ftell(stream);                                                             \
		if (before < 0 || after < 0 || (long)ret != after - before) {                      \
			FAIL("%s returned %d, wrote %ld", #expr, ret, after - before);             \
		}                                                                                  \
	} while (0)

/* Both printer forms; `opts` is in scope of @p expr */
#define PRINT_BOTH(expr)                                                                           \
	do {                                                                                       \
		int opts = XNVME_PR_DEF;                                                           \
		PRINT(expr);                                                                       \
		opts = XNVME_PR_TERSE;                                                             \
		PRINT(expr);                                                                       \
	} while (0)

/* The command-side printers: XNVME_PR_DEF, then XNVME_PR_YAML */
#define PRINT_DEF_YAML(expr)                                                                       \
	do {                                                                                       \
		int opts = XNVME_PR_DEF;                                                           \
		PRINT(expr);                                                                       \
		opts = XNVME_PR_YAML;                                                              \
		PRINT(expr);                                                                       \
	} while (0)

static void
fill(void *buf, size_t nbytes, enum fill how)
{
	uint8_t *bytes = buf;

	for (size_t i = 0; i < nbytes; ++i) {
		bytes[i] = how == FILL_ZERO ? 0 : how == FILL_ONES ? 0xFF : (uint8_t)(i * 37 + 11);
	}
}

/* Space-pads @p str into the fixed-size field @p dst, as identify strings are */
static void
setstr(char *dst, size_t len, const char *str, char pad)
{
	memset(dst, pad, len);
	memcpy(dst, str, strnlen(str, len));
}

static void
pattern_ctrlr(struct xnvme_spec_idfy_ctrlr *c)
{
	c->vid = 0x1b36;
	c->ssvid = 0x1af4;
	setstr((char *)c->sn, sizeof(c->sn), "SN\x01\"q\\ 'x' \x7f\xff:#", ' ');
	setstr((char *)c->mn, sizeof(c->mn), "model: \t- [x]", '\0');
	setstr((char *)c->fr, sizeof(c->fr), "FR&*!%@|", ' ');
	setstr((char *)c->subnqn, sizeof(c->subnqn), "nqn.2014-08.org.nvmexpress:uuid:1", '\0');
	c->mdts = 5;
	c->nn = 1024;
	c->oacs.val = 0x5f;
	c->npss = 2;
	c->ieee[0] = 0x56;
	c->ieee[1] = 0x34;
	c->ieee[2] = 0x12;
	// 2^65 - 1: the two halves, low first
	c->tnvmcap[0] = UINT64_MAX;
	c->tnvmcap[1] = 1;
}

static void
pattern_ns(struct xnvme_spec_idfy_ns *ns)
{
	ns->nsze = 0x123456789ULL;
	ns->nlbaf = 7;
	ns->flbas.format = 2;
	ns->flbas.extended = 1;
	ns->flbas.format_msb = 0;
	ns->flbas.reserved2 = 0;
	for (int i = 0; i < 64; ++i) {
		ns->lbaf[i].ms = (uint16_t)(i * 8);
		ns->lbaf[i].ds = (uint8_t)(9 + i % 4);
		ns->lbaf[i].rp = (uint8_t)(i % 4);
	}
}

static void
pattern_logs(struct xnvme_spec_log_erri_entry *erri, struct xnvme_spec_log_health_entry *health,
	     struct xnvme_spec_log_fw_slot *fw, struct xnvme_spec_log_chns *chns,
	     struct xnvme_spec_log_csae *csae, struct xnvme_spec_znd_log_changes *zlog)
{
	uint16_t temp = 310;

	for (int i = 0; i < 5; ++i) {
		erri[i].ecnt = (uint64_t)i + 1;
		erri[i].status.sct = XNVME_STATUS_CODE_TYPE_CMDSPEC;
		erri[i].status.sc = XNVME_SPEC_ZND_SC_IS_FULL;
	}
	health->comp_temp = 300;
	memset(health->data_units_read, 0, sizeof(health->data_units_read));
	health->data_units_read[8] = 1; // 2^64
	memcpy((uint8_t *)health + offsetof(struct xnvme_spec_log_health_entry, temp_sens), &temp,
	       sizeof(temp));
	setstr(fw->frs[0], sizeof(fw->frs[0]), "1.0", '\0');
	setstr(fw->frs[1], sizeof(fw->frs[1]), "\"\\\xff\x01", ' ');
	for (uint32_t i = 0; i < 1024; ++i) {
		chns->nsids[i] = i < 3 ? i + 1 : 0;
	}
	memset(csae, 0, sizeof(*csae));
	csae->acs[XNVME_SPEC_ADM_OPC_IDFY].csupp = 1;
	csae->iocs[XNVME_SPEC_NVM_OPC_READ].csupp = 1;
	csae->iocs[XNVME_SPEC_NVM_OPC_WRITE].csupp = 1;
	csae->iocs[XNVME_SPEC_NVM_OPC_WRITE].lbcc = 1;
	zlog->nidents = 3;
}

static void
print_all(enum fill how)
{
	struct xnvme_spec_idfy *idfy = malloc(sizeof(*idfy));
	struct xnvme_spec_log_erri_entry *erri = malloc(64 * sizeof(*erri));
	struct xnvme_spec_log_health_entry *health = malloc(sizeof(*health));
	struct xnvme_spec_log_fw_slot *fw = malloc(sizeof(*fw));
	struct xnvme_spec_log_chns *chns = malloc(sizeof(*chns));
	struct xnvme_spec_log_csae *csae = malloc(sizeof(*csae));
	struct xnvme_spec_znd_log_changes *zlog = malloc(sizeof(*zlog));
	struct xnvme_spec_nvm_scopy_source_range *srange = malloc(sizeof(*srange));
	struct xnvme_spec_znd_report_hdr hdr;
	struct xnvme_spec_znd_descr descr;
	struct xnvme_spec_cmd cmd;
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_feat feat;
	const uint8_t fids[] = {0x01, 0x02, 0x04, 0x05, 0x06, 0x07, 0x08,
				0x09, 0x0A, 0x0B, 0x16, 0x1D, 0x1E, 0xFF};
	int nerri = how == FILL_ZERO ? 1 : how == FILL_PATTERN ? 5 : 64;

	if (!idfy || !erri || !health || !fw || !chns || !csae || !zlog || !srange) {
		FAIL("out of memory");
		exit(1);
	}

	fill(idfy, sizeof(*idfy), how);
	if (how == FILL_PATTERN) {
		pattern_ctrlr(&idfy->ctrlr);
	}
	PRINT_BOTH(xnvme_spec_idfy_ctrlr_fpr(stream, &idfy->ctrlr, opts));

	fill(idfy, sizeof(*idfy), how);
	if (how == FILL_PATTERN) {
		pattern_ns(&idfy->ns);
	}
	PRINT_BOTH(xnvme_spec_idfy_ns_fpr(stream, &idfy->ns, opts));

	fill(idfy, sizeof(*idfy), how);
	PRINT_BOTH(xnvme_spec_nvm_idfy_ctrlr_fpr(stream, &idfy->nvm_ctrlr, opts));
	PRINT_BOTH(xnvme_spec_nvm_idfy_ns_fpr(stream, &idfy->nvm_ns, opts));
	PRINT_BOTH(xnvme_spec_znd_idfy_ctrlr_fpr(stream, &idfy->znd_ctrlr, opts));
	PRINT_BOTH(xnvme_spec_znd_idfy_ns_fpr(stream, &idfy->znd_ns, opts));

	if (how == FILL_PATTERN) {
		for (uint32_t i = 0; i < 1024; ++i) {
			idfy->nslist[i] = i < 10 ? i + 1 : 0;
		}
	}
	PRINT_BOTH(xnvme_spec_idfy_nslist_fpr(stream, idfy, opts));

	fill(erri, 64 * sizeof(*erri), how);
	fill(health, sizeof(*health), how);
	fill(fw, sizeof(*fw), how);
	fill(chns, sizeof(*chns), how);
	fill(csae, sizeof(*csae), how);
	fill(zlog, sizeof(*zlog), how);
	if (how == FILL_PATTERN) {
		pattern_logs(erri, health, fw, chns, csae, zlog);
	}
	PRINT_BOTH(xnvme_spec_log_erri_fpr(stream, erri, nerri, opts));
	PRINT_BOTH(xnvme_spec_log_health_fpr(stream, health, opts));
	PRINT_BOTH(xnvme_spec_log_fw_slot_fpr(stream, fw, opts));
	PRINT_BOTH(xnvme_spec_log_chns_fpr(stream, chns, opts));
	PRINT_BOTH(xnvme_spec_log_csae_fpr(stream, csae, opts));
	PRINT_BOTH(xnvme_spec_znd_log_changes_fpr(stream, zlog, opts));

	fill(&descr, sizeof(descr), how);
	fill(&hdr, sizeof(hdr), how);
	fill(srange, sizeof(*srange), how);
	fill(&cmd, sizeof(cmd), how);
	fill(&cpl, sizeof(cpl), how);
	fill(&feat, sizeof(feat), how);
	if (how == FILL_PATTERN) {
		descr.zs = XNVME_SPEC_ZND_STATE_FULL;
		descr.zslba = 0x80000;
		hdr.nzones = 4096;
		srange->entry[1].slba = 0x1000;
		srange->entry[1].nlb = 7;
		cmd.common.opcode = XNVME_SPEC_ADM_OPC_IDFY;
		cmd.common.nsid = 1;
		cpl.status.sct = XNVME_STATUS_CODE_TYPE_MEDIA;
		cpl.status.sc = XNVME_SPEC_SC_COMPARE_FAILURE;
		feat.val = 0x00070003;
	}
	PRINT_DEF_YAML(xnvme_spec_znd_descr_fpr(stream, &descr, opts));
	PRINT_DEF_YAML(xnvme_spec_znd_report_hdr_fpr(stream, &hdr, opts));
	PRINT_DEF_YAML(xnvme_spec_nvm_scopy_fmt_zero_fpr(stream, &srange->entry[1], opts));
	PRINT_DEF_YAML(xnvme_spec_nvm_scopy_source_range_fpr(stream, srange, 2, opts));
	PRINT_DEF_YAML(xnvme_spec_cmd_fpr(stream, &cmd, opts));
	PRINT_BOTH(xnvme_spec_cpl_fpr(stream, &cpl, opts));
	for (size_t i = 0; i < sizeof(fids); ++i) {
		PRINT_BOTH(xnvme_spec_feat_fpr(stream, fids[i], feat, opts));
	}

	free(idfy);
	free(erri);
	free(health);
	free(fw);
	free(chns);
	free(csae);
	free(zlog);
	free(srange);
}

static void
print_nulls(void)
{
	PRINT(xnvme_spec_idfy_ctrlr_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_idfy_ns_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_nvm_idfy_ctrlr_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_nvm_idfy_ns_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_znd_idfy_ctrlr_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_znd_idfy_ns_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_idfy_nslist_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_znd_descr_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_log_erri_fpr(stream, NULL, 4, XNVME_PR_DEF));
	PRINT(xnvme_spec_log_health_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_log_fw_slot_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_log_chns_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_log_csae_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_znd_log_changes_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_znd_report_hdr_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_nvm_scopy_fmt_zero_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_nvm_scopy_source_range_fpr(stream, NULL, 0, XNVME_PR_DEF));
	PRINT(xnvme_spec_cmd_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_cpl_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_idfy_cs_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_kvs_idfy_ns_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_spec_ctrlr_bar_fpr(stream, NULL, XNVME_PR_DEF));
}

/*
 * The `_pr` forms write to stdout: point stdout at a temporary file for the call, check the count
 * against the file, then copy the bytes into the stream as one more document
 */
#define PRINT_STDOUT(expr)                                                                         \
	do {                                                                                       \
		FILE *tmp = tmpfile();                                                             \
		int saved, ret;                                                                    \
		long len;                                                                          \
		char buf[8192];                                                                    \
		fflush(stdout);                                                                    \
		saved = dup(STDOUT_FILENO);                                                        \
		if (!tmp || saved < 0 || dup2(fileno(tmp), STDOUT_FILENO) < 0) {                   \
			FAIL("cannot redirect stdout for %s", #expr);                              \
			break;                                                                     \
		}                                                                                  \
		ret = (expr);                                                                      \
		fflush(stdout);                                                                    \
		dup2(saved, STDOUT_FILENO);                                                        \
		close(saved);                                                                      \
		len = lseek(fileno(tmp), 0, SEEK_CUR);                                             \
		if ((long)ret != len) {                                                            \
			FAIL("%s returned %d, wrote %ld", #expr, ret, len);                        \
		}                                                                                  \
		rewind(tmp);                                                                       \
		fputs("---\n", g_dst);                                                             \
		for (size_t n; (n = fread(buf, 1, sizeof(buf), tmp)) > 0;) {                       \
			fwrite(buf, 1, n, g_dst);                                                  \
		}                                                                                  \
		fclose(tmp);                                                                       \
	} while (0)

static void
print_stdout_forms(void)
{
	static struct xnvme_spec_idfy idfy;
	static struct xnvme_spec_nvm_scopy_source_range srange;
	struct xnvme_spec_znd_report_hdr hdr = {.nzones = 2};
	struct xnvme_spec_znd_descr descr = {.zs = XNVME_SPEC_ZND_STATE_EMPTY, .zcap = 64};
	struct xnvme_spec_cmd cmd = {0};
	struct xnvme_spec_cpl cpl = {0};

	pattern_ctrlr(&idfy.ctrlr);
	PRINT_STDOUT(xnvme_spec_idfy_ctrlr_pr(&idfy.ctrlr, XNVME_PR_DEF));
	memset(&idfy, 0, sizeof(idfy));
	pattern_ns(&idfy.ns);
	PRINT_STDOUT(xnvme_spec_idfy_ns_pr(&idfy.ns, XNVME_PR_DEF));
	PRINT_STDOUT(xnvme_spec_cmd_pr(&cmd, XNVME_PR_DEF));
	PRINT_STDOUT(xnvme_spec_cpl_pr(&cpl, XNVME_PR_YAML));
	PRINT_STDOUT(xnvme_spec_znd_descr_pr(&descr, XNVME_PR_DEF));
	PRINT_STDOUT(xnvme_spec_znd_report_hdr_pr(&hdr, XNVME_PR_DEF));
	srange.entry[0].nlb = 1;
	PRINT_STDOUT(xnvme_spec_nvm_scopy_fmt_zero_pr(&srange.entry[0], XNVME_PR_DEF));
	PRINT_STDOUT(xnvme_spec_nvm_scopy_source_range_pr(&srange, 0, XNVME_PR_DEF));
}

/*
 * Runs @p expr (a printer writing to `stream`) on a memory stream; the text and the return value
 * must be @p want, which is what xNVMe 0.7.5's printer writes for the same input
 */
#define EXPECT_OUT(what, expr, want)                                                               \
	do {                                                                                       \
		char *text = NULL;                                                                 \
		size_t len = 0;                                                                    \
		FILE *stream = open_memstream(&text, &len);                                        \
		int ret;                                                                           \
		if (!stream) {                                                                     \
			FAIL("%s: open_memstream", what);                                          \
			break;                                                                     \
		}                                                                                  \
		ret = (expr);                                                                      \
		fclose(stream);                                                                    \
		if (strcmp(text, want) || ret != (int)strlen(want)) {                              \
			FAIL("%s returned %d and printed:\n%s\nexpected:\n%s", what, ret, text,    \
			     want);                                                                \
		}                                                                                  \
		free(text);                                                                        \
	} while (0)

static void
check_cmd_printers(void)
{
	static struct xnvme_spec_nvm_scopy_source_range srange;
	struct xnvme_spec_znd_report_hdr hdr = {.nzones = 3};
	struct xnvme_spec_znd_descr descr = {0};
	struct xnvme_spec_cmd cmd = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *stream;
	int ret;

	cmd.common.opcode = 0x02;
	cmd.common.fuse = 1;
	cmd.common.psdt = 1;
	cmd.common.cid = 0x1234;
	cmd.common.nsid = 1;
	cmd.common.mptr = 0x1000;
	cmd.common.dptr.prp.prp1 = 0x2000;
	cmd.common.ndt = 7;
	cmd.common.cdw12 = 0x80000003;
	EXPECT_OUT("cmd_fpr(DEF)", xnvme_spec_cmd_fpr(stream, &cmd, XNVME_PR_DEF),
		   "xnvme_spec_cmd:\n"
		   "  - '00010010001101000100000100000010'\n"
		   "  - '00000000000000000000000000000001'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '00000000000000000001000000000000'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '00000000000000000010000000000000'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '00000000000000000000000000000111'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '10000000000000000000000000000011'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '00000000000000000000000000000000'\n"
		   "  - '00000000000000000000000000000000'\n");
	EXPECT_OUT("cmd_fpr(YAML)", xnvme_spec_cmd_fpr(stream, &cmd, XNVME_PR_YAML),
		   "xnvme_spec_cmd:\n"
		   "  - 0x12344102\n"
		   "  - 0x01\n"
		   "  - 0000\n"
		   "  - 0000\n"
		   "  - 0x1000\n"
		   "  - 0000\n"
		   "  - 0x2000\n"
		   "  - 0000\n"
		   "  - 0000\n"
		   "  - 0000\n"
		   "  - 0x07\n"
		   "  - 0000\n"
		   "  - 0x80000003\n"
		   "  - 0000\n"
		   "  - 0000\n"
		   "  - 0000\n");
	EXPECT_OUT("cmd_fpr(TERSE)", xnvme_spec_cmd_fpr(stream, &cmd, XNVME_PR_TERSE),
		   "# ENOSYS: opts(0x2)");
	EXPECT_OUT("cmd_fpr(YAML|TERSE)",
		   xnvme_spec_cmd_fpr(stream, &cmd, XNVME_PR_YAML | XNVME_PR_TERSE),
		   "xnvme_spec_cmd:\n"
		   "  opcode: 0x2\n"
		   "  fuse: 0x1\n"
		   "  rsvd: 0\n"
		   "  psdt: 0x1\n"
		   "  cid: 0x1234\n"
		   "  nsid: 0x01\n"
		   "  cdw02: 0000\n"
		   "  cdw03: 0000\n"
		   "  mptr: 0x001000\n"
		   "  prp1: 0x002000\n"
		   "  prp2: 00000000\n"
		   "  cdw10: 0x07\n"
		   "  cdw11: 0000\n"
		   "  cdw12: 0x80000003\n"
		   "  cdw13: 0000\n"
		   "  cdw14: 0000\n"
		   "  cdw15: 0000\n");
	EXPECT_OUT("cmd_fpr(4)", xnvme_spec_cmd_fpr(stream, &cmd, 4), "xnvme_spec_cmd:\n");
	EXPECT_OUT("cmd_fpr(NULL, TERSE)", xnvme_spec_cmd_fpr(stream, NULL, XNVME_PR_TERSE),
		   "# ENOSYS: opts(0x2)");

	descr.zslba = 0x80000;
	descr.wp = 0x80010;
	descr.zcap = 65536;
	descr.zt = XNVME_SPEC_ZND_TYPE_SEQWR;
	descr.zs = XNVME_SPEC_ZND_STATE_CLOSED;
	descr.za.val = 0x81;
	EXPECT_OUT("znd_descr_fpr", xnvme_spec_znd_descr_fpr(stream, &descr, XNVME_PR_DEF),
		   "xnvme_spec_znd_descr:\n"
		   "  zslba: 0x0000000000080000\n"
		   "  wp: 0x0000000000080010\n"
		   "  zcap: 65536\n"
		   "  zt: 0x2\n"
		   "  zs:  ZND_STATE_CLOSED\n"
		   "  za: '0b10000001'\n");
	EXPECT_OUT("znd_descr_fpr_yaml", xnvme_spec_znd_descr_fpr_yaml(stream, &descr, 0, ", "),
		   "zslba: 0x0000000000080000, wp: 0x0000000000080010, zcap: 65536, zt: 0x2, zs:  "
		   "ZND_STATE_CLOSED, za: '0b10000001'");
	EXPECT_OUT("znd_descr_fpr(TERSE)", xnvme_spec_znd_descr_fpr(stream, &descr, XNVME_PR_TERSE),
		   "# ENOSYS: opts(2)");
	EXPECT_OUT("znd_report_hdr_fpr", xnvme_spec_znd_report_hdr_fpr(stream, &hdr, XNVME_PR_YAML),
		   "xnvme_spec_znd_report_hdr:\n"
		   "  nzones: 3\n"
		   "\n");

	srange.entry[0].slba = 0x10;
	srange.entry[0].nlb = 7;
	srange.entry[0].eilbrt = 0xA;
	srange.entry[0].elbatm = 0xB;
	srange.entry[0].elbat = 0xC;
	srange.entry[1].slba = 0x20;
	srange.entry[1].nlb = 0xFFFF;
	EXPECT_OUT("scopy_fmt_zero_fpr",
		   xnvme_spec_nvm_scopy_fmt_zero_fpr(stream, &srange.entry[0], XNVME_PR_DEF),
		   "xnvme_spec_nvm_scopy_fmt_zero:\n"
		   "  slba: 0x0000000000000010\n"
		   "  nlb: 7\n"
		   "  eilbrt: 0x0000000a\n"
		   "  elbatm: 0x0000000b\n"
		   "  elbat: 0x0000000c\n");
	EXPECT_OUT("scopy_source_range_fpr",
		   xnvme_spec_nvm_scopy_source_range_fpr(stream, &srange, 1, XNVME_PR_DEF),
		   "xnvme_spec_nvm_scopy_source_range:\n"
		   "  nranges: 2\n"
		   "  nr: 1\n"
		   "  entries:\n"
		   "  - { slba: 0x0000000000000010, nlb: 7, eilbrt: 0x0000000a, elbatm: "
		   "0x0000000b, elbat: 0x0000000c }\n"
		   "  - { slba: 0x0000000000000020, nlb: 65535, eilbrt: 0x00000000, elbatm: "
		   "0x00000000, elbat: 0x00000000 }\n");

	// nr 255: the count wraps to 0 as a byte; the entries stop at the array's 128
	stream = open_memstream(&text, &len);
	if (!stream) {
		FAIL("open_memstream");
		return;
	}
	ret = xnvme_spec_nvm_scopy_source_range_fpr(stream, &srange, 255, XNVME_PR_DEF);
	fclose(stream);
	{
		int nentries = 0;

		for (const char *at = text; (at = strstr(at, "  - { slba")); ++at) {
			nentries++;
		}
		if (ret != (int)len || !strstr(text, "  nranges: 0\n  nr: 255\n") ||
		    nentries != XNVME_SPEC_NVM_SCOPY_NENTRY_MAX) {
			FAIL("scopy_source_range_fpr(nr 255): %d entries, returned %d of %zu",
			     nentries, ret, len);
		}
	}
	free(text);
}

/* The same, into the stream of non-YAML output */
#define PRINT_RAW_STDOUT(expr)                                                                     \
	do {                                                                                       \
		g_dst = g_raw;                                                                     \
		PRINT_STDOUT(expr);                                                                \
		g_dst = g_out;                                                                     \
	} while (0)

/* A document in the YAML stream from each of the printers added for xNVMe 0.7.5's API */
static void
print_more(enum fill how)
{
	static union {
		struct xnvme_spec_idfy idfy;
		struct xnvme_spec_ctrlr_bar bar;
		uint8_t raw[8192];
	} u;

	fill(&u, sizeof(u), how);
	PRINT_BOTH(xnvme_spec_idfy_cs_fpr(stream, &u.idfy.cs, opts));
	if (how == FILL_PATTERN) {
		u.idfy.kvs_ns.nkvf = 2;
	}
	PRINT_BOTH(xnvme_spec_kvs_idfy_ns_fpr(stream, &u.idfy.kvs_ns, opts));
	PRINT_BOTH(xnvme_spec_ctrlr_bar_fpr(stream, &u.bar, opts));
}

/* The stdout forms and the printers whose output is not a YAML document of its own */
static void
print_raw(void)
{
	static union {
		struct xnvme_spec_idfy idfy;
		struct xnvme_spec_log_erri_entry erri[4];
		struct xnvme_spec_log_health_entry health;
		struct xnvme_spec_znd_log_changes changes;
		struct xnvme_spec_log_fdp_conf conf;
		struct xnvme_spec_log_fdp_stats stats;
		struct xnvme_spec_log_fdp_events events;
		struct xnvme_spec_log_ruhu ruhu;
		struct xnvme_spec_ruhs ruhs;
		struct xnvme_spec_idfy_dir_rp dir;
		struct xnvme_spec_streams_dir_rp srp;
		struct xnvme_spec_streams_dir_gs sgs;
		struct xnvme_spec_ctrlr_bar bar;
		struct xnvme_spec_fdp_event_desc fdpe[4];
		uint8_t raw[8192];
	} u;
	struct xnvme_spec_alloc_resource sar = {.val = 5};
	struct xnvme_spec_feat feat = {.val = 2};
	struct xnvme_spec_fdp_conf_desc *desc;

	memset(&u, 0, sizeof(u));
	PRINT_RAW_STDOUT(xnvme_spec_idfy_cs_pr(&u.idfy.cs, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_kvs_idfy_ns_pr(&u.idfy.kvs_ns, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_nvm_idfy_ctrlr_pr(&u.idfy.nvm_ctrlr, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_nvm_idfy_ns_pr(&u.idfy.nvm_ns, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_znd_idfy_ctrlr_pr(&u.idfy.znd_ctrlr, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_znd_idfy_ns_pr(&u.idfy.znd_ns, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_log_erri_pr(u.erri, 4, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_log_health_pr(&u.health, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_znd_log_changes_pr(&u.changes, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_feat_pr(XNVME_SPEC_FEAT_FDP_MODE, feat, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_ctrlr_bar_pp(&u.bar, XNVME_PR_DEF));
	g_dst = g_raw;
	PRINT(xnvme_spec_znd_idfy_lbafe_fpr(stream, &u.idfy.znd_ns.lbafe[0], XNVME_PR_DEF));
	g_dst = g_out;

	// Two configurations; the first with two handles, so the second starts 72 bytes in
	u.conf.ncfg = 1;
	u.conf.size = sizeof(u.conf) + 72 + sizeof(*desc); // the printer reads no further
	desc = u.conf.conf_desc;
	desc->ds = sizeof(*desc) + 2 * sizeof(struct xnvme_spec_ruh_desc);
	desc->nruh = 2;
	desc->ruh_desc[1].ruht = 2;
	desc = (void *)((uint8_t *)desc + desc->ds);
	desc->ds = sizeof(*desc);
	desc->nrg = 77;
	PRINT_RAW_STDOUT(xnvme_spec_log_fdp_conf_pr(&u.conf, XNVME_PR_DEF));
	memset(&u, 0, sizeof(u));
	u.stats.mbe[1] = 3;
	PRINT_RAW_STDOUT(xnvme_spec_log_fdp_stats_pr(&u.stats, XNVME_PR_DEF));
	u.events.nevents = 1;
	u.events.event[0].type = 2;
	PRINT_RAW_STDOUT(xnvme_spec_log_fdp_events_pr(&u.events, 1, XNVME_PR_DEF));
	memset(&u, 0, sizeof(u));
	u.ruhu.nruh = 2;
	u.ruhu.ruhu_desc[1].ruha = 1;
	PRINT_RAW_STDOUT(xnvme_spec_log_ruhu_pr(&u.ruhu, 2, XNVME_PR_DEF));
	memset(&u, 0, sizeof(u));
	u.ruhs.nruhsd = 1;
	u.ruhs.desc[0].pi = 1;
	u.ruhs.desc[0].ruhi = 2;
	u.ruhs.desc[0].earutr = 3;
	u.ruhs.desc[0].ruamw = 4;
	PRINT_RAW_STDOUT(xnvme_spec_ruhs_pr(&u.ruhs, 8, XNVME_PR_DEF));
	memset(&u, 0, sizeof(u));
	u.dir.directives_supported.streams = 1;
	PRINT_RAW_STDOUT(xnvme_spec_drecv_idfy_pr(&u.dir, XNVME_PR_DEF));
	u.srp.msl = 16;
	PRINT_RAW_STDOUT(xnvme_spec_drecv_srp_pr(&u.srp, XNVME_PR_DEF));
	memset(&u, 0, sizeof(u));
	u.sgs.open_sc = 2;
	u.sgs.sid[0] = 7;
	u.sgs.sid[1] = 9;
	PRINT_RAW_STDOUT(xnvme_spec_drecv_sgs_pr(&u.sgs, XNVME_PR_DEF));
	PRINT_RAW_STDOUT(xnvme_spec_drecv_sar_pr(sar, XNVME_PR_DEF));
	memset(&u, 0, sizeof(u));
	u.fdpe[1].type = 1;
	u.fdpe[1].fdpeta.ee = 1;
	PRINT_RAW_STDOUT(xnvme_spec_feat_fdp_events_pr(u.fdpe, feat, XNVME_PR_DEF));
}

/* What print_raw() printed holds each of these, as xNVMe 0.7.5 prints them */
static void
check_raw(void)
{
	static const char *const want[] = {
	    "xnvme_spec_idfy_cs: ~\n---",
	    "xnvme_spec_log_erri:\n  - {ecnt: 0, sqid: 0, cid: 0, status: 0, eloc: 0, lba: 0, "
	    "nsid: 0, ven_si: 0, trtype: 0, cmd_si: 0, trtype_si: 0}\n",
	    "  comp_temp: -273\n",
	    "  temp_sens8: 0\n",
	    "xnvme_spec_znd_log_changes:\n  nidents: 0\n",
	    "feat: { fdpe: 0, fdpci: 0 }\n",
	    "  cap: 0x0000000000000000\n",
	    "{ zsze: 0, zdes: 0 }---",
	    "   - ruht[1]: 2\n  config_desc: 1\n  ds: 64\n",
	    "  nrg: 77\n",
	    "  mbe: [0, 3]\n",
	    "  - {type: 2, fdpef: 0, pid: 0, timestamp: 0, nsid: 0, rgid: 0, ruhid: 0, }\n",
	    "  - ruhu_desc[1]:  0x1\n",
	    "  - ruhs_desc[0] : { pi: 1 ruhi: 2 earutr: 3 ruamw: 4}\n---",
	    "    streams: 1\n    data placement: 0\n",
	    "  msl: 16\n",
	    "  open_sc: 2\n  - sid[0]: 7\n  - sid[1]: 9\n",
	    "xnvme_spec_alloc_resource:\n  nsa: 5\n",
	    "{ type: 0, event enabled: 0 }\n{ type: 0x1, event enabled: 1 }\n",
	};
	static char text[65536];
	size_t len;

	fputs("---\n", g_raw);
	rewind(g_raw);
	len = fread(text, 1, sizeof(text) - 1, g_raw);
	text[len] = '\0';
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); ++i) {
		if (!strstr(text, want[i])) {
			FAIL("no '%s' in what the printers wrote", want[i]);
		}
	}
}

static void
expect(const char *what, const char *got, const char *want)
{
	if (!got || strcmp(got, want)) {
		FAIL("%s is '%s', expected '%s'", what, got ? got : "(null)", want);
	}
}

/* Names must be identifiers: they are printed as YAML scalars and grepped for in logs */
static void
expect_ident(const char *what, unsigned code, const char *name)
{
	if (!name || !*name ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(name)) {
		FAIL("%s(0x%x) is not an identifier: '%s'", what, code, name ? name : "(null)");
	}
}

static void
check_names(void)
{
	static const struct {
		uint8_t sct, sc;
		const char *name;
	} pairs[] = {
	    {0x0, 0x00, "SUCCESS"},
	    {0x0, 0x01, "INVALID_OPCODE"},
	    {0x0, 0x02, "INVALID_FIELD"},
	    {0x0, 0x0B, "INVALID_NAMESPACE_OR_FORMAT"},
	    {0x0, 0x13, "PRP_OFFSET_INVALID"},
	    {0x0, 0x80, "LBA_OUT_OF_RANGE"},
	    {0x0, 0x82, "NAMESPACE_NOT_READY"},
	    {0x1, 0x02, "INVALID_QUEUE_SIZE"},
	    {0x1, 0x09, "INVALID_LOG_PAGE"},
	    {0x1, 0x0A, "INVALID_FORMAT"},
	    {0x1, 0x0D, "FEATURE_NOT_SAVEABLE"},
	    {0x1, 0x80, "CONFLICTING_ATTRIBUTES"},
	    {0x1, 0xB8, "ZONE_BOUNDARY_ERROR"},
	    {0x1, 0xB9, "ZONE_IS_FULL"},
	    {0x1, 0xBC, "ZONE_INVALID_WRITE"},
	    {0x1, 0xBD, "TOO_MANY_ACTIVE_ZONES"},
	    {0x1, 0xBE, "TOO_MANY_OPEN_ZONES"},
	    {0x1, 0xBF, "INVALID_ZONE_STATE_TRANSITION"},
	    {0x2, 0x81, "UNRECOVERED_READ_ERROR"},
	    {0x2, 0x85, "COMPARE_FAILURE"},
	    {0x2, 0x87, "DEALLOCATED_OR_UNWRITTEN_LOGICAL_BLOCK"},
	    {0x3, 0x00, "INTERNAL_PATH_ERROR"},
	    {0x3, 0x71, "COMMAND_ABORTED_BY_HOST"},
	    // Reserved codes, types without names, the vendor specific type
	    {0x0, 0x17, "UNKNOWN"},
	    {0x0, 0xFF, "UNKNOWN"},
	    {0x1, 0x04, "UNKNOWN"},
	    {0x2, 0x00, "UNKNOWN"},
	    {0x3, 0x04, "UNKNOWN"},
	    {0x4, 0x00, "UNKNOWN"},
	    {0x7, 0x80, "UNKNOWN"},
	    {0xFF, 0x00, "UNKNOWN"},
	};
	char what[64];

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); ++i) {
		snprintf(what, sizeof(what), "status_str(0x%x, 0x%02x)", pairs[i].sct, pairs[i].sc);
		expect(what, xnvme_spec_status_str(pairs[i].sct, pairs[i].sc), pairs[i].name);
	}
	for (unsigned code = 0; code < 256; ++code) {
		for (unsigned sct = 0; sct < 8; ++sct) {
			expect_ident("status_str", sct << 8 | code,
				     xnvme_spec_status_str((uint8_t)sct, (uint8_t)code));
		}
		expect_ident("adm_opc_str", code, xnvme_spec_adm_opc_str(code));
		expect_ident("nvm_opc_str", code, xnvme_spec_nvm_opc_str(code));
		expect_ident("znd_opc_str", code, xnvme_spec_znd_opc_str(code));
		expect_ident("znd_state_str", code, xnvme_spec_znd_state_str(code));
		expect_ident("znd_status_code_str", code, xnvme_spec_znd_status_code_str(code));
		expect_ident("znd_cmd_mgmt_send_action_str", code,
			     xnvme_spec_znd_cmd_mgmt_send_action_str(code));
		expect_ident("feat_id_str", code, xnvme_spec_feat_id_str(code));
		expect_ident("log_lpi_str", code, xnvme_spec_log_lpi_str(code));
		expect_ident("csi_str", code, xnvme_spec_csi_str(code));
		expect_ident("idfy_cns_str", code, xnvme_spec_idfy_cns_str(code));
		expect_ident("feat_sel_str", code, xnvme_spec_feat_sel_str(code));
		expect_ident("znd_log_lid_str", code, xnvme_spec_znd_log_lid_str(code));
	}
	// xNVMe's names: the enum constant's, mostly without "XNVME_SPEC_"; ENOSYS when not a value
	const struct {
		const char *what, *got, *want;
	} enum_names[] = {
	    {"adm_opc_str(0x06)", xnvme_spec_adm_opc_str(XNVME_SPEC_ADM_OPC_IDFY), "ADM_OPC_IDFY"},
	    {"adm_opc_str(0x19)", xnvme_spec_adm_opc_str(XNVME_SPEC_ADM_OPC_DSEND),
	     "ADM_OPC_DSEND"},
	    {"adm_opc_str(0x80)", xnvme_spec_adm_opc_str(XNVME_SPEC_ADM_OPC_FMT), "ENOSYS"},
	    {"adm_opc_str(0x106)", xnvme_spec_adm_opc_str(0x106), "ENOSYS"},
	    {"nvm_opc_str(0x02)", xnvme_spec_nvm_opc_str(XNVME_SPEC_NVM_OPC_READ), "NVM_OPC_READ"},
	    {"nvm_opc_str(0x09)", xnvme_spec_nvm_opc_str(XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT),
	     "XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT"},
	    {"nvm_opc_str(0x0C)", xnvme_spec_nvm_opc_str(XNVME_SPEC_NVM_OPC_VERIFY), "ENOSYS"},
	    {"nvm_opc_str(0x84)", xnvme_spec_nvm_opc_str(XNVME_SPEC_NVM_OPC_SANITIZE),
	     "NVM_OPC_SANITIZE"},
	    {"znd_opc_str(0x7D)", xnvme_spec_znd_opc_str(XNVME_SPEC_ZND_OPC_APPEND),
	     "ZND_CMD_OPC_APPEND"},
	    {"znd_opc_str(0x79)", xnvme_spec_znd_opc_str(XNVME_SPEC_ZND_OPC_MGMT_SEND),
	     "ZND_OPC_MGMT_SEND"},
	    {"znd_state_str(0x1)", xnvme_spec_znd_state_str(XNVME_SPEC_ZND_STATE_EMPTY),
	     "ZND_STATE_EMPTY"},
	    {"znd_state_str(0xE)", xnvme_spec_znd_state_str(XNVME_SPEC_ZND_STATE_FULL),
	     "ZND_STATE_FULL"},
	    {"znd_state_str(0x0)", xnvme_spec_znd_state_str(0x0), "ENOSYS"},
	    {"znd_type_str(0x2)", xnvme_spec_znd_type_str(XNVME_SPEC_ZND_TYPE_SEQWR),
	     "ZND_TYPE_SEQWR"},
	    {"znd_status_code_str(0xB9)", xnvme_spec_znd_status_code_str(XNVME_SPEC_ZND_SC_IS_FULL),
	     "ZND_SC_IS_FULL"},
	    {"znd_status_code_str(0xB7)", xnvme_spec_znd_status_code_str(XNVME_SPEC_ZND_SC_NOZRWA),
	     "XNVME_SPEC_ZND_SC_NOZRWA"},
	    {"nvm_cmd_cpl_sc_str(0x82)",
	     xnvme_spec_nvm_cmd_cpl_sc_str(XNVME_SPEC_NVM_CMD_CPL_SC_WRITE_TO_RONLY),
	     "NVM_CMD_CPL_SC_WRITE_TO_RONLY"},
	    {"flag_str(FUA)", xnvme_spec_flag_str(XNVME_SPEC_FLAG_FORCE_UNIT_ACCESS),
	     "FLAG_FORCE_UNIT_ACCESS"},
	    {"flag_str(PRACT)", xnvme_spec_flag_str(XNVME_SPEC_FLAG_PRINFO_PRACT),
	     "FLAG_PRINFO_PRACT"},
	    {"flag_str(0)", xnvme_spec_flag_str(0), "ENOSYS"},
	    {"psdt_str(1)", xnvme_spec_psdt_str(XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS),
	     "PSDT_SGL_MPTR_CONTIGUOUS"},
	    {"sgl_descriptor_subtype_str(1)",
	     xnvme_spec_sgl_descriptor_subtype_str(XNVME_SPEC_SGL_DESCR_SUBTYPE_OFFSET),
	     "SGL_DESCR_SUBTYPE_OFFSET"},
	    {"znd_cmd_mgmt_send_action_str(RESET)",
	     xnvme_spec_znd_cmd_mgmt_send_action_str(XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET),
	     "ZND_CMD_MGMT_SEND_RESET"},
	    {"znd_mgmt_send_action_so_str(1)",
	     xnvme_spec_znd_mgmt_send_action_so_str(XNVME_SPEC_ZND_MGMT_OPEN_WITH_ZRWA),
	     "XNVME_SPEC_ZND_MGMT_OPEN_WITH_ZRWA"},
	    {"znd_cmd_mgmt_recv_action_str(1)",
	     xnvme_spec_znd_cmd_mgmt_recv_action_str(
		 XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT_EXTENDED),
	     "ZND_CMD_MGMT_RECV_ACTION_REPORT_EXTENDED"},
	    {"znd_cmd_mgmt_recv_action_sf_str(7)",
	     xnvme_spec_znd_cmd_mgmt_recv_action_sf_str(XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_OFFLINE),
	     "ZND_CMD_MGMT_RECV_SF_OFFLINE"},
	};

	for (size_t i = 0; i < sizeof(enum_names) / sizeof(enum_names[0]); ++i) {
		expect(enum_names[i].what, enum_names[i].got, enum_names[i].want);
	}
	// xNVMe's names: the enum constant without "XNVME_SPEC_", ENOSYS for other values
	expect("feat_id_str(0x07)", xnvme_spec_feat_id_str(XNVME_SPEC_FEAT_NQUEUES),
	       "FEAT_NQUEUES");
	expect("feat_id_str(0x1E)", xnvme_spec_feat_id_str(0x1E), "FEAT_FDP_EVENTS");
	expect("feat_id_str(0x00)", xnvme_spec_feat_id_str(0x00), "ENOSYS");
	expect("log_lpi_str(0x02)", xnvme_spec_log_lpi_str(XNVME_SPEC_LOG_HEALTH), "LOG_HEALTH");
	expect("log_lpi_str(0x23)", xnvme_spec_log_lpi_str(0x23), "LOG_FDPEVENTS");
	expect("log_lpi_str(0xBF)", xnvme_spec_log_lpi_str(0xBF), "ENOSYS");
	expect("log_lpi_str(0xFE)", xnvme_spec_log_lpi_str(0xFE), "ENOSYS");
	expect("znd_log_lid_str(0xBF)", xnvme_spec_znd_log_lid_str(XNVME_SPEC_LOG_ZND_CHANGES),
	       "LOG_ZND_CHANGES");
	expect("csi_str(0x2)", xnvme_spec_csi_str(XNVME_SPEC_CSI_ZONED), "CSI_ZONED");
	expect("csi_str(0x3)", xnvme_spec_csi_str(0x3), "ENOSYS");
	expect("idfy_cns_str(0x1C)", xnvme_spec_idfy_cns_str(XNVME_SPEC_IDFY_IOCS), "IDFY_IOCS");
	expect("idfy_cns_str(0x1A)", xnvme_spec_idfy_cns_str(0x1A), "IDFY_NSLIST_ALLOC_IOCS");
	expect("idfy_cns_str(0x20)", xnvme_spec_idfy_cns_str(0x20), "ENOSYS");
	expect("feat_sel_str(0x3)", xnvme_spec_feat_sel_str(XNVME_SPEC_FEAT_SEL_SUPPORTED),
	       "FEAT_SEL_SUPPORTED");
	expect("feat_sel_str(0x4)", xnvme_spec_feat_sel_str(0x4), "ENOSYS");
}

int
main(int argc, char **argv)
{
	// A seekable stream either way, so ftell() can count what each printer wrote
	g_out = argc > 1 ? fopen(argv[1], "w+") : tmpfile();
	if (!g_out) {
		perror("test_spec_pp: output");
		return 1;
	}
	g_raw = tmpfile();
	g_dst = g_out;
	if (!g_raw) {
		perror("test_spec_pp: raw output");
		return 1;
	}
	check_names();
	check_cmd_printers();
	print_all(FILL_ZERO);
	print_more(FILL_ZERO);
	print_all(FILL_PATTERN);
	print_more(FILL_PATTERN);
	print_all(FILL_ONES);
	print_more(FILL_ONES);
	print_nulls();
	print_stdout_forms();
	print_raw();
	check_raw();
	fclose(g_raw);

	if (argc <= 1) {
		char buf[8192];

		rewind(g_out);
		for (size_t n; (n = fread(buf, 1, sizeof(buf), g_out)) > 0;) {
			fwrite(buf, 1, n, stdout);
		}
	}
	fclose(g_out);
	if (g_nfail) {
		fprintf(stderr, "test_spec_pp: %d checks failed\n", g_nfail);
	}
	return g_nfail ? 1 : 0;
}
