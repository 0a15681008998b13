/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the Windows backend's parts (lib/be/windows). */
#ifndef __XNVME_BE_WINDOWS_H
#define __XNVME_BE_WINDOWS_H
#include "xnvme_be.h"

#pragma GCC visibility push(hidden)

extern const struct xnvme_be_dev_ops xnvme_be_windows_dev;
extern const struct xnvme_be_sync_ops xnvme_be_windows_sync_file;
extern const struct xnvme_be_admin_ops xnvme_be_windows_admin_nvme;

/** 1 when the storage stack answers NVMe's Identify Controller on @p fd's handle (nvme.c) */
int xnvme_be_windows_is_nvme(int fd);

#pragma GCC visibility pop
#endif
