/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The user-space driver on a controller bound to vfio-pci (the VM rig's, tests/pcie/vm_vfio.sh):
 *   test_pcie_vfio_dev BDF [be]   buffers' bus addresses are IOVAs (not their virtual addresses)
 *     and contiguous within a buffer, a 4 MiB buffer (2 MiB pages when XNVME_TEST_HUGEPAGES=1,
 *     4 KiB ones when it is 0: the script reserves hugepages or none, else not checked), data
 *     round trips through the driver's buffers, through caller memory mapped with xnvme_mem_map
 *     and through unmapped caller memory (bounced); after close the process has no locked memory
 *     left (VmLck in /proc/self/status back to its value before the open).
 *   test_pcie_vfio_dev BDF --loop SECONDS   writes and reads until killed or SECONDS pass (the
 *     kill -9 case: the script kills it mid-I/O and opens the controller again).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxnvme.h>
#include "check.h"

/* VmLck of this process in KiB, -1 when /proc does not say */
static long
vmlck_kib(void)
{
	char line[256];
	long val = -1;
	FILE *fp = fopen("/proc/self/status", "r");

	if (!fp) {
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		if (!strncmp(line, "VmLck:", 6)) {
			val = strtol(line + 6, NULL, 10);
		}
	}
	fclose(fp);
	return val;
}

/* KernelPageSize in KiB of the mapping holding @p addr (/proc/self/smaps), -1 when not found */
static long
page_kib(const void *addr)
{
	uintptr_t va = (uintptr_t)addr, lo, hi;
	char line[512];
	long val = -1;
	int inside = 0;
	FILE *fp = fopen("/proc/self/smaps", "r");

	if (!fp) {
		return -1;
	}
	while (val < 0 && fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &lo, &hi) == 2 &&
		    strchr(line, ' ')) {
			inside = va >= lo && va < hi;
		} else if (inside && !strncmp(line, "KernelPageSize:", 15)) {
			val = strtol(line + 15, NULL, 10);
		}
	}
	fclose(fp);
	return val;
}

static void
pattern(uint8_t *buf, size_t nbytes, uint32_t seed)
{
	for (size_t i = 0; i < nbytes; ++i) {
		buf[i] = (uint8_t)((i * 7 + seed) ^ (i >> 9));
	}
}

/* Writes @p wbuf at @p slba and reads it back into @p rbuf: 0 when the data came back */
static int
round_trip(struct xnvme_dev *dev, uint64_t slba, uint8_t *wbuf, uint8_t *rbuf, size_t nbytes,
	   uint32_t seed)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	uint16_t nlb = (uint16_t)(nbytes / geo->lba_nbytes - 1);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	int err;

	pattern(wbuf, nbytes, seed);
	memset(rbuf, 0, nbytes);
	err = xnvme_nvm_write(&ctx, nsid, slba, nlb, wbuf, NULL);
	if (err) {
		printf("write: %d\n", err);
		return err;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, nsid, slba, nlb, rbuf, NULL);
	if (err) {
		printf("read: %d\n", err);
		return err;
	}
	return memcmp(wbuf, rbuf, nbytes) ? -EIO : 0;
}

static int
loop(struct xnvme_dev *dev, int seconds)
{
	size_t nbytes = 64 * 1024;
	uint8_t *w = xnvme_buf_alloc(dev, nbytes), *r = xnvme_buf_alloc(dev, nbytes);
	time_t end = time(NULL) + seconds;
	uint64_t n = 0;

	if (!w || !r) {
		return 1;
	}
	printf("looping\n");
	fflush(stdout);
	while (time(NULL) < end) {
		if (round_trip(dev, (n % 256) * (nbytes / xnvme_dev_get_geo(dev)->lba_nbytes), w, r,
			       nbytes, (uint32_t)n)) {
			printf("FAIL: round trip %llu\n", (unsigned long long)n);
			return 1;
		}
		n++;
	}
	printf("%llu round trips\n", (unsigned long long)n);
	return 0;
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	const size_t big = 4u << 20;
	struct xnvme_dev *dev;
	uint8_t *a, *b, *huge, *heap;
	uint64_t ia = 0, ib = 0, ih = 0, ih3 = 0, iheap = 0;
	long lck0, lck_open, lck_end;

	if (argc < 2) {
		fprintf(stderr, "usage: %s BDF [be | --loop SECONDS]\n", argv[0]);
		return 2;
	}
	if (argc > 2 && strcmp(argv[2], "--loop")) {
		opts.be = argv[2];
	}
	lck0 = vmlck_kib();
	dev = xnvme_dev_open(argv[1], &opts);
	if (!dev) {
		printf("FAIL: open %s: %s\n", argv[1], xnvme_dev_open_err_msg());
		return 1;
	}
	if (argc > 3 && !strcmp(argv[2], "--loop")) {
		int rc = loop(dev, atoi(argv[3]));

		xnvme_dev_close(dev);
		return rc;
	}
	printf("opened %s: be %s, lba %u B\n", argv[1], xnvme_dev_get_be_name(dev),
	       xnvme_dev_get_geo(dev)->lba_nbytes);

	a = xnvme_buf_alloc(dev, 8192);
	b = xnvme_buf_alloc(dev, 8192);
	huge = xnvme_buf_alloc(dev, big);
	CHECK(a && b && huge, "buffers allocated");
	if (!a || !b || !huge) {
		xnvme_dev_close(dev);
		return 1;
	}
	CHECK(!xnvme_buf_vtophys(dev, a, &ia) && !xnvme_buf_vtophys(dev, b, &ib) &&
		  !xnvme_buf_vtophys(dev, huge, &ih) &&
		  !xnvme_buf_vtophys(dev, huge + 3 * (1u << 20) + 5, &ih3),
	      "vtophys answers: %#llx %#llx %#llx", (unsigned long long)ia, (unsigned long long)ib,
	      (unsigned long long)ih);
	CHECK(ia != (uint64_t)(uintptr_t)a && ib != (uint64_t)(uintptr_t)b && ia != ib,
	      "IOVAs are not the virtual addresses");
	CHECK(ih3 == ih + 3 * (1u << 20) + 5, "a buffer is contiguous in IOVA space");
	if (getenv("XNVME_TEST_HUGEPAGES")) {
		long want = atoi(getenv("XNVME_TEST_HUGEPAGES")) ? 2048 : 4;

		CHECK(page_kib(huge) == want, "the 4 MiB buffer is in %ld KiB pages (want %ld)",
		      page_kib(huge), want);
	}
	lck_open = vmlck_kib();
	CHECK(lck_open > lck0, "memory is pinned while open: VmLck %ld KiB (was %ld)", lck_open,
	      lck0);

	CHECK(!round_trip(dev, 0, a, b, 8192, 1), "8 KiB round trip, driver buffers");
	/* 256 KiB (within the rig's MDTS) across the buffer's 2 MiB boundary */
	CHECK(!round_trip(dev, 64, huge + (2u << 20) - (128u << 10), huge + (3u << 20), 256u << 10,
			  2),
	      "256 KiB round trip across the 4 MiB buffer's middle");

	heap = aligned_alloc(4096, 3 * 8192);
	CHECK(heap && !round_trip(dev, 1024, heap, heap + 8192, 8192, 3),
	      "unmapped heap memory: round trip (bounced)");
	CHECK(heap && xnvme_buf_vtophys(dev, heap, &iheap) == -EFAULT,
	      "unmapped heap memory has no IOVA");
	CHECK(heap && !xnvme_mem_map(dev, heap, 3 * 8192) &&
		  !xnvme_buf_vtophys(dev, heap + 8192, &iheap),
	      "xnvme_mem_map: heap memory gets an IOVA %#llx", (unsigned long long)iheap);
	CHECK(heap && !round_trip(dev, 2048, heap + 8192, heap + 16384, 8192, 4),
	      "mapped heap memory: round trip");
	CHECK(heap && !xnvme_mem_unmap(dev, heap) &&
		  xnvme_buf_vtophys(dev, heap, &iheap) == -EFAULT,
	      "xnvme_mem_unmap: no IOVA again");

	/*
	 * Left for the close to undo: a buffer still allocated (it outlives the device, freed as
	 * host memory after) and caller memory still mapped
	 */
	CHECK(heap && !xnvme_mem_map(dev, heap, 3 * 8192), "heap memory mapped again, left mapped");
	xnvme_buf_free(dev, b);
	xnvme_buf_free(dev, huge);
	xnvme_dev_close(dev);
	xnvme_buf_virt_free(a);
	free(heap);
	lck_end = vmlck_kib();
	CHECK(lck_end == lck0, "after close nothing is pinned: VmLck %ld KiB (%ld before open)",
	      lck_end, lck0);
	printf("%s: %d failed\n", g_nfail ? "FAIL" : "PASS", g_nfail);
	return g_nfail ? 1 : 0;
}
