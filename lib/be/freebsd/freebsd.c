/* SPDX-License-Identifier: BSD-3-Clause */
/* The FreeBSD backend: which interfaces it offers, in order of preference. */
#include "xnvme_be_freebsd.h"
#include "xnvme_be_common.h"

static const struct xnvme_be_admin_ops *const freebsd_admin[] = {
    &xnvme_be_freebsd_admin_nvme,
    &xnvme_be_common_admin_file_as_ns,
    &xnvme_be_common_admin_block,
    NULL,
};

static const struct xnvme_be_sync_ops *const freebsd_sync[] = {
    &xnvme_be_freebsd_sync_nvme,
    &xnvme_be_common_sync_psync,
    &xnvme_be_common_sync_block,
    NULL,
};

static const struct xnvme_be_async_ops *const freebsd_async[] = {
    &xnvme_be_freebsd_async_kqueue, &xnvme_be_common_async_thrpool, &xnvme_be_common_async_posix,
    &xnvme_be_common_async_emu,     &xnvme_be_common_async_nil,     NULL,
};

static const struct xnvme_be_mem_ops *const freebsd_mem[] = {
    &xnvme_be_common_mem_posix,
    NULL,
};

const struct xnvme_be xnvme_be_freebsd = {
    .name = "freebsd",
    .alias = "fbsd", /* xNVMe 0.7.5's name for its FreeBSD backend: be=fbsd */
    .dev = &xnvme_be_freebsd_dev,
    .admin = freebsd_admin,
    .sync = freebsd_sync,
    .async = freebsd_async,
    .mem = freebsd_mem,
};
