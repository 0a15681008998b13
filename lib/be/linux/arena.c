/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mem interface "arena": buffers carved out of a few large per-device regions that io_uring
 * queues register as fixed buffers (opts.register_buffers picks it on the Linux backend).
 *
 * Why an arena and not one registration per buffer: a registered buffer stays pinned in every
 * ring that registered it, so freeing (and the allocator reusing the address for other pages)
 * would leave a ring reading into memory that is no longer the buffer. Regions are only ever
 * added, never unmapped before xnvme_dev_close, so an index a queue registered stays true; a
 * freed buffer goes back to its region's page map for the next allocation.
 *
 * A region is split in pages; an allocation takes a run of whole pages (first fit). Regions grow
 * geometrically from ARENA_FIRST_NBYTES, or are as large as a bigger request, up to
 * XNVME_BE_LINUX_ARENA_MAX regions. Allocation takes a mutex; the lookup on the I/O path does
 * not (regions are published with a release store of their count and never change after).
 *
 * Why slots: rings register a region as fixed buffers of XNVME_BE_LINUX_ARENA_SLOT_NBYTES each,
 * not as one. Linux 6.1 refuses (-EINVAL) an NVMe passthrough command whose fixed buffer is
 * followed, up to the end of its registered buffer, by as many pages as the queue has segments
 * (128 on QEMU's controller): a 4 KiB buffer at the start of a 2 MiB registration fails there,
 * the same buffer in a 128 KiB registration works. So a buffer of up to a slot is placed within
 * one slot, and is fixed; a larger one takes the plain path. The table has
 * XNVME_BE_LINUX_ARENA_SLOTS entries; regions past it are plain memory.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xnvme_config.h>
#include "xnvme_dev.h"
#include "xnvme_be_linux.h"
#if XNVME_HAVE_LIBURING
#include <liburing.h>
#endif

#define ARENA_FIRST_NBYTES    (2ULL << 20)
#define ARENA_GROW_MAX_NBYTES (256ULL << 20)

struct arena_region {
	uint8_t *base;
	size_t nbytes; ///< A whole number of slots
	size_t npages;
	unsigned first_slot; ///< Fixed-buffer index of the region's first slot
	unsigned nslots;     ///< Slots in the table (0: the table was full: plain memory)
	size_t nfree;        ///< Pages not handed out
	uint32_t *run;       ///< Per page: pages in the allocation that starts there, 0 elsewhere
	uint8_t *used;       ///< Per page: 1 while handed out
};

/* Caller memory made usable by xnvme_mem_map() (mem "hugepage"): pinned, and vtophys knows it */
struct arena_mapped {
	uint8_t *base;
	size_t nbytes;
};

struct arena {
	pthread_mutex_t lock;
	size_t pagesize;
	size_t slot_pages;   ///< Pages a slot holds
	size_t huge_nbytes;  ///< Regions of hugepages of this size (mem "hugepage"), or 0
	size_t contig_pages; ///< A run of up to this many pages stays in one hugepage (or slot)
	unsigned nmapped;    ///< Entries in mapped[], under lock
	struct arena_mapped mapped[XNVME_BE_LINUX_ARENA_MAPPED_MAX];
	unsigned slot_shift;  ///< log2 of a slot's bytes (pages and slots are powers of two)
	unsigned nslots;      ///< Slots given to regions so far
	atomic_uint nregions; ///< Published with release after the region is filled in
	struct arena_region regions[XNVME_BE_LINUX_ARENA_MAX];
};

static struct arena *
arena_of(const struct xnvme_dev *dev)
{
	return dev->mem_state;
}

int
xnvme_be_linux_arena_setup(struct xnvme_dev *dev, size_t huge_nbytes)
{
	struct arena *arena = calloc(1, sizeof(*arena));
	long pagesize = sysconf(_SC_PAGESIZE);

	if (!arena) {
		return -ENOMEM;
	}
	pthread_mutex_init(&arena->lock, NULL);
	arena->pagesize = pagesize > 0 ? (size_t)pagesize : 4096;
	arena->slot_pages = XNVME_MAX(XNVME_BE_LINUX_ARENA_SLOT_NBYTES / arena->pagesize, 1);
	arena->slot_shift = (unsigned)__builtin_ctzll(arena->slot_pages * arena->pagesize);
	arena->huge_nbytes = huge_nbytes;
	arena->contig_pages = huge_nbytes ? huge_nbytes / arena->pagesize : arena->slot_pages;
	atomic_init(&arena->nregions, 0);
	dev->mem_state = arena;
	return 0;
}

static int
arena_init(struct xnvme_dev *dev)
{
	return xnvme_be_linux_arena_setup(dev, 0);
}

void
xnvme_be_linux_arena_term(struct xnvme_dev *dev)
{
	struct arena *arena = arena_of(dev);
	unsigned n;

	if (!arena) {
		return;
	}
	n = atomic_load(&arena->nregions);
	for (unsigned i = 0; i < n; ++i) {
		munmap(arena->regions[i].base, arena->regions[i].nbytes);
		free(arena->regions[i].run);
		free(arena->regions[i].used);
	}
	for (unsigned i = 0; i < arena->nmapped; ++i) {
		munlock(arena->mapped[i].base, arena->mapped[i].nbytes);
	}
	pthread_mutex_destroy(&arena->lock);
	free(arena);
	dev->mem_state = NULL;
}

/*
 * First fit of npages in one region, within one slot when they fit in one (a fixed buffer), else
 * within one hugepage when they fit in one (physically contiguous: one bus address); the first
 * page or SIZE_MAX
 */
static size_t
arena_region_fit(const struct arena_region *region, size_t npages, size_t slot_pages,
		 size_t contig_pages)
{
	size_t unit =
	    npages <= slot_pages ? slot_pages : (npages <= contig_pages ? contig_pages : 0);
	size_t start = 0, len = 0;

	if (region->nfree < npages) {
		return SIZE_MAX;
	}
	for (size_t p = 0; p < region->npages; ++p) {
		if (region->used[p]) {
			len = 0;
			continue;
		}
		if (unit && !(p % unit)) {
			len = 0; /* a run that fits in a unit does not cross into the next */
		}
		if (!len) {
			start = p;
		}
		if (++len == npages) {
			return start;
		}
	}
	return SIZE_MAX;
}

/*
 * Anonymous memory, or hugepages faulted in now (MAP_POPULATE): a hugepage the pool cannot give
 * fails here, at allocation, not as SIGBUS at first touch. NULL when the system refuses.
 */
static void *
arena_map(const struct arena *arena, size_t nbytes)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	void *mem;

	if (arena->huge_nbytes) {
		flags |= MAP_HUGETLB | MAP_POPULATE |
			 (__builtin_ctzll(arena->huge_nbytes) << MAP_HUGE_SHIFT);
	}
	mem = mmap(NULL, nbytes, PROT_READ | PROT_WRITE, flags, -1, 0);
	return mem == MAP_FAILED ? NULL : mem;
}

/* Maps a new region of at least npages; returns its index or a negative errno */
static int
arena_grow(struct arena *arena, size_t npages)
{
	unsigned n = atomic_load_explicit(&arena->nregions, memory_order_relaxed);
	struct arena_region *region = &arena->regions[n];
	size_t nbytes = ARENA_FIRST_NBYTES;

	if (n == XNVME_BE_LINUX_ARENA_MAX) {
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n && nbytes < ARENA_GROW_MAX_NBYTES; ++i) {
		nbytes *= 2;
	}
	if (npages > SIZE_MAX / arena->pagesize) {
		return -ENOMEM;
	}
	if (nbytes < npages * arena->pagesize) {
		size_t grain = XNVME_MAX(arena->slot_pages * arena->pagesize, arena->huge_nbytes);

		nbytes = (npages * arena->pagesize + grain - 1) / grain * grain;
	}
	region->base = arena_map(arena, nbytes);
	if (!region->base) {
		return -ENOMEM;
	}
	region->nbytes = nbytes;
	region->npages = nbytes / arena->pagesize;
	region->nfree = region->npages;
	region->run = calloc(region->npages, sizeof(*region->run));
	region->used = calloc(region->npages, sizeof(*region->used));
	if (!region->run || !region->used) {
		munmap(region->base, nbytes);
		free(region->run);
		free(region->used);
		memset(region, 0, sizeof(*region));
		return -ENOMEM;
	}
	region->first_slot = arena->nslots;
	region->nslots = (unsigned)(region->npages / arena->slot_pages);
	if (region->nslots > XNVME_BE_LINUX_ARENA_SLOTS - arena->nslots) {
		region->nslots = 0; /* the table is full: this region is plain memory */
	}
	arena->nslots += region->nslots;
	atomic_store_explicit(&arena->nregions, n + 1, memory_order_release);
	return (int)n;
}

void *
xnvme_be_linux_arena_alloc(const struct xnvme_dev *dev, size_t nbytes)
{
	struct arena *arena = arena_of(dev);
	size_t npages = nbytes / arena->pagesize + (nbytes % arena->pagesize ? 1 : 0);
	size_t first = SIZE_MAX;
	unsigned n, r;
	void *buf = NULL;

	if (npages > UINT32_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_lock(&arena->lock);
	n = atomic_load_explicit(&arena->nregions, memory_order_relaxed);
	for (r = 0; r < n; ++r) {
		first = arena_region_fit(&arena->regions[r], npages, arena->slot_pages,
					 arena->contig_pages);
		if (first != SIZE_MAX) {
			break;
		}
	}
	if (first == SIZE_MAX) {
		int idx = arena_grow(arena, npages);

		if (idx < 0) {
			pthread_mutex_unlock(&arena->lock);
			errno = -idx;
			return NULL;
		}
		r = (unsigned)idx;
		first = 0;
	}
	{
		struct arena_region *region = &arena->regions[r];

		memset(region->used + first, 1, npages);
		region->run[first] = (uint32_t)npages;
		region->nfree -= npages;
		buf = region->base + first * arena->pagesize;
	}
	pthread_mutex_unlock(&arena->lock);
	return buf;
}

/* The index of the region holding buf, or -1; *off: buf's offset in it */
static int
arena_region_of(const struct arena *arena, const void *buf, size_t *off)
{
	unsigned n = atomic_load_explicit(&arena->nregions, memory_order_acquire);
	const uint8_t *p = buf;

	for (unsigned i = 0; i < n; ++i) {
		const struct arena_region *region = &arena->regions[i];

		if (p >= region->base && p < region->base + region->nbytes) {
			*off = (size_t)(p - region->base);
			return (int)i;
		}
	}
	return -1;
}

/* The region whose allocation starts exactly at buf, or NULL; *page: that first page. Anything
 * else (memory from elsewhere, a pointer inside an allocation) is not an allocation of ours. */
static struct arena_region *
arena_allocation_at(struct arena *arena, const void *buf, size_t *page)
{
	size_t off;
	int r = arena_region_of(arena, buf, &off);

	if (r < 0 || off % arena->pagesize || !arena->regions[r].run[off / arena->pagesize]) {
		return NULL;
	}
	*page = off / arena->pagesize;
	return &arena->regions[r];
}

void
xnvme_be_linux_arena_free(const struct xnvme_dev *dev, void *buf)
{
	struct arena *arena = arena_of(dev);
	struct arena_region *region;
	size_t page;

	pthread_mutex_lock(&arena->lock);
	region = arena_allocation_at(arena, buf, &page);
	/* A pointer that is not the start of an allocation is not ours to free: left alone */
	if (region) {
		size_t npages = region->run[page];

		memset(region->used + page, 0, npages);
		region->run[page] = 0;
		region->nfree += npages;
	}
	pthread_mutex_unlock(&arena->lock);
}

void *
xnvme_be_linux_arena_realloc(const struct xnvme_dev *dev, void *buf, size_t nbytes)
{
	struct arena *arena = arena_of(dev);
	struct arena_region *region;
	size_t page, old_nbytes = 0;
	void *res;

	if (!buf) {
		return xnvme_be_linux_arena_alloc(dev, nbytes);
	}
	pthread_mutex_lock(&arena->lock);
	region = arena_allocation_at(arena, buf, &page);
	if (region) {
		old_nbytes = (size_t)region->run[page] * arena->pagesize;
	}
	pthread_mutex_unlock(&arena->lock);
	if (!old_nbytes) {
		errno = EINVAL;
		return NULL;
	}
	res = xnvme_be_linux_arena_alloc(dev, nbytes);
	if (!res) {
		return NULL;
	}
	memcpy(res, buf, XNVME_MIN_U64(nbytes, old_nbytes));
	xnvme_be_linux_arena_free(dev, buf);
	return res;
}

/* The entry of mapped[] holding @p p, or -1; under lock */
static int
arena_mapped_of(const struct arena *arena, const void *p, int exact)
{
	const uint8_t *b = p;

	for (unsigned i = 0; i < arena->nmapped; ++i) {
		const struct arena_mapped *m = &arena->mapped[i];

		if (exact ? b == m->base : (b >= m->base && b < m->base + m->nbytes)) {
			return (int)i;
		}
	}
	return -1;
}

int
xnvme_be_linux_arena_owns(const struct xnvme_dev *dev, const void *buf)
{
	struct arena *arena = arena_of(dev);
	size_t off;
	int owns;

	pthread_mutex_lock(&arena->lock);
	owns = arena_region_of(arena, buf, &off) >= 0 || arena_mapped_of(arena, buf, 0) >= 0;
	pthread_mutex_unlock(&arena->lock);
	return owns;
}

/*
 * Faults the pages in for writing, content unchanged, where the kernel can (Linux 5.14): so each
 * has its own frame even where mlock did not populate (sanitizers make mlock a no-op); read-only
 * memory and older kernels refuse, and vtophys then says -ENXIO for pages not yet touched
 */
static void
arena_populate(void *vaddr, size_t nbytes)
{
#ifdef MADV_POPULATE_WRITE
	size_t psize = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)vaddr & ~(uintptr_t)(psize - 1);

	madvise((void *)start, (uintptr_t)vaddr + nbytes - start, MADV_POPULATE_WRITE);
#else
	(void)vaddr;
	(void)nbytes;
#endif
}

/*
 * mlock keeps the pages resident, so the bus addresses vtophys gives stay true while the kernel
 * does not migrate them (a vfio backend's IOMMU mapping is what pins memory for a device)
 */
int
xnvme_be_linux_arena_map(const struct xnvme_dev *dev, void *vaddr, size_t nbytes)
{
	struct arena *arena = arena_of(dev);
	int err = 0;

	pthread_mutex_lock(&arena->lock);
	if (arena_mapped_of(arena, vaddr, 1) >= 0) {
		err = -EEXIST;
	} else if (arena->nmapped == XNVME_BE_LINUX_ARENA_MAPPED_MAX) {
		err = -ENOMEM;
	} else if (mlock(vaddr, nbytes)) {
		err = -errno; /* RLIMIT_MEMLOCK without CAP_IPC_LOCK: -ENOMEM or -EPERM */
	} else {
		arena_populate(vaddr, nbytes);
		arena->mapped[arena->nmapped].base = vaddr;
		arena->mapped[arena->nmapped].nbytes = nbytes;
		arena->nmapped++;
	}
	pthread_mutex_unlock(&arena->lock);
	return err;
}

int
xnvme_be_linux_arena_unmap(const struct xnvme_dev *dev, void *vaddr)
{
	struct arena *arena = arena_of(dev);
	int idx, err = 0;

	pthread_mutex_lock(&arena->lock);
	idx = arena_mapped_of(arena, vaddr, 1);
	if (idx < 0) {
		err = -EINVAL; /* not the start of memory mapped here */
	} else {
		munlock(arena->mapped[idx].base, arena->mapped[idx].nbytes);
		arena->mapped[idx] = arena->mapped[--arena->nmapped];
	}
	pthread_mutex_unlock(&arena->lock);
	return err;
}

#if XNVME_HAVE_LIBURING
/* The fixed-buffer index of [buf, buf + nbytes) and its region, or -1: not the arena's, not in
 * the table, or crossing into the next slot */
static int
arena_slot_of(const struct arena *arena, const void *buf, size_t nbytes, unsigned *region)
{
	size_t off;
	int r = arena_region_of(arena, buf, &off);
	int idx;

	if (r < 0 || !arena->regions[r].nslots) {
		return -1;
	}
	idx =
	    xnvme_be_linux_arena_slot(off, nbytes, arena->slot_shift, arena->regions[r].first_slot);
	*region = (unsigned)r;
	return idx;
}

/* Registers the slots of regions from *nregistered on into the ring's table */
static int
arena_ring_update(const struct arena *arena, struct io_uring *ring, unsigned *nregistered)
{
	unsigned n = atomic_load_explicit(&arena->nregions, memory_order_acquire);
	size_t slot_nbytes = arena->slot_pages * arena->pagesize;

	for (; *nregistered < n; ++*nregistered) {
		const struct arena_region *r = &arena->regions[*nregistered];

		for (unsigned done = 0; done < r->nslots;) {
			struct iovec iov[64];
			unsigned cnt =
			    XNVME_MIN_U64(r->nslots - done, (unsigned)XNVME_ARRAY_SIZE(iov));
			int err;

			for (unsigned i = 0; i < cnt; ++i) {
				iov[i].iov_base = r->base + (size_t)(done + i) * slot_nbytes;
				iov[i].iov_len = slot_nbytes;
			}
			/* Pins the pages: RLIMIT_MEMLOCK applies without CAP_IPC_LOCK (-ENOMEM) */
			err = io_uring_register_buffers_update_tag(ring, r->first_slot + done, iov,
								   NULL, cnt);
			if (err < 0) {
				return err;
			}
			done += cnt;
		}
	}
	return 0;
}

int
xnvme_be_linux_arena_ring_init(const struct xnvme_dev *dev, struct io_uring *ring,
			       struct xnvme_be_linux_arena_ring *ar)
{
	int err;

	memset(ar, 0, sizeof(*ar));
	if (dev->mem != &xnvme_be_linux_mem_arena && dev->mem != &xnvme_be_linux_mem_hugepage) {
		return 0;
	}
	ar->slot_shift = arena_of(dev)->slot_shift;
	/* A sparse table: slots of regions the arena adds later go in without re-registering */
	err = io_uring_register_buffers_sparse(ring, XNVME_BE_LINUX_ARENA_SLOTS);
	if (!err) {
		err = arena_ring_update(arena_of(dev), ring, &ar->nregistered);
	}
	return err ? err : 1;
}

int
xnvme_be_linux_arena_ring_lookup(const struct xnvme_dev *dev, struct io_uring *ring,
				 struct xnvme_be_linux_arena_ring *ar, const void *buf,
				 size_t nbytes, int *index)
{
	const struct arena *arena = arena_of(dev);
	const struct arena_region *r;
	unsigned region;

	*index = arena_slot_of(arena, buf, nbytes, &region);
	if (*index < 0) {
		return 0;
	}
	if (region >= ar->nregistered) {
		int err =
		    arena_ring_update(arena, ring, &ar->nregistered); /* the arena grew since */

		if (err) {
			return err;
		}
	}
	r = &arena->regions[region];
	ar->hint_base = r->base;
	ar->hint_first_slot = r->first_slot;
	ar->hint_nbytes = (size_t)r->nslots << arena->slot_shift; /* the part in the table */
	return 0;
}
#endif

const struct xnvme_be_mem_ops xnvme_be_linux_mem_arena = {
    .id = "arena",
    .descr =
	"page-aligned buffers from per-device regions io_uring queues register (fixed buffers)",
    .init = arena_init,
    .term = xnvme_be_linux_arena_term,
    .buf_alloc = xnvme_be_linux_arena_alloc,
    .buf_realloc = xnvme_be_linux_arena_realloc,
    .buf_free = xnvme_be_linux_arena_free,
    .buf_vtophys = NULL,
};
