/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rounds of the async interface tests, portable C over the public API: a round's commands
 * write a pattern to scattered ranges of a 64 MiB file (every third vectored) with the queue kept
 * full, then read it back with the callbacks submitting, every reap's count checked. Shared by
 * tests/unit/test_async_ifaces.c (Linux) and tests/target/test_win_async.c (Windows), which
 * supply the file, the watchdog, the independent checker and
 *     static void fail(const struct run *r, const char *fmt, ...);  (prints, exits 1)
 * declared before this header with ASYNC_ROUNDS_FAIL_DECL.
 */
#ifndef __XNVME_TEST_ASYNC_ROUNDS_H
#define __XNVME_TEST_ASYNC_ROUNDS_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>

/* mingw's printf is C99's here (__USE_MINGW_ANSI_STDIO): its format checks are gnu_printf's */
#ifdef _WIN32
#define ASYNC_ROUNDS_PRINTF gnu_printf
#else
#define ASYNC_ROUNDS_PRINTF printf
#endif

#define FILE_NBYTES  (64ULL << 20)
#define CHUNK_NBYTES (16ULL << 10) /* the file is cut into chunks; a command writes one */
#define PIECE_NBYTES 4096ULL       /* commands are 1..4 pieces long */
#define NCMDS        2048U         /* commands per round: half the file's chunks */

struct cmd {
	uint64_t off;  ///< Byte offset in the file
	size_t nbytes; ///< 4 KiB .. 16 KiB
	uint8_t *wbuf; ///< The pattern
	uint8_t *rbuf; ///< Read back through the interface
	struct iovec iov[4];
	int niov; ///< 1: plain; more: vectored (iov stays valid until completion)
	int ncb;  ///< Callbacks seen
	struct run *run;
};

struct run {
	const char *tag; ///< "iface direct=N qd=N" for messages
	struct xnvme_dev *dev;
	struct xnvme_queue *queue;
	struct cmd *cmds;
	uint32_t nsid;
	uint32_t lba_nbytes;
	uint32_t next;       ///< Next command to submit
	uint8_t opcode;      ///< Read or write, for this phase
	int chain;           ///< Callbacks submit the next command
	uint64_t nsubmitted; ///< Counted at each 0 return of a pass
	uint64_t ncompleted; ///< Counted in callbacks
	uint32_t peak;       ///< Most commands outstanding at once
};

static void __attribute__((format(ASYNC_ROUNDS_PRINTF, 2, 3), noreturn))
fail(const struct run *r, const char *fmt, ...);

/* The pattern of a round: every 8 bytes differ by round, offset and position */
static inline void
fill_pattern(uint8_t *buf, size_t nbytes, uint64_t off, uint64_t round)
{
	for (size_t i = 0; i < nbytes; i += 8) {
		uint64_t v =
		    (off + i) * 0x9E3779B97F4A7C15ULL ^ (round + 1) * 0xC2B2AE3D27D4EB4FULL;

		memcpy(buf + i, &v, 8);
	}
}

static inline int submit_next(struct run *r);

static inline void
cmd_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct cmd *c = cb_arg;
	struct run *r = c->run;

	if (++c->ncb != 1) {
		fail(r, "callback of the command at offset %llu ran %d times",
		     (unsigned long long)c->off, c->ncb);
	}
	r->ncompleted++;
	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		fail(r, "opcode 0x%x at offset %llu: status sct=%u sc=0x%x (os error %u)",
		     ctx->cmd.common.opcode, (unsigned long long)c->off, ctx->cpl.status.sct,
		     ctx->cpl.status.sc, ctx->cpl.cdw0);
	}
	if (ctx->cpl.result != c->nbytes) {
		fail(r, "offset %llu: result %llu, expected %zu bytes transferred",
		     (unsigned long long)c->off, (unsigned long long)ctx->cpl.result, c->nbytes);
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
	if (r->chain && r->next < NCMDS && submit_next(r) < 0) {
		fail(r, "no free context for a submission from a callback");
	}
}

/* Submits cmds[r->next]: 0 when submitted, -EBUSY when the queue is full */
static inline int
submit_next(struct run *r)
{
	struct cmd *c = &r->cmds[r->next];
	uint8_t *buf = r->opcode == XNVME_SPEC_NVM_OPC_WRITE ? c->wbuf : c->rbuf;
	struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(r->queue);
	uint32_t outstanding;
	int err;

	if (!ctx) {
		if (errno != ENOMEM) {
			fail(r, "xnvme_queue_get_cmd_ctx: %s", strerror(errno));
		}
		return -EBUSY;
	}
	xnvme_cmd_ctx_set_cb(ctx, cmd_cb, c);
	xnvme_prep_nvm(ctx, r->opcode, r->nsid, c->off / r->lba_nbytes,
		       (uint16_t)(c->nbytes / r->lba_nbytes - 1));
	for (int i = 0; i < c->niov; ++i) {
		c->iov[i].iov_base = buf + (size_t)i * (size_t)PIECE_NBYTES;
		c->iov[i].iov_len = PIECE_NBYTES;
	}
	outstanding = xnvme_queue_get_outstanding(r->queue);
	if (c->niov > 1) {
		err = xnvme_cmd_pass_iov(ctx, c->iov, (size_t)c->niov, c->nbytes, NULL, 0);
	} else {
		err = xnvme_cmd_pass(ctx, buf, c->nbytes, NULL, 0);
	}
	if (err == -EBUSY) {
		xnvme_queue_put_cmd_ctx(r->queue, ctx);
		return -EBUSY;
	}
	if (err) {
		fail(r, "submit of opcode 0x%x at offset %llu: %d (%s)", r->opcode,
		     (unsigned long long)c->off, err, strerror(-err));
	}
	if (xnvme_queue_get_outstanding(r->queue) != outstanding + 1) {
		fail(r, "outstanding went from %u to %u on a submit", outstanding,
		     xnvme_queue_get_outstanding(r->queue));
	}
	if (outstanding + 1 > r->peak) {
		r->peak = outstanding + 1;
	}
	r->next++;
	r->nsubmitted++;
	return 0;
}

/* One reap, by poke(0), poke(max) or wait in turn; checks what it reports */
static inline void
reap(struct run *r, unsigned turn)
{
	uint32_t before = xnvme_queue_get_outstanding(r->queue);
	uint64_t ncompleted = r->ncompleted;
	uint32_t max = 0;
	int chain = r->chain, res;

	/* Counting stays exact only when callbacks do not submit: they may complete at once */
	switch (turn % 3) {
	case 0:
		res = xnvme_queue_poke(r->queue, 0);
		break;
	case 1:
		max = 1 + turn % 7;
		res = xnvme_queue_poke(r->queue, max);
		break;
	default:
		res = xnvme_queue_wait(r->queue);
		break;
	}
	if (res < 0) {
		fail(r, "%s: %d (%s)", turn % 3 == 2 ? "wait" : "poke", res, strerror(-res));
	}
	if ((uint32_t)res > before || (max && (uint32_t)res > max)) {
		fail(r, "%s reported %d completions with %u outstanding (max %u)",
		     turn % 3 == 2 ? "wait" : "poke", res, before, max);
	}
	if ((uint64_t)res != r->ncompleted - ncompleted) {
		fail(r, "%s reported %d completions, %llu callbacks ran",
		     turn % 3 == 2 ? "wait" : "poke", res,
		     (unsigned long long)(r->ncompleted - ncompleted));
	}
	if (!chain && xnvme_queue_get_outstanding(r->queue) != before - (uint32_t)res) {
		fail(r, "outstanding %u after reaping %d of %u",
		     xnvme_queue_get_outstanding(r->queue), res, before);
	}
	if (r->ncompleted > r->nsubmitted) {
		fail(r, "%llu completions for %llu submissions", (unsigned long long)r->ncompleted,
		     (unsigned long long)r->nsubmitted);
	}
}

/* Runs every command of the phase with the queue kept full, then drains */
static inline void
run_phase(struct run *r, uint8_t opcode, int chain)
{
	unsigned turn = 0;
	int res;

	r->opcode = opcode;
	r->chain = chain;
	r->next = 0;
	r->nsubmitted = 0;
	r->ncompleted = 0;
	r->peak = 0;
	for (uint32_t i = 0; i < NCMDS; ++i) {
		r->cmds[i].ncb = 0;
	}
	while (r->next < NCMDS) {
		if (!submit_next(r)) {
			continue;
		}
		if (chain) {
			/* Full: from here on the callbacks keep it full */
			while (r->next < NCMDS || xnvme_queue_get_outstanding(r->queue)) {
				reap(r, 2 * (turn++ % 2)); /* poke(0) or wait */
			}
			break;
		}
		reap(r, turn++);
	}
	res = xnvme_queue_drain(r->queue);
	if (res < 0) {
		fail(r, "drain: %d (%s)", res, strerror(-res));
	}
	if (xnvme_queue_get_outstanding(r->queue) || r->ncompleted != NCMDS ||
	    r->nsubmitted != NCMDS) {
		fail(r, "after drain: outstanding %u, %llu submitted, %llu completed of %u",
		     xnvme_queue_get_outstanding(r->queue), (unsigned long long)r->nsubmitted,
		     (unsigned long long)r->ncompleted, NCMDS);
	}
	for (uint32_t i = 0; i < NCMDS; ++i) {
		if (r->cmds[i].ncb != 1) {
			fail(r, "command %u: %d callbacks", i, r->cmds[i].ncb);
		}
	}
	/* Filled until it refused: the whole capacity was in flight at once */
	if (r->peak != xnvme_queue_get_capacity(r->queue)) {
		fail(r, "the queue held at most %u of %u commands at once", r->peak,
		     xnvme_queue_get_capacity(r->queue));
	}
}

/* One command on its own through the queue, waited for; returns the context's outcome */
struct single {
	int ncb;
	uint16_t status; ///< SCT << 8 | SC
	uint32_t cdw0;
	uint64_t result;
};

static inline void
single_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct single *s = cb_arg;

	s->ncb++;
	s->status = (uint16_t)(ctx->cpl.status.sct << 8 | ctx->cpl.status.sc);
	s->cdw0 = ctx->cpl.cdw0;
	s->result = ctx->cpl.result;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Waits for the one command of @p s to complete, whatever its status */
static inline void
wait_single_any(struct run *r, const char *what, struct single *s)
{
	for (int i = 0; i < 100 && !s->ncb; ++i) {
		int res = xnvme_queue_wait(r->queue);

		if (res < 0 || res > 1) {
			fail(r, "%s: wait returned %d with one command outstanding", what, res);
		}
	}
	if (s->ncb != 1) {
		fail(r, "%s: %d callbacks", what, s->ncb);
	}
}

/* wait_single_any(), and the command must have succeeded */
static inline void
wait_single(struct run *r, const char *what, struct single *s)
{
	wait_single_any(r, what, s);
	if (s->status) {
		fail(r, "%s: status 0x%x", what, s->status);
	}
}

/*
 * Sets up the NCMDS commands of round @p round in r->cmds over @p wbuf and @p rbuf (NCMDS chunks
 * each): an odd stride visits every chunk once, scattered and never overlapping
 */
static inline void
round_cmds_init(struct run *r, uint8_t *wbuf, uint8_t *rbuf, uint64_t round)
{
	for (uint32_t i = 0; i < NCMDS; ++i) {
		struct cmd *c = &r->cmds[i];
		uint64_t chunk =
		    (i * 2654435761ULL + round * 40503ULL) % (FILE_NBYTES / CHUNK_NBYTES);

		c->run = r;
		c->off = chunk * CHUNK_NBYTES;
		c->nbytes = (size_t)(1 + (i + round) % 4) * PIECE_NBYTES;
		c->wbuf = wbuf + (size_t)i * CHUNK_NBYTES;
		c->rbuf = rbuf + (size_t)i * CHUNK_NBYTES;
		c->niov = i % 3 == 2 ? (int)(c->nbytes / PIECE_NBYTES) : 1;
		fill_pattern(c->wbuf, c->nbytes, c->off, round);
		memset(c->rbuf, 0xA5, c->nbytes);
	}
}

#endif
