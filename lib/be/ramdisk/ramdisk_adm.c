/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk model's admin commands: identify (controller, namespace, lists, descriptors,
 * command-set specific), get log page (error, SMART / health with live counters, firmware slots,
 * commands supported and effects, changed namespaces, changed zones) at any offset and length,
 * get / set features kept in the model (current, default, saved, capabilities), format NVM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "xnvme_be_ramdisk.h"

/* ONCS: compare, write uncorrectable, DSM, write zeroes, save/select in features, verify, copy */
#define RD_ONCS ((1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 7) | (1 << 8))
/* OACS: format NVM, device self-test */
#define RD_OACS ((1 << 1) | (1 << 4))
/* SANICAP: crypto erase, block erase, overwrite */
#define RD_SANICAP 0x7
/* Format NVM's command specific status "Invalid Format", NVMe 2.0 Figure 343 */
#define RD_SC_INVALID_FORMAT 0x0A

static int
rd_ok(void)
{
	return 0;
}

static int
rd_invalid_field(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx)
{
	return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC, XNVME_SPEC_SC_INVALID_FIELD);
}

static void
rd_idfy_ctrlr(struct rd_ctrl *ctrl, struct xnvme_spec_idfy_ctrlr *id)
{
	char sn[21];

	id->vid = 0x1b36; /* the vendor ids of an emulated device, as QEMU's */
	id->ssvid = 0x1af4;
	snprintf(sn, sizeof(sn), "ramdisk-%08x", ctrl->serial);
	xnvme_be_strpad((char *)id->sn, sizeof(id->sn), sn);
	xnvme_be_strpad((char *)id->mn, sizeof(id->mn), "xnvme ramdisk");
	xnvme_be_strpad((char *)id->fr, sizeof(id->fr), XNVME_VERSION);
	id->mdts = RD_MDTS;
	id->ver.val = 0x00020000;
	id->cntrltype = 1;
	id->oacs.val = RD_OACS;
	id->sanicap.val = RD_SANICAP;
	id->edstt = 1;         /* the extended self-test takes (at most) a minute: here, none */
	id->frmw.slot1_ro = 1; /* one slot, read-only */
	id->frmw.num_slots = 1;
	id->lpa.celp = 1; /* commands effects log */
	id->lpa.edlp = 1; /* extended data for get log page */
	id->elpe = RD_ERRLOG_NENTRIES - 1;
	id->wctemp = 0x157;
	id->cctemp = 0x175;
	id->sqes.min = id->sqes.max = 6;
	id->cqes.min = id->cqes.max = 4;
	id->nn = ctrl->nns;
	id->oncs.val = RD_ONCS;
	id->cdfs.format0 = 1; /* Copy: source range entries of descriptor format 0 */
	id->vwc.present = 1;
	snprintf((char *)id->subnqn, sizeof(id->subnqn), "nqn.2024-11.io.xnvme:ramdisk:%08x",
		 ctrl->serial);
}

static void
rd_idfy_ns(const struct rd_ns *ns, struct xnvme_spec_idfy_ns *id)
{
	if (ns->csi == XNVME_SPEC_CSI_KV) {
		return; /* no logical blocks: the KV identify namespace is command-set specific */
	}
	id->nsze = id->ncap = id->nuse = ns->nlb;
	id->nlbaf = rd_nlbafs - 1;
	id->flbas.format = ns->flbas_idx & 0xF;
	id->flbas.format_msb = (ns->flbas_idx >> 4) & 0x3;
	id->flbas.extended = ns->mset & 0x1;
	id->mc.extended = 1;            /* metadata within the data buffer */
	id->mc.pointer = 1;             /* and in a buffer of its own */
	id->dlfeat.bits.read_value = 1; /* deallocated blocks read as zeros */
	id->mssrl = 256;
	id->mcl = 1024;
	id->msrc = 127;
	for (uint8_t i = 0; i < rd_nlbafs; ++i) {
		id->lbaf[i].ms = rd_lbafs[i].ms;
		id->lbaf[i].ds = (uint8_t)__builtin_ctz(rd_lbafs[i].lbads);
	}
}

/* The namespace lists (all, or of one command set) after @p nsid, and the command set
 * combinations */
static void
rd_idfy_lists(const struct rd_ctrl *ctrl, uint8_t cns, uint32_t nsid, uint8_t csi,
	      struct xnvme_spec_idfy *id)
{
	size_t n = 0;

	if (cns == XNVME_SPEC_IDFY_IOCS) {
		/* One combination: the command sets of the namespaces, NVM always (NVMe 2.0
		 * 5.17.2.20); the controller has no other */
		id->cs.iocsc[0].nvm = 1;
		for (uint32_t i = 0; i < ctrl->nns; ++i) {
			id->cs.iocsc[0].kv |= ctrl->ns[i].csi == XNVME_SPEC_CSI_KV;
			id->cs.iocsc[0].zns |= ctrl->ns[i].csi == XNVME_SPEC_CSI_ZONED;
		}
		return;
	}
	for (uint32_t i = 0; i < ctrl->nns; ++i) {
		if (ctrl->ns[i].nsid > nsid &&
		    (cns == XNVME_SPEC_IDFY_NSLIST || ctrl->ns[i].csi == csi)) {
			id->nslist[n++] = ctrl->ns[i].nsid;
		}
	}
}

/* The command-set specific identify namespace of @p csi (checked against the namespace's) */
static void
rd_idfy_ns_iocs(const struct rd_ns *ns, uint8_t csi, struct xnvme_spec_idfy *id)
{
	if (csi == XNVME_SPEC_CSI_ZONED) {
		id->znd_ns.mor = ns->mor;
		id->znd_ns.mar = ns->mar;
		id->znd_ns.lbafe[ns->flbas_idx].zsze = ns->zsze;
		id->znd_ns.lbafe[ns->flbas_idx].zdes = ns->zdes;
	} else if (csi == XNVME_SPEC_CSI_KV) {
		/* KV 1.0 Figure 39: capacity in bytes and one KV format (keys of up to 16 bytes,
		 * values up to RD_KV_VALUE_MAX, no limit on the number of keys); NKVF counts the
		 * formats, as xNVMe's printer reads it */
		id->kvs_ns.nsze = ns->nbytes;
		id->kvs_ns.nkvf = 1;
		id->kvs_ns.kvf[0].kml = 16;
		id->kvs_ns.kvf[0].vml = RD_KV_VALUE_MAX;
	}
}

static int
rd_idfy(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf)
{
	struct xnvme_spec_idfy id;
	uint32_t nsid = ctx->cmd.common.nsid;
	uint8_t csi = ctx->cmd.idfy.csi;
	struct rd_ns *ns = rd_ns_get(ctrl, nsid);

	memset(&id, 0, sizeof(id));
	switch (ctx->cmd.idfy.cns) {
	case XNVME_SPEC_IDFY_CTRLR:
		rd_idfy_ctrlr(ctrl, &id.ctrlr);
		break;
	case XNVME_SPEC_IDFY_NS:
		if (!ns) {
			return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT);
		}
		rd_idfy_ns(ns, &id.ns);
		break;
	case XNVME_SPEC_IDFY_NSLIST:
	case XNVME_SPEC_IDFY_NSLIST_IOCS:
	case XNVME_SPEC_IDFY_IOCS:
		rd_idfy_lists(ctrl, ctx->cmd.idfy.cns, nsid, csi, &id);
		break;
	case XNVME_SPEC_IDFY_NSDSCR:
		if (!ns) {
			return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT);
		}
		id.raw[0] = 4; /* NIDT: command set identifier */
		id.raw[1] = 1;
		id.raw[4] = ns->csi;
		break;
	case XNVME_SPEC_IDFY_NS_IOCS:
		if (!ns) {
			return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT);
		}
		if (csi != ns->csi &&
		    !(csi == XNVME_SPEC_CSI_NVM && ns->csi == XNVME_SPEC_CSI_ZONED)) {
			return rd_invalid_field(ctrl, ctx);
		}
		rd_idfy_ns_iocs(ns, csi, &id);
		break;
	case XNVME_SPEC_IDFY_CTRLR_IOCS:
		if (csi != XNVME_SPEC_CSI_NVM && csi != XNVME_SPEC_CSI_ZONED &&
		    csi != XNVME_SPEC_CSI_KV) {
			return rd_invalid_field(ctrl, ctx);
		}
		if (csi == XNVME_SPEC_CSI_NVM) {
			id.nvm_ctrlr.dmrl = 128;
		}
		break;
	default:
		return rd_invalid_field(ctrl, ctx);
	}
	rd_buf_copy(dbuf, 0, &id, XNVME_MIN_U64(dbuf->nbytes, sizeof(id)), 1);
	return rd_ok();
}

/* A 128-bit little-endian counter from 64 bits */
static void
rd_u128(uint8_t *dst, uint64_t val)
{
	memset(dst, 0, 16);
	memcpy(dst, &val, 8);
}

/* SMART / health information: data units are thousands of 512-byte units, rounded up */
static size_t
rd_log_health(const struct rd_ctrl *ctrl, struct xnvme_spec_log_health_entry *h)
{
	h->comp_temp = 0x141; /* 321 K */
	h->avail_spare = 100;
	h->avail_spare_thresh = 10;
	rd_u128(h->data_units_read, (ctrl->bytes_read + 511999) / 512000);
	rd_u128(h->data_units_written, (ctrl->bytes_written + 511999) / 512000);
	rd_u128(h->host_read_cmds, ctrl->host_reads);
	rd_u128(h->host_write_cmds, ctrl->host_writes);
	rd_u128(h->mdi_errs, ctrl->media_errors);
	rd_u128(h->nr_err_logs, ctrl->nerrors);
	rd_u128(h->pwr_cycles, 1);
	return sizeof(*h);
}

/* Commands supported and effects: the model's admin and I/O opcodes; which change content */
static size_t
rd_log_csae(struct xnvme_spec_log_csae *log)
{
	static const uint8_t adm[] = {0x02, 0x06, 0x09, 0x0A, 0x14, 0x80, 0x84};
	static const uint8_t io[] = {0x00, 0x01, 0x02, 0x04, 0x05, 0x08, 0x09, 0x0C, 0x19};

	for (size_t i = 0; i < sizeof(adm); ++i) {
		log->acs[adm[i]].csupp = 1;
	}
	log->acs[0x80].lbcc = 1; /* format */
	log->acs[0x84].lbcc = 1; /* sanitize */
	for (size_t i = 0; i < sizeof(io); ++i) {
		log->iocs[io[i]].csupp = 1;
		log->iocs[io[i]].lbcc = io[i] != 0x02 && io[i] != 0x05 && io[i] != 0x0C;
	}
	return sizeof(*log);
}

/* Fills @p page (16 KiB, zeroed) with log page @p lid; returns its size, or 0 when there is none */
static size_t
rd_log_page(struct rd_ctrl *ctrl, uint8_t lid, uint32_t nsid, uint8_t *page)
{
	switch (lid) {
	case XNVME_SPEC_LOG_ERRI: {
		struct xnvme_spec_log_erri_entry *e = (void *)page;
		uint64_t n = XNVME_MIN_U64(ctrl->nerrors, (uint64_t)RD_ERRLOG_NENTRIES);

		/* Newest first */
		for (uint64_t i = 0; i < n; ++i) {
			e[i] = ctrl->errlog[(ctrl->nerrors - 1 - i) % RD_ERRLOG_NENTRIES];
		}
		return RD_ERRLOG_NENTRIES * sizeof(*e);
	}
	case XNVME_SPEC_LOG_HEALTH:
		return rd_log_health(ctrl, (void *)page);
	case XNVME_SPEC_LOG_FW: {
		struct xnvme_spec_log_fw_slot *fw = (void *)page;

		fw->afi = 1;
		xnvme_be_strpad(fw->frs[0], sizeof(fw->frs[0]), XNVME_VERSION);
		return sizeof(*fw);
	}
	case XNVME_SPEC_LOG_CHNS:
		return sizeof(struct xnvme_spec_log_chns);
	case XNVME_SPEC_LOG_CSAE:
		return rd_log_csae((void *)page);
	case XNVME_SPEC_LOG_SELFTEST:
		/* No operation in progress: commands complete at once; results newest first */
		for (uint32_t i = 0; i < 20; ++i) {
			if (i < ctrl->nselftests) {
				memcpy(&page[4 + i * 28], ctrl->selftest[i], 28);
			} else {
				page[4 + i * 28] = 0x0F; /* entry not used */
			}
		}
		return 4 + 20 * 28;
	case XNVME_SPEC_LOG_SANITIZE:
		page[0] = page[1] = 0xFF; /* SPROG: complete */
		memcpy(&page[2], &ctrl->sanitize_sstat, 2);
		memcpy(&page[4], &ctrl->sanitize_cdw10, 4);
		return 512;
	case XNVME_SPEC_LOG_ZND_CHANGES: {
		struct rd_ns *ns = rd_ns_get(ctrl, nsid);
		struct xnvme_spec_znd_log_changes *log = (void *)page;

		if (!ns || ns->csi != XNVME_SPEC_CSI_ZONED) {
			return 0;
		}
		/* Reading the log clears it (ZNS 1.1, Changed Zone List) */
		log->nidents = (uint16_t)ctrl->nchanged_zones;
		memcpy(log->idents, ctrl->changed_zones, ctrl->nchanged_zones * 8);
		ctrl->nchanged_zones = 0;
		return sizeof(*log);
	}
	}
	return 0;
}

static int
rd_log(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf)
{
	/*
	 * The longest page (16 KiB) is built on the heap, not in thread-local storage: the
	 * library's TLS is all static (ring.c has an initial-exec variable), and glibc's small
	 * surplus for dlopen() cannot take 16 KiB, so Python's ctypes could not load the library.
	 */
	const size_t page_nbytes = RD_ERRLOG_NENTRIES * 64;
	uint64_t lpo = (uint64_t)ctx->cmd.log.lpou << 32 | ctx->cmd.log.lpol;
	uint64_t nbytes = (((uint64_t)ctx->cmd.log.numdu << 16 | ctx->cmd.log.numdl) + 1) * 4;
	uint8_t *page = calloc(1, page_nbytes);
	size_t len;

	if (!page) {
		return -ENOMEM;
	}
	len = rd_log_page(ctrl, ctx->cmd.log.lid, ctx->cmd.common.nsid, page);
	if (!len || lpo % 4 || lpo >= len || nbytes > dbuf->nbytes) {
		free(page);
		return rd_invalid_field(ctrl, ctx);
	}
	/* Past the page's end the transfer reads zeros, as a controller returns them */
	rd_buf_copy(dbuf, 0, page + lpo, XNVME_MIN_U64(nbytes, len - lpo), 1);
	free(page);
	if (nbytes > len - lpo) {
		uint8_t zeros[512] = {0};

		for (uint64_t off = len - lpo; off < nbytes; off += sizeof(zeros)) {
			rd_buf_copy(dbuf, off, zeros, XNVME_MIN_U64(sizeof(zeros), nbytes - off),
				    1);
		}
	}
	return rd_ok();
}

/* The features the model keeps; others are Invalid Field */
static int
rd_feat_known(uint8_t fid)
{
	return fid == XNVME_SPEC_FEAT_ARBITRATION || fid == XNVME_SPEC_FEAT_PWR_MGMT ||
	       fid == XNVME_SPEC_FEAT_TEMP_THRESHOLD || fid == XNVME_SPEC_FEAT_ERROR_RECOVERY ||
	       fid == XNVME_SPEC_FEAT_VWCACHE || fid == XNVME_SPEC_FEAT_NQUEUES;
}

static int
rd_gfeat(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx)
{
	uint8_t fid = ctx->cmd.gfeat.cdw10.fid;

	if (!rd_feat_known(fid)) {
		return rd_invalid_field(ctrl, ctx);
	}
	switch (ctx->cmd.gfeat.cdw10.sel) {
	case XNVME_SPEC_FEAT_SEL_CURRENT:
		ctx->cpl.cdw0 = ctrl->feat[fid];
		break;
	case XNVME_SPEC_FEAT_SEL_DEFAULT:
		ctx->cpl.cdw0 = fid == XNVME_SPEC_FEAT_TEMP_THRESHOLD ? 0x157
				: fid == XNVME_SPEC_FEAT_VWCACHE      ? 1
				: fid == XNVME_SPEC_FEAT_NQUEUES      ? (63u << 16 | 63u)
								      : 0;
		break;
	case XNVME_SPEC_FEAT_SEL_SAVED:
		ctx->cpl.cdw0 = ctrl->feat_saved[fid];
		break;
	case XNVME_SPEC_FEAT_SEL_SUPPORTED:
		/* Saveable and changeable; Number of Queues is not changeable once set */
		ctx->cpl.cdw0 = 1 | (fid == XNVME_SPEC_FEAT_NQUEUES ? 0 : 4);
		break;
	default:
		return rd_invalid_field(ctrl, ctx);
	}
	return rd_ok();
}

static int
rd_sfeat(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx)
{
	uint8_t fid = ctx->cmd.sfeat.cdw10.fid;
	uint32_t val = ctx->cmd.sfeat.feat.val;

	if (!rd_feat_known(fid)) {
		return rd_invalid_field(ctrl, ctx);
	}
	if (fid == XNVME_SPEC_FEAT_NQUEUES) {
		/* 0xFFFF is reserved; the controller allocates at most 64 of each */
		if ((val & 0xFFFF) == 0xFFFF || (val >> 16) == 0xFFFF) {
			return rd_invalid_field(ctrl, ctx);
		}
		val = XNVME_MIN(val & 0xFFFF, 63u) | XNVME_MIN(val >> 16, 63u) << 16;
		ctx->cpl.cdw0 = val;
	}
	if (fid == XNVME_SPEC_FEAT_VWCACHE) {
		val &= 1;
	}
	ctrl->feat[fid] = val;
	if (ctx->cmd.sfeat.cdw10.save) {
		ctrl->feat_saved[fid] = val;
	}
	return rd_ok();
}

static int
rd_format(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx)
{
	uint8_t idx = (uint8_t)(ctx->cmd.format.lbafl | ctx->cmd.format.lbafu << 4);
	uint32_t nsid = ctx->cmd.common.nsid;

	if (idx >= rd_nlbafs || ctx->cmd.format.pi || ctx->cmd.format.ses > 2) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_CMDSPEC, RD_SC_INVALID_FORMAT);
	}
	for (uint32_t i = 0; i < ctrl->nns; ++i) {
		struct rd_ns *ns = &ctrl->ns[i];
		uint8_t old_idx = ns->flbas_idx, old_mset = ns->mset;

		if (nsid != 0xFFFFFFFF && ns->nsid != nsid) {
			continue;
		}
		if (ns->csi == XNVME_SPEC_CSI_KV) {
			rd_kv_erase(ns);
			continue;
		}
		if (ns->nbytes % rd_lbafs[idx].lbads ||
		    (ns->csi == XNVME_SPEC_CSI_ZONED && rd_lbafs[idx].lbads != ns->lbads)) {
			/* A zone size in LBAs is only kept when the LBA size is */
			return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_CMDSPEC,
					 RD_SC_INVALID_FORMAT);
		}
		rd_ns_free(ns);
		ns->flbas_idx = idx;
		ns->mset = ctx->cmd.format.mset;
		if (rd_ns_alloc(ns, ctrl->nil)) {
			ns->flbas_idx = old_idx;
			ns->mset = old_mset;
			rd_ns_alloc(ns, ctrl->nil);
			return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INTERNAL_DEVICE_ERROR);
		}
		rd_img_ns_erase(ctrl, ns); /* an image's regions: zeros, and the new format kept */
	}
	if (nsid != 0xFFFFFFFF && !rd_ns_get(ctrl, nsid)) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT);
	}
	return rd_ok();
}

/*
 * Sanitize: block erase, crypto erase (both: the data is gone) and overwrite (with the pattern)
 * of every namespace, at once; exit failure mode succeeds (a sanitize never fails here).
 */
static int
rd_sanitize(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx)
{
	uint8_t sanact = (uint8_t)ctx->cmd.sanitize.sanact;
	uint32_t pat = ctx->cmd.sanitize.ovrpat;

	if (sanact < 1 || sanact > 4) {
		return rd_invalid_field(ctrl, ctx);
	}
	for (uint32_t i = 0; sanact != 1 && i < ctrl->nns; ++i) {
		struct rd_ns *ns = &ctrl->ns[i];

		if (ns->csi == XNVME_SPEC_CSI_KV) {
			rd_kv_erase(ns);
			continue;
		}
		if (ns->data && sanact == 3) {
			for (uint64_t b = 0; b < ns->nlb * ns->lbads; b += 4) {
				memcpy(ns->data + b, &pat, 4);
			}
		} else if (ns->data) {
			memset(ns->data, 0, ns->nlb * ns->lbads);
		}
		if (ns->meta) {
			memset(ns->meta, 0, ns->nlb * ns->ms);
		}
		memset(ns->uncor, 0, (ns->nlb + 7) / 8);
		if (ns->csi == XNVME_SPEC_CSI_ZONED) {
			rd_zns_reset_all(ns);
		}
	}
	/* SSTAT: the last sanitize completed successfully; global data erased */
	ctrl->sanitize_sstat = 1 | (sanact != 1 ? 1 << 8 : 0);
	memcpy(&ctrl->sanitize_cdw10, (const uint32_t *)&ctx->cmd + 10, 4);
	return rd_ok();
}

/* Device self-test: a short or extended test completes at once, without error, and is logged */
static int
rd_selftest(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx)
{
	uint8_t stc = ctx->cmd.cdw[10] & 0xF, *e;

	if (stc == 0xF) {
		return rd_ok(); /* abort: nothing is in progress */
	}
	if (stc != 1 && stc != 2) {
		return rd_invalid_field(ctrl, ctx);
	}
	memmove(ctrl->selftest[1], ctrl->selftest[0], sizeof(ctrl->selftest[0]) * 19);
	e = ctrl->selftest[0];
	memset(e, 0, 28);
	e[0] = (uint8_t)(stc << 4); /* result 0: completed without error */
	memcpy(&e[12], &ctx->cmd.common.nsid, 4);
	ctrl->nselftests += ctrl->nselftests < 20;
	return rd_ok();
}

int
rd_admin(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf)
{
	switch (ctx->cmd.common.opcode) {
	case XNVME_SPEC_ADM_OPC_IDFY:
		if (dbuf->nbytes < sizeof(struct xnvme_spec_idfy)) {
			return rd_invalid_field(ctrl, ctx);
		}
		return rd_idfy(ctrl, ctx, dbuf);
	case XNVME_SPEC_ADM_OPC_LOG:
		return rd_log(ctrl, ctx, dbuf);
	case XNVME_SPEC_ADM_OPC_GFEAT:
		return rd_gfeat(ctrl, ctx);
	case XNVME_SPEC_ADM_OPC_SFEAT:
		return rd_sfeat(ctrl, ctx);
	case XNVME_SPEC_ADM_OPC_FMT:
		return rd_format(ctrl, ctx);
	case XNVME_SPEC_ADM_OPC_SANITIZE:
		return rd_sanitize(ctrl, ctx);
	case XNVME_SPEC_ADM_OPC_DST:
		return rd_selftest(ctrl, ctx);
	}
	return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC, XNVME_SPEC_SC_INVALID_OPCODE);
}
