/* SPDX-License-Identifier: BSD-3-Clause */
/* YAML printers of log pages and feature values. */
#include <inttypes.h>
#include <string.h>
#include <libxnvme.h>
#include "spec_pp.h"

int
xnvme_spec_log_erri_fpr(FILE *stream, const struct xnvme_spec_log_erri_entry *log, int nentries,
			int opts)
{
	int wrtn;

	(void)opts;
	if (!log) {
		return fprintf(stream, "xnvme_spec_log_erri: ~\n");
	}
	wrtn = fprintf(stream, "xnvme_spec_log_erri:%s\n", nentries > 0 ? "" : " []");
	for (int i = 0; i < nentries; ++i) {
		const struct xnvme_spec_log_erri_entry *e = &log[i];

		wrtn +=
		    fprintf(stream,
			    "  - {ecnt: %" PRIu64 ", sqid: %u, cid: 0x%04x, sct: 0x%x, sc: 0x%02x, "
			    "status: '%s', eloc: 0x%04x, lba: %" PRIu64 ", nsid: %" PRIu32
			    ", ven_si: %u, trtype: %u, cmd_si: 0x%016" PRIx64 "}\n",
			    e->ecnt, e->sqid, e->cid, e->status.sct, e->status.sc,
			    xnvme_spec_status_str(e->status.sct, e->status.sc), e->eloc, e->lba,
			    e->nsid, e->ven_si, e->trtype, e->cmd_si);
	}
	return wrtn;
}

int
xnvme_spec_log_health_fpr(FILE *stream, const struct xnvme_spec_log_health_entry *h, int opts)
{
	int wrtn;

	(void)opts;
	if (!h) {
		return fprintf(stream, "xnvme_spec_log_health: ~\n");
	}
	wrtn = fprintf(stream,
		       "xnvme_spec_log_health:\n  crit_warn: 0x%02x\n  comp_temp: %u\n"
		       "  avail_spare: %u\n  avail_spare_thresh: %u\n  pct_used: %u\n"
		       "  eg_crit_warn_sum: 0x%02x\n",
		       h->crit_warn, h->comp_temp, h->avail_spare, h->avail_spare_thresh,
		       h->pct_used, h->eg_crit_warn_sum);
	wrtn += xnvme_spec_pp_u128(stream, "data_units_read", h->data_units_read);
	wrtn += xnvme_spec_pp_u128(stream, "data_units_written", h->data_units_written);
	wrtn += xnvme_spec_pp_u128(stream, "host_read_cmds", h->host_read_cmds);
	wrtn += xnvme_spec_pp_u128(stream, "host_write_cmds", h->host_write_cmds);
	wrtn += xnvme_spec_pp_u128(stream, "ctrl_busy_time", h->ctrl_busy_time);
	wrtn += xnvme_spec_pp_u128(stream, "pwr_cycles", h->pwr_cycles);
	wrtn += xnvme_spec_pp_u128(stream, "pwr_on_hours", h->pwr_on_hours);
	wrtn += xnvme_spec_pp_u128(stream, "unsafe_shutdowns", h->unsafe_shutdowns);
	wrtn += xnvme_spec_pp_u128(stream, "mdi_errs", h->mdi_errs);
	wrtn += xnvme_spec_pp_u128(stream, "nr_err_logs", h->nr_err_logs);
	wrtn += fprintf(stream,
			"  warn_comp_temp_time: %" PRIu32 "\n  crit_comp_temp_time: %" PRIu32 "\n",
			h->warn_comp_temp_time, h->crit_comp_temp_time);
	wrtn += fprintf(stream, "  temp_sens: [");
	for (int i = 0; i < 8; ++i) {
		wrtn += fprintf(stream, "%s%u", i ? ", " : "", h->temp_sens[i]);
	}
	return wrtn + fprintf(stream, "]\n");
}

int
xnvme_spec_log_fw_slot_fpr(FILE *stream, const struct xnvme_spec_log_fw_slot *log, int opts)
{
	int wrtn;

	(void)opts;
	if (!log) {
		return fprintf(stream, "xnvme_spec_log_fw_slot: ~\n");
	}
	wrtn = fprintf(stream, "xnvme_spec_log_fw_slot:\n  afi: 0x%02x\n  frs:\n", log->afi);
	for (int i = 0; i < 7; ++i) {
		wrtn += fprintf(stream, "    - \"");
		for (int j = 0; j < 8 && log->frs[i][j]; ++j) {
			unsigned char c = (unsigned char)log->frs[i][j];

			wrtn += (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
				    ? fprintf(stream, "\\x%02x", c)
				    : fprintf(stream, "%c", c);
		}
		wrtn += fprintf(stream, "\"\n");
	}
	return wrtn;
}

int
xnvme_spec_log_chns_fpr(FILE *stream, const struct xnvme_spec_log_chns *log, int opts)
{
	int wrtn;

	(void)opts;
	if (!log) {
		return fprintf(stream, "xnvme_spec_log_chns: ~\n");
	}
	wrtn = fprintf(stream, "xnvme_spec_log_chns: [");
	for (int i = 0; i < 1024 && log->nsids[i]; ++i) {
		wrtn += fprintf(stream, "%s0x%08" PRIx32, i ? ", " : "", log->nsids[i]);
	}
	return wrtn + fprintf(stream, "]\n");
}

static int
pp_cmd_effects(FILE *stream, const char *key, const struct xnvme_spec_log_cmd_effect *e,
	       const char *(*name)(uint8_t))
{
	int wrtn = fprintf(stream, "  %s:\n", key);
	int n = 0;

	for (int opc = 0; opc < 256; ++opc) {
		if (!e[opc].csupp) {
			continue;
		}
		n++;
		wrtn +=
		    fprintf(stream,
			    "    - {opc: 0x%02x, name: '%s', lbcc: %u, ncc: %u, nic: %u, ccc: %u, "
			    "cse: %u}\n",
			    opc, name((uint8_t)opc), e[opc].lbcc, e[opc].ncc, e[opc].nic,
			    e[opc].ccc, e[opc].cse);
	}
	if (!n) {
		wrtn += fprintf(stream, "    []\n");
	}
	return wrtn;
}

int
xnvme_spec_log_csae_fpr(FILE *stream, const struct xnvme_spec_log_csae *log, int opts)
{
	int wrtn;

	(void)opts;
	if (!log) {
		return fprintf(stream, "xnvme_spec_log_csae: ~\n");
	}
	wrtn = fprintf(stream, "xnvme_spec_log_csae:\n");
	wrtn += pp_cmd_effects(stream, "acs", log->acs, xnvme_spec_adm_opc_str);
	wrtn += pp_cmd_effects(stream, "iocs", log->iocs, xnvme_spec_nvm_opc_str);
	return wrtn;
}

int
xnvme_spec_znd_log_changes_fpr(FILE *stream, const struct xnvme_spec_znd_log_changes *log, int opts)
{
	int wrtn, n;

	(void)opts;
	if (!log) {
		return fprintf(stream, "xnvme_spec_znd_log_changes: ~\n");
	}
	n = log->nidents == 0xFFFF ? 0 : XNVME_MIN(log->nidents, 511);
	wrtn = fprintf(stream, "xnvme_spec_znd_log_changes:\n  nidents: %u\n  idents: [",
		       log->nidents);
	for (int i = 0; i < n; ++i) {
		wrtn += fprintf(stream, "%s0x%016" PRIx64, i ? ", " : "", log->idents[i]);
	}
	return wrtn + fprintf(stream, "]\n");
}

int
xnvme_spec_feat_fpr(FILE *stream, uint8_t fid, struct xnvme_spec_feat feat, int opts)
{
	int wrtn;

	(void)opts;
	wrtn = fprintf(stream,
		       "xnvme_spec_feat:\n  fid: 0x%02x\n  name: '%s'\n  val: 0x%08" PRIx32 "\n",
		       fid, xnvme_spec_feat_id_str(fid), feat.val);
	switch (fid) {
	case XNVME_SPEC_FEAT_ARBITRATION:
		wrtn += fprintf(stream, "  ab: %u\n  lpw: %u\n  mpw: %u\n  hpw: %u\n",
				feat.arbitration.ab, feat.arbitration.lpw, feat.arbitration.mpw,
				feat.arbitration.hpw);
		break;
	case XNVME_SPEC_FEAT_PWR_MGMT:
		wrtn +=
		    fprintf(stream, "  ps: %u\n  wh: %u\n", feat.power_mgmt.ps, feat.power_mgmt.wh);
		break;
	case XNVME_SPEC_FEAT_TEMP_THRESHOLD:
		wrtn += fprintf(stream, "  tmpth: %u\n  tmpsel: %u\n  thsel: %u\n",
				feat.temp_threshold.tmpth, feat.temp_threshold.tmpsel,
				feat.temp_threshold.thsel);
		break;
	case XNVME_SPEC_FEAT_ERROR_RECOVERY:
		wrtn += fprintf(stream, "  tler: %u\n  dulbe: %u\n", feat.error_recovery.tler,
				feat.error_recovery.dulbe);
		break;
	case XNVME_SPEC_FEAT_VWCACHE:
		wrtn += fprintf(stream, "  wce: %u\n", feat.vwcache.wce);
		break;
	case XNVME_SPEC_FEAT_NQUEUES:
		wrtn += fprintf(stream, "  nsqa: %u\n  ncqa: %u\n", feat.nqueues.nsqa,
				feat.nqueues.ncqa);
		break;
	default:
		break;
	}
	return wrtn;
}
