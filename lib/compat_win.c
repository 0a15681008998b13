/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX's positioned and vectored file I/O on Windows, for the portable interfaces
 * (lib/be/common): a C runtime descriptor's handle (_get_osfhandle) read and written at an offset
 * given in an OVERLAPPED, which is how Windows does positioned I/O. Handles the Windows backend
 * opens are overlapped (so that the iocp interface can use them): a synchronous call then waits
 * on an event of its own, whose low bit set keeps the completion off any I/O completion port
 * the handle is bound to.
 */
#include <errno.h>
#include <io.h>
#include <string.h>
#include <windows.h>
#include "xnvme_compat.h"
#include "xnvme_errno_text.h"

#undef strerror
const char *
xnvme_compat_strerror(int errnum)
{
	for (size_t i = 0; i < sizeof(xnvme_errno_text) / sizeof(xnvme_errno_text[0]); ++i) {
		if (xnvme_errno_text[i].errnum == errnum) {
			return xnvme_errno_text[i].text;
		}
	}
	return strerror(errnum);
}

int
xnvme_compat_errno(unsigned long winerr)
{
	switch (winerr) {
	case ERROR_SUCCESS:
		return 0;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_PATHNAME:
		return ENOENT;
	case ERROR_ACCESS_DENIED:
	case ERROR_WRITE_PROTECT:
	case ERROR_PRIVILEGE_NOT_HELD:
		return EACCES;
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
	case ERROR_BUSY:
		return EBUSY;
	case ERROR_INVALID_HANDLE:
		return EBADF;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
	case ERROR_NO_SYSTEM_RESOURCES:
		return ENOMEM;
	case ERROR_INVALID_PARAMETER:
	case ERROR_INVALID_FUNCTION:
	case ERROR_NEGATIVE_SEEK:
	case ERROR_INVALID_USER_BUFFER:
		return EINVAL;
	case ERROR_HANDLE_EOF:
		return ENODATA;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		return ENOSPC;
	case ERROR_NOT_SUPPORTED:
	case ERROR_CALL_NOT_IMPLEMENTED:
		return ENOTSUP;
	case ERROR_OPERATION_ABORTED:
		return ECANCELED;
	case ERROR_SEM_TIMEOUT:
	case WAIT_TIMEOUT:
		return ETIMEDOUT;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
		return EEXIST;
	case ERROR_DIRECTORY:
		return EISDIR;
	case ERROR_TOO_MANY_OPEN_FILES:
		return EMFILE;
	case ERROR_FILENAME_EXCED_RANGE:
		return ENAMETOOLONG;
	default:
		return EIO;
	}
}

/* In front of each aligned block: where its allocation starts and how much of it the caller asked
 */
struct compat_block_head {
	void *base;
	size_t nbytes;
};

int
xnvme_compat_memalign(void **ptr, size_t alignment, size_t nbytes)
{
	size_t head = sizeof(struct compat_block_head);
	uintptr_t addr;
	void *base;

	if (!alignment || (alignment & (alignment - 1)) || nbytes > SIZE_MAX - alignment - head) {
		return EINVAL;
	}
	base = malloc(nbytes + alignment + head);
	if (!base) {
		return ENOMEM;
	}
	addr = ((uintptr_t)base + head + alignment - 1) & ~(uintptr_t)(alignment - 1);
	((struct compat_block_head *)addr)[-1] = (struct compat_block_head){base, nbytes};
	*ptr = (void *)addr;
	return 0;
}

void
xnvme_compat_memalign_free(void *ptr)
{
	if (ptr) {
		free(((struct compat_block_head *)ptr)[-1].base);
	}
}

size_t
xnvme_compat_memalign_size(void *ptr, size_t alignment)
{
	(void)alignment;
	return ((struct compat_block_head *)ptr)[-1].nbytes;
}

long
xnvme_compat_pagesize(void)
{
	SYSTEM_INFO si;

	GetSystemInfo(&si);
	return (long)si.dwPageSize;
}

uint64_t
xnvme_compat_avail_memory(void)
{
	MEMORYSTATUSEX ms = {.dwLength = sizeof(ms)};

	return GlobalMemoryStatusEx(&ms) ? ms.ullAvailPhys : 0;
}

/* One event per thread, made on first use and kept: positioned I/O costs no handle per call */
static HANDLE
compat_thread_event(void)
{
	static _Thread_local HANDLE event;

	if (!event) {
		event = CreateEventW(NULL, TRUE, FALSE, NULL);
	}
	return event;
}

/*
 * One ReadFile/WriteFile at off, waited for. Returns the bytes moved (0 at the end of a file) or -1
 * with errno set, as pread/pwrite do. A transfer is at most 4 GiB - 1 per call (a DWORD): a larger
 * one moves that much and reports so, and the caller goes on as after any short transfer.
 */
static ssize_t
compat_xfer(int fd, int write, void *buf, size_t nbytes, off_t off)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	HANDLE event = compat_thread_event();
	OVERLAPPED ov = {0};
	DWORD len = nbytes > 0xFFFFF000u ? 0xFFFFF000u : (DWORD)nbytes;
	DWORD done = 0;
	BOOL ok;

	if (h == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	if (!event) {
		errno = ENOMEM;
		return -1;
	}
	ov.Offset = (DWORD)((uint64_t)off & 0xFFFFFFFFu);
	ov.OffsetHigh = (DWORD)((uint64_t)off >> 32);
	ov.hEvent = (HANDLE)((uintptr_t)event | 1);
	ok = write ? WriteFile(h, buf, len, &done, &ov) : ReadFile(h, buf, len, &done, &ov);
	if (!ok && GetLastError() == ERROR_IO_PENDING) {
		ok = GetOverlappedResult(h, &ov, &done, TRUE);
	}
	if (!ok) {
		DWORD winerr = GetLastError();

		if (!write && winerr == ERROR_HANDLE_EOF) {
			return 0;
		}
		errno = xnvme_compat_errno(winerr);
		return -1;
	}
	return (ssize_t)done;
}

int
xnvme_compat_ioctl(int fd, unsigned long code, void *in, size_t in_len, void *out, size_t out_len,
		   size_t *nret)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	HANDLE event = compat_thread_event();
	OVERLAPPED ov = {0};
	DWORD done = 0;
	BOOL ok;

	*nret = 0;
	if (h == INVALID_HANDLE_VALUE) {
		return -EBADF;
	}
	if (in_len > UINT32_MAX || out_len > UINT32_MAX) {
		return -EINVAL;
	}
	if (!event) {
		return -ENOMEM;
	}
	ov.hEvent = (HANDLE)((uintptr_t)event | 1);
	ok = DeviceIoControl(h, (DWORD)code, in, (DWORD)in_len, out, (DWORD)out_len, &done, &ov);
	if (!ok && GetLastError() == ERROR_IO_PENDING) {
		ok = GetOverlappedResult(h, &ov, &done, TRUE);
	}
	if (!ok) {
		return -xnvme_compat_errno(GetLastError());
	}
	*nret = done;
	return 0;
}

ssize_t
pread(int fd, void *buf, size_t nbytes, off_t off)
{
	return compat_xfer(fd, 0, buf, nbytes, off);
}

ssize_t
pwrite(int fd, const void *buf, size_t nbytes, off_t off)
{
	return compat_xfer(fd, 1, (void *)buf, nbytes, off);
}

/*
 * Windows' scatter/gather file I/O (ReadFileScatter) takes whole pages only: the pieces go one
 * call each, stopping at the first short one, as a short preadv would.
 */
static ssize_t
compat_xferv(int fd, int write, const struct iovec *iov, int iovcnt, off_t off)
{
	ssize_t total = 0;

	if (iovcnt < 0 || iovcnt > IOV_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (int i = 0; i < iovcnt; ++i) {
		ssize_t res = compat_xfer(fd, write, iov[i].iov_base, iov[i].iov_len, off + total);

		if (res < 0) {
			return total ? total : -1;
		}
		total += res;
		if ((size_t)res < iov[i].iov_len) {
			break;
		}
	}
	return total;
}

ssize_t
preadv(int fd, const struct iovec *iov, int iovcnt, off_t off)
{
	return compat_xferv(fd, 0, iov, iovcnt, off);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int iovcnt, off_t off)
{
	return compat_xferv(fd, 1, iov, iovcnt, off);
}

int
fdatasync(int fd)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);

	if (h == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	if (!FlushFileBuffers(h)) {
		errno = xnvme_compat_errno(GetLastError());
		return -1;
	}
	return 0;
}
