/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What FreeBSD's disk layer offers on a disk's descriptor beyond POSIX (xnvme_be_fd_ops): its
 * size and sector size (DIOCGMEDIASIZE, DIOCGSECTORSIZE), checked by bsd_disk_geometry(). No
 * zeroing and no discard hook: FreeBSD has no zeroing ioctl, and DIOCGDELETE does not promise
 * that a deleted range reads as zeroes (what deallocation promises here), so the portable code
 * writes zeroes for both. Regular files get no table either (FreeBSD 13 has no hole punching;
 * fspacectl(2) came in 14.0).
 */
#include <errno.h>
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/disk.h>
#include "bsd_nvme.h"
#include "xnvme_be_freebsd.h"

static int
freebsd_disk_size(int fd, uint64_t *nbytes, uint32_t *lba_nbytes)
{
	off_t media = 0;
	u_int sector = 0;

	if (ioctl(fd, DIOCGMEDIASIZE, &media) || ioctl(fd, DIOCGSECTORSIZE, &sector)) {
		return -errno;
	}
	return bsd_disk_geometry((int64_t)media, (uint32_t)sector, nbytes, lba_nbytes);
}

const struct xnvme_be_fd_ops xnvme_be_freebsd_disk_fd_ops = {
    .blk_size = freebsd_disk_size,
};
