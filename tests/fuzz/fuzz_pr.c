/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The printers fed arbitrary bytes: identify (controller, namespace, command-set, NVM, zoned, KV,
 * namespace list), log pages (error, health, firmware slots, changed namespaces, commands
 * supported, zone changes, FDP configurations/statistics/events/usage), reclaim unit handle
 * status, feature values, directives, commands and completions, zone descriptors and reports,
 * the controller's registers; to /dev/null.
 *
 * Input: a selector byte (modulo 40: the plain printers in FUZZ_PR_PLAIN's order, then those of
 * pr_other(), the zone report last), a print-options byte (default, YAML, terse, or anything), two
 * bytes of limit or feature id, then the structure's bytes. The structure lives in a buffer of
 * exactly the input's size (at least the structure's fixed part), so ASan sees any read past what
 * the caller gave. Where the caller says how much it holds (a limit, a page's size field), the
 * harness says it truthfully: a printer must keep within it.
 */
#include <libxnvme.h>
#include <libxnvme_spec_pp.h>
#include "fuzz_common.h"

/* A buffer of max(@p len, @p min) bytes: the input, then zeros */
static void *
buf_of(struct fuzz_in *in, size_t min, size_t *nbytes)
{
	size_t n = in->len > min ? in->len : min;
	void *buf = malloc(n ? n : 1);

	FUZZ_ASSERT(buf);
	fuzz_take_bytes(in, buf, n);
	*nbytes = n;
	return buf;
}

/* Entries of @p esize after a @p hdr-byte header that fit in @p nbytes, at most @p want */
static int
fit(size_t nbytes, size_t hdr, size_t esize, int want)
{
	size_t n = nbytes > hdr ? (nbytes - hdr) / esize : 0;

	return want < 0 ? 0 : (size_t)want < n ? want : (int)n;
}

/* The caller holds the page's SIZE bytes (or says less) */
static void
fdp_conf_size_fit(struct xnvme_spec_log_fdp_conf *log, size_t nbytes)
{
	if (log->size > nbytes) {
		log->size = (uint32_t)nbytes;
	}
}

static void
pr_znd_report(struct fuzz_in *in, int opts)
{
	uint32_t zdext_nbytes = (uint32_t)(fuzz_take(in, 1) & 0x7) * 64;
	uint8_t extended = zdext_nbytes != 0;
	size_t zrent = sizeof(struct xnvme_spec_znd_descr) + zdext_nbytes;
	size_t nentries = in->len / zrent;
	struct xnvme_znd_report *report;

	/* The header is the library's (xnvme_znd_report_from_dev), the entries the device's */
	report = calloc(1, sizeof(*report) + nentries * zrent);
	FUZZ_ASSERT(report);
	report->nzones = fuzz_take(in, 8);
	report->zslba = fuzz_take(in, 8);
	report->zelba = fuzz_take(in, 8);
	nentries = in->len / zrent;
	report->zd_nbytes = sizeof(struct xnvme_spec_znd_descr);
	report->zdext_nbytes = zdext_nbytes;
	report->extended = extended;
	report->nentries = (uint32_t)nentries;
	report->zrent_nbytes = zrent;
	report->entries_nbytes = nentries * zrent;
	report->report_nbytes = sizeof(*report) + report->entries_nbytes;
	fuzz_take_bytes(in, report->storage, report->entries_nbytes);
	xnvme_znd_report_fpr(fuzz_devnull(), report, opts);
	free(report);
}

/* The printers of one structure each, struct xnvme_<name>, by xnvme_<name>_fpr() */
/* clang-format off */
#define FUZZ_PR_PLAIN(X)                                                                           \
	X(spec_idfy_ctrlr) X(spec_idfy_ns) X(spec_idfy_cs) X(spec_nvm_idfy_ctrlr)                  \
	X(spec_nvm_idfy_ns) X(spec_znd_idfy_ctrlr) X(spec_znd_idfy_lbafe) X(spec_znd_idfy_ns)      \
	X(spec_kvs_idfy_ns) X(spec_log_fw_slot) X(spec_log_chns) X(spec_log_csae)                  \
	X(spec_znd_log_changes) X(spec_ctrlr_bar) X(spec_cmd) X(spec_cpl)                          \
	X(spec_nvm_scopy_fmt_zero) X(spec_znd_descr) X(spec_znd_report_hdr) X(geo)
/* clang-format on */

#define FUZZ_PR_WRAP(name)                                                                         \
	static int pr_##name(FILE *out, void *buf, int opts)                                       \
	{                                                                                          \
		return xnvme_##name##_fpr(out, buf, opts);                                         \
	}
FUZZ_PR_PLAIN(FUZZ_PR_WRAP)

#define FUZZ_PR_ENTRY(name) {sizeof(struct xnvme_##name), pr_##name},
static const struct {
	size_t nbytes;
	int (*fpr)(FILE *out, void *buf, int opts);
} g_plain[] = {FUZZ_PR_PLAIN(FUZZ_PR_ENTRY)};
#define FUZZ_NPLAIN (sizeof(g_plain) / sizeof(g_plain[0]))

/* The other printers: a count, a size or a value to set from the input, or another form */
#define FUZZ_NOTHER 20

static void
pr_other(struct fuzz_in *in, unsigned which, int opts, uint16_t arg)
{
	FILE *out = fuzz_devnull();
	int limit = arg;
	size_t n;
	void *b;

	enum { PR_BASE = __COUNTER__ + 1 };
	switch (which) {
#define PR(type, call)                                                                             \
	case __COUNTER__ - PR_BASE:                                                                \
		b = buf_of(in, sizeof(type), &n);                                                  \
		(void)n;                                                                           \
		call;                                                                              \
		free(b);                                                                           \
		break;
/* A list after a header, whose length the caller gives: the entries that fit */
#define LIST(type, etype, fn) PR(type, fn(b, fit(n, sizeof(type), sizeof(etype), limit), opts))
		PR(struct xnvme_spec_log_erri_entry,
		   xnvme_spec_log_erri_fpr(
		       out, b, fit(n, 0, sizeof(struct xnvme_spec_log_erri_entry), limit), opts))
		PR(struct xnvme_spec_log_health_entry, xnvme_spec_log_health_fpr(out, b, opts))
		PR(struct xnvme_spec_log_fdp_conf,
		   (fdp_conf_size_fit(b, n), xnvme_spec_log_fdp_conf_pr(b, opts)))
		PR(struct xnvme_spec_idfy, xnvme_spec_idfy_nslist_fpr(out, b, opts))
		LIST(struct xnvme_spec_log_fdp_events, struct xnvme_spec_fdp_event,
		     xnvme_spec_log_fdp_events_pr)
		PR(struct xnvme_spec_log_fdp_stats, xnvme_spec_log_fdp_stats_pr(b, opts))
		LIST(struct xnvme_spec_log_ruhu, struct xnvme_spec_ruhu_desc,
		     xnvme_spec_log_ruhu_pr)
		PR(struct xnvme_spec_idfy_dir_rp, xnvme_spec_drecv_idfy_pr(b, opts))
		LIST(struct xnvme_spec_ruhs, struct xnvme_spec_ruhs_desc, xnvme_spec_ruhs_pr)
		PR(struct xnvme_spec_streams_dir_rp, xnvme_spec_drecv_srp_pr(b, opts))
		PR(struct xnvme_spec_fdp_event_desc,
		   xnvme_spec_feat_fdp_events_pr(
		       b,
		       (struct xnvme_spec_feat){
			   .val = (uint32_t)fit(n, 0, sizeof(struct xnvme_spec_fdp_event_desc),
						limit)},
		       opts))
		PR(uint32_t,
		   xnvme_spec_feat_fpr(out, (uint8_t)arg,
				       (struct xnvme_spec_feat){.val = *(uint32_t *)b}, opts))
		PR(struct xnvme_spec_streams_dir_gs,
		   (((struct xnvme_spec_streams_dir_gs *)b)->open_sc =
			(uint16_t)fit(n, sizeof(struct xnvme_spec_streams_dir_gs), sizeof(uint16_t),
				      ((struct xnvme_spec_streams_dir_gs *)b)->open_sc),
		    xnvme_spec_drecv_sgs_pr(b, opts)))
		PR(uint32_t, xnvme_spec_drecv_sar_pr(
				 (struct xnvme_spec_alloc_resource){.val = *(uint32_t *)b}, opts))
		PR(struct xnvme_cmd_ctx,
		   (((struct xnvme_cmd_ctx *)b)->dev = NULL, xnvme_cmd_ctx_fpr(out, b, opts)))
		PR(struct xnvme_spec_nvm_scopy_source_range,
		   xnvme_spec_nvm_scopy_source_range_fpr(out, b, (uint8_t)arg, opts))
		PR(struct xnvme_spec_znd_descr,
		   xnvme_spec_znd_descr_fpr_yaml(out, b, limit % 64, (arg & 0x100) ? ", " : "\n"))
		PR(uint64_t,
		   xnvme_lba_fprn(out, b, (uint16_t)fit(n, 0, sizeof(uint64_t), limit), opts))
		PR(struct xnvme_spec_feat,
		   xnvme_spec_feat_fpr(out, (uint8_t)arg, *(struct xnvme_spec_feat *)b, opts))
#undef LIST
#undef PR
	default:
		pr_znd_report(in, opts);
		break;
	}
	_Static_assert(__COUNTER__ - PR_BASE == FUZZ_NOTHER - 1,
		       "FUZZ_NOTHER: the cases and the report");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	unsigned sel = (unsigned)fuzz_take(&in, 1) % (FUZZ_NPLAIN + FUZZ_NOTHER);
	int opts = (int)(int8_t)fuzz_take(&in, 1);
	uint16_t arg = (uint16_t)fuzz_take(&in, 2);
	size_t n;
	void *b;

	if (sel >= FUZZ_NPLAIN) {
		pr_other(&in, sel - FUZZ_NPLAIN, opts, arg);
		return 0;
	}
	b = buf_of(&in, g_plain[sel].nbytes, &n);
	g_plain[sel].fpr(fuzz_devnull(), b, opts);
	free(b);
	return 0;
}
