/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What Linux offers on a file descriptor beyond POSIX, for the portable interfaces of
 * lib/be/common (xnvme_be_fd_ops): a block device zeroes, discards and tells its size by ioctl
 * (BLKZEROOUT, BLKDISCARD, BLKGETSIZE64, BLKSSZGET); a file zeroes and punches holes by
 * fallocate(). The device open picks the table by what the descriptor is.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include "xnvme_be_linux.h"

static int
linux_blk_zero_range(int fd, uint64_t off, uint64_t nbytes)
{
	uint64_t range[2] = {off, nbytes};

	return ioctl(fd, BLKZEROOUT, range) ? -errno : 0;
}

static int
linux_blk_discard(int fd, uint64_t off, uint64_t nbytes)
{
	uint64_t range[2] = {off, nbytes};

	return ioctl(fd, BLKDISCARD, range) ? -errno : 0;
}

static int
linux_blk_size(int fd, uint64_t *nbytes, uint32_t *lba_nbytes)
{
	int ssz = 0;

	if (ioctl(fd, BLKGETSIZE64, nbytes) || ioctl(fd, BLKSSZGET, &ssz)) {
		return -errno;
	}
	*lba_nbytes = (uint32_t)ssz;
	return 0;
}

/* KEEP_SIZE: a namespace does not grow because a range past its end was zeroed */
static int
linux_file_zero_range(int fd, uint64_t off, uint64_t nbytes)
{
	return fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)nbytes)
		   ? -errno
		   : 0;
}

static int
linux_file_discard(int fd, uint64_t off, uint64_t nbytes)
{
	return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)nbytes)
		   ? -errno
		   : 0;
}

static const struct xnvme_be_fd_ops linux_fd_blk = {
    .zero_range = linux_blk_zero_range,
    .discard = linux_blk_discard,
    .blk_size = linux_blk_size,
};

static const struct xnvme_be_fd_ops linux_fd_file = {
    .zero_range = linux_file_zero_range,
    .discard = linux_file_discard,
};

const struct xnvme_be_fd_ops *
xnvme_be_linux_fd_ops(mode_t mode)
{
	return S_ISBLK(mode) ? &linux_fd_blk : &linux_fd_file;
}
