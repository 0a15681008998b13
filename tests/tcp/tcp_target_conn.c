// SPDX-License-Identifier: BSD-3-Clause
/*
 * One connection of the test target: the H2C PDUs parsed and checked (NVMe/TCP transport
 * specification: the common header's HLEN, PDO, PLEN and flags against the PDU type and the
 * negotiated digests and alignment), ICReq/ICResp, command capsules with in-capsule data,
 * R2T and H2CData for the rest of a write, and the answers: C2HData and CapsuleResp. A PDU
 * the target must not accept gets a C2HTermReq and the connection ends.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <tcp_pdu.h>
#include <xnvme_crc.h>
#include "tcp_target_int.h"

#define SGL_ID_INCAPSULE 0x01 ///< Data Block descriptor, subtype Offset: the capsule's data
#define SGL_ID_TRANSPORT 0x5A ///< Transport Data Block descriptor, subtype Transport Specific
#define SC_CID_CONFLICT  0x03
#define SC_INTERNAL      0x06
#define SC_SGL_LEN       0x0F ///< Data SGL Length Invalid
#define SC_SGL_TYPE      0x11 ///< SGL Descriptor Type Invalid
#define SC_TRANSIENT     0x22 ///< Transient Transport Error: a data digest mismatch

struct tt_r2t {
	int used;
	uint16_t ttag;
	uint32_t off, len, got;
};

/** A write waiting for its data by R2T */
struct tt_cmd {
	int used;
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;
	uint32_t len, granted, got;
	uint32_t fault;
	int ddgst_err;
	struct tt_r2t r2t[TT_R2T_MAX];
};

static const uint8_t tt_zeros[512];

/* The header length of an H2C PDU type; 0: not one a host sends */
static uint8_t
tt_h2c_hlen(uint8_t type)
{
	switch (type) {
	case TCP_PDU_ICREQ:
		return TCP_ICREQ_LEN;
	case TCP_PDU_H2C_TERMREQ:
		return TCP_TERMREQ_HLEN;
	case TCP_PDU_CAPSULE_CMD:
		return TCP_CAPSULE_CMD_HLEN;
	case TCP_PDU_H2C_DATA:
		return TCP_DATA_HLEN;
	}
	return 0;
}

static int
tt_icreq(struct tt_conn *c, const uint8_t *req)
{
	const struct tt_cfg *cfg = &c->t->cfg;
	uint8_t resp[TCP_ICREQ_LEN];
	int want_hd = req[11] & 1, want_dd = !!(req[11] & 2);
	uint32_t maxr2t = tt_get32(req + 12);

	if (tt_get16(req + 8) != 0) {
		return tt_send_termreq(c, TCP_FES_UNSUPPORTED, 8, req, TCP_ICREQ_LEN);
	}
	if (req[10] > TCP_HPDA_MAX) {
		return tt_send_termreq(c, TCP_FES_UNSUPPORTED, 10, req, TCP_ICREQ_LEN);
	}
	if ((cfg->hdgst == TT_DGST_REQUIRED && !want_hd) ||
	    (cfg->ddgst == TT_DGST_REQUIRED && !want_dd)) {
		return tt_send_termreq(c, TCP_FES_UNSUPPORTED, 11, req, TCP_ICREQ_LEN);
	}
	c->hpda = req[10];
	c->hdgst = (uint8_t)(want_hd && cfg->hdgst != TT_DGST_OFF);
	c->ddgst = (uint8_t)(want_dd && cfg->ddgst != TT_DGST_OFF);
	c->maxr2t = maxr2t >= TT_R2T_MAX - 1 ? TT_R2T_MAX : maxr2t + 1;
	memset(resp, 0, sizeof(resp));
	resp[0] = TCP_PDU_ICRESP;
	resp[10] = (uint8_t)cfg->cpda;
	resp[11] = (uint8_t)(c->hdgst | c->ddgst << 1);
	tt_put32(resp + 12, cfg->maxh2cdata);
	c->ic_done = 1;
	return tt_send_pdu(c, resp, TCP_ICREQ_LEN, NULL, 0, NULL);
}

/* Answers a command: runs it when @p run, then its data (C2HData) and CapsuleResp, faults */
static int
tt_answer(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, uint8_t *buf, uint32_t len, int dir,
	  uint32_t fault, int run)
{
	const struct tt_cfg *cfg = &c->t->cfg;
	uint16_t cccid = ctx->cmd.common.cid;
	struct tt_mut mut = {0};
	int close_after = 0, ok;

	if (run) {
		int rc = tt_cmd_exec(c, ctx, buf, len);

		if (rc == TT_EXEC_HOLD) {
			return 0;
		}
		close_after = rc == TT_EXEC_CLOSE;
	}
	ctx->cpl.sqhd = c->sqhd;
	ctx->cpl.sqid = c->qid;
	ctx->cpl.cid = cccid;
	mut.hlen_delta = fault == TT_FAULT_BADHLEN ? 4 : 0;
	mut.plen_delta = fault == TT_FAULT_BADPLEN ? 4 : 0;
	mut.bad_hdgst = fault == TT_FAULT_BADHDGST;
	mut.bad_ddgst = fault == TT_FAULT_BADDDGST;
	switch (fault) {
	case TT_FAULT_TERMREQ:
		return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 0, NULL, 0);
	case TT_FAULT_BADTYPE: {
		uint8_t hdr[TCP_DATA_HLEN] = {0x0F};

		return tt_send_pdu(c, hdr, TCP_DATA_HLEN, NULL, 0, NULL);
	}
	case TT_FAULT_BADDATAL:
		if (tt_send_c2h(c, cccid, len, tt_zeros, sizeof(tt_zeros), 0, NULL)) {
			return -1;
		}
		break;
	case TT_FAULT_BADCCCID:
		if (tt_send_c2h(c, cccid ^ 0x8000, 0, tt_zeros, sizeof(tt_zeros), 0, NULL)) {
			return -1;
		}
		break;
	}
	ok = !ctx->cpl.status.sc && !ctx->cpl.status.sct;
	if (dir == 2 && ok && len) {
		int success = cfg->success == 2 || (cfg->success == 1 && c->sqfc_off);

		for (uint32_t off = 0; off < len;) {
			uint32_t n = len - off < cfg->c2hsize ? len - off : cfg->c2hsize;
			uint8_t flags = 0;

			if (off + n == len) {
				flags = TCP_FLAG_LAST | (success ? TCP_FLAG_SUCCESS : 0);
			}
			if (tt_send_c2h(c, cccid, off, buf + off, n, flags, off ? NULL : &mut)) {
				return -1;
			}
			off += n;
		}
		if (success) {
			return close_after ? -1 : 0;
		}
		memset(&mut, 0, sizeof(mut));
	}
	return tt_send_resp(c, &ctx->cpl, &mut) || close_after ? -1 : 0;
}

/* Asks for the next pieces of a write's data, up to MAXR2T R2Ts outstanding */
static int
tt_r2t_issue(struct tt_conn *c, struct tt_cmd *cmd)
{
	const struct tt_cfg *cfg = &c->t->cfg;

	for (uint32_t i = 0; i < c->maxr2t && cmd->granted < cmd->len; ++i) {
		struct tt_r2t *r = &cmd->r2t[i];
		uint32_t left = cmd->len - cmd->granted;

		if (r->used) {
			continue;
		}
		r->used = 1;
		r->ttag = c->next_ttag;
		c->next_ttag = c->next_ttag == 0xFFFE ? 0 : c->next_ttag + 1;
		r->off = cmd->granted;
		r->len = cfg->r2tsize && cfg->r2tsize < left ? cfg->r2tsize : left;
		r->got = 0;
		cmd->granted += r->len;
		if (tt_send_r2t(c, cmd->ctx.cmd.common.cid, r->ttag, r->off, r->len)) {
			return -1;
		}
	}
	return 0;
}

static struct tt_cmd *
tt_pending(struct tt_conn *c, uint16_t cccid)
{
	for (int i = 0; i < TT_PENDING_MAX; ++i) {
		if (c->cmds[i].used && c->cmds[i].ctx.cmd.common.cid == cccid) {
			return &c->cmds[i];
		}
	}
	return NULL;
}

static void
tt_pending_free(struct tt_cmd *cmd)
{
	free(cmd->buf);
	memset(cmd, 0, sizeof(*cmd));
}

/* A write whose data comes by R2T: kept until it has all, or answered now with an error */
static int
tt_r2t_start(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, uint32_t len, uint32_t fault)
{
	struct tt_cmd *cmd = NULL;

	if (tt_pending(c, ctx->cmd.common.cid)) {
		tt_status(ctx, 0, SC_CID_CONFLICT);
		return tt_answer(c, ctx, NULL, 0, 1, fault, 0);
	}
	for (int i = 0; i < TT_PENDING_MAX && !cmd; ++i) {
		cmd = c->cmds[i].used ? NULL : &c->cmds[i];
	}
	if (!cmd || !(cmd->buf = malloc(len))) {
		tt_status(ctx, 0, SC_INTERNAL);
		return tt_answer(c, ctx, NULL, 0, 1, fault, 0);
	}
	cmd->used = 1;
	cmd->ctx = *ctx;
	cmd->len = len;
	cmd->fault = fault;
	return tt_r2t_issue(c, cmd);
}

static int
tt_h2c_data(struct tt_conn *c, const uint8_t *hdr, uint32_t dlen, uint32_t dd)
{
	uint32_t datao = tt_get32(hdr + 12), datal = tt_get32(hdr + 16), hl = TCP_DATA_HLEN;
	struct tt_cmd *cmd = tt_pending(c, tt_get16(hdr + 8));
	struct tt_r2t *r = NULL;
	uint8_t dgst[TCP_DIGEST_LEN];
	int last = !!(hdr[1] & TCP_FLAG_LAST), rc;

	if (!cmd) {
		return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 8, hdr, hl);
	}
	for (int i = 0; i < TT_R2T_MAX && !r; ++i) {
		r = cmd->r2t[i].used && cmd->r2t[i].ttag == tt_get16(hdr + 10) ? &cmd->r2t[i]
									       : NULL;
	}
	if (!r) {
		return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 10, hdr, hl);
	}
	if (datal != dlen) {
		return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 16, hdr, hl);
	}
	if (datal > c->t->cfg.maxh2cdata) {
		return tt_send_termreq(c, TCP_FES_LIMIT, 16, hdr, hl);
	}
	/* In order within the R2T's window, the last PDU flagged */
	if (datao != r->off + r->got || datal > r->len - r->got) {
		return tt_send_termreq(c, TCP_FES_OUT_OF_RANGE, 12, hdr, hl);
	}
	if (last != (r->got + datal == r->len)) {
		return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 1, hdr, hl);
	}
	if (tt_recv(c, cmd->buf + datao, datal) || (dd && tt_recv(c, dgst, dd))) {
		return -1;
	}
	if (dd && tt_get32(dgst) != xnvme_crc32c(0, cmd->buf + datao, datal)) {
		cmd->ddgst_err = 1;
	}
	r->got += datal;
	cmd->got += datal;
	if (r->got == r->len) {
		r->used = 0;
	}
	if (cmd->got < cmd->len) {
		return r->used ? 0 : tt_r2t_issue(c, cmd);
	}
	if (cmd->ddgst_err) {
		tt_status(&cmd->ctx, 0, SC_TRANSIENT);
	}
	rc = tt_answer(c, &cmd->ctx, cmd->buf, cmd->len, 1, cmd->fault, !cmd->ddgst_err);
	tt_pending_free(cmd);
	return rc;
}

/* The capsule's in-capsule data (@p dlen bytes, then @p dd of digest) into *@p icd */
static int
tt_capsule_data(struct tt_conn *c, uint32_t dlen, uint32_t dd, uint8_t **icd, int *dgst_err)
{
	uint8_t dgst[TCP_DIGEST_LEN];

	*icd = NULL;
	*dgst_err = 0;
	if (!dlen) {
		return 0;
	}
	*icd = malloc(dlen);
	if (!*icd || tt_recv(c, *icd, dlen) || (dd && tt_recv(c, dgst, dd))) {
		return -1;
	}
	*dgst_err = dd && tt_get32(dgst) != xnvme_crc32c(0, *icd, dlen);
	return 0;
}

static int
tt_capsule(struct tt_conn *c, const uint8_t *hdr, uint32_t dlen, uint32_t dd)
{
	const uint8_t *sqe = hdr + 8;
	struct xnvme_cmd_ctx ctx;
	uint64_t addr = tt_get64(sqe + 24);
	uint32_t slen = tt_get32(sqe + 32), fault;
	int is_connect = sqe[0] == 0x7F && sqe[4] == 0x01;
	int admin = is_connect ? tt_get16(sqe + 42) == 0 : c->qid == 0;
	int dir, dgst_err, rc;
	uint8_t *icd, *buf = NULL;

	if (tt_capsule_data(c, dlen, dd, &icd, &dgst_err)) {
		free(icd);
		return -1;
	}
	memset(&ctx, 0, sizeof(ctx));
	memcpy(&ctx.cmd, sqe, sizeof(ctx.cmd));
	fault = (is_connect && !admin) ? TT_FAULT_NONE : tt_fault_next(c->t, admin);
	if (fault == TT_FAULT_CLOSE || fault == TT_FAULT_STALL) {
		free(icd);
		return fault == TT_FAULT_CLOSE ? -1 : 0;
	}
	c->sqhd = c->sqsize ? (uint16_t)((c->sqhd + 1u) % (c->sqsize + 1u)) : c->sqhd;
	if (c->ctrl && c->qid == 0) {
		clock_gettime(CLOCK_MONOTONIC, &c->ctrl->last_cmd);
	}
	dir = sqe[0] == 0x7F ? (slen ? 1 : 0) : tt_opc_dir(sqe[0]);
	if (dgst_err) {
		tt_status(&ctx, 0, SC_TRANSIENT);
	} else if ((slen || dlen) && (sqe[1] >> 6) != 1) {
		tt_status(&ctx, 0, XNVME_SPEC_SC_INVALID_FIELD); /* fabrics: PSDT 01b, SGLs */
	} else if (!slen && dlen) {
		tt_status(&ctx, 0, XNVME_SPEC_SC_INVALID_FIELD);
	} else if (slen > TT_XFER_MAX) {
		tt_status(&ctx, 0, SC_SGL_LEN);
	} else if (slen && sqe[39] == SGL_ID_INCAPSULE) {
		if (dir == 2 || addr > dlen || slen > dlen - addr) {
			tt_status(&ctx, 0, SC_SGL_LEN);
		} else {
			buf = icd + addr;
		}
	} else if (slen && sqe[39] == SGL_ID_TRANSPORT) {
		if (dlen) {
			tt_status(&ctx, 0, XNVME_SPEC_SC_INVALID_FIELD);
		} else if (dir == 1) {
			free(icd);
			return tt_r2t_start(c, &ctx, slen, fault);
		} else {
			buf = icd = calloc(1, slen);
			if (!buf) {
				tt_status(&ctx, 0, SC_INTERNAL);
			}
		}
	} else if (slen) {
		tt_status(&ctx, 0, SC_SGL_TYPE);
	}
	rc = ctx.cpl.status.sc ? tt_answer(c, &ctx, NULL, 0, dir, fault, 0)
			       : tt_answer(c, &ctx, buf, slen, dir, fault, 1);
	free(icd);
	return rc;
}

/* Reads and handles one PDU; 0, or -1 when the connection is to end */
static int
tt_pdu(struct tt_conn *c)
{
	uint8_t hdr[TCP_ICREQ_LEN + TCP_DIGEST_LEN], pad[256];
	uint8_t type, flags, hlen, pdo, want, allowed;
	uint32_t plen, hd = 0, dd = 0, dlen = 0, align = (c->t->cfg.cpda + 1) * 4;
	const uint32_t capsule_max =
	    !c->connected || c->qid == 0 ? TT_ADMIN_INCAPSULE : c->t->cfg.ioccsz * 16 - 64;

	if (tt_recv(c, hdr, TCP_CH_LEN)) {
		return -1;
	}
	type = hdr[0];
	flags = hdr[1];
	hlen = hdr[2];
	pdo = hdr[3];
	plen = tt_get32(hdr + 4);
	want = tt_h2c_hlen(type);
	if (!want) {
		return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 0, hdr, TCP_CH_LEN);
	}
	if (type == TCP_PDU_H2C_TERMREQ) {
		tt_count(c->t, &c->t->stats.h2c_termreqs);
		return -1;
	}
	if ((type == TCP_PDU_ICREQ) == c->ic_done) {
		return tt_send_termreq(c, TCP_FES_SEQUENCE, 0, hdr, TCP_CH_LEN);
	}
	if (hlen != want) {
		return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 2, hdr, TCP_CH_LEN);
	}
	if (type == TCP_PDU_ICREQ) {
		if (flags || pdo || plen != TCP_ICREQ_LEN) {
			return tt_send_termreq(c, TCP_FES_INVALID_HEADER,
					       flags ? 1
					       : pdo ? 3
						     : 4,
					       hdr, TCP_CH_LEN);
		}
	} else {
		hd = c->hdgst ? TCP_DIGEST_LEN : 0;
		allowed = TCP_FLAG_HDGSTF | TCP_FLAG_DDGSTF |
			  (type == TCP_PDU_H2C_DATA ? TCP_FLAG_LAST : 0);
		if ((flags & ~allowed) || !!(flags & TCP_FLAG_HDGSTF) != !!hd) {
			return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 1, hdr, TCP_CH_LEN);
		}
		if (plen > hlen + hd) {
			dd = c->ddgst ? TCP_DIGEST_LEN : 0;
			if (!!(flags & TCP_FLAG_DDGSTF) != !!dd) {
				return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 1, hdr,
						       TCP_CH_LEN);
			}
			if (pdo < hlen + hd || pdo % align || pdo >= plen) {
				return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 3, hdr,
						       TCP_CH_LEN);
			}
			if (plen <= pdo + dd) {
				return tt_send_termreq(c, TCP_FES_INVALID_HEADER, 4, hdr,
						       TCP_CH_LEN);
			}
			dlen = plen - pdo - dd;
		} else if (plen < hlen + hd || pdo || (flags & TCP_FLAG_DDGSTF) ||
			   type == TCP_PDU_H2C_DATA) {
			return tt_send_termreq(c, TCP_FES_INVALID_HEADER, pdo ? 3 : 4, hdr,
					       TCP_CH_LEN);
		}
		if (type == TCP_PDU_CAPSULE_CMD && dlen > capsule_max) {
			return tt_send_termreq(c, TCP_FES_LIMIT, 4, hdr, TCP_CH_LEN);
		}
	}
	if (tt_recv(c, hdr + TCP_CH_LEN, hlen - TCP_CH_LEN + hd)) {
		return -1;
	}
	if (hd && tt_get32(hdr + hlen) != xnvme_crc32c(0, hdr, hlen)) {
		return tt_send_termreq(c, TCP_FES_HDGST, 0, hdr, hlen);
	}
	if (dlen && pdo > hlen + hd && tt_recv(c, pad, pdo - hlen - hd)) {
		return -1;
	}
	switch (type) {
	case TCP_PDU_ICREQ:
		return tt_icreq(c, hdr);
	case TCP_PDU_CAPSULE_CMD:
		return tt_capsule(c, hdr, dlen, dd);
	default:
		return tt_h2c_data(c, hdr, dlen, dd);
	}
}

void *
tt_conn_main(void *arg)
{
	struct tt_conn *c = arg;
	struct tcp_target *t = c->t;

	c->cmds = calloc(TT_PENDING_MAX, sizeof(*c->cmds));
	while (c->cmds && !tt_pdu(c)) {
	}
	for (int i = 0; c->cmds && i < TT_PENDING_MAX; ++i) {
		tt_pending_free(&c->cmds[i]);
	}
	free(c->cmds);
	c->cmds = NULL;
	/* Out of the controller before the host sees EOF: a reconnect finds the queue id free */
	pthread_mutex_lock(&t->lock);
	if (c->ctrl) {
		if (c->qid == 0) {
			c->ctrl->dead = 1; /* the association ends with its admin queue */
		} else {
			c->ctrl->ioqs &= ~(1ull << c->qid);
		}
		if (--c->ctrl->nconns == 0) {
			c->ctrl->used = 0;
		}
		c->ctrl = NULL; /* the slot may serve another association from now on */
	}
	pthread_mutex_unlock(&t->lock);
	if (c->term_sent) {
		tt_drain(c);
	}
	shutdown(c->fd, SHUT_RDWR);
	pthread_mutex_lock(&t->lock);
	c->done = 1;
	pthread_mutex_unlock(&t->lock);
	return NULL;
}
