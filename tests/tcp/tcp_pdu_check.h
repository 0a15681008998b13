/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the PDU layer's tests share: checks that count failures, little-endian fields written and
 * read here rather than by the code under test, and a CRC32C of their own.
 */
#ifndef __TEST_TCP_PDU_CHECK_H
#define __TEST_TCP_PDU_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include "tcp_pdu.h"

extern int g_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);            \
			g_failed++;                                                                \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);     \
		if (a_ != b_) {                                                                    \
			fprintf(stderr, "FAIL %s:%d: %s == %s: 0x%llx != 0x%llx\n", __FILE__,      \
				__LINE__, #a, #b, a_, b_);                                         \
			g_failed++;                                                                \
		}                                                                                  \
	} while (0)

/* CRC-32C one bit at a time (reflected polynomial 0x82F63B78, init and xorout ~0) */
static inline uint32_t
crc32c_bitwise(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = ~0u;

	for (size_t i = 0; i < len; ++i) {
		crc ^= p[i];
		for (int bit = 0; bit < 8; ++bit) {
			crc = crc & 1 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
		}
	}
	return ~crc;
}

static inline void
w16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
w32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t
r32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define STREAM_MAX 8192

/* A stream of controller PDUs, built with the put_*() of test_tcp_pdu_rx.c */
struct stream {
	uint8_t b[STREAM_MAX];
	size_t n;
};

/* What a feed of a stream gave: the events but the data pieces as text, the data assembled */
struct rx_log {
	char text[2048];
	size_t tlen;
	uint8_t data[STREAM_MAX];
	size_t dlen;
	size_t ndata; ///< DATA events
	int err;
	uint16_t fes;
	uint32_t fei;
	uint32_t piece_next; ///< The offset the next piece of the current PDU must have
	int in_pdu;
};

uint8_t *put_ch(struct stream *s, uint8_t type, uint8_t flags, uint8_t hlen, uint8_t pdo,
		uint32_t plen);
void put_hdgst(uint8_t *pdu);
uint8_t *put_icresp(struct stream *s, uint16_t pfv, uint8_t cpda, uint8_t dgst,
		    uint32_t maxh2cdata);
uint8_t *put_resp(struct stream *s, const struct tcp_params *p, uint16_t cid);
uint8_t *put_r2t(struct stream *s, const struct tcp_params *p, uint16_t cccid, uint16_t ttag,
		 uint32_t r2to, uint32_t r2tl);
uint8_t *put_c2h(struct stream *s, const struct tcp_params *p, uint16_t cccid, uint32_t datao,
		 uint32_t datal, uint8_t flags);
uint8_t *put_termreq(struct stream *s, uint16_t fes, uint32_t fei, uint32_t extra);
void run_all_ways(const struct tcp_params *p, int taken, const struct stream *s,
		  struct rx_log *whole);

void test_rx(void);
void test_rx_refusals(void);

#endif
