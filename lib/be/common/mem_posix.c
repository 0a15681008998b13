/* SPDX-License-Identifier: BSD-3-Clause */
/* Mem interface "posix": page-aligned host memory, good for O_DIRECT; no bus addresses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_compat.h"
#include "xnvme_dev.h"
#include "xnvme_be_common.h"

static size_t
mem_posix_align(void)
{
	long pagesize = xnvme_compat_pagesize();

	return pagesize > 0 ? (size_t)pagesize : 4096;
}

static void *
mem_posix_alloc(const struct xnvme_dev *dev, size_t nbytes)
{
	(void)dev;
	return xnvme_buf_virt_alloc(mem_posix_align(), nbytes);
}

static void *
mem_posix_realloc(const struct xnvme_dev *dev, void *buf, size_t nbytes)
{
	void *res;

	if (!buf) {
		return mem_posix_alloc(dev, nbytes);
	}
	/* realloc() does not keep the alignment: move the content to a new aligned block. */
	res = mem_posix_alloc(dev, nbytes);
	if (!res) {
		return NULL;
	}
	memcpy(res, buf, XNVME_MIN_U64(nbytes, xnvme_compat_memalign_size(buf, mem_posix_align())));
	xnvme_buf_virt_free(buf);
	return res;
}

static void
mem_posix_free(const struct xnvme_dev *dev, void *buf)
{
	(void)dev;
	xnvme_buf_virt_free(buf);
}

const struct xnvme_be_mem_ops xnvme_be_common_mem_posix = {
    .id = "posix",
    .descr = "page-aligned host memory (posix_memalign)",
    .buf_alloc = mem_posix_alloc,
    .buf_realloc = mem_posix_realloc,
    .buf_free = mem_posix_free,
    .buf_vtophys = NULL,
};
