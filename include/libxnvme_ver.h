/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef __LIBXNVME_VER_H
#define __LIBXNVME_VER_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

int xnvme_ver_major(void);

int xnvme_ver_minor(void);

int xnvme_ver_patch(void);

int xnvme_ver_fpr(FILE *stream, int opts);

int xnvme_ver_pr(int opts);

#ifdef __cplusplus
}
#endif

#endif
