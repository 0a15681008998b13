// SPDX-License-Identifier: BSD-3-Clause
/*
 * The NVMe/TCP test target's own tests, over raw PDUs (tcp_rawhost.h), no initiator of ours:
 * test_tcp_target SCENARIO. Byte offsets and values are the specifications' (NVMe/TCP
 * transport 1.0, NVMe over Fabrics, NVMe base Identify Controller). This file: the session a
 * host has (basic), digests and alignment (digests), R2T flow (r2t), discovery, Connect's
 * checks (connect), spec refusals (spec), the SUCCESS flag (success). Malformed PDUs, fault
 * hooks, keep-alive and stop: test_tcp_target_err.c.
 */
#include <poll.h>
#include <stdint.h>
#include "check.h"
#include "tcp_rawhost.h"
#include "tcp_target.h"
#include "test_tcp_target.h"

#define NQN_DISC "nqn.2014-08.org.nvmexpress.discovery"

struct tcp_target *
tt_test_start(const char *spec)
{
	struct tcp_target *t = NULL;
	int err = tcp_target_start(spec, &t);

	CHECK(!err, "start '%s': %d, port %u", spec, err, t ? tcp_target_port(t) : 0);
	if (err) {
		exit(1);
	}
	return t;
}

static void
check_icresp(const uint8_t *r, uint8_t cpda, uint8_t dgst, uint32_t maxh2cdata)
{
	int rsvd_zero = 1;

	for (int i = 16; i < 128; ++i) {
		rsvd_zero &= !r[i];
	}
	CHECK(r[0] == 0x01 && r[1] == 0 && r[2] == 128 && r[3] == 0 && rh_get32(r + 4) == 128,
	      "ICResp CH: type 01h, flags 0, hlen 128, pdo 0, plen 128");
	CHECK(rh_get16(r + 8) == 0, "ICResp PFV 0");
	CHECK(r[10] == cpda, "ICResp CPDA %u (want %u)", r[10], cpda);
	CHECK(r[11] == dgst, "ICResp DGST %u (want %u)", r[11], dgst);
	CHECK(rh_get32(r + 12) == maxh2cdata, "ICResp MAXH2CDATA %u (want %u)", rh_get32(r + 12),
	      maxh2cdata);
	CHECK(rsvd_zero, "ICResp bytes 16-127 reserved, zero");
}

int
admin_idfy(struct rh *h, uint8_t cns, uint32_t nsid, uint8_t *buf, struct xnvme_spec_cpl *cpl)
{
	struct xnvme_spec_cmd sqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.common.opcode = 0x06;
	sqe.common.cid = h->cid++;
	sqe.common.nsid = nsid;
	sqe.cdw[10] = cns;
	rh_sgl_transport(&sqe, 4096);
	return rh_cmd(h, &sqe, NULL, 0, NULL, 0, buf, 4096, cpl);
}

void
fill(uint8_t *buf, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; ++i) {
		buf[i] = (uint8_t)((i * 7 + seed) ^ (i >> 9));
	}
}

static int
test_basic(void)
{
	struct tcp_target *t = tt_test_start("64MiB");
	static uint8_t id[4096], wbuf[69632], rbuf[69632];
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_cmd sqe;
	struct rh a, q;
	uint8_t resp[128];
	uint16_t cntlid;
	uint32_t sgls;
	uint64_t cap;

	CHECK(!rh_open(&a, tcp_target_port(t)), "connect to 127.0.0.1:%u", tcp_target_port(t));
	CHECK(!rh_ic(&a, 0, 0, 0, 0, resp), "ICReq answered by an ICResp");
	check_icresp(resp, 0, 0, 32768);
	CHECK(!rh_connect(&a, 0, 31, 0xFFFF, tcp_target_subnqn(t), RH_HOSTNQN, 0, &cpl) &&
		  !cpl.status.val,
	      "admin Connect succeeds");
	cntlid = (uint16_t)cpl.cdw0;
	CHECK(cntlid >= 1 && cntlid <= 0xFFEF, "dynamic cntlid %u in 1..FFEFh", cntlid);
	CHECK(cpl.sqid == 0, "admin Connect's CQE SQID 0");

	CHECK(!rh_prop_get(&a, 0x00, 1, &cpl) && !cpl.status.val, "Property Get CAP (8 bytes)");
	cap = cpl.result;
	CHECK((cap & 0xFFFF) == 127 && (cap >> 16 & 1) && (cap >> 37 & 1),
	      "CAP %#llx: MQES 127, CQR, CSS NVM", (unsigned long long)cap);
	CHECK(!rh_prop_get(&a, 0x08, 0, &cpl) && cpl.cdw0 == 0x00010400, "VS 1.4");
	CHECK(!rh_prop_get(&a, 0x1C, 0, &cpl) && !(cpl.cdw0 & 1), "CSTS.RDY 0 before CC.EN");
	CHECK(!rh_prop_set(&a, 0x14, 1, &cpl) && !cpl.status.val, "Property Set CC.EN = 1");
	CHECK(!rh_prop_get(&a, 0x1C, 0, &cpl) && (cpl.cdw0 & 1), "CSTS.RDY 1");

	CHECK(!admin_idfy(&a, 1, 0, id, &cpl) && !cpl.status.val && a.n_c2h >= 1,
	      "Identify Controller by C2HData");
	sgls = rh_get32(id + 536);
	CHECK(rh_get16(id + 78) == cntlid, "CNTLID (bytes 79:78) = Connect's %u", cntlid);
	CHECK(id[111] == 1, "CNTRLTYPE 1 (I/O controller)");
	CHECK(rh_get32(id + 1792) == 260 && rh_get32(id + 1796) == 1 && rh_get16(id + 1800) == 0,
	      "IOCCSZ 260, IORCSZ 1, ICDOFF 0");
	CHECK((sgls & 3) == 1 && (sgls >> 20 & 1) && (sgls >> 21 & 1),
	      "SGLS %#x: supported, offset, transport SGL data block", sgls);
	CHECK(!strcmp((char *)id + 768, tcp_target_subnqn(t)), "SUBNQN (byte 768) '%s'",
	      (char *)id + 768);
	CHECK(rh_get16(id + 514) == 128 && rh_get16(id + 320) == 1, "MAXCMD 128, KAS 1");
	CHECK(!admin_idfy(&a, 0, 1, id, &cpl) && !cpl.status.val &&
		  rh_get64(id) == (64ull << 20) / 512,
	      "Identify Namespace 1: NSZE %llu blocks", (unsigned long long)rh_get64(id));

	CHECK(!rh_io_up(&q, tcp_target_port(t), tcp_target_subnqn(t), cntlid, 1, 0, 0),
	      "I/O queue 1 Connect with cntlid %u", cntlid);
	fill(wbuf, sizeof(wbuf), 1);
	rh_sqe_rw(&q, &sqe, 0x01, 0, 128);
	rh_sgl_transport(&sqe, 65536);
	CHECK(!rh_cmd(&q, &sqe, NULL, 0, wbuf, 65536, NULL, 0, &cpl) && !cpl.status.val,
	      "write 64 KiB by R2T");
	CHECK(q.n_r2t == 1 && q.n_h2c == 2, "one R2T, two H2CData of MAXH2CDATA (%u, %u)", q.n_r2t,
	      q.n_h2c);
	CHECK(cpl.sqid == 1, "CQE SQID 1");
	rh_sqe_rw(&q, &sqe, 0x01, 128, 8);
	rh_sgl_incapsule(&sqe, 4096);
	CHECK(!rh_cmd(&q, &sqe, wbuf + 65536, 4096, NULL, 0, NULL, 0, &cpl) && !cpl.status.val &&
		  !q.n_r2t,
	      "write 4 KiB in-capsule");
	rh_sqe_rw(&q, &sqe, 0x02, 0, 136);
	rh_sgl_transport(&sqe, sizeof(rbuf));
	CHECK(!rh_cmd(&q, &sqe, NULL, 0, NULL, 0, rbuf, sizeof(rbuf), &cpl) && !cpl.status.val,
	      "read 68 KiB");
	CHECK(q.n_c2h == 2, "two C2HData (64 KiB each at most): %u", q.n_c2h);
	CHECK(!memcmp(rbuf, wbuf, sizeof(rbuf)), "read = written");
	rh_sqe_rw(&q, &sqe, 0x02, (64ull << 20) / 512, 1);
	rh_sgl_transport(&sqe, 512);
	CHECK(!rh_cmd(&q, &sqe, NULL, 0, NULL, 0, rbuf, 512, &cpl) && cpl.status.sc == 0x80 &&
		  !q.n_c2h,
	      "a read past the end: LBA Out of Range (80h), no data");

	memset(&sqe, 0, sizeof(sqe));
	((uint8_t *)&sqe)[0] = 0x7F;
	((uint8_t *)&sqe)[4] = 0x08;
	sqe.common.cid = q.cid++;
	CHECK(!rh_cmd(&q, &sqe, NULL, 0, NULL, 0, NULL, 0, &cpl) && !cpl.status.val,
	      "Disconnect of the I/O queue");
	CHECK(rh_eof(&q, 2000), "then its connection closes");
	CHECK(!admin_idfy(&a, 1, 0, id, &cpl) && !cpl.status.val, "the admin queue goes on");
	rh_close(&q);
	rh_close(&a);
	tcp_target_free(t);
	return g_nfail;
}

static int
test_digests(void)
{
	struct tcp_target *t = tt_test_start("64MiB,lbads=4096,ms=8,cpda=3,ioccsz=520");
	static uint8_t id[4096], wbuf[16 * 4104], rbuf[16 * 4104];
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_cmd sqe;
	struct rh a, q;
	uint8_t resp[128], hdr[72];
	uint16_t cntlid;
	struct rh_pdu p;
	int aligned = 1;

	CHECK(!rh_admin_up(&a, tcp_target_port(t), tcp_target_subnqn(t), 1, 1, &cntlid),
	      "admin queue up with digests");
	CHECK(a.hdgst && a.ddgst && a.cpda == 3, "ICResp: both digests, CPDA 3");
	CHECK(!admin_idfy(&a, 0, 1, id, &cpl) && !cpl.status.val && (id[26] & 0x10),
	      "Identify Namespace: FLBAS %#x, metadata extended (bit 4)", id[26]);

	CHECK(!rh_open(&q, tcp_target_port(t)) && !rh_ic(&q, 1, 1, 2, 0, resp),
	      "I/O connection: ICReq HPDA 2, digests");
	check_icresp(resp, 3, 3, 32768);
	CHECK(!rh_connect(&q, 1, 63, cntlid, tcp_target_subnqn(t), RH_HOSTNQN, 0, &cpl) &&
		  !cpl.status.val,
	      "I/O Connect, in-capsule data at PDO 16 with digests");
	fill(wbuf, sizeof(wbuf), 9);
	rh_sqe_rw(&q, &sqe, 0x01, 4, 16);
	rh_sgl_transport(&sqe, sizeof(wbuf));
	CHECK(!rh_cmd(&q, &sqe, NULL, 0, wbuf, sizeof(wbuf), NULL, 0, &cpl) && !cpl.status.val,
	      "write 16 blocks of 4096 + 8 (extended LBAs), digests checked by the target");
	rh_sqe_rw(&q, &sqe, 0x02, 4, 16);
	rh_sgl_transport(&sqe, sizeof(rbuf));
	rh_capsule(&q, &sqe, NULL, 0);
	for (;;) {
		if (rh_recv(&q, &p, RH_TIMEOUT_MS)) {
			CHECK(0, "read's PDUs");
			break;
		}
		aligned &= p.hdgst_ok && p.ddgst_ok && (p.flags & 1) && (!p.dlen || (p.flags & 2));
		if (p.type == 0x07) {
			aligned &= p.pdo % 12 == 0 && p.pdo >= 28;
			memcpy(rbuf + rh_get32(p.hdr + 12), p.data, p.dlen);
		}
		if (rh_pdu_free(&p) == 0x05) {
			break;
		}
	}
	CHECK(aligned, "every C2H PDU: HDGSTF and digest right, data at a multiple of 12 (HPDA 2)");
	CHECK(!memcmp(rbuf, wbuf, sizeof(rbuf)), "read = written, metadata included");

	/* A wrong data digest on in-capsule data: the command fails, the connection stays */
	rh_sqe_rw(&q, &sqe, 0x01, 0, 1);
	rh_sgl_incapsule(&sqe, 4104);
	memset(hdr, 0, sizeof(hdr));
	hdr[0] = 0x04;
	memcpy(hdr + 8, &sqe, 64);
	{
		uint8_t pdu[16 + 72 + 4 + 4104 + 4];
		uint32_t pdo = 80; /* 72 + 4 rounded up to CPDA's 16 */

		memset(pdu, 0, sizeof(pdu));
		hdr[1] = 0x03;
		hdr[2] = 72;
		hdr[3] = (uint8_t)pdo;
		rh_put32(hdr + 4, pdo + 4104 + 4);
		memcpy(pdu, hdr, 72);
		rh_put32(pdu + 72, rh_crc32c(hdr, 72));
		memcpy(pdu + pdo, wbuf, 4104);
		rh_put32(pdu + pdo + 4104, rh_crc32c(wbuf, 4104) ^ 1);
		rh_send(&q, pdu, pdo + 4104 + 4);
	}
	CHECK(!rh_recv(&q, &p, RH_TIMEOUT_MS) && p.type == 0x05 &&
		  ((struct xnvme_spec_cpl *)(p.hdr + 8))->status.sc == 0x22,
	      "wrong data digest: Transient Transport Error (22h)");
	rh_pdu_free(&p);
	rh_sqe_rw(&q, &sqe, 0x02, 4, 1);
	rh_sgl_transport(&sqe, 4104);
	CHECK(!rh_cmd(&q, &sqe, NULL, 0, NULL, 0, rbuf, 4104, &cpl) && !cpl.status.val &&
		  !memcmp(rbuf, wbuf, 4104),
	      "the connection goes on, the block unchanged");
	rh_close(&q);
	rh_close(&a);
	tcp_target_free(t);
	return g_nfail;
}

/* PDUs that arrive within @p ms */
static int
recv_r2ts(struct rh *h, struct rh_pdu *r2t, int max, int ms)
{
	int n = 0;

	while (n < max && !rh_recv(h, &r2t[n], ms)) {
		n++;
	}
	return n;
}

static int
test_r2t(void)
{
	struct tcp_target *t = tt_test_start("64MiB,r2tsize=8192,maxh2cdata=4096");
	static uint8_t wbuf[32768], rbuf[32768];
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_cmd sqe;
	struct rh_pdu r[4], p;
	struct rh a, q;
	uint8_t resp[128];
	uint16_t cntlid;
	int n;

	CHECK(!rh_admin_up(&a, tcp_target_port(t), tcp_target_subnqn(t), 0, 0, &cntlid), "admin");
	CHECK(!rh_open(&q, tcp_target_port(t)) && !rh_ic(&q, 0, 0, 0, 1, resp), "ICReq MAXR2T 1");
	CHECK(!rh_connect(&q, 1, 31, cntlid, tcp_target_subnqn(t), RH_HOSTNQN, 0, &cpl) &&
		  !cpl.status.val,
	      "I/O Connect");
	fill(wbuf, sizeof(wbuf), 3);
	rh_sqe_rw(&q, &sqe, 0x01, 0, 64);
	rh_sgl_transport(&sqe, sizeof(wbuf));
	rh_capsule(&q, &sqe, NULL, 0);
	n = recv_r2ts(&q, r, 4, 300);
	CHECK(n == 2, "MAXR2T 1: two R2Ts outstanding, no more (%d)", n);
	CHECK(n == 2 && r[0].type == 0x09 && r[0].hlen == 24 && r[0].pdo == 0 && r[0].plen == 24 &&
		  rh_get16(r[0].hdr + 8) == sqe.common.cid,
	      "R2T: type 09h, hlen 24, pdo 0, plen 24, CCCID the command's");
	CHECK(n == 2 && rh_get32(r[0].hdr + 12) == 0 && rh_get32(r[0].hdr + 16) == 8192 &&
		  rh_get32(r[1].hdr + 12) == 8192 && rh_get32(r[1].hdr + 16) == 8192 &&
		  rh_get16(r[0].hdr + 10) != rh_get16(r[1].hdr + 10),
	      "R2TO 0 and 8192, R2TL 8192 each (r2tsize), distinct TTAGs");
	/* The first R2T's data in two PDUs of MAXH2CDATA: the third R2T follows */
	for (int i = 0; n == 2 && i < 2; ++i) {
		rh_h2c(&q, sqe.common.cid, rh_get16(r[0].hdr + 10), (uint32_t)i * 4096,
		       wbuf + i * 4096, 4096, i);
	}
	CHECK(!rh_recv(&q, &p, RH_TIMEOUT_MS) && p.type == 0x09 && rh_get32(p.hdr + 12) == 16384 &&
		  rh_get32(p.hdr + 16) == 8192,
	      "the first R2T done: a third at 16384");
	for (int i = 0; i < n; ++i) {
		rh_pdu_free(&r[i]);
	}
	r[0] = p;
	/* The rest by the second, then the fourth R2T */
	for (uint32_t off = 8192; off < 32768; off += 4096) {
		uint16_t ttag;

		if (off == 24576) {
			rh_pdu_free(&r[0]);
			CHECK(!rh_recv(&q, &r[0], RH_TIMEOUT_MS) && r[0].type == 0x09 &&
				  rh_get32(r[0].hdr + 12) == 24576,
			      "a fourth R2T at 24576");
		}
		ttag = off < 16384 ? rh_get16(r[1].hdr + 10) : rh_get16(r[0].hdr + 10);
		rh_h2c(&q, sqe.common.cid, ttag, off, wbuf + off, 4096, off % 8192 != 0);
	}
	rh_pdu_free(&r[0]);
	CHECK(!rh_recv(&q, &p, RH_TIMEOUT_MS) && p.type == 0x05 &&
		  !((struct xnvme_spec_cpl *)(p.hdr + 8))->status.val,
	      "all data in: CapsuleResp, success");
	rh_pdu_free(&p);
	rh_sqe_rw(&q, &sqe, 0x02, 0, 64);
	rh_sgl_transport(&sqe, sizeof(rbuf));
	CHECK(!rh_cmd(&q, &sqe, NULL, 0, NULL, 0, rbuf, sizeof(rbuf), &cpl) && !cpl.status.val &&
		  !memcmp(rbuf, wbuf, sizeof(rbuf)),
	      "read = written");
	rh_close(&q);
	rh_close(&a);
	tcp_target_free(t);
	return g_nfail;
}

/* An ASCII field of @p len bytes, trailing spaces and NULs dropped, equals @p want */
static int
field_is(const uint8_t *f, size_t len, const char *want)
{
	while (len && (f[len - 1] == ' ' || !f[len - 1])) {
		len--;
	}
	return len == strlen(want) && !memcmp(f, want, len);
}

static int
test_discovery(void)
{
	struct tcp_target *t = tt_test_start("8MiB,subnqn=nqn.2026-12.io.xnvme:disc-test");
	static uint8_t id[4096], log[2048];
	struct rh a, q;
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_cmd sqe;
	uint16_t cntlid;
	char port[8];
	uint8_t *e = log + 1024;

	snprintf(port, sizeof(port), "%u", tcp_target_port(t));
	CHECK(!rh_admin_up(&a, tcp_target_port(t), NQN_DISC, 0, 0, &cntlid),
	      "discovery controller up");
	CHECK(!admin_idfy(&a, 1, 0, id, &cpl) && !cpl.status.val && id[111] == 2 &&
		  !strcmp((char *)id + 768, NQN_DISC),
	      "Identify: CNTRLTYPE 2, SUBNQN the discovery NQN");
	memset(&sqe, 0, sizeof(sqe));
	sqe.common.opcode = 0x02;
	sqe.common.cid = a.cid++;
	sqe.cdw[10] = 0x70 | (uint32_t)(2048 / 4 - 1) << 16;
	rh_sgl_transport(&sqe, sizeof(log));
	CHECK(!rh_cmd(&a, &sqe, NULL, 0, NULL, 0, log, sizeof(log), &cpl) && !cpl.status.val,
	      "Get Log Page 70h, 2 KiB");
	CHECK(rh_get64(log) >= 1 && rh_get64(log + 8) == 1 && rh_get16(log + 16) == 0,
	      "GENCTR %llu, NUMREC 1, RECFMT 0", (unsigned long long)rh_get64(log));
	CHECK(e[0] == 3 && e[1] == 1 && e[2] == 2, "entry: TRTYPE 3 (TCP), ADRFAM 1, SUBTYPE 2");
	CHECK(rh_get16(e + 6) == 0xFFFF, "entry: CNTLID FFFFh (dynamic)");
	CHECK(field_is(e + 32, 32, port), "entry: TRSVCID '%s'", port);
	CHECK(!strcmp((char *)e + 256, "nqn.2026-12.io.xnvme:disc-test"), "entry: SUBNQN");
	CHECK(field_is(e + 512, 256, "127.0.0.1"), "entry: TRADDR 127.0.0.1");
	sqe.cdw[10] = 0x70 | (uint32_t)(1024 / 4 - 1) << 16;
	sqe.cdw[12] = 1024;
	sqe.common.cid = a.cid++;
	memset(log, 0, sizeof(log));
	rh_sgl_transport(&sqe, 1024);
	CHECK(!rh_cmd(&a, &sqe, NULL, 0, NULL, 0, log, 1024, &cpl) && !cpl.status.val &&
		  log[0] == 3 && !strcmp((char *)log + 256, "nqn.2026-12.io.xnvme:disc-test"),
	      "Get Log Page with LPO 1024: the entry alone");
	CHECK(!admin_idfy(&a, 0, 1, id, &cpl) && cpl.status.sc == 0x02,
	      "Identify Namespace on a discovery controller: Invalid Field");
	CHECK(!rh_open(&q, tcp_target_port(t)), "another connection");
	{
		uint8_t resp[128];

		rh_ic(&q, 0, 0, 0, 0, resp);
	}
	CHECK(!rh_connect(&q, 1, 31, cntlid, NQN_DISC, RH_HOSTNQN, 0, &cpl) &&
		  cpl.status.sct == 1 && cpl.status.sc == 0x82,
	      "no I/O queue on a discovery controller (82h)");
	rh_close(&q);
	rh_close(&a);
	tcp_target_free(t);
	return g_nfail;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} tests[] = {
	    {"basic", test_basic},         {"digests", test_digests}, {"r2t", test_r2t},
	    {"discovery", test_discovery}, {"connect", test_connect}, {"spec", test_spec},
	    {"success", test_success},     {"errors", test_errors},   {"faults", test_faults},
	    {"kato", test_kato},           {"stop", test_stop},       {"garbage", test_garbage},
	};

	for (size_t i = 0; argc == 2 && i < sizeof(tests) / sizeof(tests[0]); ++i) {
		if (!strcmp(argv[1], tests[i].name)) {
			int nfail = tests[i].fn();

			printf("%s: %d failed\n", argv[1], nfail);
			return nfail ? 1 : 0;
		}
	}
	fprintf(stderr, "usage: %s SCENARIO\n", argv[0]);
	return 2;
}
