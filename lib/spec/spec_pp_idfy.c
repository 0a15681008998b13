/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML printers of identify data: controller and namespace (NVMe 2.0 Figure 275, NVM 1.0 Figure
 * 97), their NVM and zoned command set specific forms, and namespace lists.
 *
 * Field names are the specification's, which are also the keys of nvme-cli's JSON output
 * (tests/nvme/compare_idfy.py compares them). Capability bit fields (oacs, oncs, sgls, ...) are
 * printed in hex, counts and sizes in decimal; YAML reads both back as integers.
 */
#include <inttypes.h>
#include "spec_pp.h"

#define C(field, fmt, terse) SPEC_PP_FIELD(struct xnvme_spec_idfy_ctrlr, field, fmt, terse)
static const struct spec_pp_field g_ctrlr_fields[] = {
    C(vid, SPEC_PP_HEX, 1),       C(ssvid, SPEC_PP_HEX, 1),     C(sn, SPEC_PP_STR, 1),
    C(mn, SPEC_PP_STR, 1),        C(fr, SPEC_PP_STR, 1),        C(rab, SPEC_PP_DEC, 0),
    C(ieee, SPEC_PP_HEX, 0),      C(cmic, SPEC_PP_HEX, 0),      C(mdts, SPEC_PP_DEC, 1),
    C(cntlid, SPEC_PP_HEX, 1),    C(ver, SPEC_PP_HEX, 1),       C(rtd3r, SPEC_PP_DEC, 0),
    C(rtd3e, SPEC_PP_DEC, 0),     C(oaes, SPEC_PP_HEX, 0),      C(ctratt, SPEC_PP_HEX, 0),
    C(rrls, SPEC_PP_HEX, 0),      C(cntrltype, SPEC_PP_DEC, 0), C(fguid, SPEC_PP_BYTES, 0),
    C(crdt1, SPEC_PP_DEC, 0),     C(crdt2, SPEC_PP_DEC, 0),     C(crdt3, SPEC_PP_DEC, 0),
    C(nvmsr, SPEC_PP_HEX, 0),     C(vwci, SPEC_PP_HEX, 0),      C(mec, SPEC_PP_HEX, 0),
    C(oacs, SPEC_PP_HEX, 1),      C(acl, SPEC_PP_DEC, 0),       C(aerl, SPEC_PP_DEC, 0),
    C(frmw, SPEC_PP_HEX, 0),      C(lpa, SPEC_PP_HEX, 0),       C(elpe, SPEC_PP_DEC, 0),
    C(npss, SPEC_PP_DEC, 0),      C(avscc, SPEC_PP_HEX, 0),     C(apsta, SPEC_PP_HEX, 0),
    C(wctemp, SPEC_PP_DEC, 0),    C(cctemp, SPEC_PP_DEC, 0),    C(mtfa, SPEC_PP_DEC, 0),
    C(hmpre, SPEC_PP_DEC, 0),     C(hmmin, SPEC_PP_DEC, 0),     C(tnvmcap, SPEC_PP_U128, 0),
    C(unvmcap, SPEC_PP_U128, 0),  C(rpmbs, SPEC_PP_HEX, 0),     C(edstt, SPEC_PP_DEC, 0),
    C(dsto, SPEC_PP_HEX, 0),      C(fwug, SPEC_PP_DEC, 0),      C(kas, SPEC_PP_DEC, 0),
    C(hctma, SPEC_PP_HEX, 0),     C(mntmt, SPEC_PP_DEC, 0),     C(mxtmt, SPEC_PP_DEC, 0),
    C(sanicap, SPEC_PP_HEX, 0),   C(hmminds, SPEC_PP_DEC, 0),   C(hmmaxd, SPEC_PP_DEC, 0),
    C(nsetidmax, SPEC_PP_DEC, 0), C(endgidmax, SPEC_PP_DEC, 0), C(anatt, SPEC_PP_DEC, 0),
    C(anacap, SPEC_PP_HEX, 0),    C(anagrpmax, SPEC_PP_DEC, 0), C(nanagrpid, SPEC_PP_DEC, 0),
    C(pels, SPEC_PP_DEC, 0),      C(domainid, SPEC_PP_DEC, 0),  C(megcap, SPEC_PP_U128, 0),
    C(sqes, SPEC_PP_HEX, 0),      C(cqes, SPEC_PP_HEX, 0),      C(maxcmd, SPEC_PP_DEC, 0),
    C(nn, SPEC_PP_DEC, 1),        C(oncs, SPEC_PP_HEX, 1),      C(fuses, SPEC_PP_HEX, 0),
    C(fna, SPEC_PP_HEX, 0),       C(vwc, SPEC_PP_HEX, 0),       C(awun, SPEC_PP_DEC, 0),
    C(awupf, SPEC_PP_DEC, 0),     C(icsvscc, SPEC_PP_HEX, 0),   C(nwpc, SPEC_PP_HEX, 0),
    C(acwu, SPEC_PP_DEC, 0),      C(ocfs, SPEC_PP_HEX, 0),      C(sgls, SPEC_PP_HEX, 1),
    C(mnan, SPEC_PP_DEC, 0),      C(maxdna, SPEC_PP_U128, 0),   C(maxcna, SPEC_PP_DEC, 0),
    C(subnqn, SPEC_PP_STR, 0),    C(ioccsz, SPEC_PP_DEC, 0),    C(iorcsz, SPEC_PP_DEC, 0),
    C(icdoff, SPEC_PP_DEC, 0),    C(fcatt, SPEC_PP_HEX, 0),     C(msdbd, SPEC_PP_DEC, 0),
    C(ofcs, SPEC_PP_HEX, 0),
};
#undef C

int
xnvme_spec_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_idfy_ctrlr *idfy, int opts)
{
	int wrtn = 0;

	if (!idfy) {
		return spec_pp_null(stream, "xnvme_spec_idfy_ctrlr");
	}
	wrtn += fprintf(stream, "xnvme_spec_idfy_ctrlr:\n");
	wrtn += spec_pp_fields(stream, "  ", idfy, g_ctrlr_fields, XNVME_ARRAY_SIZE(g_ctrlr_fields),
			       opts);
	if (spec_pp_terse(opts)) {
		return wrtn;
	}
	// Descriptors past NPSS (zero-based) are not defined by the controller
	wrtn += fprintf(stream, "  psd:\n");
	for (int i = 0; i <= idfy->npss && i < 32; ++i) {
		const struct xnvme_spec_power_state *p = &idfy->psd[i];

		wrtn += fprintf(stream,
				"    - {mp: %u, mxps: %u, nops: %u, enlat: %" PRIu32
				", exlat: %" PRIu32 ", rrt: %u, rrl: %u, rwt: %u, rwl: %u, "
				"idlp: %u, ips: %u, actp: %u, apw: %u, aps: %u}\n",
				p->mp, p->mxps, p->nops, p->enlat, p->exlat, p->rrt, p->rrl, p->rwt,
				p->rwl, p->idlp, p->ips, p->actp, p->apw, p->aps);
	}
	return wrtn;
}

int
xnvme_spec_idfy_ctrlr_pr(const struct xnvme_spec_idfy_ctrlr *idfy, int opts)
{
	return xnvme_spec_idfy_ctrlr_fpr(stdout, idfy, opts);
}

#define N(field, fmt, terse) SPEC_PP_FIELD(struct xnvme_spec_idfy_ns, field, fmt, terse)
static const struct spec_pp_field g_ns_fields[] = {
    N(nsze, SPEC_PP_DEC, 1),     N(ncap, SPEC_PP_DEC, 1),    N(nuse, SPEC_PP_DEC, 1),
    N(nsfeat, SPEC_PP_HEX, 1),   N(nlbaf, SPEC_PP_DEC, 1),   N(flbas, SPEC_PP_HEX, 1),
    N(mc, SPEC_PP_HEX, 0),       N(dpc, SPEC_PP_HEX, 0),     N(dps, SPEC_PP_HEX, 1),
    N(nmic, SPEC_PP_HEX, 0),     N(rescap, SPEC_PP_HEX, 0),  N(fpi, SPEC_PP_HEX, 0),
    N(dlfeat, SPEC_PP_HEX, 0),   N(nawun, SPEC_PP_DEC, 0),   N(nawupf, SPEC_PP_DEC, 0),
    N(nacwu, SPEC_PP_DEC, 0),    N(nabsn, SPEC_PP_DEC, 0),   N(nabo, SPEC_PP_DEC, 0),
    N(nabspf, SPEC_PP_DEC, 0),   N(noiob, SPEC_PP_DEC, 0),   N(nvmcap, SPEC_PP_U128, 0),
    N(npwg, SPEC_PP_DEC, 0),     N(npwa, SPEC_PP_DEC, 0),    N(npdg, SPEC_PP_DEC, 0),
    N(npda, SPEC_PP_DEC, 0),     N(nows, SPEC_PP_DEC, 0),    N(mssrl, SPEC_PP_DEC, 0),
    N(mcl, SPEC_PP_DEC, 0),      N(msrc, SPEC_PP_DEC, 0),    N(nulbaf, SPEC_PP_DEC, 0),
    N(anagrpid, SPEC_PP_DEC, 0), N(nsattr, SPEC_PP_HEX, 0),  N(nvmsetid, SPEC_PP_DEC, 0),
    N(endgid, SPEC_PP_DEC, 0),   N(nguid, SPEC_PP_BYTES, 0), N(eui64, SPEC_PP_BYTES, 0),
};
#undef N

int
xnvme_spec_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_idfy_ns *idfy, int opts)
{
	int nlbaf = 64;
	int wrtn = 0;

	if (!idfy) {
		return spec_pp_null(stream, "xnvme_spec_idfy_ns");
	}
	wrtn += fprintf(stream, "xnvme_spec_idfy_ns:\n");
	wrtn +=
	    spec_pp_fields(stream, "  ", idfy, g_ns_fields, XNVME_ARRAY_SIZE(g_ns_fields), opts);
	// The whole table by default, so an index from FLBAS always finds its entry; terse output
	// keeps the formats the namespace reports (NLBAF is zero-based)
	if (spec_pp_terse(opts)) {
		nlbaf = XNVME_MIN(idfy->nlbaf + 1, 64);
	}
	wrtn += fprintf(stream, "  lbaf:\n");
	for (int i = 0; i < nlbaf; ++i) {
		wrtn += fprintf(stream, "    - {ms: %u, ds: %u, rp: %u}\n", idfy->lbaf[i].ms,
				idfy->lbaf[i].ds, idfy->lbaf[i].rp);
	}
	return wrtn;
}

int
xnvme_spec_idfy_ns_pr(const struct xnvme_spec_idfy_ns *idfy, int opts)
{
	return xnvme_spec_idfy_ns_fpr(stdout, idfy, opts);
}

#define V(field, fmt) SPEC_PP_FIELD(struct xnvme_spec_nvm_idfy_ctrlr, field, fmt, 1)
static const struct spec_pp_field g_nvm_ctrlr_fields[] = {
    V(vsl, SPEC_PP_DEC),  V(wzsl, SPEC_PP_DEC),  V(wusl, SPEC_PP_DEC),
    V(dmrl, SPEC_PP_DEC), V(dmrsl, SPEC_PP_DEC), V(dmsl, SPEC_PP_DEC),
};
#undef V

int
xnvme_spec_nvm_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_nvm_idfy_ctrlr *idfy, int opts)
{
	int wrtn = 0;

	if (!idfy) {
		return spec_pp_null(stream, "xnvme_spec_nvm_idfy_ctrlr");
	}
	wrtn += fprintf(stream, "xnvme_spec_nvm_idfy_ctrlr:\n");
	wrtn += spec_pp_fields(stream, "  ", idfy, g_nvm_ctrlr_fields,
			       XNVME_ARRAY_SIZE(g_nvm_ctrlr_fields), opts);
	return wrtn;
}

int
xnvme_spec_nvm_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_nvm_idfy_ns *idfy, int opts)
{
	int wrtn = 0;

	if (!idfy) {
		return spec_pp_null(stream, "xnvme_spec_nvm_idfy_ns");
	}
	wrtn +=
	    fprintf(stream, "xnvme_spec_nvm_idfy_ns:\n  lbstm: 0x%016" PRIx64 "\n  pic: 0x%02x\n",
		    idfy->lbstm, idfy->pic);
	if (spec_pp_terse(opts)) {
		return wrtn;
	}
	wrtn += fprintf(stream, "  elbaf:\n");
	for (int i = 0; i < 64; ++i) {
		wrtn += fprintf(stream, "    - {sts: %u, pif: %u}\n", idfy->elbaf[i].sts,
				idfy->elbaf[i].pif);
	}
	return wrtn;
}

int
xnvme_spec_znd_idfy_ctrlr_fpr(FILE *stream, const struct xnvme_spec_znd_idfy_ctrlr *idfy, int opts)
{
	(void)opts;
	if (!idfy) {
		return spec_pp_null(stream, "xnvme_spec_znd_idfy_ctrlr");
	}
	return fprintf(stream, "xnvme_spec_znd_idfy_ctrlr:\n  zasl: %u\n", idfy->zasl);
}

#define Z(field, fmt, terse) SPEC_PP_FIELD(struct xnvme_spec_znd_idfy_ns, field, fmt, terse)
static const struct spec_pp_field g_znd_ns_fields[] = {
    Z(zoc, SPEC_PP_HEX, 1),     Z(ozcs, SPEC_PP_HEX, 1),   Z(mar, SPEC_PP_HEX, 1),
    Z(mor, SPEC_PP_HEX, 1),     Z(rrl, SPEC_PP_DEC, 0),    Z(frl, SPEC_PP_DEC, 0),
    Z(rrl1, SPEC_PP_DEC, 0),    Z(rrl2, SPEC_PP_DEC, 0),   Z(rrl3, SPEC_PP_DEC, 0),
    Z(frl1, SPEC_PP_DEC, 0),    Z(frl2, SPEC_PP_DEC, 0),   Z(frl3, SPEC_PP_DEC, 0),
    Z(numzrwa, SPEC_PP_DEC, 0), Z(zrwafg, SPEC_PP_DEC, 0), Z(zrwasz, SPEC_PP_DEC, 0),
    Z(zrwacap, SPEC_PP_HEX, 0),
};
#undef Z

int
xnvme_spec_znd_idfy_ns_fpr(FILE *stream, const struct xnvme_spec_znd_idfy_ns *idfy, int opts)
{
	int wrtn = 0;

	if (!idfy) {
		return spec_pp_null(stream, "xnvme_spec_znd_idfy_ns");
	}
	wrtn += fprintf(stream, "xnvme_spec_znd_idfy_ns:\n");
	wrtn += spec_pp_fields(stream, "  ", idfy, g_znd_ns_fields,
			       XNVME_ARRAY_SIZE(g_znd_ns_fields), opts);
	if (spec_pp_terse(opts)) {
		return wrtn;
	}
	wrtn += fprintf(stream, "  lbafe:\n");
	for (int i = 0; i < 64; ++i) {
		wrtn += fprintf(stream, "    - {zsze: %" PRIu64 ", zdes: %u}\n",
				idfy->lbafe[i].zsze, idfy->lbafe[i].zdes);
	}
	return wrtn;
}

int
xnvme_spec_idfy_nslist_fpr(FILE *stream, const struct xnvme_spec_idfy *idfy, int opts)
{
	int wrtn = 0;

	(void)opts;
	if (!idfy) {
		return spec_pp_null(stream, "xnvme_spec_idfy_nslist");
	}
	// The list is in increasing order and ends at its first zero entry (NVMe 2.0, Namespace
	// List)
	wrtn +=
	    fprintf(stream, "xnvme_spec_idfy_nslist:\n  nsids:%s\n", idfy->nslist[0] ? "" : " []");
	for (int i = 0; i < 1024 && idfy->nslist[i]; ++i) {
		wrtn += fprintf(stream, "    - %" PRIu32 "\n", idfy->nslist[i]);
	}
	return wrtn;
}
