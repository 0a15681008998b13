/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mem interface "hugepage": DMA-capable buffers, carved by the arena's allocator (arena.c) from
 * 2 MiB hugepages (MAP_HUGETLB), so a buffer of up to 2 MiB is physically contiguous and has one
 * bus address, which buf_vtophys reads from /proc/self/pagemap. io_uring queues register its
 * regions as fixed buffers, as the arena's.
 *
 * Asked for by name (opts.mem = "hugepage"), it never falls back to other memory: without free
 * hugepages the device does not open, and says how to reserve them. Bus addresses need
 * CAP_SYS_ADMIN (the kernel shows others a zero frame number): -ENOSYS without it.
 * xnvme_mem_map() pins caller memory (mlock) so that vtophys answers for it as well.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include "xnvme_dev.h"
#include "xnvme_be_linux.h"

#define HUGEPAGE_NBYTES (2ULL << 20)

/* Bits of a /proc/self/pagemap entry (Documentation/admin-guide/mm/pagemap.rst) */
#define PAGEMAP_PRESENT  (1ULL << 63)
#define PAGEMAP_PFN_MASK ((1ULL << 55) - 1)

static int
hugepage_init(struct xnvme_dev *dev)
{
	void *probe;
	int err = xnvme_be_linux_arena_setup(dev, HUGEPAGE_NBYTES);

	if (err) {
		return err;
	}
	/* The first region is mapped now: a pool with no free hugepage fails the open, here */
	probe = xnvme_be_linux_arena_alloc(dev, 1);
	if (!probe) {
		xnvme_be_open_err_add("hugepage",
				      "no free 2 MiB hugepage: reserve some as root "
				      "(echo N > /proc/sys/vm/nr_hugepages)",
				      -ENOMEM);
		xnvme_be_linux_arena_term(dev);
		return -ENOMEM;
	}
	xnvme_be_linux_arena_free(dev, probe);
	return 0;
}

static int
hugepage_pagemap_phys(const void *vaddr, uint64_t *phys)
{
	long pagesize = sysconf(_SC_PAGESIZE);
	size_t psize = pagesize > 0 ? (size_t)pagesize : 4096;
	uintptr_t va = (uintptr_t)vaddr;
	uint64_t ent = 0;
	ssize_t n;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* No pagemap, or not ours to read: no bus address to give either way */
		return errno == ENOENT || errno == EACCES || errno == EPERM ? -ENOSYS : -errno;
	}
	n = pread(fd, &ent, sizeof(ent), (off_t)(va / psize * sizeof(ent)));
	close(fd);
	if (n != (ssize_t)sizeof(ent)) {
		return n < 0 ? -errno : -EIO;
	}
	if (!(ent & PAGEMAP_PRESENT)) {
		return -ENXIO; /* not resident: our regions are populated, mapped memory locked */
	}
	if (!(ent & PAGEMAP_PFN_MASK)) {
		return -ENOSYS; /* hidden from a process without CAP_SYS_ADMIN */
	}
	*phys = (ent & PAGEMAP_PFN_MASK) * psize + va % psize;
	return 0;
}

static int
hugepage_vtophys(const struct xnvme_dev *dev, void *buf, uint64_t *phys)
{
	if (!xnvme_be_linux_arena_owns(dev, buf)) {
		return -EINVAL; /* neither ours nor mapped: its pages may move or go */
	}
	return hugepage_pagemap_phys(buf, phys);
}

const struct xnvme_be_mem_ops xnvme_be_linux_mem_hugepage = {
    .id = "hugepage",
    .descr = "DMA-capable buffers from 2 MiB hugepages (MAP_HUGETLB), bus addresses for root",
    .init = hugepage_init,
    .term = xnvme_be_linux_arena_term,
    .buf_alloc = xnvme_be_linux_arena_alloc,
    .buf_realloc = xnvme_be_linux_arena_realloc,
    .buf_free = xnvme_be_linux_arena_free,
    .buf_vtophys = hugepage_vtophys,
    .mem_map = xnvme_be_linux_arena_map,
    .mem_unmap = xnvme_be_linux_arena_unmap,
};
