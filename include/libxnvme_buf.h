/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Buffers for command payloads. Allocate through the device: a backend that needs DMA-able memory
 * (the user-space PCIe driver) hands it out here; the others hand out page-aligned memory that
 * satisfies O_DIRECT. Free buffers before xnvme_dev_close(): with registered buffers
 * (opts.register_buffers) the memory belongs to the device and goes away with it.
 */
#ifndef __LIBXNVME_BUF_H
#define __LIBXNVME_BUF_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;

/** Allocates @p nbytes (> 0) for payloads to and from @p dev; NULL with errno set on error. */
void *xnvme_buf_alloc(const struct xnvme_dev *dev, size_t nbytes);

/** Resizes @p buf, keeping its content; NULL with errno set on error (@p buf stays valid). */
void *xnvme_buf_realloc(const struct xnvme_dev *dev, void *buf, size_t nbytes);

/** Frees @p buf from xnvme_buf_alloc(); NULL is ignored. */
void xnvme_buf_free(const struct xnvme_dev *dev, void *buf);

/** Writes the bus address of @p buf to @p phys; -EINVAL when the memory is not DMA-mapped. */
int xnvme_buf_vtophys(const struct xnvme_dev *dev, void *buf, uint64_t *phys);

/** Allocates @p nbytes of host memory aligned to @p alignment (a power of two). */
void *xnvme_buf_virt_alloc(size_t alignment, size_t nbytes);

/** Frees memory from xnvme_buf_virt_alloc() and from helpers that say so; NULL is ignored. */
void xnvme_buf_virt_free(void *buf);

/** Fills @p buf with @p content: "zero", "anum" (repeating alphanumerics) or "rand-k" */
int xnvme_buf_fill(void *buf, size_t nbytes, const char *content);

/** Returns the index of the first differing byte of @p a and @p b plus one, or 0 when equal */
size_t xnvme_buf_diff(const void *a, const void *b, size_t nbytes);

/** Writes @p buf to the file @p path, creating or truncating it */
int xnvme_buf_to_file(const void *buf, size_t nbytes, const char *path);

/** Reads exactly @p nbytes from the file @p path into @p buf; -EINVAL when the file is shorter */
int xnvme_buf_from_file(void *buf, size_t nbytes, const char *path);

#ifdef __cplusplus
}
#endif

#endif
