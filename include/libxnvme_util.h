/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Small utilities shared by the public headers: compile-time asserts and arithmetic helpers.
 */
#ifndef __LIBXNVME_UTIL_H
#define __LIBXNVME_UTIL_H

#include <stdint.h>
#include <stddef.h>

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

#ifdef __cplusplus
}
#endif

#endif
