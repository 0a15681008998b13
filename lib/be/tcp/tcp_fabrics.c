// SPDX-License-Identifier: BSD-3-Clause
/*
 * Fabrics commands (NVMe over Fabrics 1.1, 3.3 and 6): opcode 7Fh, the command type in byte 4.
 * Built byte by byte into the SQE: the fields sit where the spec puts them, not where
 * struct xnvme_spec_cmd's NVMe members are.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "xnvme_be_tcp.h"

#define FABRICS_OPC          0x7F
#define FCTYPE_PROP_SET      0x00
#define FCTYPE_CONNECT       0x01
#define FCTYPE_PROP_GET      0x04
#define FCTYPE_DISCONNECT    0x08
#define CONNECT_DATA_NBYTES  1024
#define SC_CONNECT_INVALID   0x82 ///< Command specific: Connect Invalid Parameters
#define SC_CONNECT_CTRL_BUSY 0x81
#define SC_CONNECT_HOST      0x84 ///< Connect Invalid Host

static void
fabrics_cmd(struct xnvme_cmd_ctx *ctx, uint8_t fctype)
{
	uint8_t *sqe = (uint8_t *)&ctx->cmd;

	memset(ctx, 0, sizeof(*ctx));
	sqe[0] = FABRICS_OPC;
	sqe[4] = fctype;
}

int
tcp_fabrics_connect(struct tcp_conn *c, const struct tcp_target *t, uint16_t cntlid,
		    uint32_t kato_ms, uint16_t *cntlid_out, char *why, size_t why_len)
{
	uint8_t data[CONNECT_DATA_NBYTES] = {0};
	struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
	struct xnvme_cmd_ctx ctx;
	uint8_t *sqe = (uint8_t *)&ctx.cmd;
	int err;

	fabrics_cmd(&ctx, FCTYPE_CONNECT);
	tcp_put_le16(sqe + 40, 0);                        /* RECFMT 0 */
	tcp_put_le16(sqe + 42, c->qid);                   /* QID */
	tcp_put_le16(sqe + 44, (uint16_t)(c->depth - 1)); /* SQSIZE, 0's based */
	sqe[46] = 0;                                      /* CATTR */
	tcp_put_le32(sqe + 48, c->qid ? 0 : kato_ms);     /* KATO: the admin queue's */
	memcpy(data, t->hostid, sizeof(t->hostid));       /* HOSTID */
	tcp_put_le16(data + 16, cntlid);                  /* CNTLID */
	memcpy(data + 256, t->subnqn, strnlen(t->subnqn, TCP_NQN_LEN - 1));
	memcpy(data + 512, t->hostnqn, strnlen(t->hostnqn, TCP_NQN_LEN - 1));
	err = tcp_conn_exec(c, &ctx, &iov, 1, sizeof(data));
	if (err == -EIO) {
		const char *what = ctx.cpl.status.sct != 1 ? "refused"
				   : ctx.cpl.status.sc == SC_CONNECT_INVALID
				       ? "invalid parameters (is the subsystem NQN right?)"
				   : ctx.cpl.status.sc == SC_CONNECT_HOST
				       ? "this host is not allowed (hostnqn)"
				   : ctx.cpl.status.sc == SC_CONNECT_CTRL_BUSY ? "controller busy"
									       : "refused";

		snprintf(why, why_len, "Fabrics Connect (queue %u): %s (sct %#x sc %#x)", c->qid,
			 what, ctx.cpl.status.sct, ctx.cpl.status.sc);
		return err;
	}
	if (err) {
		snprintf(why, why_len, "Fabrics Connect (queue %u): %s", c->qid, strerror(-err));
		return err;
	}
	*cntlid_out = (uint16_t)(ctx.cpl.cdw0 & 0xFFFF);
	return 0;
}

int
tcp_fabrics_prop_get(struct tcp_conn *c, uint32_t ofst, int nbytes, uint64_t *val)
{
	struct xnvme_cmd_ctx ctx;
	uint8_t *sqe = (uint8_t *)&ctx.cmd;
	int err;

	fabrics_cmd(&ctx, FCTYPE_PROP_GET);
	sqe[40] = nbytes == 8 ? 1 : 0; /* ATTRIB: size */
	tcp_put_le32(sqe + 44, ofst);
	err = tcp_conn_exec(c, &ctx, NULL, 0, 0);
	if (!err) {
		*val = nbytes == 8 ? ctx.cpl.result : ctx.cpl.cdw0;
	}
	return err;
}

int
tcp_fabrics_prop_set(struct tcp_conn *c, uint32_t ofst, int nbytes, uint64_t val)
{
	struct xnvme_cmd_ctx ctx;
	uint8_t *sqe = (uint8_t *)&ctx.cmd;

	fabrics_cmd(&ctx, FCTYPE_PROP_SET);
	sqe[40] = nbytes == 8 ? 1 : 0;
	tcp_put_le32(sqe + 44, ofst);
	tcp_put_le32(sqe + 48, (uint32_t)val);
	tcp_put_le32(sqe + 52, (uint32_t)(val >> 32));
	return tcp_conn_exec(c, &ctx, NULL, 0, 0);
}

int
tcp_fabrics_disconnect(struct tcp_conn *c)
{
	struct xnvme_cmd_ctx ctx;

	fabrics_cmd(&ctx, FCTYPE_DISCONNECT);
	return tcp_conn_exec(c, &ctx, NULL, 0, 0);
}
