/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The smaller public headers: libxnvme_be.h (the bundled backend list and its printers, whose
 * output is xNVMe 0.7.5's byte for byte), libxnvme_mem.h and libxnvme_topology.h on a file and a
 * ramdisk, the LBA and ident printers of libxnvme_pp.h, and the helpers of libxnvme_util.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

/* What @p call printed to STREAM, a memory stream on @p buf, and its return value in *@p ret */
#define CAPTURE(buf, ret, call)                                                                    \
	do {                                                                                       \
		FILE *stream_ = fmemopen(buf, sizeof(buf), "w");                                   \
		*(ret) = (call);                                                                   \
		fclose(stream_);                                                                   \
	} while (0)
#define STREAM stream_

static void
test_be_attr(void)
{
	/*
	 * xNVMe 0.7.5's list on a Linux build without SPDK/libvfn, printed by its library; 'spdk'
	 * is enabled where the user-space driver (backend pcie, alias spdk) is built
	 */
	static const char *want = "xnvme_be_attr_list:\n  count: 7\n  capacity: 7\n  items:\n"
				  "  - name: 'spdk'\n    enabled: %d\n\n"
				  "  - name: 'linux'\n    enabled: 1\n\n"
				  "  - name: 'fbsd'\n    enabled: 0\n\n"
				  "  - name: 'macos'\n    enabled: 0\n\n"
				  "  - name: 'windows'\n    enabled: 0\n\n"
				  "  - name: 'ramdisk'\n    enabled: 1\n\n"
				  "  - name: 'vfio'\n    enabled: 0\n\n";
	struct xnvme_be_attr_list *list = NULL;
	char out[2048] = {0}, want_spdk[512];
	int ret;

	CHECK(xnvme_be_attr_list_bundled(NULL) == -EINVAL, "bundled(NULL): -EINVAL");
	CHECK(!xnvme_be_attr_list_bundled(&list) && list && list->count == 7 && list->capacity == 7,
	      "bundled: 7 backends");
	if (!list) {
		return;
	}
	CAPTURE(out, &ret, xnvme_be_attr_list_fpr(STREAM, list, XNVME_PR_DEF));
	snprintf(want_spdk, sizeof(want_spdk), want, TEST_SPDK_ENABLED);
	CHECK(!strcmp(out, want_spdk) && ret == (int)strlen(want_spdk),
	      "list printed as upstream (%d chars)", ret);
	CAPTURE(out, &ret, xnvme_be_attr_fpr(STREAM, &list->item[1], XNVME_PR_YAML));
	CHECK(!strcmp(out, "name: 'linux'\n    enabled: 1\n") && ret == (int)strlen(out),
	      "one backend printed");
	CAPTURE(out, &ret, xnvme_be_attr_list_fpr(STREAM, list, XNVME_PR_TERSE));
	CHECK(!strcmp(out, "# ENOSYS: opts(2)") && ret == 17, "no terse form: a YAML comment");
	free(list);
}

static void
test_mem_topology(const char *uri, const char *be)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;
	char bar[4096];
	void *buf;

	opts.be = be;
	dev = xnvme_dev_open(uri, &opts);
	if (!dev) {
		CHECK(0, "%s: open (%d)", uri, errno);
		return;
	}
	buf = xnvme_buf_virt_alloc(4096, 8192);
	CHECK(!xnvme_mem_map(dev, buf, 8192) && !xnvme_mem_unmap(dev, buf),
	      "%s: mem_map/unmap of caller memory: 0 (usable as is)", uri);
	CHECK(xnvme_mem_map(dev, buf, 0) == -EINVAL && xnvme_mem_map(dev, NULL, 1) == -EINVAL &&
		  xnvme_mem_map(NULL, buf, 1) == -EINVAL && xnvme_mem_unmap(dev, NULL) == -EINVAL,
	      "%s: mem_map/unmap of nothing: -EINVAL", uri);
	xnvme_buf_virt_free(buf);

	CHECK(xnvme_subsystem_reset(dev) == -ENOSYS && xnvme_controller_reset(dev) == -ENOSYS &&
		  xnvme_namespace_rescan(dev) == -ENOSYS &&
		  xnvme_controller_get_registers(dev, (struct xnvme_spec_ctrlr_bar *)bar) ==
		      -ENOSYS,
	      "%s: no controller to reset, rescan or read: -ENOSYS, as upstream", uri);
	xnvme_dev_close(dev);
}

static void
test_pp(void)
{
	const uint64_t lbas[] = {1, 0xFFFFFFFFFFFFFFFFULL};
	struct xnvme_ident ident;
	char out[1024] = {0};
	int ret;

	CAPTURE(out, &ret, xnvme_lba_fpr(STREAM, 0x1234, XNVME_PR_DEF));
	CHECK(!strcmp(out, "lba: 0x0000000000001234\n") && ret == 24, "lba_fpr");
	CAPTURE(out, &ret, xnvme_lba_fpr(STREAM, 0x1234, XNVME_PR_TERSE));
	CHECK(!strcmp(out, "0x0000000000001234") && ret == 18, "lba_fpr terse");
	CAPTURE(out, &ret, xnvme_lba_fprn(STREAM, lbas, 2, XNVME_PR_DEF));
	CHECK(!strcmp(out, "nlbas: 2\nlbas:\n  - 0x0000000000000001\n  - 0xffffffffffffffff\n") &&
		  ret == (int)strlen(out),
	      "lba_fprn");
	CAPTURE(out, &ret, xnvme_lba_fprn(STREAM, lbas, 0, XNVME_PR_DEF));
	CHECK(!strcmp(out, "nlbas: 0\nlbas: []\n"), "lba_fprn of none: an empty list");

	memset(&ident, 0, sizeof(ident));
	strcpy(ident.uri, "/dev/ng0n1");
	ident.dtype = XNVME_DEV_TYPE_NVME_NAMESPACE;
	ident.nsid = 1;
	ident.csi = 2;
	CAPTURE(out, &ret, xnvme_ident_yaml(STREAM, &ident, 2, "\n", 1));
	CHECK(!strcmp(out, "  xnvme_ident:\n    uri: '/dev/ng0n1'\n    dtype: 0x2\n    nsid: 0x1\n"
			   "    csi: 0x2\n    subnqn: ''") &&
		  ret == (int)strlen(out),
	      "ident_yaml with a head, one field per line");
	CAPTURE(out, &ret, xnvme_ident_yaml(STREAM, &ident, 0, ", ", 0));
	CHECK(!strcmp(out, "uri: '/dev/ng0n1', dtype: 0x2, nsid: 0x1, csi: 0x2, subnqn: ''"),
	      "ident_yaml on one line");
}

static int
unused_param(int XNVME_UNUSED(x))
{
	return 1;
}

static void
test_util(void)
{
	char bits[80];
	struct xnvme_timer t = {1000, 1000 + 2500000000ULL};

	CHECK(XNVME_MIN(3, -1) == -1 && XNVME_MAX(3, -1) == 3 &&
		  XNVME_MIN_U64(1ULL << 40, 1ULL << 41) == 1ULL << 40 &&
		  XNVME_MIN_S64(-(1LL << 40), 1) == -(1LL << 40),
	      "MIN/MAX/MIN_U64/MIN_S64");
	CHECK(XNVME_ILOG2(4096) == 12 && XNVME_ILOG2(1) == 0 && XNVME_ILOG2(0) == 0 &&
		  XNVME_ILOG2(1ULL << 63) == 63,
	      "ILOG2");
	CHECK(xnvme_is_pow2(4096) && !xnvme_is_pow2(0) && !xnvme_is_pow2(12), "is_pow2 (uint32_t)");
	snprintf(bits, sizeof(bits), XNVME_I8_FMT, XNVME_I8_TO_STR(0xA5));
	CHECK(!strcmp(bits, "10100101"), "I8_TO_STR(0xA5) = %s", bits);
	snprintf(bits, sizeof(bits), XNVME_I16_FMT, XNVME_I16_TO_STR(0x8001));
	CHECK(!strcmp(bits, "1000000000000001"), "I16_TO_STR(0x8001) = %s", bits);
	snprintf(bits, sizeof(bits), XNVME_I32_FMT, XNVME_I32_TO_STR(0x80000003u));
	CHECK(!strcmp(bits, "10000000000000000000000000000011"), "I32_TO_STR = %s", bits);
	snprintf(bits, sizeof(bits), XNVME_I64_FMT, XNVME_I64_TO_STR(0x8000000000000004ULL));
	CHECK(!strcmp(bits, "1000000000000000000000000000000000000000000000000000000000000100"),
	      "I64_TO_STR = %s", bits);
	CHECK(xnvme_timer_elapsed_nsecs(&t) == 2500000000ULL && xnvme_timer_elapsed(&t) == 2.5 &&
		  xnvme_timer_elapsed_secs(&t) == 2.5 && xnvme_timer_elapsed_msecs(&t) == 2500.0 &&
		  xnvme_timer_elapsed_usecs(&t) == 2500000.0,
	      "timer elapsed");
	xnvme_timer_start(&t);
	xnvme_timer_stop(&t);
	CHECK(t.stop >= t.start, "timer samples are monotonic");
	CHECK(XNVME_SIZEOF_MEMBER(struct xnvme_timer, stop) == 8 && XNVME_UNIVERSAL_SECT_SH == 9 &&
		  unused_param(0),
	      "SIZEOF_MEMBER, UNIVERSAL_SECT_SH, UNUSED");
}

int
main(void)
{
	const char *tmpdir = getenv("TMPDIR");
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/xnvme-api-extras-XXXXXX", tmpdir ? tmpdir : "/var/tmp");
	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, 1 << 20)) {
		printf("FAIL: temporary file in %s\n", path);
		return 1;
	}
	test_be_attr();
	test_mem_topology(path, NULL);
	test_mem_topology("ramdisk:16MiB", NULL);
	test_pp();
	test_util();
	close(fd);
	unlink(path);
	printf("%s: %d failed\n", g_nfail ? "FAIL" : "PASS", g_nfail);
	return g_nfail ? 1 : 0;
}
