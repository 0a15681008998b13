/* SPDX-License-Identifier: BSD-3-Clause */
/* Links the translation units that each include one public header alone; see meson.build. */
#include <libxnvme.h>

int
main(void)
{
	/* Sizes the ABI promises, beyond the asserts inside the headers */
	return !(sizeof(struct xnvme_cmd_ctx) == 128 && sizeof(struct xnvme_geo) == 64 &&
		 sizeof(struct xnvme_spec_cmd) == 64 && sizeof(struct xnvme_spec_cpl) == 16 &&
		 sizeof(struct xnvme_ident) == 704);
}
