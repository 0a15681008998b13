/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Small utilities shared by the public headers: compile-time asserts and arithmetic helpers.
 */
#ifndef __LIBXNVME_UTIL_H
#define __LIBXNVME_UTIL_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
#define XNVME_STATIC_ASSERT(cond, msg) static_assert(cond, msg);
#else
#define XNVME_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg);
#endif

#define XNVME_MIN(a, b)     ((a) < (b) ? (a) : (b))
#define XNVME_MAX(a, b)     ((a) > (b) ? (a) : (b))
#define XNVME_ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

#ifdef __cplusplus
extern "C" {
#endif

/** Returns 1 when @p val is a power of two (0 is not), 0 otherwise. */
static inline int
xnvme_is_pow2(uint64_t val)
{
	return val && !(val & (val - 1));
}

/** Returns log2 of @p val, rounded down; 0 for 0 and 1. */
static inline int
xnvme_ilog2(uint64_t val)
{
	int res = 0;

	while (val >>= 1) {
		res++;
	}
	return res;
}

/** Returns the time in nanoseconds from a monotonic clock. */
uint64_t xnvme_timer_now_ns(void);

/** A monotonic clock sample in nanoseconds: what the timers below record */
static inline uint64_t
_xnvme_timer_clock_sample(void)
{
	return xnvme_timer_now_ns();
}

/** A wall-clock stopwatch: two monotonic samples in nanoseconds */
struct xnvme_timer {
	uint64_t start;
	uint64_t stop;
};

/** Records the start of @p t; returns the sample */
static inline uint64_t
xnvme_timer_start(struct xnvme_timer *t)
{
	t->start = _xnvme_timer_clock_sample();
	return t->start;
}

/** Records the stop of @p t; returns the sample */
static inline uint64_t
xnvme_timer_stop(struct xnvme_timer *t)
{
	t->stop = _xnvme_timer_clock_sample();
	return t->stop;
}

/** Nanoseconds from start to stop */
static inline uint64_t
xnvme_timer_elapsed_nsecs(struct xnvme_timer *t)
{
	return t->stop - t->start;
}

static inline double
xnvme_timer_elapsed_usecs(struct xnvme_timer *t)
{
	return (double)xnvme_timer_elapsed_nsecs(t) / 1e3;
}

static inline double
xnvme_timer_elapsed_msecs(struct xnvme_timer *t)
{
	return (double)xnvme_timer_elapsed_nsecs(t) / 1e6;
}

static inline double
xnvme_timer_elapsed_secs(struct xnvme_timer *t)
{
	return (double)xnvme_timer_elapsed_nsecs(t) / 1e9;
}

/** Seconds from start to stop (the same as xnvme_timer_elapsed_secs()) */
static inline double
xnvme_timer_elapsed(struct xnvme_timer *t)
{
	return xnvme_timer_elapsed_secs(t);
}

/** Prints "PREFIX: {elapsed: SECONDS}" to stdout */
static inline void
xnvme_timer_pr(struct xnvme_timer *t, const char *prefix)
{
	printf("%s: {elapsed: %lf}\n", prefix, xnvme_timer_elapsed(t));
}

/** Prints the elapsed seconds, @p nbytes in MiB and the MiB per second, as one YAML flow mapping */
static inline void
xnvme_timer_bw_pr(struct xnvme_timer *t, const char *prefix, size_t nbytes)
{
	double secs = xnvme_timer_elapsed_secs(t);
	double mib = (double)nbytes / (1024.0 * 1024.0);

	printf("%s: {elapsed: %.4f, mib: %.2f, mib_sec: %.2f}\n", prefix, secs, mib, mib / secs);
}

#ifdef __cplusplus
}
#endif

#endif
