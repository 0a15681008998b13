/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux device handling: claims paths (regular files, block devices, NVMe controller and namespace
 * nodes), opens them with the flags of the options, and picks default interfaces by what the path
 * turned out to be.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/nvme_ioctl.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_be_linux.h"
#include "xnvme_be_common.h"

/* The NVMe controller char device: its sysfs node has class nvme. */
static int
linux_is_nvme_ctrlr(dev_t rdev)
{
	char path[128], link[256];
	ssize_t len;

	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/subsystem", major(rdev), minor(rdev));
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0) {
		return 0;
	}
	link[len] = '\0';
	return !strcmp(basename(link), "nvme");
}

static uint64_t
linux_sysfs_u64(const char *path)
{
	unsigned long long val = 0;
	FILE *fp = fopen(path, "r");

	if (fp) {
		if (fscanf(fp, "%llu", &val) != 1) {
			val = 0;
		}
		fclose(fp);
	}
	return val;
}

/*
 * The largest passthrough transfer the driver takes for the namespace: the block queue's
 * max_hw_sectors_kb, and max_segments pages, since user buffers are mapped page by page
 * (a 512 KiB MDTS with 127 segments takes 508 KiB). 0 when sysfs does not tell.
 */
static uint64_t
linux_nvme_max_xfer(unsigned ctrl, unsigned ns)
{
	uint64_t kb, segs, limit;
	char path[128];
	long pagesize = sysconf(_SC_PAGESIZE);

	snprintf(path, sizeof(path), "/sys/block/nvme%un%u/queue/max_hw_sectors_kb", ctrl, ns);
	kb = linux_sysfs_u64(path);
	snprintf(path, sizeof(path), "/sys/block/nvme%un%u/queue/max_segments", ctrl, ns);
	segs = linux_sysfs_u64(path);
	limit = kb * 1024;
	if (segs && pagesize > 0 && (!limit || segs * (uint64_t)pagesize < limit)) {
		limit = segs * (uint64_t)pagesize;
	}
	return limit;
}

/* NVMe nodes: a controller char device, a namespace block device or generic char device. */
static int
linux_open_nvme(struct xnvme_dev *dev, const struct stat *st, struct xnvme_be_defaults *dflt)
{
	int nsid = ioctl(dev->fd, NVME_IOCTL_ID);

	dflt->admin = "nvme";
	dflt->sync = "nvme";
	dev->ident.csi = XNVME_SPEC_CSI_NOCHECK; /* learned from identify at open */
	if (nsid > 0) {
		if (dev->ident.nsid && dev->ident.nsid != (uint32_t)nsid) {
			xnvme_be_open_err_add("linux", "--nsid differs from the namespace node's",
					      -EINVAL);
			return -EINVAL;
		}
		unsigned ctrl, ns;
		const char *name = strrchr(dev->ident.uri, '/');

		dev->ident.dtype = XNVME_DEV_TYPE_NVME_NAMESPACE;
		dev->ident.nsid = (uint32_t)nsid;
		name = name ? name + 1 : dev->ident.uri;
		if (sscanf(name, "nvme%un%u", &ctrl, &ns) == 2 ||
		    sscanf(name, "ng%un%u", &ctrl, &ns) == 2) {
			dev->be_max_xfer_nbytes = linux_nvme_max_xfer(ctrl, ns);
		}
		dflt->async = S_ISBLK(st->st_mode) ? "io_uring" : "io_uring_cmd";
		return 0;
	}
	if (S_ISCHR(st->st_mode) && linux_is_nvme_ctrlr(st->st_rdev)) {
		dev->ident.dtype = XNVME_DEV_TYPE_NVME_CONTROLLER;
		dev->ident.nsid = dev->ident.nsid ? dev->ident.nsid : 1;
		dflt->async = "emu";
		return 0;
	}
	return -ENODEV; /* not NVMe */
}

/* The file descriptor of dev->ident.uri, opened as the options say; or a negative errno */
static int
linux_open_fd(const struct xnvme_dev *dev, int chardev)
{
	int flags = xnvme_be_common_open_flags(&dev->opts, chardev);
	mode_t mode = dev->opts.create_mode ? dev->opts.create_mode : 0600;
	int fd;

	/* A file used as a namespace is storage, not a document someone read: no access-time
	 * update per read (about 3% of a page-cache read). Only the owner (or CAP_FOWNER) may ask:
	 * anyone else opens it as usual. */
	fd = open(dev->ident.uri, flags | O_NOATIME, mode);
	if (fd < 0 && errno == EPERM) {
		fd = open(dev->ident.uri, flags, mode);
	}
	return fd < 0 ? -errno : fd;
}

static int
linux_dev_open_path(struct xnvme_dev *dev, struct xnvme_be_defaults *dflt)
{
	const char *uri = dev->ident.uri;
	struct stat st;
	int err, fd;

	if (!xnvme_be_common_is_path(uri, dev->opts.create, &st, &err)) {
		return -ENODEV;
	}
	if (err && !(err == -ENOENT && dev->opts.create)) {
		return err;
	}
	if (!err && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode)) {
		return -EINVAL;
	}

	fd = linux_open_fd(dev, !err && S_ISCHR(st.st_mode));
	if (fd < 0) {
		return fd;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	dev->fd = fd;
	dev->fd_ops = xnvme_be_linux_fd_ops(st.st_mode);
	/* Fixed buffers need memory the rings can register once: the arena */
	dflt->mem = dev->opts.register_buffers ? "arena" : "posix";
	if (S_ISCHR(st.st_mode)) {
		dev->opts.direct = 0; /* not in effect: a char device has no page cache to bypass */
	}

	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		err = linux_open_nvme(dev, &st, dflt);
		if (err == -ENODEV && S_ISCHR(st.st_mode)) {
			xnvme_be_open_err_add("linux", "a char device that is not NVMe", -EINVAL);
			err = -EINVAL;
		}
		if (err != -ENODEV) { /* NVMe, or a refusal; else a plain block device */
			if (err) {
				close(fd);
				dev->fd = -1;
			}
			return err;
		}
	}

	/* A file or a block device that is not NVMe is one namespace: nsid 1 (0: the default) */
	if (dev->ident.nsid > 1) {
		xnvme_be_open_err_add("linux", "a file or block device has only namespace 1",
				      -ENXIO);
		close(fd);
		dev->fd = -1;
		return -ENXIO;
	}
	dev->ident.nsid = 1;
	if (S_ISBLK(st.st_mode)) {
		dev->ident.dtype = XNVME_DEV_TYPE_BLOCK_DEVICE;
		dflt->admin = "block";
		dflt->sync = "block";
	} else {
		dev->ident.dtype = XNVME_DEV_TYPE_FS_FILE;
		dev->be_file_nbytes = (uint64_t)st.st_size;
		dflt->admin = "file_as_ns";
		dflt->sync = "psync";
	}
	dev->ident.csi = XNVME_SPEC_CSI_NVM;
	dflt->async = "emu";
	return 0;
}

/*
 * Namespaces of one controller share its controller object, keyed by the controller node's name
 * (nvmeX, from sysfs); a file, a block device that is not NVMe, or a node sysfs does not place
 * has a private one
 */
static int
linux_ctrl_open(struct xnvme_dev *dev)
{
	char name[64];
	int nvme = dev->ident.dtype == XNVME_DEV_TYPE_NVME_CONTROLLER ||
		   dev->ident.dtype == XNVME_DEV_TYPE_NVME_NAMESPACE;

	if (!nvme || xnvme_be_linux_ctrlr_name(dev, name, sizeof(name))) {
		name[0] = '\0';
	}
	return xnvme_ctrl_open(dev, &xnvme_be_linux_ctrl, name, NULL);
}

static void
linux_dev_close(struct xnvme_dev *dev)
{
	if (dev->fd >= 0) {
		close(dev->fd);
		dev->fd = -1;
	}
}

static int
linux_dev_open(struct xnvme_dev *dev, struct xnvme_be_defaults *dflt)
{
	int err = linux_dev_open_path(dev, dflt);

	if (!err) {
		err = linux_ctrl_open(dev);
		if (err) {
			linux_dev_close(dev);
		}
	}
	return err;
}

const struct xnvme_be_dev_ops xnvme_be_linux_dev = {
    .id = "linux",
    .descr = "paths: files, block devices, NVMe controller and namespace nodes; sysfs enumeration",
    .dev_open = linux_dev_open,
    .dev_close = linux_dev_close,
    .enumerate = xnvme_be_linux_enumerate,
    .ctrlr_op = xnvme_be_linux_ctrlr_op,
    .ctrlr_regs = xnvme_be_linux_ctrlr_regs,
};
