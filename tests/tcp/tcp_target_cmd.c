// SPDX-License-Identifier: BSD-3-Clause
/*
 * The test target's commands (NVMe over Fabrics specification): Connect, Property Get/Set
 * and Disconnect (opcode 7Fh), Keep Alive, Identify Controller with the fabrics fields, the
 * discovery controller's Discovery Log Page, and everything else through the ramdisk's
 * executor (rd_exec_admin / rd_exec_io).
 */
#include <stdio.h>
#include <string.h>
#include <tcp_pdu.h>
#include <xnvme_be.h>
#include <xnvme_be_ramdisk.h>
#include "tcp_target_int.h"

#define OPC_FABRICS    0x7F
#define FCT_PROP_SET   0x00
#define FCT_CONNECT    0x01
#define FCT_PROP_GET   0x04
#define FCT_DISCONNECT 0x08
#define ADM_KEEP_ALIVE 0x18
#define ADM_AER        0x0C
#define LID_DISCOVERY  0x70

#define SCT_CMDSPEC        1
#define SC_CMD_SEQ         0x0C
#define SC_CONNECT_FORMAT  0x80 ///< Incompatible Format
#define SC_CONNECT_BUSY    0x81 ///< Controller Busy
#define SC_CONNECT_INVALID 0x82 ///< Connect Invalid Parameters
#define SC_CONNECT_HOST    0x84 ///< Connect Invalid Host

#define PROP_CAP  0x00
#define PROP_VS   0x08
#define PROP_CC   0x14
#define PROP_CSTS 0x1C

int
tt_opc_dir(uint8_t opcode)
{
	/* Opcode bits 1:0 say the transfer: 01b to the controller, 10b to the host */
	return (opcode & 3) == 2 ? 2 : (opcode & 3) ? 1 : 0;
}

void
tt_status(struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc)
{
	ctx->cpl.status.val = 0;
	ctx->cpl.status.sct = sct;
	ctx->cpl.status.sc = sc;
	ctx->cpl.status.dnr = 1;
}

/* Connect Invalid Parameters: the offending byte (@p ipo) in the SQE or (@p in_data) data */
static int
tt_connect_invalid(struct xnvme_cmd_ctx *ctx, int in_data, uint16_t ipo)
{
	tt_status(ctx, SCT_CMDSPEC, SC_CONNECT_INVALID);
	ctx->cpl.cdw0 = ipo | (uint32_t) !!in_data << 16;
	return 0;
}

static int
tt_nqn_is(const uint8_t *field, const char *nqn)
{
	return memchr(field, 0, TT_NQN_LEN) && !strcmp((const char *)field, nqn);
}

static int
tt_connect(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, const uint8_t *data, uint32_t len)
{
	const uint8_t *sqe = (const uint8_t *)&ctx->cmd;
	const struct tt_cfg *cfg = &c->t->cfg;
	uint16_t qid = tt_get16(sqe + 42), sqsize = tt_get16(sqe + 44);
	const uint8_t *hostnqn;
	uint16_t cntlid;
	int discovery;
	struct tt_ctrl *ctrl;

	if (c->connected) {
		tt_status(ctx, 0, SC_CMD_SEQ);
		return 0;
	}
	if (len < TT_CONNECT_DATA) {
		tt_status(ctx, 0, XNVME_SPEC_SC_INVALID_FIELD);
		return 0;
	}
	if (tt_get16(sqe + 40) != 0) {
		tt_status(ctx, SCT_CMDSPEC, SC_CONNECT_FORMAT);
		return 0;
	}
	cntlid = tt_get16(data + 16);
	hostnqn = data + 512;
	discovery = tt_nqn_is(data + 256, TT_DISCOVERY_NQN);
	if (!discovery && !tt_nqn_is(data + 256, cfg->subnqn)) {
		return tt_connect_invalid(ctx, 1, 256);
	}
	if (!memchr(hostnqn, 0, TT_NQN_LEN) || strncmp((const char *)hostnqn, "nqn.", 4)) {
		return tt_connect_invalid(ctx, 1, 512);
	}
	if (cfg->hostnqn[0] && strcmp((const char *)hostnqn, cfg->hostnqn)) {
		tt_status(ctx, SCT_CMDSPEC, SC_CONNECT_HOST);
		return 0;
	}
	if (sqsize > cfg->mqes || sqsize < (qid ? 1 : 31)) {
		return tt_connect_invalid(ctx, 0, 44);
	}
	pthread_mutex_lock(&c->t->lock);
	if (!qid) {
		if (cntlid != 0xFFFF) {
			pthread_mutex_unlock(&c->t->lock);
			return tt_connect_invalid(ctx, 1, 16);
		}
		ctrl = tt_ctrl_new(c->t);
		if (!ctrl) {
			pthread_mutex_unlock(&c->t->lock);
			tt_status(ctx, SCT_CMDSPEC, SC_CONNECT_BUSY);
			return 0;
		}
		ctrl->discovery = discovery;
		ctrl->kato_ms = tt_get32(sqe + 48);
		strcpy(ctrl->hostnqn, (const char *)hostnqn);
	} else {
		ctrl = tt_ctrl_find(c->t, cntlid);
		if (!ctrl || ctrl->discovery || discovery ||
		    strcmp(ctrl->hostnqn, (char *)hostnqn)) {
			pthread_mutex_unlock(&c->t->lock);
			return tt_connect_invalid(ctx, 1, 16);
		}
		if (qid > 63 || ctrl->ioqs & (1ull << qid)) {
			pthread_mutex_unlock(&c->t->lock);
			return tt_connect_invalid(ctx, 0, 42);
		}
		if (!(ctrl->csts & 1)) {
			pthread_mutex_unlock(&c->t->lock);
			tt_status(ctx, 0, SC_CMD_SEQ);
			return 0;
		}
		ctrl->ioqs |= 1ull << qid;
	}
	ctrl->nconns++;
	c->ctrl = ctrl;
	c->qid = qid;
	c->sqsize = sqsize;
	c->sqhd = 0;
	c->connected = 1;
	c->sqfc_off = !!(sqe[46] & 4);
	ctx->cpl.cdw0 = ctrl->cntlid;
	pthread_mutex_unlock(&c->t->lock);
	return 0;
}

static uint64_t
tt_cap(const struct tt_cfg *cfg)
{
	/* MQES, CQR (contiguous queues), TO 2 (1 s), CSS: NVM and I/O command sets; 4 KiB pages */
	return cfg->mqes | 1ull << 16 | 2ull << 24 | 1ull << 37 | 1ull << 43;
}

static int
tt_property(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, int set)
{
	const uint8_t *sqe = (const uint8_t *)&ctx->cmd;
	uint32_t size = (sqe[40] & 7) == 1 ? 8 : (sqe[40] & 7) == 0 ? 4 : 0;
	uint32_t ofst = tt_get32(sqe + 44);
	struct tt_ctrl *ctrl = c->ctrl;
	uint64_t val = tt_get64(sqe + 48);

	if (!size || (ofst != PROP_CAP && size == 8) || (set && ofst != PROP_CC)) {
		tt_status(ctx, 0, XNVME_SPEC_SC_INVALID_FIELD);
		return 0;
	}
	pthread_mutex_lock(&c->t->lock);
	if (set) {
		uint32_t cc = (uint32_t)val;

		/* Enabling sets RDY, disabling clears it; a shutdown completes at once */
		ctrl->csts = (ctrl->csts & ~1u) | (cc & 1);
		ctrl->csts &= ~(3u << 2);
		if ((cc >> 14) & 3) {
			ctrl->csts |= 2u << 2;
		}
		ctrl->cc = cc;
	} else {
		switch (ofst) {
		case PROP_CAP:
			ctx->cpl.result = tt_cap(&c->t->cfg);
			break;
		case PROP_VS:
			ctx->cpl.result = 0x00010400; /* 1.4 */
			break;
		case PROP_CC:
			ctx->cpl.result = ctrl->cc;
			break;
		case PROP_CSTS:
			ctx->cpl.result = ctrl->csts;
			break;
		default:
			tt_status(ctx, 0, XNVME_SPEC_SC_INVALID_FIELD);
		}
	}
	pthread_mutex_unlock(&c->t->lock);
	return 0;
}

static int
tt_fabrics(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, uint8_t *buf, uint32_t len)
{
	uint8_t fctype = ((const uint8_t *)&ctx->cmd)[4];

	if (fctype == FCT_CONNECT) {
		return tt_connect(c, ctx, buf, len);
	}
	if (!c->connected) {
		tt_status(ctx, 0, SC_CMD_SEQ);
		return 0;
	}
	switch (fctype) {
	case FCT_PROP_GET:
	case FCT_PROP_SET:
		if (c->qid) {
			break;
		}
		return tt_property(c, ctx, fctype == FCT_PROP_SET);
	case FCT_DISCONNECT:
		return TT_EXEC_CLOSE;
	}
	tt_status(ctx, 0, XNVME_SPEC_SC_INVALID_OPCODE);
	return 0;
}

/* Fields a fabrics controller fills in its Identify Controller, discovery or not */
static void
tt_idfy_fabrics(struct tt_conn *c, struct xnvme_spec_idfy_ctrlr *id, const char *subnqn)
{
	const struct tt_cfg *cfg = &c->t->cfg;

	id->cntlid = c->ctrl->cntlid;
	id->maxcmd = (uint16_t)(cfg->mqes + 1);
	id->kas = 1; /* 100 ms granularity */
	id->aerl = 3;
	id->sgls.val = 0;
	id->sgls.supported = 1;
	id->sgls.sgl_offset = 1;    /* in-capsule data: Data Block, subtype Offset */
	id->sgls.transport_sgl = 1; /* the rest: Transport Data Block */
	id->nvmf_specific.ioccsz = cfg->ioccsz;
	id->nvmf_specific.iorcsz = 1;
	id->nvmf_specific.icdoff = 0;
	id->nvmf_specific.ctrattr.ctrlr_model = 0; /* dynamic */
	id->nvmf_specific.msdbd = 1;
	id->nvmf_specific.ofcs.disc_del = 1;
	memset(id->subnqn, 0, sizeof(id->subnqn));
	snprintf((char *)id->subnqn, sizeof(id->subnqn), "%s", subnqn);
}

static void
tt_idfy_discovery(struct tt_conn *c, struct xnvme_spec_idfy_ctrlr *id)
{
	memset(id, 0, sizeof(*id));
	xnvme_be_strpad((char *)id->sn, sizeof(id->sn), "tcp-target");
	xnvme_be_strpad((char *)id->mn, sizeof(id->mn), "xnvme tcp-target discovery");
	xnvme_be_strpad((char *)id->fr, sizeof(id->fr), "1.0");
	id->ver.val = 0x00010400;
	id->cntrltype = 2;
	id->lpa.edlp = 1;
	tt_idfy_fabrics(c, id, TT_DISCOVERY_NQN);
}

/* The Discovery Log Page: a 1024-byte header, one 1024-byte entry for the subsystem */
static void
tt_discovery_log(struct tt_conn *c, uint8_t page[2048])
{
	struct tcp_target *t = c->t;
	uint8_t *e = page + 1024;
	char svc[8];

	memset(page, 0, 2048);
	tt_put64(page, 1);       /* GENCTR */
	tt_put64(page + 8, 1);   /* NUMREC */
	e[0] = 3;                /* TRTYPE: TCP */
	e[1] = 1;                /* ADRFAM: IPv4 */
	e[2] = 2;                /* SUBTYPE: an NVM subsystem */
	e[3] = 2;                /* TREQ: secure channel not required */
	tt_put16(e + 4, 1);      /* PORTID */
	tt_put16(e + 6, 0xFFFF); /* CNTLID: dynamic model */
	tt_put16(e + 8, 32);     /* ASQSZ */
	snprintf(svc, sizeof(svc), "%u", t->port);
	/* TRSVCID and TRADDR are ASCII, space padded; SUBNQN is NUL terminated */
	xnvme_be_strpad((char *)e + 32, 32, svc);
	snprintf((char *)e + 256, 256, "%s", t->cfg.subnqn);
	xnvme_be_strpad((char *)e + 512, 256, t->addr);
}

static int
tt_admin_discovery(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, uint8_t *buf, uint32_t len)
{
	const struct xnvme_spec_cmd *cmd = &ctx->cmd;
	uint8_t page[4096];

	if (cmd->common.opcode == XNVME_SPEC_ADM_OPC_IDFY) {
		/* A discovery controller has no namespaces: Identify Controller only */
		if (cmd->idfy.cns != XNVME_SPEC_IDFY_CTRLR ||
		    len < sizeof(struct xnvme_spec_idfy_ctrlr)) {
			tt_status(ctx, 0, XNVME_SPEC_SC_INVALID_FIELD);
			return 0;
		}
		tt_idfy_discovery(c, (struct xnvme_spec_idfy_ctrlr *)page);
		memcpy(buf, page, sizeof(struct xnvme_spec_idfy_ctrlr));
		return 0;
	}
	if (cmd->common.opcode == XNVME_SPEC_ADM_OPC_LOG &&
	    (cmd->cdw[10] & 0xFF) == LID_DISCOVERY) {
		uint64_t nbytes =
		    (((uint64_t)(cmd->cdw[11] & 0xFFFF) << 16 | cmd->cdw[10] >> 16) + 1) * 4;
		uint64_t lpo = cmd->cdw[12] | (uint64_t)cmd->cdw[13] << 32;

		if (nbytes > len || lpo % 4) {
			tt_status(ctx, 0, XNVME_SPEC_SC_INVALID_FIELD);
			return 0;
		}
		tt_discovery_log(c, page);
		memset(buf, 0, nbytes);
		if (lpo < 2048) {
			memcpy(buf, page + lpo, nbytes < 2048 - lpo ? nbytes : 2048 - lpo);
		}
		return 0;
	}
	tt_status(ctx, 0, XNVME_SPEC_SC_INVALID_OPCODE);
	return 0;
}

static int
tt_admin(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, uint8_t *buf, uint32_t len)
{
	const struct xnvme_spec_cmd *cmd = &ctx->cmd;
	struct rd_buf d;
	int dead;

	pthread_mutex_lock(&c->t->lock);
	dead = !(c->ctrl->csts & 1);
	pthread_mutex_unlock(&c->t->lock);
	if (dead) {
		tt_status(ctx, 0, SC_CMD_SEQ); /* not enabled (CC.EN) yet */
		return 0;
	}
	if (cmd->common.opcode == ADM_KEEP_ALIVE) {
		return 0; /* the capsule restarted the timer */
	}
	if (cmd->common.opcode == ADM_AER) {
		return TT_EXEC_HOLD;
	}
	if (c->ctrl->discovery) {
		return tt_admin_discovery(c, ctx, buf, len);
	}
	if (cmd->common.opcode == XNVME_SPEC_ADM_OPC_IDFY &&
	    cmd->idfy.cns == XNVME_SPEC_IDFY_CTRLR && len >= sizeof(struct xnvme_spec_idfy_ctrlr)) {
		struct xnvme_spec_idfy_ctrlr *id = (struct xnvme_spec_idfy_ctrlr *)buf;

		rd_buf_init(&d, buf, len);
		if (!rd_exec_admin(c->t->rd, ctx, &d)) {
			tt_idfy_fabrics(c, id, c->t->cfg.subnqn);
			id->cntrltype = 1;
			xnvme_be_strpad((char *)id->mn, sizeof(id->mn), "xnvme tcp-target");
		}
		return 0;
	}
	rd_buf_init(&d, buf, len);
	rd_exec_admin(c->t->rd, ctx, &d);
	return 0;
}

int
tt_cmd_exec(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, uint8_t *buf, uint32_t len)
{
	struct rd_buf d, m;

	if (ctx->cmd.common.opcode == OPC_FABRICS) {
		return tt_fabrics(c, ctx, buf, len);
	}
	if (!c->connected) {
		tt_status(ctx, 0, SC_CMD_SEQ);
		return 0;
	}
	if (!c->qid) {
		return tt_admin(c, ctx, buf, len);
	}
	rd_buf_init(&d, buf, len);
	rd_buf_init(&m, NULL, 0);
	rd_exec_io(c->t->rd, ctx, &d, &m);
	return 0;
}
