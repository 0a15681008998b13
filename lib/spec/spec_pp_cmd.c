/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Printers of submission entries, copy source ranges and zone report data. Their output is
 * xNVMe 0.7.5's, character for character (tests/unit/test_spec_pp.c holds it): tools and scripts
 * written against xNVMe parse it. That includes its quirks: XNVME_PR_TERSE alone prints a "#
 * ENOSYS" comment (even for a NULL structure), a submission entry is printed as sixteen dwords in
 * binary by default, and the zone state name is right-aligned.
 */
#include <inttypes.h>
#include "spec_pp.h"

/*
 * What every printer here does first, in xNVMe's order: XNVME_PR_TERSE alone is refused with a
 * comment (even for NULL), then NULL prints "name: ~". Returns 1 when that was all, with the count
 * in @p wrtn. The submission entry and the zone report header write the options in hex.
 */
static int
pp_prologue(FILE *stream, const void *ptr, const char *name, int opts, int hex, int *wrtn)
{
	if (opts == XNVME_PR_TERSE) {
		*wrtn = hex ? fprintf(stream, "# ENOSYS: opts(0x%x)", (unsigned)opts)
			    : fprintf(stream, "# ENOSYS: opts(%d)", opts);
		return 1;
	}
	if (!ptr) {
		*wrtn = spec_pp_null(stream, name);
		return 1;
	}
	*wrtn = 0;
	return 0;
}

/* A dword as a quoted string of 32 binary digits, most significant first */
static int
pp_dword_bin(FILE *stream, uint32_t val)
{
	char bits[33];

	for (int i = 0; i < 32; ++i) {
		bits[i] = (char)('0' + ((val >> (31 - i)) & 0x1));
	}
	bits[32] = '\0';
	return fprintf(stream, "  - '%s'\n", bits);
}

static int
pp_cmd_common(FILE *stream, const struct xnvme_spec_cmd_common *c)
{
	const uint32_t cdw[] = {c->ndt, c->ndm, c->cdw12, c->cdw13, c->cdw14, c->cdw15};
	int wrtn = 0;

	wrtn += fprintf(stream,
			"  opcode: %#02x\n  fuse: %#x\n  rsvd: %#x\n  psdt: %#x\n  cid: %#04x\n"
			"  nsid: %#04x\n  cdw02: %#04x\n  cdw03: %#04x\n",
			c->opcode, c->fuse, c->rsvd, c->psdt, c->cid, c->nsid, c->cdw02, c->cdw03);
	wrtn += fprintf(stream,
			"  mptr: %#08" PRIx64 "\n  prp1: %#08" PRIx64 "\n  prp2: %#08" PRIx64 "\n",
			c->mptr, c->dptr.prp.prp1, c->dptr.prp.prp2);
	for (int i = 0; i < 6; ++i) {
		wrtn += fprintf(stream, "  cdw%d: %#04x\n", 10 + i, cdw[i]);
	}
	return wrtn;
}

int
xnvme_spec_cmd_fpr(FILE *stream, struct xnvme_spec_cmd *cmd, int opts)
{
	int wrtn = 0;

	if (pp_prologue(stream, cmd, "xnvme_spec_cmd", opts, 1, &wrtn)) {
		return wrtn;
	}
	wrtn += fprintf(stream, "xnvme_spec_cmd:\n");
	switch (opts) {
	case XNVME_PR_DEF:
		for (int i = 0; i < 16; ++i) {
			wrtn += pp_dword_bin(stream, cmd->cdw[i]);
		}
		break;
	case XNVME_PR_YAML:
		for (int i = 0; i < 16; ++i) {
			wrtn += fprintf(stream, "  - %#04x\n", cmd->cdw[i]);
		}
		break;
	case XNVME_PR_YAML | XNVME_PR_TERSE:
		wrtn += pp_cmd_common(stream, &cmd->common);
		break;
	default:
		break;
	}
	return wrtn;
}

SPEC_PP_STDOUT(spec_cmd, struct xnvme_spec_cmd *)

static int
pp_scopy_entry(FILE *stream, const char *fmt, const struct xnvme_spec_nvm_scopy_fmt_zero *e)
{
	return fprintf(stream, fmt, e->slba, (unsigned)e->nlb, e->eilbrt, e->elbatm, e->elbat);
}

int
xnvme_spec_nvm_scopy_fmt_zero_fpr(FILE *stream, const struct xnvme_spec_nvm_scopy_fmt_zero *entry,
				  int opts)
{
	int wrtn = 0;

	if (pp_prologue(stream, entry, "xnvme_spec_nvm_scopy_fmt_zero", opts, 0, &wrtn)) {
		return wrtn;
	}
	wrtn += fprintf(stream, "xnvme_spec_nvm_scopy_fmt_zero:\n");
	wrtn += pp_scopy_entry(stream,
			       "  slba: 0x%016" PRIx64 "\n  nlb: %u\n  eilbrt: 0x%08" PRIx32
			       "\n  elbatm: 0x%08" PRIx32 "\n  elbat: 0x%08" PRIx32 "\n",
			       entry);
	return wrtn;
}

SPEC_PP_STDOUT(spec_nvm_scopy_fmt_zero, const struct xnvme_spec_nvm_scopy_fmt_zero *)

int
xnvme_spec_nvm_scopy_source_range_fpr(FILE *stream,
				      const struct xnvme_spec_nvm_scopy_source_range *srange,
				      uint8_t nr, int opts)
{
	// "nranges" is a byte as in xNVMe (nr 255 shows 0); the entries stop at the array's end
	int nentries = XNVME_MIN((int)nr + 1, XNVME_SPEC_NVM_SCOPY_NENTRY_MAX);
	int wrtn = 0;

	if (pp_prologue(stream, srange, "xnvme_spec_nvm_scopy_source_range", opts, 0, &wrtn)) {
		return wrtn;
	}
	wrtn += fprintf(stream, "xnvme_spec_nvm_scopy_source_range:\n  nranges: %u\n  nr: %u\n",
			(uint8_t)(nr + 1), nr);
	wrtn += fprintf(stream, "  entries:\n");
	for (int i = 0; i < nentries; ++i) {
		wrtn += pp_scopy_entry(stream,
				       "  - { slba: 0x%016" PRIx64 ", nlb: %u, eilbrt: 0x%08" PRIx32
				       ", elbatm: 0x%08" PRIx32 ", elbat: 0x%08" PRIx32 " }\n",
				       &srange->entry[i]);
	}
	return wrtn;
}

int
xnvme_spec_nvm_scopy_source_range_pr(const struct xnvme_spec_nvm_scopy_source_range *srange,
				     uint8_t nr, int opts)
{
	return xnvme_spec_nvm_scopy_source_range_fpr(stdout, srange, nr, opts);
}

int
xnvme_spec_znd_descr_fpr_yaml(FILE *stream, const struct xnvme_spec_znd_descr *descr, int indent,
			      const char *sep)
{
	char za[9];
	int wrtn = 0;

	if (!descr) {
		return 0;
	}
	if (!sep) {
		sep = "";
	}
	for (int i = 0; i < 8; ++i) {
		za[i] = (char)('0' + ((descr->za.val >> (7 - i)) & 0x1));
	}
	za[8] = '\0';
	wrtn += fprintf(stream, "%*szslba: 0x%016" PRIx64 "%s", indent, "", descr->zslba, sep);
	wrtn += fprintf(stream, "%*swp: 0x%016" PRIx64 "%s", indent, "", descr->wp, sep);
	wrtn += fprintf(stream, "%*szcap: %" PRIu64 "%s", indent, "", descr->zcap, sep);
	wrtn += fprintf(stream, "%*szt: %#x%s", indent, "", descr->zt, sep);
	wrtn += fprintf(stream, "%*szs: %17s%s", indent, "",
			xnvme_spec_znd_state_str((enum xnvme_spec_znd_state)descr->zs), sep);
	wrtn += fprintf(stream, "%*sza: '0b%s'", indent, "", za);
	return wrtn;
}

int
xnvme_spec_znd_descr_fpr(FILE *stream, const struct xnvme_spec_znd_descr *descr, int opts)
{
	int wrtn = 0;

	if (pp_prologue(stream, descr, "xnvme_spec_znd_descr", opts, 0, &wrtn)) {
		return wrtn;
	}
	wrtn += fprintf(stream, "xnvme_spec_znd_descr:\n");
	wrtn += xnvme_spec_znd_descr_fpr_yaml(stream, descr, 2, "\n");
	wrtn += fprintf(stream, "\n");
	return wrtn;
}

SPEC_PP_STDOUT(spec_znd_descr, const struct xnvme_spec_znd_descr *)

int
xnvme_spec_znd_report_hdr_fpr(FILE *stream, const struct xnvme_spec_znd_report_hdr *hdr, int opts)
{
	int wrtn;

	if (pp_prologue(stream, hdr, "xnvme_spec_znd_report_hdr", opts, 1, &wrtn)) {
		return wrtn;
	}
	// xNVMe ends the document with an empty line
	return wrtn + fprintf(stream, "xnvme_spec_znd_report_hdr:\n  nzones: %" PRIu64 "\n\n",
			      hdr->nzones);
}

SPEC_PP_STDOUT(spec_znd_report_hdr, const struct xnvme_spec_znd_report_hdr *)
