/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Printers of feature values (NVMe 2.0 section 5.27.1), of the data of directive receive (section
 * 8.7) and of the controller registers (section 3.1).
 *
 * A feature value prints as xNVMe 0.7.5 prints it, one flow mapping under the key "feat", for the
 * features xNVMe decodes; the others, which xNVMe answers with an ENOSYS comment, are decoded here
 * in the same form. Two of xNVMe's lines are not YAML (error recovery ends in ')', FDP events
 * lacks its key and '{'); theirs are mended here.
 */
#include <inttypes.h>
#include "spec_pp.h"

int
xnvme_spec_feat_fpr(FILE *stream, uint8_t fid, struct xnvme_spec_feat feat, int opts)
{
	uint32_t val = feat.val;

	(void)opts;
	switch (fid) {
	case XNVME_SPEC_FEAT_TEMP_THRESHOLD:
		return fprintf(stream, "feat: {tmpth: %u, tmpsel: 0x%x, thsel: 0x%x}\n",
			       feat.temp_threshold.tmpth, feat.temp_threshold.tmpsel,
			       feat.temp_threshold.thsel);
	case XNVME_SPEC_FEAT_ERROR_RECOVERY:
		return fprintf(stream, "feat: {dulbe: %u, tler: 0x%x}\n", feat.error_recovery.dulbe,
			       feat.error_recovery.tler);
	case XNVME_SPEC_FEAT_NQUEUES:
		return fprintf(stream, "feat: { nsqa: %u, ncqa: %u }\n", feat.nqueues.nsqa,
			       feat.nqueues.ncqa);
	case XNVME_SPEC_FEAT_FDP_MODE:
		return fprintf(stream, "feat: { fdpe: %u, fdpci: %u }\n", feat.fdp_mode.fdpe,
			       feat.fdp_mode.fdpci);
	case XNVME_SPEC_FEAT_FDP_EVENTS:
		return fprintf(stream, "feat: { nevents: %u }\n", val);
	case XNVME_SPEC_FEAT_ARBITRATION:
		return fprintf(stream, "feat: { ab: %u, lpw: %u, mpw: %u, hpw: %u }\n",
			       feat.arbitration.ab, feat.arbitration.lpw, feat.arbitration.mpw,
			       feat.arbitration.hpw);
	case XNVME_SPEC_FEAT_PWR_MGMT:
		return fprintf(stream, "feat: { ps: %u, wh: %u }\n", feat.power_mgmt.ps,
			       feat.power_mgmt.wh);
	case XNVME_SPEC_FEAT_VWCACHE:
		return fprintf(stream, "feat: { wce: %u }\n", feat.vwcache.wce);
	case XNVME_SPEC_FEAT_INTR_COALESCING:
		return fprintf(stream, "feat: { thr: %u, time: %u }\n", val & 0xFF,
			       (val >> 8) & 0xFF);
	case XNVME_SPEC_FEAT_INTR_VCONF:
		return fprintf(stream, "feat: { iv: %u, cd: %u }\n", val & 0xFFFF,
			       (val >> 16) & 0x1);
	case XNVME_SPEC_FEAT_WRITE_ATOMICITY:
		return fprintf(stream, "feat: { dn: %u }\n", val & 0x1);
	case XNVME_SPEC_FEAT_ASYNC_EVENT_CONF:
		return fprintf(stream, "feat: { smart: %#x, nan: %u, fan: %u }\n", val & 0xFF,
			       (val >> 8) & 0x1, (val >> 9) & 0x1);
	default:
		return fprintf(stream, "feat: { val: %#x }\n", val);
	}
}

int
xnvme_spec_feat_pr(uint8_t fid, struct xnvme_spec_feat feat, int opts)
{
	return xnvme_spec_feat_fpr(stdout, fid, feat, opts);
}

static int
pp_spec_drecv_idfy(struct xnvme_spec_idfy_dir_rp *idfy, int opts)
{
	(void)opts;
	// "data placement" with a space in the first group is xNVMe's key
	return printf("xnvme_spec_idfy_dir_rp:\n"
		      "  directives_supported:\n    identify: %u\n    streams: %u\n"
		      "    data placement: %u\n"
		      "  directives_enabled:\n    identify: %u\n    streams: %u\n"
		      "    data_placement: %u\n"
		      "  directives_persistence:\n    identify: %u\n    streams: %u\n"
		      "    data_placement: %u\n",
		      idfy->directives_supported.identify, idfy->directives_supported.streams,
		      idfy->directives_supported.data_placement, idfy->directives_enabled.identify,
		      idfy->directives_enabled.streams, idfy->directives_enabled.data_placement,
		      idfy->directives_persistence.identify, idfy->directives_persistence.streams,
		      idfy->directives_persistence.data_placement);
}

SPEC_PP_DOC_STDOUT(spec_drecv_idfy, struct xnvme_spec_idfy_dir_rp *, "xnvme_spec_idfy_dir_rp")

static int
pp_spec_drecv_srp(struct xnvme_spec_streams_dir_rp *srp, int opts)
{
	(void)opts;
	return printf("xnvme_spec_streams_dir_rp:\n  msl: %u\n  nssa: %u\n  nsso: %u\n"
		      "  multi_host: %u\n  sws: %u\n  sgs: %u\n  nsa: %u\n  nso: %u\n",
		      srp->msl, srp->nssa, srp->nsso, srp->nssc.bits.multi_host, srp->sws, srp->sgs,
		      srp->nsa, srp->nso);
}

SPEC_PP_DOC_STDOUT(spec_drecv_srp, struct xnvme_spec_streams_dir_rp *, "xnvme_spec_streams_dir_rp")

static int
pp_spec_drecv_sgs(struct xnvme_spec_streams_dir_gs *sgs, int opts)
{
	int wrtn = 0;

	(void)opts;
	// xNVMe titles the stream status with the return parameters' name
	wrtn += printf("xnvme_spec_streams_dir_rp:\n  open_sc: %u\n", sgs->open_sc);
	for (int i = 0; i < sgs->open_sc; ++i) {
		wrtn += printf("  - sid[%d]: %u\n", i, sgs->sid[i]);
	}
	return wrtn;
}

SPEC_PP_DOC_STDOUT(spec_drecv_sgs, struct xnvme_spec_streams_dir_gs *, "xnvme_spec_streams_dir_gs")

int
xnvme_spec_drecv_sar_pr(struct xnvme_spec_alloc_resource sar, int opts)
{
	(void)opts;
	return printf("xnvme_spec_alloc_resource:\n  nsa: %u\n", sar.bits.nsa);
}

static int
pp_spec_ctrlr_bar(FILE *stream, struct xnvme_spec_ctrlr_bar *bar, int opts)
{
	const struct xnvme_spec_ctrlr_bar *r = bar;
	int wrtn = 0;

	(void)opts;
	// Packed: its fields are read by value, never through their addresses
	wrtn += fprintf(stream,
			"xnvme_spec_ctrlr_bar:\n  cap: 0x%016" PRIx64 "\n  vs: %u\n  intms: %u\n"
			"  intmc: %u\n  cc: %u\n  csts: %u\n  nssr: %u\n  aqa: %u\n",
			(uint64_t)r->cap, (uint32_t)r->vs, (uint32_t)r->intms, (uint32_t)r->intmc,
			(uint32_t)r->cc, (uint32_t)r->csts, (uint32_t)r->nssr, (uint32_t)r->aqa);
	wrtn += fprintf(stream,
			"  asq: %" PRIu64 "\n  acq: %" PRIu64 "\n  cmbloc: %u\n  cmbsz: %u\n"
			"  bpinfo: %u\n  bprsel: %u\n  bpmbl: %" PRIu64 "\n  cmbmsc: %" PRIu64
			"\n  cmbsts: %u\n",
			(uint64_t)r->asq, (uint64_t)r->acq, (uint32_t)r->cmbloc, (uint32_t)r->cmbsz,
			(uint32_t)r->bpinfo, (uint32_t)r->bprsel, (uint64_t)r->bpmbl,
			(uint64_t)r->cmbmsc, (uint32_t)r->cmbsts);
	wrtn += fprintf(stream,
			"  pmrcap: %u\n  pmrctl: %u\n  pmrsts: %u\n  pmrebs: %u\n  pmrswtp: %u\n"
			"  pmrmscl: %u\n  pmrmscu: %u\n",
			(uint32_t)r->pmrcap, (uint32_t)r->pmrctl, (uint32_t)r->pmrsts,
			(uint32_t)r->pmrebs, (uint32_t)r->pmrswtp, (uint32_t)r->pmrmscl,
			(uint32_t)r->pmrmscu);
	return wrtn;
}

SPEC_PP_DOC(spec_ctrlr_bar, struct xnvme_spec_ctrlr_bar *, "xnvme_spec_ctrlr_bar")

int
xnvme_spec_ctrlr_bar_pp(struct xnvme_spec_ctrlr_bar *bar, int opts)
{
	return xnvme_spec_ctrlr_bar_fpr(stdout, bar, opts);
}
