// SPDX-License-Identifier: BSD-3-Clause
/*
 * The vfio face's logic that needs no device (vfio.h): PCI addresses, the IOVA allocator, the
 * table of mapped ranges and the sysfs checks.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vfio.h"

/* Exactly @p n hex digits at @p s: their value, or -1 */
static long
bdf_hex(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; ++i) {
		if (!isxdigit((unsigned char)s[i])) {
			return -1;
		}
		v = v * 16 + (isdigit((unsigned char)s[i])
				  ? s[i] - '0'
				  : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	return v;
}

int
vfio_bdf_parse(const char *in, char out[VFIO_BDF_LEN])
{
	long dom = 0, bus, dev, fn;
	size_t len;

	if (!in) {
		return -EINVAL;
	}
	len = strlen(in);
	if (len == 12) {
		if (in[4] != ':') {
			return -EINVAL;
		}
		dom = bdf_hex(in, 4);
		in += 5;
	} else if (len != 7) {
		return -EINVAL;
	}
	if (in[2] != ':' || in[5] != '.') {
		return -EINVAL;
	}
	bus = bdf_hex(in, 2);
	dev = bdf_hex(in + 3, 2);
	fn = bdf_hex(in + 6, 1);
	/* Device numbers are 5 bits, functions 3 (without ARI, which lspci shows the same way) */
	if (dom < 0 || bus < 0 || dev < 0 || dev > 0x1f || fn < 0 || fn > 7) {
		return -EINVAL;
	}
	/* Masked to the widths parsed, so the compiler sees the text fits */
	snprintf(out, VFIO_BDF_LEN, "%04x:%02x:%02x.%x", (unsigned)dom & 0xFFFFu,
		 (unsigned)bus & 0xFFu, (unsigned)dev & 0x1Fu, (unsigned)fn & 0x7u);
	return 0;
}

static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap) {
		return 0;
	}
	ncap = *cap ? *cap * 2 : 16;
	nv = realloc(*v, ncap * size);
	if (!nv) {
		return -ENOMEM;
	}
	*v = nv;
	*cap = ncap;
	return 0;
}

int
vfio_iova_alloc(struct vfio_iova_space *s, uint64_t len, uint64_t align, uint64_t *iova)
{
	uint64_t at = s->base;
	size_t i;

	if (!len || !align || (align & (align - 1))) {
		return -EINVAL;
	}
	/* First fit: the gap before each extent in turn, then the space after the last */
	for (i = 0; i <= s->n; ++i) {
		uint64_t end = i < s->n ? s->ext[i].iova : s->limit;

		at = (at + align - 1) & ~(align - 1);
		if (at >= s->base && at <= end && end - at >= len) {
			break;
		}
		if (i < s->n) {
			at = s->ext[i].iova + s->ext[i].len;
		}
	}
	if (i > s->n) {
		return -ENOSPC;
	}
	if (grow((void **)&s->ext, &s->cap, s->n, sizeof(*s->ext))) {
		return -ENOMEM;
	}
	memmove(&s->ext[i + 1], &s->ext[i], (s->n - i) * sizeof(*s->ext));
	s->ext[i].iova = at;
	s->ext[i].len = len;
	s->n++;
	*iova = at;
	return 0;
}

int
vfio_iova_free(struct vfio_iova_space *s, uint64_t iova)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->ext[mid].iova < iova) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo == s->n || s->ext[lo].iova != iova) {
		return -ENOENT;
	}
	memmove(&s->ext[lo], &s->ext[lo + 1], (s->n - lo - 1) * sizeof(*s->ext));
	s->n--;
	return 0;
}

void
vfio_iova_fini(struct vfio_iova_space *s)
{
	free(s->ext);
	s->ext = NULL;
	s->n = s->cap = 0;
}

/* The first range whose start is above @p va */
static size_t
maps_upper(const struct vfio_maps *maps, uintptr_t va)
{
	size_t lo = 0, hi = maps->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (maps->v[mid].va <= va) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

long
vfio_maps_find(const struct vfio_maps *maps, uintptr_t va)
{
	size_t i = maps_upper(maps, va);

	if (!i || va - maps->v[i - 1].va >= maps->v[i - 1].len) {
		return -1;
	}
	return (long)(i - 1);
}

int
vfio_maps_add(struct vfio_maps *maps, const struct vfio_map *m)
{
	size_t i;

	if (!m->len || m->va + m->len < m->va) {
		return -EINVAL;
	}
	i = maps_upper(maps, m->va);
	if ((i && maps->v[i - 1].va + maps->v[i - 1].len > m->va) ||
	    (i < maps->n && maps->v[i].va < m->va + m->len)) {
		return -EEXIST;
	}
	if (grow((void **)&maps->v, &maps->cap, maps->n, sizeof(*maps->v))) {
		return -ENOMEM;
	}
	memmove(&maps->v[i + 1], &maps->v[i], (maps->n - i) * sizeof(*maps->v));
	maps->v[i] = *m;
	maps->n++;
	return 0;
}

void
vfio_maps_del(struct vfio_maps *maps, size_t idx, struct vfio_map *out)
{
	if (out) {
		*out = maps->v[idx];
	}
	memmove(&maps->v[idx], &maps->v[idx + 1], (maps->n - idx - 1) * sizeof(*maps->v));
	maps->n--;
}

int
vfio_maps_translate(const struct vfio_maps *maps, uintptr_t va, uint64_t *iova)
{
	long i = vfio_maps_find(maps, va);

	if (i < 0) {
		return -EFAULT;
	}
	*iova = maps->v[i].iova + (va - maps->v[i].va);
	return 0;
}

void
vfio_maps_fini(struct vfio_maps *maps)
{
	free(maps->v);
	maps->v = NULL;
	maps->n = maps->cap = 0;
}

const char *
vfio_sysfs_root(void)
{
	const char *root = getenv("XNVME_SYSFS_ROOT");

	return root && root[0] ? root : "/sys";
}

/* The last component of the symbolic link @p rel of @p bdf's sysfs folder into @p out */
static int
sysfs_link_name(const char *bdf, const char *rel, char *out, size_t out_len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/%s", vfio_sysfs_root(), bdf, rel);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		return -errno;
	}
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(out, out_len, "%s", base ? base + 1 : target);
	return 0;
}

static int
sysfs_exists(const char *bdf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", vfio_sysfs_root(), bdf);
	return access(path, F_OK) == 0;
}

int
vfio_sysfs_driver(const char *bdf, char *drv, size_t drv_len)
{
	int err;

	if (!sysfs_exists(bdf)) {
		return -ENOENT;
	}
	err = sysfs_link_name(bdf, "driver", drv, drv_len);
	if (err == -ENOENT) {
		drv[0] = '\0';
		return 0;
	}
	return err;
}

int
vfio_sysfs_group(const char *bdf, int *group)
{
	char name[64], *end;
	long v;
	int err = sysfs_link_name(bdf, "iommu_group", name, sizeof(name));

	if (err) {
		return err;
	}
	errno = 0;
	v = strtol(name, &end, 10);
	if (errno || *end || end == name || v < 0 || v > INT_MAX) {
		return -EINVAL;
	}
	*group = (int)v;
	return 0;
}

int
vfio_sysfs_class(const char *bdf, uint32_t *class_code)
{
	char path[PATH_MAX], text[32], *end;
	unsigned long v;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/class", vfio_sysfs_root(), bdf);
	fp = fopen(path, "r");
	if (!fp) {
		return -errno;
	}
	if (!fgets(text, sizeof(text), fp)) {
		fclose(fp);
		return -EINVAL;
	}
	fclose(fp);
	errno = 0;
	v = strtoul(text, &end, 16);
	if (errno || end == text || (*end && *end != '\n') || v > 0xFFFFFF) {
		return -EINVAL;
	}
	*class_code = (uint32_t)v;
	return 0;
}

int
vfio_sysfs_check(const char *bdf, int *group, char *why, size_t why_len)
{
	char drv[64];
	int err = vfio_sysfs_driver(bdf, drv, sizeof(drv));

	if (err) {
		snprintf(why, why_len, "%s: no such PCI function (%s/bus/pci/devices/%s)", bdf,
			 vfio_sysfs_root(), bdf);
		return -ENOENT;
	}
	if (strcmp(drv, "vfio-pci")) {
		/* What scripts/xnvme-driver.sh attach does, for a system without the script */
		snprintf(why, why_len,
			 "%s is bound to %s, not vfio-pci: rebind it with 'scripts/xnvme-driver.sh "
			 "attach %s' (%secho vfio-pci > /sys/bus/pci/devices/%s/driver_override; "
			 "echo %s > /sys/bus/pci/drivers_probe)",
			 bdf, drv[0] ? drv : "no driver", bdf,
			 drv[0] ? "echo BDF > /sys/bus/pci/devices/BDF/driver/unbind; " : "", bdf,
			 bdf);
		return -EBUSY;
	}
	err = vfio_sysfs_group(bdf, group);
	if (err) {
		snprintf(why, why_len,
			 "%s has no IOMMU group: enable the IOMMU (intel_iommu=on or amd_iommu=on "
			 "on the kernel command line)",
			 bdf);
		return -ENODEV;
	}
	return 0;
}
