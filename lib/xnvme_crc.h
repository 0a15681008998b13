/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: the three CRCs of NVMe end-to-end data protection (NVM Command Set Specification,
 * 5.3 End-to-end Data Protection; the 16b, 32b and 64b Guard Protection Information formats).
 *
 * Each function continues a CRC: pass 0 to start, or the value a previous call returned to go on
 * over more bytes (the guard of a block covers its data and, with the PI in the last bytes of the
 * metadata, the metadata bytes before the PI, which need not be contiguous with the data).
 */
#ifndef __XNVME_CRC_H
#define __XNVME_CRC_H

#include <stddef.h>
#include <stdint.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/** CRC-16/T10-DIF: the 16b Guard (check value of "123456789": 0xD0DB) */
uint16_t xnvme_crc16_t10dif(uint16_t crc, const void *buf, size_t len);

/** CRC-32C (Castagnoli): the 32b Guard (check value of "123456789": 0xE3069283) */
uint32_t xnvme_crc32c(uint32_t crc, const void *buf, size_t len);

/** CRC-32C by table, one byte per step: what xnvme_crc32c() does without the CPU's instruction */
uint32_t xnvme_crc32c_sw(uint32_t crc, const void *buf, size_t len);

/**
 * CRC-32C by the CPU's crc32 instruction (x86-64 SSE4.2), continuing *@p crc: 0, or -ENOTSUP
 * where the CPU or the build has none
 */
int xnvme_crc32c_hw(uint32_t *crc, const void *buf, size_t len);

/** CRC-64/NVME: the 64b Guard (check value of "123456789": 0xAE8B14860A799888) */
uint64_t xnvme_crc64_nvme(uint64_t crc, const void *buf, size_t len);

#pragma GCC visibility pop

#endif
