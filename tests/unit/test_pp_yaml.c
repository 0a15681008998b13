/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every printer, fed structures full of hostile bytes (0xFF, quotes, control characters), writes
 * one YAML document each to stdout; spec_yaml_check.py parses the stream. Each printer must also
 * return the number of characters it wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>

static int g_nfail;

static void
fill(void *buf, size_t nbytes, unsigned seed)
{
	uint8_t *bytes = buf;

	for (size_t i = 0; i < nbytes; ++i) {
		bytes[i] = (uint8_t)(seed == 0 ? 0 : seed == 1 ? 0xFF : (i * 37 + seed) ^ (i >> 3));
	}
}

/* Runs one printer into a memory stream, checks its return value, copies it to stdout */
#define PRINT(expr)                                                                                \
	do {                                                                                       \
		char *mem = NULL;                                                                  \
		size_t len = 0;                                                                    \
		FILE *stream = open_memstream(&mem, &len);                                         \
		int ret = (expr);                                                                  \
		fclose(stream);                                                                    \
		if (ret != (int)len) {                                                             \
			fprintf(stderr, "FAIL: %s returned %d, wrote %zu\n", #expr, ret, len);     \
			g_nfail++;                                                                 \
		}                                                                                  \
		printf("---\n%s", mem);                                                            \
		free(mem);                                                                         \
	} while (0)

int
main(void)
{
	struct xnvme_spec_idfy *idfy = malloc(sizeof(*idfy));
	uint8_t *log = malloc(4096);
	struct xnvme_spec_cmd cmd;
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_feat feat;
	struct xnvme_geo geo;
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_ident ident;

	for (unsigned seed = 0; seed < 4; ++seed) {
		fill(idfy, sizeof(*idfy), seed);
		memcpy(idfy->ctrlr.sn, "quote\" back\\ 'single' \x01\x7f\xff:#-", 20);
		PRINT(xnvme_spec_idfy_ctrlr_fpr(stream, &idfy->ctrlr, XNVME_PR_DEF));
		PRINT(xnvme_spec_idfy_ctrlr_fpr(stream, &idfy->ctrlr, XNVME_PR_TERSE));
		PRINT(xnvme_spec_idfy_ns_fpr(stream, &idfy->ns, XNVME_PR_DEF));
		PRINT(xnvme_spec_nvm_idfy_ctrlr_fpr(stream, &idfy->nvm_ctrlr, XNVME_PR_DEF));
		PRINT(xnvme_spec_nvm_idfy_ns_fpr(stream, &idfy->nvm_ns, XNVME_PR_DEF));
		PRINT(xnvme_spec_znd_idfy_ctrlr_fpr(stream, &idfy->znd_ctrlr, XNVME_PR_DEF));
		PRINT(xnvme_spec_znd_idfy_ns_fpr(stream, &idfy->znd_ns, XNVME_PR_DEF));
		PRINT(xnvme_spec_idfy_nslist_fpr(stream, idfy, XNVME_PR_DEF));
		fill(log, 4096, seed);
		PRINT(xnvme_spec_znd_descr_fpr(stream, (void *)log, XNVME_PR_DEF));
		PRINT(xnvme_spec_log_erri_fpr(stream, (void *)log, 4096 / 64, XNVME_PR_DEF));
		PRINT(xnvme_spec_log_health_fpr(stream, (void *)log, XNVME_PR_DEF));
		PRINT(xnvme_spec_log_fw_slot_fpr(stream, (void *)log, XNVME_PR_DEF));
		PRINT(xnvme_spec_log_chns_fpr(stream, (void *)log, XNVME_PR_DEF));
		PRINT(xnvme_spec_log_csae_fpr(stream, (void *)log, XNVME_PR_DEF));
		PRINT(xnvme_spec_znd_log_changes_fpr(stream, (void *)log, XNVME_PR_DEF));
		fill(&cmd, sizeof(cmd), seed);
		fill(&cpl, sizeof(cpl), seed);
		fill(&feat, sizeof(feat), seed);
		PRINT(xnvme_spec_cmd_fpr(stream, &cmd, XNVME_PR_DEF));
		PRINT(xnvme_spec_cpl_fpr(stream, &cpl, XNVME_PR_DEF));
		for (uint8_t fid = 1; fid < 8; ++fid) {
			PRINT(xnvme_spec_feat_fpr(stream, fid, feat, XNVME_PR_DEF));
		}
		fill(&geo, sizeof(geo), seed);
		PRINT(xnvme_geo_fpr(stream, &geo, XNVME_PR_DEF));
		fill(&ident, sizeof(ident), seed);
		ident.uri[sizeof(ident.uri) - 1] = '\0';
		ident.subnqn[sizeof(ident.subnqn) - 1] = '\0';
		PRINT(xnvme_ident_fpr(stream, &ident, XNVME_PR_DEF));
	}
	opts.be = "it's \"quoted\"";
	opts.async = "io_uring";
	PRINT(xnvme_opts_fpr(stream, &opts, XNVME_PR_DEF));
	PRINT(xnvme_spec_idfy_ctrlr_fpr(stream, NULL, XNVME_PR_DEF));
	PRINT(xnvme_libconf_fpr(stream, XNVME_PR_DEF));
	PRINT(xnvme_ver_fpr(stream, XNVME_PR_DEF));
	free(idfy);
	free(log);
	return g_nfail ? 1 : 0;
}
