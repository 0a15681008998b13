/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What only the ramdisk backend promises, beside tests/ramdisk/test_ramdisk_model.c: how its
 * identifier is refused with nothing left allocated (malloc: ASan's leak check in `make
 * test-sanitize`; mmap: /proc/self/maps), how long a device lives, three namespaces of three
 * command sets, the SMART counting rules (compare and verify are reads; media errors), queues in
 * several threads. usage: test_ramdisk_life
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "../target/check.h"

static struct xnvme_dev *
rd_open(const char *uri, const char *be, uint32_t nsid, const char *async)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.be = be;
	opts.nsid = nsid;
	opts.async = async;
	return xnvme_dev_open(uri, &opts);
}

/* The identifier is refused with EINVAL or ENOMEM and a reason naming the ramdisk backend */
static void
check_refused(const char *uri, const char *be, int want_errno, const char *why)
{
	struct xnvme_dev *dev;

	errno = 0;
	dev = rd_open(uri, be, 0, NULL);
	CHECK(!dev && errno == want_errno && strstr(xnvme_dev_open_err_msg(), "ramdisk"),
	      "'%s' refused (%s): %s (%s)", uri, why, strerror(errno), xnvme_dev_open_err_msg());
	xnvme_dev_close(dev);
}

static void
test_open_refused(void)
{
	check_refused("ramdisk:0", NULL, EINVAL, "size 0");
	check_refused("0", "ramdisk", EINVAL, "size 0, bare, be=ramdisk");
	check_refused("ramdisk:", NULL, EINVAL, "no size");
	check_refused("ramdisk:64XB", NULL, EINVAL, "unknown unit");
	check_refused("ramdisk:-1", NULL, EINVAL, "negative size");
	check_refused("ramdisk:99999999999999999999", NULL, EINVAL, "size overflows");
	check_refused("ramdisk:17000000TiB", NULL, EINVAL, "size overflows with its unit");
	check_refused("ramdisk:1000", NULL, EINVAL, "not a multiple of the block size");
	check_refused("ramdisk:1024TiB", NULL, ENOMEM, "more than free memory");
	check_refused("ramdisk:64MiB,lbads=1000", NULL, EINVAL, "no such LBA size");
	check_refused("ramdisk:64MiB,ms=7", NULL, EINVAL, "no such metadata size");
	check_refused("ramdisk:64MiB,mset=both", NULL, EINVAL, "mset neither ext nor sep");
	check_refused("ramdisk:64MiB,nosuch=1", NULL, EINVAL, "unknown parameter");
	check_refused("ramdisk:64MiB,lbads", NULL, EINVAL, "a parameter without a value");
	check_refused("ramdisk:64MiB,lbads=", NULL, EINVAL, "an empty value");
	check_refused("ramdisk:64MiB,nns=0", NULL, EINVAL, "no namespace");
	check_refused("ramdisk:64MiB,nns=17", NULL, EINVAL, "more namespaces than the model has");
	check_refused("ramdisk:64MiB,zoned=1,zsze=1024,zcap=2048", NULL, EINVAL, "zcap above zsze");
	check_refused("ramdisk:64MiB,zoned=1,zsze=999999999", NULL, EINVAL, "a zone beyond the ns");
	check_refused("ramdisk:64MiB,zoned=1,mor=9,mar=8", NULL, EINVAL, "mor above mar");
	check_refused("ramdisk:64MiB,zoned=1,kv=1", NULL, EINVAL, "one ns zoned and key-value");
	check_refused("ramdisk:64MiB,zoned=1,ronly=16", NULL, EINVAL,
		      "read-only zone out of range");
	check_refused("ramdisk:64MiB,pi=4", NULL, EINVAL, "no such PI type");
	check_refused("ramdisk:64MiB,pi=1", NULL, EINVAL, "PI without 8 bytes of metadata");
	check_refused("ramdisk:64MiB,nsid=2", NULL, EINVAL, "unknown parameter (nsid)");
	errno = 0;
	CHECK(!rd_open("ramdisk:64MiB", NULL, 2, NULL) && errno == ENXIO,
	      "namespace 2 of a one-namespace ramdisk: ENXIO (%s)", xnvme_dev_open_err_msg());
}

/* Bytes mapped, from /proc/self/maps: the ramdisk maps its memory (mmap), LeakSanitizer sees malloc
 */
static long long
mapped_nbytes(void)
{
	FILE *fp = fopen("/proc/self/maps", "r");
	unsigned long long lo, hi;
	long long n = 0;
	char line[512];

	if (!fp) {
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2) {
			n += (long long)(hi - lo);
		}
	}
	fclose(fp);
	return n;
}

/*
 * Refused opens (bad parameters, no such namespace, more than free memory) and reopens of an open
 * identifier map nothing that stays: a ramdisk's memory is mapped once, at its first open
 */
static void
test_no_mapping_left(void)
{
	const char *uri = "ramdisk:4MiB,nns=4,ms=8,zoned=2,zdes=1";
	struct xnvme_dev *first = rd_open(uri, NULL, 1, NULL);
	long long before, after;

	test_open_refused(); /* first: whatever the library maps once is mapped */
	before = mapped_nbytes();
	for (int i = 0; i < 4; ++i) {
		xnvme_dev_close(rd_open(uri, NULL, (uint32_t)i + 1, NULL));
		xnvme_dev_close(rd_open(uri, NULL, 5, NULL));
		xnvme_dev_close(rd_open("ramdisk:1024TiB", NULL, 0, NULL));
		/* refused after namespaces 1..3 (and 1) were mapped: those must be unmapped */
		xnvme_dev_close(
		    rd_open("ramdisk:4MiB,nns=4,zoned=4,zsze=1024,zcap=2048", NULL, 0, NULL));
		xnvme_dev_close(rd_open("ramdisk:4MiB,nns=2,zoned=2,ronly=99", NULL, 0, NULL));
	}
	after = mapped_nbytes();
	/* A leak maps 4 MiB a namespace; malloc's own heap may grow by some KiB */
	CHECK(first && after - before < (1LL << 20),
	      "no mapping left after refused opens and reopens (%lld, then %lld bytes)", before,
	      after);
	xnvme_dev_close(first);
}

/* Opens @p uri with @p admin and @p async asked; checks what the device reports it bound */
static void
check_ifaces(const char *admin, const char *async, const char *want_admin, const char *want_async)
{
	struct xnvme_opts opts = xnvme_opts_default();
	const struct xnvme_opts *got;
	struct xnvme_dev *dev;

	opts.admin = admin;
	opts.async = async;
	dev = xnvme_dev_open("ramdisk:1MiB", &opts);
	got = dev ? xnvme_dev_get_opts(dev) : NULL;
	CHECK(got && !strcmp(got->admin, want_admin) && !strcmp(got->sync, "ramdisk") &&
		  !strcmp(got->async, want_async) && !strcmp(got->mem, "posix"),
	      "admin %s, async %s asked: bound admin %s, sync %s, async %s, mem %s (%s)",
	      admin ? admin : "-", async ? async : "-", got ? got->admin : "-",
	      got ? got->sync : "-", got ? got->async : "-", got ? got->mem : "-",
	      dev ? "" : xnvme_dev_open_err_msg());
	xnvme_dev_close(dev);
}

/*
 * The interfaces and defaults as xNVMe 0.7.5 names them: admin 'ramdisk_as_ns', also bound when
 * 'ramdisk' is asked (and reported under 0.7.5's name, as 0.7.5 does), sync 'ramdisk', async
 * 'thrpool'; emu and nil when asked
 */
static void
test_iface_names(void)
{
	check_ifaces(NULL, NULL, "ramdisk_as_ns", "thrpool");
	check_ifaces("ramdisk", NULL, "ramdisk_as_ns", "thrpool");
	check_ifaces("ramdisk_as_ns", "thrpool", "ramdisk_as_ns", "thrpool");
	check_ifaces(NULL, "emu", "ramdisk_as_ns", "emu");
	check_ifaces(NULL, "nil", "ramdisk_as_ns", "nil");
}

/*
 * Handles of one identifier string share one device, for the whole process (docs/backends.md):
 * a second handle and a reopen see the data; another string is another device
 */
static void
test_lifetime(void)
{
	struct xnvme_dev *a = rd_open("ramdisk:8MiB", NULL, 0, NULL), *b = NULL, *c = NULL;
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;
	int err;

	if (!a) {
		CHECK(0, "open ramdisk:8MiB: %s (%s)", strerror(errno), xnvme_dev_open_err_msg());
		return;
	}
	buf = xnvme_buf_alloc(a, 512);
	memset(buf, 0x7E, 512);
	ctx = xnvme_cmd_ctx_from_dev(a);
	err = xnvme_nvm_write(&ctx, 1, 9, 0, buf, NULL);
	CHECK(!err, "write through the first handle (%d)", err);

	b = rd_open("ramdisk:8MiB", NULL, 0, NULL);
	memset(buf, 0, 512);
	ctx = xnvme_cmd_ctx_from_dev(b);
	err = b ? xnvme_nvm_read(&ctx, 1, 9, 0, buf, NULL) : -ENODEV;
	CHECK(!err && buf[0] == 0x7E && buf[511] == 0x7E,
	      "a second handle of the same identifier reads it (%d)", err);
	c = rd_open("8MiB", "ramdisk", 0, NULL);
	ctx = xnvme_cmd_ctx_from_dev(c);
	err = c ? xnvme_nvm_read(&ctx, 1, 9, 0, buf, NULL) : -ENODEV;
	CHECK(!err && buf[0] == 0, "another identifier (bare size, be=ramdisk) is another device");
	xnvme_dev_close(c);

	xnvme_dev_close(a);
	xnvme_dev_close(b);
	a = rd_open("ramdisk:8MiB", NULL, 0, NULL);
	memset(buf, 0, 512);
	ctx = xnvme_cmd_ctx_from_dev(a);
	err = a ? xnvme_nvm_read(&ctx, 1, 9, 0, buf, NULL) : -ENODEV;
	CHECK(!err && buf[0] == 0x7E && buf[511] == 0x7E,
	      "closed by all and reopened: the data is there (%d)", err);
	xnvme_dev_close(a);
	xnvme_buf_virt_free(buf);
}

static uint64_t
u128_lo(const uint8_t *v)
{
	uint64_t val;

	memcpy(&val, v, sizeof(val));
	return val;
}

static int
health(struct xnvme_dev *dev, struct xnvme_spec_log_health_entry *h)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);

	return xnvme_adm_log(&ctx, XNVME_SPEC_LOG_HEALTH, 0, 0, 0xFFFFFFFF, 0, h, sizeof(*h));
}

/* Exact counters (nobody else uses this device), the error log, features, format */
static void
test_admin(void)
{
	struct xnvme_dev *dev = rd_open("ramdisk:16MiB", NULL, 0, NULL);
	struct xnvme_spec_log_health_entry h0, h1;
	struct xnvme_spec_log_erri_entry *errs;
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;
	int err;

	if (!dev) {
		CHECK(0, "open ramdisk:16MiB: %s", xnvme_dev_open_err_msg());
		return;
	}
	buf = xnvme_buf_alloc(dev, 64 * 1024);
	memset(buf, 0x11, 64 * 1024);
	err = health(dev, &h0);
	for (int i = 0; !err && i < 10; ++i) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_nvm_write(&ctx, 1, (uint64_t)i * 128, 127, buf, NULL); /* 64 KiB */
	}
	for (int i = 0; !err && i < 3; ++i) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		err = xnvme_nvm_read(&ctx, 1, 0, 1, buf, NULL);
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err : xnvme_nvm_verify(&ctx, 1, 0, 7);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err : xnvme_nvm_write_zeroes(&ctx, 1, 0, 7);
	err = err ? err : health(dev, &h1);
	/* 640 KiB = 1280 units of 512 bytes: 2 data units (thousands, rounded up) */
	CHECK(!err && u128_lo(h1.host_write_cmds) - u128_lo(h0.host_write_cmds) == 10 &&
		  u128_lo(h1.host_read_cmds) - u128_lo(h0.host_read_cmds) == 4 &&
		  u128_lo(h1.data_units_written) == 2 && u128_lo(h1.data_units_read) == 1,
	      "SMART: 10 writes, 3 reads + 1 verify; data units written 2, read 1 (%d: %llu %llu "
	      "%llu %llu)",
	      err, (unsigned long long)u128_lo(h1.host_write_cmds),
	      (unsigned long long)u128_lo(h1.host_read_cmds),
	      (unsigned long long)u128_lo(h1.data_units_written),
	      (unsigned long long)u128_lo(h1.data_units_read));

	/* A command the model refuses lands in the error log, newest first */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	ctx.cmd.common.opcode = 0x7F;
	ctx.cmd.common.nsid = 1;
	ctx.cmd.common.cid = 0x1234;
	err = xnvme_cmd_pass(&ctx, NULL, 0, NULL, 0);
	CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_OPCODE,
	      "an opcode the model lacks: Invalid Opcode (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_write_uncorrectable(&ctx, 1, 5, 0);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err : xnvme_nvm_read(&ctx, 1, 4, 3, buf, NULL);
	CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_SC_UNRECOVERED_READ_ERROR,
	      "a read over a block written uncorrectable: Unrecovered Read Error (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ERRI, 0, 0, 0xFFFFFFFF, 0, buf, 4096);
	errs = (void *)buf;
	CHECK(!err && errs[0].status.sc == XNVME_SPEC_SC_UNRECOVERED_READ_ERROR &&
		  errs[0].lba == 4 && errs[0].nsid == 1 && errs[1].cid == 0x1234 &&
		  errs[1].status.sc == XNVME_SPEC_SC_INVALID_OPCODE &&
		  errs[0].ecnt == errs[1].ecnt + 1,
	      "error log: the read error (lba 4), then the bad opcode (cid 0x1234) (%d)", err);
	err = health(dev, &h1);
	CHECK(!err && u128_lo(h1.nr_err_logs) == errs[0].ecnt && u128_lo(h1.mdi_errs) == 1,
	      "SMART: error log entries %llu, media errors %llu",
	      (unsigned long long)u128_lo(h1.nr_err_logs),
	      (unsigned long long)u128_lo(h1.mdi_errs));
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_write(&ctx, 1, 5, 0, buf, NULL);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err : xnvme_nvm_read(&ctx, 1, 4, 3, buf, NULL);
	CHECK(!err, "rewritten, the block reads again (%d)", err);

	/* Features: current and saved kept apart; default as at power-on */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sfeat(&ctx, 0, XNVME_SPEC_FEAT_VWCACHE, 0, 0, NULL, 0);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err : xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_VWCACHE, 0, NULL, 0);
	CHECK(!err && ctx.cpl.cdw0 == 0, "volatile write cache off: reads back 0 (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_VWCACHE, XNVME_SPEC_FEAT_SEL_SAVED, NULL, 0);
	CHECK(!err && ctx.cpl.cdw0 == 1, "saved value untouched without save (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sfeat(&ctx, 0, XNVME_SPEC_FEAT_PWR_MGMT, 0, 1, NULL, 0);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err
		  : xnvme_adm_sfeat(&ctx, 0, XNVME_SPEC_FEAT_ARBITRATION, 0x03020103, 1, NULL, 0);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err
		  : xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_ARBITRATION, XNVME_SPEC_FEAT_SEL_SAVED,
				    NULL, 0);
	CHECK(!err && ctx.cpl.cdw0 == 0x03020103, "arbitration saved: 0x%x (%d)", ctx.cpl.cdw0,
	      err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sfeat(&ctx, 0, XNVME_SPEC_FEAT_NQUEUES, (200u << 16) | 3u, 0, NULL, 0);
	CHECK(!err && ctx.cpl.cdw0 == ((63u << 16) | 3u),
	      "number of queues: asked 4 SQs / 201 CQs, got 4 / 64 (0x%x)", ctx.cpl.cdw0);

	/* Format NVM into 4096 + 8, extended: the geometry follows, the data is gone */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_format(&ctx, 1, 4, 0, 1, 0, 0, 0);
	CHECK(!err && !xnvme_dev_derive_geo(dev) && xnvme_dev_get_geo(dev)->nbytes == 4096 &&
		  xnvme_dev_get_geo(dev)->nbytes_oob == 8 && xnvme_dev_get_geo(dev)->lba_extended &&
		  xnvme_dev_get_geo(dev)->tbytes == 16ULL << 20,
	      "format into LBA format 4 (4096 + 8, extended): geometry follows (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	memset(buf, 0xFF, 4104);
	err = xnvme_nvm_read(&ctx, 1, 0, 0, buf, NULL);
	CHECK(!err && !buf[0] && !buf[4095] && !buf[4103], "and the data reads as zeroes (%d)",
	      err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_format(&ctx, 1, 9, 0, 0, 0, 0, 0);
	CHECK(err == -EIO && ctx.cpl.status.sct == XNVME_STATUS_CODE_TYPE_CMDSPEC &&
		  ctx.cpl.status.sc == 0x0A,
	      "format into a format it has not got: Invalid Format (%d)", err);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

/* Three namespaces of three command sets on one controller */
static void
test_namespaces(void)
{
	const char *uri = "ramdisk:16MiB,nns=3,zoned=2,kv=3,ronly=1";
	struct xnvme_dev *ctrl = rd_open(uri, NULL, 1, NULL), *zns = NULL, *kv = NULL;
	struct xnvme_spec_znd_log_changes *chg;
	struct xnvme_spec_idfy *idfy;
	struct xnvme_cmd_ctx ctx;
	int err;

	if (!ctrl) {
		CHECK(0, "open %s: %s", uri, xnvme_dev_open_err_msg());
		return;
	}
	zns = rd_open(uri, NULL, 2, NULL);
	kv = rd_open(uri, NULL, 3, NULL);
	CHECK(zns && kv, "namespaces 2 and 3 open (%s)", xnvme_dev_open_err_msg());
	CHECK(zns && xnvme_dev_get_geo(zns)->type == XNVME_GEO_ZONED &&
		  xnvme_dev_get_csi(zns) == XNVME_SPEC_CSI_ZONED,
	      "nsid 2 is zoned");
	CHECK(kv && xnvme_dev_get_geo(kv)->type == XNVME_GEO_KV, "nsid 3 is key-value");
	CHECK(xnvme_dev_get_ctrlr(ctrl)->nn == 3, "identify controller: nn 3");
	idfy = xnvme_buf_alloc(ctrl, sizeof(*idfy));
	ctx = xnvme_cmd_ctx_from_dev(ctrl);
	err = xnvme_adm_idfy(&ctx, XNVME_SPEC_IDFY_NSLIST, 0, 0, 0, 0, idfy);
	CHECK(!err && idfy->nslist[0] == 1 && idfy->nslist[1] == 2 && idfy->nslist[2] == 3 &&
		  !idfy->nslist[3],
	      "namespace list: 1, 2, 3");
	ctx = xnvme_cmd_ctx_from_dev(ctrl);
	ctx.cmd.idfy.csi =
	    XNVME_SPEC_CSI_ZONED; /* xnvme_adm_idfy() leaves it, as 0.7.5 does not set it */
	err = xnvme_adm_idfy(&ctx, XNVME_SPEC_IDFY_NSLIST_IOCS, 0, 0, 0, 0, idfy);
	CHECK(!err && idfy->nslist[0] == 2 && !idfy->nslist[1], "zoned namespace list: 2");
	ctx = xnvme_cmd_ctx_from_dev(ctrl);
	err = xnvme_adm_idfy(&ctx, XNVME_SPEC_IDFY_NSDSCR, 0, 3, 0, 0, idfy);
	CHECK(!err && idfy->raw[0] == 4 && idfy->raw[4] == XNVME_SPEC_CSI_KV,
	      "descriptor list of nsid 3: CSI key-value");

	/* Zone 1 was made read-only by the controller: the changed zone list says so, once */
	chg = (void *)idfy;
	ctx = xnvme_cmd_ctx_from_dev(ctrl);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ZND_CHANGES, 0, 0, 2, 0, chg, sizeof(*chg));
	CHECK(!err && chg->nidents == 1 && zns && chg->idents[0] == xnvme_dev_get_geo(zns)->nsect,
	      "changed zone list: zone 1 (%d, %u)", err, chg->nidents);
	ctx = xnvme_cmd_ctx_from_dev(ctrl);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ZND_CHANGES, 0, 0, 2, 0, chg, sizeof(*chg));
	CHECK(!err && chg->nidents == 0, "read again: empty (%d)", err);
	if (zns) {
		uint64_t zsze = xnvme_dev_get_geo(zns)->nsect;

		ctx = xnvme_cmd_ctx_from_dev(zns);
		err = xnvme_znd_mgmt_send(&ctx, 2, 0, false, XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE,
					  0, NULL);
		CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_ZND_SC_INVALID_TRANS,
		      "offline an empty zone: Invalid Zone State Transition (%d)", err);
		ctx = xnvme_cmd_ctx_from_dev(zns);
		err = xnvme_nvm_write(&ctx, 2, zsze, 0, idfy, NULL);
		CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_ZND_SC_IS_READONLY,
		      "write to the read-only zone: Zone Is Read Only (%d)", err);
		ctx = xnvme_cmd_ctx_from_dev(zns);
		err = xnvme_znd_mgmt_send(&ctx, 2, zsze, false,
					  XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE, 0, NULL);
		CHECK(!err, "offline the read-only zone (%d)", err);
		ctx = xnvme_cmd_ctx_from_dev(zns);
		err = xnvme_nvm_read(&ctx, 2, zsze, 0, idfy, NULL);
		CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_ZND_SC_IS_OFFLINE,
		      "read from the offline zone: Zone Is Offline (%d)", err);
	}
	xnvme_buf_free(ctrl, idfy);
	xnvme_dev_close(kv);
	xnvme_dev_close(zns);
	xnvme_dev_close(ctrl);
}

/* nil=1: commands execute (ranges, states, counters), data is neither stored nor copied */
static void
test_nil(void)
{
	struct xnvme_dev *dev = rd_open("ramdisk:1GiB,nil=1", NULL, 0, NULL);
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;
	int err;

	if (!dev) {
		CHECK(0, "open ramdisk:1GiB,nil=1: %s", xnvme_dev_open_err_msg());
		return;
	}
	buf = xnvme_buf_alloc(dev, 4096);
	memset(buf, 0x33, 4096);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_write(&ctx, 1, 0, 7, buf, NULL);
	memset(buf, 0x44, 4096);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = err ? err : xnvme_nvm_read(&ctx, 1, 0, 7, buf, NULL);
	CHECK(!err && buf[0] == 0x44 && buf[4095] == 0x44,
	      "nil: write and read succeed, the read buffer is left as it was (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, 1, (1ULL << 30) / 512, 0, buf, NULL);
	CHECK(err == -EINVAL || err == -EIO, "nil: a read past the end still fails (%d)", err);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

/* One device, a queue per thread, each thread its own range: the controller's lock at work */
struct worker {
	const char *uri;
	uint32_t id;
	int err;
};

#define RD_THREADS     4
#define RD_THREAD_NCMD 2048

static void
worker_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct worker *w = cb_arg;

	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		w->err = -EIO;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct xnvme_dev *dev = rd_open(w->uri, NULL, 0, "emu");
	struct xnvme_queue *queue = NULL;
	uint8_t *buf;
	uint64_t base = (uint64_t)w->id * RD_THREAD_NCMD;

	if (!dev || xnvme_queue_init(dev, 16, 0, &queue)) {
		w->err = -ENODEV;
		xnvme_dev_close(dev);
		return NULL;
	}
	xnvme_queue_set_cb(queue, worker_cb, w);
	buf = xnvme_buf_alloc(dev, 512 * RD_THREAD_NCMD);
	for (uint32_t i = 0; i < RD_THREAD_NCMD * 512; ++i) {
		buf[i] = (uint8_t)(i / 512 + w->id * 7);
	}
	for (int write = 1; write >= 0 && !w->err; --write) {
		for (uint32_t i = 0; i < RD_THREAD_NCMD && !w->err; ++i) {
			struct xnvme_cmd_ctx *ctx;

			while (!(ctx = xnvme_queue_get_cmd_ctx(queue))) {
				xnvme_queue_poke(queue, 0);
			}
			/* One context more than the queue takes: -EBUSY until a poke */
			do {
				w->err =
				    write
					? xnvme_nvm_write(ctx, 1, base + i, 0, buf + i * 512, NULL)
					: xnvme_nvm_read(ctx, 1, base + i, 0, buf + i * 512, NULL);
			} while (w->err == -EBUSY && xnvme_queue_poke(queue, 0) >= 0);
		}
		xnvme_queue_drain(queue);
		if (write) {
			memset(buf, 0, 512 * RD_THREAD_NCMD);
		}
	}
	for (uint32_t i = 0; i < RD_THREAD_NCMD * 512 && !w->err; ++i) {
		if (buf[i] != (uint8_t)(i / 512 + w->id * 7)) {
			w->err = -EILSEQ;
		}
	}
	xnvme_buf_free(dev, buf);
	xnvme_queue_term(queue);
	xnvme_dev_close(dev);
	return NULL;
}

static void
test_threads(void)
{
	const char *uri = "ramdisk:8MiB";
	struct xnvme_dev *keep = rd_open(uri, NULL, 0, NULL);
	struct worker w[RD_THREADS];
	pthread_t th[RD_THREADS];
	int nok = 0;

	for (uint32_t i = 0; i < RD_THREADS; ++i) {
		w[i] = (struct worker){.uri = uri, .id = i, .err = 0};
		pthread_create(&th[i], NULL, worker_run, &w[i]);
	}
	for (uint32_t i = 0; i < RD_THREADS; ++i) {
		pthread_join(th[i], NULL);
		nok += !w[i].err;
	}
	CHECK(nok == RD_THREADS, "%d threads, a handle and a queue each, on one device: %d ok",
	      RD_THREADS, nok);
	xnvme_dev_close(keep);
}

int
main(void)
{
	test_iface_names();
	test_no_mapping_left();
	test_lifetime();
	test_admin();
	test_namespaces();
	test_nil();
	test_threads();
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
