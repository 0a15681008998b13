/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Small utilities shared by the public headers and their users: compile-time asserts, arithmetic
 * helpers, bit-string formatting, and a wall-clock timer. The helpers xNVMe 0.7.5 declares here
 * are static inline as there; XNVME_MIN/XNVME_MAX take and give int, as there (use
 * XNVME_MIN_U64 for sizes).
 */
#ifndef __LIBXNVME_UTIL_H
#define __LIBXNVME_UTIL_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#ifdef _WIN32
/*
 * Windows has no <sys/uio.h>: the element of the vectored commands' scatter-gather lists
 * (xnvme_cmd_passv()) is declared here with POSIX's members, so the same code builds on both
 */
struct iovec {
	void *iov_base;
	size_t iov_len;
};
#else
#include <sys/uio.h>
#endif

#ifdef __cplusplus
#define XNVME_STATIC_ASSERT(cond, msg) static_assert(cond, msg);
#else
#define XNVME_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg);
#endif

/** log2 of the 512-byte unit sector counts are given in */
#define XNVME_UNIVERSAL_SECT_SH 9

/** Marks a parameter unused: the name becomes UNUSED_x, so a use of it fails to compile */
#ifdef __GNUC__
#define XNVME_UNUSED(x) UNUSED_##x __attribute__((__unused__))
#else
#define XNVME_UNUSED(x) UNUSED_##x
#endif

/** The size of @p member of struct type @p type, without an instance */
#define XNVME_SIZEOF_MEMBER(type, member) (sizeof(((type *)0)->member))

#define XNVME_ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

/*
 * A value in binary, most significant bit first: printf(XNVME_I16_FMT "\n", XNVME_I16_TO_STR(v))
 * prints 16 characters '0' or '1'. The _TO_STR macros expand to one char argument per bit.
 */
#define XNVME_I8_FMT  "%c%c%c%c%c%c%c%c"
#define XNVME_I16_FMT XNVME_I8_FMT XNVME_I8_FMT
#define XNVME_I32_FMT XNVME_I16_FMT XNVME_I16_FMT
#define XNVME_I64_FMT XNVME_I32_FMT XNVME_I32_FMT

#define XNVME_BIT_CHAR_(val, bit) (((val) & (1ULL << (bit))) ? '1' : '0')
/* The 8 bits from @p top down to @p top - 7 */
#define XNVME_BITS8_CHARS_(val, top)                                                               \
	XNVME_BIT_CHAR_(val, (top)), XNVME_BIT_CHAR_(val, (top)-1), XNVME_BIT_CHAR_(val, (top)-2), \
	    XNVME_BIT_CHAR_(val, (top)-3), XNVME_BIT_CHAR_(val, (top)-4),                          \
	    XNVME_BIT_CHAR_(val, (top)-5), XNVME_BIT_CHAR_(val, (top)-6),                          \
	    XNVME_BIT_CHAR_(val, (top)-7)

#define XNVME_I8_TO_STR(val)  XNVME_BITS8_CHARS_(val, 7)
#define XNVME_I16_TO_STR(val) XNVME_BITS8_CHARS_(val, 15), XNVME_I8_TO_STR(val)
#define XNVME_I32_TO_STR(val)                                                                      \
	XNVME_BITS8_CHARS_(val, 31), XNVME_BITS8_CHARS_(val, 23), XNVME_I16_TO_STR(val)
#define XNVME_I64_TO_STR(val)                                                                      \
	XNVME_BITS8_CHARS_(val, 63), XNVME_BITS8_CHARS_(val, 55), XNVME_BITS8_CHARS_(val, 47),     \
	    XNVME_BITS8_CHARS_(val, 39), XNVME_I32_TO_STR(val)

/*
 * A debug print to stderr with file, function and line, when built with XNVME_DEBUG_ENABLED;
 * nothing otherwise. XNVME_DEBUG_FCALL(x) keeps the statement x in debug builds only.
 */
#ifdef XNVME_DEBUG_ENABLED
#define XNVME_DEBUG_FCALL(x) x
#define XNVME_DEBUG(...)     xnvme_debug_pr_(__FILE__, __func__, __LINE__, __VA_ARGS__)
#else
#define XNVME_DEBUG_FCALL(x)
#define XNVME_DEBUG(...)
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifdef XNVME_DEBUG_ENABLED
#include <stdarg.h>
#include <string.h>

#ifdef __MINGW_PRINTF_FORMAT
#define XNVME_DEBUG_PR_FORMAT __MINGW_PRINTF_FORMAT
#else
#define XNVME_DEBUG_PR_FORMAT printf
#endif
static inline void __attribute__((format(XNVME_DEBUG_PR_FORMAT, 4, 5)))
xnvme_debug_pr_(const char *file, const char *func, int line, const char *fmt, ...)
{
	const char *base = strrchr(file, '/');
	va_list ap;

	fprintf(stderr, "# DBG:%s:%s-%d: ", base ? base + 1 : file, func, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
}
#endif

/** Returns 1 when @p val is a power of two (0 is not), 0 otherwise. */
static inline int
xnvme_is_pow2(uint32_t val)
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

/** log2 of @p x, rounded down; 0 for 0 and 1 (xNVMe's name for xnvme_ilog2) */
static inline uint64_t
XNVME_ILOG2(uint64_t x)
{
	return (uint64_t)xnvme_ilog2(x);
}

/** The smaller of @p x and @p y, as int */
static inline int
XNVME_MIN(int x, int y)
{
	return x < y ? x : y;
}

/** The smaller of @p x and @p y, as uint64_t: the one for sizes */
static inline uint64_t
XNVME_MIN_U64(uint64_t x, uint64_t y)
{
	return x < y ? x : y;
}

/** The smaller of @p x and @p y, as int64_t */
static inline int64_t
XNVME_MIN_S64(int64_t x, int64_t y)
{
	return x < y ? x : y;
}

/** The larger of @p x and @p y, as int */
static inline int
XNVME_MAX(int x, int y)
{
	return x > y ? x : y;
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
