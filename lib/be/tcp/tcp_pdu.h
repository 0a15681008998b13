/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: NVMe/TCP PDUs (NVM Express TCP Transport Specification, revision 1.0): the host's
 * PDUs built into caller memory, and the controller's parsed by a receive state machine.
 *
 * Pure code: no socket, no allocation, no clock, no global state. The connection (tcp_conn.c)
 * moves the bytes and keeps the commands; this file decides what the bytes are. Every length and
 * offset a controller sends is checked here against the PDU's own fields and the negotiated
 * parameters before anything is handed on, so that the connection only has to check a data
 * transfer against its command's buffer (cccid, datao + datal). A fuzz target feeds
 * tcp_rx_feed() arbitrary bytes (tests/fuzz/fuzz_tcp_pdu.c).
 *
 * Wire format: little-endian. The 8-byte common header (CH) is type, flags, hlen, pdo, plen;
 * the PDU-specific header follows to hlen; then, when negotiated, a 4-byte header digest; then
 * pad up to pdo and the data; then, when negotiated and the PDU has data, a 4-byte data digest.
 * Digests are CRC32C (xnvme_crc32c(0, ...)), stored little-endian.
 */
#ifndef __XNVME_TCP_PDU_H
#define __XNVME_TCP_PDU_H

#include <stddef.h>
#include <stdint.h>
#include <libxnvme_spec.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/* PDU types: H2C the host sends, C2H the controller sends */
#define TCP_PDU_ICREQ        0x00 ///< H2C
#define TCP_PDU_ICRESP       0x01 ///< C2H
#define TCP_PDU_H2C_TERMREQ  0x02 ///< H2C
#define TCP_PDU_C2H_TERMREQ  0x03 ///< C2H
#define TCP_PDU_CAPSULE_CMD  0x04 ///< H2C
#define TCP_PDU_CAPSULE_RESP 0x05 ///< C2H
#define TCP_PDU_H2C_DATA     0x06 ///< H2C
#define TCP_PDU_C2H_DATA     0x07 ///< C2H
#define TCP_PDU_R2T          0x09 ///< C2H

/* CH flags */
#define TCP_FLAG_HDGSTF  0x01 ///< A header digest follows the header
#define TCP_FLAG_DDGSTF  0x02 ///< A data digest follows the data
#define TCP_FLAG_LAST    0x04 ///< H2CData / C2HData: the last PDU of the command's transfer
#define TCP_FLAG_SUCCESS 0x08 ///< C2HData (with LAST): the command succeeded, no CapsuleResp

/* Lengths (bytes) */
#define TCP_CH_LEN            8
#define TCP_DIGEST_LEN        4
#define TCP_ICREQ_LEN         128 ///< ICReq and ICResp: hlen = plen = 128
#define TCP_CAPSULE_CMD_HLEN  72  ///< CH + the 64-byte SQE
#define TCP_CAPSULE_RESP_HLEN 24  ///< CH + the 16-byte CQE
#define TCP_DATA_HLEN         24  ///< H2CData, C2HData and R2T
#define TCP_TERMREQ_HLEN      24
#define TCP_TERMREQ_MAX_DATA  128 ///< Of the offending PDU's header a TermReq carries at most
/** Room for any header tcp_pdu_capsule_cmd() or tcp_pdu_h2c_data() writes: CH, SQE, digest, pad */
#define TCP_HDR_MAX 256
/** The largest PDO the host asks for: hpda 31, (31 + 1) * 4 */
#define TCP_HPDA_MAX 31

/* TermReq fatal error status (FES) */
#define TCP_FES_INVALID_HEADER 0x01 ///< FEI: the byte offset of the offending header field
#define TCP_FES_SEQUENCE       0x02 ///< A PDU the state does not allow (a second ICResp, ...)
#define TCP_FES_HDGST          0x03 ///< Header digest mismatch
#define TCP_FES_OUT_OF_RANGE   0x04 ///< Data outside what the command transfers
#define TCP_FES_LIMIT          0x05 ///< R2T limit exceeded
#define TCP_FES_UNSUPPORTED    0x06 ///< Unsupported parameter (FEI: its byte offset)

/** What a connection negotiated in ICReq/ICResp, and the host's own bounds */
struct tcp_params {
	uint8_t hdgst;       ///< Header digests on every PDU but ICReq/ICResp/TermReqs
	uint8_t ddgst;       ///< Data digests on every PDU with data
	uint8_t hpda;        ///< The host's: C2H data starts at a multiple of (hpda + 1) * 4
	uint8_t cpda;        ///< The controller's: H2C data starts at a multiple of (cpda + 1) * 4
	uint32_t maxh2cdata; ///< The controller's: data bytes of one H2CData PDU at most
	uint32_t
	    max_data; ///< The host's: data bytes of one C2HData PDU at most (its largest transfer)
};

/** Little-endian stores, as every NVMe/TCP and Fabrics field is laid out */
static inline void
tcp_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
tcp_put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; ++i) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Host PDUs                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/**
 * An ICReq into @p pdu: PFV 0, the host's @p hpda (0..31), the digests asked for, MAXR2T
 * @p maxr2t (0's based: outstanding R2Ts per command the host accepts, minus one).
 */
void tcp_pdu_icreq(uint8_t pdu[TCP_ICREQ_LEN], uint8_t hpda, int hdgst, int ddgst, uint32_t maxr2t);

/**
 * The header part of a CapsuleCmd carrying the 64-byte @p sqe and @p incapsule bytes of data:
 * CH (HDGSTF/DDGSTF per @p p; DDGSTF only with data), the SQE, the header digest, zero pad up
 * to PDO (a multiple of (cpda + 1) * 4 when there is data; no pad without). Writes at most
 * TCP_HDR_MAX bytes into @p hdr and returns how many: the data, then its digest when
 * negotiated (the caller's: tcp_pdu_ddgst()), follow on the wire.
 */
size_t tcp_pdu_capsule_cmd(uint8_t hdr[TCP_HDR_MAX], const struct tcp_params *p, const void *sqe,
			   uint32_t incapsule);

/**
 * The header part of an H2CData PDU: @p datal bytes at offset @p datao of command @p cccid's
 * data, answering R2T @p ttag; @p last: the last PDU for that R2T. As tcp_pdu_capsule_cmd().
 */
size_t tcp_pdu_h2c_data(uint8_t hdr[TCP_HDR_MAX], const struct tcp_params *p, uint16_t cccid,
			uint16_t ttag, uint32_t datao, uint32_t datal, int last);

/**
 * An H2CTermReq into @p pdu (at most TCP_TERMREQ_HLEN + TCP_TERMREQ_MAX_DATA bytes): @p fes,
 * @p fei, and the first bytes (at most TCP_TERMREQ_MAX_DATA) of the offending PDU's header
 * @p bad (@p bad_len; may be 0). Returns the PDU's length.
 */
size_t tcp_pdu_h2c_termreq(uint8_t *pdu, uint16_t fes, uint32_t fei, const void *bad,
			   size_t bad_len);

/** The data digest of @p len bytes: CRC32C, to continue over pieces (pass 0 to start) */
uint32_t tcp_pdu_ddgst(uint32_t crc, const void *buf, size_t len);

/* ---------------------------------------------------------------------------------------- */
/* Controller PDUs                                                                           */
/* ---------------------------------------------------------------------------------------- */

enum tcp_rx_kind {
	TCP_RX_NONE = 0, ///< More bytes are needed
	TCP_RX_ICRESP,   ///< ev.icresp: checked (PFV 0, CPDA <= 31, MAXH2CDATA >= 4096, dword
			 ///< multiple)
	TCP_RX_RESP,     ///< ev.cqe: a CapsuleResp
	TCP_RX_DATA, ///< ev.data: a piece of C2HData payload to copy (one PDU gives one or more)
	TCP_RX_DATA_END, ///< ev.data_end: the PDU's payload is done (digest checked)
	TCP_RX_R2T,      ///< ev.r2t
	TCP_RX_TERM,     ///< ev.term: the controller ends the connection
};

struct tcp_rx_event {
	enum tcp_rx_kind kind;
	union {
		struct {
			uint16_t pfv;
			uint8_t cpda;
			uint8_t hdgst, ddgst; ///< What the controller enabled (DGST bits 0 and 1)
			uint32_t maxh2cdata;
		} icresp;
		struct xnvme_spec_cpl cqe;
		struct {
			uint16_t cccid;
			uint32_t
			    offset; ///< Into the command's data: the PDU's DATAO + bytes before
			const uint8_t *data; ///< Within the buffer given to tcp_rx_feed()
			uint32_t len;        ///< > 0
		} data;
		struct {
			uint16_t cccid;
			uint32_t datao, datal; ///< The PDU's transfer, as its header said
			uint8_t last;          ///< LAST_PDU
			uint8_t success;       ///< SUCCESS (only with LAST): no CapsuleResp follows
			uint8_t digest_ok;     ///< 1, or 0 on a data digest mismatch (not fatal)
		} data_end;
		struct {
			uint16_t cccid;
			uint16_t ttag;
			uint32_t r2to, r2tl; ///< r2tl > 0
		} r2t;
		struct {
			uint16_t fes;
			uint32_t fei;
		} term;
	};
};

/** The receive state machine of one connection: opaque to the connection but for init */
struct tcp_rx {
	const struct tcp_params *params; ///< NULL until ICResp: only an ICResp is taken then
	uint8_t hdr[TCP_ICREQ_LEN + TCP_DIGEST_LEN]; ///< The header being gathered
	uint32_t have;                               ///< Bytes of hdr gathered
	uint32_t need;                               ///< Header bytes the PDU has (hlen + digest)
	uint32_t skip;                               ///< Pad bytes still to skip before data
	uint32_t data_left;                          ///< Payload bytes still to come
	uint32_t data_off;                           ///< The next payload byte's offset in the PDU
	uint32_t ddgst_have;                         ///< Bytes of the data digest gathered
	uint32_t crc;                                ///< The running data digest
	uint8_t ddgst[TCP_DIGEST_LEN];
	int state;
	int dead; ///< After an error or a TermReq: nothing more is parsed
};

/** Starts a connection's receive side: @p params NULL until the ICResp has been taken */
void tcp_rx_init(struct tcp_rx *rx, const struct tcp_params *params);

/**
 * Consumes bytes of the stream from @p buf (@p len bytes) up to the next event: *@p used is how
 * many were taken (<= @p len), @p ev what they completed (TCP_RX_NONE when all @p len were
 * taken without completing one). Call again with the rest, and until the event is TCP_RX_NONE:
 * the TCP_RX_DATA_END of a payload without data digest comes from the call after its last
 * TCP_RX_DATA even when no bytes are left (@p buf may be NULL when @p len is 0). After
 * TCP_RX_ICRESP the connection sets rx->params (the negotiated ones) before feeding more.
 *
 * Returns 0, or -EPROTO for a PDU the host must not accept: an unknown or H2C type, a header
 * length, PDO, PLEN or flag that does not fit the type and the negotiated parameters, a header
 * digest mismatch, a PDU out of sequence; *@p fes and *@p fei then say why (for the
 * H2CTermReq the connection sends before closing), and every later call returns -EPROTO (with
 * the same FES/FEI; after TCP_RX_TERM with FES 2). -EINVAL for a NULL argument.
 */
int tcp_rx_feed(struct tcp_rx *rx, const uint8_t *buf, size_t len, size_t *used,
		struct tcp_rx_event *ev, uint16_t *fes, uint32_t *fei);

#pragma GCC visibility pop

#endif
