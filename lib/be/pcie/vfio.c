// SPDX-License-Identifier: BSD-3-Clause
/*
 * The vfio-pci face of the user-space driver (pcie_hw.h, vfio.h): a type-1 container holding
 * the function's IOMMU group, BAR0 mmap'd, DMA memory mapped into the container.
 *
 * Decisions:
 * - Registers are volatile 32-bit accesses (a 64-bit one as two halves, low first: NVMe 2.0
 *   allows it, and some hosts split 64-bit MMIO anyway). A BAR0 that cannot be mmap'd whole
 *   (MSI-X table inside, no CAP_MSIX_MAPPABLE) is mapped from its sparse area at offset 0; what
 *   lies outside is reached with pread/pwrite on the device.
 * - DMA memory of 2 MiB and more is 2 MiB hugepages when the system has them (mmap'd,
 *   MADV_DONTFORK so a fork's copy-on-write never moves a page the device writes); the rest, and
 *   all of it without hugepages, whole 4 KiB pages of the heap (posix_memalign): buffers outlive
 *   the device like the posix interface's, and programs free those left at close with
 *   xnvme_buf_virt_free() (free()). A hugepage buffer left at close stays mapped in the process.
 *   Pinned heap pages survive a fork (Linux 5.11+ copies pinned pages for the child at fork).
 * - IOVAs come from the largest window VFIO_IOMMU_GET_INFO reports (the IOMMU's reserved MSI
 *   range is outside it), first fit; translation looks the address up in the mapped ranges.
 * - Closing the container and group fds unmaps and unpins everything; close() still unmaps
 *   range by range first, so the locked-memory count falls before the fds go.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "xnvme_be.h"
#include "vfio.h"

#define VFIO_PAGE 4096ull
#define VFIO_HUGE (2ull << 20)

struct vfio_face {
	struct pcie_hw hw; ///< First: the engine's handle is the face
	char bdf[VFIO_BDF_LEN];
	int container, group, device;
	volatile uint8_t *bar; ///< BAR0's mmap'd part, bar_len bytes from offset 0
	size_t bar_len, bar_maplen;
	uint64_t bar_off, cfg_off; ///< Of BAR0 and the config space within the device fd
	uint32_t dstrd;            ///< Doorbell stride: 4 << CAP.DSTRD bytes
	pthread_mutex_t lock;      ///< The maps and the IOVA space
	struct vfio_maps maps;
	struct vfio_iova_space iovas;
	int warned_memlock;
};

static int
vfio_reject(const char *what, int err)
{
	xnvme_be_open_err_add("pcie", what, err);
	return err;
}

static uint32_t
vfio_reg_read32(struct pcie_hw *hw, uint32_t off)
{
	struct vfio_face *f = (struct vfio_face *)hw;
	uint32_t val = UINT32_MAX;

	if (off + 4 <= f->bar_len) {
		return *(volatile uint32_t *)(f->bar + off);
	}
	if (pread(f->device, &val, 4, (off_t)(f->bar_off + off)) != 4) {
		return UINT32_MAX; /* what a read of a vanished device gives */
	}
	return val;
}

static void
vfio_reg_write32(struct pcie_hw *hw, uint32_t off, uint32_t val)
{
	struct vfio_face *f = (struct vfio_face *)hw;

	if (off + 4 <= f->bar_len) {
		*(volatile uint32_t *)(f->bar + off) = val;
		return;
	}
	if (pwrite(f->device, &val, 4, (off_t)(f->bar_off + off)) != 4) {
		return; /* nothing to tell: the next register read shows the device is gone */
	}
}

static uint64_t
vfio_reg_read64(struct pcie_hw *hw, uint32_t off)
{
	uint64_t lo = vfio_reg_read32(hw, off);

	return lo | (uint64_t)vfio_reg_read32(hw, off + 4) << 32;
}

static void
vfio_reg_write64(struct pcie_hw *hw, uint32_t off, uint64_t val)
{
	vfio_reg_write32(hw, off, (uint32_t)val);
	vfio_reg_write32(hw, off + 4, (uint32_t)(val >> 32));
}

static void
vfio_doorbell(struct pcie_hw *hw, uint16_t qid, int cq, uint32_t val)
{
	struct vfio_face *f = (struct vfio_face *)hw;

	/* The entries, lists and data the driver wrote reach memory before the device hears */
	atomic_thread_fence(memory_order_release);
	vfio_reg_write32(hw, PCIE_REG_SQ0TDBL + (2u * qid + (cq ? 1u : 0u)) * f->dstrd, val);
}

/* Says, once per face, that pinning failed and what to raise */
static void
vfio_memlock_hint(struct vfio_face *f, uint64_t nbytes)
{
	struct rlimit rl;
	char msg[384];

	if (f->warned_memlock || getrlimit(RLIMIT_MEMLOCK, &rl)) {
		return;
	}
	f->warned_memlock = 1;
	snprintf(msg, sizeof(msg),
		 "%s: the IOMMU could not pin %llu bytes: RLIMIT_MEMLOCK is %llu KiB; raise it "
		 "(ulimit -l, or memlock in /etc/security/limits.conf) above what the program's "
		 "buffers and queues need, or run with CAP_IPC_LOCK",
		 f->bdf, (unsigned long long)nbytes,
		 rl.rlim_cur == RLIM_INFINITY ? ~0ULL : (unsigned long long)(rl.rlim_cur / 1024));
	/* At open, the reason xnvme_dev_open() failed; later, the program's stderr */
	xnvme_be_open_err_add("pcie", msg, -ENOMEM);
	if (f->hw.up) {
		fprintf(stderr, "xnvme pcie %s\n", msg);
	}
}

/* Maps [va, va + len) at a new IOVA and records it; the lock held. 0 or -errno */
static int
vfio_map_locked(struct vfio_face *f, uintptr_t va, uint64_t len, uint64_t align, int kind,
		size_t mlen)
{
	struct vfio_iommu_type1_dma_map map = {.argsz = sizeof(map)};
	struct vfio_map m = {.va = va, .len = len, .kind = kind, .mlen = mlen};
	int err;

	err = vfio_iova_alloc(&f->iovas, len, align, &m.iova);
	if (err) {
		return err;
	}
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = va;
	map.iova = m.iova;
	map.size = len;
	if (ioctl(f->container, VFIO_IOMMU_MAP_DMA, &map)) {
		err = -errno;
		vfio_iova_free(&f->iovas, m.iova);
		if (err == -ENOMEM) {
			vfio_memlock_hint(f, len);
		}
		return err;
	}
	err = vfio_maps_add(&f->maps, &m);
	if (err) {
		struct vfio_iommu_type1_dma_unmap unmap = {.argsz = sizeof(unmap)};

		unmap.iova = m.iova;
		unmap.size = len;
		ioctl(f->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
		vfio_iova_free(&f->iovas, m.iova);
	}
	return err;
}

/* Gives back the face's memory: hugepages (@p mlen bytes mmap'd) or the heap's (@p mlen 0) */
static void
vfio_release(void *p, size_t mlen)
{
	if (mlen) {
		munmap(p, mlen);
	} else {
		free(p);
	}
}

/* Unmaps and forgets range @p idx; the lock held. Its memory is the caller's to release */
static void
vfio_unmap_locked(struct vfio_face *f, size_t idx, struct vfio_map *out)
{
	struct vfio_iommu_type1_dma_unmap unmap = {.argsz = sizeof(unmap)};

	vfio_maps_del(&f->maps, idx, out);
	unmap.iova = out->iova;
	unmap.size = out->len;
	ioctl(f->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
	vfio_iova_free(&f->iovas, out->iova);
}

/* 2 MiB hugepages of @p len bytes (a multiple of 2 MiB); NULL when the system has none */
static void *
vfio_huge(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_HUGETLB, -1, 0);

	if (p == MAP_FAILED) {
		return NULL;
	}
	madvise(p, len, MADV_DONTFORK);
	return p;
}

static void *
vfio_dma_alloc(struct pcie_hw *hw, size_t nbytes, size_t align, uint64_t *iova)
{
	struct vfio_face *f = (struct vfio_face *)hw;
	size_t len, mlen = 0;
	void *p = NULL;
	int err;
	long idx;

	if (!nbytes || align < VFIO_PAGE || (align & (align - 1))) {
		return NULL;
	}
	len = (nbytes + VFIO_PAGE - 1) & ~(size_t)(VFIO_PAGE - 1);
	if (nbytes >= VFIO_HUGE && align <= VFIO_HUGE) {
		mlen = (nbytes + VFIO_HUGE - 1) & ~(size_t)(VFIO_HUGE - 1);
		p = vfio_huge(mlen);
		len = p ? mlen : len;
		mlen = p ? mlen : 0;
	}
	if (!p) {
		/* Whole pages of the heap: only this buffer's bytes are in them, and free() works
		 */
		if (posix_memalign(&p, align, len)) {
			return NULL;
		}
		memset(p, 0, len);
	}
	pthread_mutex_lock(&f->lock);
	/* A hugepage at a 2 MiB IOVA lets the IOMMU map it with one large page entry */
	err = vfio_map_locked(f, (uintptr_t)p, len,
			      mlen ? VFIO_HUGE : (align > VFIO_PAGE ? align : VFIO_PAGE),
			      VFIO_MAP_ALLOC, mlen);
	idx = err ? -1 : vfio_maps_find(&f->maps, (uintptr_t)p);
	if (idx >= 0) {
		*iova = f->maps.v[idx].iova;
	}
	pthread_mutex_unlock(&f->lock);
	if (err) {
		vfio_release(p, mlen);
		errno = -err;
		return NULL;
	}
	return p;
}

static void
vfio_dma_free(struct pcie_hw *hw, void *vaddr, size_t nbytes)
{
	struct vfio_face *f = (struct vfio_face *)hw;
	struct vfio_map m;
	long idx;

	(void)nbytes;
	pthread_mutex_lock(&f->lock);
	idx = vfio_maps_find(&f->maps, (uintptr_t)vaddr);
	if (idx < 0 || f->maps.v[idx].va != (uintptr_t)vaddr ||
	    f->maps.v[idx].kind != VFIO_MAP_ALLOC) {
		pthread_mutex_unlock(&f->lock);
		return;
	}
	vfio_unmap_locked(f, (size_t)idx, &m);
	pthread_mutex_unlock(&f->lock);
	vfio_release((void *)m.va, m.mlen);
}

/* Caller memory: the whole pages holding it, mapped as one range keyed by @p vaddr's page */
static int
vfio_dma_map(struct pcie_hw *hw, void *vaddr, size_t nbytes)
{
	struct vfio_face *f = (struct vfio_face *)hw;
	uintptr_t start = (uintptr_t)vaddr & ~(uintptr_t)(VFIO_PAGE - 1);
	uintptr_t end = ((uintptr_t)vaddr + nbytes + VFIO_PAGE - 1) & ~(uintptr_t)(VFIO_PAGE - 1);
	int err;

	if (!vaddr || !nbytes) {
		return -EINVAL;
	}
	pthread_mutex_lock(&f->lock);
	err = vfio_map_locked(f, start, end - start, VFIO_PAGE, VFIO_MAP_USER, 0);
	pthread_mutex_unlock(&f->lock);
	return err;
}

static int
vfio_dma_unmap(struct pcie_hw *hw, void *vaddr)
{
	struct vfio_face *f = (struct vfio_face *)hw;
	struct vfio_map m;
	long idx;

	pthread_mutex_lock(&f->lock);
	idx = vfio_maps_find(&f->maps, (uintptr_t)vaddr);
	if (idx < 0 || f->maps.v[idx].kind != VFIO_MAP_USER) {
		pthread_mutex_unlock(&f->lock);
		return -EINVAL;
	}
	vfio_unmap_locked(f, (size_t)idx, &m);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static int
vfio_dma_translate(struct pcie_hw *hw, const void *vaddr, uint64_t *iova)
{
	struct vfio_face *f = (struct vfio_face *)hw;
	int err;

	pthread_mutex_lock(&f->lock);
	err = vfio_maps_translate(&f->maps, (uintptr_t)vaddr, iova);
	pthread_mutex_unlock(&f->lock);
	return err;
}

/*
 * Every mapping goes, so nothing stays pinned and the device reaches nothing. What is left of
 * the face's memory then is the program's buffers (the driver freed its queues and lists
 * before): they stay the process's memory, as pcie.c's buffers outlive the device.
 */
static void
vfio_teardown(struct vfio_face *f)
{
	pthread_mutex_lock(&f->lock);
	while (f->maps.n) {
		struct vfio_map m;

		vfio_unmap_locked(f, f->maps.n - 1, &m);
	}
	pthread_mutex_unlock(&f->lock);
	vfio_maps_fini(&f->maps);
	vfio_iova_fini(&f->iovas);
	if (f->bar) {
		munmap((void *)f->bar, f->bar_maplen);
	}
	if (f->device >= 0) {
		close(f->device);
	}
	if (f->group >= 0) {
		close(f->group);
	}
	if (f->container >= 0) {
		close(f->container);
	}
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static void
vfio_close(struct pcie_hw *hw)
{
	vfio_teardown((struct vfio_face *)hw);
}

static const struct pcie_hw_ops vfio_ops = {
    .name = "vfio",
    .reg_read32 = vfio_reg_read32,
    .reg_read64 = vfio_reg_read64,
    .reg_write32 = vfio_reg_write32,
    .reg_write64 = vfio_reg_write64,
    .doorbell = vfio_doorbell,
    .dma_alloc = vfio_dma_alloc,
    .dma_free = vfio_dma_free,
    .dma_map = vfio_dma_map,
    .dma_unmap = vfio_dma_unmap,
    .dma_translate = vfio_dma_translate,
    .close = vfio_close,
};

/* The largest IOVA window of the container's IOMMU; [4 GiB, 512 GiB) when it says none */
static void
vfio_iova_window(struct vfio_face *f)
{
	struct vfio_iommu_type1_info probe = {.argsz = sizeof(probe)}, *info;
	struct vfio_info_cap_header *hdr;

	f->iovas.base = 1ull << 32;
	f->iovas.limit = 1ull << 39;
	if (ioctl(f->container, VFIO_IOMMU_GET_INFO, &probe) || probe.argsz <= sizeof(probe)) {
		return;
	}
	info = calloc(1, probe.argsz);
	if (!info) {
		return;
	}
	info->argsz = probe.argsz;
	if (ioctl(f->container, VFIO_IOMMU_GET_INFO, info) ||
	    !(info->flags & VFIO_IOMMU_INFO_CAPS) || !info->cap_offset) {
		free(info);
		return;
	}
	for (uint32_t off = info->cap_offset; off && off + sizeof(*hdr) <= info->argsz;
	     off = hdr->next) {
		hdr = (struct vfio_info_cap_header *)((uint8_t *)info + off);
		if (hdr->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			struct vfio_iommu_type1_info_cap_iova_range *r = (void *)hdr;
			uint64_t best = 0;

			for (uint32_t i = 0; i < r->nr_iovas; ++i) {
				/* Not IOVA 0: a zero bus address looks like a missing pointer */
				uint64_t start =
				    r->iova_ranges[i].start ? r->iova_ranges[i].start : VFIO_HUGE;
				uint64_t end = r->iova_ranges[i].end;

				if (end > start && end - start > best) {
					best = end - start;
					f->iovas.base = start;
					f->iovas.limit = end; /* inclusive end: one byte is lost */
				}
			}
		}
		if (!hdr->next) {
			break;
		}
	}
	free(info);
}

/* Container, group and IOMMU model; @p why says what failed */
static int
vfio_open_group(struct vfio_face *f, int group, char *why, size_t why_len)
{
	struct vfio_group_status status = {.argsz = sizeof(status)};
	char path[64];
	int type;

	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	f->group = open(path, O_RDWR | O_CLOEXEC);
	if (f->group < 0) {
		int err = -errno;

		snprintf(why, why_len,
			 err == -EACCES || err == -EPERM
			     ? "%s: permission denied: run as root or give the user %s (chown)"
			 : err == -EBUSY ? "%s: the IOMMU group is open in another process (%s)"
					 : "%s: cannot open %s",
			 f->bdf, path);
		return err;
	}
	f->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (f->container < 0) {
		int err = -errno;

		snprintf(why, why_len, "%s: cannot open /dev/vfio/vfio (is vfio loaded? %s)",
			 f->bdf, strerror(-err));
		return err;
	}
	if (ioctl(f->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		snprintf(why, why_len, "%s: /dev/vfio/vfio speaks another VFIO API version",
			 f->bdf);
		return -ENOTSUP;
	}
	if (ioctl(f->group, VFIO_GROUP_GET_STATUS, &status)) {
		int err = -errno;

		snprintf(why, why_len, "%s: VFIO_GROUP_GET_STATUS failed", f->bdf);
		return err;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		snprintf(why, why_len,
			 "%s: other devices of IOMMU group %d are in use: bind every device of "
			 "/sys/kernel/iommu_groups/%d/devices to vfio-pci or unbind it",
			 f->bdf, group, group);
		return -EBUSY;
	}
	if (ioctl(f->group, VFIO_GROUP_SET_CONTAINER, &f->container)) {
		int err = -errno;

		snprintf(why, why_len, "%s: VFIO_GROUP_SET_CONTAINER failed", f->bdf);
		return err;
	}
	type = ioctl(f->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) == 1
		   ? VFIO_TYPE1v2_IOMMU
	       : ioctl(f->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) == 1 ? VFIO_TYPE1_IOMMU
										  : -1;
	if (type < 0 || ioctl(f->container, VFIO_SET_IOMMU, type)) {
		int err = type < 0 ? -ENOTSUP : -errno;

		snprintf(why, why_len, "%s: the container has no type-1 IOMMU", f->bdf);
		return err;
	}
	vfio_iova_window(f);
	return 0;
}

/*
 * How much of BAR0 from offset 0 can be mmap'd: all of it, or, when the region lists sparse
 * areas (the MSI-X table inside BAR0 may not be mapped), the area starting at 0. 0: none.
 */
static size_t
vfio_bar_mmap_len(struct vfio_face *f, const struct vfio_region_info *bar)
{
	struct vfio_region_info *info;
	struct vfio_info_cap_header *hdr;
	size_t len = bar->size;

	if (!(bar->flags & VFIO_REGION_INFO_FLAG_CAPS) || bar->argsz <= sizeof(*bar)) {
		return len;
	}
	info = calloc(1, bar->argsz);
	if (!info) {
		return 0;
	}
	info->argsz = bar->argsz;
	info->index = bar->index;
	if (ioctl(f->device, VFIO_DEVICE_GET_REGION_INFO, info)) {
		free(info);
		return 0;
	}
	for (uint32_t off = info->cap_offset; off && off + sizeof(*hdr) <= info->argsz;
	     off = hdr->next) {
		hdr = (struct vfio_info_cap_header *)((uint8_t *)info + off);
		if (hdr->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			struct vfio_region_info_cap_sparse_mmap *sp = (void *)hdr;

			len = 0;
			for (uint32_t i = 0; i < sp->nr_areas; ++i) {
				if (sp->areas[i].offset == 0) {
					len = sp->areas[i].size;
				}
			}
		}
		if (!hdr->next) {
			break;
		}
	}
	free(info);
	return len;
}

/* BAR0, whole or from its sparse area at offset 0; config space; bus mastering on */
static int
vfio_open_device(struct vfio_face *f, char *why, size_t why_len)
{
	struct vfio_region_info bar = {.argsz = sizeof(bar), .index = VFIO_PCI_BAR0_REGION_INDEX};
	struct vfio_region_info cfg = {.argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX};
	uint16_t cmd;
	void *p;

	f->device = ioctl(f->group, VFIO_GROUP_GET_DEVICE_FD, f->bdf);
	if (f->device < 0) {
		int err = -errno;

		snprintf(why, why_len, "%s: VFIO_GROUP_GET_DEVICE_FD: %s", f->bdf, strerror(-err));
		return err;
	}
	if (ioctl(f->device, VFIO_DEVICE_GET_REGION_INFO, &bar) ||
	    ioctl(f->device, VFIO_DEVICE_GET_REGION_INFO, &cfg) || bar.size < 0x1008) {
		snprintf(why, why_len, "%s: no BAR0 with NVMe's registers and doorbells", f->bdf);
		return -ENODEV;
	}
	f->bar_off = bar.offset;
	f->cfg_off = cfg.offset;
	if (bar.flags & VFIO_REGION_INFO_FLAG_MMAP) {
		size_t len = vfio_bar_mmap_len(f, &bar);

		p = len ? mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, f->device,
			       (off_t)bar.offset)
			: MAP_FAILED;
		if (p != MAP_FAILED) {
			f->bar = p;
			f->bar_len = f->bar_maplen = len;
		}
	}
	if (pread(f->device, &cmd, 2, (off_t)(f->cfg_off + 4)) != 2) {
		snprintf(why, why_len, "%s: cannot read the PCI command register", f->bdf);
		return -EIO;
	}
	cmd |= 0x6; /* memory space, bus master */
	if (pwrite(f->device, &cmd, 2, (off_t)(f->cfg_off + 4)) != 2) {
		snprintf(why, why_len, "%s: cannot enable bus mastering", f->bdf);
		return -EIO;
	}
	f->dstrd = 4u << PCIE_CAP_DSTRD(vfio_reg_read64(&f->hw, PCIE_REG_CAP));
	return 0;
}

int
pcie_vfio_open(const char *bdf, struct pcie_hw **hw)
{
	struct vfio_face *f;
	char why[512];
	int group, err;

	err = vfio_sysfs_check(bdf, &group, why, sizeof(why));
	if (err) {
		return vfio_reject(why, err);
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		return vfio_reject("cannot allocate the vfio face", -ENOMEM);
	}
	snprintf(f->bdf, sizeof(f->bdf), "%s", bdf);
	f->container = f->group = f->device = -1;
	pthread_mutex_init(&f->lock, NULL);
	f->hw.ops = &vfio_ops;
	f->hw.iova_linear = 0;
	err = vfio_open_group(f, group, why, sizeof(why));
	err = err ? err : vfio_open_device(f, why, sizeof(why));
	if (err) {
		vfio_teardown(f);
		return vfio_reject(why, err);
	}
	*hw = &f->hw;
	return 0;
}
