/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CRC-32C by the CPU's crc32 instruction (SSE4.2) against the table, which test_pi checks against
 * the catalogue: the same value for every length and alignment, and when continued over pieces.
 * Without the instruction only the table is checked and the test says so (exit 77, skipped).
 *
 *   test_crc32c --bench   prints MB/s of each over a 16 MiB buffer (not a timed test)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xnvme_crc.h>

static int g_failed;

#define CHECK_EQ(a, b, what, len, off)                                                             \
	do {                                                                                       \
		if ((a) != (b)) {                                                                  \
			fprintf(stderr, "FAIL %s: len %zu off %zu: 0x%08x != 0x%08x\n", what,      \
				(size_t)(len), (size_t)(off), (unsigned)(a), (unsigned)(b));       \
			g_failed++;                                                                \
		}                                                                                  \
	} while (0)

static uint32_t
hw(uint32_t crc, const void *buf, size_t len)
{
	if (xnvme_crc32c_hw(&crc, buf, len)) {
		fprintf(stderr, "FAIL: the instruction went away\n");
		exit(1);
	}
	return crc;
}

static double
mb_per_s(uint32_t (*fn)(uint32_t, const void *, size_t), const uint8_t *buf, size_t len, int reps)
{
	struct timespec t0, t1;
	volatile uint32_t sink = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < reps; ++i) {
		sink = fn(sink, buf, len);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)len * reps / 1e6 /
	       ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

int
main(int argc, char **argv)
{
	static uint8_t buf[2048 + 8];
	uint32_t probe = 0;
	int have_hw = xnvme_crc32c_hw(&probe, "", 0) == 0;

	srand(20);
	for (size_t i = 0; i < sizeof(buf); ++i) {
		buf[i] = (uint8_t)rand();
	}
	CHECK_EQ(xnvme_crc32c_sw(0, "123456789", 9), 0xE3069283u, "sw check value", 9, 0);
	CHECK_EQ(xnvme_crc32c(0, "123456789", 9), 0xE3069283u, "check value", 9, 0);
	if (!have_hw) {
		printf("crc32c: no crc32 instruction here: only the table checked\n");
		return g_failed ? 1 : 77;
	}
	CHECK_EQ(hw(0, "123456789", 9), 0xE3069283u, "hw check value", 9, 0);

	for (size_t off = 0; off < 8; ++off) {
		for (size_t len = 0; len <= 2048; len += len < 80 ? 1 : 37) {
			uint32_t sw = xnvme_crc32c_sw(0, buf + off, len);

			CHECK_EQ(hw(0, buf + off, len), sw, "hw vs sw", len, off);
			CHECK_EQ(xnvme_crc32c(0, buf + off, len), sw, "dispatch vs sw", len, off);
			// Continued from a previous value, as a data digest over pieces is
			CHECK_EQ(hw(0x12345678, buf + off, len),
				 xnvme_crc32c_sw(0x12345678, buf + off, len), "hw vs sw continued",
				 len, off);
		}
	}
	for (size_t cut = 0; cut <= 100; ++cut) {
		uint32_t whole = xnvme_crc32c_sw(0, buf + 3, 100);

		CHECK_EQ(hw(hw(0, buf + 3, cut), buf + 3 + cut, 100 - cut), whole,
			 "hw in two pieces", 100, cut);
		CHECK_EQ(xnvme_crc32c_sw(hw(0, buf + 3, cut), buf + 3 + cut, 100 - cut), whole,
			 "hw then sw", 100, cut);
	}

	if (argc > 1 && !strcmp(argv[1], "--bench")) {
		size_t len = 16u << 20;
		uint8_t *big = malloc(len);

		if (!big) {
			return 1;
		}
		memset(big, 0x5A, len);
		printf("crc32c table: %.0f MB/s\n", mb_per_s(xnvme_crc32c_sw, big, len, 8));
		printf("crc32c sse4.2: %.0f MB/s\n", mb_per_s(hw, big, len, 64));
		free(big);
	}
	if (g_failed) {
		fprintf(stderr, "%d checks failed\n", g_failed);
		return 1;
	}
	printf("crc32c: the instruction and the table agree\n");
	return 0;
}
