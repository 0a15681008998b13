/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every header the host must refuse (tcp_pdu.h, tcp_rx_feed): each built valid, then broken in
 * one field (its header digest recomputed, so that only the field is wrong), fed every way, and
 * refused with -EPROTO, the FES and the FEI (the byte offset of the field, 3.6.2.3) written out
 * here. A valid PDU before the broken one must still give its event.
 */
#include <errno.h>
#include <string.h>
#include "tcp_pdu.h"
#include "tcp_pdu_check.h"

/* FES values (TCP transport 1.0, C2HTermReq/H2CTermReq) */
#define FES_HDR  1
#define FES_SEQ  2
#define FES_HDG  3
#define FES_OOR  4
#define FES_UNSP 6

static struct stream g_s;
static struct rx_log g_log;

static void
expect(const char *name, const struct tcp_params *p, int taken, const char *before, uint16_t fes,
       uint32_t fei)
{
	run_all_ways(p, taken, &g_s, &g_log);
	if (g_log.err != -EPROTO || g_log.fes != fes || g_log.fei != fei ||
	    strcmp(g_log.text, before)) {
		fprintf(stderr,
			"FAIL refusal '%s': err %d fes %u fei %u after '%s'; want fes %u fei %u"
			" after '%s'\n",
			name, g_log.err, g_log.fes, g_log.fei, g_log.text, fes, fei, before);
		g_failed++;
	}
}

/* A header-only PDU of @p type with its fields zero but HLEN and PLEN right for a data PDU */
static uint8_t *
put_raw(const struct tcp_params *p, uint8_t type)
{
	uint32_t hd = p->hdgst ? 4 : 0;
	uint8_t *pdu = put_ch(&g_s, type, hd ? 1 : 0, 24, 0, 24 + hd);

	if (hd) {
		put_hdgst(pdu);
	}
	g_s.n += 24 + hd;
	return pdu;
}

static void
refuse_types(const struct tcp_params *p)
{
	// Unknown types and the ones the host sends, after the ICResp: FEI 0 (PDU-Type)
	static const uint8_t bad[] = {0x00, 0x02, 0x04, 0x06, 0x08, 0x0A, 0x7F, 0xFF};

	for (size_t i = 0; i < sizeof(bad); ++i) {
		g_s.n = 0;
		put_resp(&g_s, p, 1);
		put_raw(p, bad[i]);
		expect("type", p, 1, "resp cid=1 c0c1c8cacf;", FES_HDR, 0);
	}
}

static void
refuse_icresp(const struct tcp_params *p)
{
	uint8_t *pdu;

	// Before the ICResp: anything else is out of sequence
	g_s.n = 0;
	put_resp(&g_s, p, 1);
	expect("resp before icresp", p, 0, "", FES_SEQ, 0);
	g_s.n = 0;
	put_c2h(&g_s, p, 1, 0, 8, 0x04);
	expect("c2h before icresp", p, 0, "", FES_SEQ, 0);

	// A second ICResp
	g_s.n = 0;
	put_icresp(&g_s, 0, 0, 0, 4096);
	put_icresp(&g_s, 0, 0, 0, 4096);
	expect("second icresp", p, 0, "icresp pfv=0 cpda=0 h=0 d=0 max=4096;", FES_SEQ, 0);

	g_s.n = 0;
	pdu = put_icresp(&g_s, 0, 0, 0, 4096);
	pdu[2] = 127;
	expect("icresp hlen", p, 0, "", FES_HDR, 2);
	g_s.n = 0;
	pdu = put_icresp(&g_s, 0, 0, 0, 4096);
	w32(pdu + 4, 132);
	expect("icresp plen", p, 0, "", FES_HDR, 4);
	g_s.n = 0;
	put_icresp(&g_s, 1, 0, 0, 4096);
	expect("icresp pfv", p, 0, "", FES_UNSP, 8);
	g_s.n = 0;
	put_icresp(&g_s, 0, 32, 0, 4096);
	expect("icresp cpda", p, 0, "", FES_UNSP, 10);
	g_s.n = 0;
	put_icresp(&g_s, 0, 0, 0, 4092);
	expect("icresp maxh2cdata small", p, 0, "", FES_HDR, 12);
	g_s.n = 0;
	put_icresp(&g_s, 0, 0, 0, 4098);
	expect("icresp maxh2cdata unaligned", p, 0, "", FES_HDR, 12);
}

static void
refuse_resp_r2t(const struct tcp_params *p)
{
	uint8_t *pdu;

	g_s.n = 0;
	pdu = put_resp(&g_s, p, 1);
	pdu[2] = 28;
	expect("resp hlen", p, 1, "", FES_HDR, 2);
	g_s.n = 0;
	pdu = put_resp(&g_s, p, 1);
	w32(pdu + 4, r32(pdu + 4) + 4);
	expect("resp plen", p, 1, "", FES_HDR, 4);
	g_s.n = 0;
	pdu = put_resp(&g_s, p, 1);
	pdu[1] ^= 0x01;
	expect("resp hdgstf", p, 1, "", FES_HDR, 1);
	g_s.n = 0;
	pdu = put_resp(&g_s, p, 1);
	pdu[1] |= 0x02;
	expect("resp ddgstf", p, 1, "", FES_HDR, 1);

	g_s.n = 0;
	pdu = put_r2t(&g_s, p, 1, 2, 0, 0);
	expect("r2t r2tl 0", p, 1, "", FES_HDR, 16);
	g_s.n = 0;
	pdu = put_r2t(&g_s, p, 1, 2, 0, 512);
	pdu[2] = 20;
	expect("r2t hlen", p, 1, "", FES_HDR, 2);
	g_s.n = 0;
	pdu = put_r2t(&g_s, p, 1, 2, 0xFFFFF000u, 0x2000);
	expect("r2t wraps", p, 1, "", FES_OOR, 12);

	if (p->hdgst) {
		g_s.n = 0;
		put_resp(&g_s, p, 1);
		pdu = put_resp(&g_s, p, 2);
		pdu[24] ^= 0x10;
		expect("resp hdgst", p, 1, "resp cid=1 c0c1c8cacf;", FES_HDG, 0);
		g_s.n = 0;
		pdu = put_r2t(&g_s, p, 1, 2, 0, 512);
		pdu[12] ^= 0x01; // a field, not the digest
		expect("r2t hdgst", p, 1, "", FES_HDG, 0);
	}
}

/* A C2HData PDU with one field changed after it was built, its header digest redone */
static uint8_t *
c2h_then(const struct tcp_params *p, uint32_t datal, uint8_t flags)
{
	g_s.n = 0;
	return put_c2h(&g_s, p, 1, 0, datal, flags);
}

static void
refuse_c2h(const struct tcp_params *p)
{
	uint32_t hd = p->hdgst ? 4 : 0, dd = p->ddgst ? 4 : 0;
	uint8_t *pdu;

	pdu = c2h_then(p, 8, 0x04);
	pdu[1] ^= 0x02;
	expect("c2h ddgstf", p, 1, "", FES_HDR, 1);
	pdu = c2h_then(p, 8, 0x04);
	pdu[1] ^= 0x01;
	expect("c2h hdgstf", p, 1, "", FES_HDR, 1);
	c2h_then(p, 8, 0x08);
	expect("c2h success without last", p, 1, "", FES_HDR, 1);
	pdu = c2h_then(p, 8, 0x04);
	pdu[2] = 28;
	expect("c2h hlen", p, 1, "", FES_HDR, 2);
	pdu = c2h_then(p, 8, 0x04);
	pdu[3] = (uint8_t)(20 + hd);
	expect("c2h pdo inside header", p, 1, "", FES_HDR, 3);
	pdu = c2h_then(p, 8, 0x04);
	w32(pdu + 4, pdu[3] - 4u);
	expect("c2h pdo past plen", p, 1, "", FES_HDR, 3);
	if (p->hpda) {
		pdu = c2h_then(p, 8, 0x04);
		pdu[3] = (uint8_t)(pdu[3] + 4);
		expect("c2h pdo unaligned", p, 1, "", FES_HDR, 3);
	}
	pdu = c2h_then(p, 8, 0x04);
	w32(pdu + 4, r32(pdu + 4) + 1);
	if (hd) {
		put_hdgst(pdu);
	}
	expect("c2h plen over datal", p, 1, "", FES_HDR, 4);
	pdu = c2h_then(p, 8, 0x04);
	w32(pdu + 4, pdu[3] + dd); // no room for a data byte
	expect("c2h plen without data", p, 1, "", FES_HDR, 4);

	// Fields checked once the header is in: digest redone so that only the field is wrong
	pdu = c2h_then(p, 8, 0x04);
	w32(pdu + 16, 0);
	if (hd) {
		put_hdgst(pdu);
	}
	expect("c2h datal 0", p, 1, "", FES_HDR, 16);
	pdu = c2h_then(p, p->max_data + 4, 0x04);
	expect("c2h over max_data", p, 1, "", FES_OOR, 16);
	pdu = c2h_then(p, 8, 0x04);
	w32(pdu + 12, 0xFFFFFFFCu);
	if (hd) {
		put_hdgst(pdu);
	}
	expect("c2h datao wraps", p, 1, "", FES_OOR, 12);
	if (hd) {
		pdu = c2h_then(p, 8, 0x04);
		pdu[16] ^= 0x01;
		expect("c2h hdgst", p, 1, "", FES_HDG, 0);
	}
}

static void
refuse_termreq(const struct tcp_params *p)
{
	uint8_t *pdu;

	g_s.n = 0;
	pdu = put_termreq(&g_s, 1, 0, 8);
	w32(pdu + 4, 23);
	expect("termreq plen short", p, 1, "", FES_HDR, 4);
	g_s.n = 0;
	pdu = put_termreq(&g_s, 1, 0, 128);
	w32(pdu + 4, 153);
	expect("termreq plen long", p, 1, "", FES_HDR, 4);
	g_s.n = 0;
	pdu = put_termreq(&g_s, 1, 0, 8);
	pdu[2] = 28;
	expect("termreq hlen", p, 1, "", FES_HDR, 2);

	// Taken before the ICResp: a controller refuses an ICReq that way; the longest is fine
	g_s.n = 0;
	put_termreq(&g_s, 6, 10, 128);
	run_all_ways(p, 0, &g_s, &g_log);
	CHECK_EQ(g_log.err, 0);
	CHECK(!strcmp(g_log.text, "term fes=6 fei=10;"));
}

void
test_rx_refusals(void)
{
	static const uint8_t hpdas[] = {0, 3};

	for (int dg = 0; dg < 4; ++dg) {
		for (size_t h = 0; h < sizeof(hpdas); ++h) {
			struct tcp_params p = {
			    .hdgst = dg & 1, .ddgst = dg >> 1, .hpda = hpdas[h], .max_data = 1024};

			refuse_types(&p);
			refuse_icresp(&p);
			refuse_resp_r2t(&p);
			refuse_c2h(&p);
			refuse_termreq(&p);
		}
	}
}
