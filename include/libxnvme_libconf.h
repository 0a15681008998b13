/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * How the library was built: version, compiler, which backends and interfaces it carries.
 */
#ifndef __LIBXNVME_LIBCONF_H
#define __LIBXNVME_LIBCONF_H

#include <stdio.h>
#include <libxnvme_pp.h>

#ifdef __cplusplus
extern "C" {
#endif

/** NULL-terminated list of "key: value" build facts */
extern const char *xnvme_libconf[];

/** Prints the build facts and the backend/interface table as YAML to @p stream */
int xnvme_libconf_fpr(FILE *stream, enum xnvme_pr opts);

int xnvme_libconf_pr(enum xnvme_pr opts);

#ifdef __cplusplus
}
#endif

#endif
