/* SPDX-License-Identifier: BSD-3-Clause */
/* The program's stopwatch (struct xnvme_cli.timer): the timers of libxnvme_util.h on it */
#include "cli_internal.h"

uint64_t
xnvme_cli_timer_start(struct xnvme_cli *cli)
{
	return xnvme_timer_start(&cli->timer);
}

uint64_t
xnvme_cli_timer_stop(struct xnvme_cli *cli)
{
	return xnvme_timer_stop(&cli->timer);
}

void
xnvme_cli_timer_bw_pr(struct xnvme_cli *cli, const char *prefix, size_t nbytes)
{
	xnvme_timer_bw_pr(&cli->timer, prefix, nbytes);
}
