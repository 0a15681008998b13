/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A growing list of device identifiers, for programs that collect what xnvme_enumerate() finds
 * and print it. One allocation holds the header and every entry; capacity counts the free entries.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cli_internal.h"
#include "spec/spec_pp.h"

int
xnvme_cli_enumeration_alloc(struct xnvme_cli_enumeration **list, uint32_t capacity)
{
	struct xnvme_cli_enumeration *fresh;

	if (!list) {
		return -EINVAL;
	}
	fresh = calloc(1, sizeof(*fresh) + (size_t)capacity * sizeof(fresh->entries[0]));
	if (!fresh) {
		return -ENOMEM;
	}
	fresh->capacity = capacity;
	*list = fresh;
	return 0;
}

void
xnvme_cli_enumeration_free(struct xnvme_cli_enumeration *list)
{
	free(list);
}

int
xnvme_cli_enumeration_append(struct xnvme_cli_enumeration *list, const struct xnvme_ident *entry)
{
	if (!list || !entry) {
		return -EINVAL;
	}
	if (!list->capacity) {
		return -ENOMEM;
	}
	list->entries[list->nentries++] = *entry;
	list->capacity--;
	return 0;
}

/* "uri: '...'" of @p ident; the uri and subnqn arrays need not be terminated */
static int
cli_enum_uri_fpr(FILE *stream, const struct xnvme_ident *ident)
{
	return fprintf(stream, "uri: ") +
	       spec_pp_qstr(stream, ident->uri, strnlen(ident->uri, sizeof(ident->uri)));
}

int
xnvme_cli_enumeration_fpr(FILE *stream, struct xnvme_cli_enumeration *list, int opts)
{
	int wrtn = 0;

	if (!list) {
		return fprintf(stream, "xnvme_cli_enumeration: ~\n");
	}
	wrtn += fprintf(stream, "xnvme_cli_enumeration:\n");
	if (!(opts & XNVME_PR_TERSE)) {
		wrtn += fprintf(stream, "  capacity: %" PRIu32 "\n  nentries: %" PRIu32 "\n",
				list->capacity, list->nentries);
	}
	wrtn += fprintf(stream, "  entries:%s\n", list->nentries ? "" : " ~");
	for (uint32_t i = 0; i < list->nentries; ++i) {
		const struct xnvme_ident *ident = &list->entries[i];

		wrtn += fprintf(stream, "  - {");
		wrtn += cli_enum_uri_fpr(stream, ident);
		wrtn += fprintf(stream,
				", dtype: 0x%" PRIx32 ", nsid: 0x%" PRIx32 ", csi: 0x%x, subnqn: ",
				ident->dtype, ident->nsid, ident->csi);
		wrtn += spec_pp_qstr(stream, ident->subnqn,
				     strnlen(ident->subnqn, sizeof(ident->subnqn)));
		wrtn += fprintf(stream, "}\n");
	}
	return wrtn;
}

int
xnvme_cli_enumeration_pr(struct xnvme_cli_enumeration *list, int opts)
{
	return xnvme_cli_enumeration_fpr(stdout, list, opts);
}

int
xnvme_cli_enumeration_fpp(FILE *stream, struct xnvme_cli_enumeration *list, int opts)
{
	int wrtn = 0;

	(void)opts;
	if (!list || !list->nentries) {
		return fprintf(stream, "xnvme_cli_enumeration: ~\n");
	}
	wrtn += fprintf(stream, "xnvme_cli_enumeration:\n");
	for (uint32_t i = 0; i < list->nentries; ++i) {
		wrtn += fprintf(stream, "  - ");
		wrtn += cli_enum_uri_fpr(stream, &list->entries[i]);
		wrtn += fprintf(stream, "\n");
	}
	return wrtn;
}

int
xnvme_cli_enumeration_pp(struct xnvme_cli_enumeration *list, int opts)
{
	return xnvme_cli_enumeration_fpp(stdout, list, opts);
}
