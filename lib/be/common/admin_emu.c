/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admin interfaces "file_as_ns" and "block": NVMe admin emulated for files and block devices that
 * are not NVMe. Identify data is synthesized from the size and logical block size, so geometry and
 * the NVM helpers work on any file; everything else is refused with Invalid Opcode / Invalid Field.
 * Portable POSIX only: a block device's size comes from its backend (xnvme_be_fd_ops).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "xnvme_cmd.h"
#include "xnvme_be_common.h"

/* Files have no sector size of their own; 512 B is what xNVMe and most tools assume. */
#define ADMIN_EMU_FILE_LBA_NBYTES 512

/* ONCS bits, NVMe 2.0 Figure 275: compare, DSM, write zeroes, verify, copy */
#define ADMIN_EMU_ONCS ((1 << 0) | (1 << 2) | (1 << 3) | (1 << 7) | (1 << 8))

/* A block device's size is the system's to tell (dev->fd_ops); a file's is what fstat says */
static int
admin_emu_size(const struct xnvme_dev *dev, uint64_t *nbytes, uint32_t *lba_nbytes)
{
	const struct xnvme_be_fd_ops *ops = dev->fd_ops;
	struct stat st;
	int err;

	/* The backend knows a device from a file (Windows' fstat cannot tell a volume's handle) */
	if (dev->ident.dtype == XNVME_DEV_TYPE_BLOCK_DEVICE) {
		if (!ops || !ops->blk_size) {
			return -ENOSYS;
		}
		err = ops->blk_size(dev->fd, nbytes, lba_nbytes);
		if (err) {
			return err;
		}
		return xnvme_is_pow2(*lba_nbytes) ? 0 : -EINVAL;
	}
	if (fstat(dev->fd, &st)) {
		return -errno;
	}
	*nbytes = (uint64_t)st.st_size;
	*lba_nbytes = ADMIN_EMU_FILE_LBA_NBYTES;
	return 0;
}

static void
admin_emu_idfy_ctrlr(struct xnvme_dev *dev, struct xnvme_spec_idfy_ctrlr *ctrlr)
{
	struct stat st = {0};
	char sn[21];

	fstat(dev->fd, &st);
	snprintf(sn, sizeof(sn), "%" PRIx64 "-%" PRIx64, (uint64_t)st.st_dev, (uint64_t)st.st_ino);
	xnvme_be_strpad((char *)ctrlr->sn, sizeof(ctrlr->sn), sn);
	xnvme_be_strpad((char *)ctrlr->mn, sizeof(ctrlr->mn),
			dev->ident.dtype == XNVME_DEV_TYPE_BLOCK_DEVICE
			    ? "xnvme emulated block device"
			    : "xnvme emulated file");
	xnvme_be_strpad((char *)ctrlr->fr, sizeof(ctrlr->fr), XNVME_VERSION);
	ctrlr->ver.val = 0x00020000;
	ctrlr->cntrltype = 1; /* I/O controller */
	ctrlr->nn = 1;
	ctrlr->oncs.val = ADMIN_EMU_ONCS;
	ctrlr->vwc.present =
	    1; /* the page cache is a volatile write cache: flush means something */
	ctrlr->sqes.val = 0x66;
	ctrlr->cqes.val = 0x44;
	ctrlr->mdts = 0;
	snprintf((char *)ctrlr->subnqn, sizeof(ctrlr->subnqn),
		 "nqn.2014-08.org.nvmexpress:uuid:xnvme-emu-%s", sn);
}

static int
admin_emu_idfy_ns(struct xnvme_dev *dev, struct xnvme_spec_idfy_ns *ns)
{
	uint32_t lba_nbytes = 0;
	uint64_t nbytes = 0;
	int err;

	err = admin_emu_size(dev, &nbytes, &lba_nbytes);
	if (err) {
		return err;
	}
	ns->nsze = nbytes / lba_nbytes;
	ns->ncap = ns->nsze;
	ns->nuse = ns->nsze;
	ns->nlbaf = 0;
	ns->dlfeat.val = 0x9; /* deallocated blocks read as zeroes; write zeroes may deallocate */
	ns->lbaf[0].ds = (uint8_t)xnvme_ilog2(lba_nbytes);
	ns->lbaf[0].ms = 0;
	return 0;
}

static int
admin_emu_idfy(struct xnvme_cmd_ctx *ctx, struct xnvme_spec_idfy *idfy)
{
	struct xnvme_dev *dev = ctx->dev;
	uint32_t nsid = ctx->cmd.common.nsid;
	uint8_t csi = ctx->cmd.idfy.csi;

	memset(idfy, 0, sizeof(*idfy));
	switch (ctx->cmd.idfy.cns) {
	case XNVME_SPEC_IDFY_CTRLR:
		admin_emu_idfy_ctrlr(dev, &idfy->ctrlr);
		return 0;
	case XNVME_SPEC_IDFY_NS:
		if (nsid != dev->ident.nsid) {
			break;
		}
		return admin_emu_idfy_ns(dev, &idfy->ns);
	case XNVME_SPEC_IDFY_NS_IOCS:
		if (nsid != dev->ident.nsid) {
			break;
		}
		/* The NVM command set specific data of an emulated namespace is empty */
		__attribute__((fallthrough));
	case XNVME_SPEC_IDFY_CTRLR_IOCS:
		if (csi != XNVME_SPEC_CSI_NVM) {
			xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
						 XNVME_SPEC_SC_INVALID_FIELD);
			return -EIO;
		}
		return 0;
	case XNVME_SPEC_IDFY_NSLIST:
	case XNVME_SPEC_IDFY_NSLIST_IOCS:
		if (nsid < dev->ident.nsid) {
			idfy->nslist[0] = dev->ident.nsid;
		}
		return 0;
	case XNVME_SPEC_IDFY_NSDSCR:
		if (nsid != dev->ident.nsid) {
			break;
		}
		idfy->raw[0] = 0x4; /* a CSI descriptor: NVM */
		idfy->raw[1] = 0x1;
		return 0;
	default:
		xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_FIELD);
		return -EIO;
	}
	xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT);
	return -EIO;
}

/*
 * Get Features of the emulated controller: the number of queues (how many an application may
 * make: no limit of the device's; 64 of each, zero-based, as NVMe reports them) and the volatile
 * write cache (a file or block device has the OS's cache in front). Other features are not kept.
 */
static int
admin_emu_gfeat(struct xnvme_cmd_ctx *ctx)
{
	if (ctx->cmd.gfeat.cdw10.sel == XNVME_SPEC_FEAT_SEL_SUPPORTED) {
		ctx->cpl.cdw0 = 0; /* neither saveable nor namespace specific nor changeable */
		return 0;
	}
	switch (ctx->cmd.gfeat.cdw10.fid) {
	case XNVME_SPEC_FEAT_NQUEUES:
		ctx->cpl.cdw0 = 63u << 16 | 63u;
		return 0;
	case XNVME_SPEC_FEAT_VWCACHE:
		ctx->cpl.cdw0 = 1;
		return 0;
	default:
		xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_FIELD);
		return -EIO;
	}
}

static int
admin_emu_cmd_admin(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		    size_t mbuf_nbytes)
{
	(void)mbuf;
	if (mbuf_nbytes) {
		return -EINVAL;
	}
	switch (ctx->cmd.common.opcode) {
	case XNVME_SPEC_ADM_OPC_IDFY:
		if (!dbuf || dbuf_nbytes < sizeof(struct xnvme_spec_idfy)) {
			return -EINVAL;
		}
		return admin_emu_idfy(ctx, dbuf);
	case XNVME_SPEC_ADM_OPC_GFEAT:
		return admin_emu_gfeat(ctx);
	default:
		xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_OPCODE);
		return -ENOSYS;
	}
}

const struct xnvme_be_admin_ops xnvme_be_common_admin_file_as_ns = {
    .id = "file_as_ns",
    .descr = "emulated: identify synthesized from a file's size (512 B blocks)",
    .cmd_admin = admin_emu_cmd_admin,
};

const struct xnvme_be_admin_ops xnvme_be_common_admin_block = {
    .id = "block",
    .descr = "emulated: identify synthesized from a block device's size and block size",
    .cmd_admin = admin_emu_cmd_admin,
};
