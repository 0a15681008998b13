/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk through an async interface, thrpool by default, whose worker threads carry out one
 * queue's commands at once in the model:
 *   - thousands of writes and reads with metadata, two in three vectored, from 8 workers on
 *     one queue, the queue's thread reading the SMART log meanwhile, land intact and are
 *     counted exactly;
 *   - zone appends from the workers to one zone each get their own LBA and land there;
 *   - a queue of capacity N hands out N + 1 contexts, the extra one's submission answers -EBUSY
 *     until the queue has room, then it goes; drain reaps them all;
 *   - terminating a queue with commands outstanding completes them: the data is on the device;
 *   - a command the model fails completes with its status (not refused at submit);
 *   - the completion fd, where the interface offers one, is readable when a completion waits.
 * usage: test_ramdisk_async [ASYNC]   (default: thrpool)
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "../target/check.h"

#define MANY_NCMDS    4096U /* half of the device's 8-block chunks */
#define MANY_CHUNK    8U    /* blocks */
#define MANY_QD       64U
#define APPEND_NCMDS  256U
#define HEALTH_HWC    80U /* SMART / health log: Host Write Commands, bytes 80..95 (NVMe 2.0) */
#define HEALTH_NBYTES 512U

static const char *g_async = "thrpool";

static struct xnvme_dev *
async_open(const char *uri)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	opts.async = g_async;
	dev = xnvme_dev_open(uri, &opts);
	if (!dev) {
		CHECK(0, "open %s with %s: %s (%s)", uri, g_async, strerror(errno),
		      xnvme_dev_open_err_msg());
	}
	return dev;
}

/* A device opened with the async interface, a queue, and two buffers (written, read back) */
struct fixture {
	struct xnvme_dev *dev;
	struct xnvme_queue *queue;
	uint8_t *buf;
	uint8_t *back;
};

static void
fixture_close(struct fixture *fx)
{
	xnvme_queue_term(fx->queue);
	xnvme_buf_free(fx->dev, fx->buf);
	xnvme_buf_free(fx->dev, fx->back);
	xnvme_dev_close(fx->dev);
}

/* Sets up @p fx; 0, or -1 with the failure reported and nothing left set up */
static int
fixture_open(struct fixture *fx, const char *uri, uint32_t capacity, size_t nbytes)
{
	int err;

	*fx = (struct fixture){.dev = async_open(uri)};
	if (!fx->dev) {
		return -1;
	}
	fx->buf = xnvme_buf_alloc(fx->dev, nbytes);
	fx->back = xnvme_buf_alloc(fx->dev, nbytes);
	err = xnvme_queue_init(fx->dev, capacity, 0, &fx->queue);
	if (err || !fx->buf || !fx->back) {
		CHECK(0, "%s: a queue of %u (%d) and %zu bytes of buffers", g_async, capacity, err,
		      nbytes);
		fixture_close(fx);
		return -1;
	}
	return 0;
}

/* Host Write Commands of the SMART log (low 64 bits), through the sync admin path; -1: failed */
static int64_t
host_write_cmds(struct xnvme_dev *dev)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t log[HEALTH_NBYTES];
	uint64_t val;

	if (xnvme_adm_log(&ctx, XNVME_SPEC_LOG_HEALTH, 0, 0, 0xFFFFFFFF, 0, log, sizeof(log))) {
		return -1;
	}
	memcpy(&val, log + HEALTH_HWC, sizeof(val));
	return (int64_t)val;
}

/* Every byte of a block differs by LBA and round; metadata too */
static void
fill_block(uint8_t *buf, size_t nbytes, uint64_t lba, uint32_t round)
{
	for (size_t i = 0; i < nbytes; ++i) {
		buf[i] = (uint8_t)(lba * 131 + i * 7 + round * 29 + (i >> 8));
	}
}

struct many_run;

struct many_cmd {
	struct many_run *run;
	uint64_t slba;
	uint32_t nlb; ///< Blocks, 1..MANY_CHUNK
	struct iovec iov[MANY_CHUNK];
	struct iovec miov;
	int ncb;
};

struct many_run {
	struct xnvme_queue *queue;
	struct many_cmd *cmds;
	uint32_t ndone;
	uint32_t nerr;
	uint32_t ntwice;
};

static void
many_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct many_cmd *c = cb_arg;
	struct many_run *r = c->run;

	r->ndone++;
	r->ntwice += ++c->ncb != 1;
	r->nerr += xnvme_cmd_ctx_cpl_status(ctx) != 0;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Submits one command, waiting for a context and for room in the queue */
static int
many_submit(struct many_run *r, uint32_t idx, uint8_t opc, uint32_t nsid, uint32_t lba_nbytes,
	    uint32_t ms)
{
	struct many_cmd *c = &r->cmds[idx];
	struct xnvme_cmd_ctx *ctx;
	int err;

	while (!(ctx = xnvme_queue_get_cmd_ctx(r->queue))) {
		if (xnvme_queue_wait(r->queue) < 0) {
			return -ETIMEDOUT;
		}
	}
	xnvme_cmd_ctx_set_cb(ctx, many_cb, c);
	c->ncb = 0;
	do {
		xnvme_prep_nvm(ctx, opc, nsid, c->slba, (uint16_t)(c->nlb - 1));
		/*
		 * Plain, vectored with a metadata vector, and vectored with contiguous metadata
		 * (whose one-piece vector the library builds on its stack), in turn; a vector has a
		 * piece per block
		 */
		if (idx % 3 == 0) {
			err = xnvme_cmd_pass(ctx, c->iov[0].iov_base, c->nlb * lba_nbytes,
					     ms ? c->miov.iov_base : NULL, c->nlb * ms);
		} else if (idx % 3 == 1) {
			err = xnvme_cmd_passv(ctx, c->iov, c->nlb, c->nlb * lba_nbytes,
					      ms ? &c->miov : NULL, ms ? 1 : 0, c->nlb * ms);
		} else {
			err = xnvme_cmd_pass_iov(ctx, c->iov, c->nlb, c->nlb * lba_nbytes,
						 ms ? c->miov.iov_base : NULL, c->nlb * ms);
		}
	} while (err == -EBUSY && xnvme_queue_poke(r->queue, 0) >= 0);
	if (err) {
		xnvme_queue_put_cmd_ctx(r->queue, ctx);
	}
	return err;
}

/* One phase: every command with @p opc, the queue kept full; the admin path used meanwhile */
static void
many_phase(struct xnvme_dev *dev, struct many_run *r, uint8_t opc, const char *what)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	int err = 0, admin_ok = 1;

	r->ndone = r->nerr = r->ntwice = 0;
	for (uint32_t i = 0; i < MANY_NCMDS && !err; ++i) {
		err = many_submit(r, i, opc, nsid, geo->lba_nbytes, geo->nbytes_oob);
		if (i % 64 == 63) {
			admin_ok &= host_write_cmds(dev) >= 0;
		}
	}
	err = err ? err : (xnvme_queue_drain(r->queue) < 0 ? -ETIMEDOUT : 0);
	CHECK(!err && admin_ok && r->ndone == MANY_NCMDS && !r->nerr && !r->ntwice &&
		  !xnvme_queue_get_outstanding(r->queue),
	      "%s: %u %s through one queue of %u: %u completed, %u failed, %u twice (%d)", g_async,
	      MANY_NCMDS, what, MANY_QD, r->ndone, r->nerr, r->ntwice, err);
}

static void
test_many(void)
{
	const char *uri = "ramdisk:32MiB,ms=8";
	struct xnvme_dev *dev = async_open(uri);
	const struct xnvme_geo *geo;
	struct many_run r = {0};
	uint8_t *wbuf, *rbuf, *wmeta, *rmeta;
	size_t dchunk, mchunk;
	int64_t hwc0, hwc1;
	int err, same = 1;

	if (!dev) {
		return;
	}
	geo = xnvme_dev_get_geo(dev);
	dchunk = (size_t)MANY_CHUNK * geo->lba_nbytes;
	mchunk = (size_t)MANY_CHUNK * geo->nbytes_oob;
	err = xnvme_queue_init(dev, MANY_QD, 0, &r.queue);
	wbuf = xnvme_buf_alloc(dev, MANY_NCMDS * dchunk);
	rbuf = xnvme_buf_alloc(dev, MANY_NCMDS * dchunk);
	wmeta = xnvme_buf_alloc(dev, MANY_NCMDS * mchunk);
	rmeta = xnvme_buf_alloc(dev, MANY_NCMDS * mchunk);
	r.cmds = calloc(MANY_NCMDS, sizeof(*r.cmds));
	if (err || !wbuf || !rbuf || !wmeta || !rmeta || !r.cmds) {
		CHECK(0, "queue of %u with %s (%d), or memory", MANY_QD, g_async, err);
		goto out;
	}
	for (uint32_t i = 0; i < MANY_NCMDS; ++i) {
		struct many_cmd *c = &r.cmds[i];
		/* an odd stride visits every other chunk once: scattered, never overlapping */
		uint64_t chunk = (i * 2654435761ULL) % (MANY_NCMDS * 2);

		c->run = &r;
		c->slba = chunk * MANY_CHUNK;
		c->nlb = 1 + i % MANY_CHUNK;
		for (uint32_t b = 0; b < c->nlb; ++b) {
			fill_block(wbuf + i * dchunk + b * geo->lba_nbytes, geo->lba_nbytes,
				   c->slba + b, 1);
			fill_block(wmeta + i * mchunk + b * geo->nbytes_oob, geo->nbytes_oob,
				   c->slba + b, 2);
		}
	}
	hwc0 = host_write_cmds(dev);

	/* writes from wbuf/wmeta, then reads into rbuf/rmeta through the same vectors */
	for (int phase = 0; phase < 2; ++phase) {
		uint8_t *d = phase ? rbuf : wbuf, *m = phase ? rmeta : wmeta;

		for (uint32_t i = 0; i < MANY_NCMDS; ++i) {
			struct many_cmd *c = &r.cmds[i];

			for (uint32_t b = 0; b < MANY_CHUNK; ++b) {
				c->iov[b].iov_base = d + i * dchunk + b * geo->lba_nbytes;
				c->iov[b].iov_len = geo->lba_nbytes;
			}
			c->miov.iov_base = m + i * mchunk;
			c->miov.iov_len = c->nlb * geo->nbytes_oob;
		}
		many_phase(dev, &r, phase ? XNVME_SPEC_NVM_OPC_READ : XNVME_SPEC_NVM_OPC_WRITE,
			   phase ? "reads" : "writes");
	}
	for (uint32_t i = 0; i < MANY_NCMDS && same; ++i) {
		same = !memcmp(rbuf + i * dchunk, wbuf + i * dchunk,
			       r.cmds[i].nlb * geo->lba_nbytes) &&
		       !memcmp(rmeta + i * mchunk, wmeta + i * mchunk,
			       r.cmds[i].nlb * geo->nbytes_oob);
	}
	CHECK(same, "%s: every command's data and metadata read back as written", g_async);
	hwc1 = host_write_cmds(dev);
	CHECK(hwc0 >= 0 && hwc1 - hwc0 == MANY_NCMDS,
	      "%s: the SMART log counts every write once: %lld", g_async, (long long)(hwc1 - hwc0));
out:
	xnvme_queue_term(r.queue);
	free(r.cmds);
	xnvme_buf_free(dev, wbuf);
	xnvme_buf_free(dev, rbuf);
	xnvme_buf_free(dev, wmeta);
	xnvme_buf_free(dev, rmeta);
	xnvme_dev_close(dev);
}

struct append_run {
	uint64_t lba[APPEND_NCMDS];
	uint32_t ndone;
	uint32_t nerr;
};

/* The callback's argument: where the command's LBA goes */
struct append_slot {
	struct append_run *run;
	uint64_t *lba;
};

static void
append_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct append_slot *slot = cb_arg;

	slot->run->ndone++;
	slot->run->nerr += xnvme_cmd_ctx_cpl_status(ctx) != 0;
	*slot->lba = ctx->cpl.result;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Appends to one zone from the workers: each block at its own LBA, as the completion says */
static void
test_append(void)
{
	struct append_run r = {0};
	struct append_slot slots[APPEND_NCMDS];
	struct fixture fx;
	uint32_t nbad = 0;
	int err = 0;

	if (fixture_open(&fx, "ramdisk:16MiB,zoned=1,lbads=4096,zsze=1024", 32,
			 APPEND_NCMDS * 4096)) {
		return;
	}
	for (uint32_t i = 0; i < APPEND_NCMDS && !err; ++i) {
		struct xnvme_cmd_ctx *ctx;

		fill_block(fx.buf + i * 4096, 4096, i, 3);
		r.lba[i] = UINT64_MAX;
		slots[i] = (struct append_slot){.run = &r, .lba = &r.lba[i]};
		while (!(ctx = xnvme_queue_get_cmd_ctx(fx.queue))) {
			xnvme_queue_poke(fx.queue, 0);
		}
		xnvme_cmd_ctx_set_cb(ctx, append_cb, &slots[i]);
		do {
			err = xnvme_znd_append(ctx, xnvme_dev_get_nsid(fx.dev), 0, 0,
					       fx.buf + i * 4096, NULL);
		} while (err == -EBUSY && xnvme_queue_poke(fx.queue, 0) >= 0);
	}
	err = err ? err : (xnvme_queue_drain(fx.queue) < 0 ? -ETIMEDOUT : 0);
	if (!err) {
		struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(fx.dev);

		err = xnvme_nvm_read(&ctx, xnvme_dev_get_nsid(fx.dev), 0, APPEND_NCMDS - 1, fx.back,
				     NULL);
	}
	for (uint32_t i = 0; !err && i < APPEND_NCMDS; ++i) {
		nbad += r.lba[i] >= APPEND_NCMDS ||
			memcmp(fx.back + r.lba[i] * 4096, fx.buf + i * 4096, 4096);
	}
	CHECK(!err && r.ndone == APPEND_NCMDS && !r.nerr && !nbad,
	      "%s: %u appends to one zone: %u completed, %u failed, %u not at their LBA (%d)",
	      g_async, APPEND_NCMDS, r.ndone, r.nerr, nbad, err);
	fixture_close(&fx);
}

/* Capacity 4: five contexts, four go, the fifth waits for room (-EBUSY), then goes */
static void
test_queue_full(void)
{
	struct check_cpl cpl = {0};
	struct xnvme_cmd_ctx *ctxs[5], sctx;
	struct fixture fx;
	int err, nsub = 0;

	if (fixture_open(&fx, "ramdisk:1MiB", 4, 5 * 512)) {
		return;
	}
	xnvme_queue_set_cb(fx.queue, check_cpl_cb, &cpl);
	for (int i = 0; i < 5; ++i) {
		ctxs[i] = xnvme_queue_get_cmd_ctx(fx.queue);
		fill_block(fx.buf + i * 512, 512, (uint64_t)i, 4);
	}
	CHECK(ctxs[4] && !xnvme_queue_get_cmd_ctx(fx.queue) && errno == ENOMEM,
	      "%s: a queue of 4 hands out 5 contexts, then NULL with ENOMEM", g_async);
	for (int i = 0; i < 4 && ctxs[i]; ++i) {
		nsub += !xnvme_nvm_write(ctxs[i], 1, (uint64_t)i, 0, fx.buf + i * 512, NULL);
	}
	err = ctxs[4] ? xnvme_nvm_write(ctxs[4], 1, 4, 0, fx.buf + 4 * 512, NULL) : -1;
	CHECK(nsub == 4 && err == -EBUSY && xnvme_queue_get_outstanding(fx.queue) == 4,
	      "%s: four submitted, the fifth -EBUSY (%d), four outstanding", g_async, err);
	err = xnvme_queue_drain(fx.queue);
	CHECK(err == 4 && cpl.ndone == 4 && !cpl.nerr, "%s: drain reaps the four (%d)", g_async,
	      err);
	err = ctxs[4] ? xnvme_nvm_write(ctxs[4], 1, 4, 0, fx.buf + 4 * 512, NULL) : -1;
	CHECK(!err && xnvme_queue_drain(fx.queue) == 1 && cpl.ndone == 5 && !cpl.nerr,
	      "%s: the fifth context goes once there is room (%d)", g_async, err);
	sctx = xnvme_cmd_ctx_from_dev(fx.dev);
	err = xnvme_nvm_read(&sctx, 1, 0, 4, fx.back, NULL);
	CHECK(!err && !memcmp(fx.buf, fx.back, 5 * 512), "%s: the five writes are on the device",
	      g_async);
	fixture_close(&fx);
}

/* Terminating a queue with writes outstanding completes them; their data is on the device */
static void
test_term_outstanding(void)
{
	struct check_cpl cpl = {0};
	struct xnvme_cmd_ctx sctx;
	struct fixture fx;
	int err = 0;

	if (fixture_open(&fx, "ramdisk:1MiB", 16, 16 * 4096)) {
		return;
	}
	xnvme_queue_set_cb(fx.queue, check_cpl_cb, &cpl);
	fill_block(fx.buf, 16 * 4096, 0, 5);
	for (uint32_t i = 0; i < 16 && !err; ++i) {
		err = xnvme_nvm_write(xnvme_queue_get_cmd_ctx(fx.queue), 1, i * 8, 7,
				      fx.buf + i * 4096, NULL);
	}
	err = err ? err : xnvme_queue_term(fx.queue);
	fx.queue = NULL;
	CHECK(!err && cpl.ndone == 16 && !cpl.nerr,
	      "%s: term with 16 writes outstanding: %d, %d callbacks ran", g_async, err, cpl.ndone);
	sctx = xnvme_cmd_ctx_from_dev(fx.dev);
	err = xnvme_nvm_read(&sctx, 1, 0, 127, fx.back, NULL);
	CHECK(!err && !memcmp(fx.buf, fx.back, 16 * 4096),
	      "%s: the writes outstanding at term landed", g_async);
	fixture_close(&fx);
}

struct status_seen {
	uint32_t ndone;
	uint8_t sct, sc;
};

static void
status_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct status_seen *s = cb_arg;

	s->ndone++;
	s->sct = ctx->cpl.status.sct;
	s->sc = ctx->cpl.status.sc;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Submits what @p ctx holds (prepared) and waits for it; the status it completed with */
static int
status_of(struct xnvme_queue *queue, struct xnvme_cmd_ctx *ctx, void *buf, struct status_seen *s)
{
	int err;

	*s = (struct status_seen){0};
	xnvme_cmd_ctx_set_cb(ctx, status_cb, s);
	err = xnvme_cmd_pass(ctx, buf, buf ? 512 : 0, NULL, 0);
	if (err) {
		xnvme_queue_put_cmd_ctx(queue, ctx);
		return err;
	}
	return xnvme_queue_drain(queue) == 1 && s->ndone == 1 ? 0 : -ETIMEDOUT;
}

/* Commands the model fails complete with the model's status; submit answered 0 */
static void
test_status(void)
{
	struct xnvme_cmd_ctx *ctx;
	struct status_seen s;
	struct fixture fx;
	int err;

	if (fixture_open(&fx, "ramdisk:1MiB,ms=0", 4, 512)) {
		return;
	}
	ctx = xnvme_queue_get_cmd_ctx(fx.queue);
	xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE, 1, 3, 0);
	err = status_of(fx.queue, ctx, NULL, &s);
	CHECK(!err && !s.sct && !s.sc, "%s: write uncorrectable completes (%d)", g_async, err);
	ctx = xnvme_queue_get_cmd_ctx(fx.queue);
	xnvme_prep_nvm(ctx, XNVME_SPEC_NVM_OPC_READ, 1, 3, 0);
	err = status_of(fx.queue, ctx, fx.buf, &s);
	CHECK(!err && s.sct == XNVME_STATUS_CODE_TYPE_MEDIA &&
		  s.sc == XNVME_SPEC_SC_UNRECOVERED_READ_ERROR,
	      "%s: reading it completes with Unrecovered Read Error (%d: sct %u sc 0x%x)", g_async,
	      err, s.sct, s.sc);
	ctx = xnvme_queue_get_cmd_ctx(fx.queue);
	xnvme_prep_nvm(ctx, 0x7E, 1, 0, 0);
	err = status_of(fx.queue, ctx, NULL, &s);
	CHECK(!err && s.sct == XNVME_STATUS_CODE_TYPE_GENERIC &&
		  s.sc == XNVME_SPEC_SC_INVALID_OPCODE,
	      "%s: an opcode the model has not got completes with Invalid Opcode (%d: sct %u sc "
	      "0x%x)",
	      g_async, err, s.sct, s.sc);
	fixture_close(&fx);
}

/* Readable within @p ms; 1: yes, 0: no */
static int
fd_readable(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, ms) == 1 && (pfd.revents & POLLIN);
}

/* The completion fd, where offered: readable when a completion waits, not when none does */
static void
test_completion_fd(void)
{
	struct check_cpl cpl = {0};
	struct fixture fx;
	int fd, ok = 1;

	if (fixture_open(&fx, "ramdisk:1MiB", 4, 512)) {
		return;
	}
	xnvme_queue_set_cb(fx.queue, check_cpl_cb, &cpl);
	fd = xnvme_queue_get_completion_fd(fx.queue);
	if (fd == -ENOSYS) {
		printf("NOTE: %s has no completion fd\n", g_async);
		goto out;
	}
	CHECK(fd >= 0 && !fd_readable(fd, 0), "%s: completion fd %d, not readable when idle",
	      g_async, fd);
	for (int round = 0; round < 2 && fd >= 0; ++round) {
		ok &= !xnvme_nvm_read(xnvme_queue_get_cmd_ctx(fx.queue), 1, 0, 0, fx.buf, NULL);
		ok &= fd_readable(fd, 5000);
		ok &= xnvme_queue_poke(fx.queue, 0) == 1;
		ok &= !fd_readable(fd, 0);
	}
	CHECK(ok && cpl.ndone == 2 && !cpl.nerr,
	      "%s: twice: readable with a completion waiting, not after the poke reaped it",
	      g_async);
out:
	fixture_close(&fx);
}

int
main(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: %s [ASYNC]\n", argv[0]);
		return 2;
	}
	g_async = argc > 1 ? argv[1] : g_async;
	/* More workers than cores: the model's commands overlap however the threads are run */
	setenv("XNVME_THRPOOL_NTHREADS", "8", 1);
	test_many();
	test_append();
	test_queue_full();
	test_term_outstanding();
	test_status();
	test_completion_fd();
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
