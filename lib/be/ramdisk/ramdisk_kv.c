/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk model's key-value command set (KV 1.0): store (with the only-add / only-update
 * options), retrieve (the value's size in completion dword 0), delete, exist and list (keys in
 * order from a given key). Keys are kept sorted (bytes, then length) in one array; the
 * namespace's size bounds the bytes of all values together (Capacity Exceeded past it).
 *
 * In an image (file=, ramdisk_img.c) each store and delete is also appended to a log, which the
 * next process replays at open. The log has two halves: when the one in use is full, the keys as
 * they are go into the other, and one 8-byte store of the head switches to it, so a process
 * killed at any point leaves one whole half. The keys' records count against a half: many small
 * values fill it before the namespace's size does (Capacity Exceeded all the same).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_be_ramdisk.h"

static int
kv_cmp(const uint8_t *a, uint8_t alen, const uint8_t *b, uint8_t blen)
{
	int c = memcmp(a, b, XNVME_MIN_U64(alen, blen));

	return c ? c : (int)alen - (int)blen;
}

/* The index of the first entry not below the key; *found when it is the key */
static uint32_t
kv_find(const struct rd_ns *ns, const uint8_t *key, uint8_t klen, int *found)
{
	uint32_t lo = 0, hi = ns->kv_count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (kv_cmp(ns->kv[mid].key, ns->kv[mid].klen, key, klen) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	*found = lo < ns->kv_count && !kv_cmp(ns->kv[lo].key, ns->kv[lo].klen, key, klen);
	return lo;
}

/* A record of the image's log; a store's value follows it */
struct kv_rec {
	uint8_t op; ///< KV_REC_STORE or KV_REC_DELETE
	uint8_t klen;
	uint8_t key[16];
	uint8_t rsvd[2];
	uint32_t vlen;
};
#define KV_REC_STORE  1
#define KV_REC_DELETE 2
#define KV_HEAD_HALF  (1ull << 63) ///< kvlog_head: the half in use

/* The log's half in use (@p other 0) or the other one */
static uint8_t *
kv_log_half(const struct rd_ns *ns, int other)
{
	uint64_t half = (ns->img->kvlog_head & KV_HEAD_HALF ? 1 : 0) ^ (other ? 1 : 0);

	return ns->img_map + ns->img->kvlog_off + half * ns->img->kvlog_half;
}

/* The bytes the keys take in a compacted log, with @p nkeys keys and @p nbytes of values */
static uint64_t
kv_log_need(uint64_t nkeys, uint64_t nbytes)
{
	return nkeys * sizeof(struct kv_rec) + nbytes;
}

int
rd_kv_compact(struct rd_ns *ns)
{
	uint64_t other = ns->img->kvlog_head & KV_HEAD_HALF ? 0 : KV_HEAD_HALF;
	uint8_t *dst = kv_log_half(ns, 1);
	uint64_t off = 0;

	if (kv_log_need(ns->kv_count, ns->kv_bytes) > ns->img->kvlog_half) {
		return -ENOSPC;
	}
	for (uint32_t i = 0; i < ns->kv_count; ++i) {
		const struct rd_kv_entry *e = &ns->kv[i];
		struct kv_rec rec = {.op = KV_REC_STORE, .klen = e->klen, .vlen = e->vlen};

		memcpy(rec.key, e->key, sizeof(rec.key));
		memcpy(dst + off, &rec, sizeof(rec));
		memcpy(dst + off + sizeof(rec), e->val, e->vlen);
		off += sizeof(rec) + e->vlen;
	}
	__atomic_store_n(&ns->img->kvlog_head, other | off, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Records a store or delete done in memory; a full half is compacted instead (the keys in memory
 * already have the change, and kv_store() made sure they fit a half)
 */
static void
kv_log(struct rd_ns *ns, uint8_t op, const uint8_t *key, uint8_t klen, const uint8_t *val,
       uint32_t vlen)
{
	uint64_t head = ns->img->kvlog_head, len = head & ~KV_HEAD_HALF;
	struct kv_rec rec = {.op = op, .klen = klen, .vlen = vlen};
	uint8_t *dst = kv_log_half(ns, 0) + len;

	if (len + sizeof(rec) + vlen > ns->img->kvlog_half) {
		rd_kv_compact(ns);
		return;
	}
	memcpy(rec.key, key, klen);
	memcpy(dst, &rec, sizeof(rec));
	if (vlen) {
		memcpy(dst + sizeof(rec), val, vlen);
	}
	__atomic_store_n(&ns->img->kvlog_head, (head & KV_HEAD_HALF) | (len + sizeof(rec) + vlen),
			 __ATOMIC_RELEASE);
}

void
rd_kv_free(struct rd_ns *ns)
{
	for (uint32_t i = 0; i < ns->kv_count; ++i) {
		free(ns->kv[i].val);
	}
	free(ns->kv);
	ns->kv = NULL;
	ns->kv_count = ns->kv_cap = 0;
	ns->kv_bytes = 0;
}

void
rd_kv_erase(struct rd_ns *ns)
{
	rd_kv_free(ns);
	if (ns->img) {
		ns->img->kvlog_head = 0;
	}
}

/* Takes the entry at @p idx out of the array */
static void
kv_remove(struct rd_ns *ns, uint32_t idx)
{
	ns->kv_bytes -= ns->kv[idx].vlen;
	free(ns->kv[idx].val);
	memmove(&ns->kv[idx], &ns->kv[idx + 1], (ns->kv_count - idx - 1) * sizeof(*ns->kv));
	ns->kv_count--;
}

static int
kv_status(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, uint8_t sc)
{
	return rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC, sc);
}

/* Puts @p vlen bytes at @p val (taken over) as the value of the key at @p idx; 0 or -ENOMEM */
static int
kv_put(struct rd_ns *ns, const uint8_t *key, uint8_t klen, uint32_t idx, int found, uint8_t *val,
       uint32_t vlen)
{
	struct rd_kv_entry *e;

	if (!found) {
		if (ns->kv_count == ns->kv_cap) {
			uint32_t cap = ns->kv_cap ? ns->kv_cap * 2 : 64;
			struct rd_kv_entry *kv = realloc(ns->kv, cap * sizeof(*kv));

			if (!kv) {
				return -ENOMEM;
			}
			ns->kv = kv;
			ns->kv_cap = cap;
		}
		memmove(&ns->kv[idx + 1], &ns->kv[idx], (ns->kv_count - idx) * sizeof(*ns->kv));
		ns->kv_count++;
		e = &ns->kv[idx];
		memset(e, 0, sizeof(*e));
		memcpy(e->key, key, klen);
		e->klen = klen;
	} else {
		e = &ns->kv[idx];
		ns->kv_bytes -= e->vlen;
		free(e->val);
	}
	e->val = val;
	e->vlen = vlen;
	ns->kv_bytes += vlen;
	return 0;
}

static int
kv_entry_cmp(const void *a, const void *b)
{
	const struct rd_kv_entry *x = a, *y = b;

	return kv_cmp(x->key, x->klen, y->key, y->klen);
}

/*
 * The keys are appended and sorted once: inserting each in order moved the array every time, and
 * the largest seed (100000 keys) kept an open busy for minutes. The namespace is new (no keys), so
 * the seeded keys, all different, are the whole array.
 */
int
rd_kv_seed(struct rd_ns *ns, uint32_t nkeys)
{
	struct rd_kv_entry *kv;

	if (!nkeys) {
		return 0;
	}
	if (ns->kv_count) {
		return -EEXIST;
	}
	kv = realloc(ns->kv, (size_t)nkeys * sizeof(*kv));
	if (!kv) {
		return -ENOMEM;
	}
	ns->kv = kv;
	ns->kv_cap = nkeys;
	for (uint32_t i = 0; i < nkeys; ++i) {
		struct rd_kv_entry *e = &ns->kv[i];
		char text[24];
		int vlen = snprintf(text, sizeof(text), "value%u", i);

		memset(e, 0, sizeof(*e));
		e->klen = (uint8_t)snprintf((char *)e->key, sizeof(e->key), "key%u", i);
		e->val = malloc((size_t)vlen);
		if (!e->val) {
			return -ENOMEM; /* the entries so far are counted: rd_kv_free() frees them
					 */
		}
		memcpy(e->val, text, (size_t)vlen);
		e->vlen = (uint32_t)vlen;
		ns->kv_count++;
		ns->kv_bytes += e->vlen;
	}
	qsort(ns->kv, ns->kv_count, sizeof(*ns->kv), kv_entry_cmp);
	return 0;
}

uint64_t
rd_kv_seed_nbytes(uint32_t nkeys)
{
	uint64_t nbytes = 0;

	/* "value" and the key's index in decimal */
	for (uint64_t i = 0, pow = 10, ndigits = 1; i < nkeys; ++i) {
		if (i == pow) {
			pow *= 10;
			++ndigits;
		}
		nbytes += 5 + ndigits;
	}
	return nbytes;
}

static int
kv_store(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
	 const uint8_t *key, uint8_t klen, uint32_t idx, int found)
{
	uint32_t vlen = ctx->cmd.kvs.cdw10;
	uint8_t opt = (uint8_t)ctx->cmd.kvs.cdw11.ro;
	uint8_t *val;

	if (!vlen || vlen > RD_KV_VALUE_MAX) {
		return kv_status(ctrl, ctx, XNVME_SPEC_KV_SC_INVALID_VAL_SIZE);
	}
	if (dbuf->nbytes < vlen) {
		return kv_status(ctrl, ctx, XNVME_SPEC_SC_INVALID_FIELD);
	}
	if (found && (opt & 0x2)) {
		return kv_status(ctrl, ctx, XNVME_SPEC_KV_SC_KEY_EXISTS);
	}
	if (!found && (opt & 0x1)) {
		return kv_status(ctrl, ctx, XNVME_SPEC_KV_SC_KEY_NOT_EXISTS);
	}
	if (ns->kv_bytes - (found ? ns->kv[idx].vlen : 0) + vlen > ns->nbytes ||
	    (ns->img && kv_log_need(ns->kv_count + !found,
				    ns->kv_bytes - (found ? ns->kv[idx].vlen : 0) + vlen) >
			    ns->img->kvlog_half)) {
		return kv_status(ctrl, ctx, XNVME_SPEC_SC_CAPACITY_EXCEEDED);
	}
	val = malloc(vlen);
	if (!val) {
		return kv_status(ctrl, ctx, XNVME_SPEC_SC_INTERNAL_DEVICE_ERROR);
	}
	rd_buf_copy(dbuf, 0, val, vlen, 0);
	if (kv_put(ns, key, klen, idx, found, val, vlen)) {
		free(val);
		return kv_status(ctrl, ctx, XNVME_SPEC_SC_INTERNAL_DEVICE_ERROR);
	}
	if (ns->img) {
		kv_log(ns, KV_REC_STORE, key, klen, val, vlen);
	}
	ctrl->bytes_written += vlen;
	ctrl->host_writes++;
	return 0;
}

/* List data: a uint32 count, then per key a uint16 length and its bytes padded to 4 bytes */
static int
kv_list(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
	uint32_t from)
{
	size_t nbytes = XNVME_MIN_U64((size_t)ctx->cmd.kvs.cdw10, dbuf->nbytes), off = 4;
	uint32_t count = 0;

	if (nbytes < 4) {
		return kv_status(ctrl, ctx, XNVME_SPEC_SC_INVALID_FIELD);
	}
	for (uint32_t i = from; i < ns->kv_count; ++i) {
		const struct rd_kv_entry *e = &ns->kv[i];
		size_t len = (2u + e->klen + 3u) & ~(size_t)3;
		uint8_t ent[20] = {0};
		uint16_t klen = e->klen;

		if (off + len > nbytes) {
			break;
		}
		memcpy(ent, &klen, 2);
		memcpy(ent + 2, e->key, e->klen);
		rd_buf_copy(dbuf, off, ent, len, 1);
		off += len;
		count++;
	}
	rd_buf_copy(dbuf, 0, &count, 4, 1);
	return 0;
}

int
rd_kv(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf)
{
	uint8_t opc = ctx->cmd.common.opcode, klen = (uint8_t)ctx->cmd.kvs.cdw11.kl;
	uint8_t key[16];
	uint32_t idx;
	int found;

	memcpy(key, &ctx->cmd.kvs.key, 8);
	memcpy(key + 8, &ctx->cmd.kvs.key_hi, 8);
	if (klen > 16 || (!klen && opc != XNVME_SPEC_KV_OPC_LIST)) {
		return kv_status(ctrl, ctx, XNVME_SPEC_KV_SC_INVALID_KEY_SIZE);
	}
	idx = kv_find(ns, key, klen, &found);
	switch (opc) {
	case XNVME_SPEC_KV_OPC_STORE:
		return kv_store(ctrl, ns, ctx, dbuf, key, klen, idx, found);
	case XNVME_SPEC_KV_OPC_LIST:
		return kv_list(ctrl, ns, ctx, dbuf, klen ? idx : 0);
	case XNVME_SPEC_KV_OPC_RETRIEVE:
	case XNVME_SPEC_KV_OPC_DELETE:
	case XNVME_SPEC_KV_OPC_EXIST:
		break;
	default:
		return kv_status(ctrl, ctx, XNVME_SPEC_SC_INVALID_OPCODE);
	}
	if (!found) {
		return kv_status(ctrl, ctx, XNVME_SPEC_KV_SC_KEY_NOT_EXISTS);
	}
	if (opc == XNVME_SPEC_KV_OPC_RETRIEVE) {
		const struct rd_kv_entry *e = &ns->kv[idx];

		rd_buf_copy(dbuf, 0, e->val,
			    XNVME_MIN_U64((size_t)e->vlen,
					  XNVME_MIN_U64((size_t)ctx->cmd.kvs.cdw10, dbuf->nbytes)),
			    1);
		ctx->cpl.cdw0 = e->vlen;
		ctrl->bytes_read += e->vlen;
		ctrl->host_reads++;
	} else if (opc == XNVME_SPEC_KV_OPC_DELETE) {
		kv_remove(ns, idx);
		if (ns->img) {
			kv_log(ns, KV_REC_DELETE, key, klen, NULL, 0);
		}
	}
	return 0;
}

/* One record of the log at @p rec (@p left bytes to the end of it) into the keys */
static int
kv_replay(struct rd_ns *ns, const uint8_t *at, uint64_t left, uint64_t *used)
{
	struct kv_rec rec;
	uint32_t idx;
	uint8_t *val;
	int found;

	if (left < sizeof(rec)) {
		return -EINVAL;
	}
	memcpy(&rec, at, sizeof(rec));
	if (!rec.klen || rec.klen > 16 ||
	    (rec.op == KV_REC_STORE &&
	     (!rec.vlen || rec.vlen > RD_KV_VALUE_MAX || rec.vlen > left - sizeof(rec))) ||
	    (rec.op != KV_REC_STORE && rec.op != KV_REC_DELETE)) {
		return -EINVAL;
	}
	idx = kv_find(ns, rec.key, rec.klen, &found);
	*used = sizeof(rec);
	if (rec.op == KV_REC_DELETE) {
		if (found) {
			kv_remove(ns, idx);
		}
		return 0;
	}
	val = malloc(rec.vlen);
	if (!val) {
		return -ENOMEM;
	}
	memcpy(val, at + sizeof(rec), rec.vlen);
	if (kv_put(ns, rec.key, rec.klen, idx, found, val, rec.vlen)) {
		free(val);
		return -ENOMEM;
	}
	*used += rec.vlen;
	return 0;
}

int
rd_kv_load(struct rd_ns *ns)
{
	const uint8_t *log = kv_log_half(ns, 0);
	uint64_t len = ns->img->kvlog_head & ~KV_HEAD_HALF;

	for (uint64_t off = 0, used = 0; off < len; off += used) {
		int err = kv_replay(ns, log + off, len - off, &used);

		if (err) {
			return err; /* what was loaded is freed with the namespace */
		}
	}
	return ns->kv_bytes > ns->nbytes ? -EINVAL : 0;
}
