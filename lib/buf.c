/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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
	if (!dev->mem->buf_vtophys) {
		return -EINVAL;
	}
	return dev->mem->buf_vtophys(dev, buf, phys);
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
	err = posix_memalign(&buf, alignment, nbytes);
	if (err) {
		errno = err;
		return NULL;
	}
	return buf;
}

void
xnvme_buf_virt_free(void *buf)
{
	free(buf);
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
	} else if (!strcmp(content, "rand-k")) {
		/* A fixed xorshift seed: the same bytes every run, so failures reproduce. */
		uint64_t x = 0x9E3779B97F4A7C15ULL;

		for (size_t i = 0; i < nbytes; ++i) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			bytes[i] = (uint8_t)x;
		}
	} else {
		return -EINVAL;
	}
	return 0;
}

size_t
xnvme_buf_diff(const void *a, const void *b, size_t nbytes)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < nbytes; ++i) {
		if (x[i] != y[i]) {
			return i + 1;
		}
	}
	return 0;
}

int
xnvme_buf_to_file(const void *buf, size_t nbytes, const char *path)
{
	const uint8_t *bytes = buf;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		return -errno;
	}
	for (size_t off = 0; off < nbytes;) {
		ssize_t res = write(fd, bytes + off, nbytes - off);

		if (res < 0) {
			if (errno == EINTR) {
				continue;
			}
			err = -errno;
			break;
		}
		off += (size_t)res;
	}
	if (close(fd) && !err) {
		err = -errno;
	}
	return err;
}

int
xnvme_buf_from_file(void *buf, size_t nbytes, const char *path)
{
	uint8_t *bytes = buf;
	int fd, err = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		return -errno;
	}
	for (size_t off = 0; off < nbytes;) {
		ssize_t res = read(fd, bytes + off, nbytes - off);

		if (res < 0) {
			if (errno == EINTR) {
				continue;
			}
			err = -errno;
			break;
		}
		if (!res) {
			err = -EINVAL; /* shorter than the transfer: never pad silently */
			break;
		}
		off += (size_t)res;
	}
	close(fd);
	return err;
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
