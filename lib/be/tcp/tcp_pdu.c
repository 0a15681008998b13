/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * NVMe/TCP PDUs (see tcp_pdu.h): the host's builders and the receive state machine.
 *
 * Field offsets are those of the NVM Express TCP Transport Specification 1.0, section 3.6.2
 * (PDU formats). The receive machine gathers a header into rx->hdr (the common header first, to
 * learn the PDU's length), checks it whole, then walks the pad, the payload and the data digest
 * of a C2HData PDU straight out of the caller's buffer: payload bytes are never copied here.
 *
 * One call gives at most one event. A call with no bytes left is still useful: after the last
 * piece of a payload without data digest, TCP_RX_DATA_END comes from the next call even when it
 * has no bytes, so a connection calls until the event is TCP_RX_NONE, not until its bytes are
 * gone.
 */
#include <errno.h>
#include <string.h>
#include <xnvme_crc.h>
#include "tcp_pdu.h"

enum tcp_rx_state {
	RX_HDR = 0,  ///< Gathering the common header, then the rest of the header and its digest
	RX_PAD,      ///< Skipping the bytes between the header (digest) and PDO
	RX_DATA,     ///< Handing out payload pieces
	RX_DDGST,    ///< Gathering the data digest
	RX_DATA_END, ///< The payload (and digest) are in: TCP_RX_DATA_END is next
};

/* Common header and PDU-specific field offsets (TCP transport 1.0, 3.6.2) */
#define CH_TYPE  0
#define CH_FLAGS 1
#define CH_HLEN  2
#define CH_PDO   3
#define CH_PLEN  4

#define ICREQ_PFV    8
#define ICREQ_HPDA   10 ///< CPDA in ICResp
#define ICREQ_DGST   11
#define ICREQ_MAXR2T 12 ///< MAXH2CDATA in ICResp

#define DGST_HDGST_ENABLE 0x01
#define DGST_DDGST_ENABLE 0x02

#define DATA_CCCID 8
#define DATA_TTAG  10 ///< H2CData and R2T; reserved in C2HData
#define DATA_DATAO 12 ///< R2TO in R2T
#define DATA_DATAL 16 ///< R2TL in R2T

#define TERM_FES 8
#define TERM_FEI 10 ///< Four bytes at an offset that is not a multiple of four

#define CAPSULE_SQE 8
#define RESP_CQE    8

#define MAXH2CDATA_MIN 4096

static uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put_ch(uint8_t *pdu, uint8_t type, uint8_t flags, uint8_t hlen, uint8_t pdo, uint32_t plen)
{
	pdu[CH_TYPE] = type;
	pdu[CH_FLAGS] = flags;
	pdu[CH_HLEN] = hlen;
	pdu[CH_PDO] = pdo;
	tcp_put_le32(pdu + CH_PLEN, plen);
}

uint32_t
tcp_pdu_ddgst(uint32_t crc, const void *buf, size_t len)
{
	return xnvme_crc32c(crc, buf, len);
}

void
tcp_pdu_icreq(uint8_t pdu[TCP_ICREQ_LEN], uint8_t hpda, int hdgst, int ddgst, uint32_t maxr2t)
{
	memset(pdu, 0, TCP_ICREQ_LEN);
	put_ch(pdu, TCP_PDU_ICREQ, 0, TCP_ICREQ_LEN, 0, TCP_ICREQ_LEN);
	tcp_put_le16(pdu + ICREQ_PFV, 0);
	pdu[ICREQ_HPDA] = hpda > TCP_HPDA_MAX ? TCP_HPDA_MAX : hpda;
	pdu[ICREQ_DGST] =
	    (uint8_t)((hdgst ? DGST_HDGST_ENABLE : 0) | (ddgst ? DGST_DDGST_ENABLE : 0));
	tcp_put_le32(pdu + ICREQ_MAXR2T, maxr2t);
}

/*
 * The header part every H2C PDU with optional data shares: CH, digest, pad to PDO. The
 * PDU-specific fields (from byte 8 to @p hlen) are already in @p hdr. Returns the header part's
 * length, or 0 when the PDU's length would not fit PLEN's 32 bits.
 */
static size_t
h2c_finish(uint8_t hdr[TCP_HDR_MAX], const struct tcp_params *p, uint8_t type, uint8_t flags,
	   uint8_t hlen, uint32_t datal)
{
	uint32_t hd = p->hdgst ? TCP_DIGEST_LEN : 0;
	uint32_t dd = p->ddgst && datal ? TCP_DIGEST_LEN : 0;
	uint32_t cpda = p->cpda > TCP_HPDA_MAX ? TCP_HPDA_MAX : p->cpda;
	uint32_t align = (cpda + 1) * 4;
	uint32_t end = hlen + hd;
	uint32_t pdo = datal ? (end + align - 1) / align * align : 0;
	uint64_t plen = (uint64_t)(datal ? pdo : end) + datal + dd;

	if (plen > UINT32_MAX) {
		return 0;
	}
	flags |= (uint8_t)((hd ? TCP_FLAG_HDGSTF : 0) | (dd ? TCP_FLAG_DDGSTF : 0));
	put_ch(hdr, type, flags, hlen, (uint8_t)pdo, (uint32_t)plen);
	if (hd) {
		tcp_put_le32(hdr + hlen, xnvme_crc32c(0, hdr, hlen));
	}
	if (pdo > end) {
		// The pad is reserved: zeroes, so that the same command gives the same bytes
		memset(hdr + end, 0, pdo - end);
	}
	return datal ? pdo : end;
}

size_t
tcp_pdu_capsule_cmd(uint8_t hdr[TCP_HDR_MAX], const struct tcp_params *p, const void *sqe,
		    uint32_t incapsule)
{
	memcpy(hdr + CAPSULE_SQE, sqe, TCP_CAPSULE_CMD_HLEN - CAPSULE_SQE);
	return h2c_finish(hdr, p, TCP_PDU_CAPSULE_CMD, 0, TCP_CAPSULE_CMD_HLEN, incapsule);
}

size_t
tcp_pdu_h2c_data(uint8_t hdr[TCP_HDR_MAX], const struct tcp_params *p, uint16_t cccid,
		 uint16_t ttag, uint32_t datao, uint32_t datal, int last)
{
	memset(hdr, 0, TCP_DATA_HLEN);
	tcp_put_le16(hdr + DATA_CCCID, cccid);
	tcp_put_le16(hdr + DATA_TTAG, ttag);
	tcp_put_le32(hdr + DATA_DATAO, datao);
	tcp_put_le32(hdr + DATA_DATAL, datal);
	return h2c_finish(hdr, p, TCP_PDU_H2C_DATA, last ? TCP_FLAG_LAST : 0, TCP_DATA_HLEN, datal);
}

size_t
tcp_pdu_h2c_termreq(uint8_t *pdu, uint16_t fes, uint32_t fei, const void *bad, size_t bad_len)
{
	size_t n = bad ? (bad_len < TCP_TERMREQ_MAX_DATA ? bad_len : TCP_TERMREQ_MAX_DATA) : 0;

	memset(pdu, 0, TCP_TERMREQ_HLEN);
	// No digests on a TermReq (3.6.2.4): the peer may not have agreed to any
	put_ch(pdu, TCP_PDU_H2C_TERMREQ, 0, TCP_TERMREQ_HLEN, 0, (uint32_t)(TCP_TERMREQ_HLEN + n));
	tcp_put_le16(pdu + TERM_FES, fes);
	tcp_put_le32(pdu + TERM_FEI, fei);
	if (n) {
		memcpy(pdu + TCP_TERMREQ_HLEN, bad, n);
	}
	return TCP_TERMREQ_HLEN + n;
}

void
tcp_rx_init(struct tcp_rx *rx, const struct tcp_params *params)
{
	memset(rx, 0, sizeof(*rx));
	rx->params = params;
	rx->state = RX_HDR;
}

/*
 * Ends the connection's receive side. Once dead the PDU counters mean nothing, so skip and
 * data_off keep the reason for the calls that follow.
 */
static int
rx_fail(struct tcp_rx *rx, uint16_t fes, uint32_t fei, uint16_t *fes_out, uint32_t *fei_out)
{
	rx->dead = 1;
	rx->skip = fes;
	rx->data_off = fei;
	*fes_out = fes;
	*fei_out = fei;
	return -EPROTO;
}

#define RX_FAIL(fes, fei) rx_fail(rx, (fes), (fei), fes_out, fei_out)

static void
rx_next_pdu(struct tcp_rx *rx)
{
	rx->have = 0;
	rx->need = 0;
	rx->state = RX_HDR;
}

/*
 * The common header, before the rest of the header is gathered: the type is one the host
 * receives in this state, and HLEN, PDO, PLEN and the flags fit it. Sets rx->need.
 */
static int
rx_check_ch(struct tcp_rx *rx, uint16_t *fes_out, uint32_t *fei_out)
{
	const struct tcp_params *p = rx->params;
	uint8_t type = rx->hdr[CH_TYPE];
	uint8_t flags = rx->hdr[CH_FLAGS];
	uint8_t hlen = rx->hdr[CH_HLEN];
	uint32_t pdo = rx->hdr[CH_PDO];
	uint32_t plen = get_le32(rx->hdr + CH_PLEN);
	uint32_t hd, dd;

	switch (type) {
	case TCP_PDU_ICRESP:
		if (p) {
			return RX_FAIL(TCP_FES_SEQUENCE, 0);
		}
		if (hlen != TCP_ICREQ_LEN) {
			return RX_FAIL(TCP_FES_INVALID_HEADER, CH_HLEN);
		}
		if (plen != TCP_ICREQ_LEN) {
			return RX_FAIL(TCP_FES_INVALID_HEADER, CH_PLEN);
		}
		rx->need = TCP_ICREQ_LEN;
		return 0;

	case TCP_PDU_C2H_TERMREQ:
		// Taken before the ICResp too: a controller refuses an ICReq with a C2HTermReq
		// (3.6.2.3). Its flags and PDO are not checked: refusing the PDU that ends the
		// connection would only lose the reason.
		if (hlen != TCP_TERMREQ_HLEN) {
			return RX_FAIL(TCP_FES_INVALID_HEADER, CH_HLEN);
		}
		if (plen < TCP_TERMREQ_HLEN || plen > TCP_TERMREQ_HLEN + TCP_TERMREQ_MAX_DATA) {
			return RX_FAIL(TCP_FES_INVALID_HEADER, CH_PLEN);
		}
		rx->need = TCP_TERMREQ_HLEN;
		return 0;

	case TCP_PDU_CAPSULE_RESP:
	case TCP_PDU_R2T:
	case TCP_PDU_C2H_DATA:
		break;

	default: // Unknown, or one the host sends
		return RX_FAIL(TCP_FES_INVALID_HEADER, CH_TYPE);
	}

	if (!p) {
		return RX_FAIL(TCP_FES_SEQUENCE, 0);
	}
	hd = p->hdgst ? TCP_DIGEST_LEN : 0;
	dd = p->ddgst ? TCP_DIGEST_LEN : 0;
	if (!!(flags & TCP_FLAG_HDGSTF) != !!hd) {
		return RX_FAIL(TCP_FES_INVALID_HEADER, CH_FLAGS);
	}
	if (type != TCP_PDU_C2H_DATA) {
		// No data, so no data digest; PDO is reserved
		if (flags & TCP_FLAG_DDGSTF) {
			return RX_FAIL(TCP_FES_INVALID_HEADER, CH_FLAGS);
		}
		if (hlen != (type == TCP_PDU_R2T ? TCP_DATA_HLEN : TCP_CAPSULE_RESP_HLEN)) {
			return RX_FAIL(TCP_FES_INVALID_HEADER, CH_HLEN);
		}
		if (plen != hlen + hd) {
			return RX_FAIL(TCP_FES_INVALID_HEADER, CH_PLEN);
		}
		rx->need = hlen + hd;
		return 0;
	}

	if (!!(flags & TCP_FLAG_DDGSTF) != !!dd ||
	    ((flags & TCP_FLAG_SUCCESS) && !(flags & TCP_FLAG_LAST))) {
		return RX_FAIL(TCP_FES_INVALID_HEADER, CH_FLAGS);
	}
	if (hlen != TCP_DATA_HLEN) {
		return RX_FAIL(TCP_FES_INVALID_HEADER, CH_HLEN);
	}
	if (pdo < hlen + hd || pdo > plen || pdo % ((p->hpda + 1u) * 4u)) {
		return RX_FAIL(TCP_FES_INVALID_HEADER, CH_PDO);
	}
	// At least one data byte; PLEN against DATAL once the header is in
	if ((uint64_t)plen < (uint64_t)pdo + 1 + dd) {
		return RX_FAIL(TCP_FES_INVALID_HEADER, CH_PLEN);
	}
	rx->need = hlen + hd;
	return 0;
}

static int
rx_take_icresp(struct tcp_rx *rx, struct tcp_rx_event *ev, uint16_t *fes_out, uint32_t *fei_out)
{
	uint16_t pfv = get_le16(rx->hdr + ICREQ_PFV);
	uint8_t cpda = rx->hdr[ICREQ_HPDA];
	uint32_t maxh2cdata = get_le32(rx->hdr + ICREQ_MAXR2T);

	if (pfv != 0) {
		return RX_FAIL(TCP_FES_UNSUPPORTED, ICREQ_PFV);
	}
	if (cpda > TCP_HPDA_MAX) {
		return RX_FAIL(TCP_FES_UNSUPPORTED, ICREQ_HPDA);
	}
	if (maxh2cdata < MAXH2CDATA_MIN || maxh2cdata % 4) {
		return RX_FAIL(TCP_FES_INVALID_HEADER, ICREQ_MAXR2T);
	}
	ev->kind = TCP_RX_ICRESP;
	ev->icresp.pfv = pfv;
	ev->icresp.cpda = cpda;
	ev->icresp.hdgst = rx->hdr[ICREQ_DGST] & DGST_HDGST_ENABLE ? 1 : 0;
	ev->icresp.ddgst = rx->hdr[ICREQ_DGST] & DGST_DDGST_ENABLE ? 1 : 0;
	ev->icresp.maxh2cdata = maxh2cdata;
	return 0;
}

/* A C2HData header: its payload's length and place; the state moves on to the pad */
static int
rx_take_c2h_data(struct tcp_rx *rx, uint16_t *fes_out, uint32_t *fei_out)
{
	const struct tcp_params *p = rx->params;
	uint32_t hd = p->hdgst ? TCP_DIGEST_LEN : 0;
	uint32_t dd = p->ddgst ? TCP_DIGEST_LEN : 0;
	uint32_t pdo = rx->hdr[CH_PDO];
	uint32_t plen = get_le32(rx->hdr + CH_PLEN);
	uint32_t datao = get_le32(rx->hdr + DATA_DATAO);
	uint32_t datal = get_le32(rx->hdr + DATA_DATAL);

	if (!datal) {
		return RX_FAIL(TCP_FES_INVALID_HEADER, DATA_DATAL);
	}
	if (datal > p->max_data) {
		return RX_FAIL(TCP_FES_OUT_OF_RANGE, DATA_DATAL);
	}
	if ((uint64_t)datao + datal > UINT32_MAX) {
		return RX_FAIL(TCP_FES_OUT_OF_RANGE, DATA_DATAO);
	}
	if ((uint64_t)plen != (uint64_t)pdo + datal + dd) {
		return RX_FAIL(TCP_FES_INVALID_HEADER, CH_PLEN);
	}
	rx->skip = pdo - (TCP_DATA_HLEN + hd);
	rx->data_left = datal;
	rx->data_off = datao;
	rx->ddgst_have = 0;
	rx->crc = 0;
	rx->state = RX_PAD;
	return 0;
}

/* The whole header is in rx->hdr: its digest and fields; an event, or on to the payload */
static int
rx_take_header(struct tcp_rx *rx, struct tcp_rx_event *ev, uint16_t *fes_out, uint32_t *fei_out)
{
	uint8_t type = rx->hdr[CH_TYPE];
	uint32_t hlen = rx->hdr[CH_HLEN];
	int err;

	if (rx->need > hlen && get_le32(rx->hdr + hlen) != xnvme_crc32c(0, rx->hdr, hlen)) {
		return RX_FAIL(TCP_FES_HDGST, 0);
	}

	switch (type) {
	case TCP_PDU_ICRESP:
		err = rx_take_icresp(rx, ev, fes_out, fei_out);
		if (!err) {
			rx_next_pdu(rx);
		}
		return err;

	case TCP_PDU_C2H_TERMREQ:
		ev->kind = TCP_RX_TERM;
		ev->term.fes = get_le16(rx->hdr + TERM_FES);
		ev->term.fei = get_le32(rx->hdr + TERM_FEI);
		// The controller closes the connection: nothing after it is a PDU
		rx->dead = 1;
		rx->skip = TCP_FES_SEQUENCE;
		rx->data_off = 0;
		return 0;

	case TCP_PDU_CAPSULE_RESP:
		ev->kind = TCP_RX_RESP;
		memcpy(&ev->cqe, rx->hdr + RESP_CQE, sizeof(ev->cqe));
		rx_next_pdu(rx);
		return 0;

	case TCP_PDU_R2T:
		ev->r2t.cccid = get_le16(rx->hdr + DATA_CCCID);
		ev->r2t.ttag = get_le16(rx->hdr + DATA_TTAG);
		ev->r2t.r2to = get_le32(rx->hdr + DATA_DATAO);
		ev->r2t.r2tl = get_le32(rx->hdr + DATA_DATAL);
		if (!ev->r2t.r2tl) {
			return RX_FAIL(TCP_FES_INVALID_HEADER, DATA_DATAL);
		}
		if ((uint64_t)ev->r2t.r2to + ev->r2t.r2tl > UINT32_MAX) {
			return RX_FAIL(TCP_FES_OUT_OF_RANGE, DATA_DATAO);
		}
		ev->kind = TCP_RX_R2T;
		rx_next_pdu(rx);
		return 0;

	default: // C2HData: rx_check_ch() let no other type through
		return rx_take_c2h_data(rx, fes_out, fei_out);
	}
}

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int
tcp_rx_feed(struct tcp_rx *rx, const uint8_t *buf, size_t len, size_t *used,
	    struct tcp_rx_event *ev, uint16_t *fes_out, uint32_t *fei_out)
{
	size_t pos = 0;
	int err;

	if (!rx || !used || !ev || !fes_out || !fei_out || (!buf && len)) {
		return -EINVAL;
	}
	if (!buf) {
		// No bytes, and no arithmetic on a null pointer below
		static const uint8_t nothing;

		buf = &nothing;
	}
	*used = 0;
	memset(ev, 0, sizeof(*ev));
	ev->kind = TCP_RX_NONE;
	if (rx->dead) {
		*fes_out = (uint16_t)rx->skip;
		*fei_out = rx->data_off;
		return -EPROTO;
	}

	// Each pass takes bytes, moves the state on, or returns: no pass repeats itself
	for (;;) {
		switch (rx->state) {
		case RX_HDR: {
			uint32_t want = rx->need ? rx->need : TCP_CH_LEN;
			size_t take = min_size(want - rx->have, len - pos);

			memcpy(rx->hdr + rx->have, buf + pos, take);
			rx->have += (uint32_t)take;
			pos += take;
			if (rx->have < want) {
				goto out;
			}
			err = rx->need ? rx_take_header(rx, ev, fes_out, fei_out)
				       : rx_check_ch(rx, fes_out, fei_out);
			if (err) {
				memset(ev, 0, sizeof(*ev));
				*used = pos;
				return err;
			}
			if (ev->kind != TCP_RX_NONE) {
				goto out;
			}
			break;
		}

		case RX_PAD: {
			size_t take = min_size(rx->skip, len - pos);

			rx->skip -= (uint32_t)take;
			pos += take;
			if (rx->skip) {
				goto out;
			}
			rx->state = RX_DATA;
			break;
		}

		case RX_DATA: {
			size_t take = min_size(rx->data_left, len - pos);

			if (!take) {
				goto out;
			}
			ev->kind = TCP_RX_DATA;
			ev->data.cccid = get_le16(rx->hdr + DATA_CCCID);
			ev->data.offset = rx->data_off;
			ev->data.data = buf + pos;
			ev->data.len = (uint32_t)take;
			if (rx->params->ddgst) {
				rx->crc = xnvme_crc32c(rx->crc, buf + pos, take);
			}
			rx->data_left -= (uint32_t)take;
			rx->data_off += (uint32_t)take;
			pos += take;
			if (!rx->data_left) {
				rx->state = rx->params->ddgst ? RX_DDGST : RX_DATA_END;
			}
			goto out;
		}

		case RX_DDGST: {
			size_t take = min_size(TCP_DIGEST_LEN - rx->ddgst_have, len - pos);

			memcpy(rx->ddgst + rx->ddgst_have, buf + pos, take);
			rx->ddgst_have += (uint32_t)take;
			pos += take;
			if (rx->ddgst_have < TCP_DIGEST_LEN) {
				goto out;
			}
			rx->state = RX_DATA_END;
			break;
		}

		case RX_DATA_END: {
			uint8_t flags = rx->hdr[CH_FLAGS];

			ev->kind = TCP_RX_DATA_END;
			ev->data_end.cccid = get_le16(rx->hdr + DATA_CCCID);
			ev->data_end.datao = get_le32(rx->hdr + DATA_DATAO);
			ev->data_end.datal = get_le32(rx->hdr + DATA_DATAL);
			ev->data_end.last = flags & TCP_FLAG_LAST ? 1 : 0;
			ev->data_end.success = flags & TCP_FLAG_SUCCESS ? 1 : 0;
			ev->data_end.digest_ok =
			    !rx->params->ddgst || get_le32(rx->ddgst) == rx->crc ? 1 : 0;
			rx_next_pdu(rx);
			goto out;
		}

		default: // Only a caller writing into the opaque state gets here
			*used = pos;
			return RX_FAIL(TCP_FES_SEQUENCE, 0);
		}
	}
out:
	*used = pos;
	return 0;
}
