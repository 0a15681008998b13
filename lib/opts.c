/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <libxnvme.h>

void
xnvme_opts_set_defaults(struct xnvme_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->rdwr = 1;
	opts->nsid = 1;
	opts->create_mode = 0600;
	opts->admin_timeout = 60;
	opts->command_timeout = 30;
}

struct xnvme_opts
xnvme_opts_default(void)
{
	struct xnvme_opts opts;

	xnvme_opts_set_defaults(&opts);
	return opts;
}
