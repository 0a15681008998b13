/* SPDX-License-Identifier: BSD-3-Clause */
/* The Linux backend: which interfaces it offers, in order of preference. */
#include "xnvme_be_linux.h"
#include "xnvme_be_common.h"

static const struct xnvme_be_admin_ops *const linux_admin[] = {
    &xnvme_be_linux_admin_nvme,
    &xnvme_be_common_admin_file_as_ns,
    &xnvme_be_common_admin_block,
    NULL,
};

static const struct xnvme_be_sync_ops *const linux_sync[] = {
    &xnvme_be_linux_sync_nvme,
    &xnvme_be_common_sync_psync,
    &xnvme_be_common_sync_block,
    NULL,
};

static const struct xnvme_be_async_ops *const linux_async[] = {
    &xnvme_be_linux_async_iouring,
    &xnvme_be_linux_async_ucmd,
    &xnvme_be_linux_async_libaio,
    &xnvme_be_common_async_thrpool,
    &xnvme_be_common_async_posix,
    &xnvme_be_common_async_emu,
    &xnvme_be_common_async_nil,
    NULL,
};

static const struct xnvme_be_mem_ops *const linux_mem[] = {
    &xnvme_be_common_mem_posix,
    &xnvme_be_linux_mem_arena,
    &xnvme_be_linux_mem_hugepage,
    NULL,
};

const struct xnvme_be xnvme_be_linux = {
    .name = "linux",
    .alias = NULL,
    .dev = &xnvme_be_linux_dev,
    .admin = linux_admin,
    .sync = linux_sync,
    .async = linux_async,
    .mem = linux_mem,
};
