/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FreeBSD device handling: claims paths as the linux backend does (a path, a name that exists, a
 * new file's name when asked to create it), opens them with the flags of the options, and tells
 * by asking the node what it is. FreeBSD has no block devices: every disk is a character device.
 *
 *   NVME_GET_NSID answers   an NVMe node: NSID 0 the controller (/dev/nvmeX), else a namespace
 *                           (/dev/nvmeXnsY, or a disk of the nvd or nda driver); its controller
 *                           node, named in the answer, takes the admin commands
 *   DIOCGMEDIASIZE answers  another disk (/dev/ada0, /dev/da0, a partition): one namespace, its
 *                           identify emulated from the disk's size (admin "block")
 *   a regular file          one namespace (admin "file_as_ns")
 *
 * A disk is read and written in whole sectors, so direct is set on every device (the library
 * then checks the alignment of each command, as for O_DIRECT). Nothing of this has run on
 * FreeBSD here: make check-freebsd compiles it against FreeBSD 13.4's headers (docs/backends.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "bsd_nvme.h"
#include "xnvme_be_freebsd.h"
#include "xnvme_be_common.h"

#define FREEBSD_PATH_LEN 300

/* The controller node of an NVMe node into @p ctrl_path; -ENODEV when the node is not NVMe */
static int
freebsd_nvme_ident(int fd, const char *uri, char *ctrl_path, uint32_t *nsid)
{
	struct bsd_nvme_get_nsid gnsid;
	struct bsd_node node;

	memset(&gnsid, 0, sizeof(gnsid));
	if (!ioctl(fd, BSD_NVME_GET_NSID, &gnsid)) {
		*nsid = gnsid.nsid;
		return bsd_nvme_ctrl_path(&gnsid, ctrl_path, FREEBSD_PATH_LEN);
	}
	/* A controller node that does not answer it is still known by its name */
	bsd_node_parse(uri, &node);
	if (node.kind == BSD_NODE_NVME_CTRLR) {
		*nsid = 0;
		snprintf(ctrl_path, FREEBSD_PATH_LEN, "/dev/nvme%u", node.ctrlr);
		return 0;
	}
	return -ENODEV;
}

/*
 * A controller node sends admin commands only: I/O goes to the namespace's own node, opened in
 * its place as dev->fd when it exists (else the device takes no passthrough I/O: io_nsid 0)
 */
static void
freebsd_open_ctrlr_ns(struct xnvme_dev *dev, const char *ctrl_path,
		      struct xnvme_be_freebsd_state *state)
{
	char path[FREEBSD_PATH_LEN + 16];
	int fd;

	snprintf(path, sizeof(path), "%sns%u", ctrl_path, dev->ident.nsid);
	fd = open(path, xnvme_be_common_open_flags(&dev->opts, 1));
	if (fd >= 0) {
		close(dev->fd);
		dev->fd = fd;
		state->io_nsid = dev->ident.nsid;
	}
}

static int
freebsd_open_nvme(struct xnvme_dev *dev, const char *ctrl_path, uint32_t nsid,
		  struct xnvme_be_freebsd_state *state, struct xnvme_be_defaults *dflt)
{
	struct bsd_node node;
	uint64_t max_xfer = 0;

	dflt->admin = "nvme";
	dev->ident.csi = XNVME_SPEC_CSI_NOCHECK; /* learned from identify at open */
	if (!nsid) {
		dev->ident.dtype = XNVME_DEV_TYPE_NVME_CONTROLLER;
		dev->ident.nsid = dev->ident.nsid ? dev->ident.nsid : 1;
		freebsd_open_ctrlr_ns(dev, ctrl_path, state);
		dflt->sync = "nvme";
		dflt->async = "emu";
	} else {
		if (dev->ident.nsid && dev->ident.nsid != nsid) {
			xnvme_be_open_err_add("freebsd", "--nsid differs from the namespace node's",
					      -EINVAL);
			return -EINVAL;
		}
		dev->ident.dtype = XNVME_DEV_TYPE_NVME_NAMESPACE;
		dev->ident.nsid = nsid;
		state->io_nsid = nsid;
		/* nvmeXnsY is nvme(4)'s own node; an nvd or nda disk is read like any disk */
		bsd_node_parse(dev->ident.uri, &node);
		dflt->sync = node.kind == BSD_NODE_NVME_NS ? "nvme" : "psync";
		dflt->async = "kqueue";
	}
	if (!ioctl(dev->fd, BSD_NVME_GET_MAX_XFER_SIZE, &max_xfer)) {
		dev->be_max_xfer_nbytes = max_xfer;
	}
	return xnvme_ctrl_open(dev, &xnvme_be_freebsd_ctrl, strrchr(ctrl_path, '/') + 1, ctrl_path);
}

/* A character device: NVMe, another disk, or refused */
static int
freebsd_open_chr(struct xnvme_dev *dev, struct xnvme_be_freebsd_state *state,
		 struct xnvme_be_defaults *dflt)
{
	char ctrl_path[FREEBSD_PATH_LEN];
	uint64_t nbytes;
	uint32_t lba_nbytes, nsid = 0;
	int err;

	dev->opts.direct = 1; /* whole sectors at sector offsets: the library checks each command */
	err = freebsd_nvme_ident(dev->fd, dev->ident.uri, ctrl_path, &nsid);
	if (!err) {
		return freebsd_open_nvme(dev, ctrl_path, nsid, state, dflt);
	}
	if (err != -ENODEV) {
		xnvme_be_open_err_add("freebsd", "NVME_GET_NSID's answer names no controller", err);
		return err;
	}
	if (xnvme_be_freebsd_disk_fd_ops.blk_size(dev->fd, &nbytes, &lba_nbytes)) {
		xnvme_be_open_err_add(
		    "freebsd", "a character device that is neither NVMe nor a disk", -EINVAL);
		return -EINVAL;
	}
	if (dev->ident.nsid > 1) {
		xnvme_be_open_err_add("freebsd", "a disk has only namespace 1", -ENXIO);
		return -ENXIO;
	}
	dev->fd_ops = &xnvme_be_freebsd_disk_fd_ops;
	dev->ident.dtype = XNVME_DEV_TYPE_BLOCK_DEVICE;
	dev->ident.nsid = 1;
	dev->ident.csi = XNVME_SPEC_CSI_NVM;
	dflt->admin = "block";
	dflt->sync = "block";
	dflt->async = "kqueue";
	return xnvme_ctrl_open(dev, NULL, NULL, NULL);
}

static void
freebsd_dev_close(struct xnvme_dev *dev)
{
	if (dev->fd >= 0) {
		close(dev->fd);
		dev->fd = -1;
	}
	free(dev->be_state);
	dev->be_state = NULL;
}

static int
freebsd_dev_open(struct xnvme_dev *dev, struct xnvme_be_defaults *dflt)
{
	struct xnvme_be_freebsd_state *state;
	struct stat st;
	int err, fd, chr;

	if (!xnvme_be_common_is_path(dev->ident.uri, dev->opts.create, &st, &err)) {
		return -ENODEV;
	}
	if (err && !(err == -ENOENT && dev->opts.create)) {
		return err;
	}
	if (!err && !S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
		return -EINVAL;
	}
	chr = !err && S_ISCHR(st.st_mode);
	if (!chr && dev->ident.nsid > 1) {
		xnvme_be_open_err_add("freebsd", "a file has only namespace 1", -ENXIO);
		return -ENXIO;
	}
	state = calloc(1, sizeof(*state));
	if (!state) {
		return -ENOMEM;
	}
	fd = open(dev->ident.uri, xnvme_be_common_open_flags(&dev->opts, chr),
		  dev->opts.create_mode ? dev->opts.create_mode : 0600);
	if (fd < 0 || fstat(fd, &st)) {
		err = -errno;
		if (fd >= 0) {
			close(fd);
		}
		free(state);
		return err;
	}
	dev->fd = fd;
	dev->be_state = state;
	dflt->mem = "posix";
	if (S_ISCHR(st.st_mode)) {
		err = freebsd_open_chr(dev, state, dflt);
	} else {
		dev->ident.dtype = XNVME_DEV_TYPE_FS_FILE;
		dev->ident.nsid = 1;
		dev->ident.csi = XNVME_SPEC_CSI_NVM;
		dev->be_file_nbytes = (uint64_t)st.st_size;
		dflt->admin = "file_as_ns";
		dflt->sync = "psync";
		dflt->async = "emu";
		err = xnvme_ctrl_open(dev, NULL, NULL, NULL);
	}
	if (err) { /* xnvme_ctrl_open() is the last step: nothing of it to undo */
		freebsd_dev_close(dev);
	}
	return err;
}

const struct xnvme_be_dev_ops xnvme_be_freebsd_dev = {
    .id = "freebsd",
    .descr = "paths: files, disks, nvme(4) controller and namespace nodes; /dev enumeration",
    .dev_open = freebsd_dev_open,
    .dev_close = freebsd_dev_close,
    .enumerate = xnvme_be_freebsd_enumerate,
};
