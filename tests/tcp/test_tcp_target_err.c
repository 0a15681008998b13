// SPDX-License-Identifier: BSD-3-Clause
/*
 * The test target against bad hosts and with its fault hooks: malformed H2C PDUs get a
 * C2HTermReq with the FES and FEI the transport specification gives, then EOF (errors); each
 * fault hook seen on the wire (faults); random PDUs never crash or hang it (garbage).
 */
#include <stdlib.h>
#include "check.h"
#include "test_tcp_target.h"

/* The next PDU is a C2HTermReq with @p fes and @p fei, and then the connection ends */
static void
expect_term(struct rh *h, uint16_t fes, uint32_t fei, const char *what)
{
	struct rh_pdu p;
	int ok = !rh_recv(h, &p, RH_TIMEOUT_MS);

	CHECK(ok && p.type == 0x03 && p.hlen == 24 && p.pdo == 0 && p.plen == 24 + p.dlen &&
		  p.dlen <= 128 && rh_get16(p.hdr + 8) == fes && rh_get32(p.hdr + 10) == fei,
	      "%s: C2HTermReq FES %u FEI %u (got type %#x FES %u FEI %u)", what, fes, fei,
	      ok ? p.type : 0xFF, ok ? rh_get16(p.hdr + 8) : 0, ok ? rh_get32(p.hdr + 10) : 0);
	CHECK(rh_eof(h, 2000), "%s: then EOF", what);
	rh_pdu_free(&p);
	rh_close(h);
}

static int
fresh(struct rh *h, uint16_t port, int hdgst)
{
	uint8_t resp[128];

	return rh_open(h, port) || rh_ic(h, hdgst, 0, 0, 0, resp);
}

/* A PDU of @p type: a 24-byte header, all zero but CH, no digest, no data */
static void
send_bare(struct rh *h, uint8_t type)
{
	uint8_t pdu[24] = {type, 0, 24};

	rh_put32(pdu + 4, 24);
	rh_send(h, pdu, sizeof(pdu));
}

/* A CapsuleCmd header (no digest) for a Keep Alive, for mangling */
static void
capsule_hdr(uint8_t hdr[72])
{
	memset(hdr, 0, 72);
	hdr[0] = 0x04;
	hdr[2] = 72;
	rh_put32(hdr + 4, 72);
	hdr[8] = 0x18;
}

/* A Keep Alive capsule with one header field wrong */
struct bad_capsule {
	int hdgst;
	uint8_t flags, hlen;
	uint32_t plen;
	uint16_t fes;
	uint32_t fei;
	const char *what;
};

static const struct bad_capsule bad_capsules[] = {
    {0, 0x00, 70, 72, 1, 2, "a CapsuleCmd with HLEN 70"},
    {0, 0x00, 72, 64, 1, 4, "PLEN 64 < HLEN"},
    {0, 0x01, 72, 72, 1, 1, "HDGSTF without header digests"},
    {1, 0x01, 72, 76, 3, 0, "a wrong header digest"},
};

int
test_errors(void)
{
	struct tcp_target *t = tt_test_start("8MiB,cpda=1,ioccsz=36,maxh2cdata=4096");
	struct tcp_target *treq = tt_test_start("8MiB,hdgst=required");
	uint16_t port = tcp_target_port(t), cntlid;
	struct tcp_target_stats st;
	struct xnvme_spec_cmd sqe;
	uint8_t hdr[128], buf[1024];
	struct rh h, a;

	CHECK(!rh_admin_up(&a, port, tcp_target_subnqn(t), 0, 0, &cntlid), "admin queue");

	fresh(&h, port, 0);
	send_bare(&h, 0x0A);
	expect_term(&h, 1, 0, "unknown PDU type 0Ah");

	rh_open(&h, port);
	capsule_hdr(hdr);
	rh_send(&h, hdr, 72);
	expect_term(&h, 2, 0, "a CapsuleCmd before ICReq");

	fresh(&h, port, 0);
	memset(hdr, 0, 128);
	hdr[2] = 128;
	rh_put32(hdr + 4, 128);
	rh_send(&h, hdr, 128);
	expect_term(&h, 2, 0, "a second ICReq");

	rh_open(&h, port);
	memset(hdr, 0, 128);
	hdr[2] = 128;
	rh_put32(hdr + 4, 128);
	rh_put16(hdr + 8, 1);
	rh_send(&h, hdr, 128);
	expect_term(&h, 6, 8, "ICReq PFV 1");

	for (size_t i = 0; i < sizeof(bad_capsules) / sizeof(bad_capsules[0]); ++i) {
		const struct bad_capsule *bc = &bad_capsules[i];

		fresh(&h, port, bc->hdgst);
		capsule_hdr(hdr);
		hdr[1] = bc->flags;
		hdr[2] = bc->hlen;
		rh_put32(hdr + 4, bc->plen);
		rh_put32(hdr + 72, 0xDEADBEEF); /* a header digest, always wrong */
		rh_send(&h, hdr, 72 + (bc->hdgst ? 4 : 0));
		expect_term(&h, bc->fes, bc->fei, bc->what);
	}

	fresh(&h, port, 0);
	capsule_hdr(hdr);
	hdr[3] = 76; /* CPDA 1: data at a multiple of 8 */
	rh_put32(hdr + 4, 76 + 512);
	rh_send(&h, hdr, 72);
	rh_send(&h, buf, 4 + 512);
	expect_term(&h, 1, 3, "PDO 76, not a multiple of 8 (CPDA 1)");

	CHECK(!rh_io_up(&h, port, tcp_target_subnqn(t), cntlid, 1, 0, 0), "I/O queue");
	rh_sqe_rw(&h, &sqe, 0x01, 0, 2);
	rh_sgl_incapsule(&sqe, 1024);
	memset(buf, 0, sizeof(buf));
	rh_capsule(&h, &sqe, buf, 1024);
	expect_term(&h, 5, 4, "1 KiB in-capsule over IOCCSZ 36 (512 bytes)");

	CHECK(!rh_io_up(&h, port, tcp_target_subnqn(t), cntlid, 1, 0, 0), "I/O queue again");
	rh_h2c(&h, 77, 0, 0, buf, 512, 1);
	expect_term(&h, 1, 8, "H2CData for a CCCID with no R2T");

	{
		struct rh_pdu r2t;

		CHECK(!rh_io_up(&h, port, tcp_target_subnqn(t), cntlid, 1, 0, 0), "I/O queue");
		rh_sqe_rw(&h, &sqe, 0x01, 0, 16);
		rh_sgl_transport(&sqe, 8192);
		rh_capsule(&h, &sqe, NULL, 0);
		CHECK(!rh_recv(&h, &r2t, RH_TIMEOUT_MS) && r2t.type == 0x09, "R2T");
		{
			static uint8_t big[8192];

			rh_h2c(&h, sqe.common.cid, rh_get16(r2t.hdr + 10), 0, big, 8192, 1);
		}
		expect_term(&h, 5, 16, "H2CData of 8 KiB over MAXH2CDATA 4096");

		CHECK(!rh_io_up(&h, port, tcp_target_subnqn(t), cntlid, 1, 0, 0), "I/O queue");
		rh_capsule(&h, &sqe, NULL, 0);
		rh_pdu_free(&r2t);
		CHECK(!rh_recv(&h, &r2t, RH_TIMEOUT_MS) && r2t.type == 0x09, "R2T");
		rh_h2c(&h, sqe.common.cid, rh_get16(r2t.hdr + 10), 4096, buf, 512, 0);
		expect_term(&h, 4, 12, "H2CData at DATAO 4096, not where the R2T's data goes on");
		rh_pdu_free(&r2t);
	}

	rh_open(&h, tcp_target_port(treq));
	{
		uint8_t resp[128];

		memset(hdr, 0, 128);
		hdr[2] = 128;
		rh_put32(hdr + 4, 128);
		rh_send(&h, hdr, 128);
		(void)resp;
	}
	expect_term(&h, 6, 11, "hdgst=required, a host not asking");

	fresh(&h, port, 0);
	send_bare(&h, 0x02);
	CHECK(rh_eof(&h, 2000), "an H2CTermReq: the target closes");
	rh_close(&h);
	tcp_target_stats(t, &st);
	CHECK(st.h2c_termreqs == 1 && st.termreqs == 13, "counted: 1 H2CTermReq, %llu C2HTermReqs",
	      (unsigned long long)st.termreqs);
	{
		struct xnvme_spec_cpl cpl;
		static uint8_t id[4096];

		CHECK(!admin_idfy(&a, 1, 0, id, &cpl) && !cpl.status.val,
		      "the admin queue lived through all of it");
	}
	rh_close(&a);
	tcp_target_free(treq);
	tcp_target_free(t);
	return g_nfail;
}

struct fault_case {
	const char *rule;
	int hdgst, ddgst;
};

/* Runs a 4 KiB read (the first I/O command) under @p fc's rule; checks what the wire shows */
static void
fault_case(const struct fault_case *fc)
{
	char spec[128];
	struct tcp_target *t;
	struct tcp_target_stats st;
	struct xnvme_spec_cmd sqe;
	struct xnvme_spec_cpl cpl;
	struct rh_pdu p;
	struct rh a, q;
	uint16_t cntlid, cid;
	static uint8_t buf[4096];
	int got;

	snprintf(spec, sizeof(spec), "8MiB,fault=%s", fc->rule);
	t = tt_test_start(spec);
	rh_admin_up(&a, tcp_target_port(t), tcp_target_subnqn(t), fc->hdgst, fc->ddgst, &cntlid);
	CHECK(!rh_io_up(&q, tcp_target_port(t), tcp_target_subnqn(t), cntlid, 1, fc->hdgst,
			fc->ddgst),
	      "%s: I/O queue", fc->rule);
	rh_sqe_rw(&q, &sqe, 0x02, 0, 8);
	rh_sgl_transport(&sqe, 4096);
	cid = sqe.common.cid;
	rh_capsule(&q, &sqe, NULL, 0);
	got = !rh_recv(&q, &p, 500);
	if (!strcmp(fc->rule, "close@1")) {
		CHECK(!got && rh_eof(&q, 1000), "close: no answer, EOF");
	} else if (!strcmp(fc->rule, "stall@1")) {
		CHECK(!got, "stall: no answer in 500 ms");
		rh_sqe_rw(&q, &sqe, 0x02, 0, 8);
		rh_sgl_transport(&sqe, 4096);
		CHECK(!rh_cmd(&q, &sqe, NULL, 0, NULL, 0, buf, 4096, &cpl) && !cpl.status.val,
		      "stall: the next command answered");
	} else if (!strcmp(fc->rule, "badhlen@1")) {
		/* The PDU does not parse (PDO 24 < HLEN 28): its CH was read all the same */
		CHECK(p.type == 0x07 && p.hlen == 28 && p.pdo == 24, "badhlen: C2HData HLEN %u",
		      p.hlen);
	} else if (!strcmp(fc->rule, "badplen@1")) {
		CHECK(got && p.type == 0x07 && p.plen == 24 + 4096 + 4 &&
			  rh_get32(p.hdr + 16) == 4096,
		      "badplen: PLEN %u for DATAL 4096 at PDO 24", p.plen);
	} else if (!strcmp(fc->rule, "badtype@1")) {
		CHECK(got && p.type == 0x0F, "badtype: a PDU of type %#x", p.type);
	} else if (!strcmp(fc->rule, "baddatal@1")) {
		CHECK(got && p.type == 0x07 && rh_get16(p.hdr + 8) == cid &&
			  rh_get32(p.hdr + 12) + rh_get32(p.hdr + 16) > 4096,
		      "baddatal: C2HData DATAO %u DATAL %u past 4096", rh_get32(p.hdr + 12),
		      rh_get32(p.hdr + 16));
	} else if (!strcmp(fc->rule, "badcccid@1")) {
		CHECK(got && p.type == 0x07 && rh_get16(p.hdr + 8) == (cid ^ 0x8000),
		      "badcccid: C2HData for CCCID %#x (the command's %#x)", rh_get16(p.hdr + 8),
		      cid);
	} else if (!strcmp(fc->rule, "termreq@1")) {
		CHECK(got && p.type == 0x03 && rh_get16(p.hdr + 8) == 1 && rh_eof(&q, 1000),
		      "termreq: C2HTermReq FES 1, then EOF");
	} else if (!strcmp(fc->rule, "badhdgst@1")) {
		CHECK(got && p.type == 0x07 && !p.hdgst_ok && p.ddgst_ok,
		      "badhdgst: header digest wrong, data digest right");
	} else if (!strcmp(fc->rule, "badddgst@1")) {
		CHECK(got && p.type == 0x07 && p.hdgst_ok && !p.ddgst_ok,
		      "badddgst: data digest wrong");
	} else if (!strcmp(fc->rule, "stall@a4")) {
		/* The 4th admin capsule: Connect, Property Set, Property Get, then this */
		CHECK(got && p.type == 0x07, "stall@a4: I/O answered");
		rh_pdu_free(&p);
		CHECK(admin_idfy(&a, 1, 0, buf, &cpl) == -1, "stall@a4: Identify not answered");
		got = 0;
	}
	rh_pdu_free(&p);
	tcp_target_stats(t, &st);
	CHECK(st.faults == 1, "%s: fired once", fc->rule);
	rh_close(&q);
	rh_close(&a);
	tcp_target_free(t);
}

int
test_faults(void)
{
	static const struct fault_case cases[] = {
	    {"close@1", 0, 0},    {"stall@1", 0, 0},    {"badhlen@1", 0, 0},  {"badplen@1", 0, 0},
	    {"badtype@1", 0, 0},  {"baddatal@1", 0, 0}, {"badcccid@1", 0, 0}, {"termreq@1", 0, 0},
	    {"badhdgst@1", 1, 1}, {"badddgst@1", 1, 1}, {"stall@a4", 0, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
		fault_case(&cases[i]);
	}
	return g_nfail;
}

/* Random H2C PDUs, each on a fresh connection: the target answers, closes, or waits */
int
test_garbage(void)
{
	struct tcp_target *t = tt_test_start("8MiB,hdgst=on,ddgst=on");
	uint16_t port = tcp_target_port(t), cntlid;
	static uint8_t id[4096];
	struct xnvme_spec_cpl cpl;
	uint8_t pdu[512];
	unsigned int seed = 20;
	struct rh h, a;
	int alive = 0;

	for (int i = 0; i < 600; ++i) {
		size_t len = 8 + (size_t)rand_r(&seed) % (sizeof(pdu) - 8);
		int k = rand_r(&seed) % 4, hd = (i % 2) * 4;

		for (size_t b = 0; b < len; ++b) {
			pdu[b] = (uint8_t)rand_r(&seed);
		}
		/* Mostly plausible fields, so that the checks past the first are reached */
		if (rand_r(&seed) % 4) {
			static const uint8_t types[] = {4, 6, 0, 2}, hlens[] = {72, 24, 128, 24};

			pdu[0] = types[k];
			pdu[1] = rand_r(&seed) % 4 ? (uint8_t)(i % 2) : pdu[1];
			pdu[2] = rand_r(&seed) % 2 ? hlens[k] : (uint8_t)(pdu[2] & ~3u);
			pdu[3] = rand_r(&seed) % 2 ? (uint8_t)(pdu[2] + hd) : pdu[3];
		}
		if (rand_r(&seed) % 4) {
			rh_put32(pdu + 4, (uint32_t)len);
		}
		if (fresh(&h, port, i % 2)) {
			continue;
		}
		rh_send(&h, pdu, len);
		rh_eof(&h, 5);
		rh_close(&h);
	}
	alive = !rh_admin_up(&a, port, tcp_target_subnqn(t), 1, 1, &cntlid) &&
		!admin_idfy(&a, 1, 0, id, &cpl) && !cpl.status.val;
	CHECK(alive, "600 random PDUs later the target serves a host");
	rh_close(&a);
	tcp_target_free(t);
	return g_nfail;
}
