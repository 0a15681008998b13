// SPDX-License-Identifier: BSD-3-Clause
/*
 * The test target's scenarios, continued: Connect's checks and the controller's state
 * (connect), spec refusals (spec), the C2HData SUCCESS flag (success), the keep-alive timeout
 * (kato), stopping with connections open (stop).
 */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "test_tcp_target.h"

#define HOST_OK    RH_HOSTNQN
#define HOST_OTHER "nqn.2014-08.org.nvmexpress:uuid:7e57da7a-0000-4000-8000-0000000000ff"
#define SUB        "nqn.2026-12.io.xnvme:t1"

static int
connect_to(struct rh *h, uint16_t port)
{
	uint8_t resp[128];

	return rh_open(h, port) || rh_ic(h, 0, 0, 0, 0, resp);
}

static int
is_status(const struct xnvme_spec_cpl *cpl, uint8_t sct, uint8_t sc)
{
	return cpl->status.sct == sct && cpl->status.sc == sc;
}

int
test_connect(void)
{
	struct tcp_target *t = tt_test_start("8MiB,hostnqn=" HOST_OK ",subnqn=" SUB);
	uint16_t port = tcp_target_port(t), cntlid;
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_cmd sqe;
	static uint8_t id[4096];
	struct rh a, q, q2;

	CHECK(!connect_to(&a, port), "connection");
	CHECK(!admin_idfy(&a, 1, 0, id, &cpl) && is_status(&cpl, 0, 0x0C),
	      "a command before Connect: Command Sequence Error (0Ch)");
	CHECK(!rh_connect(&a, 0, 31, 0xFFFF, "nqn.2026-12.io.xnvme:other", HOST_OK, 0, &cpl) &&
		  is_status(&cpl, 1, 0x82) && cpl.cdw0 == (256 | 1u << 16),
	      "unknown SUBNQN: Connect Invalid Parameters, IATTR 1 (data), IPO 256 (cdw0 %#x)",
	      cpl.cdw0);
	CHECK(!rh_connect(&a, 0, 31, 0xFFFF, SUB, HOST_OTHER, 0, &cpl) && is_status(&cpl, 1, 0x84),
	      "a host NQN not allowed: Connect Invalid Host (84h)");
	CHECK(!rh_connect(&a, 0, 5, 0xFFFF, SUB, HOST_OK, 0, &cpl) && is_status(&cpl, 1, 0x82) &&
		  cpl.cdw0 == 44,
	      "admin SQSIZE 5 (< 31): invalid parameter at SQE byte 44");
	CHECK(!rh_connect(&a, 0, 31, 7, SUB, HOST_OK, 0, &cpl) && is_status(&cpl, 1, 0x82) &&
		  cpl.cdw0 == (16 | 1u << 16),
	      "admin CNTLID 7 (dynamic model wants FFFFh): invalid at data byte 16");
	{
		uint8_t data[1024], *b = (uint8_t *)&sqe;

		memset(&sqe, 0, sizeof(sqe));
		memset(data, 0, sizeof(data));
		b[0] = 0x7F;
		b[4] = 0x01;
		sqe.common.cid = a.cid++;
		rh_put16(b + 40, 1); /* RECFMT 1 */
		rh_put16(b + 44, 31);
		rh_put16(data + 16, 0xFFFF);
		strcpy((char *)data + 256, SUB);
		strcpy((char *)data + 512, HOST_OK);
		rh_sgl_incapsule(&sqe, sizeof(data));
		CHECK(!rh_cmd(&a, &sqe, data, sizeof(data), NULL, 0, NULL, 0, &cpl) &&
			  is_status(&cpl, 1, 0x80),
		      "RECFMT 1: Incompatible Format (80h)");
	}
	CHECK(!rh_connect(&a, 0, 31, 0xFFFF, SUB, HOST_OK, 0, &cpl) && !cpl.status.val,
	      "a right Connect");
	cntlid = (uint16_t)cpl.cdw0;
	CHECK(!rh_connect(&a, 0, 31, 0xFFFF, SUB, HOST_OK, 0, &cpl) && is_status(&cpl, 0, 0x0C),
	      "a second Connect on the queue: Command Sequence Error");
	CHECK(!admin_idfy(&a, 1, 0, id, &cpl) && is_status(&cpl, 0, 0x0C),
	      "Identify before CC.EN: Command Sequence Error");
	CHECK(!rh_prop_set(&a, 0x08, 0, &cpl) && is_status(&cpl, 0, 0x02),
	      "Property Set of VS: Invalid Field");
	CHECK(!rh_prop_get(&a, 0x14, 1, &cpl) && is_status(&cpl, 0, 0x02),
	      "an 8-byte Property Get of CC: Invalid Field");
	CHECK(!connect_to(&q, port) && !rh_connect(&q, 1, 31, cntlid, SUB, HOST_OK, 0, &cpl) &&
		  is_status(&cpl, 0, 0x0C),
	      "an I/O queue of a controller not enabled: Command Sequence Error");
	rh_close(&q);
	CHECK(!rh_prop_set(&a, 0x14, 1, &cpl) && !cpl.status.val, "CC.EN = 1");
	CHECK(!connect_to(&q, port) &&
		  !rh_connect(&q, 1, 31, (uint16_t)(cntlid + 1), SUB, HOST_OK, 0, &cpl) &&
		  is_status(&cpl, 1, 0x82) && cpl.cdw0 == (16 | 1u << 16),
	      "an I/O queue of an unknown controller: invalid at data byte 16");
	CHECK(!rh_connect(&q, 1, 0, cntlid, SUB, HOST_OK, 0, &cpl) && is_status(&cpl, 1, 0x82) &&
		  cpl.cdw0 == 44,
	      "I/O SQSIZE 0: invalid at SQE byte 44");
	CHECK(!rh_connect(&q, 1, 31, cntlid, SUB, HOST_OK, 0, &cpl) && !cpl.status.val &&
		  cpl.cdw0 == cntlid,
	      "I/O queue 1");
	CHECK(!connect_to(&q2, port) && !rh_connect(&q2, 1, 31, cntlid, SUB, HOST_OK, 0, &cpl) &&
		  is_status(&cpl, 1, 0x82) && cpl.cdw0 == 42,
	      "I/O queue 1 again: invalid at SQE byte 42 (QID)");
	rh_close(&q2);
	CHECK(!admin_idfy(&q, 0, 1, id, &cpl) && is_status(&cpl, 0, 0x01),
	      "an admin opcode on an I/O queue: not an I/O opcode (status %x/%x)", cpl.status.sct,
	      cpl.status.sc);
	CHECK(!rh_prop_set(&a, 0x14, 1 | 1u << 14, &cpl) && !rh_prop_get(&a, 0x1C, 0, &cpl) &&
		  (cpl.cdw0 >> 2 & 3) == 2,
	      "CC.SHN normal: CSTS.SHST 10b (complete)");
	rh_close(&a);
	CHECK(rh_eof(&q, 2000), "the admin connection gone: its I/O queue closes");
	rh_close(&q);
	tcp_target_free(t);
	return g_nfail;
}

int
test_spec(void)
{
	static const char *bad[] = {
	    "8MiB,ms=8,mset=sep", "8MiB,fault=bogus@1",   "8MiB,fault=close",
	    "8MiB,fault=close@0", "8MiB,maxh2cdata=100",  "8MiB,maxh2cdata=4098",
	    "8MiB,hdgst=maybe",   "8MiB,subnqn=notannqn", "8MiB,nosuchkey=1",
	    "8MiB,cpda=32",       "8MiB,success=2",       "",
	};
	struct tcp_target *t = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
		int err = tcp_target_start(bad[i], &t);

		CHECK(err == -EINVAL && !t, "'%s' refused: %d", bad[i], err);
		tcp_target_free(t);
		t = NULL;
	}
	CHECK(tcp_target_start_at("8MiB", "localhost", 0, &t) == -EINVAL, "a name, not an address");
	t = tt_test_start("8MiB,fault=close@3+stall@a2,ioccsz=4,zoned=1,lbads=4096,zsze=256");
	tcp_target_free(t);
	tcp_target_free(NULL);
	return g_nfail;
}

int
test_success(void)
{
	static uint8_t buf[8192];
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_cmd sqe;
	struct rh_pdu p;
	struct rh a, q;
	uint16_t cntlid;

	for (int always = 0; always < 2; ++always) {
		struct tcp_target *t =
		    tt_test_start(always ? "8MiB,success=always" : "8MiB,success=1");

		rh_admin_up(&a, tcp_target_port(t), tcp_target_subnqn(t), 0, 0, &cntlid);
		CHECK(!rh_io_up(&q, tcp_target_port(t), tcp_target_subnqn(t), cntlid, 1, 0, 0),
		      "I/O queue (SQ flow control on)");
		rh_sqe_rw(&q, &sqe, 0x02, 0, 16);
		rh_sgl_transport(&sqe, sizeof(buf));
		rh_capsule(&q, &sqe, NULL, 0);
		CHECK(!rh_recv(&q, &p, RH_TIMEOUT_MS) && p.type == 0x07 &&
			  (p.flags & 0x0C) == (always ? 0x0C : 0x04),
		      "success=%s: the last C2HData's flags %#x", always ? "always" : "1", p.flags);
		rh_pdu_free(&p);
		if (always) {
			CHECK(rh_recv(&q, &p, 300), "no CapsuleResp after SUCCESS");
		} else {
			CHECK(!rh_recv(&q, &p, RH_TIMEOUT_MS) && p.type == 0x05,
			      "a CapsuleResp: the host kept SQ flow control");
		}
		rh_pdu_free(&p);
		rh_sqe_rw(&q, &sqe, 0x02, 1u << 20, 1);
		rh_sgl_transport(&sqe, 512);
		CHECK(!rh_cmd(&q, &sqe, NULL, 0, NULL, 0, buf, 512, &cpl) && cpl.status.sc == 0x80,
		      "a failed read: no data, a CapsuleResp with its status");
		rh_close(&q);
		rh_close(&a);
		tcp_target_free(t);
	}
	return g_nfail;
}

int
test_kato(void)
{
	struct tcp_target *t = tt_test_start("8MiB");
	struct xnvme_spec_cpl cpl;
	struct tcp_target_stats st;
	struct xnvme_spec_cmd ka;
	struct timespec t0, t1;
	uint8_t resp[128];
	struct rh a, q;
	uint16_t cntlid;
	double s;

	CHECK(!rh_open(&a, tcp_target_port(t)) && !rh_ic(&a, 0, 0, 0, 0, resp) &&
		  !rh_connect(&a, 0, 31, 0xFFFF, tcp_target_subnqn(t), RH_HOSTNQN, 400, &cpl) &&
		  !cpl.status.val,
	      "admin Connect with KATO 400 ms");
	cntlid = (uint16_t)cpl.cdw0;
	rh_prop_set(&a, 0x14, 1, &cpl);
	CHECK(!rh_io_up(&q, tcp_target_port(t), tcp_target_subnqn(t), cntlid, 1, 0, 0),
	      "I/O queue");
	memset(&ka, 0, sizeof(ka));
	ka.common.opcode = 0x18;
	int nka = 0;

	for (int i = 0; i < 8; ++i) {
		usleep(150 * 1000);
		ka.common.cid = a.cid++;
		if (rh_cmd(&a, &ka, NULL, 0, NULL, 0, NULL, 0, &cpl) || cpl.status.val) {
			break;
		}
		nka++;
	}
	tcp_target_stats(t, &st);
	CHECK(nka == 8 && st.kato_expired == 0,
	      "Keep Alive every 150 ms for 1.2 s: all %d answered, the association lives", nka);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(rh_eof(&a, 3000), "then silence: the admin connection ends");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(s > 0.3 && s < 3.0, "after %.2f s (KATO 0.4 s, checked every 50 ms)", s);
	CHECK(rh_eof(&q, 2000), "and its I/O queue");
	tcp_target_stats(t, &st);
	CHECK(st.kato_expired == 1, "one association expired");
	rh_close(&a);
	rh_close(&q);
	tcp_target_free(t);
	return g_nfail;
}

int
test_stop(void)
{
	struct tcp_target *t = tt_test_start("8MiB");
	struct rh a, q, idle;
	struct xnvme_spec_cmd sqe;
	struct xnvme_spec_cpl cpl;
	uint16_t cntlid, port = tcp_target_port(t);
	static uint8_t wbuf[4096], rbuf[4096];
	uint8_t resp[128];

	CHECK(!rh_admin_up(&a, port, tcp_target_subnqn(t), 0, 0, &cntlid), "admin");
	CHECK(!rh_io_up(&q, port, tcp_target_subnqn(t), cntlid, 1, 0, 0), "I/O queue");
	fill(wbuf, sizeof(wbuf), 77);
	rh_sqe_rw(&q, &sqe, 0x01, 8, 8);
	rh_sgl_incapsule(&sqe, sizeof(wbuf));
	CHECK(!rh_cmd(&q, &sqe, wbuf, sizeof(wbuf), NULL, 0, NULL, 0, &cpl) && !cpl.status.val,
	      "a write before the stop");
	CHECK(!rh_open(&idle, port), "a connection that sends nothing");
	rh_sqe_rw(&q, &sqe, 0x02, 0, 8);
	rh_sgl_transport(&sqe, sizeof(rbuf));
	rh_capsule(&q, &sqe, NULL, 0); /* in flight or answered: the stop must not wait for it */
	tcp_target_stop(t);
	CHECK(rh_eof(&a, 2000) && rh_eof(&q, 2000) && rh_eof(&idle, 2000),
	      "stop: every connection sees EOF");
	rh_close(&a);
	rh_close(&q);
	CHECK(rh_open(&a, port) || rh_ic(&a, 0, 0, 0, 0, resp), "nothing listens any more");
	rh_close(&a);
	CHECK(!tcp_target_restart(t) && tcp_target_port(t) == port, "restart on port %u", port);
	CHECK(tcp_target_restart(t) == -EBUSY, "a second restart: -EBUSY");
	CHECK(!rh_admin_up(&a, port, tcp_target_subnqn(t), 0, 0, &cntlid) &&
		  !rh_io_up(&q, port, tcp_target_subnqn(t), cntlid, 1, 0, 0),
	      "a fresh association after the restart");
	rh_sqe_rw(&q, &sqe, 0x02, 8, 8);
	rh_sgl_transport(&sqe, sizeof(rbuf));
	CHECK(!rh_cmd(&q, &sqe, NULL, 0, NULL, 0, rbuf, sizeof(rbuf), &cpl) && !cpl.status.val &&
		  !memcmp(rbuf, wbuf, sizeof(rbuf)),
	      "the data written before the stop reads back");
	rh_close(&a);
	rh_close(&q);
	rh_close(&idle);
	tcp_target_free(t);
	return g_nfail;
}
