/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: the few POSIX calls the library makes that Windows (mingw-w64) lacks. Where Windows
 * can do what the POSIX call does, it is declared here under POSIX's own name and written in
 * compat_win.c (pread, pwrite, preadv, pwritev, fdatasync on a C runtime descriptor), so the
 * portable code (lib/be/common) stays one copy. Where the two systems differ in how memory is
 * freed or sized, the library calls xnvme_compat_* on every system.
 */
#ifndef __XNVME_COMPAT_H
#define __XNVME_COMPAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <libxnvme_util.h>

#ifdef _WIN32
#include <errno.h>
#include <io.h>
#include <malloc.h>
#include <string.h> /* before strerror is redefined below */
#else
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <unistd.h>
#endif

#pragma GCC visibility push(hidden)

#include <errno.h>
#ifndef ENODATA
/*
 * FreeBSD has no ENODATA: where the library fails with it elsewhere (a read past the end of a
 * file, libxnvme_file.h; an empty line) it fails with EIO there, the error of a read that cannot
 * be done
 */
#define ENODATA EIO
#endif

#ifdef _WIN32
/* Windows has no limit of its own: the vectored commands take this many pieces, as Linux does */
#define IOV_MAX 1024
/* There is no EDQUOT: Windows reports a quota as a full disk */
#define EDQUOT ENOSPC

ssize_t pread(int fd, void *buf, size_t nbytes, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t nbytes, off_t off);
ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t off);
ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t off);
/** FlushFileBuffers: data and metadata (Windows has no data-only flush) */
int fdatasync(int fd);

/**
 * DeviceIoControl on a C runtime descriptor's handle, waited for (the handles the backend opens
 * are overlapped). Returns 0 with *@p nret the bytes written to @p out, or a negative errno.
 */
int xnvme_compat_ioctl(int fd, unsigned long code, void *in, size_t in_len, void *out,
		       size_t out_len, size_t *nret);

/*
 * The C runtime's strerror knows the errno values up to 42; the others POSIX has (ENOTSUP,
 * ETIMEDOUT, ENODATA, ...) are mingw-w64's numbers, which it calls "Unknown error"
 */
const char *xnvme_compat_strerror(int errnum);
#define strerror(errnum) xnvme_compat_strerror(errnum)

/** The errno for a Windows error code (GetLastError()); EIO for one without a closer match */
int xnvme_compat_errno(unsigned long winerr);

/*
 * Aligned memory (compat_win.c): the C runtime's _aligned_malloc cannot tell a block's size
 * (msvcrt has no _aligned_msize), which a reallocation needs; these keep it in front of the block.
 */
int xnvme_compat_memalign(void **ptr, size_t alignment, size_t nbytes);
void xnvme_compat_memalign_free(void *ptr);
size_t xnvme_compat_memalign_size(void *ptr, size_t alignment);

long xnvme_compat_pagesize(void);

/** The machine's free physical memory in bytes; 0 when the system does not tell */
uint64_t xnvme_compat_avail_memory(void);

/** A duplicate of @p fd that a child process does not inherit; -1 with errno set on failure */
static inline int
xnvme_compat_dup_cloexec(int fd)
{
	return _dup(fd); /* the C runtime's descriptors are not inherited unless asked for */
}

#else
static inline int
xnvme_compat_memalign(void **ptr, size_t alignment, size_t nbytes)
{
	return posix_memalign(ptr, alignment, nbytes);
}

static inline void
xnvme_compat_memalign_free(void *ptr)
{
	free(ptr);
}

static inline size_t
xnvme_compat_memalign_size(void *ptr, size_t alignment)
{
	(void)alignment;
	return malloc_usable_size(ptr);
}

static inline long
xnvme_compat_pagesize(void)
{
	return sysconf(_SC_PAGESIZE);
}

static inline uint64_t
xnvme_compat_avail_memory(void)
{
#ifdef _SC_AVPHYS_PAGES
	long pages = sysconf(_SC_AVPHYS_PAGES), psize = sysconf(_SC_PAGESIZE);

	return pages > 0 && psize > 0 ? (uint64_t)pages * (uint64_t)psize : 0;
#else
	return 0;
#endif
}

static inline int
xnvme_compat_dup_cloexec(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}
#endif

#pragma GCC visibility pop

#endif /* __XNVME_COMPAT_H */
