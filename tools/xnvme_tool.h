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

/** Get Log Page @p lid, --data-nbytes (else @p dflt_nbytes) long; printed, decoded where known */
int xnvme_tool_log_run(struct cli_args *args, uint8_t lid, uint32_t dflt_nbytes);

/* The flexible data placement log pages (NVMe TP4146) */
#define XNVME_TOOL_LOG_FDP_CONF   0x20
#define XNVME_TOOL_LOG_RUHU       0x21
#define XNVME_TOOL_LOG_FDP_STATS  0x22
#define XNVME_TOOL_LOG_FDP_EVENTS 0x23

/** Prints an FDP log page (lid 0x20..0x23) under xNVMe 0.7.5's key; returns 0 */
int xnvme_tool_fdp_log_pr(uint8_t lid, const void *buf, size_t nbytes);

/* xnvme_fdp.c: flexible data placement, dataset management, resets */
int xnvme_tool_log_fdp_config(struct cli_args *args);
int xnvme_tool_log_ruhu(struct cli_args *args);
int xnvme_tool_log_fdp_stats(struct cli_args *args);
int xnvme_tool_log_fdp_events(struct cli_args *args);
int xnvme_tool_set_fdp_events(struct cli_args *args);
int xnvme_tool_fdp_ruhs(struct cli_args *args);
int xnvme_tool_fdp_ruhu(struct cli_args *args);
int xnvme_tool_dsm(struct cli_args *args);
int xnvme_tool_subsystem_reset(struct cli_args *args);
int xnvme_tool_ctrlr_reset(struct cli_args *args);
int xnvme_tool_ns_rescan(struct cli_args *args);
int xnvme_tool_show_regs(struct cli_args *args);

#endif
