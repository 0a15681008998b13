/* SPDX-License-Identifier: BSD-3-Clause */
#include <time.h>
#include <libxnvme.h>

uint64_t
xnvme_timer_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
