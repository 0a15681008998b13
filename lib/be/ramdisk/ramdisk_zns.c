/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk model's zoned namespace command set (ZNS 1.1): the zone state machine with open and
 * active resource limits, writes at the write pointer, zone append, zone management send (open,
 * close, finish, reset, offline, set zone descriptor extension; one zone or all) and receive
 * (reports, extended, filtered, partial). Reads go to the NVM model; reads across zone boundaries
 * are allowed (RAZB). Copy, deallocate and write uncorrectable are not offered on zoned
 * namespaces (Invalid Opcode).
 */
#include <errno.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_be_ramdisk.h"

#define ZS_EMPTY   XNVME_SPEC_ZND_STATE_EMPTY
#define ZS_IOPEN   XNVME_SPEC_ZND_STATE_IOPEN
#define ZS_EOPEN   XNVME_SPEC_ZND_STATE_EOPEN
#define ZS_CLOSED  XNVME_SPEC_ZND_STATE_CLOSED
#define ZS_FULL    XNVME_SPEC_ZND_STATE_FULL
#define ZS_RONLY   XNVME_SPEC_ZND_STATE_RONLY
#define ZS_OFFLINE XNVME_SPEC_ZND_STATE_OFFLINE

/* Zone attribute: zone descriptor extension valid */
#define ZA_ZDEV 0x80

static int
zns_status(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, uint8_t sc)
{
	return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_CMDSPEC, sc);
}

static int
zns_invalid_field(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx)
{
	return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC, XNVME_SPEC_SC_INVALID_FIELD);
}

static int
zns_is_open(uint8_t zs)
{
	return zs == ZS_IOPEN || zs == ZS_EOPEN;
}

static int
zns_is_active(uint8_t zs)
{
	return zns_is_open(zs) || zs == ZS_CLOSED;
}

/* Moves @p z to @p zs, keeping the open and active counts */
static void
zns_set(struct rd_ns *ns, struct rd_zone *z, uint8_t zs)
{
	ns->nopen -= (uint32_t)zns_is_open(z->zs);
	ns->nactive -= (uint32_t)zns_is_active(z->zs);
	z->zs = zs;
	ns->nopen += (uint32_t)zns_is_open(zs);
	ns->nactive += (uint32_t)zns_is_active(zs);
}

void
rd_zns_reset_all(struct rd_ns *ns)
{
	for (uint32_t i = 0; i < ns->nzones; ++i) {
		ns->zones[i].zslba = (uint64_t)i * ns->zsze;
		ns->zones[i].wp = ns->zones[i].zslba;
		ns->zones[i].zs = ZS_EMPTY;
		ns->zones[i].za = 0;
	}
	ns->nopen = ns->nactive = 0;
}

static int
zns_limit(uint32_t count, uint32_t max_zero_based)
{
	return max_zero_based != 0xFFFFFFFF && count >= max_zero_based + 1;
}

/*
 * Opens @p z (explicitly or, for a write, implicitly) within the open and active limits. At the
 * open limit, an implicit open closes another implicitly opened zone, as the specification allows.
 */
static int
zns_open(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_zone *z,
	 int explicit)
{
	if (zns_is_open(z->zs)) {
		if (explicit) {
			zns_set(ns, z, ZS_EOPEN);
		}
		return 0;
	}
	if (z->zs != ZS_EMPTY && z->zs != ZS_CLOSED) {
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_INVALID_TRANS);
	}
	if (z->zs == ZS_EMPTY && zns_limit(ns->nactive, ns->mar)) {
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_TOO_MANY_ACTIVE);
	}
	if (zns_limit(ns->nopen, ns->mor)) {
		uint32_t i;

		for (i = 0; !explicit && i < ns->nzones && ns->zones[i].zs != ZS_IOPEN; ++i) {
		}
		if (explicit || i == ns->nzones) {
			return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_TOO_MANY_OPEN);
		}
		zns_set(ns, &ns->zones[i], ZS_CLOSED);
	}
	zns_set(ns, z, explicit ? ZS_EOPEN : ZS_IOPEN);
	return 0;
}

static void
zns_reset(struct rd_ctrl *ctrl, struct rd_ns *ns, struct rd_zone *z)
{
	if (!ctrl->nil) {
		memset(ns->data + z->zslba * ns->lbads, 0, ns->zsze * ns->lbads);
		if (ns->ms) {
			memset(ns->meta + z->zslba * ns->ms, 0, ns->zsze * ns->ms);
		}
	}
	if (z->ext) {
		memset(z->ext, 0, (size_t)ns->zdes * 64);
	}
	z->za = 0;
	z->wp = z->zslba;
	zns_set(ns, z, ZS_EMPTY);
}

/* Write, write zeroes and append: at the write pointer, inside the zone's capacity */
static int
zns_write(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
	  struct rd_buf *mbuf)
{
	uint8_t opc = ctx->cmd.common.opcode;
	int append = opc == XNVME_SPEC_ZND_OPC_APPEND;
	uint64_t slba = ctx->cmd.nvm.slba, nlb = (uint64_t)ctx->cmd.nvm.nlb + 1;
	struct rd_zone *z;
	int err;

	if (slba >= (uint64_t)ns->nzones * ns->zsze) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_LBA_OUT_OF_RANGE);
	}
	z = &ns->zones[slba / ns->zsze];
	if (append && slba != z->zslba) {
		return zns_invalid_field(ctrl, ctx);
	}
	switch (z->zs) {
	case ZS_FULL:
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_IS_FULL);
	case ZS_RONLY:
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_IS_READONLY);
	case ZS_OFFLINE:
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_IS_OFFLINE);
	}
	if (!append && slba != z->wp) {
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_INVALID_WRITE);
	}
	if (z->wp + nlb > z->zslba + ns->zcap) {
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_BOUNDARY_ERROR);
	}
	err = zns_open(ctrl, ns, ctx, z, 0);
	if (err) {
		return err;
	}
	/* The NVM model writes at the write pointer; the command is given back as it came */
	ctx->cmd.common.opcode =
	    opc == XNVME_SPEC_NVM_OPC_WRITE_ZEROES ? opc : XNVME_SPEC_NVM_OPC_WRITE;
	ctx->cmd.nvm.slba = z->wp;
	err = rd_nvm(ctrl, ns, ctx, dbuf, mbuf);
	ctx->cmd.common.opcode = opc;
	ctx->cmd.nvm.slba = slba;
	if (err) {
		return err;
	}
	if (append) {
		ctx->cpl.result = z->wp; /* where the data went */
	}
	z->wp += nlb;
	if (z->wp == z->zslba + ns->zcap) {
		zns_set(ns, z, ZS_FULL);
	}
	return 0;
}

/* One zone management send action on @p z; 0 or the status */
static int
zns_action(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_zone *z,
	   uint8_t zsa)
{
	switch (zsa) {
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN:
		return zns_open(ctrl, ns, ctx, z, 1);
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE:
		if (!zns_is_open(z->zs) && z->zs != ZS_CLOSED) {
			return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_INVALID_TRANS);
		}
		zns_set(ns, z, ZS_CLOSED);
		return 0;
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_FINISH:
		if (z->zs == ZS_RONLY || z->zs == ZS_OFFLINE) {
			return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_INVALID_TRANS);
		}
		z->wp = z->zslba + ns->zcap;
		zns_set(ns, z, ZS_FULL);
		return 0;
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET:
		if (z->zs == ZS_RONLY || z->zs == ZS_OFFLINE) {
			return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_INVALID_TRANS);
		}
		zns_reset(ctrl, ns, z);
		return 0;
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE:
		if (z->zs != ZS_RONLY && z->zs != ZS_OFFLINE) {
			return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_INVALID_TRANS);
		}
		z->za = 0;
		zns_set(ns, z, ZS_OFFLINE);
		return 0;
	}
	return zns_invalid_field(ctrl, ctx);
}

/* Whether select-all applies action @p zsa to a zone in state @p zs (ZNS 1.1, 4.4.3.2) */
static int
zns_selected(uint8_t zsa, uint8_t zs)
{
	switch (zsa) {
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN:
		return zs == ZS_CLOSED;
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE:
		return zns_is_open(zs);
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_FINISH:
		return zns_is_active(zs);
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET:
		return zns_is_active(zs) || zs == ZS_FULL;
	case XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE:
		return zs == ZS_RONLY;
	}
	return 0;
}

static int
zns_mgmt_send(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx,
	      struct rd_buf *dbuf)
{
	uint8_t zsa = (uint8_t)ctx->cmd.znd.mgmt_send.zsa;
	uint64_t slba = ctx->cmd.znd.mgmt_send.slba;
	struct rd_zone *z;
	int err;

	if (ctx->cmd.znd.mgmt_send.select_all) {
		uint32_t nclosed = 0;

		if (zsa == XNVME_SPEC_ZND_CMD_MGMT_SEND_DESCRIPTOR) {
			return zns_invalid_field(ctrl, ctx);
		}
		/* Opening all closed zones either fits the open limit, or opens none */
		for (uint32_t i = 0; i < ns->nzones; ++i) {
			nclosed += ns->zones[i].zs == ZS_CLOSED;
		}
		if (zsa == XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN && ns->mor != 0xFFFFFFFF &&
		    ns->nopen + nclosed > ns->mor + 1) {
			return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_TOO_MANY_OPEN);
		}
		for (uint32_t i = 0; i < ns->nzones; ++i) {
			if (zns_selected(zsa, ns->zones[i].zs)) {
				err = zns_action(ctrl, ns, ctx, &ns->zones[i], zsa);
				if (err) {
					return err;
				}
			}
		}
		return 0;
	}
	if (slba >= (uint64_t)ns->nzones * ns->zsze) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_LBA_OUT_OF_RANGE);
	}
	z = &ns->zones[slba / ns->zsze];
	if (slba != z->zslba) {
		return zns_invalid_field(ctrl, ctx);
	}
	if (zsa != XNVME_SPEC_ZND_CMD_MGMT_SEND_DESCRIPTOR) {
		return zns_action(ctrl, ns, ctx, z, zsa);
	}
	/* Set Zone Descriptor Extension: an empty zone becomes closed, holding the extension */
	if (!ns->zdes || dbuf->nbytes < (size_t)ns->zdes * 64) {
		return zns_invalid_field(ctrl, ctx);
	}
	if (z->zs != ZS_EMPTY) {
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_INVALID_TRANS);
	}
	if (zns_limit(ns->nactive, ns->mar)) {
		return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_TOO_MANY_ACTIVE);
	}
	rd_buf_copy(dbuf, 0, z->ext, (size_t)ns->zdes * 64, 0);
	z->za |= ZA_ZDEV;
	zns_set(ns, z, ZS_CLOSED);
	return 0;
}

static int
zns_report_match(uint8_t zrasf, uint8_t zs)
{
	static const uint8_t states[] = {0,         ZS_EMPTY, ZS_IOPEN, ZS_EOPEN,
					 ZS_CLOSED, ZS_FULL,  ZS_RONLY, ZS_OFFLINE};

	return !zrasf || (zrasf < sizeof(states) && states[zrasf] == zs);
}

static int
zns_mgmt_recv(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx,
	      struct rd_buf *dbuf)
{
	const struct xnvme_spec_znd_cmd_mgmt_recv *cmd = &ctx->cmd.znd.mgmt_recv;
	size_t nbytes = ((size_t)cmd->ndwords + 1) * 4;
	int extended = cmd->zra == XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT_EXTENDED;
	size_t entry = 64 + (extended ? (size_t)ns->zdes * 64 : 0);
	struct xnvme_spec_znd_report_hdr hdr = {0};
	uint64_t nreported = 0, nmatching = 0;

	if (cmd->zra > 1 || (extended && !ns->zdes) || cmd->zrasf > 7 || nbytes > dbuf->nbytes ||
	    nbytes < sizeof(hdr)) {
		return zns_invalid_field(ctrl, ctx);
	}
	if (cmd->slba >= (uint64_t)ns->nzones * ns->zsze) {
		return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				 XNVME_SPEC_SC_LBA_OUT_OF_RANGE);
	}
	for (uint32_t i = (uint32_t)(cmd->slba / ns->zsze); i < ns->nzones; ++i) {
		const struct rd_zone *z = &ns->zones[i];
		struct xnvme_spec_znd_descr d;
		size_t off = sizeof(hdr) + nreported * entry;

		if (!zns_report_match((uint8_t)cmd->zrasf, z->zs)) {
			continue;
		}
		nmatching++;
		if (off + entry > nbytes) {
			continue; /* counted for the full report, not transferred */
		}
		memset(&d, 0, sizeof(d));
		d.zt = 2; /* sequential write required */
		d.zs = z->zs & 0xF;
		memcpy(&d.za, &z->za, 1);
		d.zcap = ns->zcap;
		d.zslba = z->zslba;
		d.wp = z->wp;
		rd_buf_copy(dbuf, off, &d, sizeof(d), 1);
		if (extended) {
			rd_buf_copy(dbuf, off + sizeof(d), z->ext, (size_t)ns->zdes * 64, 1);
		}
		nreported++;
	}
	hdr.nzones = cmd->partial ? nreported : nmatching;
	rd_buf_copy(dbuf, 0, &hdr, sizeof(hdr), 1);
	return 0;
}

int
rd_zns(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
       struct rd_buf *mbuf)
{
	uint64_t slba = ctx->cmd.nvm.slba, nlb = (uint64_t)ctx->cmd.nvm.nlb + 1;

	switch (ctx->cmd.common.opcode) {
	case XNVME_SPEC_ZND_OPC_MGMT_SEND:
		return zns_mgmt_send(ctrl, ns, ctx, dbuf);
	case XNVME_SPEC_ZND_OPC_MGMT_RECV:
		return zns_mgmt_recv(ctrl, ns, ctx, dbuf);
	case XNVME_SPEC_ZND_OPC_APPEND:
	case XNVME_SPEC_NVM_OPC_WRITE:
	case XNVME_SPEC_NVM_OPC_WRITE_ZEROES:
		return zns_write(ctrl, ns, ctx, dbuf, mbuf);
	case XNVME_SPEC_NVM_OPC_READ:
	case XNVME_SPEC_NVM_OPC_COMPARE:
	case XNVME_SPEC_NVM_OPC_VERIFY:
		/* Offline zones hold no data to read */
		for (uint64_t zi = slba / ns->zsze; nlb && zi <= (slba + nlb - 1) / ns->zsze;
		     ++zi) {
			if (zi < ns->nzones && ns->zones[zi].zs == ZS_OFFLINE) {
				return zns_status(ctrl, ctx, XNVME_SPEC_ZND_SC_IS_OFFLINE);
			}
		}
		return rd_nvm(ctrl, ns, ctx, dbuf, mbuf);
	case XNVME_SPEC_NVM_OPC_FLUSH:
		return 0;
	}
	return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC, XNVME_SPEC_SC_INVALID_OPCODE);
}
