/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux device handling: claims paths (regular files, block devices), opens them with the flags of
 * the options, and picks default interfaces by what the path turned out to be.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "xnvme_dev.h"
#include "xnvme_be_linux.h"

/* An identifier is a path when it has a slash or names something that exists. */
static int
linux_is_path(const char *uri, struct stat *st, int *stat_err)
{
	*stat_err = stat(uri, st) ? -errno : 0;
	return strchr(uri, '/') || !*stat_err;
}

static int
linux_open_flags(const struct xnvme_opts *opts)
{
	int flags = O_RDWR;

	if (opts->rdonly) {
		flags = O_RDONLY;
	} else if (opts->wronly) {
		flags = O_WRONLY;
	}
	flags |= opts->create ? O_CREAT : 0;
	flags |= opts->truncate ? O_TRUNC : 0;
	flags |= opts->direct ? O_DIRECT : 0;
	return flags | O_CLOEXEC;
}

static int
linux_dev_open(struct xnvme_dev *dev, struct xnvme_be_defaults *dflt)
{
	const char *uri = dev->ident.uri;
	struct stat st;
	int err, fd;

	if (!linux_is_path(uri, &st, &err)) {
		return -ENODEV;
	}
	if (err && !(err == -ENOENT && dev->opts.create)) {
		return err;
	}
	if (!err && S_ISCHR(st.st_mode)) {
		return -EOPNOTSUPP; /* NVMe char devices: the nvme ioctl interfaces are not built */
	}
	if (!err && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		return -EINVAL;
	}

	fd = open(uri, linux_open_flags(&dev->opts),
		  dev->opts.create_mode ? dev->opts.create_mode : 0600);
	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	/* A file or a block device that is not NVMe is one namespace: nsid 1 (0: the default) */
	if (dev->ident.nsid > 1) {
		xnvme_be_open_err_add("linux", "a file or block device has only namespace 1",
				      -ENXIO);
		close(fd);
		return -ENXIO;
	}
	dev->fd = fd;
	dev->ident.nsid = 1;
	if (S_ISBLK(st.st_mode)) {
		dev->ident.dtype = XNVME_DEV_TYPE_BLOCK_DEVICE;
		dflt->admin = "block";
		dflt->sync = "block";
	} else {
		dev->ident.dtype = XNVME_DEV_TYPE_FS_FILE;
		dflt->admin = "file_as_ns";
		dflt->sync = "psync";
	}
	dev->ident.csi = XNVME_SPEC_CSI_NVM;
	dflt->async = "emu";
	dflt->mem = "posix";
	return 0;
}

static void
linux_dev_close(struct xnvme_dev *dev)
{
	if (dev->fd >= 0) {
		close(dev->fd);
		dev->fd = -1;
	}
}

const struct xnvme_be_dev_ops xnvme_be_linux_dev = {
    .id = "linux",
    .descr = "paths: regular files and block devices",
    .dev_open = linux_dev_open,
    .dev_close = linux_dev_close,
    .enumerate = NULL,
};
