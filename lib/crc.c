/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Table-driven CRCs for the protection information guards (see xnvme_crc.h).
 *
 * Parameters, in the Rocksoft model the CRC catalogues use (width, poly, init, refin/refout,
 * xorout, check = CRC of the ASCII bytes "123456789"):
 *   CRC-16/T10-DIF  16  0x8BB7              init 0       not reflected  xorout 0
 *                   check 0xD0DB (T10 SBC-3 protection information; NVM Command Set 5.3.1.1)
 *   CRC-32C         32  0x1EDC6F41          init ~0      reflected      xorout ~0
 *                   check 0xE3069283 (RFC 3720 B.4; NVM Command Set 5.3.1.2)
 *   CRC-64/NVME     64  0xAD93D23594C93659  init ~0      reflected      xorout ~0
 *                   check 0xAE8B14860A799888 (NVM Command Set 5.3.1.3)
 * A reflected CRC shifts right with the bit-reversed polynomial: 0x82F63B78 for CRC-32C,
 * 0x9A6C9329AC4BC9B5 for CRC-64/NVME.
 *
 * The 256-entry tables (one byte per step) are computed once, on first use. CRC-32C, the NVMe/TCP
 * digests' CRC too, uses the CPU's crc32 instruction where there is one (x86-64 with SSE4.2).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include "xnvme_crc.h"

#define CRC16_T10DIF_POLY    0x8BB7u
#define CRC32C_POLY_REFL     0x82F63B78u
#define CRC64_NVME_POLY_REFL 0x9A6C9329AC4BC9B5ULL

static uint16_t g_crc16_tbl[256];
static uint32_t g_crc32c_tbl[256];
static uint64_t g_crc64_tbl[256];
static pthread_once_t g_crc_once = PTHREAD_ONCE_INIT;
static int g_crc32c_hw; ///< The CPU has the crc32 instruction (set with the tables)

static void
crc_tables_init(void)
{
	for (unsigned i = 0; i < 256; ++i) {
		uint16_t c16 = (uint16_t)(i << 8);
		uint32_t c32 = i;
		uint64_t c64 = i;

		for (int bit = 0; bit < 8; ++bit) {
			c16 = (uint16_t)(c16 & 0x8000u ? (unsigned)(c16 << 1) ^ CRC16_T10DIF_POLY
						       : (unsigned)(c16 << 1));
			c32 = c32 & 1 ? (c32 >> 1) ^ CRC32C_POLY_REFL : c32 >> 1;
			c64 = c64 & 1 ? (c64 >> 1) ^ CRC64_NVME_POLY_REFL : c64 >> 1;
		}
		g_crc16_tbl[i] = c16;
		g_crc32c_tbl[i] = c32;
		g_crc64_tbl[i] = c64;
	}
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	g_crc32c_hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
#endif
}

uint16_t
xnvme_crc16_t10dif(uint16_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	pthread_once(&g_crc_once, crc_tables_init);
	for (size_t i = 0; i < len; ++i) {
		crc = (uint16_t)((crc << 8) ^ g_crc16_tbl[((crc >> 8) ^ p[i]) & 0xFF]);
	}
	return crc;
}

uint32_t
xnvme_crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	pthread_once(&g_crc_once, crc_tables_init);
	crc = ~crc; // undo the previous call's final xor (or start from ~0)
	for (size_t i = 0; i < len; ++i) {
		crc = (crc >> 8) ^ g_crc32c_tbl[(crc ^ p[i]) & 0xFF];
	}
	return ~crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/*
 * SSE4.2's crc32 instruction is CRC-32C's reflected update without the inversions, so the same
 * ~crc in and out as the table. Eight bytes per instruction once the pointer is aligned; built
 * for SSE4.2 in this function alone, as the library runs on CPUs without it too.
 */
__attribute__((target("sse4.2"))) static uint32_t
crc32c_sse42(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t crc64;

	crc = ~crc;
	for (; len && ((uintptr_t)p & 7); --len) {
		crc = __builtin_ia32_crc32qi(crc, *p++);
	}
	crc64 = crc;
	for (; len >= 8; len -= 8, p += 8) {
		uint64_t word;

		memcpy(&word, p, sizeof(word));
		crc64 = __builtin_ia32_crc32di(crc64, word);
	}
	crc = (uint32_t)crc64;
	for (; len; --len) {
		crc = __builtin_ia32_crc32qi(crc, *p++);
	}
	return ~crc;
}

#endif

int
xnvme_crc32c_hw(uint32_t *crc, const void *buf, size_t len)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	pthread_once(&g_crc_once, crc_tables_init);
	if (g_crc32c_hw) {
		*crc = crc32c_sse42(*crc, buf, len);
		return 0;
	}
#else
	(void)crc;
	(void)buf;
	(void)len;
#endif
	return -ENOTSUP;
}

uint32_t
xnvme_crc32c(uint32_t crc, const void *buf, size_t len)
{
	if (!xnvme_crc32c_hw(&crc, buf, len)) {
		return crc;
	}
	return xnvme_crc32c_sw(crc, buf, len);
}

uint64_t
xnvme_crc64_nvme(uint64_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	pthread_once(&g_crc_once, crc_tables_init);
	crc = ~crc;
	for (size_t i = 0; i < len; ++i) {
		crc = (crc >> 8) ^ g_crc64_tbl[(crc ^ p[i]) & 0xFF];
	}
	return ~crc;
}
