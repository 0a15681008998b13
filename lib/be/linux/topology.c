/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The controller behind an NVMe device node, for libxnvme_topology.h. The driver takes resets and
 * rescans only on the controller's char device (/dev/nvmeX), so the controller is found in sysfs
 * from the node the device was opened with:
 *   /sys/dev/char/M:m            the controller itself (class nvme), for /dev/nvmeX
 *   /sys/dev/{block,char}/M:m/device -> the controller, for /dev/nvmeXnY and /dev/ngXnY
 *     or -> the subsystem (nvme-subsysN) for a multipath head: its first controller is used.
 * The name is found once, at open, as the device's controller key (dev.c); a device made by
 * hand (tests) is resolved here. Registers come from the controller's PCI device,
 * /sys/class/nvme/nvmeX/device/resource0 (BAR0), mapped read-only and read 32 bits at a time, as
 * registers are meant to be read. $XNVME_SYSFS_ROOT replaces /sys, as for enumeration.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/nvme_ioctl.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_be_linux.h"

static const char *
topology_sysfs_root(void)
{
	const char *root = getenv("XNVME_SYSFS_ROOT");

	return root && *root ? root : "/sys";
}

/* Copies the name @p src to @p dst of @p len bytes; -ENAMETOOLONG when it does not fit */
static int
topology_name_set(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len) {
		return -ENAMETOOLONG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

/* The basename of the symlink at @p path, in @p name; 0 or a negative errno */
static int
topology_link_name(const char *path, char *name, size_t len)
{
	char link[512];
	ssize_t n = readlink(path, link, sizeof(link) - 1);

	if (n < 0) {
		return -errno;
	}
	link[n] = '\0';
	return topology_name_set(name, len, basename(link));
}

/* The first controller (nvmeX) of the subsystem @p subsys, in @p name */
static int
topology_subsys_ctrlr(const char *subsys, char *name, size_t len)
{
	char path[512];
	struct dirent *ent;
	unsigned idx;
	int err = -ENODEV;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/class/nvme-subsystem/%s", topology_sysfs_root(), subsys);
	dir = opendir(path);
	if (!dir) {
		return -errno;
	}
	while ((ent = readdir(dir))) {
		char rest;

		if (sscanf(ent->d_name, "nvme%u%c", &idx, &rest) == 1) {
			err = topology_name_set(name, len, ent->d_name);
			break;
		}
	}
	closedir(dir);
	return err;
}

int
xnvme_be_linux_ctrlr_name(const struct xnvme_dev *dev, char *name, size_t len)
{
	char path[512];
	struct stat st;
	int err;

	if (dev->ident.dtype != XNVME_DEV_TYPE_NVME_CONTROLLER &&
	    dev->ident.dtype != XNVME_DEV_TYPE_NVME_NAMESPACE) {
		return -ENOSYS;
	}
	if (dev->fd < 0 || fstat(dev->fd, &st)) {
		return -ENOSYS;
	}
	snprintf(path, sizeof(path), "%s/dev/%s/%u:%u", topology_sysfs_root(),
		 S_ISBLK(st.st_mode) ? "block" : "char", major(st.st_rdev), minor(st.st_rdev));
	if (dev->ident.dtype == XNVME_DEV_TYPE_NVME_CONTROLLER) {
		return topology_link_name(path, name, len);
	}
	strncat(path, "/device", sizeof(path) - strlen(path) - 1);
	err = topology_link_name(path, name, len);
	if (!err && !strncmp(name, "nvme-subsys", 11)) {
		char subsys[64];

		err = topology_name_set(subsys, sizeof(subsys), name);
		err = err ? err : topology_subsys_ctrlr(subsys, name, len);
	}
	return err;
}

/* The controller's name: its key when the device has one (found at open) */
static int
topology_ctrlr_name(const struct xnvme_dev *dev, char *name, size_t len)
{
	if (dev->ctrl && dev->ctrl->key[0]) {
		return topology_name_set(name, len, dev->ctrl->key);
	}
	return xnvme_be_linux_ctrlr_name(dev, name, len);
}

int
xnvme_be_linux_ctrlr_op(struct xnvme_dev *dev, enum xnvme_be_ctrlr_op op)
{
	static const unsigned long reqs[] = {
	    [XNVME_BE_CTRLR_SUBSYSTEM_RESET] = NVME_IOCTL_SUBSYS_RESET,
	    [XNVME_BE_CTRLR_RESET] = NVME_IOCTL_RESET,
	    [XNVME_BE_CTRLR_NS_RESCAN] = NVME_IOCTL_RESCAN,
	};
	char name[64], node[80];
	int err, fd;

	err = topology_ctrlr_name(dev, name, sizeof(name));
	if (err) {
		return err;
	}
	snprintf(node, sizeof(node), "/dev/%s", name);
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	err = ioctl(fd, reqs[op]) < 0 ? -errno : 0;
	close(fd);
	return err;
}

int
xnvme_be_linux_ctrlr_regs(struct xnvme_dev *dev, void *regs, size_t nbytes)
{
	char name[64], path[512];
	struct stat st;
	uint32_t *dst = regs;
	int err, fd;
	void *bar;

	err = topology_ctrlr_name(dev, name, sizeof(name));
	if (err) {
		return err;
	}
	snprintf(path, sizeof(path), "%s/class/nvme/%s/device/resource0", topology_sysfs_root(),
		 name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return errno == ENOENT ? -ENOTSUP : -errno; // no PCI function: fabrics
	}
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (st.st_size && (size_t)st.st_size < nbytes) { // a BAR0 smaller than the registers
		close(fd);
		return -EIO;
	}
	bar = mmap(NULL, nbytes, PROT_READ, MAP_SHARED, fd, 0);
	err = bar == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err) {
		return err;
	}
	for (size_t i = 0; i < nbytes / 4; ++i) {
		dst[i] = ((const volatile uint32_t *)bar)[i];
	}
	munmap(bar, nbytes);
	return 0;
}
