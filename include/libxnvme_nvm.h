/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * NVM command set helpers: each fills ctx->cmd and passes it (sync or async, per the context).
 * Buffers are sized from the device geometry: data (nlb + 1) * lba_nbytes, separate metadata
 * (nlb + 1) * nbytes_oob. These helpers do not split: a transfer over the device's limit
 * (geo.mdts_nbytes) is refused with -EINVAL.
 */
#ifndef __LIBXNVME_NVM_H
#define __LIBXNVME_NVM_H

#include <stdint.h>
#include <stdbool.h>
#include <libxnvme_spec.h>
#include <libxnvme_cmd.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Fills the fields of a read/write-style command; the caller passes it. A function of the library,
 * as in xNVMe 0.7.5 (programs built against it import the symbol).
 */
void xnvme_prep_nvm(struct xnvme_cmd_ctx *ctx, uint8_t opcode, uint32_t nsid, uint64_t slba,
		    uint16_t nlb);

int xnvme_nvm_read(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb,
		   void *dbuf, void *mbuf);

int xnvme_nvm_write(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb,
		    const void *dbuf, const void *mbuf);

int xnvme_nvm_write_zeroes(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb);

int xnvme_nvm_write_uncorrectable(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba,
				  uint16_t nlb);

/** Compare: a mismatch completes with status Compare Failure (SCT 2, SC 0x85) and -EIO */
int xnvme_nvm_compare(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb,
		      void *dbuf, void *mbuf);

/** Dataset management with @p nr + 1 ranges in @p dsm_range (a buffer from xnvme_buf_alloc) */
int xnvme_nvm_dsm(struct xnvme_cmd_ctx *ctx, uint32_t nsid, struct xnvme_spec_dsm_range *dsm_range,
		  uint8_t nr, bool ad, bool idw, bool idr);

/**
 * Simple copy of the @p nr + 1 source ranges in @p ranges (an array of that many entries, in a
 * buffer from xnvme_buf_alloc) to @p sdlba
 */
int xnvme_nvm_scopy(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t sdlba,
		    struct xnvme_spec_nvm_scopy_fmt_zero *ranges, uint8_t nr,
		    enum xnvme_nvm_scopy_fmt copy_fmt);

/**
 * I/O management receive (FDP TP4146) of management operation @p mo (enum
 * xnvme_spec_io_mgmt_recv_mo) with its specific field @p mos, into @p dbuf of @p dbuf_nbytes (a
 * multiple of 4)
 */
int xnvme_nvm_mgmt_recv(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t mo, uint16_t mos,
			void *dbuf, uint32_t dbuf_nbytes);

/**
 * I/O management send (FDP TP4146) of management operation @p mo (enum xnvme_spec_io_mgmt_send_mo)
 * with its specific field @p mos, from @p dbuf of @p dbuf_nbytes
 */
int xnvme_nvm_mgmt_send(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint8_t mo, uint16_t mos,
			void *dbuf, uint32_t dbuf_nbytes);

int xnvme_nvm_verify(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba, uint16_t nlb);

int xnvme_nvm_flush(struct xnvme_cmd_ctx *ctx, uint32_t nsid);

#ifdef __cplusplus
}
#endif

#endif
