/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory ops: xnvme_mem_map()/unmap() reach every backend's mem interface (posix and arena take
 * any memory as is: 0), and the mem interface "hugepage": it refuses to open without free 2 MiB
 * hugepages (with a reason saying how to reserve them), carves buffers from them (a buffer of up
 * to 2 MiB is physically contiguous), gives bus addresses to root and -ENOSYS to others, moves
 * data through the device, and maps caller memory so vtophys answers for it.
 * Reserves hugepages as root (/proc/sys/vm/nr_hugepages, restored at the end); without root, or
 * when the system has none to give, the hugepage part is skipped visibly (exit 77).
 * usage: test_mem
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <libxnvme.h>
#include "check.h"

#define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"

static char g_path[] = "/tmp/test_mem.XXXXXX";

static long
hugepages_get(const char *what)
{
	char line[128];
	long val = -1;
	FILE *fp = fopen("/proc/meminfo", "r");

	while (fp && fgets(line, sizeof(line), fp)) {
		if (!strncmp(line, what, strlen(what))) {
			val = strtol(line + strlen(what), NULL, 10);
		}
	}
	if (fp) {
		fclose(fp);
	}
	return val;
}

static int
hugepages_set(long n)
{
	FILE *fp = fopen(NR_HUGEPAGES, "w");
	int err;

	if (!fp) {
		return -errno;
	}
	err = fprintf(fp, "%ld\n", n) < 0 ? -EIO : 0;
	return fclose(fp) ? -errno : err;
}

static struct xnvme_dev *
open_mem(const char *uri, const char *mem)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.mem = mem;
	return xnvme_dev_open(uri, &opts);
}

/* Every backend's mem interface takes xnvme_mem_map of any memory: as is (0) */
static void
test_map_every_backend(void)
{
	const char *devs[][2] = {{"ramdisk:1MiB", NULL}, {g_path, "posix"}, {g_path, "arena"}};
	void *mem = malloc(8192);

	for (size_t i = 0; i < XNVME_ARRAY_SIZE(devs); ++i) {
		struct xnvme_dev *dev = open_mem(devs[i][0], devs[i][1]);
		int map = dev ? xnvme_mem_map(dev, mem, 8192) : -ENODEV;
		int unmap = dev ? xnvme_mem_unmap(dev, mem) : -ENODEV;

		CHECK(!map && !unmap, "%s, mem %s: map %d, unmap %d", devs[i][0],
		      dev ? xnvme_dev_get_opts(dev)->mem : "-", map, unmap);
		CHECK(!dev || (xnvme_mem_map(dev, NULL, 1) == -EINVAL &&
			       xnvme_mem_map(dev, mem, 0) == -EINVAL &&
			       xnvme_mem_unmap(dev, NULL) == -EINVAL),
		      "no memory or no bytes: -EINVAL");
		xnvme_dev_close(dev);
	}
	free(mem);
}

static void
test_refused_without_hugepages(void)
{
	struct xnvme_dev *dev;

	if (hugepages_get("HugePages_Free:") != 0) {
		printf(
		    "SKIP: hugepages are free already: the refusal without any is not checked\n");
		return;
	}
	errno = 0;
	dev = open_mem(g_path, "hugepage");
	CHECK(!dev && errno == ENOMEM && strstr(xnvme_dev_open_err_msg(), "nr_hugepages"),
	      "no free hugepage: the open fails, saying how to reserve them (%s)",
	      xnvme_dev_open_err_msg());
	xnvme_dev_close(dev);
}

/* A forked child without root: bus addresses are hidden, -ENOSYS */
static int
vtophys_unprivileged(struct xnvme_dev *dev, void *buf)
{
	uint64_t phys;
	int status;
	pid_t pid = fork();

	if (!pid) {
		/* Dumpable again, as any user's process: its pagemap is readable, frames zeroed */
		if (setuid(65534) || prctl(PR_SET_DUMPABLE, 1)) {
			_exit(2);
		}
		_exit(xnvme_buf_vtophys(dev, buf, &phys) == -ENOSYS ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
test_contiguous(struct xnvme_dev *dev, uint8_t *buf, size_t nbytes)
{
	uint64_t base = 0, phys = 0;
	int err = xnvme_buf_vtophys(dev, buf, &base), contiguous = !err && base;

	for (size_t off = 4096; contiguous && off < nbytes; off += 4096) {
		contiguous = !xnvme_buf_vtophys(dev, buf + off, &phys) && phys == base + off;
	}
	CHECK(contiguous && base % 4096 == (uintptr_t)buf % 4096,
	      "a %zu KiB buffer is physically contiguous (bus address 0x%llx, %d)", nbytes >> 10,
	      (unsigned long long)base, err);
}

static void
test_io(struct xnvme_dev *dev)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t *w = xnvme_buf_alloc(dev, 65536), *r = xnvme_buf_alloc(dev, 65536);
	int err;

	xnvme_buf_fill(w, 65536, "anum");
	memset(r, 0, 65536);
	err = xnvme_nvm_write(&ctx, 1, 0, 127, w, NULL);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err : xnvme_nvm_read(&ctx, 1, 0, 127, r, NULL);
	CHECK(!err && !memcmp(w, r, 65536), "64 KiB written and read back from hugepages (%d)",
	      err);
	xnvme_buf_free(dev, w);
	xnvme_buf_free(dev, r);
}

/* io_uring with fixed buffers registers the hugepage regions as it does the arena's */
static void
test_io_uring_fixed(void)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_queue *queue = NULL;
	struct xnvme_cmd_ctx *ctx;
	struct check_cpl cpl = {0};
	struct xnvme_dev *dev;
	uint8_t *w, *r;
	int err;

	if (!TEST_MEM_IO_URING) {
		printf("SKIP: io_uring with fixed hugepage buffers: the build has no io_uring\n");
		return;
	}
	opts.mem = "hugepage";
	opts.async = "io_uring";
	opts.register_buffers = 1;
	dev = xnvme_dev_open(g_path, &opts);
	if (!dev) {
		printf("SKIP: io_uring with fixed hugepage buffers: %s\n",
		       xnvme_dev_open_err_msg());
		return;
	}
	w = xnvme_buf_alloc(dev, 8192);
	r = xnvme_buf_alloc(dev, 8192);
	xnvme_buf_fill(w, 8192, "rand-k");
	memset(r, 0, 8192);
	err = xnvme_queue_init(dev, 4, 0, &queue);
	if (!err) {
		xnvme_queue_set_cb(queue, check_cpl_cb, &cpl);
		ctx = xnvme_queue_get_cmd_ctx(queue);
		err = xnvme_nvm_write(ctx, 1, 64, 15, w, NULL);
		err = err ? err : xnvme_queue_drain(queue);
		ctx = xnvme_queue_get_cmd_ctx(queue);
		err = err < 0 ? err : xnvme_nvm_read(ctx, 1, 64, 15, r, NULL);
		err = err ? err : xnvme_queue_drain(queue);
	}
	CHECK(err >= 0 && cpl.ndone == 2 && !cpl.nerr && !memcmp(w, r, 8192),
	      "io_uring, fixed buffers from hugepages: written and read back (%d)", err);
	xnvme_queue_term(queue);
	xnvme_buf_free(dev, w);
	xnvme_buf_free(dev, r);
	xnvme_dev_close(dev);
}

static void
test_mapped(struct xnvme_dev *dev)
{
	size_t nbytes = 65536;
	void *mem = mmap(NULL, nbytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t phys = 0;
	int err;

	CHECK(xnvme_buf_vtophys(dev, mem, &phys) == -EINVAL,
	      "memory neither allocated nor mapped here has no bus address: -EINVAL");
	err = xnvme_mem_map(dev, mem, nbytes);
	CHECK(!err, "caller memory mapped (%d)", err);
	err = xnvme_buf_vtophys(dev, (uint8_t *)mem + 8192 + 12, &phys);
	CHECK(!err && phys && phys % 4096 == 12, "mapped memory has a bus address (0x%llx, %d)",
	      (unsigned long long)phys, err);
	CHECK(xnvme_mem_map(dev, mem, nbytes) == -EEXIST, "mapped twice: -EEXIST");
	CHECK(xnvme_mem_unmap(dev, (uint8_t *)mem + 4096) == -EINVAL,
	      "unmap of an address not mapped at: -EINVAL");
	err = xnvme_mem_unmap(dev, mem);
	CHECK(!err && xnvme_mem_unmap(dev, mem) == -EINVAL &&
		  xnvme_buf_vtophys(dev, mem, &phys) == -EINVAL,
	      "unmapped once (%d); then unknown again", err);
	munmap(mem, nbytes);
}

static void
test_hugepage(void)
{
	struct xnvme_dev *dev = open_mem(g_path, "hugepage");
	uint8_t *small, *big;
	uint64_t phys;

	CHECK(dev && !strcmp(xnvme_dev_get_opts(dev)->mem, "hugepage"),
	      "opened with hugepages (%s)", dev ? "" : xnvme_dev_open_err_msg());
	if (!dev) {
		return;
	}
	small = xnvme_buf_alloc(dev, 4096);
	big = xnvme_buf_alloc(dev, 1 << 20);
	CHECK(small && big && !((uintptr_t)small % 4096), "buffers carved from the hugepages");
	test_contiguous(dev, big, 1 << 20);
	CHECK(!xnvme_buf_vtophys(dev, small, &phys) && phys,
	      "a small buffer has a bus address too (0x%llx)", (unsigned long long)phys);
	CHECK(vtophys_unprivileged(dev, small) == 0, "without root: vtophys -ENOSYS");
	test_io(dev);
	test_mapped(dev);
	xnvme_buf_free(dev, small);
	xnvme_buf_free(dev, big);
	xnvme_dev_close(dev);
	test_io_uring_fixed();
}

int
main(void)
{
	long nr_before = -1;
	int fd = mkstemp(g_path), skipped = 0;

	if (fd < 0 || ftruncate(fd, 4 << 20)) {
		printf("FAIL: cannot make a 4 MiB file at %s\n", g_path);
		return 1;
	}
	close(fd);
	test_map_every_backend();
	if (geteuid() || (nr_before = hugepages_get("HugePages_Total:")) < 0) {
		printf("SKIP: hugepages: reserving them needs root and %s\n", NR_HUGEPAGES);
		skipped = 1;
	} else {
		test_refused_without_hugepages();
		if (hugepages_set(nr_before + 4) || hugepages_get("HugePages_Free:") < 4) {
			printf("SKIP: hugepages: the system gave fewer than 4 free 2 MiB pages\n");
			skipped = 1;
		} else {
			test_hugepage();
		}
		CHECK(!hugepages_set(nr_before), "%s restored to %ld", NR_HUGEPAGES, nr_before);
	}
	unlink(g_path);
	printf("%s\n", g_nfail ? "FAILED" : (skipped ? "SKIPPED (in part)" : "PASSED"));
	return g_nfail ? 1 : (skipped ? 77 : 0);
}
