/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NVMe/TCP receive state machine (lib/be/tcp/tcp_pdu.c, tcp_rx_feed) fed an arbitrary byte
 * stream, as a controller could send it, in arbitrary pieces.
 *
 * Input: a parameter byte (bit 0 header digests, bit 1 data digests, bit 2 the ICResp was already
 * taken), HPDA (modulo 32), max_data (2 bytes, little-endian), 8 piece sizes (0: the rest of the
 * stream at once; used in turn), then the stream. Each piece is copied into an allocation of its
 * exact size, so ASan sees a read past the bytes the machine was given.
 *
 * What must hold, else abort: *used <= the bytes given; every call takes a byte or gives an event
 * (and gives no two events in a row without a byte, but for the end of a payload); a data piece
 * lies within the bytes that call took, its offsets continue the PDU's from its DATAO, and the
 * pieces of a PDU add up to its DATAL (> 0, <= max_data) at TCP_RX_DATA_END; no data digest
 * mismatch without data digests; an R2T's R2TL > 0; an ICResp only before the parameters are set
 * and never twice; after -EPROTO (with a FES in 1..6) or a TermReq every call fails.
 */
#include <errno.h>
#include "fuzz_common.h"
#include "tcp_pdu.h"

struct fuzz_pdu_state {
	struct tcp_rx *rx; ///< An allocation of its own: ASan sees a write past its header buffer
	struct tcp_params params;
	int in_payload;      ///< Pieces of a C2HData payload seen, its end not yet
	uint32_t piece_base; ///< The payload's first offset (its DATAO)
	uint32_t piece_next;
	int ended; ///< -EPROTO or a TermReq seen: every call fails from then on
};

static void
check_event(struct fuzz_pdu_state *st, const struct tcp_rx_event *ev, const uint8_t *buf,
	    size_t used)
{
	switch (ev->kind) {
	case TCP_RX_ICRESP:
		FUZZ_ASSERT(st->rx->params == NULL);
		FUZZ_ASSERT(ev->icresp.pfv == 0 && ev->icresp.cpda <= TCP_HPDA_MAX);
		FUZZ_ASSERT(ev->icresp.maxh2cdata >= 4096 && ev->icresp.maxh2cdata % 4 == 0);
		st->rx->params = &st->params;
		break;
	case TCP_RX_DATA:
		FUZZ_ASSERT(st->rx->params != NULL);
		FUZZ_ASSERT(ev->data.len > 0 && ev->data.len <= used);
		FUZZ_ASSERT(ev->data.data >= buf && ev->data.data + ev->data.len <= buf + used);
		if (!st->in_payload) {
			st->in_payload = 1;
			st->piece_base = ev->data.offset;
			st->piece_next = ev->data.offset;
		}
		FUZZ_ASSERT(ev->data.offset == st->piece_next);
		// Within [DATAO, DATAO + DATAL) as numbers, not modulo 2^32
		FUZZ_ASSERT((uint64_t)ev->data.offset + ev->data.len <= UINT32_MAX);
		st->piece_next += ev->data.len;
		FUZZ_ASSERT(st->piece_next - st->piece_base <= st->params.max_data);
		break;
	case TCP_RX_DATA_END:
		FUZZ_ASSERT(st->in_payload);
		FUZZ_ASSERT(ev->data_end.datal > 0 && ev->data_end.datal <= st->params.max_data);
		FUZZ_ASSERT(st->piece_base == ev->data_end.datao);
		FUZZ_ASSERT((uint64_t)ev->data_end.datao + ev->data_end.datal <= UINT32_MAX);
		FUZZ_ASSERT(st->piece_next - st->piece_base == ev->data_end.datal);
		FUZZ_ASSERT(st->params.ddgst || ev->data_end.digest_ok);
		FUZZ_ASSERT(!ev->data_end.success || ev->data_end.last);
		st->in_payload = 0;
		break;
	case TCP_RX_R2T:
		FUZZ_ASSERT(st->rx->params != NULL && ev->r2t.r2tl > 0);
		FUZZ_ASSERT((uint64_t)ev->r2t.r2to + ev->r2t.r2tl <= UINT32_MAX);
		FUZZ_ASSERT(!st->in_payload);
		break;
	case TCP_RX_RESP:
		FUZZ_ASSERT(st->rx->params != NULL && !st->in_payload);
		break;
	case TCP_RX_TERM:
		FUZZ_ASSERT(!st->in_payload);
		st->ended = 1;
		break;
	case TCP_RX_NONE:
		break;
	default:
		FUZZ_ASSERT(!"an event kind tcp_pdu.h does not have");
	}
}

/* One piece of the stream, fed until the machine has taken it all or refused it */
static void
feed_piece(struct fuzz_pdu_state *st, const uint8_t *buf, size_t len)
{
	size_t off = 0;
	int idle = 0; ///< Events in a row without a byte taken

	for (;;) {
		struct tcp_rx_event ev;
		size_t used = (size_t)-1;
		uint16_t fes = 0;
		uint32_t fei = 0;
		const uint8_t *at = buf ? buf + off : NULL;
		int err = tcp_rx_feed(st->rx, at, len - off, &used, &ev, &fes, &fei);

		if (st->ended) {
			FUZZ_ASSERT(err == -EPROTO && used == 0);
			return;
		}
		if (err) {
			FUZZ_ASSERT(err == -EPROTO);
			FUZZ_ASSERT(fes >= TCP_FES_INVALID_HEADER && fes <= TCP_FES_UNSUPPORTED);
			FUZZ_ASSERT(used <= len - off);
			st->ended = 1;
			return;
		}
		FUZZ_ASSERT(used <= len - off);
		check_event(st, &ev, at, used);
		off += used;
		if (ev.kind == TCP_RX_NONE) {
			FUZZ_ASSERT(off == len);
			return;
		}
		if (ev.kind == TCP_RX_TERM) {
			return;
		}
		idle = used ? 0 : idle + 1;
		FUZZ_ASSERT(idle <= 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {.data = data, .len = size};
	struct fuzz_pdu_state st = {0};
	uint8_t flags = (uint8_t)fuzz_take(&in, 1);
	uint8_t pieces[8];

	st.params.hdgst = flags & 1;
	st.params.ddgst = (flags >> 1) & 1;
	st.params.hpda = (uint8_t)(fuzz_take(&in, 1) % (TCP_HPDA_MAX + 1));
	st.params.max_data = (uint32_t)fuzz_take(&in, 2);
	st.params.maxh2cdata = 4096;
	fuzz_take_bytes(&in, pieces, sizeof(pieces));
	st.rx = malloc(sizeof(*st.rx));
	FUZZ_ASSERT(st.rx);
	tcp_rx_init(st.rx, flags & 4 ? &st.params : NULL);

	for (size_t i = 0; in.len; ++i) {
		size_t len = pieces[i % 8] ? pieces[i % 8] : in.len;
		uint8_t *piece;

		len = len < in.len ? len : in.len;
		piece = malloc(len);
		FUZZ_ASSERT(piece);
		fuzz_take_bytes(&in, piece, len);
		feed_piece(&st, piece, len);
		free(piece);
	}
	// The end of a payload is not held back for lack of bytes
	feed_piece(&st, NULL, 0);
	FUZZ_ASSERT(st.ended || !st.in_payload || st.rx->data_left > 0 ||
		    (st.params.ddgst && st.rx->ddgst_have < TCP_DIGEST_LEN));
	free(st.rx);
	return 0;
}
