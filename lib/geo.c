/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Geometry from identify data. One derivation for every backend: emulated devices synthesize
 * identify data and come through here as well, so what a user sees is consistent.
 */
#include <errno.h>
#include <string.h>
#include "xnvme_cmd.h"
#include "xnvme_dev.h"

/* MDTS counts in units of the controller's minimum memory page size; 4 KiB on all we reach. */
#define XNVME_GEO_MPSMIN_NBYTES 4096ULL
/* Used when the controller reports no limit (MDTS 0): keeps single transfers bounded. */
#define XNVME_GEO_MDTS_UNLIMITED_NBYTES (1ULL << 30)

static int
geo_idfy(struct xnvme_dev *dev, uint8_t cns, uint32_t nsid, uint8_t csi, void *dst)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	struct xnvme_spec_idfy *idfy;
	int err;

	idfy = xnvme_buf_alloc(dev, sizeof(*idfy));
	if (!idfy) {
		return -errno;
	}
	memset(idfy, 0, sizeof(*idfy));
	err = xnvme_adm_idfy_any(&ctx, cns, 0, nsid, 0, 0, csi, idfy);
	if (!err) {
		memcpy(dst, idfy, sizeof(*idfy));
	}
	xnvme_buf_free(dev, idfy);
	return err;
}

/*
 * The namespace's command set, from the CSI descriptor of the namespace identification descriptor
 * list (NVMe 2.0, Figure 280). Controllers before NVMe 1.4 have none: those are NVM.
 */
static uint8_t
geo_csi(struct xnvme_dev *dev)
{
	struct xnvme_spec_idfy list;

	if (geo_idfy(dev, XNVME_SPEC_IDFY_NSDSCR, dev->ident.nsid, 0, &list)) {
		return XNVME_SPEC_CSI_NVM;
	}
	for (size_t off = 0; off + 4 <= sizeof(list.raw);) {
		uint8_t nidt = list.raw[off], nidl = list.raw[off + 1];

		if (!nidt) {
			break;
		}
		if (nidt == 0x4 && nidl == 1 && off + 5 <= sizeof(list.raw)) {
			return list.raw[off + 4];
		}
		off += 4 + (size_t)nidl;
	}
	return XNVME_SPEC_CSI_NVM;
}

static void
geo_from_idfy(struct xnvme_dev *dev)
{
	const struct xnvme_spec_idfy_ns *ns = &dev->id_ns;
	uint8_t idx = xnvme_spec_idfy_ns_flbas_idx(ns);
	const struct xnvme_spec_lbaf *lbaf = &ns->lbaf[idx < 64 ? idx : 0];
	struct xnvme_geo *geo = &dev->geo;

	memset(geo, 0, sizeof(*geo));
	geo->npugrp = 1;
	geo->npunit = 1;
	geo->ssw = lbaf->ds;
	geo->nbytes = 1U << lbaf->ds;
	geo->nbytes_oob = lbaf->ms;
	geo->lba_extended = lbaf->ms && ns->flbas.extended;
	geo->lba_nbytes = geo->nbytes + (geo->lba_extended ? geo->nbytes_oob : 0);
	geo->tbytes = ns->nsze << lbaf->ds;
	geo->pi_type = ns->dps.pit;
	geo->pi_loc = ns->dps.md_start;
	/* The guard format is in the NVM command set's extended LBA format (NVM 1.0 Figure 103) */
	if (dev->ident.csi == XNVME_SPEC_CSI_NVM && dev->has_ns_css) {
		geo->pi_format = (uint8_t)dev->ns_css.nvm_ns.elbaf[idx < 64 ? idx : 0].pif;
	}

	/* mdts_nbytes is 32 bits wide (0.7.5's layout): a larger MDTS is capped like "unlimited" */
	if (dev->id_ctrlr.mdts && dev->id_ctrlr.mdts < 18) {
		geo->mdts_nbytes = (uint32_t)(XNVME_GEO_MPSMIN_NBYTES << dev->id_ctrlr.mdts);
	} else {
		geo->mdts_nbytes = XNVME_GEO_MDTS_UNLIMITED_NBYTES;
	}
	/* What the path to the device takes can be less than the controller's MDTS */
	if (dev->be_max_xfer_nbytes && dev->be_max_xfer_nbytes < geo->mdts_nbytes) {
		geo->mdts_nbytes = dev->be_max_xfer_nbytes;
	}

	geo->type = XNVME_GEO_CONVENTIONAL;
	geo->nzone = 1;
	geo->nsect = ns->nsze;
	if (dev->ident.csi == XNVME_SPEC_CSI_ZONED && dev->has_ns_css) {
		uint64_t zsze = dev->ns_css.znd_ns.lbafe[idx < 16 ? idx : 0].zsze;

		geo->type = XNVME_GEO_ZONED;
		geo->nsect = zsze;
		geo->nzone = zsze ? (uint32_t)(ns->nsze / zsze) : 0;
	} else if (dev->ident.csi == XNVME_SPEC_CSI_KV) {
		geo->type = XNVME_GEO_KV;
	}
}

int
xnvme_dev_derive_geo(struct xnvme_dev *dev)
{
	int err;

	err = geo_idfy(dev, XNVME_SPEC_IDFY_CTRLR, 0, 0, &dev->id_ctrlr);
	if (err) {
		return err;
	}
	err = geo_idfy(dev, XNVME_SPEC_IDFY_NS, dev->ident.nsid, 0, &dev->id_ns);
	if (err) {
		return err;
	}
	if (dev->ident.csi == XNVME_SPEC_CSI_NOCHECK) {
		dev->ident.csi = geo_csi(dev);
	}
	/* Command-set specific data is optional: older controllers reject CNS 05h/06h. */
	dev->has_ns_css =
	    !geo_idfy(dev, XNVME_SPEC_IDFY_NS_IOCS, dev->ident.nsid, dev->ident.csi, &dev->ns_css);
	dev->has_ctrlr_css =
	    !geo_idfy(dev, XNVME_SPEC_IDFY_CTRLR_IOCS, 0, dev->ident.csi, &dev->ctrlr_css);
	geo_from_idfy(dev);
	/*
	 * A file is byte-addressed too (the FS command set, xnvme_file_*): its size in bytes, as
	 * xNVMe 0.7.5 reports it, not rounded down to whole blocks (a 123-byte file is not empty)
	 */
	if (dev->be_file_nbytes) {
		dev->geo.tbytes = dev->be_file_nbytes;
	}
	xnvme_dev_io_limits_set(dev);
	return 0;
}

void
xnvme_dev_io_limits_set(struct xnvme_dev *dev)
{
	const struct xnvme_geo *geo = &dev->geo;
	struct xnvme_dev_io_limits *io = &dev->io;

	io->nlbs = geo->tbytes >> geo->ssw;
	io->nsid = geo->type == XNVME_GEO_KV ? UINT64_MAX : dev->ident.nsid;
	io->max_nlb = geo->lba_nbytes ? geo->mdts_nbytes / geo->lba_nbytes : 0;
	/* nbytes is 2^LBADS (geo_from_idfy): a mask, not two 64-bit divisions per I/O */
	io->align_mask = dev->opts.direct && geo->nbytes ? (uintptr_t)geo->nbytes - 1 : 0;
	io->lba_nbytes = geo->lba_nbytes;
	io->oob_nbytes = geo->lba_extended ? 0 : geo->nbytes_oob;
}
