/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML printers of log pages (NVMe 2.0 section 5.16.1, ZNS 1.1 Changed Zone List) and of zone
 * descriptors. Error information, health and changed zones print xNVMe 0.7.5's documents (see
 * spec_pp.h); firmware slots, changed namespaces and command effects are this library's own.
 */
#include <inttypes.h>
#include <string.h>
#include "spec_pp.h"

int
xnvme_spec_log_erri_fpr(FILE *stream, const struct xnvme_spec_log_erri_entry *log, int limit,
			int opts)
{
	int wrtn = 0;

	(void)opts;
	if (!log) {
		return spec_pp_null(stream, "xnvme_spec_log_erri");
	}
	wrtn += fprintf(stream, "xnvme_spec_log_erri:\n");
	for (int i = 0; i < limit; ++i) {
		const struct xnvme_spec_log_erri_entry *e = &log[i];
		uint16_t status;

		memcpy(&status, &e->status, sizeof(status));
		wrtn +=
		    fprintf(stream,
			    "  - {ecnt: %" PRIu64 ", sqid: %u, cid: %u, status: %#x, eloc: %#x, "
			    "lba: %#" PRIx64 ", nsid: %u, ven_si: %#x, trtype: %#x, "
			    "cmd_si: %#" PRIx64 ", trtype_si: %#x}\n",
			    e->ecnt, e->sqid, e->cid, status, e->eloc, e->lba, e->nsid, e->ven_si,
			    e->trtype, e->cmd_si, e->trtype_si);
	}
	return wrtn;
}

SPEC_PP_STDOUT_LIMIT(spec_log_erri, const struct xnvme_spec_log_erri_entry *)

/*
 * A 16-byte little-endian counter as xNVMe prints it: converted to long double, so exact up to
 * 2^64 and rounded to 64 significant bits above
 */
static int
pp_counter(FILE *stream, const char *key, const uint8_t *bytes)
{
	uint64_t lo, hi;

	memcpy(&lo, bytes, sizeof(lo));
	memcpy(&hi, bytes + 8, sizeof(hi));
	return fprintf(stream, "  %s: %.0Lf\n", key,
		       (long double)hi * 18446744073709551616.0L + (long double)lo);
}

/* Temperatures are in Kelvin; printed in Celsius, an unreported sensor (0) as 0 */
static int
pp_celsius(uint16_t kelvin)
{
	return kelvin ? (int)kelvin - 273 : 0;
}

static int
pp_spec_log_health(FILE *stream, const struct xnvme_spec_log_health_entry *log, int opts)
{
	const struct {
		const char *key;
		size_t off;
		int terse;
	} counters[] = {
	    {"data_units_read", offsetof(struct xnvme_spec_log_health_entry, data_units_read), 1},
	    {"data_units_written", offsetof(struct xnvme_spec_log_health_entry, data_units_written),
	     1},
	    {"host_read_cmds", offsetof(struct xnvme_spec_log_health_entry, host_read_cmds), 0},
	    {"host_write_cmds", offsetof(struct xnvme_spec_log_health_entry, host_write_cmds), 0},
	    {"ctrlr_busy_time", offsetof(struct xnvme_spec_log_health_entry, ctrlr_busy_time), 0},
	    {"pwr_cycles", offsetof(struct xnvme_spec_log_health_entry, pwr_cycles), 0},
	    {"pwr_on_hours", offsetof(struct xnvme_spec_log_health_entry, pwr_on_hours), 1},
	    {"unsafe_shutdowns", offsetof(struct xnvme_spec_log_health_entry, unsafe_shutdowns), 1},
	    // xNVMe's document has no mdi_errs line
	    {"nr_err_logs", offsetof(struct xnvme_spec_log_health_entry, nr_err_logs), 0},
	};
	int terse = spec_pp_terse(opts);
	int wrtn = 0;

	wrtn += fprintf(stream, "xnvme_spec_log_health_entry:\n  crit_warn: %u\n  comp_temp: %d\n",
			log->crit_warn, (int)log->comp_temp - 273);
	wrtn += fprintf(stream, "  avail_spare: %u\n", log->avail_spare);
	if (!terse) {
		wrtn += fprintf(stream, "  avail_spare_thresh: %u\n", log->avail_spare_thresh);
	}
	wrtn += fprintf(stream, "  pct_used: %u\n", log->pct_used);
	if (!terse) {
		wrtn += fprintf(stream, "  eg_crit_warn_sum: %u\n", log->eg_crit_warn_sum);
	}
	for (size_t i = 0; i < XNVME_ARRAY_SIZE(counters); ++i) {
		if (!terse || counters[i].terse) {
			wrtn += pp_counter(stream, counters[i].key,
					   (const uint8_t *)log + counters[i].off);
		}
	}
	if (terse) {
		return wrtn;
	}
	wrtn += fprintf(stream, "  warn_comp_temp_time: %u\n  crit_comp_temp_time: %u\n",
			log->warn_comp_temp_time, log->crit_comp_temp_time);
	// The structure is packed: copy each sensor out rather than take an unaligned address
	for (int i = 0; i < 8; ++i) {
		uint16_t temp;

		memcpy(&temp,
		       (const uint8_t *)log +
			   offsetof(struct xnvme_spec_log_health_entry, temp_sens) +
			   (size_t)i * sizeof(temp),
		       sizeof(temp));
		wrtn += fprintf(stream, "  temp_sens%d: %d\n", i + 1, pp_celsius(temp));
	}
	wrtn += fprintf(stream, "  tmt1tc: %u\n  tmt2tc: %u\n  tttmt1: %u\n  tttmt2: %u\n",
			log->tmt1tc, log->tmt2tc, log->tttmt1, log->tttmt2);
	return wrtn;
}

SPEC_PP_DOC(spec_log_health, const struct xnvme_spec_log_health_entry *,
	    "xnvme_spec_log_health_entry")

SPEC_PP_STDOUT(spec_log_health, const struct xnvme_spec_log_health_entry *)

static int
pp_spec_log_fw_slot(FILE *stream, const struct xnvme_spec_log_fw_slot *log, int opts)
{
	int wrtn = 0;

	(void)opts;
	wrtn += fprintf(stream, "xnvme_spec_log_fw_slot:\n  afi: 0x%02x\n  frs:\n", log->afi);
	// An empty slot reads as all zeroes, printed as ""; slot numbers are the index plus one
	for (int i = 0; i < 7; ++i) {
		wrtn += fprintf(stream, "    - ");
		wrtn += spec_pp_qstr(stream, log->frs[i], sizeof(log->frs[i]));
		wrtn += fprintf(stream, "\n");
	}
	return wrtn;
}

SPEC_PP_DOC(spec_log_fw_slot, const struct xnvme_spec_log_fw_slot *, "xnvme_spec_log_fw_slot")

static int
pp_spec_log_chns(FILE *stream, const struct xnvme_spec_log_chns *log, int opts)
{
	int wrtn = 0;

	(void)opts;
	// Ends at the first zero; a first entry of 0xFFFFFFFF means more than 1024 changed
	wrtn += fprintf(stream, "xnvme_spec_log_chns:\n  nsids:%s\n", log->nsids[0] ? "" : " []");
	for (int i = 0; i < 1024 && log->nsids[i]; ++i) {
		wrtn += fprintf(stream, "    - %" PRIu32 "\n", log->nsids[i]);
	}
	return wrtn;
}

SPEC_PP_DOC(spec_log_chns, const struct xnvme_spec_log_chns *, "xnvme_spec_log_chns")

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

static int
pp_spec_log_csae(FILE *stream, const struct xnvme_spec_log_csae *log, int opts)
{
	int wrtn = 0;

	wrtn += fprintf(stream, "xnvme_spec_log_csae:\n");
	wrtn += pp_cmd_effects(stream, "acs", log->acs, "adm_opc_str", spec_adm_opc_name, opts);
	wrtn += pp_cmd_effects(stream, "iocs", log->iocs, "nvm_opc_str", spec_io_opc_name, opts);
	return wrtn;
}

SPEC_PP_DOC(spec_log_csae, const struct xnvme_spec_log_csae *, "xnvme_spec_log_csae")

static int
pp_spec_znd_log_changes(FILE *stream, const struct xnvme_spec_znd_log_changes *changes, int opts)
{
	(void)opts;
	// The count only, as xNVMe prints it; 0xFFFF means more than ZND_CHANGES_LEN changed
	return fprintf(stream, "xnvme_spec_znd_log_changes:\n  nidents: %u\n", changes->nidents);
}

SPEC_PP_DOC(spec_znd_log_changes, const struct xnvme_spec_znd_log_changes *,
	    "xnvme_spec_znd_log_changes")

SPEC_PP_STDOUT(spec_znd_log_changes, const struct xnvme_spec_znd_log_changes *)
