/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML printers of log pages (NVMe 2.0 section 5.16.1, ZNS 1.1 Changed Zone List) and of zone
 * descriptors. Lists in a log page end where the specification says they end (a zero entry, a
 * count), never past the structure.
 */
#include <inttypes.h>
#include <string.h>
#include "spec_pp.h"

int
xnvme_spec_log_erri_fpr(FILE *stream, const struct xnvme_spec_log_erri_entry *log, int nentries,
			int opts)
{
	int wrtn = 0;

	if (!log) {
		return spec_pp_null(stream, "xnvme_spec_log_erri");
	}
	nentries = XNVME_MAX(nentries, 0);
	wrtn += fprintf(stream, "xnvme_spec_log_erri:\n  nentries: %d\n  entries:%s\n", nentries,
			nentries ? "" : " []");
	for (int i = 0; i < nentries; ++i) {
		const struct xnvme_spec_log_erri_entry *e = &log[i];
		const char *name = xnvme_spec_status_str(e->status.sct, e->status.sc);

		if (spec_pp_terse(opts)) {
			wrtn += fprintf(stream,
					"    - {ecnt: %" PRIu64 ", sqid: %u, cid: 0x%04x, "
					"status_str: '%s', lba: %" PRIu64 ", nsid: %" PRIu32 "}\n",
					e->ecnt, e->sqid, e->cid, name, e->lba, e->nsid);
			continue;
		}
		wrtn += fprintf(stream,
				"    - {ecnt: %" PRIu64 ", sqid: %u, cid: 0x%04x, sc: 0x%02x, "
				"sct: 0x%x, crd: %u, m: %u, dnr: %u, status_str: '%s', "
				"eloc: 0x%04x, lba: %" PRIu64 ", nsid: %" PRIu32 ", ven_si: %u, "
				"trtype: %u, cmd_si: 0x%016" PRIx64 ", trtype_si: 0x%04x}\n",
				e->ecnt, e->sqid, e->cid, e->status.sc, e->status.sct,
				e->status.rsvd2, e->status.m, e->status.dnr, name, e->eloc, e->lba,
				e->nsid, e->ven_si, e->trtype, e->cmd_si, e->trtype_si);
	}
	return wrtn;
}

#define H(field, fmt, terse) SPEC_PP_FIELD(struct xnvme_spec_log_health_entry, field, fmt, terse)
static const struct spec_pp_field g_health_fields[] = {
    H(crit_warn, SPEC_PP_HEX, 1),
    H(comp_temp, SPEC_PP_DEC, 1),
    H(avail_spare, SPEC_PP_DEC, 1),
    H(avail_spare_thresh, SPEC_PP_DEC, 0),
    H(pct_used, SPEC_PP_DEC, 1),
    H(eg_crit_warn_sum, SPEC_PP_HEX, 0),
    H(data_units_read, SPEC_PP_U128, 1),
    H(data_units_written, SPEC_PP_U128, 1),
    H(host_read_cmds, SPEC_PP_U128, 0),
    H(host_write_cmds, SPEC_PP_U128, 0),
    H(ctrl_busy_time, SPEC_PP_U128, 0),
    H(pwr_cycles, SPEC_PP_U128, 0),
    H(pwr_on_hours, SPEC_PP_U128, 1),
    H(unsafe_shutdowns, SPEC_PP_U128, 1),
    H(mdi_errs, SPEC_PP_U128, 1),
    H(nr_err_logs, SPEC_PP_U128, 0),
    H(warn_comp_temp_time, SPEC_PP_DEC, 0),
    H(crit_comp_temp_time, SPEC_PP_DEC, 0),
    H(tmt1tc, SPEC_PP_DEC, 0),
    H(tmt2tc, SPEC_PP_DEC, 0),
    H(tttmt1, SPEC_PP_DEC, 0),
    H(tttmt2, SPEC_PP_DEC, 0),
};
#undef H

int
xnvme_spec_log_health_fpr(FILE *stream, const struct xnvme_spec_log_health_entry *log, int opts)
{
	int wrtn = 0;

	if (!log) {
		return spec_pp_null(stream, "xnvme_spec_log_health");
	}
	wrtn += fprintf(stream, "xnvme_spec_log_health:\n");
	wrtn += spec_pp_fields(stream, "  ", log, g_health_fields,
			       XNVME_ARRAY_SIZE(g_health_fields), opts);
	if (spec_pp_terse(opts)) {
		return wrtn;
	}
	// The structure is packed: copy each sensor out rather than take an unaligned address
	wrtn += fprintf(stream, "  temp_sens: [");
	for (int i = 0; i < 8; ++i) {
		uint16_t temp;

		memcpy(&temp,
		       (const uint8_t *)log +
			   offsetof(struct xnvme_spec_log_health_entry, temp_sens) +
			   (size_t)i * sizeof(temp),
		       sizeof(temp));
		wrtn += fprintf(stream, "%s%u", i ? ", " : "", temp);
	}
	return wrtn + fprintf(stream, "]\n");
}

int
xnvme_spec_log_fw_slot_fpr(FILE *stream, const struct xnvme_spec_log_fw_slot *log, int opts)
{
	int wrtn = 0;

	(void)opts;
	if (!log) {
		return spec_pp_null(stream, "xnvme_spec_log_fw_slot");
	}
	wrtn += fprintf(stream, "xnvme_spec_log_fw_slot:\n  afi: 0x%02x\n  frs:\n", log->afi);
	// An empty slot reads as all zeroes, printed as ""; slot numbers are the index plus one
	for (int i = 0; i < 7; ++i) {
		wrtn += fprintf(stream, "    - ");
		wrtn += spec_pp_qstr(stream, log->frs[i], sizeof(log->frs[i]));
		wrtn += fprintf(stream, "\n");
	}
	return wrtn;
}

int
xnvme_spec_log_chns_fpr(FILE *stream, const struct xnvme_spec_log_chns *log, int opts)
{
	int wrtn = 0;

	(void)opts;
	if (!log) {
		return spec_pp_null(stream, "xnvme_spec_log_chns");
	}
	// Ends at the first zero; a first entry of 0xFFFFFFFF means more than 1024 changed
	wrtn += fprintf(stream, "xnvme_spec_log_chns:\n  nsids:%s\n", log->nsids[0] ? "" : " []");
	for (int i = 0; i < 1024 && log->nsids[i]; ++i) {
		wrtn += fprintf(stream, "    - %" PRIu32 "\n", log->nsids[i]);
	}
	return wrtn;
}

/* The supported commands of one table of the commands supported and effects log */
static int
pp_cmd_effects(FILE *stream, const char *key, const struct xnvme_spec_log_cmd_effect *effects,
	       const char *name_key, const char *(*name)(uint8_t), int opts)
{
	int nsupp = 0;
	int wrtn = 0;

	for (int opc = 0; opc < 256; ++opc) {
		nsupp += effects[opc].csupp;
	}
	wrtn += fprintf(stream, "  %s:%s\n", key, nsupp ? "" : " []");
	for (int opc = 0; opc < 256; ++opc) {
		const struct xnvme_spec_log_cmd_effect *e = &effects[opc];

		if (!e->csupp) {
			continue;
		}
		wrtn += fprintf(stream, "    - {opc: 0x%02x, %s: '%s'", opc, name_key,
				name((uint8_t)opc));
		if (!spec_pp_terse(opts)) {
			wrtn +=
			    fprintf(stream,
				    ", lbcc: %u, ncc: %u, nic: %u, ccc: %u, cse: %u, "
				    "uuid_sel: %u, cser: %u",
				    e->lbcc, e->ncc, e->nic, e->ccc, e->cse, e->uuid_sel, e->cser);
		}
		wrtn += fprintf(stream, "}\n");
	}
	return wrtn;
}

int
xnvme_spec_log_csae_fpr(FILE *stream, const struct xnvme_spec_log_csae *log, int opts)
{
	int wrtn = 0;

	if (!log) {
		return spec_pp_null(stream, "xnvme_spec_log_csae");
	}
	wrtn += fprintf(stream, "xnvme_spec_log_csae:\n");
	wrtn += pp_cmd_effects(stream, "acs", log->acs, "adm_opc_str", spec_adm_opc_name, opts);
	wrtn += pp_cmd_effects(stream, "iocs", log->iocs, "nvm_opc_str", spec_io_opc_name, opts);
	return wrtn;
}

int
xnvme_spec_znd_log_changes_fpr(FILE *stream, const struct xnvme_spec_znd_log_changes *log, int opts)
{
	int nidents;
	int wrtn = 0;

	(void)opts;
	if (!log) {
		return spec_pp_null(stream, "xnvme_spec_znd_log_changes");
	}
	// 0xFFFF: more than 511 zones changed and the list holds none (ZNS 1.1, Changed Zone List)
	nidents = log->nidents == 0xFFFF ? 0 : XNVME_MIN(log->nidents, 511);
	wrtn += fprintf(stream, "xnvme_spec_znd_log_changes:\n  nidents: %u\n  idents:%s\n",
			log->nidents, nidents ? "" : " []");
	for (int i = 0; i < nidents; ++i) {
		wrtn += fprintf(stream, "    - %" PRIu64 "\n", log->idents[i]);
	}
	return wrtn;
}
