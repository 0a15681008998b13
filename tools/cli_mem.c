/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output collected in memory before it is printed: a stream (cli_mem_open/cli_mem_close) and a
 * file descriptor stdout can be pointed at (cli_mem_fd). POSIX has open_memstream and Linux
 * memfd_create; Windows has neither, and gets a temporary file that is deleted when closed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#else
#include <sys/mman.h>
#endif
#include "cli.h"

#ifdef _WIN32
/* A file in the user's temporary folder, removed by the system when its last descriptor closes */
static int
cli_mem_tmpfd(void)
{
	char dir[MAX_PATH + 1], path[MAX_PATH + 1];
	int fd;

	if (!GetTempPathA(sizeof(dir), dir) || !GetTempFileNameA(dir, "xnv", 0, path)) {
		errno = EIO;
		return -1;
	}
	fd = _open(path, _O_RDWR | _O_BINARY | _O_TEMPORARY | _O_NOINHERIT);
	if (fd < 0) {
		remove(path);
	}
	return fd;
}

FILE *
cli_mem_open(struct cli_mem *mem)
{
	int fd = cli_mem_tmpfd();

	mem->stream = fd < 0 ? NULL : _fdopen(fd, "w+b");
	if (!mem->stream && fd >= 0) {
		_close(fd);
	}
	return mem->stream;
}

int
cli_mem_close(struct cli_mem *mem, char **buf, size_t *nbytes)
{
	FILE *stream = mem->stream;
	long len;
	int err = 0;

	*buf = NULL;
	*nbytes = 0;
	if (fflush(stream) || fseek(stream, 0, SEEK_END) || (len = ftell(stream)) < 0 ||
	    fseek(stream, 0, SEEK_SET)) {
		err = -EIO;
	} else if (!(*buf = malloc((size_t)len + 1))) {
		err = -ENOMEM;
	} else if (fread(*buf, 1, (size_t)len, stream) != (size_t)len) {
		err = -EIO;
	} else {
		(*buf)[len] = '\0';
		*nbytes = (size_t)len;
	}
	if (fclose(stream) && !err) {
		err = -EIO;
	}
	if (err) {
		free(*buf);
		*buf = NULL;
		*nbytes = 0;
	}
	return err;
}

int
cli_mem_fd(void)
{
	return cli_mem_tmpfd();
}
#else
FILE *
cli_mem_open(struct cli_mem *mem)
{
	mem->buf = NULL;
	mem->nbytes = 0;
	mem->stream = open_memstream(&mem->buf, &mem->nbytes);
	return mem->stream;
}

int
cli_mem_close(struct cli_mem *mem, char **buf, size_t *nbytes)
{
	int err = fclose(mem->stream) ? -ENOMEM : 0;

	*buf = err ? NULL : mem->buf;
	*nbytes = err ? 0 : mem->nbytes;
	if (err) {
		free(mem->buf);
	}
	return err;
}

int
cli_mem_fd(void)
{
	return memfd_create("xnvme-cli", MFD_CLOEXEC);
}
#endif
