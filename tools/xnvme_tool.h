/* SPDX-License-Identifier: BSD-3-Clause */
/* The sub-commands of the `xnvme` tool that live outside xnvme.c (admin and raw: xnvme_adm.c) */
#ifndef __XNVME_TOOL_H
#define __XNVME_TOOL_H

#include "cli.h"

int xnvme_tool_idfy(struct cli_args *args);
int xnvme_tool_idfy_cs(struct cli_args *args);
int xnvme_tool_log(struct cli_args *args);
int xnvme_tool_log_erri(struct cli_args *args);
int xnvme_tool_log_health(struct cli_args *args);
int xnvme_tool_log_fwsl(struct cli_args *args);
int xnvme_tool_log_cmds_effects(struct cli_args *args);
int xnvme_tool_log_chns(struct cli_args *args);
int xnvme_tool_feature_get(struct cli_args *args);
int xnvme_tool_feature_set(struct cli_args *args);
int xnvme_tool_format(struct cli_args *args);
int xnvme_tool_sanitize(struct cli_args *args);
int xnvme_tool_dev_selftest(struct cli_args *args);
int xnvme_tool_padc(struct cli_args *args);
int xnvme_tool_pioc(struct cli_args *args);

#endif
