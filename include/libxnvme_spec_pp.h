/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Printers of NVMe specification structures (YAML documents) and names of status codes.
 * Each `_fpr` writes to @p stream and returns the number of characters written; `_pr` writes to
 * stdout. @p opts is an enum xnvme_pr.
 */
#ifndef __LIBXNVME_SPEC_PP_H
#define __LIBXNVME_SPEC_PP_H

#include <stdio.h>
#include <stdint.h>
#include <libxnvme_spec.h>
#include <libxnvme_pp.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of a status, e.g. "LBA_OUT_OF_RANGE"; "UNKNOWN" when the pair is not known */
const char *xnvme_spec_status_str(uint8_t sct, uint8_t sc);

/*
 * Names of enum values as xNVMe gives them: the constant's name without its "XNVME_SPEC_" prefix
 * (with it for a few), "ENOSYS" for a value the enum does not have.
 */

/** Name of an admin opcode, e.g. "ADM_OPC_IDFY" */
const char *xnvme_spec_adm_opc_str(enum xnvme_spec_adm_opc eval);

/** Name of an NVM command set opcode, e.g. "NVM_OPC_READ" */
const char *xnvme_spec_nvm_opc_str(enum xnvme_spec_nvm_opc eval);

/** Name of a zoned command set opcode, e.g. "ZND_OPC_MGMT_SEND" */
const char *xnvme_spec_znd_opc_str(enum xnvme_spec_znd_opc eval);

/** Name of a zone state, e.g. "ZND_STATE_EMPTY" */
const char *xnvme_spec_znd_state_str(enum xnvme_spec_znd_state eval);

/** Name of a zone type, e.g. "ZND_TYPE_SEQWR" */
const char *xnvme_spec_znd_type_str(enum xnvme_spec_znd_type eval);

/** Name of a zoned command set status code, e.g. "ZND_SC_IS_FULL" */
const char *xnvme_spec_znd_status_code_str(enum xnvme_spec_znd_status_code eval);

/** Name of an NVM command set status code, e.g. "NVM_CMD_CPL_SC_WRITE_TO_RONLY" */
const char *xnvme_spec_nvm_cmd_cpl_sc_str(enum xnvme_spec_nvm_cmd_cpl_sc eval);

/** Name of one bit of enum xnvme_spec_flag, e.g. "FLAG_FORCE_UNIT_ACCESS" */
const char *xnvme_spec_flag_str(enum xnvme_spec_flag eval);

/** Name of a PSDT value, e.g. "PSDT_PRP" */
const char *xnvme_spec_psdt_str(enum xnvme_spec_psdt eval);

/** Name of an SGL descriptor sub type, e.g. "SGL_DESCR_SUBTYPE_ADDRESS" */
const char *xnvme_spec_sgl_descriptor_subtype_str(enum xnvme_spec_sgl_descriptor_subtype eval);

/** Name of a zone send action, e.g. "ZND_CMD_MGMT_SEND_RESET" */
const char *xnvme_spec_znd_cmd_mgmt_send_action_str(enum xnvme_spec_znd_cmd_mgmt_send_action eval);

/** Name of a zone send action specific option */
const char *xnvme_spec_znd_mgmt_send_action_so_str(enum xnvme_spec_znd_mgmt_send_action_so eval);

/** Name of a zone receive action, e.g. "ZND_CMD_MGMT_RECV_ACTION_REPORT" */
const char *xnvme_spec_znd_cmd_mgmt_recv_action_str(enum xnvme_spec_znd_cmd_mgmt_recv_action eval);

/** Name of a zone receive action specific field, e.g. "ZND_CMD_MGMT_RECV_SF_ALL" */
const char *
xnvme_spec_znd_cmd_mgmt_recv_action_sf_str(enum xnvme_spec_znd_cmd_mgmt_recv_action_sf eval);

/*
 * Names of command set, identify CNS, log page, feature and select values: the enum constant
 * without its "XNVME_SPEC_" prefix, e.g. "LOG_HEALTH"; "ENOSYS" for a value the enum lacks
 */
const char *xnvme_spec_csi_str(enum xnvme_spec_csi eval);
const char *xnvme_spec_idfy_cns_str(enum xnvme_spec_idfy_cns eval);
const char *xnvme_spec_log_lpi_str(enum xnvme_spec_log_lpi eval);
const char *xnvme_spec_znd_log_lid_str(enum xnvme_spec_znd_log_lid eval);
const char *xnvme_spec_feat_id_str(enum xnvme_spec_feat_id eval);
const char *xnvme_spec_feat_sel_str(enum xnvme_spec_feat_sel eval);

int xnvme_spec_cpl_fpr(FILE *stream, const struct xnvme_spec_cpl *cpl, int opts);
int xnvme_spec_cpl_pr(const struct xnvme_spec_cpl *cpl, int opts);

int xnvme_spec_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_idfy_ctrlr *idfy, int opts);
int xnvme_spec_idfy_ctrlr_pr(const struct xnvme_spec_idfy_ctrlr *idfy, int opts);

int xnvme_spec_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_idfy_ns *idfy, int opts);
int xnvme_spec_idfy_ns_pr(const struct xnvme_spec_idfy_ns *idfy, int opts);

/** The I/O command set combinations the controller lists (the all-zero ones are left out) */
int xnvme_spec_idfy_cs_fpr(FILE *stream, const struct xnvme_spec_idfy_cs *idfy, int opts);
int xnvme_spec_idfy_cs_pr(const struct xnvme_spec_idfy_cs *idfy, int opts);

/* The command set specific identify printers take non-const pointers, as xNVMe's do */
int xnvme_spec_nvm_idfy_ctrlr_fpr(FILE *stream, struct xnvme_spec_nvm_idfy_ctrlr *idfy, int opts);
int xnvme_spec_nvm_idfy_ctrlr_pr(struct xnvme_spec_nvm_idfy_ctrlr *idfy, int opts);
int xnvme_spec_nvm_idfy_ns_fpr(FILE *stream, struct xnvme_spec_nvm_idfy_ns *idfy, int opts);
int xnvme_spec_nvm_idfy_ns_pr(struct xnvme_spec_nvm_idfy_ns *idfy, int opts);

int xnvme_spec_znd_idfy_ctrlr_fpr(FILE *stream, struct xnvme_spec_znd_idfy_ctrlr *zctrlr, int opts);
int xnvme_spec_znd_idfy_ctrlr_pr(struct xnvme_spec_znd_idfy_ctrlr *zctrlr, int opts);
/** One LBA format extension as a flow mapping, without a line end */
int xnvme_spec_znd_idfy_lbafe_fpr(FILE *stream, struct xnvme_spec_znd_idfy_lbafe *zonef, int opts);
int xnvme_spec_znd_idfy_ns_fpr(FILE *stream, struct xnvme_spec_znd_idfy_ns *zns, int opts);
int xnvme_spec_znd_idfy_ns_pr(struct xnvme_spec_znd_idfy_ns *zns, int opts);

int xnvme_spec_kvs_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_kvs_idfy_ns *idfy, int opts);
int xnvme_spec_kvs_idfy_ns_pr(const struct xnvme_spec_kvs_idfy_ns *idfy, int opts);

/** Prints the namespace list (CNS 02h/07h) up to its first zero entry */
int xnvme_spec_idfy_nslist_fpr(FILE *stream, const struct xnvme_spec_idfy *idfy, int opts);

/** The first @p limit entries of an error information log */
int xnvme_spec_log_erri_fpr(FILE *stream, const struct xnvme_spec_log_erri_entry *log, int limit,
			    int opts);
int xnvme_spec_log_erri_pr(const struct xnvme_spec_log_erri_entry *log, int limit, int opts);
int xnvme_spec_log_health_fpr(FILE *stream, const struct xnvme_spec_log_health_entry *log,
			      int opts);
int xnvme_spec_log_health_pr(const struct xnvme_spec_log_health_entry *log, int opts);
int xnvme_spec_log_fw_slot_fpr(FILE *stream, const struct xnvme_spec_log_fw_slot *log, int opts);
int xnvme_spec_log_chns_fpr(FILE *stream, const struct xnvme_spec_log_chns *log, int opts);
int xnvme_spec_log_csae_fpr(FILE *stream, const struct xnvme_spec_log_csae *log, int opts);
/** The number of changed zones (the count, as xNVMe prints it) */
int xnvme_spec_znd_log_changes_fpr(FILE *stream, const struct xnvme_spec_znd_log_changes *changes,
				   int opts);
int xnvme_spec_znd_log_changes_pr(const struct xnvme_spec_znd_log_changes *changes, int opts);

/*
 * Flexible data placement, to stdout. The pages are read in parts: @p limit is the number of
 * entries the caller holds (events, handle usage and status descriptors); the configurations page
 * is read no further than its own size field says.
 */
int xnvme_spec_log_fdp_conf_pr(const struct xnvme_spec_log_fdp_conf *log, int opts);
int xnvme_spec_log_fdp_stats_pr(const struct xnvme_spec_log_fdp_stats *log, int opts);
int xnvme_spec_log_fdp_events_pr(const struct xnvme_spec_log_fdp_events *log, int limit, int opts);
int xnvme_spec_log_ruhu_pr(const struct xnvme_spec_log_ruhu *log, int limit, int opts);
int xnvme_spec_ruhs_pr(const struct xnvme_spec_ruhs *ruhs, int limit, int opts);

/** Prints the value @p feat of feature @p fid as "feat: {...}", decoded where it is known */
int xnvme_spec_feat_fpr(FILE *stream, uint8_t fid, struct xnvme_spec_feat feat, int opts);
int xnvme_spec_feat_pr(uint8_t fid, struct xnvme_spec_feat feat, int opts);
/** The FDP event descriptors in @p buf; @p feat is completion dword 0: how many there are */
int xnvme_spec_feat_fdp_events_pr(void *buf, struct xnvme_spec_feat feat, int opts);

/* The data of directive receive, to stdout: identify and streams return parameters, streams
 * status, and the result of allocating stream resources */
int xnvme_spec_drecv_idfy_pr(struct xnvme_spec_idfy_dir_rp *idfy, int opts);
int xnvme_spec_drecv_srp_pr(struct xnvme_spec_streams_dir_rp *srp, int opts);
int xnvme_spec_drecv_sgs_pr(struct xnvme_spec_streams_dir_gs *sgs, int opts);
int xnvme_spec_drecv_sar_pr(struct xnvme_spec_alloc_resource sar, int opts);

/** The controller registers; the `_pp` form writes to stdout */
int xnvme_spec_ctrlr_bar_fpr(FILE *stream, struct xnvme_spec_ctrlr_bar *bar, int opts);
int xnvme_spec_ctrlr_bar_pp(struct xnvme_spec_ctrlr_bar *bar, int opts);

#ifdef __cplusplus
}
#endif

#endif
