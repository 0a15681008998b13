/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Test code (never in the library): an NVMe/TCP target in-process, over the ramdisk's command
 * executor, for host-side tests that the Linux kernel's nvmet-tcp cannot serve (sanitizers,
 * TSan, faults). It listens on 127.0.0.1 at an ephemeral port; one thread a connection.
 *
 * Written from the NVMe/TCP transport and NVMe over Fabrics specifications: it parses the
 * H2C PDUs (ICReq, CapsuleCmd, H2CData, H2CTermReq) and builds the C2H ones (ICResp,
 * CapsuleResp, C2HData, R2T, C2HTermReq). Any PDU it must not accept gets a C2HTermReq and
 * the connection closed.
 *
 * The spec is a ramdisk spec (lib/be/ramdisk: "64MiB", "64MiB,lbads=4096,ms=8", zoned, ...)
 * with these target keys mixed in (any order after the size):
 *   subnqn=NQN       the subsystem's NQN (default nqn.2026-12.io.xnvme:tcp-target)
 *   hostnqn=NQN      the only host NQN let in (default: any)
 *   ioccsz=N         I/O queue command capsule size in 16-byte units, 4..4100 (default 260:
 *                    4 KiB in-capsule data); the admin queue takes 8 KiB in-capsule always
 *   maxh2cdata=N     bytes per H2CData PDU, a multiple of 4, >= 4096 (default 32768)
 *   cpda=N           data alignment of H2C PDUs asked of the host, (N + 1) * 4 bytes, 0..31
 *   hdgst=M, ddgst=M header / data digests: off (never enabled), on (when the host asks;
 *                    default), required (a host not asking gets a C2HTermReq)
 *   r2tsize=N        bytes an R2T asks for at most (default 0: the rest of the transfer)
 *   c2hsize=N        data bytes of one C2HData PDU at most (default 65536)
 *   success=M        C2HData SUCCESS flag instead of a CapsuleResp: 0 (default), 1 (on queues
 *                    whose Connect disabled SQ flow control, CATTR bit 2, as the spec allows),
 *                    always (every queue: to test hosts)
 *   mqes=N           queue entries at most, 0's based (CAP.MQES, Connect SQSIZE; default 127)
 *   fault=RULE[+RULE]...  fault hooks, below
 * Metadata travels interleaved with the data on fabrics: with ms= the namespace is mset=ext
 * unless given; mset=sep is refused.
 *
 * Behaviour a host may rely on: one subsystem (dynamic controller model, cntlid from 1) and
 * the discovery subsystem (nqn.2014-08.org.nvmexpress.discovery, Get Log Page 70h: one entry,
 * TRTYPE 3, ADRFAM 1, SUBTYPE 2, TRSVCID and TRADDR space padded). Admin and I/O commands need
 * CC.EN first (else Command Sequence Error); an I/O queue's Connect needs its controller
 * enabled. The keep-alive timer restarts at every admin-queue capsule; KATO ms without one
 * ends the association (its connections close). Asynchronous Event Requests are held, never
 * answered. A data digest mismatch on H2C data fails the command with Transient Transport
 * Error (22h); every other transport error is a C2HTermReq, then the connection closes.
 * In-capsule data only with an SGL Data Block (subtype Offset, 01h); data by R2T or C2HData
 * with a Transport SGL Data Block (5Ah); PSDT must be 01b.
 *
 * Fault hooks: RULE is NAME@N (the Nth capsule, one-based, on I/O queues, their Connect not
 * counted) or NAME@aN (the Nth capsule on admin queues, Connect and Property Get/Set
 * counted). Counts are over the whole target. What each does to that command:
 *   close     the connection is shut down when the capsule is taken: no answer, EOF
 *   stall     never answered (no R2T, no data, no CapsuleResp); the connection goes on
 *   badhlen   its answering PDU (first C2HData, else CapsuleResp) has an HLEN 4 too big
 *   badplen   its answering PDU's PLEN is 4 more than the bytes that follow
 *   badtype   in its place a PDU of unknown type 0x0F (24-byte header, no data)
 *   baddatal  before its answer a C2HData (its cccid) whose DATAO + DATAL ends past the
 *             command's transfer (DATAO = the transfer length, DATAL 512)
 *   badcccid  before its answer a C2HData of 512 bytes for cccid (its cccid ^ 0x8000)
 *   termreq   in its place a C2HTermReq (FES 01h, FEI 0), then the connection is closed
 *   badhdgst  its answering PDU's header digest is wrong (only with header digests)
 *   badddgst  its first C2HData's data digest is wrong (only with data digests and C2H data)
 */
#ifndef __TCP_TARGET_H
#define __TCP_TARGET_H

#include <stdint.h>

struct tcp_target;

/** What the target did so far (for tests: a fault fired, a keep-alive expired) */
struct tcp_target_stats {
	uint64_t connections;  ///< Accepted
	uint64_t commands;     ///< Capsules taken
	uint64_t r2ts;         ///< R2T PDUs sent
	uint64_t termreqs;     ///< C2HTermReqs sent (protocol errors and the termreq fault)
	uint64_t faults;       ///< Fault hooks fired
	uint64_t kato_expired; ///< Associations ended by the keep-alive timeout
	uint64_t h2c_termreqs; ///< H2CTermReqs received
};

/**
 * Starts a target serving @p spec (above) on 127.0.0.1 port @p port (0: an ephemeral one);
 * 0 or -errno (-EINVAL for a spec it refuses, the reason printed on stderr).
 */
int tcp_target_start_at(const char *spec, const char *addr, uint16_t port,
			struct tcp_target **target);
/** tcp_target_start_at(spec, "127.0.0.1", 0, target) */
int tcp_target_start(const char *spec, struct tcp_target **target);
/** The TCP port it listens on */
uint16_t tcp_target_port(const struct tcp_target *target);
/** The subsystem NQN it exports */
const char *tcp_target_subnqn(const struct tcp_target *target);
void tcp_target_stats(struct tcp_target *target, struct tcp_target_stats *stats);
/** Stops listening and closes every connection (hosts see EOF); waits for the threads */
void tcp_target_stop(struct tcp_target *target);
/**
 * Listens again after tcp_target_stop(), on the same address and port, with the namespaces'
 * data kept (a target "back" for a host's fresh open); 0, -EBUSY when running, or -errno
 */
int tcp_target_restart(struct tcp_target *target);
/** Stops it when running, then frees it and its namespaces; NULL is fine */
void tcp_target_free(struct tcp_target *target);

#endif
