/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Image files of the ramdisk (identifier key file=PATH): a device that outlives the process.
 *
 * A file rather than a named shared-memory segment: it survives a reboot, users see, copy and
 * remove it with the tools they know, its permissions are a file's, and nothing is left behind
 * in /dev/shm when a program dies. The file is a header page (struct rd_img_hdr) and, per
 * namespace, its regions: NVM data, metadata and the uncorrectable bitmap, each sized for the
 * largest any LBA format needs (a format keeps the layout), or a key-value log in two halves
 * (ramdisk_kv.c). It is mapped shared: a command's effect is in the page cache when it
 * completes, so the next process finds it even when this one is killed; Flush writes it to the
 * disk (msync). Its blocks are allocated when it is made (a full disk fails the open).
 *
 * One process at a time (flock, held until the process ends): the model's other state (counters,
 * logs, features, the keys' index) is the process's, so two processes could not share a device.
 */
#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xnvme_dev.h"
#include "xnvme_be_ramdisk.h"

#define RD_IMG_MAGIC   "xnvme-ramdisk\n"
#define RD_IMG_VERSION 1
#define RD_IMG_ALIGN   4096u
/* A key-value log's half: the namespace's values and room for the records' headers */
#define RD_IMG_KVLOG_EXTRA (4u << 20)

struct rd_img_hdr {
	char magic[16];
	uint32_t version;
	uint32_t nns;
	uint64_t nbytes; ///< The file's size
	char shape[160]; ///< The identifier's settings that shape it: a reopen repeats them
	struct rd_img_ns ns[RD_NNS_MAX];
};
_Static_assert(sizeof(struct rd_img_hdr) <= RD_IMG_ALIGN, "the header fits its page");

struct rd_img {
	int fd;
	int made; ///< The file did not exist: a refused open removes it
	uint8_t *map;
	uint64_t nbytes;
	char path[PATH_MAX];
};

static uint64_t
rd_img_align(uint64_t nbytes)
{
	return (nbytes + RD_IMG_ALIGN - 1) / RD_IMG_ALIGN * RD_IMG_ALIGN;
}

/* The metadata the namespace can need in any LBA format that divides it */
static uint64_t
rd_img_meta_max(uint64_t nbytes)
{
	uint64_t max = 0;

	for (uint8_t i = 0; i < rd_nlbafs; ++i) {
		if (nbytes % rd_lbafs[i].lbads == 0) {
			max = XNVME_MAX(max, nbytes / rd_lbafs[i].lbads * rd_lbafs[i].ms);
		}
	}
	return max;
}

/* Where everything goes: the header the controller's namespaces need, 0 or -EFBIG */
static int
rd_img_plan(const struct rd_ctrl *ctrl, const char *shape, struct rd_img_hdr *hdr)
{
	uint64_t off = RD_IMG_ALIGN;

	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->magic, RD_IMG_MAGIC, sizeof(RD_IMG_MAGIC) - 1);
	hdr->version = RD_IMG_VERSION;
	hdr->nns = ctrl->nns;
	snprintf(hdr->shape, sizeof(hdr->shape), "%s", shape);
	for (uint32_t i = 0; i < ctrl->nns; ++i) {
		const struct rd_ns *ns = &ctrl->ns[i];
		struct rd_img_ns *in = &hdr->ns[i];

		in->csi = ns->csi;
		in->flbas_idx = ns->flbas_idx;
		in->mset = ns->mset;
		if (ns->nbytes > (UINT64_MAX >> 4)) {
			return -EFBIG; /* sums below stay within 64 bits */
		}
		if (ns->csi == XNVME_SPEC_CSI_KV) {
			in->kvlog_off = off;
			in->kvlog_half = rd_img_align(ns->nbytes + RD_IMG_KVLOG_EXTRA);
			off += 2 * in->kvlog_half;
		} else {
			in->data_off = off;
			in->meta_off = in->data_off + rd_img_align(ns->nbytes);
			in->uncor_off = in->meta_off + rd_img_align(rd_img_meta_max(ns->nbytes));
			off = in->uncor_off + rd_img_align((ns->nbytes / 512 + 7) / 8);
		}
		in->end_off = off;
	}
	hdr->nbytes = off;
	return off > (uint64_t)INT64_MAX ? -EFBIG : 0;
}

static int __attribute__((format(printf, 4, 5)))
rd_img_why(int err, char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return err;
}

/* An existing image against the one this identifier makes: 0 or -EINVAL with the reason */
static int
rd_img_check(const struct rd_img_hdr *have, const struct rd_img_hdr *want, uint64_t fsize,
	     const char *path, char *why, size_t why_len)
{
	if (fsize < sizeof(*have) || memcmp(have->magic, RD_IMG_MAGIC, sizeof(RD_IMG_MAGIC) - 1)) {
		return rd_img_why(
		    -EINVAL, why, why_len,
		    "file=%.80s is not a ramdisk image (%llu bytes, no image header): "
		    "name a new file, or remove this one",
		    path, (unsigned long long)fsize);
	}
	if (have->version != RD_IMG_VERSION) {
		return rd_img_why(-EINVAL, why, why_len,
				  "file=%.80s is an image of version %u; this library reads %u",
				  path, have->version, RD_IMG_VERSION);
	}
	if (strncmp(have->shape, want->shape, sizeof(have->shape))) {
		return rd_img_why(-EINVAL, why, why_len,
				  "file=%.80s holds another device (%.60s), not this identifier's "
				  "(%.60s)",
				  path, have->shape, want->shape);
	}
	if (have->nbytes != want->nbytes || fsize != want->nbytes || have->nns != want->nns) {
		return rd_img_why(-EINVAL, why, why_len,
				  "file=%.80s is %llu bytes; the image is %llu (truncated or grown "
				  "since it was made)",
				  path, (unsigned long long)fsize,
				  (unsigned long long)want->nbytes);
	}
	for (uint32_t i = 0; i < want->nns; ++i) {
		const struct rd_img_ns *h = &have->ns[i], *w = &want->ns[i];

		if (h->data_off != w->data_off || h->kvlog_off != w->kvlog_off ||
		    h->end_off != w->end_off || h->csi != w->csi || h->flbas_idx >= rd_nlbafs ||
		    h->mset > 1 || (h->kvlog_head & ~(1ull << 63)) > w->kvlog_half) {
			return rd_img_why(
			    -EINVAL, why, why_len,
			    "file=%.80s: namespace %u's record in the header is damaged", path,
			    i + 1);
		}
	}
	return 0;
}

/* The file, locked for this process: its descriptor or -errno; *made: it is new */
static int
rd_img_lock(const char *path, int *made, char *why, size_t why_len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	int err;

	*made = fd >= 0;
	if (fd < 0 && errno == EEXIST) {
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0) {
		err = -errno;
		return rd_img_why(err, why, why_len, "file=%.80s: cannot open or create it", path);
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		if (err == -EBUSY) {
			return rd_img_why(
			    err, why, why_len,
			    "file=%.80s is in use by another process (an image is one "
			    "process's at a time)",
			    path);
		}
		return rd_img_why(err, why, why_len, "file=%.80s: cannot lock it", path);
	}
	return fd;
}

/* Reads the header of an existing image, or makes the file the image's size */
static int
rd_img_prepare(struct rd_img *img, const struct rd_img_hdr *want, int *created, char *why,
	       size_t why_len)
{
	struct rd_img_hdr have;
	struct stat st;
	int err;

	if (fstat(img->fd, &st)) {
		return rd_img_why(-errno, why, why_len, "file=%.80s: cannot stat it", img->path);
	}
	if (!S_ISREG(st.st_mode)) {
		return rd_img_why(-EINVAL, why, why_len, "file=%.80s is not a regular file",
				  img->path);
	}
	if (st.st_size == 0) {
		/*
		 * Every block allocated now: a store to a shared mapping that finds no block on a
		 * full disk is SIGBUS, so a full disk must fail here, not kill the program later
		 */
		err = -posix_fallocate(img->fd, 0, (off_t)want->nbytes);
		if (err) {
			return rd_img_why(err, why, why_len,
					  "file=%.80s: cannot make it %llu bytes", img->path,
					  (unsigned long long)want->nbytes);
		}
		*created = 1;
		return 0;
	}
	memset(&have, 0, sizeof(have));
	if (pread(img->fd, &have, sizeof(have), 0) < 0) {
		return rd_img_why(-errno, why, why_len, "file=%.80s: cannot read it", img->path);
	}
	return rd_img_check(&have, want, (uint64_t)st.st_size, img->path, why, why_len);
}

int
rd_img_open(struct rd_ctrl *ctrl, const char *path, const char *shape, int *created, char *why,
	    size_t why_len)
{
	struct rd_img_hdr want, *hdr;
	struct rd_img *img;
	void *map;
	int err;

	*created = 0;
	if (rd_img_plan(ctrl, shape, &want)) {
		return rd_img_why(-EFBIG, why, why_len, "file=%.80s: the image would be too large",
				  path);
	}
	img = calloc(1, sizeof(*img));
	if (!img) {
		return rd_img_why(-ENOMEM, why, why_len, "cannot allocate the image's state");
	}
	snprintf(img->path, sizeof(img->path), "%s", path);
	img->fd = rd_img_lock(path, &img->made, why, why_len);
	if (img->fd < 0) {
		err = img->fd;
		free(img);
		return err;
	}
	ctrl->img = img;
	err = rd_img_prepare(img, &want, created, why, why_len);
	if (err) {
		return err; /* the caller closes, and removes a file made for it */
	}
	map = mmap(NULL, want.nbytes, PROT_READ | PROT_WRITE, MAP_SHARED, img->fd, 0);
	if (map == MAP_FAILED) {
		return rd_img_why(-errno, why, why_len, "file=%.80s: cannot map it", path);
	}
	img->map = map;
	img->nbytes = want.nbytes;
	hdr = map;
	if (*created) {
		/* The magic last: an image whose making was cut short is not taken for one */
		memcpy(hdr, &want, sizeof(want));
		memset(hdr->magic, 0, sizeof(hdr->magic));
		memcpy(hdr->magic, RD_IMG_MAGIC, sizeof(RD_IMG_MAGIC) - 1);
	}
	for (uint32_t i = 0; i < ctrl->nns; ++i) {
		struct rd_ns *ns = &ctrl->ns[i];

		ns->img = &hdr->ns[i];
		ns->img_map = img->map;
		ns->flbas_idx = ns->img->flbas_idx;
		ns->mset = ns->img->mset;
	}
	return 0;
}

void
rd_img_close(struct rd_ctrl *ctrl)
{
	struct rd_img *img = ctrl->img;

	if (!img) {
		return;
	}
	for (uint32_t i = 0; i < RD_NNS_MAX; ++i) {
		ctrl->ns[i].img = NULL;
		ctrl->ns[i].img_map = NULL;
	}
	if (img->map) {
		munmap(img->map, img->nbytes);
	}
	close(img->fd); /* releases the lock */
	free(img);
	ctrl->img = NULL;
}

void
rd_img_discard(struct rd_ctrl *ctrl)
{
	if (ctrl->img && ctrl->img->made) {
		unlink(ctrl->img->path); /* a file that was there before stays */
	}
}

/* Zeros [off, off + nbytes) of the image, keeping its blocks (rd_img_prepare: why) */
static void
rd_img_zero(struct rd_img *img, uint64_t off, uint64_t nbytes)
{
#ifdef FALLOC_FL_ZERO_RANGE
	if (!fallocate(img->fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, (off_t)off,
		       (off_t)nbytes)) {
		return;
	}
#endif
	memset(img->map + off, 0, nbytes);
}

void
rd_img_ns_erase(struct rd_ctrl *ctrl, struct rd_ns *ns)
{
	if (!ctrl->img || !ns->img) {
		return;
	}
	if (ns->csi != XNVME_SPEC_CSI_KV) {
		rd_img_zero(ctrl->img, ns->img->data_off, ns->img->end_off - ns->img->data_off);
	}
	ns->img->flbas_idx = ns->flbas_idx;
	ns->img->mset = ns->mset;
}

int
rd_img_sync(struct rd_ctrl *ctrl)
{
	if (ctrl->img && msync(ctrl->img->map, ctrl->img->nbytes, MS_SYNC)) {
		return -errno;
	}
	return 0;
}
#else /* _WIN32 */
/*
 * Windows: no image files yet. Mapping a file shared and locking it exist there
 * (CreateFileMapping, LockFileEx) but are not written: file= is refused, and the ramdisk lives
 * for one process as everywhere without it.
 */
#include <errno.h>
#include <stdio.h>
#include "xnvme_be_ramdisk.h"

int
rd_img_open(struct rd_ctrl *ctrl, const char *path, const char *shape, int *created, char *why,
	    size_t why_len)
{
	(void)ctrl;
	(void)shape;
	*created = 0;
	snprintf(why, why_len, "file=%.80s: ramdisk image files are not available on Windows",
		 path);
	return -ENOTSUP;
}

void
rd_img_close(struct rd_ctrl *ctrl)
{
	(void)ctrl;
}

void
rd_img_discard(struct rd_ctrl *ctrl)
{
	(void)ctrl;
}

void
rd_img_ns_erase(struct rd_ctrl *ctrl, struct rd_ns *ns)
{
	(void)ctrl;
	(void)ns;
}

int
rd_img_sync(struct rd_ctrl *ctrl)
{
	(void)ctrl;
	return 0;
}
#endif /* _WIN32 */
