/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: command checks shared by the core and backends. */
#ifndef __XNVME_CMD_INTERNAL_H
#define __XNVME_CMD_INTERNAL_H

#include <string.h>
#include <libxnvme.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/** xnvme_prep_nvm(), inline for the library's own paths */
static inline void
xnvme_cmd_prep_nvm(struct xnvme_cmd_ctx *ctx, uint8_t opcode, uint32_t nsid, uint64_t slba,
		   uint16_t nlb)
{
	ctx->cmd.common.opcode = opcode;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.nvm.slba = slba;
	ctx->cmd.nvm.nlb = nlb;
}

/*
 * What cmd.c decided of an I/O command, once, for the interface it hands the command to: kept in
 * the context's be_rsvd (on the line the completion is written to anyway). A command of the
 * device's own namespace's logical blocks that passed the checks and has no metadata is recorded
 * with its opcode and its data's byte length (nlb + 1 blocks; the byte offset is slba << geo.ssw);
 * anything else as XNVME_CMD_IO_OTHER, which the interface decodes itself. So the kinds are
 * opcodes, and a plain read or write is xnvme_cmd_io_plain(). Interfaces that judge a completion
 * by its length (posix_io.h) keep their record of a command in flight in the same bytes.
 */
enum xnvme_cmd_io_kind {
	XNVME_CMD_IO_OTHER = 0,
	XNVME_CMD_IO_WRITE = XNVME_SPEC_NVM_OPC_WRITE, ///< 0x01
	XNVME_CMD_IO_READ = XNVME_SPEC_NVM_OPC_READ,   ///< 0x02
};

#define XNVME_CMD_RSVD_KIND 8 ///< be_rsvd[0..7]: the byte length; be_rsvd[8]: the kind

/** Records @p kind and @p nbytes in @p ctx */
static inline void
xnvme_cmd_io_set(struct xnvme_cmd_ctx *ctx, int kind, uint64_t nbytes)
{
	memcpy(ctx->be_rsvd, &nbytes, sizeof(nbytes));
	ctx->be_rsvd[XNVME_CMD_RSVD_KIND] = (uint8_t)kind;
}

/** Records the kind @p kind of @p ctx, not its length */
static inline void
xnvme_cmd_io_decide(struct xnvme_cmd_ctx *ctx, int kind)
{
	ctx->be_rsvd[XNVME_CMD_RSVD_KIND] = (uint8_t)kind;
}

/** Records that @p ctx is not a plain read or write: the interface decodes it */
static inline void
xnvme_cmd_io_set_other(struct xnvme_cmd_ctx *ctx)
{
	ctx->be_rsvd[XNVME_CMD_RSVD_KIND] = XNVME_CMD_IO_OTHER;
}

/** The kind recorded in @p ctx */
static inline int
xnvme_cmd_io_kind(const struct xnvme_cmd_ctx *ctx)
{
	return ctx->be_rsvd[XNVME_CMD_RSVD_KIND];
}

/** The recorded kind if it is a plain read or write (XNVME_CMD_IO_READ/_WRITE), else 0 */
static inline int
xnvme_cmd_io_plain(const struct xnvme_cmd_ctx *ctx)
{
	int kind = xnvme_cmd_io_kind(ctx);

	return (unsigned)kind - 1 < 2 ? kind : XNVME_CMD_IO_OTHER;
}

/** The byte length recorded in @p ctx */
static inline uint64_t
xnvme_cmd_io_nbytes(const struct xnvme_cmd_ctx *ctx)
{
	uint64_t nbytes;

	memcpy(&nbytes, ctx->be_rsvd, sizeof(nbytes));
	return nbytes;
}

/** Sets ctx->cpl's status to (sct, sc) with do-not-retry; how emulated interfaces report errors */
void xnvme_cmd_ctx_set_status(struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc);

/**
 * The NVM read, write or compare of nvm.c: prepares ctx->cmd (@p opc, @p nsid, @p slba, @p nlb)
 * and passes it with @p dbuf (nlb + 1 blocks) and @p mbuf (their metadata, none with extended
 * LBAs). -EINVAL without @p dbuf. The checks that hold by construction (opcode class, buffer
 * lengths) are left out; range, MDTS, alignment and queue checks are not. Here rather than in
 * nvm.c so that the preparation and the checks are one function: xnvme_nvm_read() is a jump.
 */
int xnvme_cmd_pass_nvm_rw(struct xnvme_cmd_ctx *ctx, uint8_t opc, uint32_t nsid, uint64_t slba,
			  uint16_t nlb, void *dbuf, void *mbuf);

/**
 * Identify with every field: a 32-bit @p nsid and @p csi, which xnvme_adm_idfy() (0.7.5's
 * parameters) cannot take; the identify variants and the geometry use it.
 */
int xnvme_adm_idfy_any(struct xnvme_cmd_ctx *ctx, uint8_t cns, uint16_t cntid, uint32_t nsid,
		       uint16_t nvmsetid, uint8_t uuid, uint8_t csi, struct xnvme_spec_idfy *idfy);

#pragma GCC visibility pop

#endif
