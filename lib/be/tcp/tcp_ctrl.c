// SPDX-License-Identifier: BSD-3-Clause
/*
 * The controller object of backend "tcp" (xnvme_be_tcp.h): one association with a remote
 * controller, shared by the devices (namespaces) opened on the same address, subsystem and host.
 *
 * Decisions:
 * - Bring-up (NVMe over Fabrics 1.1, 3.5): TCP + ICReq/ICResp, Fabrics Connect on the admin
 *   queue (dynamic controller: CNTLID FFFFh), Property Get CAP and VS, Property Set CC (EN, the
 *   I/O queue entry sizes, CSS), CSTS.RDY within CAP.TO, identify controller, Number of Queues.
 *   The discovery controller is enabled the same way but gets no I/O queues.
 * - Keep-alive: a thread per controller wakes every KATO / 4 and runs the controller's poll
 *   hook (xnvme_ctrl_poll), which sends Keep Alive when no admin command went for KATO / 3;
 *   a program that only does I/O, or nothing, keeps its association.
 * - Close: every device's connections are gone first; then CC.SHN (normal), CSTS.SHST within
 *   a bound, and the admin connection closes (which ends the association).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxnvme_util.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_be_tcp.h"

#define REG_CAP  0x00
#define REG_VS   0x08
#define REG_CC   0x14
#define REG_CSTS 0x1C

#define ADM_KEEP_ALIVE   0x18
#define ADM_IDENTIFY     0x06
#define ADM_SET_FEATURES 0x09
#define FEAT_NQUEUES     0x07

static int
ctrl_fail(const char *what, int err)
{
	xnvme_be_open_err_add("tcp", what, err);
	return err;
}

static uint32_t
timeout_s(uint32_t opt, uint32_t dflt)
{
	return opt ? opt : dflt;
}

int
tcp_ctrl_admin_locked(struct tcp_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, void *dbuf,
		      size_t dbuf_nbytes)
{
	struct iovec iov = {.iov_base = dbuf, .iov_len = dbuf_nbytes};
	int err;

	if (atomic_load(&ctrl->failed)) {
		return -ENOTCONN;
	}
	err = tcp_conn_exec(&ctrl->admin, ctx, &iov, dbuf ? 1 : 0, dbuf ? dbuf_nbytes : 0);
	ctrl->kato_sent_ns = xnvme_timer_now_ns();
	if (ctrl->admin.err) {
		atomic_store(&ctrl->failed, 1);
	}
	return err;
}

/* Waits for CSTS & @p mask == @p want, up to CAP.TO (500 ms units) */
static int
ctrl_wait_csts(struct tcp_ctrl *ctrl, uint32_t mask, uint32_t want, uint64_t timeout_ms)
{
	uint64_t deadline = xnvme_timer_now_ns() + timeout_ms * 1000000ULL;
	uint64_t csts = 0;

	for (;;) {
		int err = tcp_fabrics_prop_get(&ctrl->admin, REG_CSTS, 4, &csts);

		if (err) {
			return err;
		}
		if (csts & 2) {
			return -EIO; /* CFS */
		}
		if ((csts & mask) == want) {
			return 0;
		}
		if (xnvme_timer_now_ns() > deadline) {
			return -ETIMEDOUT;
		}
		nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
	}
}

static int
ctrl_enable(struct tcp_ctrl *ctrl)
{
	uint64_t cc = 0, to_ms;
	int err;

	err = tcp_fabrics_prop_get(&ctrl->admin, REG_CAP, 8, &ctrl->cap);
	err = err ? err : tcp_fabrics_prop_get(&ctrl->admin, REG_VS, 4, &cc);
	if (err) {
		return ctrl_fail("Property Get CAP/VS", err);
	}
	ctrl->vs = (uint32_t)cc;
	ctrl->mqes = (uint16_t)((ctrl->cap & 0xFFFF) + 1);
	to_ms = ((ctrl->cap >> 24) & 0xFF) * 500;
	to_ms = to_ms ? to_ms : 500;
	/* EN, IOSQES 6 (64 B), IOCQES 4 (16 B), CSS 110b when CAP.CSS says all I/O sets, else NVM
	 */
	cc = 1 | (6u << 16) | (4u << 20) | (((ctrl->cap >> 37) & 0x40) ? (6u << 4) : 0);
	err = tcp_fabrics_prop_set(&ctrl->admin, REG_CC, 4, cc);
	if (err) {
		return ctrl_fail("Property Set CC.EN", err);
	}
	err = ctrl_wait_csts(ctrl, 1, 1, to_ms);
	if (err) {
		return ctrl_fail(err == -EIO ? "enable: CSTS.CFS" : "enable: CSTS.RDY stayed 0",
				 err);
	}
	return 0;
}

static int
ctrl_identify(struct tcp_ctrl *ctrl)
{
	struct xnvme_cmd_ctx ctx = {0};
	uint32_t mdts;
	int err;

	ctx.cmd.common.opcode = ADM_IDENTIFY;
	ctx.cmd.common.ndt = 0x01; /* CNS 01h: the controller; ndt is CDW10 */
	err = tcp_ctrl_admin_locked(ctrl, &ctx, &ctrl->idctrl, sizeof(ctrl->idctrl));
	if (err) {
		return ctrl_fail("identify controller", err);
	}
	ctrl->cntlid = ctrl->idctrl.cntlid ? ctrl->idctrl.cntlid : ctrl->cntlid;
	if (ctrl->idctrl.nvmf_specific.icdoff) {
		return ctrl_fail("ICDOFF is not 0: in-capsule data at an offset is not supported",
				 -ENOTSUP);
	}
	ctrl->io_incapsule =
	    ctrl->idctrl.nvmf_specific.ioccsz > 4 ? ctrl->idctrl.nvmf_specific.ioccsz * 16 - 64 : 0;
	mdts = ctrl->idctrl.mdts;
	ctrl->max_xfer = TCP_MAX_XFER;
	if (mdts && mdts < 20 && (4096ULL << mdts) < TCP_MAX_XFER) {
		ctrl->max_xfer = 4096u << mdts; /* CAP.MPSMIN is 4 KiB on every fabrics target */
	}
	return 0;
}

static int
ctrl_set_nqueues(struct tcp_ctrl *ctrl)
{
	struct xnvme_cmd_ctx ctx = {0};
	uint32_t want = 64;
	int err;

	ctx.cmd.common.opcode = ADM_SET_FEATURES;
	ctx.cmd.common.ndt = FEAT_NQUEUES;
	ctx.cmd.common.ndm = (want - 1) | ((want - 1) << 16);
	err = tcp_ctrl_admin_locked(ctrl, &ctx, NULL, 0);
	if (err) {
		return ctrl_fail("Set Features Number of Queues", err);
	}
	ctrl->nioqs = 1 + ((ctx.cpl.cdw0 & 0xFFFF) < (ctx.cpl.cdw0 >> 16) ? (ctx.cpl.cdw0 & 0xFFFF)
									  : (ctx.cpl.cdw0 >> 16));
	ctrl->nioqs = ctrl->nioqs < want ? ctrl->nioqs : want;
	return 0;
}

static void *
ctrl_ka_thread(void *arg)
{
	struct tcp_ctrl *ctrl = arg;
	uint64_t period_ns = (uint64_t)ctrl->kato_ms * 1000000ULL / 4;

	pthread_mutex_lock(&ctrl->ka_lock);
	while (!ctrl->ka_stop) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)(period_ns / 1000000000ULL);
		ts.tv_nsec += (long)(period_ns % 1000000000ULL);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&ctrl->ka_cond, &ctrl->ka_lock, &ts);
		if (!ctrl->ka_stop) {
			pthread_mutex_unlock(&ctrl->ka_lock);
			xnvme_ctrl_poll(ctrl->xctrl);
			pthread_mutex_lock(&ctrl->ka_lock);
		}
	}
	pthread_mutex_unlock(&ctrl->ka_lock);
	return NULL;
}

/*
 * The poll hook: Keep Alive once KATO / 3 passed without an admin command (admin lock held). The
 * thread looks every KATO / 4: the longest gap is under 0.6 KATO plus a round trip
 */
static int
tcp_ctrl_poll(struct xnvme_ctrl *xctrl)
{
	struct tcp_ctrl *ctrl = xctrl->state;
	struct xnvme_cmd_ctx ctx = {0};

	if (!ctrl->kato_ms ||
	    xnvme_timer_now_ns() - ctrl->kato_sent_ns < (uint64_t)ctrl->kato_ms * 1000000ULL / 3) {
		return 0;
	}
	ctx.cmd.common.opcode = ADM_KEEP_ALIVE;
	return tcp_ctrl_admin_locked(ctrl, &ctx, NULL, 0);
}

static void
ctrl_shutdown(struct tcp_ctrl *ctrl)
{
	uint64_t cc = 0;

	if (ctrl->admin.err || tcp_fabrics_prop_get(&ctrl->admin, REG_CC, 4, &cc)) {
		return;
	}
	cc = (cc & ~(3ULL << 14)) | (1ULL << 14); /* SHN 01b: normal */
	if (!tcp_fabrics_prop_set(&ctrl->admin, REG_CC, 4, cc)) {
		ctrl_wait_csts(ctrl, 0xC, 0x8, 2000); /* SHST 10b: complete */
	}
}

static void
tcp_ctrl_close(struct xnvme_ctrl *xctrl)
{
	struct tcp_ctrl *ctrl = xctrl->state;

	if (!ctrl) {
		return;
	}
	if (ctrl->ka_running) {
		pthread_mutex_lock(&ctrl->ka_lock);
		ctrl->ka_stop = 1;
		pthread_cond_signal(&ctrl->ka_cond);
		pthread_mutex_unlock(&ctrl->ka_lock);
		pthread_join(ctrl->ka_thread, NULL);
	}
	if (!ctrl->discovery) {
		ctrl_shutdown(ctrl);
	}
	tcp_conn_close(&ctrl->admin);
	pthread_mutex_destroy(&ctrl->qid_lock);
	pthread_mutex_destroy(&ctrl->ka_lock);
	pthread_cond_destroy(&ctrl->ka_cond);
	free(ctrl);
	xctrl->state = NULL;
}

static int
tcp_ctrl_open(struct xnvme_ctrl *xctrl, struct xnvme_dev *dev, const void *arg)
{
	struct tcp_ctrl *ctrl = calloc(1, sizeof(*ctrl));
	char why[512] = "";
	uint16_t cntlid = 0;
	int err;

	if (!ctrl) {
		return -ENOMEM;
	}
	ctrl->xctrl = xctrl;
	ctrl->target = *(const struct tcp_target *)arg;
	ctrl->discovery = !strcmp(ctrl->target.subnqn, TCP_DISCOVERY_NQN);
	ctrl->admin_timeout_s = timeout_s(dev->opts.admin_timeout, TCP_CONNECT_TIMEOUT_S);
	ctrl->command_timeout_s = timeout_s(dev->opts.command_timeout, 30);
	ctrl->kato_ms =
	    dev->opts.keep_alive_timeout_ms ? dev->opts.keep_alive_timeout_ms : TCP_KATO_DEFAULT_MS;
	pthread_mutex_init(&ctrl->qid_lock, NULL);
	pthread_mutex_init(&ctrl->ka_lock, NULL);
	pthread_cond_init(&ctrl->ka_cond, NULL);
	xctrl->state = ctrl;

	err = tcp_conn_open(&ctrl->admin, &ctrl->target, 0, TCP_ADMIN_DEPTH,
			    (int)ctrl->admin_timeout_s * 1000, why, sizeof(why));
	if (!err) {
		ctrl->admin.timeout_ns = (uint64_t)ctrl->admin_timeout_s * 1000000000ULL;
		err = tcp_fabrics_connect(&ctrl->admin, &ctrl->target, 0xFFFF, ctrl->kato_ms,
					  &cntlid, why, sizeof(why));
	}
	if (err) {
		ctrl_fail(why, err);
		tcp_ctrl_close(xctrl);
		return err;
	}
	ctrl->cntlid = cntlid;
	ctrl->kato_sent_ns = xnvme_timer_now_ns();
	err = ctrl_enable(ctrl);
	err = err ? err : ctrl_identify(ctrl);
	err = err || ctrl->discovery ? err : ctrl_set_nqueues(ctrl);
	if (!err && ctrl->kato_ms) {
		err = -pthread_create(&ctrl->ka_thread, NULL, ctrl_ka_thread, ctrl);
		ctrl->ka_running = !err;
	}
	if (err) {
		tcp_ctrl_close(xctrl);
		return err;
	}
	return 0;
}

static int
tcp_ctrl_admin(struct xnvme_ctrl *xctrl, struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
	       void *mbuf, size_t mbuf_nbytes)
{
	(void)mbuf_nbytes;
	if (mbuf) {
		return -ENOTSUP; /* NVMe/TCP carries no separate metadata */
	}
	return tcp_ctrl_admin_locked(xctrl->state, ctx, dbuf, dbuf_nbytes);
}

const struct xnvme_be_ctrl_ops tcp_ctrl_ops = {
    .id = "tcp",
    .open = tcp_ctrl_open,
    .close = tcp_ctrl_close,
    .admin = tcp_ctrl_admin,
    .poll = tcp_ctrl_poll,
};

/*
 * A free qid, the next after the last one taken (round robin): a target releases a closed queue
 * in its own time, and a Connect that reuses its qid at once can meet it still there
 */
static uint16_t
ctrl_qid_get(struct tcp_ctrl *ctrl)
{
	uint16_t qid = 0;

	pthread_mutex_lock(&ctrl->qid_lock);
	for (uint32_t n = 0; n < ctrl->nioqs && !qid; ++n) {
		uint32_t i = (ctrl->qid_last + n) % ctrl->nioqs;

		if (!(ctrl->qids[i / 64] & (1ULL << (i % 64)))) {
			ctrl->qids[i / 64] |= 1ULL << (i % 64);
			qid = (uint16_t)(i + 1);
			ctrl->qid_last = i + 1;
		}
	}
	pthread_mutex_unlock(&ctrl->qid_lock);
	return qid;
}

static void
ctrl_qid_put(struct tcp_ctrl *ctrl, uint16_t qid)
{
	if (!qid) {
		return;
	}
	pthread_mutex_lock(&ctrl->qid_lock);
	ctrl->qids[(qid - 1) / 64] &= ~(1ULL << ((qid - 1) % 64));
	pthread_mutex_unlock(&ctrl->qid_lock);
}

int
tcp_ctrl_io_open(struct tcp_ctrl *ctrl, struct tcp_conn *c, uint32_t depth,
		 uint32_t command_timeout_s)
{
	char why[512] = "";
	uint16_t qid, cntlid = 0;
	int err;

	if (ctrl->discovery) {
		return -ENOTSUP; /* a discovery controller has no I/O queues */
	}
	if (depth < 2 || depth > ctrl->mqes) {
		return -EINVAL;
	}
	/* A refused Connect may be a qid the target still holds: the next qid, a few times */
	for (int attempt = 0; attempt < 3; ++attempt) {
		qid = ctrl_qid_get(ctrl);
		if (!qid) {
			return -EBUSY;
		}
		err = tcp_conn_open(c, &ctrl->target, qid, (uint16_t)depth,
				    (int)ctrl->admin_timeout_s * 1000, why, sizeof(why));
		if (!err) {
			c->incapsule_max = ctrl->io_incapsule;
			c->max_xfer = ctrl->max_xfer;
			c->params.max_data = ctrl->max_xfer;
			c->timeout_ns =
			    (uint64_t)timeout_s(command_timeout_s, ctrl->command_timeout_s) *
			    1000000000ULL;
			err = tcp_fabrics_connect(c, &ctrl->target, ctrl->cntlid, 0, &cntlid, why,
						  sizeof(why));
			if (err) {
				tcp_conn_close(c);
			}
		}
		if (!err) {
			return 0;
		}
		ctrl_qid_put(ctrl, qid);
		if (err != -EIO) {
			break;
		}
	}
	xnvme_be_open_err_add("tcp", why, err);
	return err;
}

void
tcp_ctrl_io_close(struct tcp_ctrl *ctrl, struct tcp_conn *c)
{
	/* Disconnect where the controller has it (OFCS bit 0); closing the connection is enough */
	if (!c->err && ctrl->idctrl.nvmf_specific.ofcs.disc_del) {
		c->timeout_ns = 2000000000ULL; /* a target that went away must not hold a close */
		tcp_fabrics_disconnect(c);
	}
	tcp_conn_close(c);
	ctrl_qid_put(ctrl, c->qid);
}
