/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * A raw NVMe/TCP host for the test target's own tests: PDUs built and read byte by byte from
 * the transport specification, independent of the library's initiator (lib/be/tcp) and of the
 * target's code. Every call returns 0 or -1 (a short read, EOF, a timeout of RH_TIMEOUT_MS or
 * a PDU that does not parse); tests check the bytes themselves.
 */
#ifndef __TCP_RAWHOST_H
#define __TCP_RAWHOST_H

#include <stdint.h>
#include <libxnvme.h>

#define RH_TIMEOUT_MS 5000
#define RH_HOSTNQN    "nqn.2014-08.org.nvmexpress:uuid:7e57da7a-0000-4000-8000-000000000001"

struct rh {
	int fd;
	int hdgst, ddgst; ///< As the ICResp enabled them
	uint8_t hpda, cpda;
	uint32_t maxh2cdata;
	uint16_t cid;
	/* Counters of the last rh_cmd() */
	uint32_t n_r2t, n_c2h, n_h2c;
};

/** One received PDU */
struct rh_pdu {
	uint8_t hdr[256]; ///< The header as received (hlen bytes), without its digest
	uint8_t type, flags, hlen, pdo;
	uint32_t plen;
	uint8_t *data; ///< dlen bytes (malloc), or NULL
	uint32_t dlen;
	int hdgst_ok, ddgst_ok; ///< 1 when there was none or it matched
};

uint16_t rh_get16(const uint8_t *p);
uint32_t rh_get32(const uint8_t *p);
uint64_t rh_get64(const uint8_t *p);
void rh_put16(uint8_t *p, uint16_t v);
void rh_put32(uint8_t *p, uint32_t v);
/** CRC32C, checked against its check value before use */
uint32_t rh_crc32c(const void *buf, size_t len);

int rh_open(struct rh *h, uint16_t port);
void rh_close(struct rh *h);
int rh_send(struct rh *h, const void *buf, size_t len);
/** ICReq (PFV 0) and its ICResp into @p resp (128 bytes, checked here only for type/length) */
int rh_ic(struct rh *h, int hdgst, int ddgst, uint8_t hpda, uint32_t maxr2t, uint8_t *resp);
/** An H2C PDU: CH from @p hlen, digests as negotiated, data at the CPDA alignment */
int rh_send_pdu(struct rh *h, uint8_t *hdr, uint8_t hlen, const void *data, uint32_t dlen);
/** The next PDU; -1 on EOF, timeout (@p timeout_ms) or a header that does not fit */
int rh_recv(struct rh *h, struct rh_pdu *p, int timeout_ms);
/** Frees @p p's data (twice is fine); its type, for loops that end at one */
uint8_t rh_pdu_free(struct rh_pdu *p);
/** Whether the peer closed: EOF within @p timeout_ms (after any bytes it still sends) */
int rh_eof(struct rh *h, int timeout_ms);

/** An H2CData PDU: @p datal bytes of @p data at @p datao, for R2T @p ttag of @p cccid */
int rh_h2c(struct rh *h, uint16_t cccid, uint16_t ttag, uint32_t datao, const void *data,
	   uint32_t datal, int last);
/** A capsule: @p sqe with @p icdlen bytes of in-capsule data */
int rh_capsule(struct rh *h, const void *sqe, const void *icd, uint32_t icdlen);
/** SGL1 of @p sqe: in-capsule data (Data Block, subtype Offset) or a transport data block */
void rh_sgl_incapsule(struct xnvme_spec_cmd *sqe, uint32_t len);
void rh_sgl_transport(struct xnvme_spec_cmd *sqe, uint32_t len);

/**
 * Runs @p sqe to its CapsuleResp: @p icd in the capsule, or @p wbuf (@p wlen) sent by R2T in
 * H2CData PDUs of at most MAXH2CDATA, or C2HData into @p rbuf (@p rlen; bounds checked).
 * The completion into @p cpl; -1 on anything a host must not accept.
 */
int rh_cmd(struct rh *h, struct xnvme_spec_cmd *sqe, const void *icd, uint32_t icdlen,
	   const void *wbuf, uint32_t wlen, void *rbuf, uint32_t rlen, struct xnvme_spec_cpl *cpl);

/** A Connect (qid, 0's based sqsize, cntlid 0xFFFF for an admin queue, NQNs, KATO ms) */
int rh_connect(struct rh *h, uint16_t qid, uint16_t sqsize, uint16_t cntlid, const char *subnqn,
	       const char *hostnqn, uint32_t kato, struct xnvme_spec_cpl *cpl);
int rh_prop_get(struct rh *h, uint32_t ofst, int size8, struct xnvme_spec_cpl *cpl);
int rh_prop_set(struct rh *h, uint32_t ofst, uint64_t val, struct xnvme_spec_cpl *cpl);
/** ICReq, admin Connect, CC.EN = 1 and CSTS.RDY checked; the controller's cntlid */
int rh_admin_up(struct rh *h, uint16_t port, const char *subnqn, int hdgst, int ddgst,
		uint16_t *cntlid);
/** ICReq and an I/O queue's Connect (sqsize 31) to controller @p cntlid */
int rh_io_up(struct rh *h, uint16_t port, const char *subnqn, uint16_t cntlid, uint16_t qid,
	     int hdgst, int ddgst);
/** A read (02h) or write (01h) SQE of @p nlb blocks at @p slba of namespace 1, a fresh cid */
void rh_sqe_rw(struct rh *h, struct xnvme_spec_cmd *sqe, uint8_t opc, uint64_t slba, uint32_t nlb);

#endif
