/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "xnvme_dev.h"

void *
xnvme_buf_alloc(const struct xnvme_dev *dev, size_t nbytes)
{
	if (!dev || !nbytes) {
		errno = EINVAL;
		return NULL;
	}
	return dev->mem->buf_alloc(dev, nbytes);
}

void *
xnvme_buf_realloc(const struct xnvme_dev *dev, void *buf, size_t nbytes)
{
	if (!dev || !nbytes) {
		errno = EINVAL;
		return NULL;
	}
	return dev->mem->buf_realloc(dev, buf, nbytes);
}

void
xnvme_buf_free(const struct xnvme_dev *dev, void *buf)
{
	if (dev && buf) {
		dev->mem->buf_free(dev, buf);
	}
}

int
xnvme_buf_vtophys(const struct xnvme_dev *dev, void *buf, uint64_t *phys)
{
	if (!dev || !buf || !phys) {
		return -EINVAL;
	}
	/* Memory of the OS's allocator has no bus address we know: not an invalid argument */
	if (!dev->mem->buf_vtophys) {
		return -ENOSYS;
	}
	return dev->mem->buf_vtophys(dev, buf, phys);
}

void *
xnvme_buf_phys_alloc(const struct xnvme_dev *dev, size_t nbytes, uint64_t *phys)
{
	void *buf = xnvme_buf_alloc(dev, nbytes);

	/* Without a bus address to give (memory of the OS's allocator), phys is left as it was */
	if (buf && phys) {
		xnvme_buf_vtophys(dev, buf, phys);
	}
	return buf;
}

void *
xnvme_buf_phys_realloc(const struct xnvme_dev *dev, void *buf, size_t nbytes, uint64_t *phys)
{
	void *res = xnvme_buf_realloc(dev, buf, nbytes);

	if (res && phys) {
		xnvme_buf_vtophys(dev, res, phys);
	}
	return res;
}

void
xnvme_buf_phys_free(const struct xnvme_dev *dev, void *buf)
{
	xnvme_buf_free(dev, buf);
}

void *
xnvme_buf_virt_alloc(size_t alignment, size_t nbytes)
{
	void *buf;
	int err;

	if (!nbytes || alignment > UINT32_MAX || !xnvme_is_pow2((uint32_t)alignment)) {
		errno = EINVAL;
		return NULL;
	}
	if (alignment < sizeof(void *)) {
		alignment = sizeof(void *);
	}
	err = xnvme_compat_memalign(&buf, alignment, nbytes);
	if (err) {
		errno = err;
		return NULL;
	}
	return buf;
}

void
xnvme_buf_virt_free(void *buf)
{
	xnvme_compat_memalign_free(buf);
}

int
xnvme_buf_fill(void *buf, size_t nbytes, const char *content)
{
	uint8_t *bytes = buf;

	if (!buf || !content) {
		return -EINVAL;
	}
	if (!strcmp(content, "zero")) {
		memset(buf, 0, nbytes);
	} else if (!strcmp(content, "anum")) {
		static const char anum[] =
		    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

		for (size_t i = 0; i < nbytes; ++i) {
			bytes[i] = (uint8_t)anum[i % (sizeof(anum) - 1)];
		}
	} else if (!strcmp(content, "rand-k") || !strcmp(content, "rand-t")) {
		/*
		 * xorshift: rand-k has a fixed seed (the same bytes every run, so failures
		 * reproduce), rand-t one from the clock
		 */
		uint64_t x = 0x9E3779B97F4A7C15ULL;

		if (content[5] == 't') {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			x ^= (uint64_t)ts.tv_sec * 1000000007ULL + (uint64_t)ts.tv_nsec;
		}
		for (size_t i = 0; i < nbytes; ++i) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			bytes[i] = (uint8_t)x;
		}
	} else {
		/* Any other content names a file holding at least nbytes */
		return xnvme_buf_from_file(buf, nbytes, content);
	}
	return 0;
}

void *
xnvme_buf_clear(void *buf, size_t nbytes)
{
	if (buf) {
		memset(buf, 0, nbytes);
	}
	return buf;
}

size_t
xnvme_buf_diff(const void *expected, const void *actual, size_t nbytes)
{
	const uint8_t *x = expected, *y = actual;
	size_t ndiff = 0;

	if (!expected || !actual) {
		return 0;
	}
	for (size_t i = 0; i < nbytes; ++i) {
		ndiff += x[i] != y[i];
	}
	return ndiff;
}

void
xnvme_buf_diff_pr(const void *expected, const void *actual, size_t nbytes, int opts)
{
	const uint8_t *x = expected, *y = actual;
	size_t ndiff = 0;

	(void)opts;
	if (!expected || !actual) {
		printf("comparison: ~\n");
		return;
	}
	printf("comparison:\n  diffs:\n");
	for (size_t i = 0; i < nbytes; ++i) {
		if (x[i] != y[i]) {
			printf("    - {byte: '%06zu', expected: 0x%02x, actual: 0x%02x}\n", i, x[i],
			       y[i]);
			ndiff++;
		}
	}
	printf("  nbytes: %zu\n  nbytes_diff: %zu\n", nbytes, ndiff);
}

/*
 * Moves @p nbytes between @p buf and the file at @p path: into the file (created or truncated)
 * when @p to_file, else out of it. A transfer that makes no progress fails with -EINVAL: a file
 * shorter than the transfer is never padded silently.
 */
static int
buf_file_xfer(void *buf, size_t nbytes, const char *path, int to_file)
{
	uint8_t *bytes = buf;
	int fd, err = 0;

	fd = to_file ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : open(path, O_RDONLY);
	if (fd < 0) {
		return -errno;
	}
	for (size_t off = 0; off < nbytes;) {
		ssize_t res = to_file ? write(fd, bytes + off, nbytes - off)
				      : read(fd, bytes + off, nbytes - off);

		if (res < 0) {
			if (errno == EINTR) {
				continue;
			}
			err = -errno;
			break;
		}
		if (!res) {
			err = -EINVAL;
			break;
		}
		off += (size_t)res;
	}
	/* A written file's data may fail to reach it only at close */
	if (close(fd) && to_file && !err) {
		err = -errno;
	}
	return err;
}

int
xnvme_buf_to_file(void *buf, size_t nbytes, const char *path)
{
	return buf_file_xfer(buf, nbytes, path, 1);
}

int
xnvme_buf_from_file(void *buf, size_t nbytes, const char *path)
{
	return buf_file_xfer(buf, nbytes, path, 0);
}

/* Kernel paths (every interface today) take any user memory: mapping is for DMA backends only */
int
xnvme_mem_map(const struct xnvme_dev *dev, void *vaddr, size_t nbytes)
{
	if (!dev || !vaddr || !nbytes) {
		return -EINVAL;
	}
	return dev->mem->mem_map ? dev->mem->mem_map(dev, vaddr, nbytes) : 0;
}

int
xnvme_mem_unmap(const struct xnvme_dev *dev, void *buf)
{
	if (!dev || !buf) {
		return -EINVAL;
	}
	return dev->mem->mem_unmap ? dev->mem->mem_unmap(dev, buf) : 0;
}
