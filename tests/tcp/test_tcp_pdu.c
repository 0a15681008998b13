/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NVMe/TCP PDU layer (lib/be/tcp/tcp_pdu.c) against the NVM Express TCP Transport
 * Specification 1.0, 3.6.2: every host PDU byte by byte, with the offsets written out here (not
 * taken from the code); the controller's PDUs built here, fed whole, byte by byte and split at
 * every offset, and every header the host must refuse with its FES and FEI.
 *
 * The digests are checked against a bit-at-a-time CRC32C of this file's own, itself checked
 * against the catalogue's check value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tcp_pdu.h"
#include "tcp_pdu_check.h"

int g_failed;

static void
test_crc(void)
{
	const char *check = "123456789";

	CHECK_EQ(crc32c_bitwise(check, 9), 0xE3069283u);
	CHECK_EQ(tcp_pdu_ddgst(0, check, 9), 0xE3069283u);
	CHECK_EQ(tcp_pdu_ddgst(tcp_pdu_ddgst(0, check, 4), check + 4, 5), 0xE3069283u);
	CHECK_EQ(tcp_pdu_ddgst(0, NULL, 0), 0);
}

static void
test_icreq(void)
{
	uint8_t pdu[TCP_ICREQ_LEN];
	uint8_t want[128] = {
	    0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00,  // CH
	    0x00, 0x00, 0x05, 0x03, 0x07, 0x01, 0x00, 0x00}; // PFV HPDA DGST MAXR2T

	memset(pdu, 0xAA, sizeof(pdu));
	tcp_pdu_icreq(pdu, 5, 1, 1, 0x107);
	CHECK(!memcmp(pdu, want, sizeof(want)));

	tcp_pdu_icreq(pdu, 0, 0, 1, 0);
	CHECK_EQ(pdu[10], 0);
	CHECK_EQ(pdu[11], 0x02);
	tcp_pdu_icreq(pdu, 31, 1, 0, 0);
	CHECK_EQ(pdu[10], 31);
	CHECK_EQ(pdu[11], 0x01);
}

static void
fill_sqe(uint8_t sqe[64])
{
	for (int i = 0; i < 64; ++i) {
		sqe[i] = (uint8_t)(0x40 + i);
	}
}

static void
test_capsule_cmd(void)
{
	struct tcp_params p = {0};
	uint8_t hdr[TCP_HDR_MAX], sqe[64];
	size_t n;

	fill_sqe(sqe);

	// No digests, no data: CH, SQE, PDO 0, PLEN 72
	memset(hdr, 0xAA, sizeof(hdr));
	n = tcp_pdu_capsule_cmd(hdr, &p, sqe, 0);
	CHECK_EQ(n, 72);
	CHECK(!memcmp(hdr, (uint8_t[]){0x04, 0x00, 72, 0x00, 72, 0, 0, 0}, 8));
	CHECK(!memcmp(hdr + 8, sqe, 64));

	// Header digest, no data: digest of bytes 0..71 at 72, PLEN 76, PDO 0
	p.hdgst = 1;
	p.ddgst = 1;
	n = tcp_pdu_capsule_cmd(hdr, &p, sqe, 0);
	CHECK_EQ(n, 76);
	CHECK(!memcmp(hdr, (uint8_t[]){0x04, 0x01, 72, 0x00, 76, 0, 0, 0}, 8));
	CHECK_EQ(r32(hdr + 72), crc32c_bitwise(hdr, 72));

	// Both digests, 512 bytes in capsule, CPDA 0: data at 76, PLEN 76 + 512 + 4
	n = tcp_pdu_capsule_cmd(hdr, &p, sqe, 512);
	CHECK_EQ(n, 76);
	CHECK(!memcmp(hdr, (uint8_t[]){0x04, 0x03, 72, 76, 0x50, 0x02, 0, 0}, 8));
	CHECK_EQ(r32(hdr + 72), crc32c_bitwise(hdr, 72));

	// CPDA 3: data at a multiple of 16, so 80; the pad 76..79 zero
	p.cpda = 3;
	memset(hdr, 0xAA, sizeof(hdr));
	n = tcp_pdu_capsule_cmd(hdr, &p, sqe, 512);
	CHECK_EQ(n, 80);
	CHECK(!memcmp(hdr, (uint8_t[]){0x04, 0x03, 72, 80, 0x54, 0x02, 0, 0}, 8));
	CHECK_EQ(r32(hdr + 72), crc32c_bitwise(hdr, 72));
	CHECK(!memcmp(hdr + 76, (uint8_t[]){0, 0, 0, 0}, 4));

	// CPDA 3 without digests: data at 80 too (72 is not a multiple of 16), PLEN 80 + 512
	p.hdgst = 0;
	p.ddgst = 0;
	memset(hdr, 0xAA, sizeof(hdr));
	n = tcp_pdu_capsule_cmd(hdr, &p, sqe, 512);
	CHECK_EQ(n, 80);
	CHECK(!memcmp(hdr, (uint8_t[]){0x04, 0x00, 72, 80, 0x50, 0x02, 0, 0}, 8));
	CHECK(!memcmp(hdr + 72, (uint8_t[8]){0}, 8));

	// CPDA 31: data at 128
	p.cpda = 31;
	p.hdgst = 1;
	n = tcp_pdu_capsule_cmd(hdr, &p, sqe, 4);
	CHECK_EQ(n, 128);
	CHECK_EQ(hdr[3], 128);
	CHECK_EQ(r32(hdr + 4), 132);

	// A length that PLEN cannot hold is refused
	CHECK_EQ(tcp_pdu_capsule_cmd(hdr, &p, sqe, UINT32_MAX - 64), 0);
}

static void
test_h2c_data(void)
{
	struct tcp_params p = {0};
	uint8_t hdr[TCP_HDR_MAX];
	uint8_t want[24] = {0x06, 0x04, 24,   24,   0x18, 0x02, 0, 0, // CH: LAST, PLEN 24 + 512
			    0x34, 0x12, 0xEF, 0xBE,                   // CCCID, TTAG
			    0x00, 0x10, 0x00, 0x00,                   // DATAO 0x1000
			    0x00, 0x02, 0x00, 0x00,                   // DATAL 512
			    0,    0,    0,    0};
	size_t n;

	memset(hdr, 0xAA, sizeof(hdr));
	n = tcp_pdu_h2c_data(hdr, &p, 0x1234, 0xBEEF, 0x1000, 512, 1);
	CHECK_EQ(n, 24);
	CHECK(!memcmp(hdr, want, 24));

	// Digests, not last, CPDA 0: data at 28, PLEN 28 + 512 + 4
	p.hdgst = 1;
	p.ddgst = 1;
	n = tcp_pdu_h2c_data(hdr, &p, 0x1234, 0xBEEF, 0x1000, 512, 0);
	CHECK_EQ(n, 28);
	CHECK(!memcmp(hdr, (uint8_t[]){0x06, 0x03, 24, 28, 0x20, 0x02, 0, 0}, 8));
	CHECK(!memcmp(hdr + 8, want + 8, 16));
	CHECK_EQ(r32(hdr + 24), crc32c_bitwise(hdr, 24));

	// CPDA 3: data at 32, pad 28..31 zero
	p.cpda = 3;
	memset(hdr, 0xAA, sizeof(hdr));
	n = tcp_pdu_h2c_data(hdr, &p, 1, 2, 0, 512, 1);
	CHECK_EQ(n, 32);
	CHECK(!memcmp(hdr, (uint8_t[]){0x06, 0x07, 24, 32, 0x24, 0x02, 0, 0}, 8));
	CHECK(!memcmp(hdr + 28, (uint8_t[4]){0}, 4));
}

static void
test_h2c_termreq(void)
{
	uint8_t pdu[TCP_TERMREQ_HLEN + TCP_TERMREQ_MAX_DATA + 8], bad[200];
	size_t n;

	for (int i = 0; i < 200; ++i) {
		bad[i] = (uint8_t)i;
	}
	memset(pdu, 0xAA, sizeof(pdu));
	n = tcp_pdu_h2c_termreq(pdu, 0x0003, 0x01020304, bad, sizeof(bad));
	CHECK_EQ(n, 152);
	CHECK(!memcmp(pdu, (uint8_t[]){0x02, 0x00, 24, 0x00, 152, 0, 0, 0, 0x03, 0x00, 0x04, 0x03,
				       0x02, 0x01, 0,  0,    0,   0, 0, 0, 0,    0,    0,    0},
		      24));
	CHECK(!memcmp(pdu + 24, bad, 128));
	CHECK_EQ(pdu[152], 0xAA);

	n = tcp_pdu_h2c_termreq(pdu, 1, 2, NULL, 0);
	CHECK_EQ(n, 24);
	CHECK_EQ(pdu[4], 24);
	n = tcp_pdu_h2c_termreq(pdu, 1, 2, bad, 10);
	CHECK_EQ(n, 34);
	CHECK_EQ(pdu[4], 34);
}

int
main(void)
{
	test_crc();
	test_icreq();
	test_capsule_cmd();
	test_h2c_data();
	test_h2c_termreq();
	test_rx();
	if (g_failed) {
		fprintf(stderr, "%d checks failed\n", g_failed);
		return 1;
	}
	printf("tcp_pdu: all checks passed\n");
	return 0;
}
