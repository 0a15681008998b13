/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: backend "tcp", NVMe over TCP from user space (NVMe over Fabrics 1.1, NVMe/TCP
 * transport 1.0). Layers, one file each:
 *
 *   tcp_pdu.c     the PDUs: host PDUs built, controller PDUs parsed (pure; tcp_pdu.h)
 *   tcp_conn.c    one TCP connection = one NVMe queue: socket, ICReq/ICResp, reading, waiting
 *   tcp_slot.c    its commands in flight: slots, the send queue (capsules, H2CData for R2Ts),
 *                 what the controller's PDUs do to them
 *   tcp_fabrics.c Fabrics commands on a connection: Connect, Property Get/Set, Disconnect
 *   tcp_ctrl.c    the controller object: the admin connection, enable/shutdown, keep-alive,
 *                 queue ids, I/O connections
 *   tcp.c         the backend: identifiers, device open/close, discovery enumeration
 *   tcp_cmd.c     the admin, sync and async interface tables
 *
 * A connection is driven by one thread at a time: the admin one under the controller's admin
 * lock, a device's sync one under its mutex, a queue's by its owner. Sockets are non-blocking:
 * a send that would block leaves the rest queued and the connection keeps reading (a target that
 * blocks on sending to us while we block on sending to it would deadlock otherwise).
 */
#ifndef __XNVME_BE_TCP_H
#define __XNVME_BE_TCP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/uio.h>
#include <libxnvme.h>
#include "tcp_pdu.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

#define TCP_DEFAULT_PORT      4420
#define TCP_DISCOVERY_NQN     "nqn.2014-08.org.nvmexpress.discovery"
#define TCP_NQN_LEN           256  ///< SUBNQN and HOSTNQN fields, NUL-terminated within
#define TCP_ADMIN_DEPTH       32   ///< Admin queue entries (Connect SQSIZE 31)
#define TCP_SYNC_DEPTH        4    ///< A device's sync queue: one command at a time, room for it
#define TCP_ADMIN_INCAPSULE   8192 ///< In-capsule data the admin queue takes (NVMe/TCP 1.0)
#define TCP_MAX_XFER          (1u << 20) ///< Bytes per command when MDTS says no limit
#define TCP_KATO_DEFAULT_MS   10000      ///< Keep-alive timeout asked for when opts give none
#define TCP_CONNECT_TIMEOUT_S 10 ///< TCP connect + ICResp + Fabrics Connect, when opts give none
#define TCP_RBUF_NBYTES       (256u * 1024)
#define TCP_CHECK_MASK        1023 ///< Pokes between looks at the clock (timeouts)
#define TCP_SPIN_POKES        32   ///< Empty pokes in a row before a poke waits on the socket
#define TCP_SPIN_WAIT_US      50   ///< How long such a poke waits at most

/* Status a command gets when the transport fails it (no completion from the controller) */
#define TCP_SCT_PATH     0x3  ///< Path related status
#define TCP_SC_HOST_PATH 0x70 ///< Host Pathing Error: connection lost, timed out
#define TCP_SC_TRANSIENT 0x22 ///< Generic: Transient Transport Error (a data digest mismatch)

/** Where the controller is and who we are */
struct tcp_target {
	char host[256]; ///< Name or address (IPv6 without brackets)
	char port[8];
	char subnqn[TCP_NQN_LEN];
	char hostnqn[TCP_NQN_LEN];
	uint8_t hostid[16];
	int hostid_given; ///< hostid came with the identifier
	int hdgst, ddgst; ///< Digests to ask for
};

/** A command in flight on a connection */
struct tcp_slot {
	struct xnvme_cmd_ctx *ctx; ///< NULL: free
	uint16_t cid;              ///< Slot index, a use count above it (a stale answer misses)
	uint8_t h2c;               ///< Data goes to the controller (write-like)
	uint8_t failed_digest;     ///< A C2HData digest mismatched: the command fails
	uint8_t held;              ///< Completed while its PDU is half sent: finished after it
	uint32_t nbytes;           ///< Data bytes the command moves
	uint32_t moved;            ///< Data bytes received (C2H) or sent (H2C) so far
	const struct iovec *vec;   ///< The command's data pieces (vec_one or vec_copy)
	size_t cnt;
	struct iovec vec_one;
	struct iovec *vec_copy;
	uint64_t start_ns;
	/* What is to be sent for it: the capsule, then H2CData PDUs answering R2Ts */
	struct tcp_slot *tx_next;
	uint8_t tx_queued;
	uint8_t tx_capsule;       ///< The capsule is (still) to be sent
	uint32_t incapsule;       ///< Data bytes in the capsule
	uint16_t r2t_ttag;        ///< The R2T being answered
	uint32_t r2t_off;         ///< Next H2C byte (command offset) to send for it
	uint32_t r2t_end;         ///< Command offset where the R2T's range ends
	uint8_t hdr[TCP_HDR_MAX]; ///< The PDU header being sent
	uint32_t hdr_len;
	uint32_t pdu_datao, pdu_datal; ///< The data of the PDU being sent
	uint8_t ddgst[TCP_DIGEST_LEN];
};

/** One connection: one NVMe queue (qid 0: admin) */
struct tcp_conn {
	int fd;
	uint16_t qid;
	uint16_t depth;  ///< Queue entries (Connect SQSIZE + 1)
	uint32_t nslots; ///< Slots, a power of two: the cid's low bits
	uint32_t slot_bits;
	uint32_t incapsule_max; ///< In-capsule data bytes the queue takes
	uint32_t max_xfer;      ///< Data bytes of one command at most
	uint64_t timeout_ns;    ///< A command outstanding longer fails the connection
	struct tcp_params params;
	struct tcp_rx rx;
	uint8_t *rbuf;
	uint32_t rhead, rlen; ///< Unparsed bytes: rbuf[rhead, rhead + rlen)
	struct tcp_slot *slots;
	uint32_t noutstanding;
	struct tcp_slot *tx_head, *tx_tail; ///< Slots with something to send, in order
	uint32_t tx_sent;                   ///< Bytes of the head's current PDU on the wire
	int err;                            ///< 0, or why the connection is dead (-errno)
	uint32_t npokes;
	uint32_t empty_pokes; ///< Pokes in a row that found nothing with commands outstanding
	/* Completions found while sending (delivered by the next process call) */
	struct xnvme_cmd_ctx **done;
	uint32_t ndone;
};

/* ---- tcp_conn.c ---- */

/**
 * Connects to @p t (TCP, TCP_NODELAY, non-blocking), exchanges ICReq/ICResp within
 * @p timeout_ms, sets up @p depth slots. @p why (@p why_len) gets the reason of a failure.
 * 0 or -errno.
 */
int tcp_conn_open(struct tcp_conn *c, const struct tcp_target *t, uint16_t qid, uint16_t depth,
		  int timeout_ms, char *why, size_t why_len);
void tcp_conn_close(struct tcp_conn *c);

/**
 * Queues @p ctx (its command, its data @p dvec / @p dcnt / @p dnbytes) in slot @p slot (a free
 * one: -EBUSY otherwise) and sends what the socket takes now. The command's SGL is the
 * transport's: in-capsule data up to incapsule_max for writes, else C2HData / R2T.
 */
int tcp_conn_submit(struct tcp_conn *c, uint32_t slot, struct xnvme_cmd_ctx *ctx,
		    const struct iovec *dvec, size_t dcnt, size_t dnbytes);

/**
 * Sends and receives what the socket allows now, without blocking; completed commands (ctx->cpl
 * filled; slot freed) go to @p done, at most @p max (0: all). Returns how many. A connection
 * that dies completes its commands with a path error; c->err says why.
 */
int tcp_conn_process(struct tcp_conn *c, struct xnvme_cmd_ctx **done, uint32_t max);

/** Blocks until the socket is readable (or writable with sends queued), at most @p timeout_ms */
int tcp_conn_wait(struct tcp_conn *c, int timeout_ms);
/** The same, at most @p timeout_us microseconds */
int tcp_conn_wait_us(struct tcp_conn *c, uint32_t timeout_us);

/**
 * One command start to end (admin, sync, fabrics): submits in a free slot, processes until it
 * completes or @p timeout_ns passes (the connection is then failed). 0, -EIO (status in
 * ctx->cpl), or -errno.
 */
int tcp_conn_exec(struct tcp_conn *c, struct xnvme_cmd_ctx *ctx, const struct iovec *dvec,
		  size_t dcnt, size_t dnbytes);

/** Fails the connection: every outstanding command completes with a path error */
void tcp_conn_fail(struct tcp_conn *c, int err);
/** Sets @p ctx's completion to Host Pathing Error (path related, DNR clear) */
void tcp_cpl_path_error(struct xnvme_cmd_ctx *ctx, uint16_t cid, uint16_t qid);

/** 1 when a command has been outstanding past the timeout (checked every TCP_CHECK_MASK+1) */
int tcp_conn_timed_out(struct tcp_conn *c);

/* ---- tcp_slot.c: the commands in flight (tcp_conn_submit and tcp_conn_fail above too) ---- */

/** Sends what the socket takes now of the send queue; 0, or -errno when the connection broke */
int tcp_conn_flush(struct tcp_conn *c);
/** What controller PDU event @p ev does to its command; 0, or -EPROTO with @p fes / @p fei */
int tcp_conn_event(struct tcp_conn *c, const struct tcp_rx_event *ev, uint16_t *fes, uint32_t *fei);
/** A protocol error of the controller's: an H2CTermReq saying why (best effort), then failed */
void tcp_conn_protocol_error(struct tcp_conn *c, uint16_t fes, uint32_t fei);

/* ---- tcp_fabrics.c ---- */

/**
 * Fabrics Connect on @p c: queue @p c->qid of @p depth entries, controller @p cntlid (0xFFFF on
 * the admin queue: any), keep-alive @p kato_ms (admin queue only). *@p cntlid_out: the
 * controller's id. @p why gets the reason (status) of a refusal. 0, -EIO, -errno.
 */
int tcp_fabrics_connect(struct tcp_conn *c, const struct tcp_target *t, uint16_t cntlid,
			uint32_t kato_ms, uint16_t *cntlid_out, char *why, size_t why_len);
/** Property Get of @p nbytes (4 or 8) at @p ofst */
int tcp_fabrics_prop_get(struct tcp_conn *c, uint32_t ofst, int nbytes, uint64_t *val);
/** Property Set of @p nbytes (4 or 8) at @p ofst */
int tcp_fabrics_prop_set(struct tcp_conn *c, uint32_t ofst, int nbytes, uint64_t val);
/** Disconnect (an I/O queue's; the admin queue's association ends by closing it) */
int tcp_fabrics_disconnect(struct tcp_conn *c);

/* ---- tcp_ctrl.c ---- */

struct tcp_ctrl {
	struct xnvme_ctrl *xctrl;
	struct tcp_target target;
	struct tcp_conn admin;
	uint16_t cntlid;
	uint64_t cap;
	uint32_t vs;
	struct xnvme_spec_idfy_ctrlr idctrl;
	uint32_t io_incapsule; ///< IOCCSZ's in-capsule bytes for I/O queues
	uint32_t max_xfer;
	uint32_t nioqs;
	uint16_t mqes; ///< CAP.MQES + 1
	uint32_t kato_ms;
	uint64_t kato_sent_ns; ///< When the last keep-alive (or admin command) went
	uint32_t admin_timeout_s, command_timeout_s;
	int discovery; ///< The discovery controller: no I/O queues, no enable of namespaces
	pthread_mutex_t qid_lock;
	uint64_t qids[1024]; ///< Bit q: qid q + 1 taken (up to 65535)
	uint32_t qid_last;   ///< Where the next search for a free qid starts
	pthread_t ka_thread;
	int ka_running;
	pthread_mutex_t ka_lock;
	pthread_cond_t ka_cond;
	int ka_stop;
	atomic_int failed;
};

extern const struct xnvme_be_ctrl_ops tcp_ctrl_ops;

/** Opens an I/O connection of @p depth entries on @p ctrl (a qid taken); 0 or -errno */
int tcp_ctrl_io_open(struct tcp_ctrl *ctrl, struct tcp_conn *c, uint32_t depth,
		     uint32_t command_timeout_s);
/** Disconnects and closes an I/O connection, gives its qid back */
void tcp_ctrl_io_close(struct tcp_ctrl *ctrl, struct tcp_conn *c);
/** An admin command on the admin connection (admin lock held by the caller) */
int tcp_ctrl_admin_locked(struct tcp_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, void *dbuf,
			  size_t dbuf_nbytes);

/* ---- tcp.c ---- */

/**
 * Parses a "HOST:PORT" / "[IPV6]:PORT" / "nvme+tcp://HOST[:PORT]/SUBNQN" identifier and the
 * options into @p t (hostnqn and hostid: the options', else /etc/nvme's, else derived from the
 * machine id, stable). -ENODEV: not a TCP identifier; -EINVAL: a broken one.
 */
int tcp_target_parse(const char *uri, const struct xnvme_opts *opts, struct tcp_target *t);

/** Per device: its sync connection */
struct tcp_dev_state {
	pthread_mutex_t lock;
	struct tcp_conn sync;
	int sync_ready;
};

extern const struct xnvme_be_admin_ops tcp_admin_ops;
extern const struct xnvme_be_sync_ops tcp_sync_ops;
extern const struct xnvme_be_async_ops tcp_async_ops;

#pragma GCC visibility pop

#endif
