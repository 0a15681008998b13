/* SPDX-License-Identifier: BSD-3-Clause */
/* The Windows backend: which interfaces it offers, in order of preference. */
#include "xnvme_be_windows.h"
#include "xnvme_be_common.h"

/* psync's code over compat_win.c's pread/pwrite: ReadFile/WriteFile at the command's offset */
const struct xnvme_be_sync_ops xnvme_be_windows_sync_file = {
    .id = "file",
    .descr = "ReadFile/WriteFile at the command's offset; other NVM commands emulated",
    .cmd_io = xnvme_be_common_psync_cmd_io,
    .cmd_iov = xnvme_be_common_psync_cmd_iov,
};

static const struct xnvme_be_admin_ops *const windows_admin[] = {
    &xnvme_be_windows_admin_nvme,
    &xnvme_be_common_admin_file_as_ns,
    &xnvme_be_common_admin_block,
    NULL,
};

static const struct xnvme_be_sync_ops *const windows_sync[] = {
    &xnvme_be_windows_sync_file,
    NULL,
};

static const struct xnvme_be_async_ops *const windows_async[] = {
    &xnvme_be_windows_async_iocp,
    &xnvme_be_windows_async_iocp_th,
    &xnvme_be_windows_async_io_ring,
    &xnvme_be_common_async_thrpool,
    &xnvme_be_common_async_emu,
    &xnvme_be_common_async_nil,
    NULL,
};

static const struct xnvme_be_mem_ops *const windows_mem[] = {
    &xnvme_be_common_mem_posix,
    NULL,
};

const struct xnvme_be xnvme_be_windows = {
    .name = "windows",
    .alias = NULL,
    .dev = &xnvme_be_windows_dev,
    .admin = windows_admin,
    .sync = windows_sync,
    .async = windows_async,
    .mem = windows_mem,
};
