/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * The test target's insides (tcp_target.h says what it does): tcp_target.c (spec, listener,
 * controllers, faults), tcp_target_conn.c (one connection: PDUs in and out, R2T),
 * tcp_target_cmd.c (fabrics commands, properties, identify, discovery, the executor).
 */
#ifndef __TCP_TARGET_INT_H
#define __TCP_TARGET_INT_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <libxnvme.h>
#include "tcp_target.h"

#pragma GCC visibility push(hidden)

#define TT_DISCOVERY_NQN   "nqn.2014-08.org.nvmexpress.discovery"
#define TT_NQN_LEN         256
#define TT_CTRL_MAX        64
#define TT_FAULT_MAX       8
#define TT_PENDING_MAX     1024 ///< Commands of one connection waiting for H2C data
#define TT_R2T_MAX         4    ///< R2Ts outstanding for one command at most
#define TT_ADMIN_INCAPSULE 8192
#define TT_XFER_MAX        (1u << 20) ///< The ramdisk's MDTS (2^8 * 4 KiB)
#define TT_CONNECT_DATA    1024

enum tt_fault_kind {
	TT_FAULT_NONE = 0,
	TT_FAULT_CLOSE,
	TT_FAULT_STALL,
	TT_FAULT_BADHLEN,
	TT_FAULT_BADPLEN,
	TT_FAULT_BADTYPE,
	TT_FAULT_BADDATAL,
	TT_FAULT_BADCCCID,
	TT_FAULT_TERMREQ,
	TT_FAULT_BADHDGST,
	TT_FAULT_BADDDGST,
};

struct tt_fault {
	uint32_t kind;
	uint8_t admin;
	uint64_t nth;
};

enum tt_dgst_mode { TT_DGST_OFF, TT_DGST_ON, TT_DGST_REQUIRED };

struct tt_cfg {
	char subnqn[TT_NQN_LEN];
	char hostnqn[TT_NQN_LEN]; ///< Empty: any host
	uint32_t ioccsz, maxh2cdata, cpda, r2tsize, c2hsize, mqes;
	uint32_t hdgst, ddgst; ///< enum tt_dgst_mode
	uint32_t success;      ///< 0, 1 (SQ flow control disabled), 2 (always)
	struct tt_fault faults[TT_FAULT_MAX];
	uint32_t nfaults;
};

/** A controller: one association, made by an admin queue's Connect */
struct tt_ctrl {
	int used;
	int dead; ///< Ended (keep-alive expired, admin queue gone): its queues close
	int discovery;
	uint16_t cntlid;
	uint32_t cc, csts;
	uint32_t kato_ms;
	struct timespec last_cmd; ///< Of the admin queue: the keep-alive timer's start
	char hostnqn[TT_NQN_LEN];
	uint64_t ioqs;   ///< Bit per I/O queue id connected (ids 1..63)
	uint32_t nconns; ///< Connections of its queues: the slot is free again at 0
};

struct tcp_target;
struct tt_cmd;

struct tt_conn {
	struct tcp_target *t;
	int fd;
	pthread_t thread;
	int done; ///< The thread has ended (the acceptor joins it)
	struct tt_conn *next;

	/* Negotiated by ICReq/ICResp */
	int ic_done;
	uint8_t hdgst, ddgst, hpda;
	uint32_t maxr2t; ///< Outstanding R2Ts per command (MAXR2T + 1, at most TT_R2T_MAX)

	/* Set by Connect */
	struct tt_ctrl *ctrl;
	uint16_t qid, sqsize, sqhd;
	int connected;
	int sqfc_off; ///< The host disabled SQ flow control (CATTR bit 2)
	uint16_t next_ttag;
	int term_sent;       ///< A C2HTermReq went out: the host is given time to read it
	struct tt_cmd *cmds; ///< TT_PENDING_MAX: commands waiting for H2C data (tcp_target_conn.c)
};

struct tcp_target {
	struct tt_cfg cfg;
	void *rd; ///< struct rd_ctrl *
	char addr[64];
	int lfd;
	uint16_t port;
	pthread_t acceptor;
	int running;
	int stopping;

	pthread_mutex_t lock; ///< Controllers, connections, counters
	struct tt_conn *conns;
	struct tt_ctrl ctrls[TT_CTRL_MAX];
	uint16_t next_cntlid;
	uint64_t nio_cmds, nadmin_cmds;
	struct tcp_target_stats stats;
};

/* tcp_target.c */
/** The fault hook (enum tt_fault_kind) for the next capsule on an admin or I/O queue */
uint32_t tt_fault_next(struct tcp_target *t, int admin);
void tt_count(struct tcp_target *t, uint64_t *counter);
/** An unused controller with a fresh cntlid, or NULL; under t->lock */
struct tt_ctrl *tt_ctrl_new(struct tcp_target *t);
/** The live controller @p cntlid, or NULL; under t->lock */
struct tt_ctrl *tt_ctrl_find(struct tcp_target *t, uint16_t cntlid);
/** Milliseconds since @p ts */
uint64_t tt_ms_since(const struct timespec *ts);

/* tcp_target_io.c */
/** A fault hook's deliberate mistakes in one PDU */
struct tt_mut {
	int8_t hlen_delta, plen_delta;
	uint8_t bad_hdgst, bad_ddgst;
};
/** Receives exactly @p len bytes; 0, or -1 on EOF, error, stop or the association's end */
int tt_recv(struct tt_conn *c, void *buf, size_t len);
/**
 * Sends a C2H PDU: @p hdr (@p hlen bytes, type and PDU-specific fields set; the rest of the
 * CH is filled in here), then @p dlen bytes of @p data at the host's alignment, digests as
 * negotiated, @p mut's mistakes (may be NULL). 0 or -1.
 */
int tt_send_pdu(struct tt_conn *c, uint8_t *hdr, uint8_t hlen, const void *data, uint32_t dlen,
		const struct tt_mut *mut);
/** Sends a C2HTermReq with the offending header's first bytes, shuts the sending side; -1 */
int tt_send_termreq(struct tt_conn *c, uint16_t fes, uint32_t fei, const void *bad, size_t bad_len);
int tt_send_resp(struct tt_conn *c, const struct xnvme_spec_cpl *cpl, const struct tt_mut *mut);
int tt_send_c2h(struct tt_conn *c, uint16_t cccid, uint32_t datao, const void *data, uint32_t dlen,
		uint8_t flags, const struct tt_mut *mut);
/** After a C2HTermReq: shuts the sending side, reads until the host closes (1 s at most) */
void tt_drain(struct tt_conn *c);
int tt_send_r2t(struct tt_conn *c, uint16_t cccid, uint16_t ttag, uint32_t r2to, uint32_t r2tl);

/* tcp_target_conn.c */
void *tt_conn_main(void *arg);

/* tcp_target_cmd.c */
#define TT_EXEC_CLOSE 1 ///< Answer, then close the connection (Disconnect)
#define TT_EXEC_HOLD  2 ///< No answer (an Asynchronous Event Request kept)
/** The data direction of @p opcode: 1 host to controller, 2 controller to host, 0 none */
int tt_opc_dir(uint8_t opcode);
/**
 * Executes command @p ctx (fabrics, admin or I/O by the connection's queue) with @p buf of
 * @p len bytes (data in, or room for data out); the completion into ctx->cpl. Returns 0,
 * TT_EXEC_CLOSE or TT_EXEC_HOLD.
 */
int tt_cmd_exec(struct tt_conn *c, struct xnvme_cmd_ctx *ctx, uint8_t *buf, uint32_t len);
/** Sets @p ctx's status: @p sct, @p sc, DNR */
void tt_status(struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc);

/* Little-endian fields of PDUs and fabrics structures */
static inline uint16_t
tt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t
tt_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t
tt_get64(const uint8_t *p)
{
	return (uint64_t)tt_get32(p) | (uint64_t)tt_get32(p + 4) << 32;
}
static inline void
tt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void
tt_put32(uint8_t *p, uint32_t v)
{
	tt_put16(p, (uint16_t)v);
	tt_put16(p + 2, (uint16_t)(v >> 16));
}
static inline void
tt_put64(uint8_t *p, uint64_t v)
{
	tt_put32(p, (uint32_t)v);
	tt_put32(p + 4, (uint32_t)(v >> 32));
}

#pragma GCC visibility pop

#endif
