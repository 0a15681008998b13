/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the Windows backend's parts (lib/be/windows). */
#ifndef __XNVME_BE_WINDOWS_H
#define __XNVME_BE_WINDOWS_H
#include <windows.h>
#include "xnvme_be.h"

#pragma GCC visibility push(hidden)

extern const struct xnvme_be_dev_ops xnvme_be_windows_dev;
extern const struct xnvme_be_sync_ops xnvme_be_windows_sync_file;
extern const struct xnvme_be_admin_ops xnvme_be_windows_admin_nvme;

/** 1 when the storage stack answers NVMe's Identify Controller on @p fd's handle (nvme.c) */
int xnvme_be_windows_is_nvme(int fd);

extern const struct xnvme_be_async_ops xnvme_be_windows_async_iocp;
extern const struct xnvme_be_async_ops xnvme_be_windows_async_iocp_th;
extern const struct xnvme_be_async_ops xnvme_be_windows_async_io_ring;

/**
 * A handle of its own on the file, disk or volume of @p dev (ReOpenFile: a file object apart from
 * the device's, with the access and flags the device was opened with), for a queue to bind to its
 * completion port; INVALID_HANDLE_VALUE with GetLastError() set on failure
 */
HANDLE xnvme_be_windows_reopen(const struct xnvme_dev *dev);

#pragma GCC visibility pop
#endif
