/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A soak of one target through the public API: several threads, each with its own queue on one
 * shared device handle, issue random reads, writes, write zeroes, deallocates and compares (with
 * data that matches and data that does not) at random LBAs and sizes, at a queue depth. Every
 * write is recorded in a shadow map (per LBA: generation, checksum, state); the content of a block
 * is a function of (LBA, generation, seed), so any block can be regenerated for a compare or a
 * diagnosis. Every read is checked against the map, and a final pass reads the whole area.
 *
 * Races are avoided by construction: each thread owns a disjoint stripe of LBAs, and within a
 * thread an LBA with a command in flight is not picked again until that command completes (the
 * map of a stripe is only touched by its thread, so it needs no lock).
 *
 * A zoned namespace is soaked zone-aware: each thread owns whole zones; writes and write zeroes
 * go to a write pointer, one at a time per zone and within the thread's share of the active zones
 * (MAR, MOR); reads and compares stay below write pointers; a zone reset takes the place of
 * deallocate.
 *
 * One summary line per interface: commands per opcode, bytes written, bytes verified, mismatches
 * (must be 0) and errors; the exit status is 1 on any mismatch or unexpected error, 77 when the
 * target cannot be soaked (key-value or metadata formats), 2 on bad usage.
 *
 * XNVME_SOAK_CORRUPT=N (a debug aid and the proof that the soak can fail): every Nth write of a
 * thread has one byte of its data flipped after its checksum is recorded, as a device that
 * corrupts data would; the run must then report mismatches and exit 1.
 *
 * usage: soak TARGET [--seconds S | --ops N] [--threads N] [--qdepth N] [--seed N] [--nlbas N]
 *             [--max-nlb N] [--be NAME] [--admin NAME] [--mem NAME] [--sync NAME] [--async NAME]
 *             [--direct] [--nsid N]
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libxnvme.h>
#include "../target/ifaces.h"

#define SOAK_AREA_MAX_BYTES (1ULL << 30) /* default area: the namespace, at most 1 GiB */
#define SOAK_NLB_MAX_BYTES  (1U << 20)   /* default largest command: MDTS, at most 1 MiB */
#define SOAK_REPORT_MAX     8            /* mismatches and errors printed per thread */
#define SOAK_PICK_TRIES     8            /* random ranges tried before waiting for completions */
#define SOAK_SKIP_IFACE     78 /* the interface cannot soak the target; others may (77: none) */

enum soak_op {
	OP_READ,
	OP_WRITE,
	OP_WZEROES,
	OP_DEALLOC,
	OP_CMP_EQ, ///< Compare with the data the map expects: must succeed
	OP_CMP_NE, ///< Compare with one byte changed: must fail with Compare Failure
	OP_RESET,  ///< Zone reset (zoned namespaces: what deallocate is to the others)
	OP_FINAL,  ///< A read of the final verify pass
	OP_N,
};

static const char *const op_name[OP_N] = {"read",       "write",      "wzeroes",    "dealloc",
					  "compare_eq", "compare_ne", "zone_reset", "final_read"};

/* The weights of the random mix; an operation the target does not carry gets 0 */
static const int op_weight[OP_FINAL] = {30, 35, 8, 7, 14, 6, 0};

enum soak_state {
	BLK_UNKNOWN = 0, ///< Content not known: never written, or deallocated without DLFEAT zeroes
	BLK_DATA,        ///< Written with generation gen, checksum csum
	BLK_ZERO,        ///< Zeroed (write zeroes, or deallocated where that reads as zeroes)
};

/* The shadow map's entry of one LBA; only the thread owning the LBA's stripe touches it */
struct soak_blk {
	uint32_t gen;
	uint32_t csum;
	uint8_t state;
	uint8_t busy; ///< A command on this LBA is in flight
};

/* A zone of a zoned namespace; only the thread owning it touches it */
struct soak_zone {
	uint64_t zslba, zcap;
	uint64_t wp;     ///< Write pointer, as the completed commands moved it
	uint8_t writing; ///< A write, write zeroes or reset of the zone is in flight
	uint8_t broken;  ///< A write or reset failed: the write pointer is not known, left alone
};

struct soak_cfg {
	const char *target;
	struct xnvme_opts opts; ///< be, admin, mem, direct, nsid from the command line
	const char *sync, *async;
	double seconds;
	uint64_t ops;
	uint32_t threads, qdepth, max_nlb;
	uint64_t nlbas;
	uint64_t seed;
	uint32_t corrupt; ///< XNVME_SOAK_CORRUPT
};

struct soak_stats {
	uint64_t cmds[OP_N];
	uint64_t bytes_written, bytes_verified, bytes_final, bytes_unknown;
	uint64_t mismatches, errors;
	uint32_t peak_qd; ///< The most commands a thread had in flight at once
};

struct soak_run {
	const struct soak_cfg *cfg;
	struct xnvme_dev *dev;
	const char *iface;
	int sync;
	uint32_t nsid, bs, max_nlb;
	uint64_t nlbas;
	int weight[OP_FINAL];
	char left_out[256]; ///< What the target does not carry, and why
	int dealloc_zeroes; ///< DLFEAT: deallocated blocks read as zeroes
	uint8_t dlfeat;
	uint32_t zero_csum;
	struct soak_blk *map;
	struct soak_zone *zones; ///< Zoned namespaces: the zones of the area, else NULL
	uint32_t nzones;
	uint64_t zsze;        ///< Blocks per zone
	uint32_t zactive_max; ///< Zones a thread may have active (open) at once
	double deadline;      ///< On mono_s(); 0: --ops decides
	uint64_t ops_per_thread;
};

struct soak_thread;

struct soak_slot {
	struct soak_thread *t;
	uint8_t *buf;                       ///< max_nlb blocks
	uint32_t *csum;                     ///< Checksums of a write's blocks, taken before submit
	struct xnvme_spec_dsm_range *range; ///< Deallocate's range
	struct xnvme_cmd_ctx sctx;          ///< The context of a sync command
	int op;
	uint64_t slba;
	uint32_t nlb;
	int zopened;    ///< The write opened an empty zone (an active resource taken)
	int zwasactive; ///< The reset's zone was active (a resource given back)
	int err;        ///< The last completion: errno and status, for the probe
	struct xnvme_spec_status status;
};

struct soak_thread {
	struct soak_run *run;
	int idx;
	pthread_t tid;
	struct xnvme_queue *queue;
	uint64_t first, len; ///< The stripe: LBAs [first, first + len)
	uint32_t zfirst, nz; ///< Zoned: the stripe is zones [zfirst, zfirst + nz)
	uint32_t zactive;    ///< Zoned: active zones of the thread
	uint64_t rng;
	struct soak_slot *slots;
	struct soak_slot **free;
	uint32_t nslots, nfree;
	uint64_t nsubmitted, nwrites;
	int fatal; ///< A call of the library failed: the thread stops
	uint32_t nreported;
	struct soak_stats st;
};

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static uint64_t
rnd(struct soak_thread *t)
{
	t->rng += 0x9E3779B97F4A7C15ULL;
	return mix64(t->rng);
}

/* Seconds on the monotonic clock */
static double
mono_s(void)
{
	struct timespec ts;

	return clock_gettime(CLOCK_MONOTONIC, &ts) ? 0
						   : (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The content of block @p lba at generation @p gen: its first two words name the LBA and the
 * generation (so a block found at the wrong place tells where it came from), the rest is a
 * stream seeded by all three
 */
static void
blk_fill(uint8_t *blk, uint32_t bs, uint64_t seed, uint64_t lba, uint32_t gen)
{
	uint64_t *w = (uint64_t *)blk;
	uint64_t s = mix64(seed ^ mix64(lba ^ mix64(gen)));

	w[0] = lba;
	w[1] = ((uint64_t)gen << 32) | (uint32_t)seed;
	for (uint32_t i = 2; i < bs / 8; ++i) {
		s += 0x9E3779B97F4A7C15ULL;
		w[i] = mix64(s);
	}
}

/* Word-wise FNV-1a: any single changed word changes the result (each step is a bijection) */
static uint32_t
blk_csum(const uint8_t *blk, uint32_t bs)
{
	const uint64_t *w = (const uint64_t *)blk;
	uint64_t h = 0xCBF29CE484222325ULL;

	for (uint32_t i = 0; i < bs / 8; ++i) {
		h = (h ^ w[i]) * 0x100000001B3ULL;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static const char *
state_name(uint8_t state)
{
	return state == BLK_DATA ? "data" : state == BLK_ZERO ? "zeroes" : "unknown";
}

/* A block read back that the map disagrees with: counted, and the first few explained */
static void
report_mismatch(struct soak_thread *t, uint64_t lba, const uint8_t *blk)
{
	const struct soak_blk *b = &t->run->map[lba];
	const uint64_t *w = (const uint64_t *)blk;

	t->st.mismatches++;
	if (t->nreported++ >= SOAK_REPORT_MAX) {
		return;
	}
	fprintf(stderr,
		"MISMATCH: %s thread %d lba %" PRIu64 ": expected %s gen %u csum 0x%08x, read csum "
		"0x%08x; the block's header says lba %" PRIu64 " gen %u\n",
		t->run->iface, t->idx, lba, state_name(b->state), b->gen, b->csum,
		blk_csum(blk, t->run->bs), w[0], (uint32_t)(w[1] >> 32));
}

/* A command the interface does not carry: refused as such at submit or by the device */
static int
not_carried(const struct soak_slot *s)
{
	return s->err == -ENOSYS || s->err == -EOPNOTSUPP ||
	       (s->status.sct == XNVME_STATUS_CODE_TYPE_GENERIC && s->status.sc == 0x01);
}

/* A command that completed unexpectedly: an error, or with @p mismatch a data mismatch found by a
 * compare; counted, and the first few explained */
static void
report_cmd(struct soak_thread *t, const struct soak_slot *s, int mismatch, const char *what)
{
	/* The probe (idx -1) finds what is not carried: said in the summary, not an error */
	if (t->idx < 0 && not_carried(s)) {
		return;
	}
	*(mismatch ? &t->st.mismatches : &t->st.errors) += 1;
	if (t->nreported++ >= SOAK_REPORT_MAX) {
		return;
	}
	fprintf(stderr,
		"%s: %s thread %d %s slba %" PRIu64 " nlb %u: %s (err %d, sct 0x%x sc 0x%x)\n",
		mismatch ? "MISMATCH" : "ERROR", t->run->iface, t->idx, op_name[s->op], s->slba,
		s->nlb, what, s->err, s->status.sct, s->status.sc);
}

/* Checks the blocks a read brought back against the map */
static void
verify_read(struct soak_thread *t, struct soak_slot *s)
{
	struct soak_run *run = t->run;

	for (uint32_t i = 0; i < s->nlb; ++i) {
		const struct soak_blk *b = &run->map[s->slba + i];
		const uint8_t *blk = s->buf + (size_t)i * run->bs;
		uint32_t expect = b->state == BLK_ZERO ? run->zero_csum : b->csum;

		if (b->state == BLK_UNKNOWN) {
			t->st.bytes_unknown += run->bs;
			continue;
		}
		if (blk_csum(blk, run->bs) != expect) {
			report_mismatch(t, s->slba + i, blk);
			continue;
		}
		t->st.bytes_verified += run->bs;
		t->st.bytes_final += s->op == OP_FINAL ? run->bs : 0;
	}
}

static void
map_set(struct soak_thread *t, const struct soak_slot *s, uint8_t state)
{
	for (uint32_t i = 0; i < s->nlb; ++i) {
		t->run->map[s->slba + i].state = state;
	}
}

/* The zone holding @p lba */
static struct soak_zone *
zone_of(struct soak_run *run, uint64_t lba)
{
	return &run->zones[lba / run->zsze];
}

static int
zone_op(const struct soak_run *run, int op)
{
	return run->zones && (op == OP_WRITE || op == OP_WZEROES || op == OP_RESET);
}

/* A zone command about to be submitted: the zone is busy, an empty zone becomes active */
static void
zone_issue(struct soak_thread *t, struct soak_slot *s)
{
	struct soak_zone *z = zone_of(t->run, s->slba);

	z->writing = 1;
	s->zopened = s->op != OP_RESET && z->wp == z->zslba;
	s->zwasactive = s->op == OP_RESET && z->wp > z->zslba && z->wp < z->zslba + z->zcap;
	t->zactive += s->zopened;
}

/* A zone command completed (@p ok) or not submitted after all (@p undo) */
static void
zone_done(struct soak_thread *t, struct soak_slot *s, int ok, int undo)
{
	struct soak_zone *z = zone_of(t->run, s->slba);

	z->writing = 0;
	if (undo) {
		t->zactive -= s->zopened;
		return;
	}
	if (!ok) {
		z->broken = 1;
		return;
	}
	if (s->op == OP_RESET) {
		z->wp = z->zslba;
		t->zactive -= s->zwasactive;
		return;
	}
	z->wp = s->slba + s->nlb;
	t->zactive -= z->wp == z->zslba + z->zcap; /* full: no longer active */
}

/* A command's completion (both paths): its effect on the map, its check, its counts */
static void
soak_done(struct soak_slot *s)
{
	struct soak_thread *t = s->t;
	struct soak_run *run = t->run;
	int ok = !s->err && !s->status.sc && !s->status.sct;
	int cmp_fail = s->status.sct == XNVME_STATUS_CODE_TYPE_MEDIA &&
		       s->status.sc == XNVME_SPEC_SC_COMPARE_FAILURE;
	uint64_t nbytes = (uint64_t)s->nlb * run->bs;

	t->st.cmds[s->op]++;
	if (zone_op(run, s->op)) {
		zone_done(t, s, ok, 0);
	}
	switch (s->op) {
	case OP_READ:
	case OP_FINAL:
		ok ? verify_read(t, s) : report_cmd(t, s, 0, "failed");
		break;
	case OP_WRITE:
		for (uint32_t i = 0; i < s->nlb; ++i) {
			struct soak_blk *b = &run->map[s->slba + i];

			b->gen++;
			b->csum = s->csum[i];
			b->state = ok ? BLK_DATA : BLK_UNKNOWN;
		}
		ok ? (void)(t->st.bytes_written += nbytes) : report_cmd(t, s, 0, "failed");
		break;
	case OP_RESET:
		map_set(t, s, BLK_UNKNOWN); /* only read again once rewritten */
		if (!ok) {
			report_cmd(t, s, 0, "failed");
		}
		break;
	case OP_WZEROES:
	case OP_DEALLOC:
		map_set(t, s,
			!ok                                            ? BLK_UNKNOWN
			: (s->op == OP_WZEROES || run->dealloc_zeroes) ? BLK_ZERO
								       : BLK_UNKNOWN);
		if (!ok) {
			report_cmd(t, s, 0, "failed");
		}
		break;
	case OP_CMP_EQ:
		if (ok) {
			t->st.bytes_verified += nbytes;
		} else if (cmp_fail) {
			report_cmd(t, s, 1, "the data the map expects compares different");
		} else {
			report_cmd(t, s, 0, "failed");
		}
		break;
	case OP_CMP_NE:
		if (ok) {
			report_cmd(t, s, 1, "data with a changed byte compares equal");
		} else if (!cmp_fail) {
			report_cmd(t, s, 0, "failed other than with Compare Failure");
		}
		break;
	}
	for (uint32_t i = 0; i < s->nlb; ++i) {
		run->map[s->slba + i].busy = 0;
	}
	t->free[t->nfree++] = s;
}

static void
soak_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct soak_slot *s = cb_arg;

	s->err = xnvme_cmd_ctx_cpl_status(ctx) ? -EIO : 0;
	s->status = ctx->cpl.status;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
	soak_done(s);
}

/* The expected content of the slot's range, all of it known (a compare's data) */
static void
fill_expected(struct soak_thread *t, struct soak_slot *s)
{
	struct soak_run *run = t->run;

	for (uint32_t i = 0; i < s->nlb; ++i) {
		const struct soak_blk *b = &run->map[s->slba + i];
		uint8_t *blk = s->buf + (size_t)i * run->bs;

		if (b->state == BLK_ZERO) {
			memset(blk, 0, run->bs);
		} else {
			blk_fill(blk, run->bs, run->cfg->seed, s->slba + i, b->gen);
		}
	}
}

/* Prepares the slot's data for its command; a write's checksums are taken here */
static void
prep_data(struct soak_thread *t, struct soak_slot *s)
{
	struct soak_run *run = t->run;
	uint64_t nbytes = (uint64_t)s->nlb * run->bs;

	switch (s->op) {
	case OP_WRITE:
		for (uint32_t i = 0; i < s->nlb; ++i) {
			uint8_t *blk = s->buf + (size_t)i * run->bs;

			blk_fill(blk, run->bs, run->cfg->seed, s->slba + i,
				 run->map[s->slba + i].gen + 1);
			s->csum[i] = blk_csum(blk, run->bs);
		}
		if (run->cfg->corrupt && !(++t->nwrites % run->cfg->corrupt)) {
			s->buf[rnd(t) % nbytes] ^= (uint8_t)(1U << (rnd(t) % 8));
		}
		break;
	case OP_CMP_EQ:
		fill_expected(t, s);
		break;
	case OP_CMP_NE:
		fill_expected(t, s);
		s->buf[rnd(t) % nbytes] ^= (uint8_t)(1U << (rnd(t) % 8));
		break;
	case OP_DEALLOC:
		memset(s->range, 0, sizeof(*s->range));
		s->range->slba = s->slba;
		s->range->llb = s->nlb;
		break;
	}
}

static int
issue_cmd(struct soak_run *run, struct soak_slot *s, struct xnvme_cmd_ctx *ctx)
{
	uint16_t nlb0 = (uint16_t)(s->nlb - 1);

	switch (s->op) {
	case OP_WRITE:
		return xnvme_nvm_write(ctx, run->nsid, s->slba, nlb0, s->buf, NULL);
	case OP_WZEROES:
		return xnvme_nvm_write_zeroes(ctx, run->nsid, s->slba, nlb0);
	case OP_DEALLOC:
		return xnvme_nvm_dsm(ctx, run->nsid, s->range, 0, true, false, false);
	case OP_CMP_EQ:
	case OP_CMP_NE:
		return xnvme_nvm_compare(ctx, run->nsid, s->slba, nlb0, s->buf, NULL);
	case OP_RESET:
		return xnvme_znd_mgmt_send(ctx, run->nsid, s->slba, false,
					   XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET, 0, NULL);
	default:
		return xnvme_nvm_read(ctx, run->nsid, s->slba, nlb0, s->buf, NULL);
	}
}

/*
 * Issues @p op on [slba, slba + nlb) from a free slot; the range must not be busy. A sync
 * command completes here. Returns 0, -EAGAIN when the queue is full (nothing issued), or the
 * queue's error.
 */
static int
soak_issue(struct soak_thread *t, int op, uint64_t slba, uint32_t nlb)
{
	struct soak_run *run = t->run;
	struct soak_slot *s = t->free[--t->nfree];
	struct xnvme_cmd_ctx *ctx;
	int err;

	if (t->nslots - t->nfree > t->st.peak_qd) {
		t->st.peak_qd = t->nslots - t->nfree;
	}
	s->op = op;
	s->slba = slba;
	s->nlb = nlb;
	s->err = 0;
	memset(&s->status, 0, sizeof(s->status));
	for (uint32_t i = 0; i < nlb; ++i) {
		run->map[slba + i].busy = 1;
	}
	prep_data(t, s);
	if (zone_op(run, op)) {
		zone_issue(t, s);
	}
	if (!t->queue) {
		s->sctx = xnvme_cmd_ctx_from_dev(run->dev);
		s->err = issue_cmd(run, s, &s->sctx);
		s->status = s->sctx.cpl.status;
		t->nsubmitted++;
		soak_done(s);
		return 0;
	}
	ctx = xnvme_queue_get_cmd_ctx(t->queue);
	if (!ctx) {
		err = -errno;
		goto undo;
	}
	xnvme_cmd_ctx_set_cb(ctx, soak_cb, s);
	err = issue_cmd(run, s, ctx);
	if (err == -EBUSY || err == -EAGAIN) {
		xnvme_queue_put_cmd_ctx(t->queue, ctx);
		goto undo;
	}
	t->nsubmitted++;
	if (err) {
		/* Refused at submit: no callback comes, this is its completion */
		s->err = err;
		s->status = ctx->cpl.status;
		xnvme_queue_put_cmd_ctx(t->queue, ctx);
		soak_done(s);
	}
	return 0;
undo:
	if (zone_op(run, op)) {
		zone_done(t, s, 0, 1);
	}
	for (uint32_t i = 0; i < nlb; ++i) {
		run->map[slba + i].busy = 0;
	}
	t->free[t->nfree++] = s;
	return err == -EBUSY ? -EAGAIN : err;
}

static int
pick_op(struct soak_thread *t)
{
	int total = 0, r;

	for (int op = 0; op < OP_FINAL; ++op) {
		total += t->run->weight[op];
	}
	r = (int)(rnd(t) % (uint64_t)total);
	for (int op = 0; op < OP_FINAL; ++op) {
		if (r < t->run->weight[op]) {
			return op;
		}
		r -= t->run->weight[op];
	}
	return OP_READ;
}

/* Half small commands, half any size up to the largest; at most @p room blocks */
static uint32_t
rand_nlb(struct soak_thread *t, uint64_t room)
{
	uint64_t max = t->run->max_nlb < room ? t->run->max_nlb : room;

	return (uint32_t)(1 + rnd(t) % ((rnd(t) & 1) && max > 8 ? 8 : max));
}

static int
range_busy(const struct soak_run *run, uint64_t slba, uint64_t nlb)
{
	for (uint64_t i = 0; i < nlb; ++i) {
		if (run->map[slba + i].busy) {
			return 1;
		}
	}
	return 0;
}

/* Issues @p op on the range; a compare covers its known blocks only, a read when there are none */
static int
issue_checked(struct soak_thread *t, int op, uint64_t slba, uint32_t nlb)
{
	uint32_t known = 0;

	if (op == OP_CMP_EQ || op == OP_CMP_NE) {
		while (known < nlb && t->run->map[slba + known].state != BLK_UNKNOWN) {
			known++;
		}
		op = known ? op : OP_READ;
		nlb = known ? known : nlb;
	}
	return soak_issue(t, op, slba, nlb);
}

/*
 * @p op on a zone of a zoned namespace's stripe: a write or write zeroes at a write pointer (one
 * command at a time per zone, and an empty zone only within the thread's share of active zones),
 * a read or compare below one, a reset of a written zone with nothing in flight. -ENOENT when no
 * zone allows @p op now.
 */
static int
zoned_random(struct soak_thread *t, int op)
{
	struct soak_run *run = t->run;
	uint32_t start = (uint32_t)(rnd(t) % t->nz);

	for (uint32_t k = 0; k < t->nz; ++k) {
		struct soak_zone *z = &run->zones[t->zfirst + (start + k) % t->nz];
		uint64_t written = z->wp - z->zslba;
		int zfree = !z->writing && !z->broken;
		uint32_t nlb;
		uint64_t slba;

		if (op == OP_WRITE || op == OP_WZEROES) {
			if (zfree && written < z->zcap &&
			    (written || t->zactive < run->zactive_max)) {
				return soak_issue(t, op, z->wp, rand_nlb(t, z->zcap - written));
			}
		} else if (op == OP_RESET) {
			if (zfree && written && !range_busy(run, z->zslba, written)) {
				return soak_issue(t, op, z->zslba, (uint32_t)written);
			}
		} else if (written) {
			nlb = rand_nlb(t, written);
			slba = z->zslba + rnd(t) % (written - nlb + 1);
			if (!range_busy(run, slba, nlb)) {
				return issue_checked(t, op, slba, nlb);
			}
		}
	}
	return -ENOENT;
}

/*
 * A random command at a random range of the stripe with nothing in flight; -EAGAIN: none now.
 * Zoned: when no zone allows the command picked, a write (nothing to read yet), else a reset
 * (every zone full).
 */
static int
soak_random(struct soak_thread *t)
{
	struct soak_run *run = t->run;
	int op = pick_op(t), err;

	if (run->zones) {
		err = zoned_random(t, op);
		if (err == -ENOENT && op != OP_WRITE) {
			err = zoned_random(t, OP_WRITE);
		}
		if (err == -ENOENT && run->weight[OP_RESET]) {
			err = zoned_random(t, OP_RESET);
		}
		return err == -ENOENT ? -EAGAIN : err;
	}
	for (int tries = 0; tries < SOAK_PICK_TRIES; ++tries) {
		uint32_t nlb = rand_nlb(t, t->len);
		uint64_t slba = t->first + rnd(t) % (t->len - nlb + 1);

		if (!range_busy(run, slba, nlb)) {
			return issue_checked(t, op, slba, nlb);
		}
	}
	return -EAGAIN;
}

static int
soak_stop(struct soak_thread *t)
{
	if (t->fatal) {
		return 1;
	}
	if (!t->run->deadline) {
		return t->nsubmitted >= t->run->ops_per_thread;
	}
	return mono_s() >= t->run->deadline;
}

/* A call of the library failed: said once, counted as an error, and the thread stops */
static void
set_fatal(struct soak_thread *t, int err, const char *what)
{
	if (!err || t->fatal) {
		return;
	}
	fprintf(stderr, "ERROR: %s thread %d: %s: %s\n", t->run->iface, t->idx, what,
		strerror(-err));
	t->fatal = err;
	t->st.errors++;
}

/* Waits for a completion when commands are outstanding; 0 or the queue's error */
static int
soak_reap(struct soak_thread *t)
{
	int res;

	if (!t->queue || t->nfree == t->nslots) {
		return 0;
	}
	res = xnvme_queue_wait(t->queue);
	set_fatal(t, res < 0 ? res : 0, "queue wait");
	return res < 0 ? res : 0;
}

/* Waits until no command of the thread is outstanding */
static void
soak_drain(struct soak_thread *t)
{
	while (!t->fatal && t->nfree < t->nslots) {
		soak_reap(t);
	}
}

/* Issues @p op on the range, waiting for a free slot or queue entry first */
static void
issue_wait(struct soak_thread *t, int op, uint64_t slba, uint32_t nlb)
{
	while (!t->fatal) {
		int err = t->nfree ? soak_issue(t, op, slba, nlb) : -EAGAIN;

		if (err != -EAGAIN) {
			set_fatal(t, err, "submit");
			return;
		}
		soak_reap(t);
	}
}

/* @p op over [first, first + len) in order, in commands of the largest size */
static void
sweep_range(struct soak_thread *t, int op, uint64_t first, uint64_t len)
{
	for (uint64_t cursor = first; !t->fatal && cursor < first + len;) {
		uint64_t left = first + len - cursor;
		uint32_t nlb = (uint32_t)(left < t->run->max_nlb ? left : t->run->max_nlb);

		issue_wait(t, op, cursor, nlb);
		cursor += nlb;
	}
}

/*
 * @p op over the whole stripe in order, then drained; zoned: over the written part of each zone,
 * and a reset of every zone
 */
static void
soak_sweep(struct soak_thread *t, int op)
{
	struct soak_zone *zones = t->run->zones;

	for (uint32_t k = 0; zones && k < t->nz; ++k) {
		struct soak_zone *z = &zones[t->zfirst + k];

		if (op == OP_RESET) {
			issue_wait(t, op, z->zslba, (uint32_t)(z->wp - z->zslba));
		} else {
			sweep_range(t, op, z->zslba, z->wp - z->zslba);
		}
	}
	if (!zones) {
		sweep_range(t, op, t->first, t->len);
	}
	soak_drain(t);
}

/*
 * The stripe made known (write zeroes, or writes where write zeroes is not carried), the random
 * phase, then the final pass reading the whole stripe back
 */
static void *
soak_thread_main(void *arg)
{
	struct soak_thread *t = arg;
	struct soak_run *run = t->run;
	int err;

	if (!run->sync) {
		err = xnvme_queue_init(run->dev, (uint16_t)t->nslots, 0, &t->queue);
		if (err) {
			set_fatal(t, err, "queue init");
			return NULL;
		}
	}
	if (!run->zones) { /* the probe reset a zoned namespace's zones */
		soak_sweep(t, run->weight[OP_WZEROES] ? OP_WZEROES : OP_WRITE);
	}
	t->nsubmitted = 0;
	while (!soak_stop(t)) {
		while (t->nfree && !soak_stop(t)) {
			err = soak_random(t);
			if (err == -EAGAIN) {
				break;
			}
			set_fatal(t, err, "submit");
		}
		soak_reap(t);
	}
	soak_drain(t);
	soak_sweep(t, OP_FINAL);
	if (t->queue) {
		xnvme_queue_term(t->queue);
		t->queue = NULL;
	}
	return NULL;
}

static void
note_left_out(struct soak_run *run, const char *fmt, const char *name, int err, unsigned sct,
	      unsigned sc)
{
	size_t len = strlen(run->left_out);

	snprintf(run->left_out + len, sizeof(run->left_out) - len, fmt, name, err, sct, sc);
}

/*
 * Which of write zeroes, deallocate and compare the target carries: what the controller lists in
 * ONCS, then one command of each through the interface under test, on LBA 0 after a write (so
 * that compare has known data). What it does not carry is left out of the mix, and said. A zoned
 * namespace has every zone of the area reset first; its write zeroes goes to the write pointer
 * (LBA 1), and a zone reset takes the place of deallocate.
 */
static int
soak_probe(struct soak_run *run, struct soak_thread *t)
{
	const struct xnvme_spec_idfy_ctrlr *ctrlr = xnvme_dev_get_ctrlr(run->dev);
	static const int plain[][2] = {
	    {OP_WRITE, 0}, {OP_CMP_EQ, 0}, {OP_CMP_NE, 0}, {OP_WZEROES, 0}, {OP_DEALLOC, 0}};
	static const int zoned[][2] = {
	    {OP_WRITE, 0}, {OP_CMP_EQ, 0}, {OP_CMP_NE, 0}, {OP_WZEROES, 1}, {OP_RESET, 0}};
	const int(*probe)[2] = run->zones ? zoned : plain;
	int oncs[OP_FINAL] = {1, 1, 1, 1, 1, 1, 1};

	if (ctrlr) {
		oncs[OP_WZEROES] = ctrlr->oncs.write_zeroes;
		oncs[OP_DEALLOC] = ctrlr->oncs.dsm;
		oncs[OP_CMP_EQ] = oncs[OP_CMP_NE] = ctrlr->oncs.compare;
	}
	if (run->zones) {
		struct soak_slot *s = t->free[t->nfree - 1];

		soak_sweep(t, OP_RESET);
		if (!t->fatal && run->zones[0].broken && not_carried(s)) {
			printf("SKIP: %s does not carry zone management (a zone reset: err %d, sct "
			       "0x%x sc 0x%x): the zones of %s cannot be made known through it\n",
			       run->iface, s->err, s->status.sct, s->status.sc, run->cfg->target);
			return SOAK_SKIP_IFACE;
		}
		run->weight[OP_RESET] = run->weight[OP_DEALLOC];
		run->weight[OP_DEALLOC] = 0;
		note_left_out(run, " %s(zoned: zone resets instead)", op_name[OP_DEALLOC], 0, 0, 0);
	}
	for (size_t i = 0; !t->fatal && i < sizeof(plain) / sizeof(plain[0]); ++i) {
		int op = probe[i][0];
		struct soak_slot *s = t->free[t->nfree - 1];
		uint32_t nlb = 1;

		if (!oncs[op]) {
			run->weight[op] = 0;
			note_left_out(run, " %s(not in ONCS)", op_name[op], 0, 0, 0);
			continue;
		}
		if ((op == OP_CMP_EQ || op == OP_CMP_NE) && run->map[0].state == BLK_UNKNOWN) {
			continue;
		}
		if (op == OP_RESET) {
			nlb = (uint32_t)(run->zones[0].wp - run->zones[0].zslba);
		}
		issue_wait(t, op, (uint64_t)probe[i][1], nlb);
		soak_drain(t);
		if (!t->fatal && not_carried(s)) {
			run->weight[op] = 0;
			note_left_out(run, " %s(refused: err %d sct 0x%x sc 0x%x)", op_name[op],
				      s->err, s->status.sct, s->status.sc);
		}
	}
	return t->fatal;
}

/* The slots of thread @p t: buffers from the device's allocator, made before any thread runs */
static int
slots_alloc(struct soak_run *run, struct soak_thread *t, uint32_t nslots)
{
	t->slots = calloc(nslots, sizeof(*t->slots));
	t->free = calloc(nslots, sizeof(*t->free));
	if (!t->slots || !t->free) {
		return -ENOMEM;
	}
	t->nslots = nslots;
	for (uint32_t i = 0; i < nslots; ++i) {
		struct soak_slot *s = &t->slots[i];

		s->t = t;
		s->buf = xnvme_buf_alloc(run->dev, (size_t)run->max_nlb * run->bs);
		s->range = xnvme_buf_alloc(run->dev, sizeof(*s->range));
		s->csum = calloc(run->max_nlb, sizeof(*s->csum));
		if (!s->buf || !s->range || !s->csum) {
			return -ENOMEM;
		}
		t->free[t->nfree++] = s;
	}
	return 0;
}

static void
slots_free(struct soak_run *run, struct soak_thread *t)
{
	for (uint32_t i = 0; t->slots && i < t->nslots; ++i) {
		xnvme_buf_free(run->dev, t->slots[i].buf);
		xnvme_buf_free(run->dev, t->slots[i].range);
		free(t->slots[i].csum);
	}
	free(t->slots);
	free(t->free);
}

static void
stats_add(struct soak_stats *sum, const struct soak_stats *st)
{
	for (int op = 0; op < OP_N; ++op) {
		sum->cmds[op] += st->cmds[op];
	}
	sum->bytes_written += st->bytes_written;
	sum->bytes_verified += st->bytes_verified;
	sum->bytes_final += st->bytes_final;
	sum->bytes_unknown += st->bytes_unknown;
	sum->mismatches += st->mismatches;
	sum->errors += st->errors;
	sum->peak_qd = st->peak_qd > sum->peak_qd ? st->peak_qd : sum->peak_qd;
}

/* The summary line of one interface; returns 0 when it passed, 1 when not */
static int
soak_summary(const struct soak_run *run, const struct soak_stats *sum, double secs)
{
	const struct soak_cfg *cfg = run->cfg;
	int pass = !sum->mismatches && !sum->errors;

	printf("soak: %s %s=%s threads=%u qdepth=%u (peak %u) seed=0x%" PRIx64 " nlbas=%" PRIu64
	       " bs=%u max_nlb=%u secs=%.1f |",
	       cfg->target, run->sync ? "sync" : "async", run->iface, cfg->threads,
	       run->sync ? 1 : cfg->qdepth, sum->peak_qd, cfg->seed, run->nlbas, run->bs,
	       run->max_nlb, secs);
	for (int op = 0; op < OP_N; ++op) {
		printf(" %s=%" PRIu64, op_name[op], sum->cmds[op]);
	}
	printf(" | bytes_written=%" PRIu64 " bytes_verified=%" PRIu64 " (final pass %" PRIu64
	       ", unknown content %" PRIu64 ") | mismatches=%" PRIu64 " errors=%" PRIu64
	       " | dealloc reads as %s (DLFEAT %#x) | left out:%s | %s\n",
	       sum->bytes_written, sum->bytes_verified, sum->bytes_final, sum->bytes_unknown,
	       sum->mismatches, sum->errors, run->dealloc_zeroes ? "zeroes" : "unknown",
	       run->dlfeat, run->left_out[0] ? run->left_out : " none", pass ? "PASS" : "FAIL");
	fflush(stdout);
	return pass ? 0 : 1;
}

/* Whether the target can be soaked: 0, or 77 after saying why not */
static int
soak_fits(const struct soak_run *run)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(run->dev);

	if (geo->type == XNVME_GEO_KV) {
		printf("SKIP: %s is a key-value namespace: no LBAs to soak\n", run->cfg->target);
		return 77;
	}
	if (geo->nbytes_oob) {
		printf(
		    "SKIP: %s has %u bytes of metadata per block: the soak moves and checks data "
		    "only\n",
		    run->cfg->target, geo->nbytes_oob);
		return 77;
	}
	return 0;
}

/*
 * A zoned namespace's zones within the area (whole zones only): their capacity from a zone report,
 * their write pointers at their start (the probe resets them all), and each thread's share of the
 * zones that may be active at once (MAR and MOR, zero-based; all ones: no limit)
 */
static int
soak_zones(struct soak_run *run)
{
	const struct xnvme_spec_znd_idfy_ns *zns = xnvme_znd_dev_get_ns(run->dev);
	struct xnvme_znd_report *rprt;
	uint64_t limit = 4ULL * run->cfg->threads;

	run->zsze = xnvme_dev_get_geo(run->dev)->nsect;
	run->nzones = run->zsze ? (uint32_t)(run->nlbas / run->zsze) : 0;
	run->nlbas = run->nzones * run->zsze;
	if (zns && zns->mar != UINT32_MAX) {
		limit = (uint64_t)(zns->mar < zns->mor ? zns->mar : zns->mor) + 1;
	}
	run->zactive_max =
	    (uint32_t)(limit / run->cfg->threads < 4 ? limit / run->cfg->threads : 4);
	if (run->nzones < run->cfg->threads || !run->zactive_max) {
		fprintf(stderr, "ERROR: %u zones, %" PRIu64 " active at most, for %u threads\n",
			run->nzones, limit, run->cfg->threads);
		return -EINVAL;
	}
	rprt = xnvme_znd_report_from_dev(run->dev, 0, run->nzones, 0);
	run->zones = calloc(run->nzones, sizeof(*run->zones));
	for (uint32_t i = 0; rprt && run->zones && i < run->nzones; ++i) {
		const struct xnvme_spec_znd_descr *d =
		    i < rprt->nentries ? XNVME_ZND_REPORT_DESCR(rprt, i) : NULL;

		/* zone_of() finds a zone by division: zones must lie end to end */
		if (!d || d->zslba != i * run->zsze || !d->zcap || d->zcap > run->zsze) {
			fprintf(stderr, "ERROR: zone %u: not as the geometry says\n", i);
			free(run->zones);
			run->zones = NULL;
			break;
		}
		run->zones[i] =
		    (struct soak_zone){.zslba = d->zslba, .zcap = d->zcap, .wp = d->zslba};
	}
	xnvme_buf_virt_free(rprt);
	return run->zones ? 0 : -EIO;
}

/* The area, the largest command and the mix of a run on its opened device */
static int
soak_layout(struct soak_run *run)
{
	const struct soak_cfg *cfg = run->cfg;
	const struct xnvme_geo *geo = xnvme_dev_get_geo(run->dev);
	const struct xnvme_spec_idfy_ns *ns = xnvme_dev_get_ns(run->dev);
	uint32_t mdts_nlb;

	run->nsid = xnvme_dev_get_nsid(run->dev);
	run->bs = geo->lba_nbytes;
	run->nlbas = cfg->nlbas ? cfg->nlbas : SOAK_AREA_MAX_BYTES / run->bs;
	if (run->nlbas > geo->tbytes / run->bs) {
		run->nlbas = geo->tbytes / run->bs;
	}
	if (run->nlbas < cfg->threads) {
		fprintf(stderr, "ERROR: %" PRIu64 " blocks for %u threads\n", run->nlbas,
			cfg->threads);
		return -EINVAL;
	}
	if (geo->type == XNVME_GEO_ZONED && soak_zones(run)) {
		return -EINVAL;
	}
	mdts_nlb = geo->mdts_nbytes ? geo->mdts_nbytes / run->bs : 1;
	run->max_nlb = cfg->max_nlb ? cfg->max_nlb : SOAK_NLB_MAX_BYTES / run->bs;
	run->max_nlb = run->max_nlb < mdts_nlb ? run->max_nlb : mdts_nlb;
	run->max_nlb = run->max_nlb < 65536 ? run->max_nlb : 65536;
	run->max_nlb = run->max_nlb ? run->max_nlb : 1;
	/* DLFEAT bits 2:0 = 1: deallocated blocks read as zeroes; otherwise their content is
	 * unknown until rewritten */
	run->dealloc_zeroes = ns && ns->dlfeat.bits.read_value == 1;
	run->dlfeat = ns ? ns->dlfeat.val : 0;
	memcpy(run->weight, op_weight, sizeof(run->weight));
	{
		uint8_t *zero = calloc(1, run->bs);

		if (!zero) {
			return -ENOMEM;
		}
		run->zero_csum = blk_csum(zero, run->bs);
		free(zero);
	}
	run->map = calloc(run->nlbas, sizeof(*run->map));
	return run->map ? 0 : -ENOMEM;
}

/*
 * The stripe of thread @p i: a share of the area's blocks, or of its zones when zoned; the probe
 * (i == threads) has all of it
 */
static void
stripe_set(const struct soak_run *run, struct soak_thread *t, uint32_t i)
{
	uint32_t n = run->cfg->threads;
	uint64_t units = run->zones ? run->nzones : run->nlbas, share = units / n;
	uint64_t first = i < n ? i * share : 0;
	uint64_t len = i + 1 < n ? share : units - first;
	uint64_t scale = run->zones ? run->zsze : 1;

	t->zfirst = (uint32_t)first;
	t->nz = (uint32_t)len;
	t->first = first * scale;
	t->len = len * scale;
}

/* Probes the target, then runs the threads and the final pass; summary stats into @p sum */
static int
soak_threads(struct soak_run *run, struct soak_stats *sum)
{
	const struct soak_cfg *cfg = run->cfg;
	struct soak_thread *th = calloc(cfg->threads + 1, sizeof(*th));
	struct soak_thread *probe = th ? &th[cfg->threads] : NULL;
	int err = th ? 0 : -ENOMEM;

	for (uint32_t i = 0; !err && i <= cfg->threads; ++i) {
		th[i].run = run;
		th[i].idx = i < cfg->threads ? (int)i : -1;
		stripe_set(run, &th[i], i);
		th[i].rng = mix64(cfg->seed + i);
		err = slots_alloc(run, &th[i], run->sync || i == cfg->threads ? 1 : cfg->qdepth);
	}
	if (!err && !run->sync) {
		err = xnvme_queue_init(run->dev, 1, 0, &probe->queue);
	}
	if (!err) {
		err = soak_probe(run, probe);
		stats_add(sum, &probe->st);
		xnvme_queue_term(probe->queue);
	}
	run->ops_per_thread = (cfg->ops + cfg->threads - 1) / cfg->threads;
	for (uint32_t i = 0; !err && i < cfg->threads; ++i) {
		err = -pthread_create(&th[i].tid, NULL, soak_thread_main, &th[i]);
		for (uint32_t j = 0; err && j < i; ++j) {
			th[j].fatal = err; /* stop the ones started */
			pthread_join(th[j].tid, NULL);
		}
	}
	for (uint32_t i = 0; !err && i < cfg->threads; ++i) {
		pthread_join(th[i].tid, NULL);
		stats_add(sum, &th[i].st);
	}
	for (uint32_t i = 0; th && i <= cfg->threads; ++i) {
		slots_free(run, &th[i]);
	}
	free(th);
	return err;
}

/* One interface on the target: 0 passed, 1 failed, 77 the target cannot be soaked */
static int
soak_iface(const struct soak_cfg *cfg, const char *iface, int sync, double seconds)
{
	struct xnvme_opts opts = cfg->opts;
	struct soak_run run = {.cfg = cfg, .iface = iface, .sync = sync};
	struct soak_stats sum = {0};
	double t0;
	int err;

	if (sync) {
		opts.sync = iface;
	} else {
		opts.async = iface;
		opts.sync = cfg->sync;
	}
	run.dev = xnvme_dev_open(cfg->target, &opts);
	if (!run.dev) {
		fprintf(stderr, "ERROR: %s: open %s: %s (%s)\n", iface, cfg->target,
			strerror(errno), xnvme_dev_open_err_msg());
		return 1;
	}
	err = soak_fits(&run);
	if (err) {
		xnvme_dev_close(run.dev);
		return err;
	}
	err = soak_layout(&run);
	t0 = mono_s();
	run.deadline = cfg->ops ? 0 : t0 + seconds;
	if (!err) {
		err = soak_threads(&run, &sum);
	}
	if (err == SOAK_SKIP_IFACE) {
		free(run.map);
		free(run.zones);
		xnvme_dev_close(run.dev);
		return err;
	}
	if (err) {
		fprintf(stderr, "ERROR: %s: %s\n", iface, strerror(-err));
		sum.errors++;
	}
	err = soak_summary(&run, &sum, mono_s() - t0);
	free(run.map);
	free(run.zones);
	xnvme_dev_close(run.dev);
	return err;
}

static void
usage(const char *prog)
{
	fprintf(
	    stderr,
	    "usage: %s TARGET [--seconds S | --ops N] [--threads N] [--qdepth N] [--seed N]\n"
	    "       [--nlbas N] [--max-nlb N] [--be NAME] [--admin NAME] [--mem NAME]\n"
	    "       [--sync NAME] [--async NAME] [--direct] [--nsid N]\n"
	    "  TARGET is overwritten. Without --sync/--async every interface the library offers\n"
	    "  on TARGET that moves data runs in turn, sharing the time (--seconds, default 10)\n"
	    "  or each doing --ops commands; --sync alone soaks that sync interface.\n",
	    prog);
}

/* One command-line option: its name, the kind of its value, where it goes and its range */
struct soak_opt {
	const char *name;
	char kind; ///< s: string, f: flag (uint8_t), d: double, u: uint64_t, w: uint32_t
	void *dst;
	uint64_t min, max;
	int pow2; ///< The value must be a power of two (a queue's capacity)
};

static int
opt_set(const struct soak_opt *o, const char *arg)
{
	uint64_t v;
	char *end;

	if (o->kind == 's') {
		*(const char **)o->dst = arg;
		return 0;
	}
	errno = 0;
	if (o->kind == 'd') {
		*(double *)o->dst = strtod(arg, &end);
		return errno || end == arg || *end || *(double *)o->dst <= 0 ? -EINVAL : 0;
	}
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || v < o->min || v > o->max || (o->pow2 && (v & (v - 1)))) {
		return -EINVAL;
	}
	if (o->kind == 'u') {
		*(uint64_t *)o->dst = v;
	} else {
		*(uint32_t *)o->dst = (uint32_t)v;
	}
	return 0;
}

static int
parse_args(int argc, char **argv, struct soak_cfg *cfg)
{
	const struct soak_opt spec[] = {
	    {"seconds", 'd', &cfg->seconds, 0, 0, 0},
	    {"ops", 'u', &cfg->ops, 1, UINT64_MAX, 0},
	    {"threads", 'w', &cfg->threads, 1, 256, 0},
	    {"qdepth", 'w', &cfg->qdepth, 1, 1024, 1},
	    {"seed", 'u', &cfg->seed, 0, UINT64_MAX, 0},
	    {"nlbas", 'u', &cfg->nlbas, 1, UINT64_MAX, 0},
	    {"max-nlb", 'w', &cfg->max_nlb, 1, 65536, 0},
	    {"nsid", 'w', &cfg->opts.nsid, 0, UINT32_MAX, 0},
	    {"be", 's', &cfg->opts.be, 0, 0, 0},
	    {"admin", 's', &cfg->opts.admin, 0, 0, 0},
	    {"mem", 's', &cfg->opts.mem, 0, 0, 0},
	    {"sync", 's', &cfg->sync, 0, 0, 0},
	    {"async", 's', &cfg->async, 0, 0, 0},
	    {"direct", 'f', &cfg->opts.direct, 0, 0, 0},
	};
	const int nspec = (int)(sizeof(spec) / sizeof(spec[0]));
	struct option lopts[sizeof(spec) / sizeof(spec[0]) + 1] = {{0}};
	int c, err = 0;

	for (int i = 0; i < nspec; ++i) {
		lopts[i].name = spec[i].name;
		lopts[i].has_arg = spec[i].kind == 'f' ? no_argument : required_argument;
		lopts[i].val = i;
	}
	while (!err && (c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		if (c < 0 || c >= nspec) {
			err = -EINVAL;
		} else if (spec[c].kind == 'f') {
			*(uint8_t *)spec[c].dst = 1;
		} else {
			err = opt_set(&spec[c], optarg);
		}
	}
	if (err || optind != argc - 1) {
		usage(argv[0]);
		return -EINVAL;
	}
	cfg->target = argv[optind];
	return 0;
}

int
main(int argc, char **argv)
{
	struct soak_cfg cfg = {.threads = 4, .qdepth = 8, .opts = xnvme_opts_default()};
	struct ifaces list = {0};
	const char *corrupt = getenv("XNVME_SOAK_CORRUPT");
	int rc = 0, nskip = 0;

	cfg.opts.nsid = 0;
	cfg.seed = mix64((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32));
	if (parse_args(argc, argv, &cfg)) {
		return 2;
	}
	if (!cfg.ops && cfg.seconds <= 0) {
		cfg.seconds = 10;
	}
	if (corrupt) {
		cfg.corrupt = (uint32_t)strtoul(corrupt, NULL, 0);
		printf("soak: XNVME_SOAK_CORRUPT=%u: every %uth write of a thread is corrupted on "
		       "purpose; mismatches are expected\n",
		       cfg.corrupt, cfg.corrupt);
	}
	printf("soak: %s seed=0x%" PRIx64 " (replay: --seed 0x%" PRIx64 ")\n", cfg.target, cfg.seed,
	       cfg.seed);
	if (cfg.async || cfg.sync) {
		snprintf(list.item[0].id, sizeof(list.item[0].id), "%s",
			 cfg.async ? cfg.async : cfg.sync);
		list.item[0].sync = !cfg.async;
		list.n = 1;
	} else if (ifaces_for_test(cfg.target, 0, NULL, 1, &list)) {
		return 1;
	}
	for (int i = 0; i < list.n; ++i) {
		int res =
		    soak_iface(&cfg, list.item[i].id, list.item[i].sync, cfg.seconds / list.n);

		if (res == 77) {
			return rc ? 1 : 77; /* the target, not the interface, cannot be soaked */
		}
		nskip += res == SOAK_SKIP_IFACE;
		rc |= res != 0 && res != SOAK_SKIP_IFACE;
	}
	return rc ? 1 : nskip == list.n ? 77 : 0;
}
