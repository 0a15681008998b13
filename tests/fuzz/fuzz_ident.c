/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Identifiers and options: the pure identifier parser (xnvme_ident_from_uri) on the raw text, then
 * xnvme_dev_open on the ramdisk backend alone with options taken from the input.
 *
 * Input: 9 bytes of options (admin, sync, async and mem picked from lists that hold real, foreign
 * and unknown names; open flags; the "ramdisk:" prefix or not; nsid), then the identifier.
 *
 * Safety: opts.be is always "ramdisk", so no other backend sees the identifier and nothing on the
 * host is opened; identifiers with a number above 1 MiB (after its unit) are not opened, so a
 * run cannot take GiBs. Each run opens at most one device, closes it and drops the ramdisk's
 * kept controller, so every run starts from nothing (and a crash replays from its input alone).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <strings.h>
#include <libxnvme.h>
#include "xnvme_ctrl.h"
#include "fuzz_common.h"

#define FUZZ_IDENT_NUM_MAX (1ull << 20)

static const char *const g_admin[] = {NULL,         "ramdisk", "ramdisk_as_ns", "nvme", "block",
				      "file_as_ns", "",        "bogus"};
static const char *const g_sync[] = {NULL, "ramdisk", "psync", "nvme", "block", "", "bogus", NULL};
static const char *const g_async[] = {NULL,    "thrpool",  "emu",    "nil",
				      "posix", "io_uring", "libaio", "bogus"};
static const char *const g_mem[] = {NULL, "posix", "hugepage", "arena"};

/* A number with an optional unit (K, M, G, T), read the ways the ramdisk's parser may read it */
static uint64_t
ident_num_at(const char *str, const char **end)
{
	char *e10, *e0;
	unsigned long long v10, v0, v;
	int overflow;

	errno = 0;
	v10 = strtoull(str, &e10, 10);
	overflow = errno != 0;
	errno = 0;
	v0 = strtoull(str, &e0, 0);
	overflow |= errno != 0;
	v = v10 > v0 ? v10 : v0;
	*end = e10 > e0 ? e10 : e0;
	if (overflow) {
		return UINT64_MAX;
	}
	switch (**end) {
	case 'k':
	case 'K':
		return v > (UINT64_MAX >> 10) ? UINT64_MAX : v << 10;
	case 'm':
	case 'M':
		return v > (UINT64_MAX >> 20) ? UINT64_MAX : v << 20;
	case 'g':
	case 'G':
	case 't':
	case 'T':
		return v ? UINT64_MAX : 0;
	default:
		return v;
	}
}

/* Every number of the identifier at most FUZZ_IDENT_NUM_MAX: a ramdisk of at most ~1 MiB each */
static bool
ident_small(const char *uri)
{
	for (const char *c = uri; *c;) {
		const char *end;

		if (*c < '0' || *c > '9') {
			c++;
			continue;
		}
		if (ident_num_at(c, &end) > FUZZ_IDENT_NUM_MAX) {
			return false;
		}
		c = end > c ? end : c + 1;
	}
	return true;
}

static void
check_parser(const char *uri)
{
	struct xnvme_ident ident;
	int err = xnvme_ident_from_uri(uri, &ident);

	if (err) {
		FUZZ_ASSERT(err == -EINVAL);
		return;
	}
	/* What it accepts it keeps as given, NUL-terminated, and prints */
	FUZZ_ASSERT(!strcmp(ident.uri, uri));
	FUZZ_ASSERT(ident.dtype <= XNVME_DEV_TYPE_RAMDISK);
	FUZZ_ASSERT(xnvme_ident_fpr(fuzz_devnull(), &ident, XNVME_PR_DEF) > 0);
	FUZZ_ASSERT(xnvme_ident_yaml(fuzz_devnull(), &ident, 2, "\n", 1) > 0);
}

static int
ilog2_exact(uint64_t v)
{
	int n = 0;

	if (!v || (v & (v - 1))) {
		return -1;
	}
	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

/* What an opened ramdisk says of itself must add up */
static void
check_dev(struct xnvme_dev *dev, const struct xnvme_opts *opts)
{
	const struct xnvme_ident *ident = xnvme_dev_get_ident(dev);
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	uint8_t csi = xnvme_dev_get_csi(dev);

	FUZZ_ASSERT(ident && geo);
	FUZZ_ASSERT(ident->dtype == XNVME_DEV_TYPE_RAMDISK);
	FUZZ_ASSERT(ident->nsid >= 1 && xnvme_dev_get_nsid(dev) == ident->nsid);
	FUZZ_ASSERT(!opts->nsid || ident->nsid == opts->nsid);
	FUZZ_ASSERT(csi == XNVME_SPEC_CSI_NVM || csi == XNVME_SPEC_CSI_ZONED ||
		    csi == XNVME_SPEC_CSI_KV);
	FUZZ_ASSERT(csi == ident->csi);
	FUZZ_ASSERT(xnvme_dev_fpr(fuzz_devnull(), dev, XNVME_PR_DEF) > 0);
	FUZZ_ASSERT(xnvme_geo_fpr(fuzz_devnull(), geo, XNVME_PR_DEF) > 0);
	if (csi == XNVME_SPEC_CSI_KV) {
		FUZZ_ASSERT(geo->type == XNVME_GEO_KV);
		return;
	}
	FUZZ_ASSERT(geo->type ==
		    (csi == XNVME_SPEC_CSI_ZONED ? XNVME_GEO_ZONED : XNVME_GEO_CONVENTIONAL));
	FUZZ_ASSERT(geo->nbytes == 512 || geo->nbytes == 4096);
	FUZZ_ASSERT(ilog2_exact(geo->nbytes) == (int)geo->ssw);
	FUZZ_ASSERT(geo->lba_nbytes == geo->nbytes + (geo->lba_extended ? geo->nbytes_oob : 0));
	FUZZ_ASSERT(geo->nbytes_oob <= 64);
	FUZZ_ASSERT(geo->tbytes && geo->tbytes % geo->nbytes == 0);
	FUZZ_ASSERT(geo->tbytes <= FUZZ_IDENT_NUM_MAX);
	FUZZ_ASSERT(geo->mdts_nbytes >= geo->lba_nbytes);
	FUZZ_ASSERT(geo->nzone >= 1 && geo->nsect >= 1);
	/* Zones cover the namespace exactly: a zsze that does not divide the size is refused */
	FUZZ_ASSERT((uint64_t)geo->nzone * geo->nsect * geo->nbytes == geo->tbytes);
	if (csi == XNVME_SPEC_CSI_NVM) {
		FUZZ_ASSERT(geo->nzone == 1 && geo->nsect * geo->nbytes == geo->tbytes);
	}
}

/* One block read at LBA 0 through the sync interface: a status, never a crash */
static void
check_read(struct xnvme_dev *dev)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t *dbuf, *mbuf = NULL;
	int err;

	if (geo->type == XNVME_GEO_KV) {
		return;
	}
	dbuf = calloc(1, geo->lba_nbytes);
	FUZZ_ASSERT(dbuf);
	if (geo->nbytes_oob && !geo->lba_extended) {
		mbuf = calloc(1, geo->nbytes_oob);
		FUZZ_ASSERT(mbuf);
	}
	ctx.cmd.common.opcode = XNVME_SPEC_NVM_OPC_READ;
	ctx.cmd.common.nsid = xnvme_dev_get_nsid(dev);
	ctx.cmd.nvm.slba = 0;
	ctx.cmd.nvm.nlb = 0;
	err = xnvme_cmd_pass(&ctx, dbuf, geo->lba_nbytes, mbuf, mbuf ? geo->nbytes_oob : 0);
	FUZZ_ASSERT(err <= 0);
	FUZZ_ASSERT(!err || xnvme_cmd_ctx_cpl_status(&ctx) || err != -EIO);
	free(mbuf);
	free(dbuf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct xnvme_opts opts = xnvme_opts_default();
	uint8_t pick[4], flags;
	char uri[512];
	struct xnvme_dev *dev;

	fuzz_devnull();
	fuzz_take_bytes(&in, pick, sizeof(pick));
	flags = (uint8_t)fuzz_take(&in, 1);
	opts.nsid = (uint32_t)fuzz_take(&in, 4);
	if (in.len > sizeof(uri) - 9) {
		return 0;
	}
	/* The prefix is part of the identifier: without it, only be=ramdisk says whose it is */
	memcpy(uri, "ramdisk:", 8);
	memcpy(uri + 8, in.data, in.len);
	uri[8 + in.len] = '\0';
	if (memchr(in.data, 0, in.len)) {
		return 0; /* a C string ends at its first NUL: nothing new past it */
	}

	check_parser(uri + 8);
	check_parser(uri);

	opts.be = "ramdisk";
	opts.admin = g_admin[pick[0] % 8];
	opts.sync = g_sync[pick[1] % 8];
	opts.async = g_async[pick[2] % 8];
	opts.mem = g_mem[pick[3] % 4];
	opts.rdonly = flags & 0x1;
	opts.wronly = (flags >> 1) & 0x1;
	opts.rdwr = (flags >> 2) & 0x1;
	opts.create = (flags >> 3) & 0x1;
	opts.truncate = (flags >> 4) & 0x1;
	opts.direct = (flags >> 5) & 0x1;
	opts.poll_io = (flags >> 6) & 0x1;
	if (!ident_small(uri)) {
		return 0;
	}

	dev = xnvme_dev_open((flags & 0x80) ? uri + 8 : uri, &opts);
	if (!dev) {
		FUZZ_ASSERT(errno > 0);
		FUZZ_ASSERT(xnvme_dev_open_err_msg() != NULL);
	} else {
		check_dev(dev, &opts);
		check_read(dev);
		xnvme_dev_close(dev);
	}
	xnvme_ctrl_drop_kept();
	return 0;
}
