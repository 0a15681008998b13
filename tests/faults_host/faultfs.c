/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A FUSE file system of one file, /disk, held in memory, that fails I/O where told: the host's
 * way to give the library real EIO from the kernel without device-mapper.
 *
 * usage: faultfs MOUNTPOINT SIZE WFAIL RFAIL FSYNC_EIO [DELAY_US]
 *   SIZE       bytes /disk holds at most, and its size at the start (a truncate sets it lower or
 *              back up to SIZE; writes past its end extend it up to SIZE, then ENOSPC)
 *   WFAIL      writes from this byte offset on fail with EIO; a write that starts before it moves
 *              the bytes before it and reports that short count (as a disk does that fails part
 *              of a request); the kernel then tells the writer EIO on the rest
 *   RFAIL      the same for reads
 *   FSYNC_EIO  1: fsync and fdatasync fail with EIO (a lost write-back), 0: they succeed
 *   DELAY_US   each read and write takes this long (a slow device: signals land mid-I/O)
 * It runs in the foreground, single-threaded, until unmounted (umount MOUNTPOINT).
 *
 * Every open is direct I/O (no page cache): each read and write reaches this process with the
 * caller's offset and length, and the count returned here is the count the caller's call gets.
 * statfs reports plenty of free space, so a short write here cannot be taken for a full disk.
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static struct {
	uint8_t *data;
	uint64_t cap, size, wfail, rfail;
	int fsync_eio;
	useconds_t delay_us;
} g;

static const char *disk = "/disk";

static int
ffs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (!strcmp(path, "/")) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, disk)) {
		return -ENOENT;
	}
	st->st_mode = S_IFREG | 0644;
	st->st_nlink = 1;
	st->st_size = (off_t)g.size;
	st->st_blocks = (blkcnt_t)(g.size / 512);
	return 0;
}

static int
ffs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
	    enum fuse_readdir_flags flags)
{
	(void)off, (void)fi, (void)flags;
	if (strcmp(path, "/")) {
		return -ENOENT;
	}
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, disk + 1, NULL, 0, 0);
	return 0;
}

static int ffs_truncate(const char *path, off_t size, struct fuse_file_info *fi);

static int
ffs_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, disk)) {
		return -ENOENT;
	}
	fi->direct_io = 1;
	if (fi->flags & O_TRUNC) {
		return ffs_truncate(path, 0, fi);
	}
	return 0;
}

/* The bytes of [off, off + len) that move before the fault at @p fail, or -EIO/-ENOSPC */
static long
ffs_span(uint64_t off, size_t len, uint64_t fail, int write)
{
	uint64_t end = off + len;

	if (off >= fail) {
		return -EIO;
	}
	if (end > (write ? g.cap : g.size)) {
		end = write ? g.cap : g.size;
	}
	if (end > fail) {
		end = fail;
	}
	if (off >= end) {
		return write ? -ENOSPC : 0;
	}
	return (long)(end - off);
}

static int
ffs_read(const char *path, char *buf, size_t len, off_t off, struct fuse_file_info *fi)
{
	long n = ffs_span((uint64_t)off, len, g.rfail, 0);

	(void)path, (void)fi;
	usleep(g.delay_us);
	if (n > 0) {
		memcpy(buf, g.data + off, (size_t)n);
	}
	return (int)n;
}

static int
ffs_write(const char *path, const char *buf, size_t len, off_t off, struct fuse_file_info *fi)
{
	long n = ffs_span((uint64_t)off, len, g.wfail, 1);

	(void)path, (void)fi;
	usleep(g.delay_us);
	if (n > 0) {
		memcpy(g.data + off, buf, (size_t)n);
		if ((uint64_t)off + (uint64_t)n > g.size) {
			g.size = (uint64_t)off + (uint64_t)n;
		}
	}
	return (int)n;
}

static int
ffs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)path, (void)fi;
	if ((uint64_t)size > g.cap) {
		return -EFBIG;
	}
	if ((uint64_t)size < g.size) {
		memset(g.data + size, 0, g.size - (uint64_t)size);
	}
	g.size = (uint64_t)size;
	return 0;
}

static int
ffs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path, (void)datasync, (void)fi;
	return g.fsync_eio ? -EIO : 0;
}

static int
ffs_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	memset(st, 0, sizeof(*st));
	st->f_bsize = st->f_frsize = 4096;
	st->f_blocks = st->f_bfree = st->f_bavail = 1u << 20; /* 4 GiB free: never "full" */
	st->f_namemax = 255;
	return 0;
}

static const struct fuse_operations ffs_ops = {
    .getattr = ffs_getattr,
    .readdir = ffs_readdir,
    .open = ffs_open,
    .read = ffs_read,
    .write = ffs_write,
    .truncate = ffs_truncate,
    .fsync = ffs_fsync,
    .statfs = ffs_statfs,
};

int
main(int argc, char **argv)
{
	char *fargv[] = {argv[0], "-f", "-s", "-o", "default_permissions", argv[1], NULL};

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: %s MOUNTPOINT SIZE WFAIL RFAIL FSYNC_EIO [DELAY_US]\n",
			argv[0]);
		return 2;
	}
	g.cap = g.size = strtoull(argv[2], NULL, 0);
	g.delay_us = argc == 7 ? (useconds_t)strtoul(argv[6], NULL, 0) : 0;
	g.wfail = strtoull(argv[3], NULL, 0);
	g.rfail = strtoull(argv[4], NULL, 0);
	g.fsync_eio = atoi(argv[5]);
	g.data = calloc(1, g.size ? g.size : 1);
	if (!g.data) {
		return 1;
	}
	return fuse_main(6, fargv, &ffs_ops, NULL);
}
