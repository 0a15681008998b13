/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NVMe/TCP initiator (backend "tcp") against the in-process test target (tcp_target.h):
 *   test_tcp_initiator CASE
 * CASE:
 *   shapes     data through every transport shape: in-capsule and R2T writes (several R2Ts of
 *              a command, several H2CData per R2T), C2HData split in pieces, the SUCCESS flag,
 *              CPDA alignment, required digests; sync, async at depth, vectored
 *   faults     each fault hook of the target: the command fails (never succeeds, never hangs),
 *              the queue's other commands complete, a fresh open works afterwards; a data
 *              digest mismatch fails only its command
 *   lost       the target stops with commands in flight: they complete with an error at once;
 *              restarted, a fresh open reads back what was written
 *   keepalive  KATO 400 ms and 2 s without a command: the association is kept
 *   discovery  xnvme_enumerate() at the target's address lists its subsystem
 *   host       a target letting in one host NQN: refused naming it; let in by ?hostnqn= and
 *              by opts.hostnqn
 * Every case is bounded by alarm(): a hang is a failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libxnvme.h>
#include "check.h"
#include "tcp_target.h"

static char g_uri[512];

static struct xnvme_dev *
open_target(struct tcp_target *target, const char *query, uint32_t command_timeout)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	snprintf(g_uri, sizeof(g_uri), "nvme+tcp://127.0.0.1:%u/%s%s", tcp_target_port(target),
		 tcp_target_subnqn(target), query ? query : "");
	opts.nsid = 0;
	opts.command_timeout = command_timeout;
	opts.admin_timeout = 5;
	dev = xnvme_dev_open(g_uri, &opts);
	if (!dev) {
		printf("open %s: %s\n", g_uri, xnvme_dev_open_err_msg());
	}
	return dev;
}

static void
fill(uint8_t *buf, size_t nbytes, uint32_t seed)
{
	for (size_t i = 0; i < nbytes; ++i) {
		buf[i] = (uint8_t)(i * 7 + seed + (i >> 9));
	}
}

static int
rw_sync(struct xnvme_dev *dev, int write, uint64_t slba, size_t nbytes, void *buf)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint16_t nlb = (uint16_t)(nbytes / xnvme_dev_get_geo(dev)->lba_nbytes - 1);
	uint32_t nsid = xnvme_dev_get_nsid(dev);

	return write ? xnvme_nvm_write(&ctx, nsid, slba, nlb, buf, NULL)
		     : xnvme_nvm_read(&ctx, nsid, slba, nlb, buf, NULL);
}

/* A write of @p nbytes and its read-back, sync: 0 when the bytes came back */
static int
round_trip(struct xnvme_dev *dev, uint64_t slba, size_t nbytes, uint32_t seed)
{
	uint8_t *w = xnvme_buf_alloc(dev, nbytes), *r = xnvme_buf_alloc(dev, nbytes);
	int err = w && r ? 0 : -ENOMEM;

	if (!err) {
		fill(w, nbytes, seed);
		memset(r, 0, nbytes);
		err = rw_sync(dev, 1, slba, nbytes, w);
		err = err ? err : rw_sync(dev, 0, slba, nbytes, r);
		err = err ? err : memcmp(w, r, nbytes) ? -EILSEQ : 0;
	}
	xnvme_buf_free(dev, w);
	xnvme_buf_free(dev, r);
	return err;
}

struct counts {
	int ok, err;
	uint16_t last_sc, last_sct;
};

static void
count_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct counts *c = arg;

	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		c->err++;
		c->last_sc = ctx->cpl.status.sc;
		c->last_sct = ctx->cpl.status.sct;
	} else {
		c->ok++;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* @p n commands of @p nbytes each, writes or reads, in flight at once; then a drain */
static int
rw_async(struct xnvme_dev *dev, struct xnvme_queue *q, int write, uint32_t n, size_t nbytes,
	 uint8_t *buf, struct counts *c)
{
	uint32_t lba = xnvme_dev_get_geo(dev)->lba_nbytes;

	memset(c, 0, sizeof(*c));
	xnvme_queue_set_cb(q, count_cb, c);
	for (uint32_t i = 0; i < n; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(q);
		uint64_t slba = (uint64_t)i * (nbytes / lba);
		uint16_t nlb = (uint16_t)(nbytes / lba - 1);
		int err = write ? xnvme_nvm_write(ctx, xnvme_dev_get_nsid(dev), slba, nlb,
						  buf + i * nbytes, NULL)
				: xnvme_nvm_read(ctx, xnvme_dev_get_nsid(dev), slba, nlb,
						 buf + i * nbytes, NULL);

		if (err) {
			xnvme_queue_put_cmd_ctx(q, ctx);
			c->err++;
		}
	}
	return xnvme_queue_drain(q) < 0 ? -EIO : 0;
}

static void
case_shapes(void)
{
	static const char *const specs[] = {
	    "16MiB",
	    "16MiB,ioccsz=4,maxh2cdata=4096,r2tsize=8192,c2hsize=1024",
	    "16MiB,success=always,cpda=3,c2hsize=3072",
	    "16MiB,lbads=4096,hdgst=required,ddgst=required,maxh2cdata=8192,r2tsize=16384",
	};

	for (size_t s = 0; s < sizeof(specs) / sizeof(specs[0]); ++s) {
		const char *query = strstr(specs[s], "required") ? "?digest=both" : NULL;
		size_t sizes[] = {4096, 8192, 65536, 262144, 1u << 20};
		struct tcp_target *target = NULL;
		struct xnvme_queue *q = NULL;
		struct xnvme_dev *dev;
		struct counts c;
		uint8_t *w, *r;

		if (tcp_target_start(specs[s], &target)) {
			CHECK(0, "target %s starts", specs[s]);
			continue;
		}
		dev = open_target(target, query, 5);
		CHECK(dev, "%s: open", specs[s]);
		if (!dev) {
			tcp_target_free(target);
			continue;
		}
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); ++i) {
			if (sizes[i] > xnvme_dev_get_geo(dev)->mdts_nbytes) {
				continue;
			}
			/* 1 MiB apart: sizes up to 1 MiB, 5 of them, in 16 MiB */
			uint64_t slba = i * ((1u << 20) / xnvme_dev_get_geo(dev)->lba_nbytes);
			int err = round_trip(dev, slba, sizes[i], (uint32_t)(s * 10 + i));

			CHECK(!err, "%s: %zu bytes, sync (%d)", specs[s], sizes[i], err);
		}
		w = xnvme_buf_alloc(dev, 64 * 16384);
		r = xnvme_buf_alloc(dev, 64 * 16384);
		fill(w, 64 * 16384, (uint32_t)s);
		memset(r, 0, 64 * 16384);
		CHECK(!xnvme_queue_init(dev, 64, 0, &q), "%s: a queue of 64", specs[s]);
		if (q) {
			CHECK(!rw_async(dev, q, 1, 64, 16384, w, &c) && c.ok == 64 &&
				  !rw_async(dev, q, 0, 64, 16384, r, &c) && c.ok == 64 &&
				  !memcmp(w, r, 64 * 16384),
			      "%s: 64 commands of 16 KiB in flight each way, read back", specs[s]);
			xnvme_queue_term(q);
		}
		xnvme_buf_free(dev, w);
		xnvme_buf_free(dev, r);
		xnvme_dev_close(dev);
		tcp_target_free(target);
	}
}

/* The fault's command fails, the others complete, the device (or a fresh open) works after */
static void
one_fault(const char *fault, int with_digests, int survives)
{
	char spec[256];
	struct tcp_target *target = NULL;
	struct xnvme_queue *q = NULL;
	struct xnvme_dev *dev;
	struct counts c = {0};
	time_t start;
	uint8_t *buf;
	int err;

	snprintf(spec, sizeof(spec), "16MiB%s,fault=%s@3",
		 with_digests ? ",hdgst=required,ddgst=required" : "", fault);
	if (tcp_target_start(spec, &target)) {
		CHECK(0, "%s: target starts", fault);
		return;
	}
	dev = open_target(target, with_digests ? "?digest=both" : NULL, 2);
	if (!dev || xnvme_queue_init(dev, 16, 0, &q)) {
		CHECK(0, "%s: open and a queue", fault);
		xnvme_dev_close(dev);
		tcp_target_free(target);
		return;
	}
	buf = xnvme_buf_alloc(dev, 8 * 4096);
	fill(buf, 8 * 4096, 5);
	/* Written first, then read: the fault hits the third I/O capsule, a read */
	rw_sync(dev, 1, 0, 8 * 4096, buf);
	start = time(NULL);
	err = rw_async(dev, q, 0, 8, 4096, buf, &c);
	CHECK(c.err >= 1 && c.ok + c.err == 8 && time(NULL) - start < 10,
	      "fault %s: the faulted read fails, every command completes (%d ok, %d failed, last "
	      "sct %#x sc %#x, drain %d, %lld s)",
	      fault, c.ok, c.err, c.last_sct, c.last_sc, err, (long long)(time(NULL) - start));
	if (survives) {
		CHECK(!rw_async(dev, q, 0, 4, 4096, buf, &c) && c.ok == 4,
		      "fault %s: the connection goes on", fault);
	}
	xnvme_queue_term(q);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	dev = open_target(target, with_digests ? "?digest=both" : NULL, 2);
	CHECK(dev && !round_trip(dev, 100, 4096, 9), "fault %s: a fresh open works after", fault);
	xnvme_dev_close(dev);
	tcp_target_free(target);
}

static void
case_faults(void)
{
	one_fault("close", 0, 0);
	one_fault("stall", 0, 0);
	one_fault("badhlen", 0, 0);
	one_fault("badplen", 0, 0);
	one_fault("badtype", 0, 0);
	one_fault("baddatal", 0, 0);
	one_fault("badcccid", 0, 0);
	one_fault("termreq", 0, 0);
	one_fault("badhdgst", 1, 0);
	one_fault("badddgst", 1, 1);
}

static void
case_lost(void)
{
	struct tcp_target *target = NULL;
	struct xnvme_queue *q = NULL;
	struct xnvme_dev *dev;
	struct counts c = {0};
	uint8_t *buf;
	time_t start;
	int err;

	if (tcp_target_start("16MiB,fault=stall@40", &target)) {
		CHECK(0, "lost: target starts");
		return;
	}
	dev = open_target(target, NULL, 30);
	if (!dev || xnvme_queue_init(dev, 32, 0, &q)) {
		CHECK(0, "lost: open and a queue");
		xnvme_dev_close(dev);
		tcp_target_free(target);
		return;
	}
	buf = xnvme_buf_alloc(dev, 32 * 4096);
	fill(buf, 32 * 4096, 3);
	CHECK(!rw_async(dev, q, 1, 32, 4096, buf, &c) && c.ok == 32, "lost: 32 writes land");
	/* The 40th command stalls: the reads after it are in flight when the target goes */
	xnvme_queue_set_cb(q, count_cb, &c);
	memset(&c, 0, sizeof(c));
	for (uint32_t i = 0; i < 16; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(q);

		if (xnvme_nvm_read(ctx, xnvme_dev_get_nsid(dev), i * 8, 7, buf, NULL)) {
			xnvme_queue_put_cmd_ctx(q, ctx);
		}
	}
	xnvme_queue_poke(q, 0);
	usleep(200 * 1000);
	xnvme_queue_poke(q, 0);
	start = time(NULL);
	tcp_target_stop(target);
	err = xnvme_queue_drain(q);
	CHECK(
	    c.ok + c.err == 16 && c.err >= 1 && c.last_sct == 3 && c.last_sc == 0x70 &&
		time(NULL) - start < 5,
	    "lost: the commands in flight complete, Host Pathing Error (%d ok, %d failed, sct %#x "
	    "sc %#x, drain %d, %lld s)",
	    c.ok, c.err, c.last_sct, c.last_sc, err, (long long)(time(NULL) - start));
	{
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(q);

		memset(&c, 0, sizeof(c));
		err = xnvme_nvm_read(ctx, xnvme_dev_get_nsid(dev), 0, 0, buf, NULL);
		if (err) {
			xnvme_queue_put_cmd_ctx(q, ctx);
		}
		xnvme_queue_drain(q);
		CHECK(
		    !err && c.err == 1 && c.last_sct == 3 && c.last_sc == 0x70,
		    "lost: a later submit on that queue completes with Host Pathing Error (%d, %d "
		    "failed)",
		    err, c.err);
	}
	xnvme_queue_term(q);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	CHECK(!tcp_target_restart(target), "lost: the target is back");
	dev = open_target(target, NULL, 5);
	buf = dev ? xnvme_buf_alloc(dev, 4096) : NULL;
	if (buf) {
		uint8_t want[4096];

		fill(want, 4096, 3);
		CHECK(!rw_sync(dev, 0, 0, 4096, buf) && !memcmp(buf, want, 4096),
		      "lost: a fresh open reads back what was written before");
	} else {
		CHECK(0, "lost: a fresh open");
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	tcp_target_free(target);
}

static void
case_keepalive(void)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct tcp_target *target = NULL;
	struct tcp_target_stats stats;
	struct xnvme_dev *dev;

	if (tcp_target_start("16MiB", &target)) {
		CHECK(0, "keepalive: target starts");
		return;
	}
	snprintf(g_uri, sizeof(g_uri), "nvme+tcp://127.0.0.1:%u/%s", tcp_target_port(target),
		 tcp_target_subnqn(target));
	opts.keep_alive_timeout_ms = 400;
	dev = xnvme_dev_open(g_uri, &opts);
	CHECK(dev && !round_trip(dev, 0, 4096, 1), "keepalive: KATO 400 ms, a round trip");
	sleep(2);
	CHECK(dev && !round_trip(dev, 8, 4096, 2), "keepalive: after 2 s idle, another");
	tcp_target_stats(target, &stats);
	CHECK(!stats.kato_expired, "keepalive: no association expired (%llu)",
	      (unsigned long long)stats.kato_expired);
	xnvme_dev_close(dev);
	tcp_target_free(target);
}

static int
enum_cb(struct xnvme_dev *dev, void *arg)
{
	int *n = arg;

	*n += !strcmp(xnvme_dev_get_ident(dev)->subnqn, "nqn.2026-12.io.xnvme:tcp-target");
	return XNVME_ENUMERATE_DEV_CLOSE;
}

static void
case_discovery(void)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct tcp_target *target = NULL;
	char addr[64];
	int n = 0, err;

	if (tcp_target_start("16MiB", &target)) {
		CHECK(0, "discovery: target starts");
		return;
	}
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", tcp_target_port(target));
	err = xnvme_enumerate(addr, &opts, enum_cb, &n);
	CHECK(!err && n == 1, "discovery: the subsystem listed once (%d, %d)", err, n);
	tcp_target_free(target);
}

/* A target that lets in one host NQN: refused with a reason naming it, let in when given */
static void
case_host(void)
{
	static const char *const allowed = "nqn.2026-12.io.xnvme:allowed-host";
	struct xnvme_opts opts = xnvme_opts_default();
	struct tcp_target *target = NULL;
	struct xnvme_dev *dev;
	char query[128];

	if (tcp_target_start("16MiB,hostnqn=nqn.2026-12.io.xnvme:allowed-host", &target)) {
		CHECK(0, "host: target starts");
		return;
	}
	dev = open_target(target, NULL, 5);
	CHECK(!dev && strstr(xnvme_dev_open_err_msg(), "hostnqn"),
	      "host: another host NQN is refused, the reason says so (%s)",
	      xnvme_dev_open_err_msg());
	xnvme_dev_close(dev);
	snprintf(query, sizeof(query), "?hostnqn=%s", allowed);
	dev = open_target(target, query, 5);
	CHECK(dev && !round_trip(dev, 0, 4096, 4), "host: ?hostnqn= in the URI is let in");
	xnvme_dev_close(dev);
	snprintf(g_uri, sizeof(g_uri), "nvme+tcp://127.0.0.1:%u/%s", tcp_target_port(target),
		 tcp_target_subnqn(target));
	opts.hostnqn = allowed;
	dev = xnvme_dev_open(g_uri, &opts);
	CHECK(dev && !round_trip(dev, 8, 4096, 5), "host: opts.hostnqn is let in");
	xnvme_dev_close(dev);
	tcp_target_free(target);
}

int
main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(240);
	if (!strcmp(what, "shapes")) {
		case_shapes();
	} else if (!strcmp(what, "faults")) {
		case_faults();
	} else if (!strcmp(what, "lost")) {
		case_lost();
	} else if (!strcmp(what, "keepalive")) {
		case_keepalive();
	} else if (!strcmp(what, "discovery")) {
		case_discovery();
	} else if (!strcmp(what, "host")) {
		case_host();
	} else {
		fprintf(stderr, "usage: %s shapes|faults|lost|keepalive|discovery|host\n", argv[0]);
		return 2;
	}
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
