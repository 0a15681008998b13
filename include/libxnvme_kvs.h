/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file libxnvme_kvs.h
 * The key-value command set: store, retrieve, delete, exist and list values by key.
 *
 * A key is 1 to 16 bytes (XNVME_KVS_KEY_MAX); any other length is -EINVAL before anything is sent.
 * On a device whose namespace is not a key-value namespace, a command for that namespace is
 * -EOPNOTSUPP, not sent: the same opcodes are NVM writes and reads there.
 * Like the other command helpers, each builds the command in @p ctx and passes it: synchronously
 * for a context from xnvme_cmd_ctx_from_dev(), asynchronously for one from a queue. A device
 * status (e.g. XNVME_SPEC_KV_SC_KEY_NOT_EXISTS) is in ctx->cpl.
 */
#ifndef __LIBXNVME_KVS_H
#define __LIBXNVME_KVS_H

#include <stdint.h>
#include <libxnvme_cmd.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XNVME_KVS_KEY_MAX 16 ///< Longest key in bytes

/** Retrieve options (CDW11 bits 15:08) */
enum xnvme_retrieve_opts {
	XNVME_KVS_RETRIEVE_OPT_RETRIEVE_RAW = 1 << 0, ///< The value as stored, not decompressed
};

/** Store options (CDW11 bits 15:08) */
enum xnvme_store_opts {
	XNVME_KVS_STORE_OPT_DONT_STORE_IF_KEY_NOT_EXISTS = 1 << 0, ///< Update only
	XNVME_KVS_STORE_OPT_DONT_STORE_IF_KEY_EXISTS = 1 << 1,     ///< Add only
	XNVME_KVS_STORE_OPT_COMPRESS = 1 << 2,
};

/**
 * Retrieve the value of @p key into @p dbuf of @p dbuf_nbytes; the value's full size is returned
 * in ctx->cpl.cdw0 (it may be larger than the buffer: then the buffer holds its start).
 */
int xnvme_kvs_retrieve(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len,
		       const void *dbuf, uint32_t dbuf_nbytes, uint8_t opt);

/** Store @p dbuf_nbytes of @p dbuf as the value of @p key; @p opt: enum xnvme_store_opts */
int xnvme_kvs_store(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len,
		    const void *dbuf, uint32_t dbuf_nbytes, uint8_t opt);

/** Delete @p key and its value */
int xnvme_kvs_delete(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len);

/** Whether @p key exists: success if it does, status XNVME_SPEC_KV_SC_KEY_NOT_EXISTS if not */
int xnvme_kvs_exist(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len);

/**
 * List keys from @p key on (a zero-length key: from the first) into @p dbuf: a little-endian
 * uint32 count of keys returned, then per key a little-endian uint16 length and the key's bytes,
 * each entry padded to a multiple of 4 bytes (KV Command Set 1.0, List data).
 */
int xnvme_kvs_list(struct xnvme_cmd_ctx *ctx, uint32_t nsid, const void *key, uint8_t key_len,
		   const void *dbuf, uint32_t dbuf_nbytes);

#ifdef __cplusplus
}
#endif

#endif
