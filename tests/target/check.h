/* SPDX-License-Identifier: BSD-3-Clause */
/* The PASS/FAIL line of the target test bodies: each condition evaluated once, failures counted. */
#ifndef __XNVME_TEST_CHECK_H
#define __XNVME_TEST_CHECK_H

#include <stdio.h>

static int g_nfail;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		int check_ok_ = !!(cond); /* once: conditions have side effects */                  \
		printf(check_ok_ ? "PASS: " : "FAIL: ");                                           \
		printf(__VA_ARGS__);                                                               \
		printf("\n");                                                                      \
		g_nfail += !check_ok_;                                                             \
	} while (0)

#endif
