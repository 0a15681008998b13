/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Memory the caller allocated itself (mmap, a huge page, a shared segment), made usable for
 * command payloads of a device: where the backend's path needs it (the user-space PCIe driver:
 * DMA mapping of the range) the range is mapped; where the kernel handles user memory itself
 * (every Linux interface, files, the ramdisk) any memory is usable as is, and mapping only checks
 * the arguments. See docs/backends.md, "Memory mapping and topology".
 */
#ifndef __LIBXNVME_MEM_H
#define __LIBXNVME_MEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;

/**
 * Makes [@p vaddr, @p vaddr + @p nbytes) usable for payloads of commands to @p dev, until
 * xnvme_mem_unmap(). Direct I/O (opts.direct) still wants the alignment of the device's blocks.
 *
 * @return 0, or -EINVAL (a NULL argument, @p nbytes 0), or the backend's error.
 */
int xnvme_mem_map(const struct xnvme_dev *dev, void *vaddr, size_t nbytes);

/**
 * Undoes xnvme_mem_map() of the range starting at @p buf.
 *
 * @return 0, or -EINVAL (a NULL argument), or the backend's error.
 */
int xnvme_mem_unmap(const struct xnvme_dev *dev, void *buf);

#ifdef __cplusplus
}
#endif

#endif
