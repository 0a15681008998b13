/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: what the spec printers share. Not exported (the symbol map exports `xnvme_*` only).
 *
 * Flat runs of little-endian integers, strings and byte arrays can be printed from a table of
 * fields (spec_pp_fields()), so that each field name is written exactly once.
 *
 * The printers xNVMe 0.7.5 has print its documents: its keys, their order and its number formats,
 * since tools parse them. They differ only where xNVMe's output is not YAML or would read past a
 * table: strings a single-quoted scalar cannot carry are double-quoted and escaped, lists are
 * bounded by the table they come from, and the few lines of xNVMe's that are not YAML are mended.
 */
#ifndef __XNVME_SPEC_PP_INTERNAL_H
#define __XNVME_SPEC_PP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <libxnvme_spec_pp.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

enum spec_pp_fmt {
	SPEC_PP_DEC,   ///< Unsigned integer (1 to 8 bytes) in decimal
	SPEC_PP_HEX,   ///< Unsigned integer (1 to 8 bytes) as 0x-hex, zero-padded to its width
	SPEC_PP_STR,   ///< Fixed-size ASCII, space or NUL padded: a double-quoted, escaped scalar
	SPEC_PP_U128,  ///< 16-byte little-endian counter, in decimal
	SPEC_PP_BYTES, ///< Identifier bytes (NGUID, EUI64, FGUID): a quoted string of hex digits
};

struct spec_pp_field {
	const char *name;
	uint16_t off;
	uint16_t len;
	uint8_t fmt;   ///< enum spec_pp_fmt
	uint8_t terse; ///< Printed with XNVME_PR_TERSE too
};

#define SPEC_PP_FIELD(type, field, fmt, terse)                                                     \
	{                                                                                          \
#field, (uint16_t)offsetof(type, field), (uint16_t)sizeof(((type *)0)->field),     \
		    (uint8_t)(fmt), (uint8_t)(terse)                                               \
	}

/**
 * Defines xnvme_<name>_fpr(): "@p doc: ~" for a NULL structure, else what the file's
 * pp_<name>() prints for one that is there
 */
#define SPEC_PP_DOC(name, type, doc)                                                               \
	int xnvme_##name##_fpr(FILE *stream, type arg, int opts)                                   \
	{                                                                                          \
		return arg ? pp_##name(stream, arg, opts) : spec_pp_null(stream, doc);             \
	}

/**
 * Defines xnvme_<name>_pr(), which prints to stdout what xnvme_<name>_fpr() prints to a stream;
 * _LIMIT for the printers of lists that take a limit
 */
#define SPEC_PP_STDOUT(name, type)                                                                 \
	int xnvme_##name##_pr(type arg, int opts)                                                  \
	{                                                                                          \
		return xnvme_##name##_fpr(stdout, arg, opts);                                      \
	}
#define SPEC_PP_STDOUT_LIMIT(name, type)                                                           \
	int xnvme_##name##_pr(type arg, int limit, int opts)                                       \
	{                                                                                          \
		return xnvme_##name##_fpr(stdout, arg, limit, opts);                               \
	}

/** Defines xnvme_<name>_pr() of the printers to stdout only: as SPEC_PP_DOC, on stdout */
#define SPEC_PP_DOC_STDOUT(name, type, doc)                                                        \
	int xnvme_##name##_pr(type arg, int opts)                                                  \
	{                                                                                          \
		return arg ? pp_##name(arg, opts) : spec_pp_null(stdout, doc);                     \
	}

/** Both: xnvme_<name>_fpr() by SPEC_PP_DOC and xnvme_<name>_pr() by SPEC_PP_STDOUT */
#define SPEC_PP_PRINTERS(name, type, doc)                                                          \
	SPEC_PP_DOC(name, type, doc)                                                               \
	SPEC_PP_STDOUT(name, type)

/** Whether @p opts asks for the terse form */
static inline int
spec_pp_terse(int opts)
{
	return (opts & XNVME_PR_TERSE) ? 1 : 0;
}

/** Prints "@p name: ~": the document of a NULL structure */
int spec_pp_null(FILE *stream, const char *name);

/** Prints the fields of @p base listed in @p fields as "@p indent name: value" lines */
int spec_pp_fields(FILE *stream, const char *indent, const void *base,
		   const struct spec_pp_field *fields, size_t nfields, int opts);

/** Writes @p str (at most @p len bytes) trimmed and escaped, as a double-quoted YAML scalar */
int spec_pp_qstr(FILE *stream, const char *str, size_t len);

/**
 * Writes "@p key: 'value'" and a line end for a fixed-size ASCII field of @p len bytes, up to its
 * first NUL and untrimmed, as xNVMe does; a value a single-quoted scalar cannot carry (a quote,
 * control or non-ASCII bytes) is written double-quoted and escaped instead, so the document stays
 * YAML
 */
int spec_pp_sqstr(FILE *stream, const char *key, const void *field, size_t len);

/** Writes a 16-byte little-endian counter in decimal, exactly (values above 2^64 do occur) */
int spec_pp_u128(FILE *stream, const uint8_t *bytes);

/*
 * The specification's names of admin opcodes, I/O opcodes (NVM, zoned and FS command sets) and
 * zone states, e.g. "IDENTIFY", "ZONE_APPEND", "EMPTY"; "UNKNOWN" when not known. The exported
 * xnvme_spec_*_str() functions give xNVMe's enum names instead.
 */
const char *spec_adm_opc_name(uint8_t opc);
const char *spec_io_opc_name(uint8_t opc);
const char *spec_znd_state_name(uint8_t zs);

#pragma GCC visibility pop

#endif
