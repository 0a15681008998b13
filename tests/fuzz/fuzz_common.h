/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the fuzz targets share: a sink for the printers, an assertion that is a crash to libFuzzer
 * (so it saves the input), and the cursor the targets read their structured input with.
 */
#ifndef __XNVME_FUZZ_COMMON_H
#define __XNVME_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Not assert(): it must hold in every build type, and say what broke */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FUZZ_ASSERT failed: %s (%s:%d)\n", #cond, __FILE__,       \
				__LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/*
 * The printers' sink; stdout goes there too, as the _pr() functions and the CLI's usage print to
 * it and a terminal would slow the fuzzer to a crawl. stderr stays: libFuzzer reports there.
 */
static inline FILE *
fuzz_devnull(void)
{
	static FILE *devnull;

	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		FUZZ_ASSERT(devnull);
		FUZZ_ASSERT(freopen("/dev/null", "w", stdout));
	}
	return devnull;
}

/* Reads the input front to back; past its end every read gives zeros */
struct fuzz_in {
	const uint8_t *data;
	size_t len;
};

static inline uint64_t
fuzz_take(struct fuzz_in *in, size_t nbytes)
{
	uint64_t val = 0;

	for (size_t i = 0; i < nbytes && i < 8; ++i) {
		val |= (uint64_t)(in->len ? in->data[0] : 0) << (8 * i);
		if (in->len) {
			in->data++;
			in->len--;
		}
	}
	return val;
}

/* Copies up to @p nbytes of the input to @p dst and zero-fills the rest */
static inline void
fuzz_take_bytes(struct fuzz_in *in, void *dst, size_t nbytes)
{
	size_t n = in->len < nbytes ? in->len : nbytes;

	memcpy(dst, in->data, n);
	memset((uint8_t *)dst + n, 0, nbytes - n);
	in->data += n;
	in->len -= n;
}

#endif
