/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the spec printers share (field tables, strings, 128-bit counters) and the printers of
 * completion entries.
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

/* Writes the first @p len bytes of @p str as a double-quoted YAML scalar, escaped */
static int
pp_dqstr(FILE *stream, const char *str, size_t len)
{
	int wrtn = fprintf(stream, "\"");

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
spec_pp_qstr(FILE *stream, const char *str, size_t len)
{
	// The specification pads ASCII fields with spaces; devices pad with NULs too
	while (len && (str[len - 1] == ' ' || str[len - 1] == '\0')) {
		len--;
	}
	return pp_dqstr(stream, str, len);
}

int
spec_pp_sqstr(FILE *stream, const char *key, const void *field, size_t len)
{
	const char *str = field;
	size_t n = strnlen(str, len);
	int plain = 1;
	int wrtn;

	for (size_t i = 0; i < n; ++i) {
		plain &= str[i] >= 0x20 && str[i] <= 0x7E && str[i] != '\'';
	}
	if (plain) {
		return fprintf(stream, "%s: '%.*s'\n", key, (int)n, str);
	}
	wrtn = fprintf(stream, "%s: ", key);
	wrtn += pp_dqstr(stream, str, n);
	return wrtn + fprintf(stream, "\n");
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

static int
pp_spec_cpl(FILE *stream, const struct xnvme_spec_cpl *cpl, int opts)
{
	int wrtn = 0;

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

SPEC_PP_PRINTERS(spec_cpl, const struct xnvme_spec_cpl *, "xnvme_spec_cpl")
