// SPDX-License-Identifier: BSD-3-Clause
/*
 * The commands in flight on an NVMe/TCP connection (xnvme_be_tcp.h; the socket is tcp_conn.c's):
 * slots, submitting, the send queue and what each controller PDU does to its command.
 *
 * Decisions:
 * - A command id is its slot's index with a use count above it: an answer for a command that
 *   is no longer outstanding names an id that is not, and ends the connection.
 * - Data from the controller is checked against its command before a byte is copied: in order
 *   (DATAO the bytes received so far), within the command's length, to a read-like command.
 * - A write's data goes in the capsule up to the queue's in-capsule size, else on R2T; one R2T
 *   per command at a time (MAXR2T 0), in H2CData PDUs of at most MAXH2CDATA bytes.
 * - A completion for a command whose PDU is half sent is held until that PDU is on the wire:
 *   the caller may free the data once the command completes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libxnvme_util.h>
#include "xnvme_be_tcp.h"

#define TCP_IOV_MAX 64 ///< Pieces of one sendmsg (a PDU with more goes out in several)

/* SGL descriptor type bytes (byte 15): in-capsule (data block, offset), transport data block */
#define SGL_INCAPSULE 0x01
#define SGL_TRANSPORT 0x5A

/* ---------------------------------------------------------------------------------------- */
/* Completion                                                                                */
/* ---------------------------------------------------------------------------------------- */

static void
tx_unlink(struct tcp_conn *c, struct tcp_slot *slot)
{
	struct tcp_slot **pp = &c->tx_head, *prev = NULL;

	while (*pp && *pp != slot) {
		prev = *pp;
		pp = &(*pp)->tx_next;
	}
	if (*pp) {
		*pp = slot->tx_next;
		if (c->tx_tail == slot) {
			c->tx_tail = prev;
		}
	}
	slot->tx_next = NULL;
	slot->tx_queued = 0;
	slot->hdr_len = 0;
}

/* The slot's command is done, ctx->cpl set: the slot is free, the context reported */
static void
slot_finish(struct tcp_conn *c, struct tcp_slot *slot)
{
	struct xnvme_cmd_ctx *ctx = slot->ctx;

	if (slot->tx_queued) {
		tx_unlink(c, slot);
	}
	if (slot->failed_digest && !ctx->cpl.status.sc && !ctx->cpl.status.sct) {
		ctx->cpl.status.sct = 0;
		ctx->cpl.status.sc = TCP_SC_TRANSIENT;
	}
	free(slot->vec_copy);
	slot->vec_copy = NULL;
	slot->ctx = NULL;
	slot->held = 0;
	c->noutstanding--;
	c->done[c->ndone++] = ctx;
}

/* Completes the slot with @p cpl, or holds it while its PDU is half on the wire */
static void
slot_complete(struct tcp_conn *c, struct tcp_slot *slot, const struct xnvme_spec_cpl *cpl)
{
	slot->ctx->cpl = *cpl;
	if (c->tx_head == slot && c->tx_sent) {
		slot->held = 1;
		return;
	}
	slot_finish(c, slot);
}

void
tcp_cpl_path_error(struct xnvme_cmd_ctx *ctx, uint16_t cid, uint16_t qid)
{
	memset(&ctx->cpl, 0, sizeof(ctx->cpl));
	ctx->cpl.cid = cid;
	ctx->cpl.sqid = qid;
	ctx->cpl.status.sct = TCP_SCT_PATH;
	ctx->cpl.status.sc = TCP_SC_HOST_PATH;
}

void
tcp_conn_fail(struct tcp_conn *c, int err)
{
	if (!c->err) {
		c->err = err ? err : -EIO;
	}
	for (uint32_t i = 0; c->slots && i < c->nslots; ++i) {
		struct tcp_slot *slot = &c->slots[i];

		if (!slot->ctx) {
			continue;
		}
		tcp_cpl_path_error(slot->ctx, slot->cid, c->qid);
		slot->failed_digest = 0;
		slot_finish(c, slot);
	}
	c->tx_head = c->tx_tail = NULL;
	c->tx_sent = 0;
}

/* A protocol error of the controller's: say why in an H2CTermReq (best effort), then fail */
void
tcp_conn_protocol_error(struct tcp_conn *c, uint16_t fes, uint32_t fei)
{
	uint8_t pdu[TCP_TERMREQ_HLEN + TCP_TERMREQ_MAX_DATA];
	size_t len = tcp_pdu_h2c_termreq(pdu, fes, fei, c->rx.hdr, c->rx.have);

	if (!c->tx_sent) {
		(void)!send(c->fd, pdu, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	tcp_conn_fail(c, -EPROTO);
}

/* ---------------------------------------------------------------------------------------- */
/* Sending                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Up to @p max pieces of [off, off + len) of the slot's data into @p out; the count */
static int
slot_data_iov(const struct tcp_slot *slot, uint32_t off, uint32_t len, struct iovec *out, int max)
{
	int n = 0;

	for (size_t i = 0; i < slot->cnt && len && n < max; ++i) {
		size_t piece = slot->vec[i].iov_len;

		if (off >= piece) {
			off -= (uint32_t)piece;
			continue;
		}
		piece -= off;
		piece = piece < len ? piece : len;
		out[n].iov_base = (uint8_t *)slot->vec[i].iov_base + off;
		out[n].iov_len = piece;
		n++;
		len -= (uint32_t)piece;
		off = 0;
	}
	return n;
}

static void
slot_ddgst(struct tcp_conn *c, struct tcp_slot *slot)
{
	struct iovec piece[TCP_IOV_MAX];
	uint32_t off = slot->pdu_datao, left = slot->pdu_datal, crc = 0;

	while (c->params.ddgst && left) {
		int n = slot_data_iov(slot, off, left, piece, TCP_IOV_MAX);

		for (int i = 0; i < n; ++i) {
			crc = tcp_pdu_ddgst(crc, piece[i].iov_base, piece[i].iov_len);
			off += (uint32_t)piece[i].iov_len;
			left -= (uint32_t)piece[i].iov_len;
		}
	}
	for (int i = 0; i < TCP_DIGEST_LEN; ++i) {
		slot->ddgst[i] = (uint8_t)(crc >> (8 * i));
	}
}

/* The next H2CData PDU of the R2T being answered, built; 0 when the R2T is answered */
static int
slot_next_h2c(struct tcp_conn *c, struct tcp_slot *slot)
{
	uint32_t left = slot->r2t_end - slot->r2t_off;
	uint32_t datal = left < c->params.maxh2cdata ? left : c->params.maxh2cdata;

	if (!left) {
		return 0;
	}
	slot->hdr_len = (uint32_t)tcp_pdu_h2c_data(slot->hdr, &c->params, slot->cid, slot->r2t_ttag,
						   slot->r2t_off, datal, datal == left);
	slot->pdu_datao = slot->r2t_off;
	slot->pdu_datal = datal;
	slot_ddgst(c, slot);
	return 1;
}

static void
tx_enqueue(struct tcp_conn *c, struct tcp_slot *slot)
{
	if (slot->tx_queued) {
		return;
	}
	slot->tx_queued = 1;
	slot->tx_next = NULL;
	if (c->tx_tail) {
		c->tx_tail->tx_next = slot;
	} else {
		c->tx_head = slot;
	}
	c->tx_tail = slot;
}

/* The head's current PDU is on the wire: account it, build the next or dequeue the slot */
static void
tx_pdu_sent(struct tcp_conn *c, struct tcp_slot *slot)
{
	c->tx_sent = 0;
	slot->hdr_len = 0;
	if (slot->tx_capsule) {
		slot->tx_capsule = 0;
	} else {
		slot->r2t_off += slot->pdu_datal;
	}
	slot->moved += slot->pdu_datal;
	if (slot->held) {
		slot_finish(c, slot);
		return;
	}
	if (!slot_next_h2c(c, slot)) {
		tx_unlink(c, slot);
	}
}

/* Sends what the socket takes now; 0, or -errno when the connection broke */
int
tcp_conn_flush(struct tcp_conn *c)
{
	while (c->tx_head) {
		struct tcp_slot *slot = c->tx_head;
		struct iovec iov[TCP_IOV_MAX + 2];
		struct msghdr msg = {.msg_iov = iov};
		uint32_t skip = c->tx_sent, total;
		size_t niov = 0;
		ssize_t n;
		int nd;

		total = slot->hdr_len + slot->pdu_datal +
			(c->params.ddgst && slot->pdu_datal ? TCP_DIGEST_LEN : 0);
		if (skip < slot->hdr_len) {
			iov[niov].iov_base = slot->hdr + skip;
			iov[niov++].iov_len = slot->hdr_len - skip;
			skip = 0;
		} else {
			skip -= slot->hdr_len;
		}
		if (skip < slot->pdu_datal) {
			uint32_t want = slot->pdu_datal - skip;

			nd = slot_data_iov(slot, slot->pdu_datao + skip, want, &iov[niov],
					   TCP_IOV_MAX);
			for (int i = 0; i < nd; ++i) {
				want -= (uint32_t)iov[niov + (size_t)i].iov_len;
			}
			niov += (size_t)nd;
			skip = want ? TCP_DIGEST_LEN : 0; /* the digest only after all the data */
		} else {
			skip -= slot->pdu_datal;
		}
		if (c->params.ddgst && slot->pdu_datal && skip < TCP_DIGEST_LEN) {
			iov[niov].iov_base = slot->ddgst + skip;
			iov[niov++].iov_len = TCP_DIGEST_LEN - skip;
		}
		msg.msg_iovlen = niov;
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		}
		c->tx_sent += (uint32_t)n;
		if (c->tx_sent == total) {
			tx_pdu_sent(c, slot);
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Receiving                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/* The slot an answer names, if that command is outstanding */
static struct tcp_slot *
slot_of(struct tcp_conn *c, uint16_t cid)
{
	struct tcp_slot *slot = &c->slots[cid & (c->nslots - 1)];

	return slot->ctx && slot->cid == cid ? slot : NULL;
}

static void
slot_copy_in(struct tcp_slot *slot, uint32_t off, const uint8_t *data, uint32_t len)
{
	struct iovec piece[TCP_IOV_MAX];

	while (len) {
		int n = slot_data_iov(slot, off, len, piece, TCP_IOV_MAX);

		for (int i = 0; i < n; ++i) {
			memcpy(piece[i].iov_base, data, piece[i].iov_len);
			data += piece[i].iov_len;
			off += (uint32_t)piece[i].iov_len;
			len -= (uint32_t)piece[i].iov_len;
		}
	}
}

/* One event of the controller's: 0, or a protocol error (FES/FEI set) */
int
tcp_conn_event(struct tcp_conn *c, const struct tcp_rx_event *ev, uint16_t *fes, uint32_t *fei)
{
	struct tcp_slot *slot;

	switch (ev->kind) {
	case TCP_RX_DATA:
		slot = slot_of(c, ev->data.cccid);
		if (!slot || slot->h2c || ev->data.offset != slot->moved ||
		    ev->data.len > slot->nbytes - slot->moved) {
			*fes = slot ? TCP_FES_OUT_OF_RANGE : TCP_FES_INVALID_HEADER;
			*fei = slot ? 12 : 8; /* DATAO, CCCID */
			return -EPROTO;
		}
		slot_copy_in(slot, ev->data.offset, ev->data.data, ev->data.len);
		slot->moved += ev->data.len;
		return 0;
	case TCP_RX_DATA_END:
		slot = slot_of(c, ev->data_end.cccid);
		if (!slot) {
			*fes = TCP_FES_INVALID_HEADER;
			*fei = 8;
			return -EPROTO;
		}
		slot->failed_digest |= !ev->data_end.digest_ok;
		if (ev->data_end.success) {
			struct xnvme_spec_cpl cpl = {.cid = slot->cid, .sqid = c->qid};

			if (slot->moved != slot->nbytes) {
				*fes = TCP_FES_INVALID_HEADER;
				*fei = 1; /* FLAGS: SUCCESS before all the data */
				return -EPROTO;
			}
			slot_complete(c, slot, &cpl);
		}
		return 0;
	case TCP_RX_RESP:
		slot = slot_of(c, ev->cqe.cid);
		if (!slot) {
			*fes = TCP_FES_INVALID_HEADER;
			*fei = 8 + 12; /* the CQE's CID */
			return -EPROTO;
		}
		slot_complete(c, slot, &ev->cqe);
		return 0;
	case TCP_RX_R2T:
		slot = slot_of(c, ev->r2t.cccid);
		if (!slot || !slot->h2c || slot->tx_capsule || slot->r2t_off != slot->r2t_end) {
			*fes = slot && slot->r2t_off != slot->r2t_end ? TCP_FES_LIMIT
								      : TCP_FES_INVALID_HEADER;
			*fei = 8;
			return -EPROTO;
		}
		if (ev->r2t.r2to != slot->moved || ev->r2t.r2tl > slot->nbytes - slot->moved) {
			*fes = TCP_FES_OUT_OF_RANGE;
			*fei = 12; /* R2TO */
			return -EPROTO;
		}
		slot->r2t_ttag = ev->r2t.ttag;
		slot->r2t_off = ev->r2t.r2to;
		slot->r2t_end = ev->r2t.r2to + ev->r2t.r2tl;
		if (!slot->tx_queued) {
			slot_next_h2c(c, slot);
			tx_enqueue(c, slot);
		}
		return 0;
	case TCP_RX_TERM:
		return -ECONNRESET;
	default:
		*fes = TCP_FES_SEQUENCE;
		*fei = 0;
		return -EPROTO;
	}
}

/*
 * Parses what rbuf holds, until the machine has no event left: one without bytes too (the end
 * of a C2HData payload without a data digest comes from a call after its last byte). 0 or the
 * error that failed the connection.
 */
/* ---------------------------------------------------------------------------------------- */
/* Submitting                                                                                */
/* ---------------------------------------------------------------------------------------- */

/* The data direction of @p opc (its two low bits, NVMe 2.0 opcode layout): 1 to the controller */
static int
opc_h2c(uint8_t opc, size_t dnbytes, int *h2c)
{
	switch (opc & 3) {
	case 1:
		*h2c = 1;
		return 0;
	case 2:
		*h2c = 0;
		return 0;
	case 0:
		*h2c = 0;
		return dnbytes ? -EINVAL : 0;
	default:
		/* Bidirectional: only the Fabrics commands (Connect's data goes out) */
		*h2c = 1;
		return opc == 0x7F ? 0 : -ENOTSUP;
	}
}

static void
sgl_set(struct xnvme_spec_cmd *cmd, uint8_t type, uint32_t len)
{
	uint8_t *d = (uint8_t *)&cmd->common.dptr;

	memset(d, 0, 16);
	memcpy(d + 8, &len, sizeof(len));
	d[15] = type;
	cmd->common.psdt = XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS;
	cmd->common.mptr = 0;
}

int
tcp_conn_submit(struct tcp_conn *c, uint32_t idx, struct xnvme_cmd_ctx *ctx,
		const struct iovec *dvec, size_t dcnt, size_t dnbytes)
{
	struct tcp_slot *slot = &c->slots[idx & (c->nslots - 1)];
	struct xnvme_spec_cmd cmd = ctx->cmd;
	int h2c, err;

	if (c->err) {
		return -ENOTCONN;
	}
	if (slot->ctx) {
		return -EBUSY;
	}
	if (dnbytes > c->max_xfer || dnbytes > UINT32_MAX) {
		return -EINVAL;
	}
	err = opc_h2c(cmd.common.opcode, dnbytes, &h2c);
	if (err) {
		return err;
	}
	if (dcnt == 1 || !dnbytes) {
		slot->vec_one = dnbytes ? dvec[0] : (struct iovec){0};
		slot->vec = &slot->vec_one;
		slot->cnt = dnbytes ? 1 : 0;
	} else {
		/* The caller's vector need not outlive the submit */
		slot->vec_copy = malloc(dcnt * sizeof(*dvec));
		if (!slot->vec_copy) {
			return -ENOMEM;
		}
		memcpy(slot->vec_copy, dvec, dcnt * sizeof(*dvec));
		slot->vec = slot->vec_copy;
		slot->cnt = dcnt;
	}
	slot->cid = (uint16_t)((((uint32_t)slot->cid >> c->slot_bits) + 1) << c->slot_bits |
			       (idx & (c->nslots - 1)));
	cmd.common.cid = slot->cid;
	slot->h2c = (uint8_t)(h2c && dnbytes);
	slot->nbytes = (uint32_t)dnbytes;
	slot->moved = 0;
	slot->failed_digest = 0;
	slot->held = 0;
	slot->incapsule = slot->h2c && dnbytes <= c->incapsule_max ? (uint32_t)dnbytes : 0;
	slot->r2t_off = slot->r2t_end = 0;
	sgl_set(&cmd, slot->incapsule ? SGL_INCAPSULE : SGL_TRANSPORT, (uint32_t)dnbytes);
	slot->hdr_len = (uint32_t)tcp_pdu_capsule_cmd(slot->hdr, &c->params, &cmd, slot->incapsule);
	slot->pdu_datao = 0;
	slot->pdu_datal = slot->incapsule;
	slot_ddgst(c, slot);
	slot->tx_capsule = 1;
	slot->start_ns = xnvme_timer_now_ns();
	slot->ctx = ctx;
	c->noutstanding++;
	tx_enqueue(c, slot);
	err = tcp_conn_flush(c);
	if (err) {
		tcp_conn_fail(c, err);
	}
	return 0;
}
