/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vfio face's logic that needs no device (lib/be/pcie/vfio.h): PCI address parsing and its
 * normal form, the IOVA allocator, the mapped-range table's lookup, and the sysfs checks over a
 * made-up tree ($XNVME_SYSFS_ROOT) with an NVMe function bound to vfio-pci, one bound to nvme,
 * one to no driver and one without an IOMMU group; then xnvme_dev_open() of their addresses,
 * refused with the reason (the claim goes through pcie.c, never reaching a real device).
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "check.h"
#include "tmptree.h"
#include "vfio.h"

static void
put(const char *rel, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", g_tree_root, rel);
	fp = fopen(path, "w");
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* A PCI function @p bdf of class @p cls, bound to @p drv (NULL: none), in IOMMU group @p grp */
static void
function(const char *bdf, const char *cls, const char *drv, const char *grp)
{
	char rel[256], target[256];

	snprintf(rel, sizeof(rel), "devices/pci0000:00/%s", bdf);
	tree_mkdirs(rel);
	snprintf(rel, sizeof(rel), "devices/pci0000:00/%s/class", bdf);
	put(rel, cls);
	snprintf(target, sizeof(target), "../../../devices/pci0000:00/%s", bdf);
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s", bdf);
	tree_symlink(target, rel);
	if (drv) {
		snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", drv);
		snprintf(rel, sizeof(rel), "devices/pci0000:00/%s/driver", bdf);
		tree_symlink(target, rel);
	}
	if (grp) {
		snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%s", grp);
		snprintf(rel, sizeof(rel), "devices/pci0000:00/%s/iommu_group", bdf);
		tree_symlink(target, rel);
	}
}

static void
test_bdf(void)
{
	char out[VFIO_BDF_LEN];

	CHECK(!vfio_bdf_parse("0000:03:00.0", out) && !strcmp(out, "0000:03:00.0"), "full form");
	CHECK(!vfio_bdf_parse("03:00.0", out) && !strcmp(out, "0000:03:00.0"),
	      "short form gets domain 0: %s", out);
	CHECK(!vfio_bdf_parse("00AB:1F:1f.7", out) && !strcmp(out, "00ab:1f:1f.7"),
	      "upper case normalized: %s", out);
	CHECK(vfio_bdf_parse("0000:03:20.0", out) == -EINVAL, "device 0x20 refused");
	CHECK(vfio_bdf_parse("0000:03:00.8", out) == -EINVAL, "function 8 refused");
	CHECK(vfio_bdf_parse("03:00:0", out) == -EINVAL, "':' for '.' refused");
	CHECK(vfio_bdf_parse("000:03:00.0", out) == -EINVAL, "short domain refused");
	CHECK(vfio_bdf_parse("0000-03:00.0", out) == -EINVAL, "'-' for ':' refused");
	CHECK(vfio_bdf_parse("/dev/nvme0n1", out) == -EINVAL, "a path refused");
	CHECK(vfio_bdf_parse("g3:00.0", out) == -EINVAL, "not hex refused");
	CHECK(vfio_bdf_parse("", out) == -EINVAL && vfio_bdf_parse(NULL, out) == -EINVAL,
	      "empty and NULL refused");
}

static void
test_iova(void)
{
	struct vfio_iova_space s = {.base = 0x100000, .limit = 0x1000000};
	uint64_t a, b, c, d, e;

	CHECK(!vfio_iova_alloc(&s, 0x1000, 0x1000, &a) && a == 0x100000, "first at base");
	CHECK(!vfio_iova_alloc(&s, 0x3000, 0x1000, &b) && b == 0x101000, "next after it");
	CHECK(!vfio_iova_alloc(&s, 0x1000, 0x200000, &c) && c == 0x200000, "2 MiB aligned: %#llx",
	      (unsigned long long)c);
	CHECK(!vfio_iova_free(&s, b), "free the middle one");
	CHECK(!vfio_iova_alloc(&s, 0x2000, 0x1000, &d) && d == 0x101000,
	      "its gap reused first fit");
	CHECK(!vfio_iova_alloc(&s, 0x2000, 0x1000, &e) && e == 0x103000,
	      "the rest of the gap: %#llx", (unsigned long long)e);
	CHECK(vfio_iova_free(&s, 0x102000) == -ENOENT, "free of no extent's start refused");
	CHECK(vfio_iova_alloc(&s, 0x1000000, 0x1000, &e) == -ENOSPC, "over the limit: -ENOSPC");
	CHECK(!vfio_iova_alloc(&s, 0x1000000 - 0x201000, 0x1000, &e) && e == 0x201000,
	      "exactly up to the limit fits");
	CHECK(!vfio_iova_alloc(&s, 0x1000, 0x1000, &e) && e == 0x105000,
	      "a page goes in the gap below 2 MiB: %#llx", (unsigned long long)e);
	CHECK(vfio_iova_alloc(&s, 0x100000, 0x1000, &e) == -ENOSPC,
	      "1 MiB fits no gap left: -ENOSPC");
	CHECK(vfio_iova_alloc(&s, 0x1000, 0x3000, &e) == -EINVAL, "alignment not a power of 2");
	CHECK(s.n == 6, "six extents: %zu", s.n);
	vfio_iova_fini(&s);
}

static void
test_maps(void)
{
	struct vfio_maps maps = {0};
	struct vfio_map m = {.va = 0x10000, .len = 0x2000, .iova = 0x100000000ull}, out;
	uint64_t iova;

	CHECK(!vfio_maps_add(&maps, &m), "add [0x10000, 0x12000)");
	m = (struct vfio_map){.va = 0x20000, .len = 0x1000, .iova = 0x5000, .kind = VFIO_MAP_USER};
	CHECK(!vfio_maps_add(&maps, &m), "add [0x20000, 0x21000)");
	m = (struct vfio_map){.va = 0x8000, .len = 0x1000, .iova = 0x9000};
	CHECK(!vfio_maps_add(&maps, &m), "add [0x8000, 0x9000) before both");
	m = (struct vfio_map){.va = 0x11000, .len = 0x1000, .iova = 0x1};
	CHECK(vfio_maps_add(&maps, &m) == -EEXIST, "an overlap at the end refused");
	m = (struct vfio_map){.va = 0xF000, .len = 0x2000, .iova = 0x1};
	CHECK(vfio_maps_add(&maps, &m) == -EEXIST, "an overlap at the start refused");
	CHECK(!vfio_maps_translate(&maps, 0x11234, &iova) && iova == 0x100001234ull,
	      "inside the first: %#llx", (unsigned long long)iova);
	CHECK(!vfio_maps_translate(&maps, 0x20FFF, &iova) && iova == 0x5FFF, "last byte of one");
	CHECK(vfio_maps_translate(&maps, 0x12000, &iova) == -EFAULT, "one past the end: -EFAULT");
	CHECK(vfio_maps_translate(&maps, 0x7FFF, &iova) == -EFAULT, "before all: -EFAULT");
	CHECK(vfio_maps_find(&maps, 0x8000) == 0 && vfio_maps_find(&maps, 0x20000) == 2,
	      "sorted by address");
	vfio_maps_del(&maps, 1, &out);
	CHECK(out.va == 0x10000 && maps.n == 2, "deleted the middle one");
	CHECK(vfio_maps_translate(&maps, 0x10000, &iova) == -EFAULT, "no longer translated");
	CHECK(!vfio_maps_translate(&maps, 0x20010, &iova) && iova == 0x5010, "the others are");
	vfio_maps_fini(&maps);
}

static void
test_sysfs(void)
{
	char drv[64], why[512];
	uint32_t cls;
	int grp = -1;

	function("0000:03:00.0", "0x010802\n", "vfio-pci", "7");
	function("0000:04:00.0", "0x010802\n", "nvme", "8");
	function("0000:05:00.0", "0x010802\n", NULL, "9");
	function("0000:06:00.0", "0x010802\n", "vfio-pci", NULL);
	function("0000:07:00.0", "0x020000\n", "e1000e", "10");
	setenv("XNVME_SYSFS_ROOT", g_tree_root, 1);

	CHECK(!vfio_sysfs_driver("0000:03:00.0", drv, sizeof(drv)) && !strcmp(drv, "vfio-pci"),
	      "driver of 03:00.0: %s", drv);
	CHECK(!vfio_sysfs_driver("0000:05:00.0", drv, sizeof(drv)) && !drv[0], "05:00.0: none");
	CHECK(vfio_sysfs_driver("0000:09:00.0", drv, sizeof(drv)) == -ENOENT, "09:00.0: none such");
	CHECK(!vfio_sysfs_group("0000:03:00.0", &grp) && grp == 7, "group of 03:00.0: %d", grp);
	CHECK(!vfio_sysfs_class("0000:03:00.0", &cls) && cls == VFIO_CLASS_NVME, "class NVMe");
	CHECK(!vfio_sysfs_class("0000:07:00.0", &cls) && cls == 0x020000, "class network");

	CHECK(!vfio_sysfs_check("0000:03:00.0", &grp, why, sizeof(why)) && grp == 7,
	      "03:00.0 passes the checks");
	CHECK(vfio_sysfs_check("0000:04:00.0", &grp, why, sizeof(why)) == -EBUSY &&
		  strstr(why, "bound to nvme") &&
		  strstr(why, "xnvme-driver.sh attach 0000:04:00.0"),
	      "bound to nvme: %s", why);
	CHECK(vfio_sysfs_check("0000:05:00.0", &grp, why, sizeof(why)) == -EBUSY &&
		  strstr(why, "bound to no driver"),
	      "no driver: %s", why);
	CHECK(vfio_sysfs_check("0000:06:00.0", &grp, why, sizeof(why)) == -ENODEV &&
		  strstr(why, "no IOMMU group"),
	      "no group: %s", why);
	CHECK(vfio_sysfs_check("0000:09:00.0", &grp, why, sizeof(why)) == -ENOENT &&
		  strstr(why, "no such PCI function"),
	      "absent: %s", why);
}

/* Through the library: the driver claims PCI addresses and says why it cannot open them */
static void
test_open(void)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;

	dev = xnvme_dev_open("04:00.0", &opts);
	CHECK(!dev && strstr(xnvme_dev_open_err_msg(), "pcie: 0000:04:00.0 is bound to nvme"),
	      "open of short 04:00.0 (nvme's): %s", xnvme_dev_open_err_msg());
	xnvme_dev_close(dev);
	dev = xnvme_dev_open("0000:09:00.0", &opts);
	CHECK(!dev && strstr(xnvme_dev_open_err_msg(), "no such PCI function"),
	      "open of an absent function: %s", xnvme_dev_open_err_msg());
	xnvme_dev_close(dev);
	/* No /dev/vfio/7 on a host test: the open gets past sysfs and fails at the group node */
	dev = xnvme_dev_open("0000:03:00.0", &opts);
	CHECK(!dev && strstr(xnvme_dev_open_err_msg(), "/dev/vfio/7"),
	      "open of 03:00.0 reaches its group node: %s", xnvme_dev_open_err_msg());
	xnvme_dev_close(dev);
}

int
main(void)
{
	if (tree_init("xnvme-vfio-XXXXXX")) {
		printf("FAIL: mkdtemp\n");
		return 1;
	}
	tree_mkdirs("bus/pci/devices");
	tree_mkdirs("bus/pci/drivers");
	tree_mkdirs("kernel/iommu_groups");
	test_bdf();
	test_iova();
	test_maps();
	test_sysfs();
	test_open(); /* built only with the driver */
	tree_remove();
	printf("%s: %d failed\n", g_nfail ? "FAIL" : "PASS", g_nfail);
	return g_nfail ? 1 : 0;
}
