/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The key-value helpers (libxnvme_kvs.h). On a key-value namespace: store, retrieve, exist,
 * list, the store options, delete, and the device's statuses for absent and existing keys. On any
 * other namespace: every helper refuses (-EOPNOTSUPP) and the target's bytes do not change, since
 * the same opcodes would write there. Keys of 0 or 17 bytes are -EINVAL on both.
 * usage: test_kvs TARGET
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "check.h"

#define VAL_NBYTES 4096

static int
status_is(const struct xnvme_cmd_ctx *ctx, uint8_t sc)
{
	return ctx->cpl.status.sct == XNVME_STATUS_CODE_TYPE_GENERIC && ctx->cpl.status.sc == sc;
}

static void
test_kv(struct xnvme_dev *dev, uint8_t *val, uint8_t *out)
{
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint32_t nkeys;
	int err;

	for (int i = 0; i < VAL_NBYTES; ++i) {
		val[i] = (uint8_t)(i * 13 + 1);
	}
	err = xnvme_kvs_store(&ctx, nsid, "key-a", 5, val, 100, 0);
	CHECK(!err && !xnvme_cmd_ctx_cpl_status(&ctx), "store key-a (100 bytes): err %d", err);
	memset(out, 0, VAL_NBYTES);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_retrieve(&ctx, nsid, "key-a", 5, out, VAL_NBYTES, 0);
	CHECK(!err && ctx.cpl.cdw0 == 100 && !memcmp(out, val, 100),
	      "retrieve key-a: the 100 bytes, size in cdw0 (%u)", ctx.cpl.cdw0);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_exist(&ctx, nsid, "key-a", 5);
	CHECK(!err, "exist key-a: %d", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_exist(&ctx, nsid, "key-b", 5);
	CHECK(err && status_is(&ctx, XNVME_SPEC_KV_SC_KEY_NOT_EXISTS), "exist key-b: not there");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_store(&ctx, nsid, "key-a", 5, val, 10,
			      XNVME_KVS_STORE_OPT_DONT_STORE_IF_KEY_EXISTS);
	CHECK(err && status_is(&ctx, XNVME_SPEC_KV_SC_KEY_EXISTS), "store --only-add of key-a");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_store(&ctx, nsid, "key-b", 5, val, 10,
			      XNVME_KVS_STORE_OPT_DONT_STORE_IF_KEY_NOT_EXISTS);
	CHECK(err && status_is(&ctx, XNVME_SPEC_KV_SC_KEY_NOT_EXISTS),
	      "store --only-update of key-b");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_store(&ctx, nsid, "key-b-sixteen-by", 16, val + 7, 3000, 0);
	CHECK(!err, "store a 16-byte key: %d", err);
	memset(out, 0, VAL_NBYTES);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_list(&ctx, nsid, NULL, 0, out, VAL_NBYTES);
	memcpy(&nkeys, out, 4);
	CHECK(!err && nkeys == 2, "list: 2 keys (%u)", nkeys);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_delete(&ctx, nsid, "key-a", 5);
	CHECK(!err, "delete key-a: %d", err);
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_retrieve(&ctx, nsid, "key-a", 5, out, VAL_NBYTES, 0);
	CHECK(err && status_is(&ctx, XNVME_SPEC_KV_SC_KEY_NOT_EXISTS), "retrieve after delete");
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_retrieve(&ctx, nsid, "key-b-sixteen-by", 16, out, VAL_NBYTES, 0);
	CHECK(!err && ctx.cpl.cdw0 == 3000 && !memcmp(out, val + 7, 3000),
	      "retrieve the 16-byte key");
}

/* Every helper refused on a namespace of another command set; nothing reaches the target */
static void
test_not_kv(struct xnvme_dev *dev, const char *path, uint8_t *val, uint8_t *out)
{
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	FILE *fp;

	memset(val, 0xA5, VAL_NBYTES);
	CHECK(xnvme_kvs_store(&ctx, nsid, "k", 1, val, 512, 0) == -EOPNOTSUPP, "store refused");
	CHECK(xnvme_kvs_retrieve(&ctx, nsid, "k", 1, out, 512, 0) == -EOPNOTSUPP,
	      "retrieve refused");
	CHECK(xnvme_kvs_delete(&ctx, nsid, "k", 1) == -EOPNOTSUPP, "delete refused");
	CHECK(xnvme_kvs_exist(&ctx, nsid, "k", 1) == -EOPNOTSUPP, "exist refused");
	CHECK(xnvme_kvs_list(&ctx, nsid, NULL, 0, out, 512) == -EOPNOTSUPP, "list refused");
	/* A store would have been a write of 512 bytes of 0xA5 at LBA 512 */
	fp = fopen(path, "rb");
	memset(out, 0, VAL_NBYTES);
	CHECK(fp && !fseek(fp, 512L * 512, SEEK_SET) && fread(out, 1, 512, fp) == 512 &&
		  out[0] != 0xA5,
	      "the target is unchanged at LBA 512");
	if (fp) {
		fclose(fp);
	}
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint8_t *val, *out;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TARGET\n", argv[0]);
		return 2;
	}
	opts.nsid = check_target_nsid();
	dev = xnvme_dev_open(argv[1], &opts);
	if (!dev) {
		printf("FAIL: open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	val = xnvme_buf_alloc(dev, VAL_NBYTES);
	out = xnvme_buf_alloc(dev, VAL_NBYTES);
	CHECK(val && out, "buffers");
	if (val && out) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		CHECK(xnvme_kvs_store(&ctx, 1, "", 0, val, 8, 0) == -EINVAL,
		      "a 0-byte key: -EINVAL");
		CHECK(xnvme_kvs_exist(&ctx, 1, "0123456789abcdefg", 17) == -EINVAL,
		      "a 17-byte key: -EINVAL");
		if (xnvme_dev_get_csi(dev) == XNVME_SPEC_CSI_KV) {
			test_kv(dev, val, out);
		} else {
			test_not_kv(dev, argv[1], val, out);
		}
	}
	xnvme_buf_free(dev, val);
	xnvme_buf_free(dev, out);
	xnvme_dev_close(dev);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
