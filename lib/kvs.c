/* SPDX-License-Identifier: BSD-3-Clause */
/* The key-value command set helpers: build the command in the context, then pass it. */
#include <errno.h>
#include <string.h>
#include <libxnvme.h>
#include <libxnvme_kvs.h>

/* Fills opcode, nsid and the key (bytes 0-7 in CDW2-3, 8-15 in CDW14-15); 0 or -EINVAL */
static int
kvs_prep(struct xnvme_cmd_ctx *ctx, uint8_t opc, uint32_t nsid, const void *key, uint8_t key_len,
	 uint8_t min_len)
{
	uint8_t bytes[XNVME_KVS_KEY_MAX] = {0};

	if (key_len < min_len || key_len > XNVME_KVS_KEY_MAX || (key_len && !key)) {
		return -EINVAL;
	}
	/*
	 * KV opcodes are NVM opcodes elsewhere: Store is Write, with the value size in the SLBA
	 * field. Sent to the device's own namespace when that is not a KV namespace, it would
	 * overwrite a block, so it is refused.
	 */
	if (ctx->dev && nsid == xnvme_dev_get_nsid(ctx->dev) &&
	    xnvme_dev_get_csi(ctx->dev) != XNVME_SPEC_CSI_KV) {
		return -EOPNOTSUPP;
	}
	if (key_len) {
		memcpy(bytes, key, key_len);
	}
	memset(&ctx->cmd, 0, sizeof(ctx->cmd));
	ctx->cmd.common.opcode = opc;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.kvs.cdw11.kl = key_len;
	memcpy(&ctx->cmd.kvs.key, bytes, 8);
	memcpy(&ctx->cmd.kvs.key_hi, bytes + 8, 8);
	return 0;
}

/* Store and retrieve: a key, a value buffer and its size, options */
static int
kvs_xfer(struct xnvme_cmd_ctx *ctx, uint8_t opc, uint32_t nsid, const void *key, uint8_t key_len,
	 const void *dbuf, uint32_t dbuf_nbytes, uint8_t opt)
{
	int err = kvs_prep(ctx, opc, nsid, key, key_len, 1);

	if (err || (!dbuf && dbuf_nbytes)) {
		return err ? err : -EINVAL;
	}
	ctx->cmd.kvs.cdw10 = dbuf_nbytes;
	ctx->cmd.kvs.cdw11.ro = opt;
	return xnvme_cmd_pass(ctx, (void *)dbuf, dbuf_nbytes, NULL, 0);
}

int
xnvme_kvs_retrieve(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len,
		   const void *dbuf, uint32_t dbuf_nbytes, uint8_t opt)
{
	return kvs_xfer(ctx, XNVME_SPEC_KV_OPC_RETRIEVE, nsid, key, key_len, dbuf, dbuf_nbytes,
			opt);
}

int
xnvme_kvs_store(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len,
		const void *dbuf, uint32_t dbuf_nbytes, uint8_t opt)
{
	return kvs_xfer(ctx, XNVME_SPEC_KV_OPC_STORE, nsid, key, key_len, dbuf, dbuf_nbytes, opt);
}

int
xnvme_kvs_delete(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len)
{
	int err = kvs_prep(ctx, XNVME_SPEC_KV_OPC_DELETE, nsid, key, key_len, 1);

	return err ? err : xnvme_cmd_pass(ctx, NULL, 0, NULL, 0);
}

int
xnvme_kvs_exist(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len)
{
	int err = kvs_prep(ctx, XNVME_SPEC_KV_OPC_EXIST, nsid, key, key_len, 1);

	return err ? err : xnvme_cmd_pass(ctx, NULL, 0, NULL, 0);
}

int
xnvme_kvs_list(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len,
	       const void *dbuf, uint32_t dbuf_nbytes)
{
	/* A zero-length key lists from the first key */
	int err = kvs_prep(ctx, XNVME_SPEC_KV_OPC_LIST, nsid, key, key_len, 0);

	if (err || !dbuf || dbuf_nbytes < 4) {
		return err ? err : -EINVAL;
	}
	ctx->cmd.kvs.cdw10 = dbuf_nbytes;
	return xnvme_cmd_pass(ctx, (void *)dbuf, dbuf_nbytes, NULL, 0);
}
