/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk identifier's strictness (issue 17): every comma separates two non-empty tokens, a
 * key is given once, zone keys need zoned=, kvseed needs kv= and must fit its namespace, zones
 * cover the namespace exactly and are counted in 64 bits, a number beyond its field is refused;
 * nil=1 neither skips the memory check nor takes seconds on a zone array. Each refusal is EINVAL
 * (ENOMEM for memory) with one reason naming the ramdisk and what was wrong.
 * usage: test_ramdisk_ident
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxnvme.h>
#include "../target/check.h"
#include "refused.h"

/* The process's CPU time: what an open costs, whatever else the machine is running */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct refusal {
	const char *uri;
	int want_errno;
	const char *needle;
};

static void
check_refused_all(const struct refusal *list, size_t n)
{
	for (size_t i = 0; i < n; ++i) {
		check_refused(list[i].uri, list[i].want_errno, list[i].needle);
	}
}

/* What the parser refuses before any size or memory is considered */
static void
test_refusals(void)
{
	static const struct refusal list[] = {
	    /* Every comma separates two non-empty tokens; each key once */
	    {"ramdisk:,1MiB", EINVAL, "comma"},
	    {"ramdisk:,", EINVAL, "comma"},
	    {"ramdisk:1MiB,", EINVAL, "empty parameter"},
	    {"ramdisk:1MiB,ms=8,", EINVAL, "empty parameter"},
	    {"ramdisk:1MiB,,ms=8", EINVAL, "empty parameter"},
	    {"ramdisk:1MiB,ms=8,,", EINVAL, "empty parameter"},
	    {"ramdisk:1MiB,=8", EINVAL, "unknown parameter"},
	    {"ramdisk:1MiB,ms=8,ms=8", EINVAL, "ms: given twice"},
	    {"ramdisk:1MiB,ms=8,ms=0", EINVAL, "ms: given twice"},
	    {"ramdisk:1MiB,zoned=1,zsze=256,zsze=512", EINVAL, "zsze: given twice"},
	    {"ramdisk:1MiB,nil=1,nil=1", EINVAL, "nil: given twice"},
	    {"ramdisk:1MiB,err=write:0/4,err=read:0/4", EINVAL, "err: given twice"},
	    /* Zone keys need zoned=, kvseed kv=, zoned=/kv= within a given nns= */
	    {"ramdisk:1MiB,ronly=1", EINVAL, "ronly needs zoned="},
	    {"ramdisk:1MiB,zsze=256", EINVAL, "zsze needs zoned="},
	    {"ramdisk:1MiB,zcap=256", EINVAL, "zcap needs zoned="},
	    {"ramdisk:1MiB,mor=2,mar=4", EINVAL, "needs zoned="},
	    {"ramdisk:1MiB,zdes=1", EINVAL, "zdes needs zoned="},
	    {"ramdisk:1MiB,kvseed=3", EINVAL, "kvseed needs kv="},
	    {"ramdisk:1MiB,nns=2,zoned=3", EINVAL, "beyond nns="},
	    {"ramdisk:1MiB,nns=1,kv=2", EINVAL, "beyond nns="},
	    /* Overflowing values are refused, never cut to fit their field */
	    {"ramdisk:1MiB,nns=18446744073709551617", EINVAL, "nns"},
	    {"ramdisk:1MiB,nns=4294967297", EINVAL, "nns"},
	    {"ramdisk:1MiB,ms=65544", EINVAL, "ms"},
	    {"ramdisk:1MiB,lbads=4294971392", EINVAL, "lbads"},
	    {"ramdisk:1MiB,zoned=1,zsze=4294967552", EINVAL, "zsze"},
	    {"ramdisk:1MiB,zoned=1,zsze=0", EINVAL, "zsze"},
	    {"ramdisk:1MiB,zoned=1,mor=16777216", EINVAL, "mor"},
	    {"ramdisk:1MiB,zoned=1,mor=0", EINVAL, "mor"},
	    {"ramdisk:1MiB,zoned=1,zdes=272", EINVAL, "zdes"},
	    {"ramdisk:1MiB,zoned=1,ronly=4294967296", EINVAL, "ronly"},
	    {"ramdisk:1MiB,kv=1,kvseed=4294967297", EINVAL, "kvseed"},
	    {"ramdisk:1MiB,nil=2", EINVAL, "nil"},
	    {"ramdisk:18446744073709551616", EINVAL, "size"},
	    {"ramdisk:16777216TiB", EINVAL, "size"},
	    /* err='s rules: each part checked; a bad rule is refused at open, not ignored */
	    {"ramdisk:1MiB,err=", EINVAL, "err: rules are joined"},
	    {"ramdisk:1MiB,err=write:0/4+", EINVAL, "err: rules are joined"},
	    {"ramdisk:1MiB,err=+write:0/4", EINVAL, "err: rules are joined"},
	    {"ramdisk:1MiB,err=write:0/4++read:0/4", EINVAL, "err: rules are joined"},
	    {"ramdisk:1MiB,err=write", EINVAL, "'write'"},
	    {"ramdisk:1MiB,err=write:0/0", EINVAL, "'write:0/0'"},
	    {"ramdisk:1MiB,err=write:8/1", EINVAL, "'write:8/1'"},
	    {"ramdisk:1MiB,err=write:0/256", EINVAL, "'write:0/256'"},
	    {"ramdisk:1MiB,err=write:0/4/x", EINVAL, "'write:0/4/x'"},
	    {"ramdisk:1MiB,err=write@0:0/4", EINVAL, "'write@0:0/4'"},
	    {"ramdisk:1MiB,err=writex0:0/4", EINVAL, "'writex0:0/4'"},
	    {"ramdisk:1MiB,err=write@18446744073709551616:0/4", EINVAL, "err: the rule"},
	    {"ramdisk:1MiB,err=read#5-3:0/4", EINVAL, "'read#5-3:0/4'"},
	    {"ramdisk:1MiB,err=identify#1:0/4", EINVAL, "'identify#1:0/4'"},
	    {"ramdisk:1MiB,err=io256:0/4", EINVAL, "'io256:0/4'"},
	    {"ramdisk:1MiB,err=nosuch:0/4", EINVAL, "'nosuch:0/4'"},
	    {"ramdisk:1MiB,err=read5:0/4", EINVAL, "'read5:0/4'"},
	    {"ramdisk:1MiB,err=read:0/4+read:0/4+read:0/4+read:0/4+read:0/4+read:0/4+read:0/4+"
	     "read:0/4+read:0/4",
	     EINVAL, "more than 8 rules"},
	};

	check_refused_all(list, sizeof(list) / sizeof(list[0]));
}

static struct xnvme_dev *
check_open(const char *uri)
{
	struct xnvme_dev *dev = xnvme_dev_open(uri, NULL);

	CHECK(dev, "'%s' opens (%s)", uri, dev ? "" : xnvme_dev_open_err_msg());
	return dev;
}

/* Every block in a zone: zsze must divide the namespace, the default does */
static void
test_zones_cover(void)
{
	struct xnvme_dev *dev;

	check_refused("ramdisk:1MiB,zoned=1,zsze=3", EINVAL, "outside any zone");
	check_refused("ramdisk:1MiB,zoned=1,zsze=1536", EINVAL, "outside any zone");
	/* 100 blocks: 1/16 was 6 blocks a zone, 16 zones, 4 blocks in none; now 10 of 10 */
	dev = check_open("ramdisk:51200,zoned=1");
	if (dev) {
		const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);

		CHECK(geo->nzone == 10 && geo->nsect == 10, "100 blocks, default: %u zones of %llu",
		      geo->nzone, (unsigned long long)geo->nsect);
		xnvme_dev_close(dev);
	}
}

/* The zone count is computed in 64 bits and bounded; nil=1 bounds memory and time as well */
static void
test_zone_count(void)
{
	struct xnvme_dev *dev;
	double t0;

	/* 2^32 + 16 blocks of one: was 16 zones (the count cut to 32 bits) */
	t0 = now_s();
	check_refused("ramdisk:2199023263744,nil=1,zoned=1,zsze=1", EINVAL, "4294967312 zones");
	/* 32 Mi zones: was 1 GiB of zone state, 3.4 s */
	check_refused("ramdisk:16GiB,nil=1,zoned=1,zsze=1", EINVAL, "33554432 zones");
	CHECK(now_s() - t0 < 0.5, "both refused in %.3f s of CPU", now_s() - t0);

	/* 16 zones of 2^28 + 1 blocks: the size past 2^32 blocks is kept whole */
	dev = check_open("ramdisk:2199023263744,nil=1,zoned=1");
	if (dev) {
		const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);

		CHECK(geo->nzone == 16 && geo->nsect == 268435457ULL,
		      "2^32 + 16 blocks: %u zones of %llu blocks", geo->nzone,
		      (unsigned long long)geo->nsect);
		xnvme_dev_close(dev);
	}

	/* The most zones the model keeps, with extensions: opens fast */
	t0 = now_s();
	dev = check_open("ramdisk:16GiB,nil=1,zoned=1,zsze=128,zdes=16");
	if (dev) {
		const struct xnvme_geo *geo = xnvme_dev_get_geo(dev);

		CHECK(geo->nzone == 1u << 18, "%u zones", geo->nzone);
		xnvme_dev_close(dev);
	}
	CHECK(now_s() - t0 < 0.5, "256 Ki zones with 1 KiB extensions each opened in %.3f s of CPU",
	      now_s() - t0);
	check_refused("ramdisk:16GiB,nil=1,zoned=1,zsze=64", EINVAL, "524288 zones");
}

/* nil=1 keeps no data, but its bitmaps are counted against free memory */
static void
test_nil_memory(void)
{
	double t0 = now_s();

	/* 2^53 blocks: a bitmap of 1 PiB; was calloc'd (or failed) without the check */
	check_refused("ramdisk:4194304TiB,nil=1", ENOMEM, "free memory");
	CHECK(now_s() - t0 < 0.5, "refused in %.3f s of CPU", now_s() - t0);
}

/* Seeded values take the namespace's capacity as stored ones do */
static void
test_kvseed(void)
{
	struct xnvme_dev *dev;

	/* value0..value9: 60 bytes, value10..value73: 448; 508 of 512. 75 keys: 515 */
	check_refused("ramdisk:512,kv=1,kvseed=75", EINVAL, "kvseed: 75 values take 515 bytes");
	check_refused("ramdisk:512KiB,kv=1,kvseed=100000", EINVAL, "more than the namespace");
	dev = check_open("ramdisk:512,kv=1,kvseed=74");
	if (dev) {
		struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
		char *val = xnvme_buf_alloc(dev, 4096);
		int err;

		memset(val, 'v', 4096);
		err = xnvme_kvs_store(&ctx, 1, "k", 1, val, 5, 0);
		CHECK(
		    err && ctx.cpl.status.sc == XNVME_SPEC_KV_SC_CAPACITY_EXCEEDED,
		    "5 bytes more than the seeded 508 of 512: Capacity Exceeded (err %d, sc 0x%x)",
		    err, ctx.cpl.status.sc);
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_kvs_store(&ctx, 1, "k", 1, val, 4, 0);
		CHECK(!err, "4 bytes fill it to 512 (err %d)", err);
		xnvme_buf_free(dev, val);
		xnvme_dev_close(dev);
	}
}

int
main(void)
{
	test_refusals();
	test_zones_cover();
	test_zone_count();
	test_nil_memory();
	test_kvseed();
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
