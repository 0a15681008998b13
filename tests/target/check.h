/* SPDX-License-Identifier: BSD-3-Clause */
/* The PASS/FAIL line of the target test bodies: each condition evaluated once, failures counted. */
#ifndef __XNVME_TEST_CHECK_H
#define __XNVME_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "target_nsid.h"

static int g_nfail __attribute__((unused)); /* a body may count its failures otherwise */

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		int check_ok_ = !!(cond); /* once: conditions have side effects */                 \
		printf(check_ok_ ? "PASS: " : "FAIL: ");                                           \
		printf(__VA_ARGS__);                                                               \
		printf("\n");                                                                      \
		g_nfail += !check_ok_;                                                             \
	} while (0)

/* 1 when the library was built with backend @p name (lib/be/meson.build decides), else 0 */
static inline int
check_be_built(const char *name)
{
	struct xnvme_be_attr_list *list = NULL;
	int built = 0;

	if (xnvme_be_attr_list_bundled(&list)) {
		return 0;
	}
	for (int i = 0; i < list->count; ++i) {
		built |= !strcmp(list->item[i].name, name) && list->item[i].enabled;
	}
	free(list);
	return built;
}

/* Completions of an async test body: counted; a failed one is printed and counted */
struct check_cpl {
	int ndone;
	int nerr;
};

/* Queue callback for a struct check_cpl: counts the completion and puts the context back */
static inline void
check_cpl_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct check_cpl *cpl = cb_arg;

	cpl->ndone++;
	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		xnvme_cmd_ctx_pr(ctx, XNVME_PR_DEF);
		cpl->nerr++;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

#endif
