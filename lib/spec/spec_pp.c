/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML printers of NVMe structures. Field names are the specification's (and nvme-cli's JSON
 * keys), so output can be compared field by field. Strings from devices are untrusted: they are
 * trimmed and every byte outside printable ASCII is escaped, so the output is always valid YAML.
 */
#include <inttypes.h>
#include <string.h>
#include <libxnvme.h>
#include "spec_pp.h"

/* A double-quoted YAML scalar from a fixed-size, space- or NUL-padded identify string */
static int
pp_fixstr(FILE *stream, const char *key, const char *str, size_t len)
{
	int wrtn = fprintf(stream, "  %s: \"", key);

	while (len && (str[len - 1] == ' ' || str[len - 1] == '\0')) {
		len--;
	}
	for (size_t i = 0; i < len; ++i) {
		unsigned char c = (unsigned char)str[i];

		if (c == '"' || c == '\\') {
			wrtn += fprintf(stream, "\\%c", c);
		} else if (c < 0x20 || c > 0x7E) {
			wrtn += fprintf(stream, "\\x%02x", c);
		} else {
			wrtn += fprintf(stream, "%c", c);
		}
	}
	return wrtn + fprintf(stream, "\"\n");
}

int
xnvme_spec_pp_u128(FILE *stream, const char *key, const uint8_t *bytes)
{
	uint64_t lo, hi;

	memcpy(&lo, bytes, 8);
	memcpy(&hi, bytes + 8, 8);
	if (!hi) {
		return fprintf(stream, "  %s: %" PRIu64 "\n", key, lo);
	}
	return fprintf(stream, "  %s: 0x%016" PRIx64 "%016" PRIx64 "\n", key, hi, lo);
}

#define PP_NULL(stream, name, ptr)                                                                 \
	do {                                                                                       \
		if (!(ptr)) {                                                                      \
			return fprintf(stream, name ": ~\n");                                      \
		}                                                                                  \
	} while (0)

int
xnvme_spec_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_idfy_ctrlr *c, int opts)
{
	int wrtn = 0;

	PP_NULL(stream, "xnvme_spec_idfy_ctrlr", c);
	wrtn += fprintf(stream, "xnvme_spec_idfy_ctrlr:\n");
	wrtn += fprintf(stream, "  vid: 0x%04x\n  ssvid: 0x%04x\n", c->vid, c->ssvid);
	wrtn += pp_fixstr(stream, "sn", c->sn, sizeof(c->sn));
	wrtn += pp_fixstr(stream, "mn", c->mn, sizeof(c->mn));
	wrtn += pp_fixstr(stream, "fr", c->fr, sizeof(c->fr));
	wrtn += fprintf(stream, "  mdts: %u\n  cntlid: 0x%04x\n  ver: 0x%08" PRIx32 "\n", c->mdts,
			c->cntlid, c->ver);
	wrtn += fprintf(stream, "  oacs: 0x%04x\n  oncs: 0x%04x\n  sgls: 0x%08" PRIx32 "\n",
			c->oacs, c->oncs, c->sgls);
	wrtn += fprintf(stream, "  nn: %" PRIu32 "\n", c->nn);
	if (opts == XNVME_PR_TERSE) {
		return wrtn;
	}
	wrtn += fprintf(stream,
			"  rab: %u\n  ieee: [0x%02x, 0x%02x, 0x%02x]\n  cmic: 0x%02x\n"
			"  rtd3r: %" PRIu32 "\n  rtd3e: %" PRIu32 "\n  oaes: 0x%08" PRIx32
			"\n  ctratt: 0x%08" PRIx32 "\n  rrls: 0x%04x\n  cntrltype: %u\n",
			c->rab, c->ieee[0], c->ieee[1], c->ieee[2], c->cmic, c->rtd3r, c->rtd3e,
			c->oaes, c->ctratt, c->rrls, c->cntrltype);
	wrtn +=
	    fprintf(stream,
		    "  crdt1: %u\n  crdt2: %u\n  crdt3: %u\n  nvmsr: %u\n  vwci: %u\n  mec: %u\n"
		    "  acl: %u\n  aerl: %u\n  frmw: 0x%02x\n  lpa: 0x%02x\n  elpe: %u\n"
		    "  npss: %u\n  avscc: %u\n  apsta: %u\n  wctemp: %u\n  cctemp: %u\n"
		    "  mtfa: %u\n  hmpre: %" PRIu32 "\n  hmmin: %" PRIu32 "\n",
		    c->crdt1, c->crdt2, c->crdt3, c->nvmsr, c->vwci, c->mec, c->acl, c->aerl,
		    c->frmw, c->lpa, c->elpe, c->npss, c->avscc, c->apsta, c->wctemp, c->cctemp,
		    c->mtfa, c->hmpre, c->hmmin);
	wrtn += xnvme_spec_pp_u128(stream, "tnvmcap", c->tnvmcap);
	wrtn += xnvme_spec_pp_u128(stream, "unvmcap", c->unvmcap);
	wrtn += fprintf(stream,
			"  rpmbs: %" PRIu32 "\n  edstt: %u\n  dsto: %u\n  fwug: %u\n  kas: %u\n"
			"  hctma: %u\n  mntmt: %u\n  mxtmt: %u\n  sanicap: 0x%08" PRIx32 "\n"
			"  hmminds: %" PRIu32 "\n  hmmaxd: %u\n  nsetidmax: %u\n  endgidmax: %u\n"
			"  anatt: %u\n  anacap: %u\n  anagrpmax: %" PRIu32 "\n  nanagrpid: %" PRIu32
			"\n  pels: %" PRIu32 "\n  domainid: %u\n",
			c->rpmbs, c->edstt, c->dsto, c->fwug, c->kas, c->hctma, c->mntmt, c->mxtmt,
			c->sanicap, c->hmminds, c->hmmaxd, c->nsetidmax, c->endgidmax, c->anatt,
			c->anacap, c->anagrpmax, c->nanagrpid, c->pels, c->domainid);
	wrtn +=
	    fprintf(stream,
		    "  sqes: 0x%02x\n  cqes: 0x%02x\n  maxcmd: %u\n  fuses: 0x%04x\n  fna: 0x%02x\n"
		    "  vwc: 0x%02x\n  awun: %u\n  awupf: %u\n  icsvscc: %u\n  nwpc: %u\n"
		    "  acwu: %u\n  ocfs: 0x%04x\n  mnan: %" PRIu32 "\n  maxcna: %" PRIu32 "\n",
		    c->sqes, c->cqes, c->maxcmd, c->fuses, c->fna, c->vwc, c->awun, c->awupf,
		    c->icsvscc, c->nwpc, c->acwu, c->ocfs, c->mnan, c->maxcna);
	wrtn += pp_fixstr(stream, "subnqn", c->subnqn, sizeof(c->subnqn));
	wrtn += fprintf(stream,
			"  ioccsz: %" PRIu32 "\n  iorcsz: %" PRIu32
			"\n  icdoff: %u\n  fcatt: %u\n  msdbd: %u\n  ofcs: %u\n",
			c->ioccsz, c->iorcsz, c->icdoff, c->fcatt, c->msdbd, c->ofcs);
	wrtn += fprintf(stream, "  psd:\n");
	for (int i = 0; i <= c->npss && i < 32; ++i) {
		const struct xnvme_spec_power_state *p = &c->psd[i];

		wrtn += fprintf(stream,
				"    - {mp: %u, mxps: %u, nops: %u, enlat: %" PRIu32
				", exlat: %" PRIu32 ", rrt: %u, rrl: %u, rwt: %u, rwl: %u}\n",
				p->mp, p->mxps, p->nops, p->enlat, p->exlat, p->rrt, p->rrl, p->rwt,
				p->rwl);
	}
	return wrtn;
}

int
xnvme_spec_idfy_ctrlr_pr(const struct xnvme_spec_idfy_ctrlr *idfy, int opts)
{
	return xnvme_spec_idfy_ctrlr_fpr(stdout, idfy, opts);
}

int
xnvme_spec_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_idfy_ns *n, int opts)
{
	int wrtn = 0;

	PP_NULL(stream, "xnvme_spec_idfy_ns", n);
	wrtn += fprintf(stream,
			"xnvme_spec_idfy_ns:\n  nsze: %" PRIu64 "\n  ncap: %" PRIu64
			"\n  nuse: %" PRIu64 "\n  nsfeat: 0x%02x\n  nlbaf: %u\n  flbas: 0x%02x\n"
			"  mc: 0x%02x\n  dpc: 0x%02x\n  dps: 0x%02x\n",
			n->nsze, n->ncap, n->nuse, n->nsfeat, n->nlbaf, n->flbas, n->mc, n->dpc,
			n->dps);
	if (opts == XNVME_PR_TERSE) {
		return wrtn;
	}
	wrtn += fprintf(stream,
			"  nmic: %u\n  rescap: 0x%02x\n  fpi: 0x%02x\n  dlfeat: 0x%02x\n"
			"  nawun: %u\n  nawupf: %u\n  nacwu: %u\n  nabsn: %u\n  nabo: %u\n"
			"  nabspf: %u\n  noiob: %u\n",
			n->nmic, n->rescap, n->fpi, n->dlfeat, n->nawun, n->nawupf, n->nacwu,
			n->nabsn, n->nabo, n->nabspf, n->noiob);
	wrtn += xnvme_spec_pp_u128(stream, "nvmcap", n->nvmcap);
	wrtn += fprintf(stream,
			"  npwg: %u\n  npwa: %u\n  npdg: %u\n  npda: %u\n  nows: %u\n  mssrl: %u\n"
			"  mcl: %" PRIu32 "\n  msrc: %u\n  nulbaf: %u\n  anagrpid: %" PRIu32
			"\n  nsattr: %u\n  nvmsetid: %u\n  endgid: %u\n",
			n->npwg, n->npwa, n->npdg, n->npda, n->nows, n->mssrl, n->mcl, n->msrc,
			n->nulbaf, n->anagrpid, n->nsattr, n->nvmsetid, n->endgid);
	wrtn += fprintf(stream, "  nguid: \"");
	for (int i = 0; i < 16; ++i) {
		wrtn += fprintf(stream, "%02x", n->nguid[i]);
	}
	wrtn += fprintf(stream, "\"\n  eui64: \"");
	for (int i = 0; i < 8; ++i) {
		wrtn += fprintf(stream, "%02x", n->eui64[i]);
	}
	wrtn += fprintf(stream, "\"\n  lbaf:\n");
	for (int i = 0; i < 64; ++i) {
		wrtn += fprintf(stream, "    - {ms: %u, ds: %u, rp: %u}\n", n->lbaf[i].ms,
				n->lbaf[i].ds, n->lbaf[i].rp);
	}
	return wrtn;
}

int
xnvme_spec_idfy_ns_pr(const struct xnvme_spec_idfy_ns *idfy, int opts)
{
	return xnvme_spec_idfy_ns_fpr(stdout, idfy, opts);
}

int
xnvme_spec_nvm_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_nvm_idfy_ctrlr *c, int opts)
{
	(void)opts;
	PP_NULL(stream, "xnvme_spec_nvm_idfy_ctrlr", c);
	return fprintf(stream,
		       "xnvme_spec_nvm_idfy_ctrlr:\n  vsl: %u\n  wzsl: %u\n  wusl: %u\n  dmrl: %u\n"
		       "  dmrsl: %" PRIu32 "\n  dmsl: %" PRIu64 "\n",
		       c->vsl, c->wzsl, c->wusl, c->dmrl, c->dmrsl, c->dmsl);
}

int
xnvme_spec_nvm_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_nvm_idfy_ns *n, int opts)
{
	int wrtn;

	(void)opts;
	PP_NULL(stream, "xnvme_spec_nvm_idfy_ns", n);
	wrtn =
	    fprintf(stream, "xnvme_spec_nvm_idfy_ns:\n  lbstm: 0x%016" PRIx64 "\n  pic: 0x%02x\n",
		    n->lbstm, n->pic);
	wrtn += fprintf(stream, "  elbaf:\n");
	for (int i = 0; i < 64; ++i) {
		wrtn +=
		    fprintf(stream, "    - {sts: %u, pif: %u}\n", n->elbaf[i].sts, n->elbaf[i].pif);
	}
	return wrtn;
}

int
xnvme_spec_znd_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_znd_idfy_ctrlr *c, int opts)
{
	(void)opts;
	PP_NULL(stream, "xnvme_spec_znd_idfy_ctrlr", c);
	return fprintf(stream, "xnvme_spec_znd_idfy_ctrlr:\n  zasl: %u\n", c->zasl);
}

int
xnvme_spec_znd_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_znd_idfy_ns *n, int opts)
{
	int wrtn;

	(void)opts;
	PP_NULL(stream, "xnvme_spec_znd_idfy_ns", n);
	wrtn = fprintf(stream,
		       "xnvme_spec_znd_idfy_ns:\n  zoc: 0x%04x\n  ozcs: 0x%04x\n  mar: 0x%08" PRIx32
		       "\n  mor: 0x%08" PRIx32 "\n  rrl: %" PRIu32 "\n  frl: %" PRIu32
		       "\n  numzrwa: %" PRIu32 "\n  zrwafg: %u\n  zrwasz: %u\n  zrwacap: %u\n",
		       n->zoc.val, n->ozcs.val, n->mar, n->mor, n->rrl, n->frl, n->numzrwa,
		       n->zrwafg, n->zrwasz, n->zrwacap);
	wrtn += fprintf(stream, "  lbafe:\n");
	for (int i = 0; i < 64; ++i) {
		wrtn += fprintf(stream, "    - {zsze: %" PRIu64 ", zdes: %u}\n", n->lbafe[i].zsze,
				n->lbafe[i].zdes);
	}
	return wrtn;
}

int
xnvme_spec_idfy_nslist_fpr(FILE *stream, const struct xnvme_spec_idfy *idfy, int opts)
{
	int wrtn;

	(void)opts;
	PP_NULL(stream, "xnvme_spec_idfy_nslist", idfy);
	wrtn = fprintf(stream, "xnvme_spec_idfy_nslist: [");
	for (int i = 0; i < 1024 && idfy->nslist[i]; ++i) {
		wrtn += fprintf(stream, "%s%" PRIu32, i ? ", " : "", idfy->nslist[i]);
	}
	return wrtn + fprintf(stream, "]\n");
}

int
xnvme_spec_znd_descr_fpr(FILE *stream, const struct xnvme_spec_znd_descr *d, int opts)
{
	(void)opts;
	PP_NULL(stream, "xnvme_spec_znd_descr", d);
	return fprintf(stream,
		       "xnvme_spec_znd_descr:\n  zslba: 0x%016" PRIx64 "\n  wp: 0x%016" PRIx64
		       "\n  zcap: %" PRIu64 "\n  zt: %u\n  zs: '%s'\n  za: 0x%02x\n",
		       d->zslba, d->wp, d->zcap, d->zt, xnvme_spec_znd_state_str(d->zs),
		       *(const uint8_t *)&d->za);
}

int
xnvme_spec_cmd_fpr(FILE *stream, const struct xnvme_spec_cmd *cmd, int opts)
{
	int wrtn;

	(void)opts;
	PP_NULL(stream, "xnvme_spec_cmd", cmd);
	wrtn = fprintf(stream, "xnvme_spec_cmd:\n  opcode: 0x%02x\n  nsid: 0x%08" PRIx32 "\n",
		       cmd->common.opcode, cmd->common.nsid);
	for (int i = 0; i < 16; ++i) {
		wrtn += fprintf(stream, "  cdw%02d: 0x%08" PRIx32 "\n", i, cmd->cdw[i]);
	}
	return wrtn;
}

int
xnvme_spec_cmd_pr(const struct xnvme_spec_cmd *cmd, int opts)
{
	return xnvme_spec_cmd_fpr(stdout, cmd, opts);
}

int
xnvme_spec_cpl_fpr(FILE *stream, const struct xnvme_spec_cpl *cpl, int opts)
{
	(void)opts;
	PP_NULL(stream, "xnvme_spec_cpl", cpl);
	return fprintf(
	    stream,
	    "xnvme_spec_cpl:\n  cdw0: 0x%08" PRIx32 "\n  sqhd: 0x%04x\n  sqid: 0x%04x\n"
	    "  cid: 0x%04x\n  sct: 0x%x\n  sc: 0x%02x\n  dnr: %u\n  m: %u\n  status: '%s'\n",
	    cpl->cdw0, cpl->sqhd, cpl->sqid, cpl->cid, cpl->status.sct, cpl->status.sc,
	    cpl->status.dnr, cpl->status.m, xnvme_spec_status_str(cpl->status.sct, cpl->status.sc));
}

int
xnvme_spec_cpl_pr(const struct xnvme_spec_cpl *cpl, int opts)
{
	return xnvme_spec_cpl_fpr(stdout, cpl, opts);
}
