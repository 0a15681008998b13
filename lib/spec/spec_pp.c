/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the spec printers share (field tables, strings, 128-bit counters) and the printers of
 * completion entries and feature values.
 *
 * Every printer returns the sum of its fprintf() returns: callers and the unit test compare it with
 * the bytes that reached the stream. Data from devices is untrusted: strings are escaped so the
 * output is always valid YAML, and no field value is used to index anything without a bound.
 */
#include <inttypes.h>
#include <string.h>
#include "spec_pp.h"

int
spec_pp_null(FILE *stream, const char *name)
{
	return fprintf(stream, "%s: ~\n", name);
}

int
spec_pp_qstr(FILE *stream, const char *str, size_t len)
{
	int wrtn = fprintf(stream, "\"");

	// The specification pads ASCII fields with spaces; devices pad with NULs too
	while (len && (str[len - 1] == ' ' || str[len - 1] == '\0')) {
		len--;
	}
	for (size_t i = 0; i < len; ++i) {
		unsigned char c = (unsigned char)str[i];

		if (c == '"' || c == '\\') {
			wrtn += fprintf(stream, "\\%c", c);
		} else if (c < 0x20 || c > 0x7E) {
			// YAML 1.1 double-quoted \xNN: the byte comes back as code point NN
			wrtn += fprintf(stream, "\\x%02x", c);
		} else {
			wrtn += fprintf(stream, "%c", c);
		}
	}
	return wrtn + fprintf(stream, "\"");
}

int
spec_pp_u128(FILE *stream, const uint8_t *bytes)
{
	uint32_t limb[4];
	char digits[40];
	int ndigits = 0;
	int wrtn = 0;

	for (int i = 0; i < 4; ++i) {
		limb[i] = (uint32_t)bytes[i * 4] | (uint32_t)bytes[i * 4 + 1] << 8 |
			  (uint32_t)bytes[i * 4 + 2] << 16 | (uint32_t)bytes[i * 4 + 3] << 24;
	}
	// Long division by ten, most significant limb first; 2^128 has 39 decimal digits
	do {
		uint64_t rem = 0;

		for (int i = 3; i >= 0; --i) {
			uint64_t cur = (rem << 32) | limb[i];

			limb[i] = (uint32_t)(cur / 10);
			rem = cur % 10;
		}
		digits[ndigits++] = (char)('0' + rem);
	} while (limb[0] | limb[1] | limb[2] | limb[3]);

	while (ndigits) {
		wrtn += fprintf(stream, "%c", digits[--ndigits]);
	}
	return wrtn;
}

/* A little-endian unsigned integer of 1 to 8 bytes, independent of host byte order */
static uint64_t
pp_load(const uint8_t *bytes, size_t len)
{
	uint64_t val = 0;

	for (size_t i = len; i > 0; --i) {
		val = (val << 8) | bytes[i - 1];
	}
	return val;
}

static int
pp_field(FILE *stream, const uint8_t *base, const struct spec_pp_field *f)
{
	const uint8_t *bytes = base + f->off;
	int wrtn = 0;

	switch (f->fmt) {
	case SPEC_PP_DEC:
		return fprintf(stream, "%" PRIu64, pp_load(bytes, XNVME_MIN(f->len, 8)));
	case SPEC_PP_HEX:
		return fprintf(stream, "0x%0*" PRIx64, (int)XNVME_MIN(f->len, 8) * 2,
			       pp_load(bytes, XNVME_MIN(f->len, 8)));
	case SPEC_PP_STR:
		return spec_pp_qstr(stream, (const char *)bytes, f->len);
	case SPEC_PP_U128:
		return spec_pp_u128(stream, bytes);
	case SPEC_PP_BYTES:
		wrtn += fprintf(stream, "\"");
		for (size_t i = 0; i < f->len; ++i) {
			wrtn += fprintf(stream, "%02x", bytes[i]);
		}
		return wrtn + fprintf(stream, "\"");
	default:
		return fprintf(stream, "~");
	}
}

int
spec_pp_fields(FILE *stream, const char *indent, const void *base,
	       const struct spec_pp_field *fields, size_t nfields, int opts)
{
	int wrtn = 0;

	for (size_t i = 0; i < nfields; ++i) {
		if (spec_pp_terse(opts) && !fields[i].terse) {
			continue;
		}
		wrtn += fprintf(stream, "%s%s: ", indent, fields[i].name);
		wrtn += pp_field(stream, base, &fields[i]);
		wrtn += fprintf(stream, "\n");
	}
	return wrtn;
}

int
xnvme_spec_cpl_fpr(FILE *stream, const struct xnvme_spec_cpl *cpl, int opts)
{
	int wrtn = 0;

	if (!cpl) {
		return spec_pp_null(stream, "xnvme_spec_cpl");
	}
	wrtn += fprintf(stream, "xnvme_spec_cpl:\n  cdw0: 0x%08" PRIx32 "\n", cpl->cdw0);
	if (!spec_pp_terse(opts)) {
		wrtn += fprintf(stream,
				"  rsvd1: 0x%08" PRIx32 "\n  sqhd: %u\n  sqid: %u\n  cid: 0x%04x\n"
				"  status_val: 0x%04x\n  p: %u\n",
				cpl->rsvd1, cpl->sqhd, cpl->sqid, cpl->cid, cpl->status.val,
				cpl->status.p);
	}
	wrtn += fprintf(stream, "  sc: 0x%02x\n  sct: 0x%x\n", cpl->status.sc, cpl->status.sct);
	if (!spec_pp_terse(opts)) {
		wrtn += fprintf(stream, "  crd: %u\n  m: %u\n  dnr: %u\n", cpl->status.rsvd2,
				cpl->status.m, cpl->status.dnr);
	}
	wrtn += fprintf(stream, "  status_str: '%s'\n",
			xnvme_spec_status_str(cpl->status.sct, cpl->status.sc));
	return wrtn;
}

int
xnvme_spec_cpl_pr(const struct xnvme_spec_cpl *cpl, int opts)
{
	return xnvme_spec_cpl_fpr(stdout, cpl, opts);
}

/* Features struct xnvme_spec_feat has no view of; layouts of NVMe 2.0 section 5.27.1 */
static int
pp_feat_other(FILE *stream, uint8_t fid, uint32_t val)
{
	switch (fid) {
	case XNVME_SPEC_FEAT_INTR_COALESCING:
		return fprintf(stream, "  thr: %u\n  time: %u\n", val & 0xFF, (val >> 8) & 0xFF);
	case XNVME_SPEC_FEAT_INTR_VCONF:
		return fprintf(stream, "  iv: %u\n  cd: %u\n", val & 0xFFFF, (val >> 16) & 0x1);
	case XNVME_SPEC_FEAT_WRITE_ATOMICITY:
		return fprintf(stream, "  dn: %u\n", val & 0x1);
	case XNVME_SPEC_FEAT_ASYNC_EVENT_CONF:
		return fprintf(stream, "  smart: 0x%02x\n  nan: %u\n  fan: %u\n", val & 0xFF,
			       (val >> 8) & 0x1, (val >> 9) & 0x1);
	default:
		return 0;
	}
}

int
xnvme_spec_feat_fpr(FILE *stream, uint8_t fid, struct xnvme_spec_feat feat, int opts)
{
	int wrtn = 0;

	wrtn += fprintf(stream,
			"xnvme_spec_feat:\n  fid: 0x%02x\n  feat_id_str: '%s'\n  val: 0x%08" PRIx32
			"\n",
			fid, xnvme_spec_feat_id_str(fid), feat.val);
	if (spec_pp_terse(opts)) {
		return wrtn;
	}
	switch (fid) {
	case XNVME_SPEC_FEAT_ARBITRATION:
		wrtn += fprintf(stream, "  ab: %u\n  lpw: %u\n  mpw: %u\n  hpw: %u\n",
				feat.arbitration.ab, feat.arbitration.lpw, feat.arbitration.mpw,
				feat.arbitration.hpw);
		break;
	case XNVME_SPEC_FEAT_PWR_MGMT:
		wrtn +=
		    fprintf(stream, "  ps: %u\n  wh: %u\n", feat.power_mgmt.ps, feat.power_mgmt.wh);
		break;
	case XNVME_SPEC_FEAT_TEMP_THRESHOLD:
		wrtn += fprintf(stream, "  tmpth: %u\n  tmpsel: %u\n  thsel: %u\n",
				feat.temp_threshold.tmpth, feat.temp_threshold.tmpsel,
				feat.temp_threshold.thsel);
		break;
	case XNVME_SPEC_FEAT_ERROR_RECOVERY:
		wrtn += fprintf(stream, "  tler: %u\n  dulbe: %u\n", feat.error_recovery.tler,
				feat.error_recovery.dulbe);
		break;
	case XNVME_SPEC_FEAT_VWCACHE:
		wrtn += fprintf(stream, "  wce: %u\n", feat.vwcache.wce);
		break;
	case XNVME_SPEC_FEAT_NQUEUES:
		wrtn += fprintf(stream, "  nsqa: %u\n  ncqa: %u\n", feat.nqueues.nsqa,
				feat.nqueues.ncqa);
		break;
	default:
		wrtn += pp_feat_other(stream, fid, feat.val);
		break;
	}
	return wrtn;
}
