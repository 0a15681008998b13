/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML printers of identify data: controller and namespace (NVMe 2.0 Figure 275, NVM 1.0 Figure
 * 97), their NVM, zoned and KV command set specific forms, the I/O command set combinations and
 * namespace lists.
 *
 * The documents are xNVMe 0.7.5's, key for key and in its number formats, so that what reads
 * xNVMe's output reads ours (see the rule in spec_pp.h). XNVME_PR_TERSE keeps the lines marked
 * terse.
 */
#include <inttypes.h>
#include "spec_pp.h"

/* Prints a line when the form is complete or the line belongs to the terse form */
#define LINE(keep, ...)                                                                            \
	do {                                                                                       \
		if (!terse || (keep)) {                                                            \
			wrtn += fprintf(stream, __VA_ARGS__);                                      \
		}                                                                                  \
	} while (0)

static int
pp_spec_idfy_ctrlr(FILE *stream, const struct xnvme_spec_idfy_ctrlr *idfy, int opts)
{
	int terse = spec_pp_terse(opts);
	int wrtn = 0;

	wrtn += fprintf(stream, "xnvme_spec_idfy_ctrlr:\n");
	LINE(1, "  vid: %#x\n  ssvid: %#x\n", idfy->vid, idfy->ssvid);
	wrtn += spec_pp_sqstr(stream, "  sn", idfy->sn, sizeof(idfy->sn));
	wrtn += spec_pp_sqstr(stream, "  mn", idfy->mn, sizeof(idfy->mn));
	wrtn += spec_pp_sqstr(stream, "  fr", idfy->fr, sizeof(idfy->fr));
	LINE(0, "  rab: %u\n", idfy->rab);
	// The OUI most significant byte first, in hex digits as xNVMe has it; quoted, as bare
	// digits would read as an octal, a decimal or a string depending on which digits they are
	LINE(0, "  ieee: '%02x%02x%02x'\n", idfy->ieee[2], idfy->ieee[1], idfy->ieee[0]);
	LINE(0, "  cmic: %#x\n", idfy->cmic.val);
	LINE(1, "  mdts: %u\n  cntlid: %#x\n  ver: %#x\n", idfy->mdts, idfy->cntlid, idfy->ver.val);
	LINE(0, "  rtd3r: %#x\n  rtd3e: %#x\n  oaes: %#x\n  ctratt: %#x\n  rrls: %#x\n",
	     idfy->rtd3r, idfy->rtd3e, idfy->oaes.val, idfy->ctratt.val, idfy->rrls);
	LINE(0, "  cntrltype: %#x\n  crdt1: %#x\n  crdt2: %#x\n  crdt3: %#x\n", idfy->cntrltype,
	     idfy->crdt1, idfy->crdt2, idfy->crdt3);
	LINE(0, "  nvmsr: %#x\n  vwci: %#x\n  mec: %#x\n", idfy->nvmsr.val, idfy->vwci.val,
	     idfy->mec.val);
	LINE(1, "  oacs: %#x\n", idfy->oacs.val);
	LINE(0, "  acl: %u\n  aerl: %u\n  frmw: %#x\n", idfy->acl, idfy->aerl, idfy->frmw.val);
	LINE(0,
	     "  lpa: { ns_smart: %u, celp: %u, edlp: %u, telemetry: %u, pel: %u, mel: %u, "
	     "tel_da4: %u, val: %#x}\n",
	     idfy->lpa.ns_smart, idfy->lpa.celp, idfy->lpa.edlp, idfy->lpa.telemetry, idfy->lpa.pel,
	     idfy->lpa.mel, idfy->lpa.tel_da4, idfy->lpa.val);
	LINE(0, "  elpe: %u\n  npss: %u\n  avscc: %#x\n  apsta: %#x\n", idfy->elpe, idfy->npss,
	     idfy->avscc.val, idfy->apsta.val);
	LINE(0, "  wctemp: %u\n  cctemp: %u\n  mtfa: %u\n  hmpre: %u\n  hmmin: %u\n", idfy->wctemp,
	     idfy->cctemp, idfy->mtfa, idfy->hmpre, idfy->hmmin);
	LINE(0, "  tnvmcap: [%" PRIu64 ", %" PRIu64 "]\n  unvmcap: [%" PRIu64 ", %" PRIu64 "]\n",
	     idfy->tnvmcap[0], idfy->tnvmcap[1], idfy->unvmcap[0], idfy->unvmcap[1]);
	LINE(0, "  rpmbs: %#x\n  edstt: %u\n  dsto: %u\n  fwug: %u\n  kas: %u\n  hctma: %#x\n",
	     idfy->rpmbs.val, idfy->edstt, idfy->dsto.val, idfy->fwug, idfy->kas, idfy->hctma.val);
	LINE(0, "  mntmt: %u\n  mxtmt: %u\n  sanicap: %#x\n  hmminds: %u\n  hmmaxd: %u\n",
	     idfy->mntmt, idfy->mxtmt, idfy->sanicap.val, idfy->hmminds, idfy->hmmaxd);
	LINE(0, "  nsetidmax: %u\n  endgidmax: %u\n  anatt: %u\n  anacap: %#x\n", idfy->nsetidmax,
	     idfy->endgidmax, idfy->anatt, idfy->anacap.val);
	LINE(0, "  anagrpmax: %u\n  nanagrpid: %u\n  pels: %u\n  domain_identifier: %u\n",
	     idfy->anagrpmax, idfy->nanagrpid, idfy->pels, idfy->domain_identifier);
	LINE(0, "  megcap: [%" PRIu64 ", %" PRIu64 "]\n", idfy->megcap[0], idfy->megcap[1]);
	LINE(0, "  sqes: %#x\n  cqes: %#x\n  maxcmd: %u\n", idfy->sqes.val, idfy->cqes.val,
	     idfy->maxcmd);
	LINE(1, "  nn: %u\n", idfy->nn);
	LINE(1,
	     "  oncs:\n    compare: %u\n    write_unc: %u\n    dsm: %u\n    write_zeroes: %u\n"
	     "    set_features_save: %u\n    reservations: %u\n    timestamp: %u\n"
	     "    verify: %u\n    copy: %u\n",
	     idfy->oncs.compare, idfy->oncs.write_unc, idfy->oncs.dsm, idfy->oncs.write_zeroes,
	     idfy->oncs.set_features_save, idfy->oncs.reservations, idfy->oncs.timestamp,
	     idfy->oncs.verify, idfy->oncs.copy);
	LINE(0, "  fuses: %#x\n  fna: %#x\n  vwc: %#x\n", idfy->fuses, idfy->fna.val,
	     idfy->vwc.val);
	LINE(0, "  awun: %u\n  awupf: %u\n  nvscc: %u\n  acwu: %u\n", idfy->awun, idfy->awupf,
	     idfy->nvscc, idfy->acwu);
	// xNVMe prints cdfs twice, as a value and as bits; a YAML reader keeps the bits
	LINE(0, "  cdfs:\n    format0: %u\n    format1: %u\n", idfy->cdfs.format0,
	     idfy->cdfs.format1);
	LINE(1, "  sgls: %#x\n", idfy->sgls.val);
	LINE(0, "  mnan: %u\n  maxdna: [%" PRIu64 ", %" PRIu64 "]\n  maxcna: %u\n", idfy->mnan,
	     idfy->maxdna[0], idfy->maxdna[1], idfy->maxcna);
	if (!terse) {
		wrtn += spec_pp_sqstr(stream, "  subnqn", idfy->subnqn, sizeof(idfy->subnqn));
	}
	return wrtn;
}

SPEC_PP_PRINTERS(spec_idfy_ctrlr, const struct xnvme_spec_idfy_ctrlr *, "xnvme_spec_idfy_ctrlr")

static int
pp_spec_idfy_ns(FILE *stream, const struct xnvme_spec_idfy_ns *idfy, int opts)
{
	int terse = spec_pp_terse(opts);
	int nlbaf;
	int wrtn = 0;

	wrtn += fprintf(stream, "xnvme_spec_idfy_ns:\n");
	LINE(1, "  nsze: %" PRIu64 "\n  ncap: %" PRIu64 "\n  nuse: %" PRIu64 "\n  nlbaf: %u\n",
	     idfy->nsze, idfy->ncap, idfy->nuse, idfy->nlbaf);
	LINE(0,
	     "  nsfeat:\n    thin_prov: %u\n    ns_atomic_write_unit: %u\n"
	     "    dealloc_or_unwritten_error: %u\n    guid_never_reused: %u\n"
	     "    optimal_performance: %u\n    reserved1: %u\n",
	     idfy->nsfeat.thin_prov, idfy->nsfeat.ns_atomic_write_unit,
	     idfy->nsfeat.dealloc_or_unwritten_error, idfy->nsfeat.guid_never_reused,
	     idfy->nsfeat.optimal_performance, idfy->nsfeat.reserved1);
	LINE(1,
	     "  flbas:\n    format_lsb: %u\n    extended: %u\n    format_msb: %u\n"
	     "    reserved2: %u\n",
	     idfy->flbas.format, idfy->flbas.extended, idfy->flbas.format_msb,
	     idfy->flbas.reserved2);
	LINE(0, "  mc:\n    extended: %u\n    pointer: %u\n    reserved3: %u\n", idfy->mc.extended,
	     idfy->mc.pointer, idfy->mc.reserved3);
	LINE(0, "  dpc: %#x\n", idfy->dpc.val);
	LINE(1, "  dps: %#x\n", idfy->dps.val);
	LINE(0, "  nsrescap: %#x\n  fpi: %#x\n  dlfeat: %#x\n", idfy->nsrescap.val, idfy->fpi.val,
	     idfy->dlfeat.val);
	LINE(0, "  nawun: %#x\n  nawupf: %#x\n  nacwu: %#x\n  nabsn: %#x\n  nabspf: %#x\n",
	     idfy->nawun, idfy->nawupf, idfy->nacwu, idfy->nabsn, idfy->nabspf);
	LINE(0, "  noiob: %#x\n  nvmcap:\n    - %" PRIu64 "\n    - %" PRIu64 "\n", idfy->noiob,
	     idfy->nvmcap[0], idfy->nvmcap[1]);
	LINE(0, "  npwg: %#x\n  npwa: %#x\n  npdg: %#x\n  npda: %#x\n  nows: %#x\n", idfy->npwg,
	     idfy->npwa, idfy->npdg, idfy->npda, idfy->nows);
	LINE(0, "  mssrl: %u\n  mcl: %u\n  msrc: %u\n", idfy->mssrl, idfy->mcl, idfy->msrc);
	LINE(0, "  anagrpid: %#x\n  nsattr: %#x\n  nvmsetid: %#x\n  endgid: %#x\n", idfy->anagrpid,
	     idfy->nsattr, idfy->nvmsetid, idfy->endgid);
	if (!terse) {
		wrtn += fprintf(stream, "  nguid: [");
		for (int i = 0; i < 16; ++i) {
			wrtn += fprintf(stream, "%s%#x", i ? ", " : "", idfy->nguid[i]);
		}
		wrtn += fprintf(stream, "]\n");
	}
	LINE(0, "  eui64: %" PRIu64 "\n", idfy->eui64);
	LINE(0, "  # ms: meta-data-size-in-nbytes\n  # ds: data-size in 2^ds bytes\n"
		"  # rp: relative performance 00b, 1b 10b, 11b\n");
	// NLBAF is zero-based; the table has 64 entries, whatever the field claims
	nlbaf = XNVME_MIN(idfy->nlbaf + 1, 64);
	wrtn += fprintf(stream, "  lbaf:\n");
	for (int i = 0; i < nlbaf; ++i) {
		wrtn += fprintf(stream, "    - {ms: %u, ds: %u, rp: %u}\n", idfy->lbaf[i].ms,
				idfy->lbaf[i].ds, idfy->lbaf[i].rp);
	}
	return wrtn;
}

SPEC_PP_PRINTERS(spec_idfy_ns, const struct xnvme_spec_idfy_ns *, "xnvme_spec_idfy_ns")

static int
pp_spec_idfy_cs(FILE *stream, const struct xnvme_spec_idfy_cs *idfy, int opts)
{
	int nvec = 0;
	int wrtn = 0;

	(void)opts;
	// Only the combinations the controller lists; an all-zero vector is an unused slot, and a
	// table of none prints as no value
	wrtn += fprintf(stream, "xnvme_spec_idfy_cs:");
	for (int i = 0; i < XNVME_SPEC_IDFY_CS_IOCSC_LEN; ++i) {
		const struct xnvme_spec_cs_vector *v = &idfy->iocsc[i];

		if (!v->val) {
			continue;
		}
		if (!nvec++) {
			wrtn += fprintf(stream, "\n");
		}
		wrtn += fprintf(
		    stream, "  - { iocsci: %d, val: %#" PRIx64 ", nvm: %u, kv: %u, zns: %u }\n", i,
		    (uint64_t)v->val, (unsigned)v->nvm, (unsigned)v->kv, (unsigned)v->zns);
	}
	return wrtn + (nvec ? 0 : fprintf(stream, " ~\n"));
}

SPEC_PP_PRINTERS(spec_idfy_cs, const struct xnvme_spec_idfy_cs *, "xnvme_spec_idfy_cs")

static int
pp_spec_nvm_idfy_ctrlr(FILE *stream, struct xnvme_spec_nvm_idfy_ctrlr *idfy, int opts)
{
	(void)opts;
	return fprintf(stream,
		       "xnvme_spec_nvm_idfy_ctrlr:\n  vsl: %u\n  wzsl: %u\n  wusl: %u\n  dmrl: %u\n"
		       "  dmrsl: %u\n  dmsl: %" PRIu64 "\n",
		       idfy->vsl, idfy->wzsl, idfy->wusl, idfy->dmrl, idfy->dmrsl, idfy->dmsl);
}

SPEC_PP_PRINTERS(spec_nvm_idfy_ctrlr, struct xnvme_spec_nvm_idfy_ctrlr *,
		 "xnvme_spec_nvm_idfy_ctrlr")

static int
pp_spec_nvm_idfy_ns(FILE *stream, struct xnvme_spec_nvm_idfy_ns *idfy, int opts)
{
	int terse = spec_pp_terse(opts);
	int wrtn = 0;

	// xNVMe names the protection information capabilities (PIC) "oncs" here
	wrtn += fprintf(stream,
			"xnvme_spec_nvm_idfy_ns:\n  lbstm: %" PRIu64 "\n  oncs:\n    gpistm: %u\n"
			"    gpists: %u\n    stcrs: %u\n",
			idfy->lbstm, idfy->pic.gpistm, idfy->pic.gpists, idfy->pic.stcrs);
	if (terse) {
		return wrtn;
	}
	wrtn += fprintf(stream, "  elbaf:\n");
	for (int i = 0; i < 64; ++i) {
		wrtn += fprintf(stream, "    - {sts: %u, pif: %u}\n", idfy->elbaf[i].sts,
				idfy->elbaf[i].pif);
	}
	return wrtn;
}

SPEC_PP_PRINTERS(spec_nvm_idfy_ns, struct xnvme_spec_nvm_idfy_ns *, "xnvme_spec_nvm_idfy_ns")

static int
pp_spec_znd_idfy_ctrlr(FILE *stream, struct xnvme_spec_znd_idfy_ctrlr *zctrlr, int opts)
{
	(void)opts;
	return fprintf(stream, "xnvme_spec_znd_idfy_ctrlr:\n  zasl: %u\n", zctrlr->zasl);
}

SPEC_PP_PRINTERS(spec_znd_idfy_ctrlr, struct xnvme_spec_znd_idfy_ctrlr *,
		 "xnvme_spec_znd_idfy_ctrlr")

int
xnvme_spec_znd_idfy_lbafe_fpr(FILE *stream, struct xnvme_spec_znd_idfy_lbafe *zonef, int opts)
{
	(void)opts;
	if (!zonef) {
		return fprintf(stream, "~");
	}
	// A flow mapping without a line end: it is a list entry of the namespace's document
	return fprintf(stream, "{ zsze: %" PRIu64 ", zdes: %u }", zonef->zsze, zonef->zdes);
}

static int
pp_spec_znd_idfy_ns(FILE *stream, struct xnvme_spec_znd_idfy_ns *zns, int opts)
{
	int terse = spec_pp_terse(opts);
	int wrtn = 0;

	wrtn += fprintf(stream,
			"xnvme_spec_znd_idfy_ns:\n  zoc: { vzcap: %u, zae: %u }\n  ozcs:\n"
			"    val: 0x%x\n    razb: %u\n    zrwasup: %u\n",
			zns->zoc.bits.vzcap, zns->zoc.bits.zae, zns->ozcs.val, zns->ozcs.bits.razb,
			zns->ozcs.bits.zrwasup);
	wrtn += fprintf(stream, "  mar: %u\n  mor: %u\n", zns->mar, zns->mor);
	LINE(0, "  rrl: %u\n  frl: %u\n", zns->rrl, zns->frl);
	if (!terse) {
		wrtn += fprintf(stream, "  lbafe:\n");
		for (int i = 0; i < 16; ++i) {
			wrtn += fprintf(stream, "  - ");
			wrtn += xnvme_spec_znd_idfy_lbafe_fpr(stream, &zns->lbafe[i], opts);
			wrtn += fprintf(stream, "\n");
		}
	}
	LINE(0,
	     "  numzrwa: %u\n  zrwas: %u\n  zrwafg: %u\n  zrwacap:\n    val: 0x%x\n"
	     "    expflushsup: %u\n",
	     zns->numzrwa, zns->zrwas, zns->zrwafg, zns->zrwacap.val,
	     zns->zrwacap.bits.expflushsup);
	return wrtn;
}

SPEC_PP_PRINTERS(spec_znd_idfy_ns, struct xnvme_spec_znd_idfy_ns *, "xnvme_spec_znd_idfy_ns")

static int
pp_spec_kvs_idfy_ns(FILE *stream, const struct xnvme_spec_kvs_idfy_ns *idfy, int opts)
{
	int nkvf;
	int wrtn = 0;

	(void)opts;
	wrtn += fprintf(stream,
			"xnvme_spec_kvs_idfy_ns:\n  nsze: %" PRIu64 "\n  nuse: %" PRIu64
			"\n  nkvf: %u\n  kvf:\n",
			idfy->nsze, idfy->nuse, idfy->nkvf);
	// The table has 16 formats, whatever the count claims
	nkvf = XNVME_MIN((int)idfy->nkvf, 16);
	for (int i = 0; i < nkvf; ++i) {
		wrtn += fprintf(stream, "  - kml: %u\n    vml: %u\n    mnk: %u\n", idfy->kvf[i].kml,
				idfy->kvf[i].vml, idfy->kvf[i].mnk);
	}
	return wrtn + fprintf(stream, "\n");
}

SPEC_PP_PRINTERS(spec_kvs_idfy_ns, const struct xnvme_spec_kvs_idfy_ns *, "xnvme_spec_kvs_idfy_ns")

static int
pp_spec_idfy_nslist(FILE *stream, const struct xnvme_spec_idfy *idfy, int opts)
{
	int wrtn = 0;

	(void)opts;
	// The list is in increasing order and ends at its first zero entry (NVMe 2.0, Namespace
	// List)
	wrtn +=
	    fprintf(stream, "xnvme_spec_idfy_nslist:\n  nsids:%s\n", idfy->nslist[0] ? "" : " []");
	for (int i = 0; i < 1024 && idfy->nslist[i]; ++i) {
		wrtn += fprintf(stream, "    - %" PRIu32 "\n", idfy->nslist[i]);
	}
	return wrtn;
}

SPEC_PP_DOC(spec_idfy_nslist, const struct xnvme_spec_idfy *, "xnvme_spec_idfy_nslist")
