/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: the vfio-pci face of the user-space driver (pcie_hw.h), Linux only.
 *
 * vfio.c opens a PCI function bound to vfio-pci through its IOMMU group and a type-1 container,
 * maps BAR0 and hands out DMA memory mapped into the container at IOVAs of its own choosing.
 * vfio_util.c holds what needs no device, so host tests reach it: PCI address parsing, the IOVA
 * allocator, the table of mapped ranges (translation by lookup) and the sysfs checks, whose root
 * $XNVME_SYSFS_ROOT replaces (as for the linux backend's enumeration).
 *
 * Errors: 0 or a negative errno; what vfio_open refuses is explained to xnvme_be_open_err_add.
 */
#ifndef __XNVME_BE_PCIE_VFIO_H
#define __XNVME_BE_PCIE_VFIO_H

#include <stddef.h>
#include <stdint.h>
#include "pcie_hw.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

#define VFIO_BDF_LEN 13 ///< "DDDD:BB:DD.F" and its terminator

/** PCI class of an NVMe controller: mass storage, non-volatile memory, NVM Express */
#define VFIO_CLASS_NVME 0x010802

/**
 * Parses a PCI address, "DDDD:BB:DD.F" or the short "BB:DD.F" (domain 0), hex digits in either
 * case, into its normal form (lower case, with the domain) in @p out. 0 or -EINVAL.
 */
int vfio_bdf_parse(const char *in, char out[VFIO_BDF_LEN]);

/** Bus addresses handed out within [base, limit): first fit, aligned, freed by their start */
struct vfio_iova_space {
	uint64_t base, limit;
	struct vfio_iova_ext {
		uint64_t iova, len;
	} * ext; ///< In use, sorted by iova
	size_t n, cap;
};

/** @p len bytes at an IOVA aligned to @p align (a power of two); 0, -ENOSPC, -ENOMEM */
int vfio_iova_alloc(struct vfio_iova_space *s, uint64_t len, uint64_t align, uint64_t *iova);
/** Frees the extent starting at @p iova; -ENOENT when none does */
int vfio_iova_free(struct vfio_iova_space *s, uint64_t iova);
void vfio_iova_fini(struct vfio_iova_space *s);

/** One range of process memory mapped into the container */
struct vfio_map {
	uintptr_t va;
	uint64_t len; ///< What is mapped (whole pages)
	uint64_t iova;
	int kind;    ///< VFIO_MAP_ALLOC: the face's own memory (munmap'd at free), VFIO_MAP_USER:
		     ///< caller's
	size_t mlen; ///< Of an ALLOC range: its hugepages' mmap'd length; 0: heap memory (free())
};
#define VFIO_MAP_ALLOC 0
#define VFIO_MAP_USER  1

/** The mapped ranges, sorted by va, never overlapping: translation is a binary search */
struct vfio_maps {
	struct vfio_map *v;
	size_t n, cap;
};

/** Adds @p m; -EEXIST when it overlaps a range, -ENOMEM */
int vfio_maps_add(struct vfio_maps *maps, const struct vfio_map *m);
/** The index of the range holding @p va, or -1 */
long vfio_maps_find(const struct vfio_maps *maps, uintptr_t va);
/** Removes the range at @p idx, copying it to @p out when not NULL */
void vfio_maps_del(struct vfio_maps *maps, size_t idx, struct vfio_map *out);
/** @p va's bus address; -EFAULT when no range holds it */
int vfio_maps_translate(const struct vfio_maps *maps, uintptr_t va, uint64_t *iova);
void vfio_maps_fini(struct vfio_maps *maps);

/** "/sys", or $XNVME_SYSFS_ROOT */
const char *vfio_sysfs_root(void);
/**
 * The driver @p bdf is bound to into @p drv ("" when none); -ENOENT when there is no such PCI
 * function
 */
int vfio_sysfs_driver(const char *bdf, char *drv, size_t drv_len);
/** The IOMMU group of @p bdf; -ENOENT when it has none (no IOMMU, or no such function) */
int vfio_sysfs_group(const char *bdf, int *group);
/** The class code of @p bdf (e.g. 0x010802); -ENOENT, -EINVAL */
int vfio_sysfs_class(const char *bdf, uint32_t *class_code);
/**
 * Checks what can be known from sysfs before opening @p bdf: it exists, it is bound to vfio-pci
 * (else -EBUSY, naming its driver and how to rebind) and it has an IOMMU group (@p group).
 * The reason goes to @p why. 0 or a negative errno.
 */
int vfio_sysfs_check(const char *bdf, int *group, char *why, size_t why_len);

/**
 * Opens the vfio face of the normalized PCI address @p bdf: container, group, device, BAR0 and
 * bus mastering. 0, or a negative errno with the reason given to xnvme_be_open_err_add().
 */
int pcie_vfio_open(const char *bdf, struct pcie_hw **hw);

#pragma GCC visibility pop

#endif
