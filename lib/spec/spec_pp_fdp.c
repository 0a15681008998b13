/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Printers of flexible data placement (TP4146): its log pages, the reclaim unit handle status of
 * I/O management receive and the FDP events feature. The documents are xNVMe 0.7.5's, which are
 * YAML-like rather than YAML (a mapping followed by list items at one level); tools that parse
 * them parse xNVMe's, so they are kept as they are.
 *
 * Lists whose length is not in the structure take it from the caller (@p limit): these pages are
 * read in parts, and only the caller knows how much of one it holds.
 */
#include <inttypes.h>
#include <string.h>
#include "spec_pp.h"

/* The document of a missing list, as xNVMe writes it */
static int
pp_null_list(FILE *stream, const char *name)
{
	return fprintf(stream, "%s:\n ~\n", name);
}

/* Defines xnvme_<name>_pr() of a list printer: the missing list's document, else pp_<name>() */
#define PP_LIST_STDOUT(name, type, doc)                                                            \
	int xnvme_##name##_pr(type arg, int limit, int opts)                                       \
	{                                                                                          \
		return arg ? pp_##name(arg, limit, opts) : pp_null_list(stdout, doc);              \
	}

static int
pp_spec_log_fdp_conf(const struct xnvme_spec_log_fdp_conf *log, int opts)
{
	const uint8_t *pos, *end = (const uint8_t *)log + log->size;
	struct xnvme_spec_fdp_conf_desc d;
	int wrtn = 0;

	(void)opts;
	wrtn += printf("xnvme_spec_log_fdp_conf:\n  ncfg: %u\n  version: %u\n  size: %u\n",
		       log->ncfg, log->version, log->size);
	// NCFG is zero-based; each descriptor says its own size, handle descriptors included. The
	// page's SIZE bounds the walk, as a device's counts and sizes may not add up; a descriptor
	// is copied out, as a size that is not a multiple of 8 leaves the next one unaligned
	pos = (const uint8_t *)log->conf_desc;
	for (int i = 0; i <= log->ncfg && pos < end && (size_t)(end - pos) >= sizeof(d); ++i) {
		size_t room = ((size_t)(end - pos) - sizeof(d)) / sizeof(d.ruh_desc[0]);
		size_t nruh, step;

		memcpy(&d, pos, sizeof(d));
		nruh = d.nruh < room ? d.nruh : room;
		wrtn += printf("  config_desc: %d\n  ds: %u\n", i, d.ds);
		wrtn += printf("  fdp attributes: {    rgif: %u    fdpvwc: %u    fdpcv: %u    val: "
			       "%#x  }\n",
			       d.fdpa.rgif, d.fdpa.fdpvwc, d.fdpa.fdpcv, d.fdpa.val);
		wrtn += printf("  vss: %u\n  nrg: %u\n  nruh: %u\n  maxpids: %u\n  nns: %u\n"
			       "  runs: %" PRIu64 "\n  erutl: %u\n",
			       d.vss, d.nrg, d.nruh, d.maxpids, d.nns, d.runs, d.erutl);
		for (size_t j = 0; j < nruh; ++j) {
			wrtn += printf("   - ruht[%zu]: %u\n", j,
				       pos[sizeof(d) + j * sizeof(d.ruh_desc[0])]);
		}
		step = d.ds > sizeof(d) ? d.ds : sizeof(d);
		if ((size_t)(end - pos) <= step) {
			break;
		}
		pos += step;
	}
	return wrtn;
}

SPEC_PP_DOC_STDOUT(spec_log_fdp_conf, const struct xnvme_spec_log_fdp_conf *,
		   "xnvme_spec_log_fdp_conf")

static int
pp_spec_log_fdp_stats(const struct xnvme_spec_log_fdp_stats *log, int opts)
{
	(void)opts;
	return printf("xnvme_spec_log_fdp_stats:\n  hbmw: [%" PRIu64 ", %" PRIu64 "]\n"
		      "  mbmw: [%" PRIu64 ", %" PRIu64 "]\n  mbe: [%" PRIu64 ", %" PRIu64 "]\n",
		      log->hbmw[0], log->hbmw[1], log->mbmw[0], log->mbmw[1], log->mbe[0],
		      log->mbe[1]);
}

SPEC_PP_DOC_STDOUT(spec_log_fdp_stats, const struct xnvme_spec_log_fdp_stats *,
		   "xnvme_spec_log_fdp_stats")

static int
pp_spec_log_fdp_events(const struct xnvme_spec_log_fdp_events *log, int limit, int opts)
{
	int wrtn = 0;

	(void)opts;
	wrtn += printf("xnvme_spec_log_fdp_events:\n  nevents: %u\n", log->nevents);
	for (int i = 0; i < limit; ++i) {
		// Packed: its fields are read by value, never through their addresses
		const struct xnvme_spec_fdp_event *e = &log->event[i];

		wrtn += printf("  - {type: %u, fdpef: %#x, pid: %u, timestamp: %" PRIu64
			       ", nsid: %u, rgid: %u, ruhid: %u, }\n",
			       e->type, e->fdpef.val, (unsigned)e->pid, (uint64_t)e->timestamp,
			       (unsigned)e->nsid, (unsigned)e->rgid, (unsigned)e->ruhid);
	}
	return wrtn;
}

PP_LIST_STDOUT(spec_log_fdp_events, const struct xnvme_spec_log_fdp_events *,
	       "xnvme_spec_log_fdp_events")

static int
pp_spec_log_ruhu(const struct xnvme_spec_log_ruhu *log, int limit, int opts)
{
	int wrtn = 0;

	(void)opts;
	wrtn += printf("xnvme_spec_log_ruhu:\n  nruh: %u\n", log->nruh);
	for (int i = 0; i < limit; ++i) {
		wrtn += printf("  - ruhu_desc[%d]:  %#x\n", i, log->ruhu_desc[i].ruha);
	}
	return wrtn;
}

PP_LIST_STDOUT(spec_log_ruhu, const struct xnvme_spec_log_ruhu *, "xnvme_spec_log_ruhu")

static int
pp_spec_ruhs(const struct xnvme_spec_ruhs *ruhs, int limit, int opts)
{
	int nruhsd;
	int wrtn = 0;

	(void)opts;
	wrtn += printf("xnvme_spec_ruhs:\n  nruhsd: %u\n", ruhs->nruhsd);
	nruhsd = XNVME_MIN((int)ruhs->nruhsd, limit);
	for (int i = 0; i < nruhsd; ++i) {
		const struct xnvme_spec_ruhs_desc *d = &ruhs->desc[i];

		wrtn +=
		    printf("  - ruhs_desc[%d] : { pi: %u ruhi: %u earutr: %u ruamw: %" PRIu64 "}\n",
			   i, d->pi, d->ruhi, d->earutr, d->ruamw);
	}
	return wrtn;
}

PP_LIST_STDOUT(spec_ruhs, const struct xnvme_spec_ruhs *, "xnvme_spec_ruhs")

int
xnvme_spec_feat_fdp_events_pr(void *buf, struct xnvme_spec_feat feat, int opts)
{
	const struct xnvme_spec_fdp_event_desc *desc = buf;
	int wrtn = 0;

	(void)opts;
	if (!desc) {
		return 0;
	}
	// Completion dword 0 of get features "FDP events" is the number of descriptors returned
	for (uint32_t i = 0; i < feat.val; ++i) {
		wrtn +=
		    printf("{ type: %#x, event enabled: %u }\n", desc[i].type, desc[i].fdpeta.ee);
	}
	return wrtn;
}
