/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: backend "ramdisk", an NVMe controller modelled in memory.
 *
 * The model executes NVMe commands: admin (identify, logs, features, format), NVM I/O with
 * metadata, zoned namespaces with the zone state machine, and the key-value command set. One
 * mutex per controller serializes commands, so any number of queues and threads may use it.
 * Devices opened with the same identifier share one controller object (lib/xnvme_ctrl.h) whose
 * state is this model; it lives until the process ends (a program that closes and reopens it
 * finds its data). With file=PATH its namespaces' contents live in an image file instead
 * (ramdisk_img.c), which a later process opens again.
 */
#ifndef __XNVME_BE_RAMDISK_H
#define __XNVME_BE_RAMDISK_H

#include <pthread.h>
#include <stdint.h>
#include "xnvme_be.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

#define RD_NNS_MAX         16
#define RD_MDTS            8   ///< 2^8 * 4 KiB = 1 MiB per command
#define RD_ERRLOG_NENTRIES 256 ///< 16 KiB: a log page longer than 4 KiB
#define RD_KV_VALUE_MAX    (1u << 20)
#define RD_NZONES_MAX      (1u << 18) ///< Zone state is 32 + 64 * zdes bytes a zone, set at open
#define RD_ERR_MAX         8          ///< Error injection rules of one controller

/** A data or metadata buffer of a command: one contiguous piece or a vector */
struct rd_buf {
	const struct iovec *iov;
	size_t cnt;
	size_t nbytes;
	struct iovec one; ///< The contiguous case, pointed to by iov
};

struct rd_zone {
	uint64_t zslba;
	uint64_t wp;
	uint8_t zs;   ///< enum xnvme_spec_znd_state
	uint8_t za;   ///< Zone attributes (bit 7: zone descriptor extension valid)
	uint8_t *ext; ///< zdes * 64 bytes (in rd_ns.zext), or NULL
};

/** One error injection rule (identifier key err=, ramdisk_err.c) */
struct rd_err_rule {
	uint8_t admin; ///< 1: an admin opcode, 0: an I/O opcode
	uint8_t opc;
	uint8_t sct, sc, dnr;
	uint8_t has_lba; ///< Only commands whose LBA range meets [slba, elba]
	uint64_t slba, elba;
	uint64_t nth;   ///< The first match failed, one-based
	uint64_t count; ///< Matches failed from the nth on; UINT64_MAX: no end
	uint64_t seen;  ///< Matches so far
};

struct rd_kv_entry {
	uint8_t key[16];
	uint8_t klen;
	uint32_t vlen;
	uint8_t *val;
};

/* A namespace's part of an image file (file=), in the image's first page */
struct rd_img_ns {
	uint64_t data_off, meta_off, uncor_off; ///< NVM: where its regions are in the file
	uint64_t kvlog_off; ///< Key-value: the log's two halves, each kvlog_half bytes
	uint64_t kvlog_half;
	uint64_t kvlog_head; ///< Bit 63: the half in use; the rest: the bytes of it written
	uint64_t end_off;    ///< Where its regions end
	uint8_t flbas_idx;   ///< Kept across processes: a format changes them
	uint8_t mset;
	uint8_t csi;
	uint8_t rsvd[5];
};

struct rd_ns {
	uint32_t nsid;
	uint8_t csi;
	uint64_t nbytes;   ///< Capacity given at creation; formats keep it
	uint8_t flbas_idx; ///< LBA format in use (index into rd_lbafs)
	uint8_t mset;      ///< 1: metadata extended (interleaved), 0: separate
	uint64_t nlb;
	uint32_t lbads; ///< Data bytes per LBA
	uint16_t ms;    ///< Metadata bytes per LBA
	uint8_t *data;  ///< nlb * lbads, or NULL in nil mode
	uint8_t *meta;  ///< nlb * ms, or NULL
	uint8_t *uncor; ///< One bit per LBA: written uncorrectable

	/* Zoned */
	struct rd_zone *zones;
	uint8_t *zext;   ///< All zones' descriptor extensions, one allocation
	uint32_t nzones; ///< At most RD_NZONES_MAX
	uint64_t zsze, zcap;
	uint32_t mor, mar; ///< Zero-based, 0xFFFFFFFF: no limit
	uint32_t nopen, nactive;
	uint8_t zdes; ///< Extension size in 64-byte units

	/* Key-value */
	struct rd_kv_entry *kv;
	uint32_t kv_count, kv_cap;
	uint64_t kv_bytes;

	/* With file=: the namespace's part of the image; NULL: in memory only */
	struct rd_img_ns *img;
	uint8_t *img_map; ///< The image's mapping: img's offsets are from here
};

struct rd_img;

struct rd_ctrl {
	pthread_mutex_t lock;
	uint32_t serial; ///< From the identifier: the serial number and subsystem NQN say it
	int nil;         ///< Data neither stored nor copied
	uint32_t nns;
	struct rd_ns ns[RD_NNS_MAX];

	uint32_t feat[256];       ///< Current values
	uint32_t feat_saved[256]; ///< Saved values
	uint16_t nqueues_req;     ///< Set Features: Number of Queues, as asked

	/* SMART / health counters: data units are thousands of 512-byte units, rounded up */
	uint64_t bytes_read, bytes_written, host_reads, host_writes;
	uint64_t media_errors; ///< Unrecovered read errors
	uint64_t nerrors;
	struct xnvme_spec_log_erri_entry errlog[RD_ERRLOG_NENTRIES];
	uint32_t nchanged_zones;
	uint64_t changed_zones[511];

	/* Sanitize status (log 81h) and the device self-test log (06h): newest result first */
	uint16_t sanitize_sstat;
	uint32_t sanitize_cdw10;
	uint8_t selftest[20][28];
	uint32_t nselftests;

	struct rd_err_rule err[RD_ERR_MAX];
	uint32_t nerr;

	struct rd_img *img; ///< The image file (file=), or NULL
};

/** The LBA formats a ramdisk namespace offers; format picks one */
struct rd_lbaf {
	uint32_t lbads;
	uint16_t ms;
};
extern const struct rd_lbaf rd_lbafs[];
extern const uint8_t rd_nlbafs;

/* rd_buf */
void rd_buf_init(struct rd_buf *buf, void *ptr, size_t nbytes);
void rd_buf_initv(struct rd_buf *buf, const struct iovec *iov, size_t cnt, size_t nbytes);
/** Copies @p len bytes at @p off of the command's buffer to or from @p mem */
void rd_buf_copy(struct rd_buf *buf, size_t off, void *mem, size_t len, int to_buf);

/* Namespaces */
struct rd_ns *rd_ns_get(struct rd_ctrl *ctrl, uint32_t nsid);
int rd_ns_alloc(struct rd_ns *ns, int nil);
void rd_ns_free(struct rd_ns *ns);

/* Command execution; each returns 0 or -EIO with the status in ctx->cpl, under ctrl->lock */
int rd_admin(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf);
int rd_nvm(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
	   struct rd_buf *mbuf);
int rd_zns(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
	   struct rd_buf *mbuf);
int rd_kv(struct rd_ctrl *ctrl, struct rd_ns *ns, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf);
void rd_zns_reset_all(struct rd_ns *ns);
void rd_kv_free(struct rd_ns *ns);
/** Stores keys "key0".. with values "value0".. (parameter kvseed); 0 or -ENOMEM */
int rd_kv_seed(struct rd_ns *ns, uint32_t nkeys);
/** The bytes of the values rd_kv_seed() stores: they count against the namespace's capacity */
uint64_t rd_kv_seed_nbytes(uint32_t nkeys);

/*
 * Image files (file=PATH, ramdisk_img.c): the namespaces' data, metadata, uncorrectable marks and
 * key-value log mapped from a file that outlives the process, locked by the one process using it
 */
/**
 * Opens the image at @p path, or creates it when absent or empty, for the controller's namespaces
 * (their csi, nbytes, flbas_idx and mset set): each gets its regions, and the format the image
 * keeps. @p shape: the identifier's settings that shape the image, which a reopen must repeat.
 * 0 or -errno with the reason in @p why; *created says it was made now.
 */
int rd_img_open(struct rd_ctrl *ctrl, const char *path, const char *shape, int *created, char *why,
		size_t why_len);
void rd_img_close(struct rd_ctrl *ctrl);
/** Removes the image's file if rd_img_open() made it (the device was refused) */
void rd_img_discard(struct rd_ctrl *ctrl);
/** A format of @p ns: its regions read as zeros, its format is the image's */
void rd_img_ns_erase(struct rd_ctrl *ctrl, struct rd_ns *ns);
/** Flush: the image's pages written to the file; 0 or -errno */
int rd_img_sync(struct rd_ctrl *ctrl);
/** Key-value namespaces of an image: the log's records since the last compaction (rd_kv.c) */
int rd_kv_load(struct rd_ns *ns);
/** Drops every key (format, sanitize), from the image's log too */
void rd_kv_erase(struct rd_ns *ns);
/** Writes the keys as they are into the log's other half: 0, or -ENOSPC when they do not fit */
int rd_kv_compact(struct rd_ns *ns);

/** Sets the completion status and records the failure in the error log; returns -EIO */
int rd_status(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc);
/** rd_status() with the Do Not Retry bit as given */
int rd_status_dnr(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc,
		  uint8_t dnr);

/** Parses err='s value into @p rules; 0 or -EINVAL with the reason in @p why */
int rd_err_parse(const char *val, struct rd_err_rule *rules, uint32_t *nrules, char *why,
		 size_t why_len);
/** Fails the command if a rule says so: -EIO with the status (and an error log entry), else 0 */
int rd_err_inject(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, int admin);

/*
 * The model for other faces of it (lib/be/pcie's register face): what a device's open and its
 * admin and sync interfaces do, without a device.
 */
/**
 * A model for "ramdisk:@p spec", its serial number from @p key; 0 or -errno, the reason reported
 * under @p who, an unknown key's list of the keys known ending with @p more_keys (", a, b")
 */
int rd_model_new(const char *spec, const char *key, const char *who, const char *more_keys,
		 struct rd_ctrl **ctrl);
void rd_model_free(struct rd_ctrl *ctrl);
/** Executes an admin command (error injection first), under the model's lock */
int rd_exec_admin(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf);
/** Executes an I/O command by its namespace's command set, under the model's lock */
int rd_exec_io(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
	       struct rd_buf *mbuf);

extern const struct xnvme_be xnvme_be_ramdisk;

#pragma GCC visibility pop

#endif
