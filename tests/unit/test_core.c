/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pure logic of the core: identifier parsing, option defaults, buffer helpers, LBA ranges, and the
 * geometry derived from identify data (served by a scripted admin interface, no device needed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xnvme_dev.h"

static int g_nfail;

#define CHECK(cond, what)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL: %s (%s:%d)\n", what, __FILE__, __LINE__);                    \
			g_nfail++;                                                                 \
		} else {                                                                           \
			printf("PASS: %s\n", what);                                                \
		}                                                                                  \
	} while (0)

/* Which backend takes an identifier that is not a path: names in the working directory */
static void
test_claims(void)
{
	char tmpl[] = "/tmp/xnvme-claims-XXXXXX", cwd[4096];
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_dev *dev;
	FILE *fp;

	if (!xnvme_be_by_name("linux") || !xnvme_be_by_name("ramdisk")) {
		printf("SKIP: claims between linux and ramdisk: a backend is not built\n");
		return;
	}
	if (!getcwd(cwd, sizeof(cwd)) || !mkdtemp(tmpl) || chdir(tmpl)) {
		CHECK(0, "a temporary working directory");
		return;
	}
	opts.create = 1;
	dev = xnvme_dev_open("test.1", &opts);
	CHECK(dev && xnvme_dev_get_ident(dev)->dtype == XNVME_DEV_TYPE_FS_FILE &&
		  !access("test.1", F_OK),
	      "a new file named without a '/' is created when asked (test.1)");
	xnvme_dev_close(dev);
	opts.create = 0;
	dev = xnvme_dev_open("test.2", &opts);
	CHECK(!dev && errno == ENXIO, "... and not claimed without create: ENXIO");
	dev = xnvme_dev_open("2GB", &opts);
	CHECK(dev && xnvme_dev_get_ident(dev)->dtype == XNVME_DEV_TYPE_RAMDISK &&
		  xnvme_dev_get_geo(dev)->tbytes == 2ULL << 30,
	      "a bare 2GB is a 2 GiB ramdisk, as xNVMe 0.7.5 takes it");
	xnvme_dev_close(dev);
	fp = fopen("2GB", "w");
	if (fp) {
		fputs("a file named 2GB", fp);
		fclose(fp);
	}
	dev = xnvme_dev_open("2GB", &opts);
	CHECK(dev && xnvme_dev_get_ident(dev)->dtype == XNVME_DEV_TYPE_FS_FILE,
	      "... unless a file of that name exists: the file");
	xnvme_dev_close(dev);
	unlink("2GB");
	unlink("test.1");
	CHECK(!chdir(cwd) && !rmdir(tmpl), "the temporary directory is removed");
}

static void
test_ident(void)
{
	struct xnvme_ident ident;

	CHECK(!xnvme_ident_from_uri("/dev/nvme0n1", &ident) && !strcmp(ident.uri, "/dev/nvme0n1"),
	      "path parses");
	CHECK(!xnvme_ident_from_uri("0000:01:00.0", &ident) &&
		  ident.dtype == XNVME_DEV_TYPE_NVME_CONTROLLER,
	      "PCI address is a controller");
	CHECK(!xnvme_ident_from_uri("0000:01:00.g", &ident) && ident.dtype == 0,
	      "not quite a PCI address is not one");
	CHECK(xnvme_ident_from_uri("", &ident) == -EINVAL, "empty: -EINVAL");
	CHECK(xnvme_ident_from_uri(NULL, &ident) == -EINVAL, "NULL: -EINVAL");
	CHECK(xnvme_ident_from_uri("a\tb", &ident) == -EINVAL, "control character: -EINVAL");
	CHECK(!xnvme_ident_from_uri("127.0.0.1:4420", &ident) &&
		  ident.dtype == XNVME_DEV_TYPE_NVME_CONTROLLER,
	      "IPv4 fabrics address");
	CHECK(!xnvme_ident_from_uri("[::1]:4420", &ident) &&
		  ident.dtype == XNVME_DEV_TYPE_NVME_CONTROLLER,
	      "IPv6 fabrics address");
	CHECK(!xnvme_ident_from_uri("localhost:8009", &ident) &&
		  ident.dtype == XNVME_DEV_TYPE_NVME_CONTROLLER,
	      "host name fabrics address");
	CHECK(xnvme_ident_from_uri("127.0.0.1:0", &ident) == -EINVAL, "port 0: -EINVAL");
	CHECK(xnvme_ident_from_uri("127.0.0.1:65536", &ident) == -EINVAL, "port 65536: -EINVAL");
	CHECK(xnvme_ident_from_uri(":4420", &ident) == -EINVAL, "no host: -EINVAL");
	CHECK(xnvme_ident_from_uri("127.0.0.1:", &ident) == -EINVAL, "no port: -EINVAL");
	CHECK(xnvme_ident_from_uri("[::1:4420", &ident) == -EINVAL, "unclosed bracket: -EINVAL");
	CHECK(xnvme_ident_from_uri("[]:4420", &ident) == -EINVAL, "empty brackets: -EINVAL");
	CHECK(!xnvme_ident_from_uri("nosuchbackend:1GiB", &ident) && ident.dtype == 0,
	      "a form that is no address is left to the backends");
	CHECK(!xnvme_ident_from_uri("nosuchbackend:1024", &ident) &&
		  ident.dtype == XNVME_DEV_TYPE_NVME_CONTROLLER,
	      "a host name that names no backend, with a port: a fabrics address");
	/* A backend's name as the scheme: its syntax, even where it looks like host:port */
	for (size_t i = 0; xnvme_be_registry[i]; ++i) {
		char uri[64], what[128];

		snprintf(uri, sizeof(uri), "%s:1024", xnvme_be_registry[i]->name);
		snprintf(what, sizeof(what), "%s is left to the backends", uri);
		CHECK(!xnvme_ident_from_uri(uri, &ident) && ident.dtype == 0, what);
	}
	CHECK(!xnvme_ident_from_uri("/tmp/a:99999", &ident) && ident.dtype == 0,
	      "a path with a colon is a path");
}

static void
test_opts(void)
{
	struct xnvme_opts opts = xnvme_opts_default();

	CHECK(opts.rdwr == 1 && opts.nsid == 1 && opts.admin_timeout == 60 &&
		  opts.command_timeout == 30 && !opts.be && !opts.async && !opts.direct,
	      "defaults as xNVMe gives them");
}

static void
test_buf(void)
{
	uint8_t a[100], b[100];

	CHECK(!xnvme_buf_fill(a, sizeof(a), "rand-k") && !xnvme_buf_fill(b, sizeof(b), "rand-k"),
	      "fill rand-k");
	CHECK(!xnvme_buf_diff(a, b, sizeof(a)), "rand-k is the same every time");
	b[42] ^= 1;
	b[7] ^= 0xFF;
	CHECK(xnvme_buf_diff(a, b, sizeof(a)) == 2, "diff counts the differing bytes");
	CHECK(!xnvme_buf_fill(a, sizeof(a), "rand-t") && xnvme_buf_clear(a, 10) == a && !a[0] &&
		  !a[9],
	      "fill rand-t, clear");
	CHECK(xnvme_buf_fill(a, sizeof(a), "/nonexistent/nonsense") == -ENOENT,
	      "fill from a file that does not exist: -ENOENT");
	CHECK(!xnvme_buf_virt_alloc(3, 64) && errno == EINVAL, "alignment not a power of two");
	CHECK(!xnvme_buf_virt_alloc(64, 0) && errno == EINVAL, "zero bytes");
}

/* A scripted admin interface: answers identify from the structures below. */
static struct xnvme_spec_idfy g_ctrlr, g_ns, g_ns_css;
static int g_have_ns_css;

static int
fake_cmd_admin(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	(void)mbuf;
	(void)mbuf_nbytes;
	if (ctx->cmd.common.opcode != XNVME_SPEC_ADM_OPC_IDFY || dbuf_nbytes < 4096) {
		return -ENOSYS;
	}
	switch (ctx->cmd.idfy.cns) {
	case XNVME_SPEC_IDFY_CTRLR:
		memcpy(dbuf, &g_ctrlr, 4096);
		return 0;
	case XNVME_SPEC_IDFY_NS:
		memcpy(dbuf, &g_ns, 4096);
		return 0;
	case XNVME_SPEC_IDFY_NS_IOCS:
		if (!g_have_ns_css) {
			break;
		}
		memcpy(dbuf, &g_ns_css, 4096);
		return 0;
	default:
		break;
	}
	ctx->cpl.status.sc = XNVME_SPEC_SC_INVALID_FIELD;
	return -EIO;
}

static const struct xnvme_be_admin_ops fake_admin = {.id = "fake", .cmd_admin = fake_cmd_admin};

static void *
fake_alloc(const struct xnvme_dev *dev, size_t nbytes)
{
	(void)dev;
	return xnvme_buf_virt_alloc(4096, nbytes);
}

static void
fake_free(const struct xnvme_dev *dev, void *buf)
{
	(void)dev;
	xnvme_buf_virt_free(buf);
}

static const struct xnvme_be_mem_ops fake_mem = {
    .id = "fake", .buf_alloc = fake_alloc, .buf_free = fake_free};

static void
test_geo(void)
{
	struct xnvme_dev *dev = calloc(1, sizeof(*dev));
	struct xnvme_lba_range range;

	dev->admin = &fake_admin;
	dev->mem = &fake_mem;
	dev->ident.nsid = 1;
	dev->ident.csi = XNVME_SPEC_CSI_NVM;

	/* 512 B + 8 B extended LBAs in format 1, MDTS 5 */
	memset(&g_ctrlr, 0, sizeof(g_ctrlr));
	memset(&g_ns, 0, sizeof(g_ns));
	g_ctrlr.ctrlr.mdts = 5;
	g_ns.ns.nsze = 1000;
	g_ns.ns.nlbaf = 1;
	g_ns.ns.lbaf[0].ds = 12;
	g_ns.ns.lbaf[1].ds = 9;
	g_ns.ns.lbaf[1].ms = 8;
	g_ns.ns.flbas.format = 1;
	g_ns.ns.flbas.extended = 1;
	g_ns.ns.dps.val = 0x1 | 0x8;
	g_have_ns_css = 0;
	CHECK(!xnvme_dev_derive_geo(dev), "derive geometry (extended metadata)");
	CHECK(dev->geo.type == XNVME_GEO_CONVENTIONAL && dev->geo.nbytes == 512 &&
		  dev->geo.nbytes_oob == 8 && dev->geo.lba_extended == 1 &&
		  dev->geo.lba_nbytes == 520 && dev->geo.ssw == 9 &&
		  dev->geo.tbytes == 1000 * 512 && dev->geo.mdts_nbytes == 4096 << 5 &&
		  dev->geo.pi_type == 1 && dev->geo.pi_loc == 1 && dev->geo.nsect == 1000 &&
		  dev->geo.nzone == 1,
	      "extended LBA geometry");
	CHECK(!dev->has_ns_css && xnvme_dev_get_ns_css(dev) == NULL, "no cs-specific namespace");

	/* Separate metadata: bit 4 of FLBAS clear; format index 17 uses the upper FLBAS bits */
	g_ns.ns.nlbaf = 17;
	g_ns.ns.lbaf[17].ds = 12;
	g_ns.ns.lbaf[17].ms = 16;
	g_ns.ns.flbas.format = 1;
	g_ns.ns.flbas.format_msb = 1;
	g_ns.ns.flbas.extended = 0;
	g_ns.ns.dps.val = 0;
	CHECK(!xnvme_dev_derive_geo(dev), "derive geometry (separate metadata)");
	CHECK(dev->geo.nbytes == 4096 && dev->geo.nbytes_oob == 16 && !dev->geo.lba_extended &&
		  dev->geo.lba_nbytes == 4096 && dev->geo.pi_type == 0,
	      "separate metadata geometry from LBA format 17");

	/* The PI guard format of that LBA format, from the NVM command set's identify namespace */
	memset(&g_ns_css, 0, sizeof(g_ns_css));
	g_ns_css.nvm_ns.elbaf[17].pif = XNVME_SPEC_NVM_NS_64B_GUARD;
	g_have_ns_css = 1;
	g_ns.ns.dps.val = 0x2;
	CHECK(!xnvme_dev_derive_geo(dev) && dev->geo.pi_type == 2 &&
		  dev->geo.pi_format == XNVME_SPEC_NVM_NS_64B_GUARD &&
		  xnvme_pi_size(dev->geo.pi_format) == dev->geo.nbytes_oob,
	      "64b guard PI format from the extended LBA format");
	g_have_ns_css = 0;
	g_ns.ns.dps.val = 0;

	/* Zoned: 4096 zones of 0x4000 blocks */
	dev->ident.csi = XNVME_SPEC_CSI_ZONED;
	memset(&g_ns.ns.flbas, 0, sizeof(g_ns.ns.flbas));
	g_ns.ns.nsze = 4096ULL * 0x4000;
	memset(&g_ns_css, 0, sizeof(g_ns_css));
	g_ns_css.znd_ns.lbafe[0].zsze = 0x4000;
	g_ns_css.znd_ns.mor = 13;
	g_have_ns_css = 1;
	g_ctrlr.ctrlr.mdts = 0;
	CHECK(!xnvme_dev_derive_geo(dev), "derive geometry (zoned)");
	CHECK(dev->geo.type == XNVME_GEO_ZONED && dev->geo.nzone == 4096 &&
		  dev->geo.nsect == 0x4000 && dev->geo.mdts_nbytes == 1ULL << 30,
	      "zoned geometry; MDTS 0 is bounded");
	CHECK(xnvme_znd_dev_get_lbafe(dev) && xnvme_znd_dev_get_lbafe(dev)->zsze == 0x4000 &&
		  xnvme_znd_dev_get_ns(dev)->mor == 13,
	      "zoned identify reachable");

	/* LBA ranges against that geometry */
	range = xnvme_lba_range_from_slba_naddrs(dev, 0, 8);
	CHECK(range.attr.is_valid && range.elba == 7 && range.nbytes == 8 * 4096 &&
		  !range.attr.is_zoned,
	      "range from slba/naddrs");
	range = xnvme_lba_range_from_slba_naddrs(dev, g_ns.ns.nsze - 1, 2);
	CHECK(!range.attr.is_valid, "range past the end: not valid");
	range = xnvme_lba_range_from_slba_naddrs(dev, UINT64_MAX, 2);
	CHECK(!range.attr.is_valid, "overflowing range: not valid");
	range = xnvme_lba_range_from_slba_naddrs(dev, 0, 0);
	CHECK(!range.attr.is_valid, "empty range: not valid");
	range = xnvme_lba_range_from_slba_elba(dev, 2, 9);
	CHECK(range.attr.is_valid && range.naddrs == 8 && range.slba == 2, "range from slba/elba");
	range = xnvme_lba_range_from_slba_elba(dev, 9, 2);
	CHECK(!range.attr.is_valid, "elba before slba: not valid");
	range = xnvme_lba_range_from_offset_nbytes(dev, 4096, 8192);
	CHECK(range.attr.is_valid && range.slba == 1 && range.naddrs == 2, "range from bytes");
	range = xnvme_lba_range_from_offset_nbytes(dev, 100, 4096);
	CHECK(!range.attr.is_valid, "unaligned byte offset: not valid");
	{
		struct xnvme_spec_znd_descr zd = {.zslba = 0x4000, .zcap = 0x3000};

		range = xnvme_lba_range_from_zdescr(dev, &zd);
		CHECK(range.attr.is_valid && range.attr.is_zoned && range.slba == 0x4000 &&
			  range.elba == 0x6fff,
		      "range of a zone's capacity");
	}
	free(dev);
}

int
main(void)
{
	test_claims();
	test_ident();
	test_opts();
	test_buf();
	test_geo();
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
