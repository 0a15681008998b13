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

/** Name of an admin opcode, e.g. "IDENTIFY"; "UNKNOWN" when not known */
const char *xnvme_spec_adm_opc_str(uint8_t opc);

/** Name of an I/O opcode (NVM, zoned and FS command sets) */
const char *xnvme_spec_nvm_opc_str(uint8_t opc);

/** Name of a zone state, e.g. "EMPTY" */
const char *xnvme_spec_znd_state_str(uint8_t zs);

/** Name of a feature identifier */
const char *xnvme_spec_feat_id_str(uint8_t fid);

/** Name of a log page identifier */
const char *xnvme_spec_log_lpi_str(uint8_t lid);

int xnvme_spec_cmd_fpr(FILE *stream, const struct xnvme_spec_cmd *cmd, int opts);
int xnvme_spec_cmd_pr(const struct xnvme_spec_cmd *cmd, int opts);

int xnvme_spec_cpl_fpr(FILE *stream, const struct xnvme_spec_cpl *cpl, int opts);
int xnvme_spec_cpl_pr(const struct xnvme_spec_cpl *cpl, int opts);

int xnvme_spec_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_idfy_ctrlr *idfy, int opts);
int xnvme_spec_idfy_ctrlr_pr(const struct xnvme_spec_idfy_ctrlr *idfy, int opts);

int xnvme_spec_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_idfy_ns *idfy, int opts);
int xnvme_spec_idfy_ns_pr(const struct xnvme_spec_idfy_ns *idfy, int opts);

int xnvme_spec_nvm_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_nvm_idfy_ctrlr *idfy,
				  int opts);
int xnvme_spec_nvm_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_nvm_idfy_ns *idfy, int opts);

int xnvme_spec_znd_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_znd_idfy_ctrlr *idfy,
				  int opts);
int xnvme_spec_znd_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_znd_idfy_ns *idfy, int opts);

/** Prints the namespace list (CNS 02h/07h) up to its first zero entry */
int xnvme_spec_idfy_nslist_fpr(FILE *stream, const struct xnvme_spec_idfy *idfy, int opts);

int xnvme_spec_znd_descr_fpr(FILE *stream, const struct xnvme_spec_znd_descr *descr, int opts);

int xnvme_spec_log_erri_fpr(FILE *stream, const struct xnvme_spec_log_erri_entry *log, int nentries,
			    int opts);
int xnvme_spec_log_health_fpr(FILE *stream, const struct xnvme_spec_log_health_entry *log,
			      int opts);
int xnvme_spec_log_fw_slot_fpr(FILE *stream, const struct xnvme_spec_log_fw_slot *log, int opts);
int xnvme_spec_log_chns_fpr(FILE *stream, const struct xnvme_spec_log_chns *log, int opts);
int xnvme_spec_log_csae_fpr(FILE *stream, const struct xnvme_spec_log_csae *log, int opts);
int xnvme_spec_znd_log_changes_fpr(FILE *stream, const struct xnvme_spec_znd_log_changes *log,
				   int opts);

/** Prints the value @p feat of feature @p fid, decoded where the feature is known */
int xnvme_spec_feat_fpr(FILE *stream, uint8_t fid, struct xnvme_spec_feat feat, int opts);

#ifdef __cplusplus
}
#endif

#endif
