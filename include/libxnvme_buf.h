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

/**
 * Writes the bus address of @p buf to @p phys. -ENOSYS when the device's memory interface has no
 * bus addresses (memory of the OS's allocator), -EINVAL for NULL arguments.
 */
int xnvme_buf_vtophys(const struct xnvme_dev *dev, void *buf, uint64_t *phys);

/**
 * xnvme_buf_alloc(), and the buffer's bus address in @p phys (when not NULL) where the memory
 * interface has one; otherwise @p phys is left as it was. Free with xnvme_buf_phys_free().
 */
void *xnvme_buf_phys_alloc(const struct xnvme_dev *dev, size_t nbytes, uint64_t *phys);

/** xnvme_buf_realloc() of a buffer from xnvme_buf_phys_alloc(), @p phys as there */
void *xnvme_buf_phys_realloc(const struct xnvme_dev *dev, void *buf, size_t nbytes, uint64_t *phys);

/** Frees @p buf from xnvme_buf_phys_alloc(); NULL is ignored. */
void xnvme_buf_phys_free(const struct xnvme_dev *dev, void *buf);

/** Allocates @p nbytes of host memory aligned to @p alignment (a power of two). */
void *xnvme_buf_virt_alloc(size_t alignment, size_t nbytes);

/** Frees memory from xnvme_buf_virt_alloc() and from helpers that say so; NULL is ignored. */
void xnvme_buf_virt_free(void *buf);

/**
 * Fills @p buf with @p content: "zero", "anum" (repeating alphanumerics), "rand-k" (pseudo-random
 * with a fixed seed: the same bytes every time), "rand-t" (seeded by the clock), or else the name
 * of a file whose first @p nbytes are copied (-EINVAL when it is shorter, -errno when it cannot
 * be read).
 */
int xnvme_buf_fill(void *buf, size_t nbytes, const char *content);

/** Writes zeroes to the first @p nbytes of @p buf; returns @p buf */
void *xnvme_buf_clear(void *buf, size_t nbytes);

/** Returns how many of the @p nbytes bytes of @p actual differ from @p expected (0: equal) */
size_t xnvme_buf_diff(const void *expected, const void *actual, size_t nbytes);

/** Prints each differing byte, and the counts, as YAML to stdout */
void xnvme_buf_diff_pr(const void *expected, const void *actual, size_t nbytes, int opts);

/** Writes @p buf to the file @p path, creating or truncating it */
int xnvme_buf_to_file(void *buf, size_t nbytes, const char *path);

/** Reads exactly @p nbytes from the file @p path into @p buf; -EINVAL when the file is shorter */
int xnvme_buf_from_file(void *buf, size_t nbytes, const char *path);

#ifdef __cplusplus
}
#endif

#endif
