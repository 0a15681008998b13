/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Command contexts and passing commands to a device.
 *
 * A context from xnvme_cmd_ctx_from_dev() is synchronous: the pass functions return after the
 * command completed. A context from xnvme_queue_get_cmd_ctx() is asynchronous: the pass functions
 * submit and return; the command completes through the queue's callback on xnvme_queue_poke().
 *
 * The pass functions return 0 or a negative errno: -EINVAL for a command the library refuses
 * before it reaches the device (LBA range past the end, buffer too small or misaligned for direct
 * I/O, transfer over the device's limit), -EBUSY when the queue is full, -ENOSYS when the
 * interface cannot carry the command, -EIO when the device completed it with an error status.
 * The NVMe status is in ctx->cpl either way; xnvme_cmd_ctx_cpl_status() tells.
 */
#ifndef __LIBXNVME_CMD_H
#define __LIBXNVME_CMD_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <libxnvme_util.h>
#include <libxnvme_spec.h>
#include <libxnvme_queue.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;

/** Attributes of asynchronous command contexts */
struct xnvme_cmd_ctx_async {
	struct xnvme_queue *queue; ///< The queue the context belongs to
	xnvme_queue_cb cb;         ///< Completion callback
	void *cb_arg;              ///< Argument of the callback
};

enum xnvme_cmd_opts {
	XNVME_CMD_SYNC = 0x1 << 0,  ///< Complete before the pass function returns
	XNVME_CMD_ASYNC = 0x1 << 1, ///< Submit to ctx->async.queue
	XNVME_CMD_UPLD_SGLD = 0x1 << 2,
	XNVME_CMD_UPLD_SGLM = 0x1 << 3,
};

#define XNVME_CMD_MASK_IOMD (XNVME_CMD_SYNC | XNVME_CMD_ASYNC)

/** The command context: 128 bytes, two cache lines */
struct xnvme_cmd_ctx {
	struct xnvme_spec_cmd cmd;        ///< The command to pass
	struct xnvme_spec_cpl cpl;        ///< Its completion
	struct xnvme_dev *dev;            ///< The device it goes to
	struct xnvme_cmd_ctx_async async; ///< Queue, callback and argument for async contexts
	uint32_t opts;                    ///< enum xnvme_cmd_opts
	uint8_t be_rsvd[12];              ///< Reserved for the library and backends
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_cmd_ctx) == 128, "Incorrect size")

/** Returns a synchronous context for @p dev with a zeroed command and completion */
struct xnvme_cmd_ctx xnvme_cmd_ctx_from_dev(struct xnvme_dev *dev);

/** Same as xnvme_queue_get_cmd_ctx() */
struct xnvme_cmd_ctx *xnvme_cmd_ctx_from_queue(struct xnvme_queue *queue);

/** Zeroes the command and completion of @p ctx, keeping device, queue and callback */
void xnvme_cmd_ctx_clear(struct xnvme_cmd_ctx *ctx);

static inline void
xnvme_cmd_ctx_set_cb(struct xnvme_cmd_ctx *ctx, xnvme_queue_cb cb, void *cb_arg)
{
	ctx->async.cb = cb;
	ctx->async.cb_arg = cb_arg;
}

/** Non-zero when the completion carries an error status */
static inline int
xnvme_cmd_ctx_cpl_status(struct xnvme_cmd_ctx *ctx)
{
	return ctx->cpl.status.sc || ctx->cpl.status.sct;
}

/** Prints the command and completion of @p ctx as YAML to @p stream, with the status name */
int xnvme_cmd_ctx_fpr(FILE *stream, const struct xnvme_cmd_ctx *ctx, int opts);

void xnvme_cmd_ctx_pr(const struct xnvme_cmd_ctx *ctx, int opts);

/** Passes an I/O command with a data buffer and an optional separate metadata buffer */
int xnvme_cmd_pass(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		   size_t mbuf_nbytes);

/**
 * Passes an I/O command with vectored data and metadata buffers. For an async context the iovec
 * arrays (not only the memory they point to) must stay valid until the command completes: the
 * interfaces that batch submissions read them when the batch goes to the kernel. A read or write
 * (NVM, zoned) with more than one data iovec must have exactly the command's data length,
 * (nlb + 1) * lba_nbytes, in the vector: -EINVAL (status Invalid Field) otherwise, before any I/O.
 */
int xnvme_cmd_passv(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		    size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes);

/** Passes an I/O command with vectored data and a contiguous metadata buffer */
int xnvme_cmd_pass_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		       size_t dvec_nbytes, void *mbuf, size_t mbuf_nbytes);

/** Passes an admin command; always synchronous */
int xnvme_cmd_pass_admin(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
			 size_t mbuf_nbytes);

#ifdef __cplusplus
}
#endif

#endif
