/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: NVMe I/O commands on a POSIX file descriptor (regular file or block device).
 *
 * Shared by every interface that reaches a device through a file descriptor (psync, emu,
 * thrpool, posix aio, io_uring, libaio): decode once, then the interface either does the plain
 * read/write its own way or hands the command to xnvme_posix_io_exec() to do it synchronously.
 */
#ifndef __XNVME_POSIX_IO_H
#define __XNVME_POSIX_IO_H

#include <errno.h>
#include <string.h>
#include <sys/types.h>
#include <libxnvme.h>
#include "xnvme_dev.h"
#include "xnvme_queue.h"
#include "xnvme_cmd.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/* Read and write are cmd.c's kinds (xnvme_cmd.h): its decision is the record of a plain command */
enum xnvme_posix_io_kind {
	XNVME_POSIX_IO_READ = XNVME_CMD_IO_READ,
	XNVME_POSIX_IO_WRITE = XNVME_CMD_IO_WRITE,
	XNVME_POSIX_IO_FLUSH = 3,
	XNVME_POSIX_IO_OTHER =
	    4, ///< Anything else that exec() can emulate (zeroes, dsm, compare, ...)
};

/** A decoded command: what to do, where, how many bytes */
struct xnvme_posix_io {
	int kind;      ///< enum xnvme_posix_io_kind
	uint64_t off;  ///< Byte offset
	size_t nbytes; ///< Bytes to transfer (read/write)
};

/** xnvme_posix_io_decode() of any command: called by it for all but the hot path */
int xnvme_posix_io_decode_any(struct xnvme_cmd_ctx *ctx, size_t dbuf_nbytes, size_t mbuf_nbytes,
			      struct xnvme_posix_io *io);

/**
 * Decodes ctx->cmd for a file descriptor. Reads and writes (NVM and FS opcodes) get their byte
 * offset and length; commands exec() can emulate are XNVME_POSIX_IO_OTHER. Returns 0, -ENOSYS for
 * a command that cannot be done on a file descriptor (status Invalid Opcode set), or -EINVAL for
 * metadata on a device without it (the checks in cmd.c have already been done).
 *
 * A plain read or write is what cmd.c decided it to be (xnvme_cmd_io_plain), inline, so the
 * interface's own switch on the kind folds away; the rest is a call.
 */
static inline int
xnvme_posix_io_decode(struct xnvme_cmd_ctx *ctx, size_t dbuf_nbytes, size_t mbuf_nbytes,
		      struct xnvme_posix_io *io)
{
	int kind = xnvme_cmd_io_plain(ctx);

	if (kind) {
		io->kind = kind;
		io->off = ctx->cmd.nvm.slba << ctx->dev->geo.ssw;
		io->nbytes = ((size_t)ctx->cmd.nvm.nlb + 1) << ctx->dev->geo.ssw;
		return 0;
	}
	return xnvme_posix_io_decode_any(ctx, dbuf_nbytes, mbuf_nbytes, io);
}

/**
 * Executes @p io synchronously on @p fd with the data in @p dvec. Sets ctx->cpl (result: bytes
 * transferred for reads/writes) and returns 0; -EIO with an NVMe status in ctx->cpl when the OS
 * failed the operation; -ENOSYS / -EINVAL as decode().
 */
int xnvme_posix_io_exec(int fd, struct xnvme_cmd_ctx *ctx, const struct xnvme_posix_io *io,
			const struct iovec *dvec, int dvec_cnt);

/**
 * A read or write of one buffer, already checked (cmd.c) and decoded (@p off, @p nbytes): what
 * exec() does for it, without the decoding and the vector. The hot path of the sync interfaces.
 */
int xnvme_posix_io_rw(int fd, struct xnvme_cmd_ctx *ctx, int write, uint64_t off, void *buf,
		      size_t nbytes);

/**
 * An async interface's way with a command it has no operation for: runs @p io now, on the
 * device's file descriptor, and files its completion (or its failure status) in the queue's done
 * ring, delivered on the next poke. Returns 0, or the refusal (nothing filed).
 */
static inline int
xnvme_posix_io_run_now(struct xnvme_cmd_ctx *ctx, const struct xnvme_posix_io *io,
		       const struct iovec *dvec, size_t dvec_cnt)
{
	return xnvme_queue_done(ctx->async.queue, ctx,
				xnvme_posix_io_exec(ctx->dev->fd, ctx, io, dvec, (int)dvec_cnt));
}

/**
 * Sets ctx->cpl for an OS error @p err (negative errno): the status by posix_io.c's rule, the
 * errno in cdw0, dword 1 zero; returns -EIO
 */
int xnvme_posix_io_fail(struct xnvme_cmd_ctx *ctx, int err);

/*
 * What an async interface keeps of a command in flight to judge its completion: the kind, and
 * the bytes a read or write must transfer (short is an error). Kept in the context's be_rsvd as
 * cmd.c's decision is (xnvme_cmd.h): for a plain read or write the record is already there.
 */
/** Records @p io in @p ctx at submit */
static inline void
xnvme_posix_io_inflight_save(struct xnvme_cmd_ctx *ctx, const struct xnvme_posix_io *io)
{
	xnvme_cmd_io_set(ctx, io->kind, io->nbytes);
}

/**
 * Sets ctx->cpl for a read or write that moved @p done of its @p want bytes and stopped without
 * an error: the cause is asked of the file system (ENOSPC, ENODATA or EIO, as posix_io.c tells),
 * so that an async interface reports the status a sync one finds by going on. Dword 1: @p done.
 */
void xnvme_posix_io_fail_short(struct xnvme_cmd_ctx *ctx, int write, uint64_t done, uint64_t want);

/**
 * Sets ctx->cpl from what the OS reported for the command recorded in @p ctx: @p res is the bytes
 * transferred or a negative errno. A short read or write is a failure, its status the cause's
 * (xnvme_posix_io_fail_short): never a partial success.
 */
static inline void
xnvme_posix_io_inflight_cpl(struct xnvme_cmd_ctx *ctx, int64_t res)
{
	int kind = xnvme_cmd_io_kind(ctx);
	uint64_t want = xnvme_cmd_io_nbytes(ctx);

	if (res < 0) {
		xnvme_posix_io_fail(ctx, (int)res);
	} else if (kind != XNVME_POSIX_IO_FLUSH && (uint64_t)res != want) {
		xnvme_posix_io_fail_short(ctx, kind == XNVME_POSIX_IO_WRITE, (uint64_t)res, want);
	} else {
		ctx->cpl.result = (uint64_t)res;
	}
}

#pragma GCC visibility pop

#endif
