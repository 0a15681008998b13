/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the ramdisk backend's controller model promises beyond the shared test bodies: bad
 * identifiers are refused with nothing left allocated (the sanitizer run checks for leaks); the
 * SMART log counts what was done; the error log records failed commands, newest first, over more
 * than 4 KiB (read whole and at offsets); features keep current and saved values; format changes
 * the LBA format and wipes the data; sanitize erases or overwrites and reports its status;
 * self-tests complete and are logged; a zone the controller made read-only is in the changed zone
 * list and goes offline on request; threads with their own queues write at once; nil mode stores
 * nothing; the device outlives its handles.
 * usage: test_ramdisk_model
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "../target/check.h"

static struct xnvme_dev *
rd_open(const char *uri)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.nsid = 0;
	return xnvme_dev_open(uri, &opts);
}

static void
test_bad_identifiers(void)
{
	static const struct {
		const char *uri;
		int err;
	} bad[] = {
	    {"ramdisk:0", EINVAL},
	    {"ramdisk:", EINVAL},
	    {"ramdisk:abc", EINVAL},
	    {"ramdisk:1000", EINVAL},
	    {"ramdisk:1000TiB", ENOMEM},
	    {"ramdisk:99999999999999999999", EINVAL},
	    {"ramdisk:1MiB,lbads=1000", EINVAL},
	    {"ramdisk:1MiB,ms=7", EINVAL},
	    {"ramdisk:1MiB,mset=x", EINVAL},
	    {"ramdisk:1MiB,nns=0", EINVAL},
	    {"ramdisk:1MiB,nns=17", EINVAL},
	    {"ramdisk:1MiB,pi=1", EINVAL},
	    {"ramdisk:1MiB,nosuch=1", EINVAL},
	    {"ramdisk:1MiB,zoned", EINVAL},
	    {"ramdisk:1MiB,zoned=1,zsze=0x100000", EINVAL},
	    {"ramdisk:1MiB,zoned=1,zsze=64,zcap=65", EINVAL},
	    {"ramdisk:1MiB,zoned=1,kv=1", EINVAL},
	    {"ramdisk:1MiB,zoned=1,ronly=999", EINVAL},
	};

	for (size_t i = 0; i < XNVME_ARRAY_SIZE(bad); ++i) {
		struct xnvme_dev *dev;

		errno = 0;
		dev = rd_open(bad[i].uri);
		CHECK(!dev && errno == bad[i].err, "%s: refused, %s (%s)", bad[i].uri,
		      strerror(bad[i].err), xnvme_dev_open_err_msg());
		xnvme_dev_close(dev);
	}
	{
		struct xnvme_opts opts = xnvme_opts_default();
		struct xnvme_dev *dev;

		opts.nsid = 3;
		errno = 0;
		dev = xnvme_dev_open("ramdisk:1MiB,nns=2", &opts);
		CHECK(!dev && errno == ENXIO, "nsid 3 of 2 namespaces: ENXIO");
		xnvme_dev_close(dev);
		opts.nsid = 2;
		dev = xnvme_dev_open("ramdisk:1MiB,nns=2", &opts);
		CHECK(dev && xnvme_dev_get_nsid(dev) == 2, "nsid 2 of 2 namespaces");
		xnvme_dev_close(dev);
	}
}

static uint64_t
u128_lo(const uint8_t *bytes)
{
	uint64_t v;

	memcpy(&v, bytes, 8);
	return v;
}

static void
test_logs(void)
{
	struct xnvme_dev *dev = rd_open("ramdisk:8MiB");
	struct xnvme_spec_log_health_entry *health;
	struct xnvme_spec_log_erri_entry *erri, *part;
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;
	int err;

	CHECK(dev != NULL, "open ramdisk:8MiB");
	if (!dev) {
		return;
	}
	buf = xnvme_buf_alloc(dev, 64 << 10);
	health = xnvme_buf_alloc(dev, sizeof(*health));
	erri = xnvme_buf_alloc(dev, 256 * sizeof(*erri));
	part = xnvme_buf_alloc(dev, 128 * sizeof(*part));
	for (int i = 0; i < 10; ++i) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		CHECK(!xnvme_nvm_write(&ctx, 1, (uint64_t)i * 8, 7, buf, NULL), "write %d", i);
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!xnvme_nvm_read(&ctx, 1, 0, 127, buf, NULL), "read 128 blocks");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_HEALTH, 0, 0, 0xFFFFFFFF, 0, health,
			    sizeof(*health));
	CHECK(!err && u128_lo(health->host_write_cmds) == 10 &&
		  u128_lo(health->host_read_cmds) == 1 &&
		  u128_lo(health->data_units_written) == 1 && u128_lo(health->data_units_read) == 1,
	      "SMART: 10 write commands, 1 read, data units rounded up (w %llu r %llu)",
	      (unsigned long long)u128_lo(health->host_write_cmds),
	      (unsigned long long)u128_lo(health->host_read_cmds));

	/*
	 * 100 commands the controller fails, each with its own start LBA: verify on a namespace
	 * that does not exist (the library leaves other namespaces to the device to judge)
	 */
	for (uint64_t i = 0; i < 100; ++i) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		ctx.cmd.common.opcode = XNVME_SPEC_NVM_OPC_VERIFY;
		ctx.cmd.common.nsid = 2;
		ctx.cmd.nvm.slba = 1000000 + i;
		err = xnvme_cmd_pass(&ctx, NULL, 0, NULL, 0);
		if (err != -EIO || ctx.cpl.status.sc != XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT) {
			CHECK(0, "verify on nsid 2: Invalid Namespace (%d)", err);
			break;
		}
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ERRI, 0, 0, 0xFFFFFFFF, 0, erri,
			    256 * sizeof(*erri));
	CHECK(!err && erri[0].ecnt == 100 && erri[0].lba == 1000099 && erri[99].ecnt == 1 &&
		  erri[99].lba == 1000000 && erri[100].ecnt == 0,
	      "error log of 16 KiB: 100 entries, newest first (%llu, %llu)",
	      (unsigned long long)erri[0].ecnt, (unsigned long long)erri[99].ecnt);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ERRI, 0, 64 * sizeof(*erri), 0xFFFFFFFF, 0, part,
			    128 * sizeof(*part));
	CHECK(!err && !memcmp(part, &erri[64], 128 * sizeof(*part)),
	      "error log from offset 4096, 8 KiB: the same entries 64..191");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ERRI, 0, 256 * sizeof(*erri), 0xFFFFFFFF, 0, part,
			    64);
	CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_FIELD,
	      "error log from past its end: Invalid Field");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_HEALTH, 0, 0, 0xFFFFFFFF, 0, health,
			    sizeof(*health));
	CHECK(!err && u128_lo(health->nr_err_logs) == 101,
	      "SMART counts the error log entries, the last one too (%llu)",
	      (unsigned long long)u128_lo(health->nr_err_logs));
	xnvme_buf_free(dev, buf);
	xnvme_buf_free(dev, health);
	xnvme_buf_free(dev, erri);
	xnvme_buf_free(dev, part);
	xnvme_dev_close(dev);
}

static void
test_features_format(void)
{
	struct xnvme_dev *dev = rd_open("ramdisk:4MiB");
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;
	int err;

	CHECK(dev != NULL, "open ramdisk:4MiB");
	if (!dev) {
		return;
	}
	buf = xnvme_buf_alloc(dev, 8192);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD, 0x150, 1, NULL, 0);
	CHECK(!err, "set temperature threshold 0x150, saved");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD, 0x160, 0, NULL, 0);
	CHECK(!err, "set it 0x160, not saved");
	xnvme_dev_close(dev);
	dev = rd_open("ramdisk:4MiB"); /* the device outlives the handle */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD, 0, NULL, 0);
	CHECK(!err && ctx.cpl.cdw0 == 0x160, "a new handle reads the current value 0x160");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_gfeat(&ctx, 0, XNVME_SPEC_FEAT_TEMP_THRESHOLD, 2, NULL, 0);
	CHECK(!err && ctx.cpl.cdw0 == 0x150, "and the saved value 0x150");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_gfeat(&ctx, 0, 0x7F, 0, NULL, 0);
	CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_FIELD,
	      "an unknown feature: Invalid Field");

	memset(buf, 0xC3, 4096);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!xnvme_nvm_write(&ctx, 1, 0, 7, buf, NULL), "write 8 blocks of 512");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_format(&ctx, 1, 3, 0, 0, 1, 0, 0); /* LBA format 3: 4096 + 0 */
	CHECK(!err, "format to LBA format 3 (4 KiB)");
	xnvme_dev_close(dev);
	dev = rd_open("ramdisk:4MiB"); /* geometry is read at open */
	CHECK(dev && xnvme_dev_get_geo(dev)->lba_nbytes == 4096 &&
		  xnvme_dev_get_geo(dev)->tbytes == (4u << 20),
	      "reopened: 4 KiB blocks, the same capacity");
	memset(buf, 0xFF, 4096);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_read(&ctx, 1, 0, 0, buf, NULL);
	CHECK(!err && buf[0] == 0 && !memcmp(buf, buf + 1, 4095), "the data is gone");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_format(&ctx, 1, 9, 0, 0, 0, 0, 0);
	CHECK(err == -EIO && ctx.cpl.status.sct == XNVME_STATUS_CODE_TYPE_CMDSPEC,
	      "format to a format that does not exist: Invalid Format");
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

static void
test_sanitize_selftest(void)
{
	struct xnvme_dev *dev = rd_open("ramdisk:2MiB");
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf, *log;
	uint16_t sstat;
	int err;

	CHECK(dev != NULL, "open ramdisk:2MiB");
	if (!dev) {
		return;
	}
	buf = xnvme_buf_alloc(dev, 4096);
	log = xnvme_buf_alloc(dev, 4096);
	memset(buf, 0x77, 4096);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!xnvme_nvm_write(&ctx, 1, 8, 7, buf, NULL), "write 8 blocks");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sanitize(&ctx, 2, 0, 0, 1, 0, 0);
	CHECK(!err, "sanitize, block erase (%d)", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!xnvme_nvm_read(&ctx, 1, 8, 7, buf, NULL) && buf[0] == 0 &&
		  !memcmp(buf, buf + 1, 4095),
	      "the blocks read zeros after the block erase");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_SANITIZE, 0, 0, 0xFFFFFFFF, 0, log, 512);
	memcpy(&sstat, log + 2, 2);
	CHECK(!err && log[0] == 0xFF && log[1] == 0xFF && (sstat & 0x7) == 1 && (sstat & 0x100),
	      "sanitize status log: complete, succeeded, global data erased (0x%x)", sstat);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sanitize(&ctx, 3, 0, 0xA5A5A5A5, 1, 0, 0);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!err && !xnvme_nvm_read(&ctx, 1, 0, 0, buf, NULL) && buf[0] == 0xA5 &&
		  buf[511] == 0xA5,
	      "sanitize overwrite: the blocks hold the pattern");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_sanitize(&ctx, 5, 0, 0, 1, 0, 0);
	CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_FIELD,
	      "a reserved sanitize action: Invalid Field");

	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!xnvme_adm_dsend(&ctx, 0xFFFFFFFF, 1), "device self-test, short");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!xnvme_adm_dsend(&ctx, 0xFFFFFFFF, 2), "device self-test, extended");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_SELFTEST, 0, 0, 0xFFFFFFFF, 0, log, 564);
	CHECK(!err && log[0] == 0 && log[4] == 0x20 && log[4 + 28] == 0x10 && log[4 + 56] == 0x0F,
	      "self-test log: none in progress; extended then short, without error; then unused");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_adm_dsend(&ctx, 0xFFFFFFFF, 3);
	CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_SC_INVALID_FIELD,
	      "a reserved self-test code: Invalid Field");
	xnvme_buf_free(dev, buf);
	xnvme_buf_free(dev, log);
	xnvme_dev_close(dev);
}

static void
test_zones(void)
{
	struct xnvme_dev *dev = rd_open("ramdisk:8MiB,zoned=1,lbads=4096,zsze=256,ronly=2");
	struct xnvme_spec_znd_log_changes *log;
	struct xnvme_spec_znd_descr zone;
	struct xnvme_cmd_ctx ctx;
	int err;

	CHECK(dev != NULL, "open a zoned ramdisk with zone 2 read-only");
	if (!dev) {
		return;
	}
	log = xnvme_znd_log_changes_from_dev(dev);
	CHECK(log && log->nidents == 1 && log->idents[0] == 512,
	      "the changed zone list has zone 2 (made read-only by the controller)");
	xnvme_buf_virt_free(log);
	log = xnvme_znd_log_changes_from_dev(dev);
	CHECK(log && log->nidents == 0, "reading the list cleared it");
	xnvme_buf_virt_free(log);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_znd_mgmt_send(&ctx, 1, 512, false, XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET, 0, NULL);
	CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_ZND_SC_INVALID_TRANS,
	      "reset of a read-only zone: Invalid Zone State Transition");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_znd_mgmt_send(&ctx, 1, 0, false, XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE, 0, NULL);
	CHECK(err == -EIO && ctx.cpl.status.sc == XNVME_SPEC_ZND_SC_INVALID_TRANS,
	      "offline of an empty zone: Invalid Zone State Transition");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_znd_mgmt_send(&ctx, 1, 0, true, XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE, 0, NULL);
	CHECK(!err, "offline of all read-only zones");
	CHECK(!xnvme_znd_descr_from_dev(dev, 512, &zone) && zone.zs == XNVME_SPEC_ZND_STATE_OFFLINE,
	      "zone 2 is offline");
	CHECK(!xnvme_znd_descr_from_dev(dev, 0, &zone) && zone.zs == XNVME_SPEC_ZND_STATE_EMPTY,
	      "zone 0 is still empty");
	xnvme_dev_close(dev);
}

/* Several threads, each with its own handle and queue, write their own ranges at once */
#define RD_NTHREADS     4
#define RD_THREAD_NCMDS 256

struct rd_thread {
	int idx;
	int err;
};

static void
rd_thread_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct rd_thread *t = cb_arg;

	t->err |= xnvme_cmd_ctx_cpl_status(ctx);
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

static void *
rd_thread_main(void *arg)
{
	struct rd_thread *t = arg;
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_queue *queue = NULL;
	struct xnvme_dev *dev;
	int err;
	uint8_t *buf;

	opts.nsid = 0; /* and the default async interface, thrpool: its workers overlap too */
	dev = xnvme_dev_open("ramdisk:8MiB,nns=1", &opts);
	if (!dev || xnvme_queue_init(dev, 16, 0, &queue)) {
		t->err = 1;
		xnvme_dev_close(dev);
		return NULL;
	}
	xnvme_queue_set_cb(queue, rd_thread_cb, t);
	buf = xnvme_buf_alloc(dev, RD_THREAD_NCMDS * 512);
	memset(buf, 0x10 + t->idx, RD_THREAD_NCMDS * 512);
	for (int i = 0; i < RD_THREAD_NCMDS && !t->err; ++i) {
		struct xnvme_cmd_ctx *ctx;

		while (!(ctx = xnvme_queue_get_cmd_ctx(queue))) {
			xnvme_queue_poke(queue, 0);
		}
		/* The queue hands out one context more than it takes: -EBUSY until a poke */
		do {
			err = xnvme_nvm_write(ctx, 1,
					      (uint64_t)t->idx * RD_THREAD_NCMDS + (uint64_t)i, 0,
					      buf + i * 512, NULL);
		} while (err == -EBUSY && xnvme_queue_poke(queue, 0) >= 0);
		t->err |= err != 0;
	}
	xnvme_queue_drain(queue);
	xnvme_queue_term(queue);
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return NULL;
}

static void
test_threads(void)
{
	struct rd_thread t[RD_NTHREADS];
	pthread_t tid[RD_NTHREADS];
	struct xnvme_dev *dev = rd_open("ramdisk:8MiB,nns=1");
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;
	int ok = 1;

	for (int i = 0; i < RD_NTHREADS; ++i) {
		t[i].idx = i;
		t[i].err = 0;
		pthread_create(&tid[i], NULL, rd_thread_main, &t[i]);
	}
	for (int i = 0; i < RD_NTHREADS; ++i) {
		pthread_join(tid[i], NULL);
		ok &= !t[i].err;
	}
	CHECK(ok, "%d threads, each with its own handle and queue, wrote %d blocks each",
	      RD_NTHREADS, RD_THREAD_NCMDS);
	buf = xnvme_buf_alloc(dev, RD_NTHREADS * RD_THREAD_NCMDS * 512);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	ok = !xnvme_nvm_read(&ctx, 1, 0, RD_NTHREADS * RD_THREAD_NCMDS - 1, buf, NULL);
	for (size_t i = 0; ok && i < RD_NTHREADS * RD_THREAD_NCMDS * 512; ++i) {
		ok = buf[i] == 0x10 + i / (RD_THREAD_NCMDS * 512);
	}
	CHECK(ok, "every thread's blocks hold its bytes");
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

static void
test_nil(void)
{
	struct xnvme_dev *dev = rd_open("ramdisk:1MiB,nil=1");
	struct xnvme_cmd_ctx ctx;
	uint8_t *buf;

	CHECK(dev != NULL, "open a nil ramdisk");
	if (!dev) {
		return;
	}
	buf = xnvme_buf_alloc(dev, 512);
	memset(buf, 0xAB, 512);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!xnvme_nvm_write(&ctx, 1, 0, 0, buf, NULL), "nil: write succeeds");
	memset(buf, 0x11, 512);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(!xnvme_nvm_read(&ctx, 1, 0, 0, buf, NULL) && buf[0] == 0x11 && buf[511] == 0x11,
	      "nil: read succeeds and copies nothing");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	CHECK(xnvme_nvm_read(&ctx, 1, 2048, 0, buf, NULL) < 0 &&
		  ctx.cpl.status.sc == XNVME_SPEC_SC_LBA_OUT_OF_RANGE,
	      "nil: a read past the end is still refused");
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
}

int
main(void)
{
	test_bad_identifiers();
	test_logs();
	test_features_format();
	test_sanitize_selftest();
	test_zones();
	test_threads();
	test_nil();
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
