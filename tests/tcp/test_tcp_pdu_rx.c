/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receive state machine (tcp_rx_feed): controller PDUs built here from the specification's
 * offsets (TCP transport 1.0, 3.6.2), fed whole, byte by byte, in 7-byte pieces and split at
 * every offset; each must give the same events, and each refused header the same FES and FEI.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "tcp_pdu.h"
#include "tcp_pdu_check.h"

uint8_t *
put_ch(struct stream *s, uint8_t type, uint8_t flags, uint8_t hlen, uint8_t pdo, uint32_t plen)
{
	uint8_t *pdu = s->b + s->n;

	memset(pdu, 0, plen < 256 ? plen : 256);
	pdu[0] = type;
	pdu[1] = flags;
	pdu[2] = hlen;
	pdu[3] = pdo;
	w32(pdu + 4, plen);
	return pdu;
}

void
put_hdgst(uint8_t *pdu)
{
	w32(pdu + pdu[2], crc32c_bitwise(pdu, pdu[2]));
}

uint8_t *
put_icresp(struct stream *s, uint16_t pfv, uint8_t cpda, uint8_t dgst, uint32_t maxh2cdata)
{
	uint8_t *pdu = put_ch(s, 0x01, 0, 128, 0, 128);

	w16(pdu + 8, pfv);
	pdu[10] = cpda;
	pdu[11] = dgst;
	w32(pdu + 12, maxh2cdata);
	s->n += 128;
	return pdu;
}

uint8_t *
put_resp(struct stream *s, const struct tcp_params *p, uint16_t cid)
{
	uint32_t hd = p->hdgst ? 4 : 0;
	uint8_t *pdu = put_ch(s, 0x05, p->hdgst ? 0x01 : 0, 24, 0, 24 + hd);

	for (int i = 0; i < 16; ++i) {
		pdu[8 + i] = (uint8_t)(0xC0 + i);
	}
	w16(pdu + 8 + 12, cid); // CQE dword 3: CID, then status
	if (hd) {
		put_hdgst(pdu);
	}
	s->n += 24 + hd;
	return pdu;
}

uint8_t *
put_r2t(struct stream *s, const struct tcp_params *p, uint16_t cccid, uint16_t ttag, uint32_t r2to,
	uint32_t r2tl)
{
	uint32_t hd = p->hdgst ? 4 : 0;
	uint8_t *pdu = put_ch(s, 0x09, p->hdgst ? 0x01 : 0, 24, 0, 24 + hd);

	w16(pdu + 8, cccid);
	w16(pdu + 10, ttag);
	w32(pdu + 12, r2to);
	w32(pdu + 16, r2tl);
	if (hd) {
		put_hdgst(pdu);
	}
	s->n += 24 + hd;
	return pdu;
}

static uint8_t
payload_byte(uint16_t cccid, uint32_t off)
{
	return (uint8_t)(off * 7 + cccid);
}

/* A C2HData PDU at the first PDO the host's HPDA allows; flags beyond the digests as given */
uint8_t *
put_c2h(struct stream *s, const struct tcp_params *p, uint16_t cccid, uint32_t datao,
	uint32_t datal, uint8_t flags)
{
	uint32_t hd = p->hdgst ? 4 : 0, dd = p->ddgst ? 4 : 0;
	uint32_t align = (p->hpda + 1u) * 4u;
	uint32_t pdo = (24 + hd + align - 1) / align * align;
	uint8_t *pdu;

	flags |= (uint8_t)((hd ? 0x01 : 0) | (dd ? 0x02 : 0));
	pdu = put_ch(s, 0x07, flags, 24, (uint8_t)pdo, pdo + datal + dd);
	w16(pdu + 8, cccid);
	w32(pdu + 12, datao);
	w32(pdu + 16, datal);
	if (hd) {
		put_hdgst(pdu);
	}
	for (uint32_t i = 0; i < datal; ++i) {
		pdu[pdo + i] = payload_byte(cccid, datao + i);
	}
	if (dd) {
		w32(pdu + pdo + datal, crc32c_bitwise(pdu + pdo, datal));
	}
	s->n += pdo + datal + dd;
	return pdu;
}

uint8_t *
put_termreq(struct stream *s, uint16_t fes, uint32_t fei, uint32_t extra)
{
	uint8_t *pdu = put_ch(s, 0x03, 0, 24, 0, 24 + extra);

	w16(pdu + 8, fes);
	w32(pdu + 10, fei);
	memset(pdu + 24, 0x5A, extra);
	s->n += 24 + extra;
	return pdu;
}

__attribute__((format(printf, 2, 3))) static void
log_text(struct rx_log *log, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(log->text + log->tlen, sizeof(log->text) - log->tlen, fmt, ap);
	va_end(ap);

	if (n > 0 && log->tlen + (size_t)n < sizeof(log->text)) {
		log->tlen += (size_t)n;
	}
}

static void
log_event(struct rx_log *log, struct tcp_rx *rx, const struct tcp_params *p,
	  const struct tcp_rx_event *ev)
{
	switch (ev->kind) {
	case TCP_RX_ICRESP:
		log_text(log, "icresp pfv=%u cpda=%u h=%u d=%u max=%u;", ev->icresp.pfv,
			 ev->icresp.cpda, ev->icresp.hdgst, ev->icresp.ddgst,
			 ev->icresp.maxh2cdata);
		rx->params = p;
		break;
	case TCP_RX_RESP: {
		const uint8_t *c = (const uint8_t *)&ev->cqe;

		log_text(log, "resp cid=%u %x%x%x%x%x;", ev->cqe.cid, c[0], c[1], c[8], c[10],
			 c[15]);
		break;
	}
	case TCP_RX_R2T:
		log_text(log, "r2t c=%u t=%u o=%u l=%u;", ev->r2t.cccid, ev->r2t.ttag, ev->r2t.r2to,
			 ev->r2t.r2tl);
		break;
	case TCP_RX_DATA:
		CHECK(ev->data.len > 0);
		if (!log->in_pdu) {
			log->in_pdu = 1;
			log->piece_next = ev->data.offset;
		}
		CHECK_EQ(ev->data.offset, log->piece_next);
		log->piece_next += ev->data.len;
		for (uint32_t i = 0; i < ev->data.len && log->dlen < STREAM_MAX; ++i) {
			log->data[log->dlen++] = ev->data.data[i];
		}
		log->ndata++;
		break;
	case TCP_RX_DATA_END:
		CHECK(log->in_pdu);
		CHECK_EQ(log->piece_next, ev->data_end.datao + ev->data_end.datal);
		log->in_pdu = 0;
		log_text(log, "end c=%u o=%u l=%u last=%u succ=%u ok=%u;", ev->data_end.cccid,
			 ev->data_end.datao, ev->data_end.datal, ev->data_end.last,
			 ev->data_end.success, ev->data_end.digest_ok);
		break;
	case TCP_RX_TERM:
		log_text(log, "term fes=%u fei=%u;", ev->term.fes, ev->term.fei);
		break;
	default:
		break;
	}
}

/*
 * Feeds @p s: a first piece of @p first bytes, then pieces of @p step bytes (0: the rest at
 * once). Each piece is fed until the machine says TCP_RX_NONE, as a connection does.
 */
static void
run(const struct tcp_params *p, int taken, const struct stream *s, size_t first, size_t step,
    struct rx_log *log)
{
	struct tcp_rx rx;
	size_t a = 0;

	memset(log, 0, sizeof(*log));
	tcp_rx_init(&rx, taken ? p : NULL);
	while (a < s->n) {
		size_t len = a ? (step ? step : s->n - a) : first;
		size_t off = 0;

		if (len > s->n - a) {
			len = s->n - a;
		}
		for (int guard = 0;; ++guard) {
			struct tcp_rx_event ev;
			size_t used = 99999;
			uint16_t fes = 0;
			uint32_t fei = 0;
			int err =
			    tcp_rx_feed(&rx, s->b + a + off, len - off, &used, &ev, &fes, &fei);

			CHECK(used <= len - off);
			if (err) {
				uint16_t fes2 = 0;
				uint32_t fei2 = 0;

				log->err = err;
				log->fes = fes;
				log->fei = fei;
				// Dead: every later call refuses, with the same reason
				CHECK_EQ(tcp_rx_feed(&rx, s->b, s->n, &used, &ev, &fes2, &fei2),
					 -EPROTO);
				CHECK_EQ(fes2, fes);
				CHECK_EQ(fei2, fei);
				CHECK_EQ(used, 0);
				return;
			}
			CHECK(used > 0 || ev.kind != TCP_RX_NONE || off == len);
			if (ev.kind == TCP_RX_DATA) {
				CHECK(ev.data.data >= s->b + a + off);
				CHECK(ev.data.data + ev.data.len <= s->b + a + off + used);
			}
			off += used;
			log_event(log, &rx, p, &ev);
			if (ev.kind == TCP_RX_TERM) {
				uint16_t fes2;
				uint32_t fei2;

				CHECK_EQ(tcp_rx_feed(&rx, s->b, s->n, &used, &ev, &fes2, &fei2),
					 -EPROTO);
				return;
			}
			if (ev.kind == TCP_RX_NONE) {
				CHECK_EQ(off, len);
				break;
			}
			if (guard > 100000) {
				CHECK(!"no end to the events");
				return;
			}
		}
		a += len;
	}
}

static int
same_log(const struct rx_log *x, const struct rx_log *y)
{
	return x->tlen == y->tlen && !memcmp(x->text, y->text, x->tlen) && x->dlen == y->dlen &&
	       !memcmp(x->data, y->data, x->dlen) && x->err == y->err && x->fes == y->fes &&
	       x->fei == y->fei;
}

/* Whole, byte by byte, 7 bytes at a time, and split at every offset: all the same as whole */
void
run_all_ways(const struct tcp_params *p, int taken, const struct stream *s, struct rx_log *whole)
{
	static struct rx_log other;

	run(p, taken, s, s->n, 0, whole);
	run(p, taken, s, 1, 1, &other);
	CHECK(same_log(whole, &other));
	if (!whole->err) {
		CHECK_EQ(other.ndata, other.dlen); // one DATA event per byte
	}
	run(p, taken, s, 7, 7, &other);
	CHECK(same_log(whole, &other));
	for (size_t k = 1; k < s->n; ++k) {
		run(p, taken, s, k, 0, &other);
		if (!same_log(whole, &other)) {
			fprintf(stderr, "split at %zu: '%s' vs '%s'\n", k, other.text, whole->text);
			CHECK(same_log(whole, &other));
			break;
		}
	}
}

/* Every PDU kind, in one stream from the ICResp on, under each negotiation */
static void
test_rx_every_kind(void)
{
	static struct stream s;
	static struct rx_log log;
	static const uint8_t hpdas[] = {0, 3, 31};

	for (int dg = 0; dg < 4; ++dg) {
		for (size_t h = 0; h < sizeof(hpdas); ++h) {
			struct tcp_params p = {
			    .hdgst = dg & 1, .ddgst = dg >> 1, .hpda = hpdas[h], .max_data = 4096};
			char want[512];
			uint8_t payload[513];

			s.n = 0;
			put_icresp(&s, 0, 2, (uint8_t)dg, 8192);
			put_resp(&s, &p, 7);
			put_r2t(&s, &p, 5, 9, 4096, 8192);
			put_c2h(&s, &p, 3, 0, 300, 0);
			put_c2h(&s, &p, 3, 300, 212, 0x04 | 0x08);
			put_c2h(&s, &p, 4, 100, 1, 0x04);
			put_termreq(&s, 2, 0x01020304, 20);
			run_all_ways(&p, 0, &s, &log);

			snprintf(want, sizeof(want),
				 "icresp pfv=0 cpda=2 h=%d d=%d max=8192;resp cid=7 c0c1c8cacf;"
				 "r2t c=5 t=9 o=4096 l=8192;"
				 "end c=3 o=0 l=300 last=0 succ=0 ok=1;"
				 "end c=3 o=300 l=212 last=1 succ=1 ok=1;"
				 "end c=4 o=100 l=1 last=1 succ=0 ok=1;term fes=2 fei=16909060;",
				 dg & 1, dg >> 1);
			CHECK_EQ(log.err, 0);
			if (strcmp(log.text, want)) {
				fprintf(stderr, "got  %s\nwant %s\n", log.text, want);
				CHECK(!strcmp(log.text, want));
			}
			for (uint32_t i = 0; i < 512; ++i) {
				payload[i] = payload_byte(3, i);
			}
			payload[512] = payload_byte(4, 100);
			CHECK_EQ(log.dlen, 513);
			CHECK(!memcmp(log.data, payload, 513));
		}
	}
}

/* A data digest that does not match: reported, and the next PDU is parsed */
static void
test_rx_ddgst_mismatch(void)
{
	static struct stream s;
	static struct rx_log log;
	struct tcp_params p = {.hdgst = 1, .ddgst = 1, .max_data = 4096};
	uint8_t *pdu;

	s.n = 0;
	pdu = put_c2h(&s, &p, 3, 0, 64, 0x04);
	pdu[28 + 64] ^= 0x01;
	put_resp(&s, &p, 8);
	run_all_ways(&p, 1, &s, &log);
	CHECK_EQ(log.err, 0);
	CHECK(!strcmp(log.text, "end c=3 o=0 l=64 last=1 succ=0 ok=0;resp cid=8 c0c1c8cacf;"));

	// A payload byte changed instead of the digest: the same
	s.n = 0;
	pdu = put_c2h(&s, &p, 3, 0, 64, 0x04);
	pdu[28 + 10] ^= 0x80;
	run_all_ways(&p, 1, &s, &log);
	CHECK(!strcmp(log.text, "end c=3 o=0 l=64 last=1 succ=0 ok=0;"));
}

/* The end of a payload without a data digest comes from a call with no bytes */
static void
test_rx_data_end_without_bytes(void)
{
	static struct stream s;
	struct tcp_params p = {.max_data = 4096};
	struct tcp_rx rx;
	struct tcp_rx_event ev;
	size_t used;
	uint16_t fes;
	uint32_t fei;

	s.n = 0;
	put_c2h(&s, &p, 1, 0, 16, 0x04);
	tcp_rx_init(&rx, &p);
	CHECK_EQ(tcp_rx_feed(&rx, s.b, s.n, &used, &ev, &fes, &fei), 0);
	CHECK_EQ(ev.kind, TCP_RX_DATA);
	CHECK_EQ(used, s.n);
	CHECK_EQ(tcp_rx_feed(&rx, NULL, 0, &used, &ev, &fes, &fei), 0);
	CHECK_EQ(ev.kind, TCP_RX_DATA_END);
	CHECK_EQ(used, 0);
	CHECK_EQ(tcp_rx_feed(&rx, NULL, 0, &used, &ev, &fes, &fei), 0);
	CHECK_EQ(ev.kind, TCP_RX_NONE);
	CHECK_EQ(tcp_rx_feed(&rx, NULL, 5, &used, &ev, &fes, &fei), -EINVAL);
}

void
test_rx(void)
{
	test_rx_every_kind();
	test_rx_ddgst_mismatch();
	test_rx_data_end_without_bytes();
	test_rx_refusals();
}
