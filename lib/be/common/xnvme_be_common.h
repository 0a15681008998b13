/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: interfaces written once for every POSIX system. They need only dev->fd, or (emu, nil,
 * thrpool_sync) only the device's sync interface.
 */
#ifndef __XNVME_BE_COMMON_H
#define __XNVME_BE_COMMON_H

#include <errno.h>
#include <string.h>
#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#endif
#include "xnvme_be.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

extern const struct xnvme_be_sync_ops xnvme_be_common_sync_psync;
extern const struct xnvme_be_sync_ops xnvme_be_common_sync_block;   ///< psync under its xNVMe name
extern const struct xnvme_be_admin_ops xnvme_be_common_admin_block; ///< emulated identify
extern const struct xnvme_be_admin_ops xnvme_be_common_admin_file_as_ns;
extern const struct xnvme_be_async_ops xnvme_be_common_async_emu;
extern const struct xnvme_be_async_ops xnvme_be_common_async_thrpool;
/** thrpool running dev->sync in its workers: for a backend without a file descriptor */
extern const struct xnvme_be_async_ops xnvme_be_common_async_thrpool_sync;
extern const struct xnvme_be_async_ops xnvme_be_common_async_posix;
extern const struct xnvme_be_async_ops xnvme_be_common_async_nil;
extern const struct xnvme_be_mem_ops xnvme_be_common_mem_posix;

/** psync's commands, for a backend's sync interface that is psync under another name */
int xnvme_be_common_psync_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
				 void *mbuf, size_t mbuf_nbytes);
int xnvme_be_common_psync_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
				  size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt,
				  size_t mvec_nbytes);

#ifndef _WIN32
/**
 * The flags a POSIX backend (linux, freebsd) opens a path with, as the options say; a char device
 * (@p chardev) gets no O_DIRECT: it has no page cache to bypass (passthrough is always direct)
 */
static inline int
xnvme_be_common_open_flags(const struct xnvme_opts *opts, int chardev)
{
	int flags = O_RDWR;

	if (opts->rdonly) {
		flags = O_RDONLY;
	} else if (opts->wronly) {
		flags = O_WRONLY;
	}
	flags |= opts->create ? O_CREAT : 0;
	flags |= opts->truncate ? O_TRUNC : 0;
	flags |= opts->direct && !chardev ? O_DIRECT : 0;
	return flags | O_CLOEXEC;
}

/**
 * Whether a POSIX backend that takes any path claims @p uri: a path, a name that exists, or a new
 * file's name without a '/' (test.1) when asked to create it; a name with ':' stays a fabrics
 * address or another backend's form. Fills @p st and *@p stat_err (0 or stat()'s -errno).
 */
static inline int
xnvme_be_common_is_path(const char *uri, int create, struct stat *st, int *stat_err)
{
	*stat_err = stat(uri, st) ? -errno : 0;
	return strchr(uri, '/') || !*stat_err || (create && !strchr(uri, ':'));
}
#endif

#pragma GCC visibility pop

#endif
