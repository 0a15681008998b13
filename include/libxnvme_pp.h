/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Printer options shared by every `*_pr` / `*_fpr` function. Printers write YAML documents.
 */
#ifndef __LIBXNVME_PP_H
#define __LIBXNVME_PP_H

#ifdef __cplusplus
extern "C" {
#endif

enum xnvme_pr {
	XNVME_PR_DEF = 0x0,   ///< Default: YAML
	XNVME_PR_YAML = 0x1,  ///< YAML, one mapping per structure
	XNVME_PR_TERSE = 0x2, ///< YAML, only the most telling fields
};

#ifdef __cplusplus
}
#endif

#endif
