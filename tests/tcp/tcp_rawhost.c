// SPDX-License-Identifier: BSD-3-Clause
/*
 * The raw NVMe/TCP host of the target's tests (tcp_rawhost.h). Field offsets are the transport
 * specification's: CH is type, flags, HLEN, PDO, PLEN (bytes 0, 1, 2, 3, 4-7); ICReq PFV at
 * 8, HPDA 10, DGST 11, MAXR2T 12; H2CData/C2HData/R2T CCCID at 8, TTAG 10, DATAO/R2TO 12,
 * DATAL/R2TL 16.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "tcp_rawhost.h"

uint16_t
rh_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t
rh_get32(const uint8_t *p)
{
	return (uint32_t)rh_get16(p) | (uint32_t)rh_get16(p + 2) << 16;
}

uint64_t
rh_get64(const uint8_t *p)
{
	return (uint64_t)rh_get32(p) | (uint64_t)rh_get32(p + 4) << 32;
}

void
rh_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void
rh_put32(uint8_t *p, uint32_t v)
{
	rh_put16(p, (uint16_t)v);
	rh_put16(p + 2, (uint16_t)(v >> 16));
}

/* Bit by bit, reflected polynomial 0x82F63B78: slow and obviously the Castagnoli CRC */
static uint32_t
rh_crc32c_bits(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xFFFFFFFF;

	for (size_t i = 0; i < len; ++i) {
		crc ^= p[i];
		for (int b = 0; b < 8; ++b) {
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
		}
	}
	return ~crc;
}

uint32_t
rh_crc32c(const void *buf, size_t len)
{
	if (rh_crc32c_bits("123456789", 9) != 0xE3069283) {
		fprintf(stderr, "rawhost: CRC32C fails its check value\n");
		abort();
	}
	return rh_crc32c_bits(buf, len);
}

int
rh_open(struct rh *h, uint16_t port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	int one = 1;

	memset(h, 0, sizeof(*h));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (h->fd < 0 || connect(h->fd, (struct sockaddr *)&sin, sizeof(sin))) {
		return -1;
	}
	setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

void
rh_close(struct rh *h)
{
	if (h->fd >= 0) {
		close(h->fd);
	}
	h->fd = -1;
}

uint8_t
rh_pdu_free(struct rh_pdu *p)
{
	uint8_t type = p->type;

	free(p->data);
	p->data = NULL;
	return type;
}

int
rh_send(struct rh *h, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(h->fd, p, len, MSG_NOSIGNAL);

		if (n <= 0) {
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
rh_read(struct rh *h, void *buf, size_t len, int timeout_ms)
{
	uint8_t *p = buf;

	while (len) {
		struct pollfd pfd = {.fd = h->fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) <= 0) {
			return -1;
		}
		n = recv(h->fd, p, len, 0);
		if (n <= 0) {
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
rh_eof(struct rh *h, int timeout_ms)
{
	uint8_t junk[4096];

	for (;;) {
		struct pollfd pfd = {.fd = h->fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) <= 0) {
			return 0;
		}
		n = recv(h->fd, junk, sizeof(junk), 0);
		if (n <= 0) {
			return 1;
		}
	}
}

int
rh_ic(struct rh *h, int hdgst, int ddgst, uint8_t hpda, uint32_t maxr2t, uint8_t *resp)
{
	uint8_t req[128];

	memset(req, 0, sizeof(req));
	req[0] = 0x00; /* ICReq */
	req[2] = 128;
	rh_put32(req + 4, 128);
	req[10] = hpda;
	req[11] = (uint8_t)((hdgst ? 1 : 0) | (ddgst ? 2 : 0));
	rh_put32(req + 12, maxr2t);
	if (rh_send(h, req, sizeof(req)) || rh_read(h, resp, 128, RH_TIMEOUT_MS)) {
		return -1;
	}
	if (resp[0] != 0x01 || resp[2] != 128 || rh_get32(resp + 4) != 128) {
		return -1;
	}
	h->hpda = hpda;
	h->cpda = resp[10];
	h->hdgst = resp[11] & 1;
	h->ddgst = !!(resp[11] & 2);
	h->maxh2cdata = rh_get32(resp + 12);
	return 0;
}

int
rh_send_pdu(struct rh *h, uint8_t *hdr, uint8_t hlen, const void *data, uint32_t dlen)
{
	uint32_t hd = h->hdgst ? 4 : 0, dd = h->ddgst && dlen ? 4 : 0;
	uint32_t align = (h->cpda + 1u) * 4, pdo = 0, plen;
	uint8_t head[512], dg[4];

	if (dlen) {
		pdo = (hlen + hd + align - 1) / align * align;
	}
	plen = dlen ? pdo + dlen + dd : hlen + hd;
	hdr[1] |= (uint8_t)((hd ? 0x01 : 0) | (dd ? 0x02 : 0));
	hdr[2] = hlen;
	hdr[3] = (uint8_t)pdo;
	rh_put32(hdr + 4, plen);
	memset(head, 0, sizeof(head));
	memcpy(head, hdr, hlen);
	if (hd) {
		rh_put32(head + hlen, rh_crc32c(hdr, hlen));
	}
	if (rh_send(h, head, dlen ? pdo : hlen + hd) || (dlen && rh_send(h, data, dlen))) {
		return -1;
	}
	if (dd) {
		rh_put32(dg, rh_crc32c(data, dlen));
		return rh_send(h, dg, 4);
	}
	return 0;
}

int
rh_recv(struct rh *h, struct rh_pdu *p, int timeout_ms)
{
	uint32_t hd, dd, rest;
	uint8_t tail[512];

	memset(p, 0, sizeof(*p));
	p->hdgst_ok = p->ddgst_ok = 1;
	if (rh_read(h, p->hdr, 8, timeout_ms)) {
		return -1;
	}
	p->type = p->hdr[0];
	p->flags = p->hdr[1];
	p->hlen = p->hdr[2];
	p->pdo = p->hdr[3];
	p->plen = rh_get32(p->hdr + 4);
	if (p->hlen < 8 || p->plen < p->hlen || p->plen > (1u << 24)) {
		return -1;
	}
	if (rh_read(h, p->hdr + 8, p->hlen - 8u, timeout_ms)) {
		return -1;
	}
	hd = (p->flags & 0x01) ? 4 : 0;
	if (p->type == 0x01 || p->type == 0x03) {
		hd = 0;
	}
	if (hd) {
		if (rh_read(h, tail, 4, timeout_ms)) {
			return -1;
		}
		p->hdgst_ok = rh_get32(tail) == rh_crc32c(p->hdr, p->hlen);
	}
	rest = p->plen - p->hlen - hd;
	if (!rest) {
		return 0;
	}
	if (p->type == 0x03) { /* a TermReq's data follows its header unaligned */
		p->dlen = rest;
		p->data = malloc(rest);
		return p->data ? rh_read(h, p->data, rest, timeout_ms) : -1;
	}
	dd = (p->flags & 0x02) ? 4 : 0;
	if (p->pdo < p->hlen + hd || p->plen < p->pdo + dd ||
	    rh_read(h, tail, p->pdo - p->hlen - hd, timeout_ms)) {
		return -1;
	}
	p->dlen = p->plen - p->pdo - dd;
	p->data = malloc(p->dlen + 1);
	if (!p->data || rh_read(h, p->data, p->dlen, timeout_ms)) {
		return -1;
	}
	if (dd) {
		if (rh_read(h, tail, 4, timeout_ms)) {
			return -1;
		}
		p->ddgst_ok = rh_get32(tail) == rh_crc32c(p->data, p->dlen);
	}
	return 0;
}

void
rh_sgl_incapsule(struct xnvme_spec_cmd *sqe, uint32_t len)
{
	uint8_t *b = (uint8_t *)sqe;

	b[1] = (uint8_t)((b[1] & 0x3F) | 0x40); /* PSDT 01b */
	memset(b + 24, 0, 16);
	rh_put32(b + 32, len);
	b[39] = 0x01; /* Data Block descriptor, subtype Offset; address 0 */
}

void
rh_sgl_transport(struct xnvme_spec_cmd *sqe, uint32_t len)
{
	uint8_t *b = (uint8_t *)sqe;

	b[1] = (uint8_t)((b[1] & 0x3F) | 0x40);
	memset(b + 24, 0, 16);
	rh_put32(b + 32, len);
	b[39] = 0x5A; /* Transport Data Block, subtype Transport Specific */
}

int
rh_capsule(struct rh *h, const void *sqe, const void *icd, uint32_t icdlen)
{
	uint8_t hdr[72];

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = 0x04;
	memcpy(hdr + 8, sqe, 64);
	return rh_send_pdu(h, hdr, 72, icd, icdlen);
}

int
rh_h2c(struct rh *h, uint16_t cccid, uint16_t ttag, uint32_t datao, const void *data,
       uint32_t datal, int last)
{
	uint8_t hdr[24];

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = 0x06;
	hdr[1] = last ? 0x04 : 0; /* LAST_PDU */
	rh_put16(hdr + 8, cccid);
	rh_put16(hdr + 10, ttag);
	rh_put32(hdr + 12, datao);
	rh_put32(hdr + 16, datal);
	return rh_send_pdu(h, hdr, 24, data, datal);
}

/* Answers an R2T with H2CData PDUs of at most MAXH2CDATA from @p wbuf */
static int
rh_answer_r2t(struct rh *h, const struct rh_pdu *r2t, const uint8_t *wbuf, uint32_t wlen)
{
	uint16_t cccid = rh_get16(r2t->hdr + 8), ttag = rh_get16(r2t->hdr + 10);
	uint32_t r2to = rh_get32(r2t->hdr + 12), r2tl = rh_get32(r2t->hdr + 16);

	if (r2t->hlen != 24 || !r2tl || r2to > wlen || r2tl > wlen - r2to) {
		return -1;
	}
	for (uint32_t off = 0; off < r2tl;) {
		uint32_t n = r2tl - off < h->maxh2cdata ? r2tl - off : h->maxh2cdata;

		if (rh_h2c(h, cccid, ttag, r2to + off, wbuf + r2to + off, n, off + n == r2tl)) {
			return -1;
		}
		h->n_h2c++;
		off += n;
	}
	return 0;
}

int
rh_cmd(struct rh *h, struct xnvme_spec_cmd *sqe, const void *icd, uint32_t icdlen, const void *wbuf,
       uint32_t wlen, void *rbuf, uint32_t rlen, struct xnvme_spec_cpl *cpl)
{
	uint16_t cid = sqe->common.cid;

	h->n_r2t = h->n_c2h = h->n_h2c = 0;
	if (rh_capsule(h, sqe, icd, icdlen)) {
		return -1;
	}
	for (;;) {
		struct rh_pdu p;
		int bad = 0;

		if (rh_recv(h, &p, RH_TIMEOUT_MS) || !p.hdgst_ok || !p.ddgst_ok) {
			rh_pdu_free(&p);
			return -1;
		}
		switch (p.type) {
		case 0x05: /* CapsuleResp */
			memcpy(cpl, p.hdr + 8, 16);
			rh_pdu_free(&p);
			return p.hlen == 24 && cpl->cid == cid ? 0 : -1;
		case 0x07: { /* C2HData */
			uint32_t datao = rh_get32(p.hdr + 12), datal = rh_get32(p.hdr + 16);

			bad = rh_get16(p.hdr + 8) != cid || datal != p.dlen || datao > rlen ||
			      datal > rlen - datao;
			if (!bad) {
				memcpy((uint8_t *)rbuf + datao, p.data, datal);
				h->n_c2h++;
			}
			if (!bad && (p.flags & 0x08)) { /* SUCCESS: no CapsuleResp follows */
				memset(cpl, 0, sizeof(*cpl));
				cpl->cid = cid;
				rh_pdu_free(&p);
				return 0;
			}
			break;
		}
		case 0x09: /* R2T */
			h->n_r2t++;
			bad = rh_get16(p.hdr + 8) != cid || rh_answer_r2t(h, &p, wbuf, wlen);
			break;
		default:
			bad = 1;
		}
		rh_pdu_free(&p);
		if (bad) {
			return -1;
		}
	}
}

int
rh_connect(struct rh *h, uint16_t qid, uint16_t sqsize, uint16_t cntlid, const char *subnqn,
	   const char *hostnqn, uint32_t kato, struct xnvme_spec_cpl *cpl)
{
	struct xnvme_spec_cmd sqe;
	uint8_t *b = (uint8_t *)&sqe, data[1024];

	memset(&sqe, 0, sizeof(sqe));
	memset(data, 0, sizeof(data));
	b[0] = 0x7F;
	b[4] = 0x01;
	sqe.common.cid = h->cid++;
	rh_put16(b + 42, qid);
	rh_put16(b + 44, sqsize);
	rh_put32(b + 48, kato);
	rh_sgl_incapsule(&sqe, sizeof(data));
	memset(data, 0x11, 16); /* HOSTID */
	rh_put16(data + 16, cntlid);
	snprintf((char *)data + 256, 256, "%s", subnqn);
	snprintf((char *)data + 512, 256, "%s", hostnqn);
	return rh_cmd(h, &sqe, data, sizeof(data), NULL, 0, NULL, 0, cpl);
}

static int
rh_prop(struct rh *h, uint8_t fctype, uint32_t ofst, int size8, uint64_t val,
	struct xnvme_spec_cpl *cpl)
{
	struct xnvme_spec_cmd sqe;
	uint8_t *b = (uint8_t *)&sqe;

	memset(&sqe, 0, sizeof(sqe));
	b[0] = 0x7F;
	b[4] = fctype;
	sqe.common.cid = h->cid++;
	b[40] = size8 ? 1 : 0;
	rh_put32(b + 44, ofst);
	rh_put32(b + 48, (uint32_t)val);
	rh_put32(b + 52, (uint32_t)(val >> 32));
	return rh_cmd(h, &sqe, NULL, 0, NULL, 0, NULL, 0, cpl);
}

int
rh_prop_get(struct rh *h, uint32_t ofst, int size8, struct xnvme_spec_cpl *cpl)
{
	return rh_prop(h, 0x04, ofst, size8, 0, cpl);
}

int
rh_prop_set(struct rh *h, uint32_t ofst, uint64_t val, struct xnvme_spec_cpl *cpl)
{
	return rh_prop(h, 0x00, ofst, 0, val, cpl);
}

int
rh_admin_up(struct rh *h, uint16_t port, const char *subnqn, int hdgst, int ddgst, uint16_t *cntlid)
{
	struct xnvme_spec_cpl cpl;
	uint8_t resp[128];

	if (rh_open(h, port) || rh_ic(h, hdgst, ddgst, 0, 0, resp) ||
	    rh_connect(h, 0, 31, 0xFFFF, subnqn, RH_HOSTNQN, 0, &cpl) || cpl.status.val) {
		return -1;
	}
	*cntlid = (uint16_t)cpl.cdw0;
	if (rh_prop_set(h, 0x14, 1, &cpl) || cpl.status.val || rh_prop_get(h, 0x1C, 0, &cpl) ||
	    cpl.status.val || !(cpl.cdw0 & 1)) {
		return -1;
	}
	return 0;
}

int
rh_io_up(struct rh *h, uint16_t port, const char *subnqn, uint16_t cntlid, uint16_t qid, int hdgst,
	 int ddgst)
{
	struct xnvme_spec_cpl cpl;
	uint8_t resp[128];

	if (rh_open(h, port) || rh_ic(h, hdgst, ddgst, 0, 0, resp) ||
	    rh_connect(h, qid, 31, cntlid, subnqn, RH_HOSTNQN, 0, &cpl) || cpl.status.val) {
		return -1;
	}
	return cpl.cdw0 == cntlid && cpl.sqid == qid ? 0 : -1;
}

void
rh_sqe_rw(struct rh *h, struct xnvme_spec_cmd *sqe, uint8_t opc, uint64_t slba, uint32_t nlb)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->common.opcode = opc;
	sqe->common.cid = h->cid++;
	sqe->common.nsid = 1;
	sqe->cdw[10] = (uint32_t)slba;
	sqe->cdw[11] = (uint32_t)(slba >> 32);
	sqe->cdw[12] = nlb - 1;
}
