/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The libaio interface reaps completions from the kernel's ring in user space: the system calls
 * it makes are counted while it runs random 4 KiB reads of a file whose every block says where it
 * lies, the completion callbacks checking the data and submitting the next read themselves.
 *
 * The program defines io_setup, io_submit and io_getevents itself: ELF interposition sends the
 * library's calls into libaio here, where they are counted and passed to the kernel directly.
 * Rounds (queue depth 32 unless said):
 *   poke       pokes alone, max 0/1/3 in turn (fio's engine pokes once per command): no
 *              io_getevents at all, at most one io_submit per poke, never more than max;
 *   poke qd256 the same on a bigger ring;
 *   wait       xnvme_queue_wait alone: at most one io_getevents per wait (it sleeps there);
 *   nested     every 5th callback pokes the queue again from inside the reap: each read
 *              completes exactly once;
 *   faults     io_submit refuses some batches for a while (-EAGAIN), is interrupted (-EINTR) or
 *              takes only part of a batch: what it did not take is submitted later, once;
 *   fallback   the ring's magic or its incompatible features are made unknown right after
 *              io_setup: the library must not read it, and takes every completion through
 *              io_getevents instead; once more with callbacks that poke again, whose
 *              io_getevents must not overwrite the events the outer one still holds.
 * Every round runs until the kernel's ring has wrapped at least 16 times, verifies each block read
 * and that each read completed once with a clean status. Exit 0 on success, 77 when the kernel's
 * ring is not laid out as lib/be/linux/libaio_ring.h says (the library falls back: nothing to
 * count), 1 with a message on the first failure. TMPDIR chooses where the file goes (/var/tmp).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <libxnvme.h>
#include "libaio_ring.h"
#include "round_watchdog.h"

#define FILE_NBYTES (64ULL << 20)
#define BS          4096U
#define MIN_IOS     20000U
#define ROUND_SECS  120U

/* ---- The interposers: counted, then straight to the kernel (libaio's wrappers add nothing) */

static atomic_ulong g_nsetup, g_nsubmit, g_ngetevents;
static io_context_t g_ctx;  ///< The last context io_setup made
static uint32_t g_scribble; ///< 1: make the next ring's magic unknown; 2: its incompat features
static int g_submit_faults; ///< io_submit answers some calls with a fault (faults round)
static atomic_ulong g_nagain, g_nintr, g_npartial; ///< The faults made

int
io_setup(int maxevents, io_context_t *ctxp)
{
	long res = syscall(SYS_io_setup, maxevents, ctxp);

	if (res < 0) {
		return -errno;
	}
	atomic_fetch_add(&g_nsetup, 1);
	g_ctx = *ctxp;
	/* The kernel never reads these two fields back: only a reader in user space looks */
	if (g_scribble == 1) {
		((struct libaio_ring *)*ctxp)->magic ^= 1;
	} else if (g_scribble == 2) {
		((struct libaio_ring *)*ctxp)->incompat_features |= 1u << 31;
	}
	return 0;
}

int
io_submit(io_context_t ctx, long nr, struct iocb *iocbs[])
{
	unsigned long call = atomic_fetch_add(&g_nsubmit, 1);
	long res;

	/* What the kernel may answer: out of resources (nothing taken), a signal, part of a batch
	 */
	if (g_submit_faults && call % 7 == 1) {
		atomic_fetch_add(&g_nagain, 1);
		return -EAGAIN;
	}
	if (g_submit_faults && call % 7 == 3) {
		atomic_fetch_add(&g_nintr, 1);
		return -EINTR;
	}
	if (g_submit_faults && call % 7 == 5 && nr > 1) {
		atomic_fetch_add(&g_npartial, 1);
		nr /= 2;
	}
	res = syscall(SYS_io_submit, ctx, nr, iocbs);
	return res < 0 ? -errno : (int)res;
}

int
io_getevents(io_context_t ctx, long min_nr, long nr, struct io_event *events,
	     struct timespec *timeout)
{
	long res = syscall(SYS_io_getevents, ctx, min_nr, nr, events, timeout);

	atomic_fetch_add(&g_ngetevents, 1);
	return res < 0 ? -errno : (int)res;
}

/* ---- The rounds */

enum reap { REAP_POKE, REAP_WAIT, REAP_NESTED };

struct slot {
	struct round *round;
	uint8_t *buf;
	uint64_t block; ///< What the read in flight asked for
	uint64_t seq;   ///< Its submission number
};

struct round {
	const char *tag;
	enum reap reap;
	struct xnvme_queue *queue;
	uint32_t nsid;
	uint16_t nlb;
	uint64_t nios;       ///< Reads to complete
	uint64_t nsubmitted; ///< Also the next submission number
	uint64_t ncompleted;
	uint64_t rng;
	uint8_t *seen;    ///< By submission number: completions seen
	int nesting;      ///< A callback's poke is under way
	uint64_t nnested; ///< Pokes from callbacks
};

static void __attribute__((format(printf, 1, 2), noreturn)) fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: %s: ", g_tag);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Word @p i of block @p block: no two words of the file are alike */
static uint64_t
block_word(uint64_t block, uint64_t i)
{
	return (block * (BS / 8) + i) * 0x9E3779B97F4A7C15ULL ^ 0xC2B2AE3D27D4EB4FULL;
}

static void
make_file(void)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
	uint64_t *buf = malloc(1 << 20);
	FILE *fp;

	snprintf(g_path, sizeof(g_path), "%s/libaio-reap-%d.img", dir, (int)getpid());
	fp = fopen(g_path, "w");
	if (!fp || !buf) {
		g_path[0] = 0;
		fail("cannot make a file in %s: %s", dir, strerror(errno));
	}
	atexit(cleanup);
	for (uint64_t off = 0; off < FILE_NBYTES; off += 1 << 20) {
		for (uint64_t i = 0; i < (1 << 20) / 8; ++i) {
			buf[i] = block_word((off + i * 8) / BS, i % (BS / 8));
		}
		if (fwrite(buf, 1, 1 << 20, fp) != 1 << 20) {
			fail("writing %s: %s", g_path, strerror(errno));
		}
	}
	if (fclose(fp)) {
		fail("writing %s: %s", g_path, strerror(errno));
	}
	free(buf);
}

static int
submit(struct round *r, struct xnvme_cmd_ctx *ctx, struct slot *slot)
{
	int err;

	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	slot->block = r->rng % (FILE_NBYTES / BS);
	slot->seq = r->nsubmitted;
	err = xnvme_nvm_read(ctx, r->nsid, slot->block * (r->nlb + 1u), r->nlb, slot->buf, NULL);
	r->nsubmitted += !err;
	return err;
}

static void
on_cpl(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct slot *slot = cb_arg;
	struct round *r = slot->round;
	const uint64_t *words = (const uint64_t *)slot->buf;
	int err;

	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		fail("read %" PRIu64 " (block %" PRIu64 ") completed with status 0x%x", slot->seq,
		     slot->block, xnvme_cmd_ctx_cpl_status(ctx));
	}
	if (r->seen[slot->seq]++) {
		fail("read %" PRIu64 " (block %" PRIu64 ") completed twice", slot->seq,
		     slot->block);
	}
	for (uint64_t i = 0; i < BS / 8; ++i) {
		if (words[i] != block_word(slot->block, i)) {
			fail("read %" PRIu64 ": block %" PRIu64 " word %" PRIu64 " is not its own",
			     slot->seq, slot->block, i);
		}
	}
	r->ncompleted++;
	/* The next read from inside the reap, on the same context */
	if (r->nsubmitted < r->nios) {
		err = submit(r, ctx, slot);
		if (err) {
			fail("resubmit from a callback: %d", err);
		}
	} else {
		xnvme_queue_put_cmd_ctx(r->queue, ctx);
	}
	/* One level deep: a poke that pokes again from each 5th callback would recurse unbounded */
	if (r->reap == REAP_NESTED && r->ncompleted % 5 == 0 && !r->nesting) {
		r->nesting = 1;
		r->nnested++;
		err = xnvme_queue_poke(r->queue, 0);
		r->nesting = 0;
		if (err < 0) {
			fail("poke from a callback: %d", err);
		}
	}
}

struct counts {
	unsigned long submit, getevents, calls; ///< calls: pokes or waits of the test
	unsigned long nested;                   ///< of which from callbacks
	uint64_t ios;
	uint32_t ring_nr;
	int ring_known; ///< The ring is laid out as libaio_ring.h says (after any scribbling)
};

/* One round of at least MIN_IOS reads at depth @p qd; @p scribble as g_scribble */
static struct counts
run_round(const char *tag, enum reap reap, uint32_t qd, uint32_t scribble, int direct)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct round r = {.tag = tag, .reap = reap, .rng = 0x2545F4914F6CDD1DULL};
	struct counts c = {0};
	struct slot *slots = calloc(qd, sizeof(*slots));
	struct libaio_ring *ring;
	struct xnvme_dev *dev;
	unsigned long setups = atomic_load(&g_nsetup);
	static const uint32_t maxes[] = {0, 1, 3, 0};

	g_tag = tag;
	alarm(ROUND_SECS);
	opts.be = "linux";
	opts.async = "libaio";
	opts.direct = (uint8_t)direct;
	dev = xnvme_dev_open(g_path, &opts);
	if (!dev && direct) {
		printf("%s: skipped, O_DIRECT refused here: %s\n", tag, strerror(errno));
		free(slots);
		alarm(0);
		return c;
	}
	if (!dev || !slots) {
		fail("open %s with libaio: %s", g_path, strerror(errno));
	}
	g_scribble = scribble;
	if (xnvme_queue_init(dev, (uint16_t)qd, 0, &r.queue)) {
		fail("queue of %u: %s", qd, strerror(errno));
	}
	g_scribble = 0;
	/* The counts below prove nothing unless the library's calls come here */
	if (atomic_load(&g_nsetup) == setups || !g_ctx) {
		fail("io_setup was not interposed: the library's calls into libaio are not seen");
	}
	ring = (struct libaio_ring *)g_ctx;
	c.ring_nr = ring->nr;
	c.ring_known = libaio_ring_of(g_ctx) != NULL;
	r.nsid = xnvme_dev_get_nsid(dev);
	r.nlb = (uint16_t)(BS / xnvme_dev_get_geo(dev)->lba_nbytes - 1);
	/* Enough reads to wrap the ring many times, whatever size the kernel gave it */
	r.nios = c.ring_nr * 16ULL > MIN_IOS ? c.ring_nr * 16ULL : MIN_IOS;
	r.seen = calloc(r.nios, 1);
	if (!r.seen) {
		fail("out of memory");
	}
	atomic_store(&g_nsubmit, 0);
	atomic_store(&g_ngetevents, 0);
	for (uint32_t i = 0; i < qd; ++i) {
		struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(r.queue);

		slots[i].round = &r;
		slots[i].buf = xnvme_buf_alloc(dev, BS);
		if (!ctx || !slots[i].buf) {
			fail("context or buffer %u of %u", i, qd);
		}
		xnvme_cmd_ctx_set_cb(ctx, on_cpl, &slots[i]);
		if (submit(&r, ctx, &slots[i])) {
			fail("submit %u of %u", i, qd);
		}
	}
	while (r.ncompleted < r.nios) {
		uint32_t max = maxes[c.calls % 4];
		int res =
		    reap == REAP_WAIT ? xnvme_queue_wait(r.queue) : xnvme_queue_poke(r.queue, max);

		c.calls++;
		if (res < 0) {
			fail("%s: %d", reap == REAP_WAIT ? "wait" : "poke", res);
		}
		if (reap == REAP_POKE && max && (uint32_t)res > max) {
			fail("poke(%u) reported %d completions", max, res);
		}
	}
	c.calls += r.nnested;
	c.nested = r.nnested;
	c.submit = atomic_load(&g_nsubmit);
	c.getevents = atomic_load(&g_ngetevents);
	c.ios = r.ncompleted;
	for (uint64_t i = 0; i < r.nios; ++i) {
		if (r.seen[i] != 1) {
			fail("read %" PRIu64 " completed %u times", i, r.seen[i]);
		}
	}
	printf("%s: %" PRIu64 " reads, ring of %u (asked %u), %lu %s, %lu io_submit, "
	       "%lu io_getevents (%lu pokes from callbacks)\n",
	       tag, c.ios, c.ring_nr, qd, c.calls, reap == REAP_WAIT ? "waits" : "pokes", c.submit,
	       c.getevents, c.nested);
	for (uint32_t i = 0; i < qd; ++i) {
		xnvme_buf_free(dev, slots[i].buf);
	}
	if (xnvme_queue_term(r.queue)) {
		fail("queue term");
	}
	xnvme_dev_close(dev);
	free(r.seen);
	free(slots);
	alarm(0);
	return c;
}

/*
 * Pokes: no io_getevents, at most one io_submit per poke, and @p nfull more: the first queue's
 * worth, and under nested pokes each time callbacks fill the queue again (a full batch is
 * submitted at once, at most once per queue's worth of reads)
 */
static void
check_pokes(const char *tag, struct counts c, unsigned long nfull)
{
	g_tag = tag;
	if (c.getevents) {
		fail("%lu io_getevents in %lu pokes: a poke must take completions from the ring",
		     c.getevents, c.calls);
	}
	if (c.submit > c.calls + nfull) {
		fail("%lu io_submit in %lu pokes: more than one per poke", c.submit, c.calls);
	}
}

int
main(void)
{
	struct counts c;
	struct sigaction sa = {.sa_handler = on_alarm};

	sigaction(SIGALRM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	make_file();

	c = run_round("poke", REAP_POKE, 32, 0, 0);
	if (!c.ring_known) {
		printf("SKIP: this kernel's aio ring is not laid out as libaio_ring.h says\n");
		return 77;
	}
	check_pokes("poke", c, 1);
	c = run_round("poke qd256", REAP_POKE, 256, 0, 0);
	check_pokes("poke qd256", c, 1);
	/* Reads from the disk: pokes that find nothing, waits that sleep in io_getevents */
	c = run_round("poke direct", REAP_POKE, 32, 0, 1);
	check_pokes("poke direct", c, 1);
	for (int direct = 0; direct < 2; ++direct) {
		const char *tag = direct ? "wait direct" : "wait";

		c = run_round(tag, REAP_WAIT, 32, 0, direct);
		if (c.getevents > c.calls) {
			g_tag = tag;
			fail("%lu io_getevents in %lu waits: more than one per wait", c.getevents,
			     c.calls);
		}
	}
	/* Batches the kernel refuses for now or takes in part: each read still completes once */
	g_submit_faults = 1;
	run_round("faults", REAP_POKE, 32, 0, 0);
	run_round("faults nested", REAP_NESTED, 32, 0, 0);
	g_submit_faults = 0;
	if (!g_nagain || !g_nintr || !g_npartial) {
		fail("faults: %lu -EAGAIN, %lu -EINTR, %lu partial: not every fault was made",
		     atomic_load(&g_nagain), atomic_load(&g_nintr), atomic_load(&g_npartial));
	}
	c = run_round("nested", REAP_NESTED, 32, 0, 0);
	check_pokes("nested", c, 1 + c.ios / 32);
	if (c.nested < c.ios / 100) {
		fail("only %lu pokes from callbacks: the round did not test them", c.nested);
	}

	/* An unknown ring is never read: io_getevents takes the completions */
	c = run_round("fallback magic", REAP_POKE, 32, 1, 0);
	if (!c.getevents) {
		fail("no io_getevents: the library read a ring whose magic it does not know");
	}
	c = run_round("fallback incompat", REAP_POKE, 32, 2, 0);
	if (!c.getevents) {
		fail("no io_getevents: the library read a ring with unknown incompatible features");
	}
	/* ... and callbacks that poke again must not overwrite what io_getevents handed up */
	c = run_round("fallback nested", REAP_NESTED, 32, 2, 0);
	if (!c.getevents || c.nested < c.ios / 100) {
		fail("%lu io_getevents, %lu pokes from callbacks: not the round meant", c.getevents,
		     c.nested);
	}
	printf("PASS\n");
	return 0;
}
