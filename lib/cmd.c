/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Passing commands: the checks every command gets before it reaches a backend, and the dispatch to
 * the bound sync, async or admin interface.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "xnvme_cmd.h"

struct xnvme_cmd_ctx
xnvme_cmd_ctx_from_dev(struct xnvme_dev *dev)
{
	struct xnvme_cmd_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.dev = dev;
	ctx.opts = XNVME_CMD_SYNC;
	return ctx;
}

struct xnvme_cmd_ctx *
xnvme_cmd_ctx_from_queue(struct xnvme_queue *queue)
{
	return xnvme_queue_get_cmd_ctx(queue);
}

void
xnvme_cmd_ctx_clear(struct xnvme_cmd_ctx *ctx)
{
	memset(&ctx->cmd, 0, sizeof(ctx->cmd));
	memset(&ctx->cpl, 0, sizeof(ctx->cpl));
}

void
xnvme_cmd_ctx_set_status(struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc)
{
	ctx->cpl.status.val = 0;
	ctx->cpl.status.sct = sct & 0x7;
	ctx->cpl.status.sc = sc;
	ctx->cpl.status.dnr = 1;
}

/* Commands whose slba/nlb address the namespace's logical blocks and whose data is nlb + 1 blocks
 */
static inline int
cmd_is_lba_xfer(uint8_t opc)
{
	switch (opc) {
	case XNVME_SPEC_NVM_OPC_READ:
	case XNVME_SPEC_NVM_OPC_WRITE:
	case XNVME_SPEC_NVM_OPC_COMPARE:
	case XNVME_SPEC_ZND_OPC_APPEND:
		return 1;
	default:
		return 0;
	}
}

static inline int
cmd_is_lba_nodata(uint8_t opc)
{
	return opc == XNVME_SPEC_NVM_OPC_WRITE_ZEROES ||
	       opc == XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE || opc == XNVME_SPEC_NVM_OPC_VERIFY;
}

/* Fails @p ctx with the generic status @p sc: what a check below answers a bad command with */
static int
cmd_refuse(struct xnvme_cmd_ctx *ctx, uint8_t sc)
{
	xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC, sc);
	return -EINVAL;
}

/*
 * Range, buffer-size and alignment checks of an I/O command; -EINVAL with the status set. A
 * command that passes is also decided here, once, for the interface (xnvme_cmd_io_set): a plain
 * read or write of the device's own namespace into data buffers only, or anything else. Inlined
 * into each pass function: a call per I/O cost ~25 instructions of the ~55 it takes, and with one
 * contiguous buffer the vector loop folds away. @p nvm_rw (a constant): the command is nvm.c's
 * read, write or compare, whose buffer lengths are its blocks' by construction; the opcode tests
 * and the length checks fold away. Each limit is precomputed in dev->io (a load and a compare).
 */
static inline __attribute__((always_inline)) int
cmd_check_io(struct xnvme_cmd_ctx *ctx, const struct iovec *dvec, size_t dvec_cnt,
	     size_t dbuf_nbytes, size_t mbuf_nbytes, int nvm_rw)
{
	const struct xnvme_dev_io_limits *io = &ctx->dev->io;
	uint8_t opc = ctx->cmd.common.opcode;
	uint64_t nlb, slba;

	if (!nvm_rw && !cmd_is_lba_xfer(opc) && !cmd_is_lba_nodata(opc)) {
		xnvme_cmd_io_set_other(ctx);
		return 0;
	}
	/* Another namespace's blocks, or a KV device's (io->nsid matches no 32-bit nsid) */
	if (ctx->cmd.common.nsid != io->nsid) {
		xnvme_cmd_io_set_other(ctx);
		return 0; /* not ours to judge: the device answers with its status */
	}
	slba = ctx->cmd.nvm.slba;
	nlb = (uint64_t)ctx->cmd.nvm.nlb + 1;
	if (slba >= io->nlbs || nlb > io->nlbs - slba) {
		return cmd_refuse(ctx, XNVME_SPEC_SC_LBA_OUT_OF_RANGE);
	}
	if (!nvm_rw && cmd_is_lba_nodata(opc)) {
		xnvme_cmd_io_set_other(ctx);
		return 0;
	}
	if ((!nvm_rw && dbuf_nbytes < nlb * io->lba_nbytes) || nlb > io->max_nlb) {
		return cmd_refuse(ctx, XNVME_SPEC_SC_INVALID_FIELD);
	}
	/* A vector is handed to the OS as it is, and a longer one would move more than the
	 * command's blocks on some interfaces (readv/writev): it must be exact */
	if (dvec_cnt > 1 && dbuf_nbytes != nlb * io->lba_nbytes) {
		return cmd_refuse(ctx, XNVME_SPEC_SC_INVALID_FIELD);
	}
	if (!nvm_rw && mbuf_nbytes && mbuf_nbytes < nlb * io->oob_nbytes) {
		return cmd_refuse(ctx, XNVME_SPEC_SC_INVALID_FIELD);
	}
	/* O_DIRECT fails misaligned buffers deep in the kernel, or not at all on some OSes: say so.
	 */
	if (io->align_mask) {
		for (size_t i = 0; i < dvec_cnt; ++i) {
			if ((((uintptr_t)dvec[i].iov_base | dvec[i].iov_len) & io->align_mask) ||
			    !dvec[i].iov_len) {
				return cmd_refuse(ctx, XNVME_SPEC_SC_INVALID_FIELD);
			}
		}
	}
	/* The kinds are the opcodes (xnvme_cmd.h): no test of the opcode here. nvm_rw: recorded
	 * before the checks (xnvme_cmd_pass_nvm_rw), where fewer values are live */
	if (!nvm_rw) {
		xnvme_cmd_io_decide(ctx, mbuf_nbytes ? XNVME_CMD_IO_OTHER : opc);
	}
	return 0;
}

/*
 * Hands @p ctx to its queue's interface; the queue's count grows once the interface took it. The
 * checks are the least that keeps a bad context from corrupting the queue: a context without a
 * queue or callback (not from xnvme_queue_get_cmd_ctx) and a full queue.
 */
#define CMD_SUBMIT_ASYNC(ctx, fn, ...)                                                             \
	({                                                                                         \
		struct xnvme_queue *queue_ = (ctx)->async.queue;                                   \
		int err_;                                                                          \
                                                                                                   \
		if (__builtin_expect(!queue_ || !(ctx)->async.cb, 0)) {                            \
			err_ = -EINVAL;                                                            \
		} else if (__builtin_expect(queue_->outstanding >= queue_->capacity, 0)) {         \
			err_ = -EBUSY;                                                             \
		} else {                                                                           \
			err_ = queue_->ops->fn((ctx), __VA_ARGS__);                                \
			if (__builtin_expect(!err_, 1)) {                                          \
				(ctx)->async.queue->outstanding++;                                 \
			}                                                                          \
		}                                                                                  \
		err_;                                                                              \
	})

/* xnvme_cmd_pass(), and with @p nvm_rw (a constant) what xnvme_cmd_pass_nvm_rw() passes */
static inline __attribute__((always_inline)) int
cmd_pass(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf, size_t mbuf_nbytes,
	 int nvm_rw)
{
	struct iovec dvec = {.iov_base = dbuf, .iov_len = dbuf_nbytes};
	int err;

	ctx->cpl.status.val = 0;
	err = cmd_check_io(ctx, &dvec, 1, dbuf_nbytes, mbuf ? mbuf_nbytes : 0, nvm_rw);
	if (err) {
		return err;
	}
	switch (ctx->opts & XNVME_CMD_MASK_IOMD) {
	case XNVME_CMD_ASYNC:
		return CMD_SUBMIT_ASYNC(ctx, cmd_io, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
	case XNVME_CMD_SYNC:
		return ctx->dev->sync->cmd_io(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
	default:
		return -EINVAL;
	}
}

int
xnvme_cmd_pass(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	return cmd_pass(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes, 0);
}

int
xnvme_cmd_pass_nvm_rw(struct xnvme_cmd_ctx *ctx, uint8_t opc, uint32_t nsid, uint64_t slba,
		      uint16_t nlb, void *dbuf, void *mbuf)
{
	const struct xnvme_dev_io_limits *io = &ctx->dev->io;
	size_t nblocks = (size_t)nlb + 1;
	size_t mbuf_nbytes = 0;

	if (!dbuf) {
		return -EINVAL;
	}
	xnvme_cmd_prep_nvm(ctx, opc, nsid, slba, nlb);
	/* What cmd_check_io() records for a command that passes, unless the nsid is another's */
	xnvme_cmd_io_decide(ctx, opc);
	if (mbuf) {
		xnvme_cmd_io_set_other(ctx);
		mbuf_nbytes = nblocks * io->oob_nbytes;
	}
	return cmd_pass(ctx, dbuf, nblocks * io->lba_nbytes, mbuf, mbuf_nbytes, 1);
}

int
xnvme_cmd_passv(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	size_t total = 0;
	int err;

	ctx->cpl.status.val = 0;
	if ((!dvec && dvec_cnt) || (!mvec && mvec_cnt) || dvec_cnt > IOV_MAX) {
		return -EINVAL;
	}
	for (size_t i = 0; i < dvec_cnt; ++i) {
		total += dvec[i].iov_len;
	}
	if (total != dvec_nbytes) {
		return -EINVAL;
	}
	err = cmd_check_io(ctx, dvec, dvec_cnt, dvec_nbytes, mvec_cnt ? mvec_nbytes : 0, 0);
	if (err) {
		return err;
	}
	switch (ctx->opts & XNVME_CMD_MASK_IOMD) {
	case XNVME_CMD_ASYNC:
		return CMD_SUBMIT_ASYNC(ctx, cmd_iov, dvec, dvec_cnt, dvec_nbytes, mvec, mvec_cnt,
					mvec_nbytes);
	case XNVME_CMD_SYNC:
		return ctx->dev->sync->cmd_iov(ctx, dvec, dvec_cnt, dvec_nbytes, mvec, mvec_cnt,
					       mvec_nbytes);
	default:
		return -EINVAL;
	}
}

int
xnvme_cmd_pass_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		   size_t dvec_nbytes, void *mbuf, size_t mbuf_nbytes)
{
	struct iovec mvec = {.iov_base = mbuf, .iov_len = mbuf_nbytes};

	return xnvme_cmd_passv(ctx, dvec, dvec_cnt, dvec_nbytes, mbuf ? &mvec : NULL, mbuf ? 1 : 0,
			       mbuf ? mbuf_nbytes : 0);
}

int
xnvme_cmd_pass_admin(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		     size_t mbuf_nbytes)
{
	if (!ctx || !ctx->dev) {
		return -EINVAL;
	}
	ctx->cpl.status.val = 0;
	return ctx->dev->admin->cmd_admin(ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
}
