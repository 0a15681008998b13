// SPDX-License-Identifier: BSD-3-Clause
/*
 * One NVMe/TCP connection: one NVMe queue (xnvme_be_tcp.h).
 *
 * This file: the socket (connect with a deadline, TCP_NODELAY, non-blocking), ICReq/ICResp,
 * reading and parsing the stream, waiting, and one command start to end; tcp_slot.c: the
 * commands in flight (submit, the send queue, what the controller's PDUs do to them).
 *
 * Decisions:
 * - Non-blocking socket. A send takes what the socket takes and leaves the rest for the next
 *   call; every call also reads, so the two directions never wait on each other.
 * - A closed connection, a protocol error or a command past its timeout fails the connection:
 *   every command on it completes with Host Pathing Error (path related, DNR clear) and later
 *   submits get -ENOTCONN.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libxnvme_util.h>
#include "xnvme_be_tcp.h"

static int
conn_deadline_left(uint64_t deadline_ns)
{
	uint64_t now = xnvme_timer_now_ns();

	return now >= deadline_ns ? 0 : (int)((deadline_ns - now + 999999) / 1000000);
}

/* connect() with a deadline: the first address of @p t that answers */
static int
conn_connect(struct tcp_conn *c, const struct tcp_target *t, uint64_t deadline, char *why,
	     size_t why_len)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL, *ai;
	int err = getaddrinfo(t->host, t->port, &hints, &res), one = 1;

	if (err) {
		snprintf(why, why_len, "%s:%s: %s", t->host, t->port, gai_strerror(err));
		return -EHOSTUNREACH;
	}
	err = -ECONNREFUSED;
	for (ai = res; ai; ai = ai->ai_next) {
		struct pollfd pfd;
		socklen_t len = sizeof(int);
		int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
		    soerr = 0;

		if (fd < 0) {
			err = -errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
			err = -errno;
			close(fd);
			continue;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, conn_deadline_left(deadline)) != 1) {
			err = -ETIMEDOUT;
			close(fd);
			continue;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) || soerr) {
			err = soerr ? -soerr : -errno;
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->fd = fd;
		err = 0;
		break;
	}
	freeaddrinfo(res);
	if (err) {
		snprintf(why, why_len, "%s:%s: %s", t->host, t->port, strerror(-err));
	}
	return err;
}

/* Sends all of @p buf before @p deadline (the connection's set-up only) */
static int
conn_send_all(struct tcp_conn *c, const void *buf, size_t len, uint64_t deadline)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		struct pollfd pfd = {.fd = c->fd, .events = POLLOUT};

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			return -errno;
		}
		if (poll(&pfd, 1, conn_deadline_left(deadline)) == 0) {
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* Reads more of the stream into rbuf; the bytes read (0: none now), or -errno (EOF: -ECONNRESET) */
static int
conn_recv(struct tcp_conn *c)
{
	ssize_t n;

	if (!c->rlen) {
		c->rhead = 0;
	} else if (c->rhead + c->rlen == TCP_RBUF_NBYTES) {
		memmove(c->rbuf, c->rbuf + c->rhead, c->rlen);
		c->rhead = 0;
	}
	n = recv(c->fd, c->rbuf + c->rhead + c->rlen, TCP_RBUF_NBYTES - c->rhead - c->rlen,
		 MSG_DONTWAIT);
	if (n > 0) {
		c->rlen += (uint32_t)n;
		return (int)n;
	}
	if (n == 0) {
		return -ECONNRESET;
	}
	return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

static int
conn_icresp(struct tcp_conn *c, const struct tcp_target *t, uint64_t deadline, char *why,
	    size_t why_len)
{
	struct tcp_rx_event ev = {0};
	uint8_t icreq[TCP_ICREQ_LEN];
	uint16_t fes = 0;
	uint32_t fei = 0;
	int err;

	tcp_pdu_icreq(icreq, 0, t->hdgst, t->ddgst, 0);
	err = conn_send_all(c, icreq, sizeof(icreq), deadline);
	tcp_rx_init(&c->rx, NULL);
	while (!err && ev.kind != TCP_RX_ICRESP) {
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		size_t used = 0;

		if (c->rlen) {
			err = tcp_rx_feed(&c->rx, c->rbuf + c->rhead, c->rlen, &used, &ev, &fes,
					  &fei);
			c->rhead += (uint32_t)used;
			c->rlen -= (uint32_t)used;
			continue;
		}
		if (poll(&pfd, 1, conn_deadline_left(deadline)) == 0) {
			err = -ETIMEDOUT;
			break;
		}
		err = conn_recv(c);
		err = err > 0 ? 0 : err;
	}
	if (err) {
		snprintf(why, why_len, "ICReq/ICResp: %s%s", strerror(-err),
			 err == -EPROTO ? " (the controller's ICResp is not valid)" : "");
		return err;
	}
	/* A digest the host did not ask for cannot be enabled by the controller */
	if ((ev.icresp.hdgst && !t->hdgst) || (ev.icresp.ddgst && !t->ddgst)) {
		snprintf(why, why_len, "ICResp enables a digest the host did not ask for");
		return -EPROTO;
	}
	c->params.hdgst = ev.icresp.hdgst;
	c->params.ddgst = ev.icresp.ddgst;
	c->params.hpda = 0;
	c->params.cpda = ev.icresp.cpda;
	c->params.maxh2cdata = ev.icresp.maxh2cdata;
	c->params.max_data = c->max_xfer;
	c->rx.params = &c->params;
	return 0;
}

int
tcp_conn_open(struct tcp_conn *c, const struct tcp_target *t, uint16_t qid, uint16_t depth,
	      int timeout_ms, char *why, size_t why_len)
{
	uint64_t deadline = xnvme_timer_now_ns() + (uint64_t)timeout_ms * 1000000ULL;
	int err;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->qid = qid;
	c->depth = depth;
	c->max_xfer = TCP_MAX_XFER;
	c->incapsule_max = qid ? 0 : TCP_ADMIN_INCAPSULE;
	c->timeout_ns = 30ULL * 1000000000ULL;
	for (c->slot_bits = 0; (1u << c->slot_bits) < depth; ++c->slot_bits) {
	}
	c->nslots = 1u << c->slot_bits;
	c->rbuf = malloc(TCP_RBUF_NBYTES);
	c->slots = calloc(c->nslots, sizeof(*c->slots));
	c->done = calloc(c->nslots, sizeof(*c->done));
	if (!c->rbuf || !c->slots || !c->done) {
		tcp_conn_close(c);
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < c->nslots; ++i) {
		c->slots[i].cid = (uint16_t)i;
	}
	err = conn_connect(c, t, deadline, why, why_len);
	err = err ? err : conn_icresp(c, t, deadline, why, why_len);
	if (err) {
		tcp_conn_close(c);
		return err;
	}
	return 0;
}

void
tcp_conn_close(struct tcp_conn *c)
{
	if (c->fd >= 0) {
		close(c->fd);
	}
	c->fd = -1;
	for (uint32_t i = 0; c->slots && i < c->nslots; ++i) {
		free(c->slots[i].vec_copy);
	}
	free(c->slots);
	free(c->done);
	free(c->rbuf);
	c->slots = NULL;
	c->done = NULL;
	c->rbuf = NULL;
	c->err = c->err ? c->err : -ENOTCONN;
}

static int
conn_parse(struct tcp_conn *c)
{
	while (!c->err) {
		struct tcp_rx_event ev = {0};
		uint16_t fes = 0;
		uint32_t fei = 0;
		size_t used = 0;
		int err = tcp_rx_feed(&c->rx, c->rbuf + c->rhead, c->rlen, &used, &ev, &fes, &fei);

		c->rhead += (uint32_t)used;
		c->rlen -= (uint32_t)used;
		if (!err && ev.kind == TCP_RX_NONE) {
			break;
		}
		if (!err) {
			err = tcp_conn_event(c, &ev, &fes, &fei);
		}
		if (err == -EPROTO) {
			tcp_conn_protocol_error(c, fes, fei);
		} else if (err) {
			tcp_conn_fail(c, err);
		}
	}
	return c->err;
}

int
tcp_conn_process(struct tcp_conn *c, struct xnvme_cmd_ctx **done, uint32_t max)
{
	uint32_t n;
	int err = 0;

	if (!c->err) {
		err = tcp_conn_flush(c);
		/* A few rounds while bytes keep coming: R2Ts are answered at once */
		for (int rounds = 0; !err && rounds < 4; ++rounds) {
			int got = conn_recv(c);

			if (got <= 0) {
				err = got;
				break;
			}
			err = conn_parse(c);
			err = err ? err : tcp_conn_flush(c);
		}
		if (err && !c->err) {
			tcp_conn_fail(c, err);
		}
	}
	n = c->ndone < max || !max ? c->ndone : max;
	memcpy(done, c->done, n * sizeof(*done));
	c->ndone -= n;
	memmove(c->done, c->done + n, c->ndone * sizeof(*done));
	return (int)n;
}

int
tcp_conn_wait_us(struct tcp_conn *c, uint32_t timeout_us)
{
	struct timespec ts = {.tv_sec = timeout_us / 1000000,
			      .tv_nsec = (long)(timeout_us % 1000000) * 1000};
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};

	if (c->err) {
		return c->err;
	}
	if (c->tx_head) {
		pfd.events |= POLLOUT;
	}
	if (ppoll(&pfd, 1, &ts, NULL) < 0 && errno != EINTR) {
		return -errno;
	}
	return 0;
}

int
tcp_conn_wait(struct tcp_conn *c, int timeout_ms)
{
	return tcp_conn_wait_us(c, (uint32_t)timeout_ms * 1000);
}

int
tcp_conn_timed_out(struct tcp_conn *c)
{
	uint64_t now = xnvme_timer_now_ns();

	for (uint32_t i = 0; i < c->nslots; ++i) {
		if (c->slots[i].ctx && now - c->slots[i].start_ns > c->timeout_ns) {
			return 1;
		}
	}
	return 0;
}

int
tcp_conn_exec(struct tcp_conn *c, struct xnvme_cmd_ctx *ctx, const struct iovec *dvec, size_t dcnt,
	      size_t dnbytes)
{
	struct xnvme_cmd_ctx *done[1];
	uint32_t idx = 0;
	int err;

	while (idx < c->nslots && c->slots[idx].ctx) {
		idx++;
	}
	if (idx == c->nslots) {
		return -EBUSY;
	}
	err = tcp_conn_submit(c, idx, ctx, dvec, dcnt, dnbytes);
	while (!err && c->slots[idx].ctx == ctx) {
		if (xnvme_timer_now_ns() - c->slots[idx].start_ns > c->timeout_ns) {
			tcp_conn_fail(c, -ETIMEDOUT);
			break;
		}
		if (tcp_conn_process(c, done, 1) > 0) {
			continue;
		}
		if (c->slots[idx].ctx == ctx) {
			err = tcp_conn_wait(c, 100);
		}
	}
	if (err && c->slots[idx].ctx != ctx) {
		return err; /* not submitted */
	}
	if (c->slots[idx].ctx == ctx) {
		tcp_conn_fail(c, err ? err
				     : -EIO); /* the context is the caller's: never left behind */
	}
	/* What the loop delivered is this command (one at a time on such a connection) */
	c->ndone = 0;
	return xnvme_cmd_ctx_cpl_status(ctx) ? -EIO : 0;
}
