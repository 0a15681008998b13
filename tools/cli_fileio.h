/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * File I/O through the library (libxnvme_file.h) for xnvme_file and xdd: a buffer written to or
 * read from a file in --iosize pieces, synchronously or through a queue, each piece one buffer or
 * a vector of --vec-cnt pieces; and the wall-clock document xNVMe's tools print.
 */
#ifndef __XNVME_CLI_FILEIO_H
#define __XNVME_CLI_FILEIO_H

#include <sys/types.h>
#include "cli.h"

/* One transfer between a buffer and a file */
struct cli_fio {
	struct xnvme_dev *fh;
	uint8_t *buf;
	size_t nbytes;    ///< Bytes of buf to transfer
	off_t off;        ///< File offset of buf[0]
	size_t iosize;    ///< Bytes per piece
	uint32_t qdepth;  ///< 0: synchronous; else pieces in flight on a queue
	uint32_t vec_cnt; ///< 0: one buffer per command; else up to this many pieces per command
	int write;        ///< 1: buffer to file; 0: file to buffer
	size_t done;      ///< Out: bytes from the start moved by complete commands
};

/**
 * The error a command ended with: @p err when its completion is clean, else the OS error the
 * file-descriptor interfaces put in cdw0, else -ENOSPC for Capacity Exceeded and -EIO for any other
 * status; so a full file system reads "No space left on device", not "Input/output error".
 */
int cli_fio_cpl_err(const struct xnvme_cmd_ctx *ctx, int err);

/**
 * Runs @p fio; returns 0 or a negative errno (a failed command's: cli_fio_cpl_err), -EINTR when a
 * caught signal stopped it (cli_fio_catch_signals): then the commands in flight were waited for,
 * none was started after, and fio->done bytes from the start are moved, every command complete.
 */
int cli_fio_run(struct cli_fio *fio);

/**
 * SIGINT and SIGTERM stop this process's transfers between commands instead of killing it mid-way
 * (a write cut by a fatal signal may leave part of a command on the file): the transfer returns
 * -EINTR, the tool reports how far it got (cli_fio_interrupted) and dies by the same signal.
 */
void cli_fio_catch_signals(void);

/** The signal that stopped a transfer, or 0 */
int cli_fio_signal(void);

/**
 * After a transfer returned -EINTR: says on stderr how many bytes from the start @p what (e.g.
 * "written") by complete commands, then ends the process by the signal caught, as the shell
 * expects of an interrupted program (exit status 128 + the signal's number)
 */
void cli_fio_interrupted(const char *path, size_t nbytes, const char *what);

/** Opens @p path as a file with the device options: for writing (created) or reading */
struct xnvme_dev *cli_fio_open(struct cli_args *args, const char *path, int write, int truncate);

/** Prints xNVMe's "wall-clock:" document: elapsed seconds, MiB and MiB/s for @p nbytes */
void cli_fio_pr_clock(uint64_t start_ns, size_t nbytes);

/* A copy of nbytes from one file to another at the same offsets, iosize at a time */
struct cli_fio_copy {
	struct xnvme_queue *rq, *wq;
	size_t nbytes, iosize, next, done;
	uint32_t inflight;
	int err;
};

/**
 * Copies @p copy->nbytes from @p src to @p dst through two queues: each of @p qdepth slots reads
 * a piece, writes it as soon as it is read, then takes the next. Returns 0 or a negative errno;
 * -EINTR when a caught signal stopped it: the first copy->done bytes are copied, none after.
 */
int cli_fio_copy_async(struct xnvme_dev *src, struct xnvme_dev *dst, struct cli_fio_copy *copy,
		       uint32_t qdepth);

#endif
