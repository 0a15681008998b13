/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Windows device handling: claims paths, which are either in the device namespace (\\.\C: a
 * volume, \\.\PhysicalDrive0 a disk) or files (C:\path, relative paths; under Wine also Unix
 * paths), opens them with CreateFileW and hands the handle to the C runtime as a descriptor
 * (dev->fd), so the portable interfaces (lib/be/common) work on it through compat_win.c. Every
 * handle is overlapped: the iocp interfaces need that (each queue binds a handle of its own,
 * xnvme_be_windows_reopen, to its completion port), and compat_win.c waits for the others. The
 * default async interface is iocp (docs/backends.md, Windows, says why).
 *
 * A disk or volume is read and written in whole sectors at sector-aligned addresses whether or
 * not the options ask for direct I/O, so the library checks that on every command (direct is
 * set); a file is unbuffered (FILE_FLAG_NO_BUFFERING) when direct is asked. Windows does not
 * check alignment in every case (Wine does not at all), so the check is the library's.
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>
#include "xnvme_dev.h"
#include "xnvme_be_windows.h"

/* A path in the device namespace: \\.\NAME (or //./NAME, which Windows takes the same) */
static int
win_is_device_path(const char *uri)
{
	return (uri[0] == '\\' || uri[0] == '/') && (uri[1] == '\\' || uri[1] == '/') &&
	       uri[2] == '.' && (uri[3] == '\\' || uri[3] == '/') && uri[4];
}

/*
 * Whether the windows backend takes @p uri, as the linux backend decides: a path (a separator or
 * a drive letter), a name that exists, or a new file's name when asked to create it; a bare word
 * that names nothing is left to other backends (and is then nobody's: ENXIO).
 */
static int
win_is_path(const char *uri, const wchar_t *wide, int create)
{
	if (strchr(uri, '/') || strchr(uri, '\\') || (uri[0] && uri[1] == ':')) {
		return 1;
	}
	return create || GetFileAttributesW(wide) != INVALID_FILE_ATTRIBUTES;
}

/* The identifier as UTF-16, which CreateFileW takes; NULL when it is not valid UTF-8 */
static wchar_t *
win_wide_path(const char *uri)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, uri, -1, NULL, 0);
	wchar_t *wide;

	if (n <= 0) {
		return NULL;
	}
	wide = malloc((size_t)n * sizeof(*wide));
	if (wide && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, uri, -1, wide, n) != n) {
		free(wide);
		return NULL;
	}
	return wide;
}

/* What a disk or volume tells of its size (the storage stack's IOCTLs) */
static int
win_blk_size(int fd, uint64_t *nbytes, uint32_t *lba_nbytes)
{
	GET_LENGTH_INFORMATION len;
	DISK_GEOMETRY geo;
	size_t got;
	int err;

	err = xnvme_compat_ioctl(fd, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &len, sizeof(len), &got);
	if (!err && got < sizeof(len)) {
		err = -EIO;
	}
	if (!err) {
		err = xnvme_compat_ioctl(fd, IOCTL_DISK_GET_DRIVE_GEOMETRY, NULL, 0, &geo,
					 sizeof(geo), &got);
	}
	if (!err && got < sizeof(geo)) {
		err = -EIO;
	}
	if (err) {
		return err;
	}
	if (len.Length.QuadPart < 0 || !geo.BytesPerSector) {
		return -EIO;
	}
	*nbytes = (uint64_t)len.Length.QuadPart;
	*lba_nbytes = geo.BytesPerSector;
	return 0;
}

static const struct xnvme_be_fd_ops win_disk_fd_ops = {
    .blk_size = win_blk_size,
};

/*
 * The access and flags a handle on @p dev is opened with: the options' (read-only, write-only),
 * overlapped always, unbuffered when a file is opened for direct I/O (a disk or volume is
 * unbuffered by nature). Without FILE_ATTRIBUTE_NORMAL, which ReOpenFile does not take.
 */
static void
win_access_flags(const struct xnvme_dev *dev, int device, DWORD *access, DWORD *flags)
{
	const struct xnvme_opts *opts = &dev->opts;

	*access = GENERIC_READ | GENERIC_WRITE;
	if (opts->rdonly) {
		*access = GENERIC_READ;
	} else if (opts->wronly) {
		*access = GENERIC_WRITE;
	}
	*flags = FILE_FLAG_OVERLAPPED;
	if (!device && opts->direct) {
		*flags |= FILE_FLAG_NO_BUFFERING;
	}
}

static HANDLE
win_create(const struct xnvme_dev *dev, const wchar_t *path, int device)
{
	const struct xnvme_opts *opts = &dev->opts;
	DWORD access, flags, disposition = OPEN_EXISTING;
	HANDLE h;

	win_access_flags(dev, device, &access, &flags);
	if (!device) {
		if (opts->create) {
			disposition = opts->truncate ? CREATE_ALWAYS : OPEN_ALWAYS;
		} else if (opts->truncate) {
			disposition = TRUNCATE_EXISTING;
		}
	}
	h = CreateFileW(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, disposition,
			flags | FILE_ATTRIBUTE_NORMAL, NULL);
	return h;
}

HANDLE
xnvme_be_windows_reopen(const struct xnvme_dev *dev)
{
	int device = dev->ident.dtype != XNVME_DEV_TYPE_FS_FILE;
	DWORD access, flags;

	win_access_flags(dev, device, &access, &flags);
	return ReOpenFile((HANDLE)_get_osfhandle(dev->fd), access,
			  FILE_SHARE_READ | FILE_SHARE_WRITE, flags);
}

static int
win_dev_open(struct xnvme_dev *dev, struct xnvme_be_defaults *dflt)
{
	int device = win_is_device_path(dev->ident.uri);
	LARGE_INTEGER size = {0};
	wchar_t *wide;
	HANDLE h;
	int fd, err;

	if (strstr(dev->ident.uri, "://")) {
		return -ENODEV; /* a URL is another backend's */
	}
	if (dev->ident.nsid > 1) {
		xnvme_be_open_err_add("windows", "a file, disk or volume has only namespace 1",
				      -ENXIO);
		return -ENXIO;
	}
	wide = win_wide_path(dev->ident.uri);
	if (!wide) {
		xnvme_be_open_err_add("windows", "the identifier is not valid UTF-8", -EINVAL);
		return -EINVAL;
	}
	if (!device && !win_is_path(dev->ident.uri, wide, dev->opts.create)) {
		free(wide);
		return -ENODEV;
	}
	h = win_create(dev, wide, device);
	free(wide);
	if (h == INVALID_HANDLE_VALUE) {
		err = -xnvme_compat_errno(GetLastError());
		xnvme_be_open_err_add("windows", "CreateFileW failed", err);
		return err;
	}
	if (!device && GetFileType(h) != FILE_TYPE_DISK) {
		CloseHandle(h);
		xnvme_be_open_err_add("windows", "neither a file nor a disk or volume", -EINVAL);
		return -EINVAL;
	}
	if (!device && !GetFileSizeEx(h, &size)) {
		err = -xnvme_compat_errno(GetLastError());
		CloseHandle(h);
		xnvme_be_open_err_add("windows", "GetFileSizeEx failed", err);
		return err;
	}
	if (device && GetFileType(h) != FILE_TYPE_DISK) {
		/* Wine opens \\.\ names but serves no disk behind them */
		CloseHandle(h);
		xnvme_be_open_err_add(
		    "windows", "the system serves no disk or volume under this name", -ENOTSUP);
		return -ENOTSUP;
	}
	fd = _open_osfhandle((intptr_t)h, (dev->opts.rdonly ? _O_RDONLY : 0) | _O_BINARY);
	if (fd < 0) {
		CloseHandle(h);
		xnvme_be_open_err_add("windows", "no C runtime descriptor for the handle", -EMFILE);
		return -EMFILE;
	}
	dev->fd = fd;
	dev->ident.nsid = 1;
	dev->ident.csi = XNVME_SPEC_CSI_NVM;
	dflt->sync = "file";
	dflt->async = "iocp";
	dflt->mem = "posix";
	if (device) {
		dev->ident.dtype = XNVME_DEV_TYPE_BLOCK_DEVICE;
		dev->fd_ops = &win_disk_fd_ops;
		dev->opts.direct = 1; /* sectors, aligned: the storage stack takes nothing else */
		dflt->admin = xnvme_be_windows_is_nvme(fd) ? "nvme" : "block";
	} else {
		dev->ident.dtype = XNVME_DEV_TYPE_FS_FILE;
		dev->be_file_nbytes = (uint64_t)size.QuadPart;
		dflt->admin = "file_as_ns";
	}
	return 0;
}

static void
win_dev_close(struct xnvme_dev *dev)
{
	if (dev->fd >= 0) {
		_close(dev->fd); /* closes the handle too */
		dev->fd = -1;
	}
}

const struct xnvme_be_dev_ops xnvme_be_windows_dev = {
    .id = "windows",
    .descr = "paths: files, disks (\\\\.\\PhysicalDriveN) and volumes (\\\\.\\C:)",
    .dev_open = win_dev_open,
    .dev_close = win_dev_close,
};
