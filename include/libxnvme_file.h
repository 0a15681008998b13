/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Files through the same backends: open a file as a device and read/write it at byte offsets
 * (the FS pseudo command set, see libxnvme_spec_fs.h).
 */
#ifndef __LIBXNVME_FILE_H
#define __LIBXNVME_FILE_H

#include <stdint.h>
#include <sys/types.h>
#include <libxnvme_opts.h>
#include <libxnvme_cmd.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;

/** Opens @p pathname with @p opts (create, truncate, direct, ...); NULL with errno on error */
struct xnvme_dev *xnvme_file_open(const char *pathname, struct xnvme_opts *opts);

int xnvme_file_close(struct xnvme_dev *fh);

/** Flushes written data to stable storage */
int xnvme_file_sync(struct xnvme_dev *fh);

/** A synchronous context for @p fh */
struct xnvme_cmd_ctx xnvme_file_get_cmd_ctx(struct xnvme_dev *fh);

/**
 * Reads @p count bytes at @p offset. Returns 0 or a negative errno; unlike pread(2) the number of
 * bytes moved is not returned but left in ctx->cpl.result, as xNVMe 0.7.5 does. A read is whole
 * or fails: one that reaches past the end of the file fails with -ENODATA (-EIO on a system
 * without ENODATA: FreeBSD), one the OS fails with its error (-EIO, ...). After a failure
 * cpl.result is no count: cdw0 holds the errno and dword 1 the bytes moved before it
 * (docs/backends.md, "Errors on file descriptors").
 */
int xnvme_file_pread(struct xnvme_cmd_ctx *ctx, void *buf, size_t count, off_t offset);

/**
 * Writes @p count bytes at @p offset; returns 0 or a negative errno, the count in cpl.result. A
 * write the OS failed returns its error, as pwrite(2) would (-ENOSPC on a full file system), with
 * the NVMe status, cdw0 and dword 1 set as for a failed read.
 */
int xnvme_file_pwrite(struct xnvme_cmd_ctx *ctx, void *buf, size_t count, off_t offset);

#ifdef __cplusplus
}
#endif

#endif
