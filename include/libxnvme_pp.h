/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Printer options shared by every `*_pr` / `*_fpr` function. Printers write YAML documents.
 */
#ifndef __LIBXNVME_PP_H
#define __LIBXNVME_PP_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum xnvme_pr {
	XNVME_PR_DEF = 0x0,   ///< Default: YAML
	XNVME_PR_YAML = 0x1,  ///< YAML, one mapping per structure
	XNVME_PR_TERSE = 0x2, ///< YAML, only the most telling fields
};

struct xnvme_be_attr;
struct xnvme_be_attr_list;
struct xnvme_ident;

/**
 * Prints one backend of xnvme_be_attr_list_bundled() as YAML: "name: 'NAME'" and its "enabled"
 * flag, the second line indented to sit under a list item. XNVME_PR_TERSE prints a comment
 * saying it has no terse form.
 *
 * @return The number of characters printed.
 */
int xnvme_be_attr_fpr(FILE *stream, const struct xnvme_be_attr *attr, int opts);

/** xnvme_be_attr_fpr() to stdout */
int xnvme_be_attr_pr(const struct xnvme_be_attr *attr, int opts);

/**
 * Prints a backend list as the YAML mapping "xnvme_be_attr_list:" with its count, capacity and
 * items. XNVME_PR_TERSE prints a comment saying it has no terse form.
 *
 * @return The number of characters printed.
 */
int xnvme_be_attr_list_fpr(FILE *stream, const struct xnvme_be_attr_list *list, int opts);

/** xnvme_be_attr_list_fpr() to stdout */
int xnvme_be_attr_list_pr(const struct xnvme_be_attr_list *list, int opts);

/**
 * Prints "lba: 0x%016x" and a newline; XNVME_PR_TERSE: the number alone, no newline; an unknown
 * @p opts prints nothing.
 *
 * @return The number of characters printed.
 */
int xnvme_lba_fpr(FILE *stream, uint64_t lba, enum xnvme_pr opts);

/** xnvme_lba_fpr() to stdout */
int xnvme_lba_pr(uint64_t lba, enum xnvme_pr opts);

/**
 * Prints @p nlb LBAs as YAML: "nlbas: N" and the list "lbas:". XNVME_PR_TERSE prints a comment
 * saying it has no terse form.
 *
 * @return The number of characters printed.
 */
int xnvme_lba_fprn(FILE *stream, const uint64_t *lba, uint16_t nlb, enum xnvme_pr opts);

/** xnvme_lba_fprn() to stdout */
int xnvme_lba_prn(const uint64_t *lba, uint16_t nlb, enum xnvme_pr opts);

/**
 * Writes the fields of @p ident (uri, dtype, nsid, csi, subnqn) as YAML, each indented by
 * @p indent spaces and the next one after @p sep ("\n" for one per line, ", " for one line);
 * with @p head, under an "xnvme_ident:" line indented by @p indent, the fields by two more.
 * Ends without a newline.
 *
 * @return The number of characters written.
 */
int xnvme_ident_yaml(FILE *stream, const struct xnvme_ident *ident, int indent, const char *sep,
		     int head);

#ifdef __cplusplus
}
#endif

#endif
