/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: the Linux backend. */
#ifndef __XNVME_BE_LINUX_H
#define __XNVME_BE_LINUX_H

#include "xnvme_be.h"

extern const struct xnvme_be xnvme_be_linux;

extern const struct xnvme_be_dev_ops xnvme_be_linux_dev;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_iouring;
extern const struct xnvme_be_async_ops xnvme_be_linux_async_libaio;

#endif
