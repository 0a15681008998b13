// SPDX-License-Identifier: BSD-3-Clause
/*
 * The test target's bytes on the socket: receiving with the keep-alive and stop checks, and
 * C2H PDUs built and sent (CH, header digest, pad to the host's alignment, data, data digest),
 * with the fault hooks' deliberate mistakes.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <tcp_pdu.h>
#include <xnvme_crc.h>
#include "tcp_target_int.h"

#define TT_TICK_MS 50

/* Whether the connection is to end: the target stops, or its association ended or expired */
static int
tt_should_end(struct tt_conn *c)
{
	struct tcp_target *t = c->t;
	int end;

	pthread_mutex_lock(&t->lock);
	end = t->stopping || (c->ctrl && c->ctrl->dead);
	if (!end && c->ctrl && c->qid == 0 && c->ctrl->kato_ms &&
	    tt_ms_since(&c->ctrl->last_cmd) > c->ctrl->kato_ms) {
		/* No command within KATO: the association ends, its I/O queues with it */
		c->ctrl->dead = 1;
		t->stats.kato_expired++;
		end = 1;
	}
	pthread_mutex_unlock(&t->lock);
	return end;
}

int
tt_recv(struct tt_conn *c, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		ssize_t n;
		int rc;

		rc = poll(&pfd, 1, TT_TICK_MS);
		if (rc < 0 && errno != EINTR) {
			return -1;
		}
		if (rc <= 0) {
			if (tt_should_end(c)) {
				return -1;
			}
			continue;
		}
		n = recv(c->fd, p, len, 0);
		if (n <= 0) {
			if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
				continue;
			}
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void
tt_drain(struct tt_conn *c)
{
	uint8_t junk[4096];

	/*
	 * Closing with unread bytes would reset the connection and could discard the TermReq
	 * before the host reads it: wait (1 s at most) for the host to close first
	 */
	shutdown(c->fd, SHUT_WR);
	for (int i = 0; i < 1000 / TT_TICK_MS; ++i) {
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};

		if (poll(&pfd, 1, TT_TICK_MS) > 0 && recv(c->fd, junk, sizeof(junk), 0) <= 0) {
			return;
		}
		if (tt_should_end(c)) {
			return;
		}
	}
}

static int
tt_sendv(struct tt_conn *c, struct iovec *iov, int cnt)
{
	while (cnt) {
		struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)cnt};
		ssize_t n = sendmsg(c->fd, &msg, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -1;
		}
		while (cnt && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt) {
			iov->iov_base = (uint8_t *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

int
tt_send_pdu(struct tt_conn *c, uint8_t *hdr, uint8_t hlen, const void *data, uint32_t dlen,
	    const struct tt_mut *mut)
{
	uint8_t type = hdr[0];
	int plain = type == TCP_PDU_ICRESP || type == TCP_PDU_C2H_TERMREQ;
	uint32_t hd = (!plain && c->hdgst) ? TCP_DIGEST_LEN : 0;
	uint32_t dd = (!plain && c->ddgst && dlen) ? TCP_DIGEST_LEN : 0;
	uint32_t align = (c->hpda + 1u) * 4, pdo = 0, plen, hdgst, ddgst;
	uint8_t head[TCP_ICREQ_LEN + TCP_DIGEST_LEN + 128 + 4];
	uint8_t dbytes[TCP_DIGEST_LEN];
	struct iovec iov[3];
	int cnt = 0;

	if (dlen) {
		pdo = (hlen + hd + align - 1) / align * align;
	}
	plen = dlen ? pdo + dlen + dd : hlen + hd;
	hdr[1] = (uint8_t)(hdr[1] | (hd ? TCP_FLAG_HDGSTF : 0) | (dd ? TCP_FLAG_DDGSTF : 0));
	hdr[2] = hlen;
	hdr[3] = (uint8_t)pdo;
	tt_put32(hdr + 4, plen);
	if (mut) {
		hdr[2] = (uint8_t)(hdr[2] + mut->hlen_delta);
		tt_put32(hdr + 4, plen + (uint32_t)mut->plen_delta);
	}
	memset(head, 0, sizeof(head));
	memcpy(head, hdr, hlen);
	if (hd) {
		hdgst = xnvme_crc32c(0, hdr, hlen) ^ (mut && mut->bad_hdgst ? 0x5A5A5A5Au : 0);
		tt_put32(head + hlen, hdgst);
	}
	iov[cnt].iov_base = head;
	iov[cnt++].iov_len = dlen ? pdo : hlen + hd;
	if (dlen) {
		iov[cnt].iov_base = (void *)(uintptr_t)data;
		iov[cnt++].iov_len = dlen;
	}
	if (dd) {
		ddgst = xnvme_crc32c(0, data, dlen) ^ (mut && mut->bad_ddgst ? 0xA5A5A5A5u : 0);
		tt_put32(dbytes, ddgst);
		iov[cnt].iov_base = dbytes;
		iov[cnt++].iov_len = TCP_DIGEST_LEN;
	}
	return tt_sendv(c, iov, cnt);
}

int
tt_send_termreq(struct tt_conn *c, uint16_t fes, uint32_t fei, const void *bad, size_t bad_len)
{
	uint8_t pdu[TCP_TERMREQ_HLEN];

	memset(pdu, 0, sizeof(pdu));
	pdu[0] = TCP_PDU_C2H_TERMREQ;
	tt_put16(pdu + 8, fes);
	tt_put32(pdu + 10, fei);
	if (bad_len > TCP_TERMREQ_MAX_DATA) {
		bad_len = TCP_TERMREQ_MAX_DATA;
	}
	/* No digests on a TermReq, and its data (the offending header) needs no alignment */
	{
		uint8_t hdr[TCP_TERMREQ_HLEN + TCP_TERMREQ_MAX_DATA];
		struct iovec iov = {.iov_base = hdr, .iov_len = TCP_TERMREQ_HLEN + bad_len};

		memcpy(hdr, pdu, sizeof(pdu));
		hdr[2] = TCP_TERMREQ_HLEN;
		hdr[3] = 0;
		tt_put32(hdr + 4, (uint32_t)(TCP_TERMREQ_HLEN + bad_len));
		if (bad_len) {
			memcpy(hdr + TCP_TERMREQ_HLEN, bad, bad_len);
		}
		tt_count(c->t, &c->t->stats.termreqs);
		tt_sendv(c, &iov, 1);
		c->term_sent = 1;
	}
	return -1; /* the connection's end shuts the socket, once it has left its controller */
}

int
tt_send_resp(struct tt_conn *c, const struct xnvme_spec_cpl *cpl, const struct tt_mut *mut)
{
	uint8_t hdr[TCP_CAPSULE_RESP_HLEN];

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = TCP_PDU_CAPSULE_RESP;
	memcpy(hdr + 8, cpl, sizeof(*cpl));
	return tt_send_pdu(c, hdr, TCP_CAPSULE_RESP_HLEN, NULL, 0, mut);
}

int
tt_send_c2h(struct tt_conn *c, uint16_t cccid, uint32_t datao, const void *data, uint32_t dlen,
	    uint8_t flags, const struct tt_mut *mut)
{
	uint8_t hdr[TCP_DATA_HLEN];

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = TCP_PDU_C2H_DATA;
	hdr[1] = flags;
	tt_put16(hdr + 8, cccid);
	tt_put32(hdr + 12, datao);
	tt_put32(hdr + 16, dlen);
	return tt_send_pdu(c, hdr, TCP_DATA_HLEN, data, dlen, mut);
}

int
tt_send_r2t(struct tt_conn *c, uint16_t cccid, uint16_t ttag, uint32_t r2to, uint32_t r2tl)
{
	uint8_t hdr[TCP_DATA_HLEN];

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = TCP_PDU_R2T;
	tt_put16(hdr + 8, cccid);
	tt_put16(hdr + 10, ttag);
	tt_put32(hdr + 12, r2to);
	tt_put32(hdr + 16, r2tl);
	tt_count(c->t, &c->t->stats.r2ts);
	return tt_send_pdu(c, hdr, TCP_DATA_HLEN, NULL, 0, NULL);
}
