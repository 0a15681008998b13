/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The controller: bring-up (NVMe 2.0 3.5.1: disable, admin queue, CC, RDY; identify; number of
 * queues), the admin path, I/O queue ids and queue creation, reset and shutdown (3.6.1). Every
 * wait on CSTS is bounded by CAP.TO; every admin command by the admin timeout.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_be_pcie.h"

/* Admin opcodes the driver sends itself (NVMe 2.0 Figure 138) */
#define ADM_DELETE_SQ 0x00
#define ADM_CREATE_SQ 0x01
#define ADM_DELETE_CQ 0x04
#define ADM_CREATE_CQ 0x05
#define ADM_IDENTIFY  0x06
#define ADM_SET_FEAT  0x09
#define FEAT_NQUEUES  0x07

#define NQUEUES_ASK 256 ///< I/O queue pairs asked for (Number of Queues, zero-based in the command)

static void
ctrl_nap(void)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = 100000};

	nanosleep(&ts, NULL);
}

/* Waits for CSTS.RDY to be @p rdy, bounded by CAP.TO; CFS fails an enable at once */
static int
ctrl_wait_rdy(struct pcie_ctrl *ctrl, uint32_t rdy)
{
	uint64_t deadline = xnvme_timer_now_ns() + ctrl->to_ns;

	for (;;) {
		uint32_t csts = ctrl->hw->ops->reg_read32(ctrl->hw, PCIE_REG_CSTS);

		if (csts == UINT32_MAX) {
			return -ENODEV;
		}
		if (rdy && (csts & PCIE_CSTS_CFS)) {
			return -EIO;
		}
		if ((csts & PCIE_CSTS_RDY) == rdy) {
			return 0;
		}
		if (xnvme_timer_now_ns() > deadline) {
			return -ETIMEDOUT;
		}
		ctrl_nap();
	}
}

static int
ctrl_disable(struct pcie_ctrl *ctrl)
{
	struct pcie_hw *hw = ctrl->hw;
	uint32_t cc = hw->ops->reg_read32(hw, PCIE_REG_CC);

	if (cc & PCIE_CC_EN) {
		hw->ops->reg_write32(hw, PCIE_REG_CC, cc & ~PCIE_CC_EN);
	}
	return ctrl_wait_rdy(ctrl, 0);
}

static int
ctrl_enable(struct pcie_ctrl *ctrl)
{
	struct pcie_hw *hw = ctrl->hw;
	uint32_t qs = (uint32_t)ctrl->admin.depth - 1;
	/* All I/O command sets when the controller has them: the model's ZNS and KV namespaces */
	uint32_t css = (PCIE_CAP_CSS(ctrl->cap) & (1u << 6)) ? 6 : 0;
	uint32_t cc = PCIE_CC_EN | (css << PCIE_CC_CSS_SHIFT) | (0u << PCIE_CC_MPS_SHIFT) |
		      (6u << PCIE_CC_IOSQES_SHIFT) | (4u << PCIE_CC_IOCQES_SHIFT);

	hw->ops->reg_write32(hw, PCIE_REG_AQA, (qs << 16) | qs);
	hw->ops->reg_write64(hw, PCIE_REG_ASQ, ctrl->admin.sq_iova);
	hw->ops->reg_write64(hw, PCIE_REG_ACQ, ctrl->admin.cq_iova);
	hw->ops->reg_write32(hw, PCIE_REG_CC, cc);
	return ctrl_wait_rdy(ctrl, PCIE_CSTS_RDY);
}

/* PRP list pages of a slot for transfers of @p max_xfer bytes at any offset, chained */
static size_t
ctrl_list_nbytes(uint64_t max_xfer)
{
	uint64_t nents = max_xfer / PCIE_PAGE + 1;
	size_t npages = 1;

	while ((uint64_t)npages * (PCIE_PAGE / 8) - (npages - 1) < nents) {
		npages++;
	}
	return npages * PCIE_PAGE;
}

int
pcie_ctrl_admin_locked(struct pcie_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, void *dbuf,
		       size_t dbuf_nbytes)
{
	struct iovec iov = {.iov_base = dbuf, .iov_len = dbuf_nbytes};
	int err;

	err = pcie_qp_exec(&ctrl->admin, ctx, &iov, dbuf ? 1 : 0, dbuf ? dbuf_nbytes : 0, NULL, 0,
			   0, 1);
	if (err == -ETIMEDOUT && ctrl->up && !ctrl->resetting) {
		pcie_ctrl_reset(ctrl->xctrl, 1);
	}
	return err;
}

/* An admin command of the driver's own: @p cmd with a page of DMA memory when @p buf */
static int
ctrl_admin_own(struct pcie_ctrl *ctrl, const struct xnvme_spec_cmd *cmd, void *buf, uint32_t *cdw0)
{
	struct xnvme_cmd_ctx ctx;
	int err;

	memset(&ctx, 0, sizeof(ctx));
	ctx.cmd = *cmd;
	ctx.opts = XNVME_CMD_SYNC;
	err = pcie_ctrl_admin_locked(ctrl, &ctx, buf, buf ? PCIE_PAGE : 0);
	if (cdw0) {
		*cdw0 = ctx.cpl.cdw0;
	}
	return err;
}

static int
ctrl_set_nqueues(struct pcie_ctrl *ctrl)
{
	struct xnvme_spec_cmd cmd;
	uint32_t cdw0 = 0, nsq, ncq;
	int err;

	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = ADM_SET_FEAT;
	cmd.common.ndt = FEAT_NQUEUES; /* cdw10: the feature */
	cmd.common.ndm = ((NQUEUES_ASK - 1u) << 16) | (NQUEUES_ASK - 1u);
	err = ctrl_admin_own(ctrl, &cmd, NULL, &cdw0);
	if (err) {
		return err;
	}
	nsq = (cdw0 & 0xFFFF) + 1;
	ncq = (cdw0 >> 16) + 1;
	ctrl->nioqs = nsq < ncq ? nsq : ncq;
	ctrl->nioqs = ctrl->nioqs < PCIE_QID_MAX ? ctrl->nioqs : PCIE_QID_MAX;
	return 0;
}

static int
ctrl_identify(struct pcie_ctrl *ctrl)
{
	struct pcie_hw *hw = ctrl->hw;
	struct xnvme_spec_cmd cmd;
	uint64_t iova;
	void *buf = hw->ops->dma_alloc(hw, PCIE_PAGE, PCIE_PAGE, &iova);
	uint32_t sgl;
	int err;

	if (!buf) {
		return -ENOMEM;
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = ADM_IDENTIFY;
	cmd.common.ndt = 0x01; /* CNS 01h: the controller */
	err = ctrl_admin_own(ctrl, &cmd, buf, NULL);
	if (!err) {
		memcpy(&ctrl->idctrl, buf, sizeof(ctrl->idctrl));
	}
	hw->ops->dma_free(hw, buf, PCIE_PAGE);
	if (err) {
		return err;
	}
	ctrl->max_xfer = PCIE_MAX_XFER;
	if (ctrl->idctrl.mdts && ctrl->idctrl.mdts < 20 &&
	    ((uint64_t)PCIE_PAGE << ctrl->idctrl.mdts) < PCIE_MAX_XFER) {
		ctrl->max_xfer = (uint64_t)PCIE_PAGE << ctrl->idctrl.mdts;
	}
	/* SGLS bits 1:0: 01b SGLs, 10b SGLs with dword-aligned data blocks; bit 19: MPTR SGLs */
	sgl = ctrl->idctrl.sgls.val & 3;
	ctrl->caps.sgl = ctrl->sgl_allowed && (sgl == 1 || sgl == 2);
	ctrl->caps.sgl_dword = sgl == 2;
	ctrl->caps.sgl_mptr_sgl = ctrl->caps.sgl && ((ctrl->idctrl.sgls.val >> 19) & 1);
	ctrl->caps.list_nbytes = ctrl_list_nbytes(ctrl->max_xfer);
	return 0;
}

static int
ctrl_fail(int err, const char *what)
{
	xnvme_be_open_err_add("pcie", what, err);
	return err;
}

/*
 * XNVME_PCIE_SGL=0 keeps the driver to PRPs on a controller that has SGLs: the PRP path of a real
 * controller is otherwise never taken (tests/pcie/vm_vfio.sh), and a user can rule out SGLs when
 * a device handles them badly. 1, or unset: SGLs where the controller advertises them.
 */
static int
ctrl_sgl_allowed(uint8_t *allowed)
{
	const char *val = getenv("XNVME_PCIE_SGL");

	*allowed = 1;
	if (!val || !strcmp(val, "1")) {
		return 0;
	}
	if (!strcmp(val, "0")) {
		*allowed = 0;
		return 0;
	}
	return ctrl_fail(-EINVAL, "XNVME_PCIE_SGL: 0 (PRPs only) or 1 (SGLs where the controller "
				  "has them, the default)");
}

int
pcie_ctrl_up(struct pcie_ctrl *ctrl, struct pcie_hw *hw, uint32_t admin_timeout)
{
	uint32_t depth;
	int err;

	err = ctrl_sgl_allowed(&ctrl->sgl_allowed);
	if (err) {
		return err;
	}
	ctrl->hw = hw;
	pthread_mutex_init(&ctrl->qid_lock, NULL);
	ctrl->cap = hw->ops->reg_read64(hw, PCIE_REG_CAP);
	ctrl->vs = hw->ops->reg_read32(hw, PCIE_REG_VS);
	if (PCIE_CAP_MPSMIN(ctrl->cap) > 0) {
		return ctrl_fail(-ENOTSUP,
				 "CAP.MPSMIN: the controller's smallest page is over 4 KiB");
	}
	if (!(PCIE_CAP_CSS(ctrl->cap) & 1)) {
		return ctrl_fail(-ENOTSUP, "CAP.CSS: no NVM command set");
	}
	ctrl->mqes = PCIE_CAP_MQES(ctrl->cap) + 1;
	ctrl->to_ns =
	    (uint64_t)(PCIE_CAP_TO(ctrl->cap) ? PCIE_CAP_TO(ctrl->cap) : 1) * 500000000ULL;
	ctrl->admin_timeout_ns = pcie_timeout_ns(admin_timeout);
	ctrl->caps.list_nbytes = ctrl_list_nbytes(PCIE_MAX_XFER);
	err = ctrl_disable(ctrl);
	if (err) {
		return ctrl_fail(err, "disable: CSTS.RDY stayed 1 past CAP.TO");
	}
	depth = ctrl->mqes < PCIE_ADMIN_DEPTH ? ctrl->mqes : PCIE_ADMIN_DEPTH;
	err =
	    pcie_qp_init(&ctrl->admin, ctrl, 0, (uint16_t)depth, depth - 1, ctrl->admin_timeout_ns);
	if (err) {
		return ctrl_fail(err, "admin queue memory");
	}
	err = ctrl_enable(ctrl);
	if (err) {
		pcie_qp_destroy(&ctrl->admin);
		return ctrl_fail(err, err == -EIO ? "enable: CSTS.CFS (controller fatal status)"
						  : "enable: CSTS.RDY stayed 0 past CAP.TO");
	}
	err = ctrl_identify(ctrl);
	if (!err) {
		err = ctrl_set_nqueues(ctrl);
	}
	if (err) {
		ctrl_disable(ctrl);
		pcie_qp_destroy(&ctrl->admin);
		return ctrl_fail(err, "identify controller / number of queues");
	}
	ctrl->up = 1;
	hw->up = 1;
	return 0;
}

void
pcie_ctrl_down(struct pcie_ctrl *ctrl)
{
	struct pcie_hw *hw = ctrl->hw;
	uint64_t deadline = xnvme_timer_now_ns() + ctrl->to_ns;
	uint32_t cc = hw->ops->reg_read32(hw, PCIE_REG_CC);

	/* Normal shutdown (NVMe 2.0 3.6.1), bounded: a dead controller is left as it is */
	if ((cc & PCIE_CC_EN) && !ctrl->failed) {
		hw->ops->reg_write32(hw, PCIE_REG_CC,
				     (cc & ~(3u << PCIE_CC_SHN_SHIFT)) | (1u << PCIE_CC_SHN_SHIFT));
		while (PCIE_CSTS_SHST(hw->ops->reg_read32(hw, PCIE_REG_CSTS)) != 2 &&
		       xnvme_timer_now_ns() < deadline) {
			ctrl_nap();
		}
	}
	/* Disabled so nothing reaches the rings freed below (a device thread stops) */
	ctrl_disable(ctrl);
	pcie_qp_destroy(&ctrl->admin);
	pthread_mutex_destroy(&ctrl->qid_lock);
	hw->ops->close(hw);
}

int
pcie_ctrl_reset(struct xnvme_ctrl *xctrl, int locked)
{
	struct pcie_ctrl *ctrl = xctrl->state;
	int err;

	if (!locked) {
		pthread_mutex_lock(&xctrl->admin_lock);
	}
	ctrl->resetting = 1;
	atomic_fetch_add(&ctrl->nresets, 1);
	err = ctrl_disable(ctrl);
	pcie_qp_rewind(&ctrl->admin);
	pcie_qp_fail_all(&ctrl->admin);
	err = err ? err : ctrl_enable(ctrl);
	err = err ? err : ctrl_set_nqueues(ctrl);
	ctrl->failed = err != 0;
	/* Pairs compare it at their next use: each fails its own and is made again */
	atomic_fetch_add(&ctrl->gen, 1);
	ctrl->resetting = 0;
	if (!locked) {
		pthread_mutex_unlock(&xctrl->admin_lock);
	}
	return err;
}

int
pcie_ctrl_ns_next(struct xnvme_ctrl *xctrl, uint32_t after, uint32_t *next)
{
	struct pcie_ctrl *ctrl = xctrl->state;
	struct pcie_hw *hw = ctrl->hw;
	struct xnvme_spec_cmd cmd;
	uint64_t iova;
	void *buf;
	int err;

	*next = 0;
	if (after >= 0xFFFFFFFEu) {
		return 0;
	}
	buf = hw->ops->dma_alloc(hw, PCIE_PAGE, PCIE_PAGE, &iova);
	if (!buf) {
		return -ENOMEM;
	}
	/*
	 * CNS 02h: the active NSIDs above the one given, whatever their command set (an inactive
	 * NSID's identify namespace is zeroes, and a key-value namespace has no NVM one)
	 */
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = ADM_IDENTIFY;
	cmd.common.nsid = after;
	cmd.common.ndt = 0x02;
	pthread_mutex_lock(&xctrl->admin_lock);
	err = ctrl->failed ? -ENXIO : ctrl_admin_own(ctrl, &cmd, buf, NULL);
	pthread_mutex_unlock(&xctrl->admin_lock);
	if (!err) {
		memcpy(next, buf, sizeof(*next));
		/* The list is in increasing order: anything else is not an answer to trust */
		*next = *next > after && *next < 0xFFFFFFFEu ? *next : 0;
	}
	hw->ops->dma_free(hw, buf, PCIE_PAGE);
	return err;
}

int
pcie_ctrl_ns_active(struct xnvme_ctrl *xctrl, uint32_t nsid)
{
	uint32_t first;
	int err;

	if (!nsid || nsid >= 0xFFFFFFFEu) {
		return -ENXIO;
	}
	err = pcie_ctrl_ns_next(xctrl, nsid - 1, &first);
	return err ? err : first == nsid ? 0 : -ENXIO;
}

uint16_t
pcie_ctrl_qid_get(struct pcie_ctrl *ctrl)
{
	uint16_t qid = 0;

	pthread_mutex_lock(&ctrl->qid_lock);
	for (uint32_t i = 0; i < ctrl->nioqs; ++i) {
		if (!(ctrl->qids[i / 64] & (1ULL << (i % 64)))) {
			ctrl->qids[i / 64] |= 1ULL << (i % 64);
			qid = (uint16_t)(i + 1);
			break;
		}
	}
	pthread_mutex_unlock(&ctrl->qid_lock);
	return qid;
}

void
pcie_ctrl_qid_put(struct pcie_ctrl *ctrl, uint16_t qid)
{
	if (!qid || qid > PCIE_QID_MAX) {
		return;
	}
	pthread_mutex_lock(&ctrl->qid_lock);
	ctrl->qids[(qid - 1) / 64] &= ~(1ULL << ((qid - 1) % 64));
	pthread_mutex_unlock(&ctrl->qid_lock);
}

/* Create I/O CQ/SQ (NVMe 2.0 5.4, 5.5): physically contiguous rings, no interrupts */
static int
ctrl_qp_create_locked(struct pcie_ctrl *ctrl, struct pcie_qpair *qp)
{
	struct xnvme_spec_cmd cmd;
	int err;

	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = ADM_CREATE_CQ;
	cmd.common.dptr.prp.prp1 = qp->cq_iova;
	cmd.common.ndt = ((uint32_t)(qp->depth - 1) << 16) | qp->qid;
	cmd.common.ndm = 1; /* PC, interrupts off */
	err = ctrl_admin_own(ctrl, &cmd, NULL, NULL);
	if (err) {
		return err;
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = ADM_CREATE_SQ;
	cmd.common.dptr.prp.prp1 = qp->sq_iova;
	cmd.common.ndt = ((uint32_t)(qp->depth - 1) << 16) | qp->qid;
	cmd.common.ndm = ((uint32_t)qp->qid << 16) | 1; /* its CQ, PC */
	err = ctrl_admin_own(ctrl, &cmd, NULL, NULL);
	if (err) {
		memset(&cmd, 0, sizeof(cmd));
		cmd.common.opcode = ADM_DELETE_CQ;
		cmd.common.ndt = qp->qid;
		ctrl_admin_own(ctrl, &cmd, NULL, NULL);
		return err;
	}
	qp->created = 1;
	return 0;
}

int
pcie_ctrl_qp_create(struct xnvme_ctrl *xctrl, struct pcie_qpair *qp)
{
	struct pcie_ctrl *ctrl = xctrl->state;
	int err;

	pthread_mutex_lock(&xctrl->admin_lock);
	qp->gen = atomic_load(&ctrl->gen);
	err = ctrl->failed ? -ENXIO : ctrl_qp_create_locked(ctrl, qp);
	pthread_mutex_unlock(&xctrl->admin_lock);
	return err;
}

int
pcie_ctrl_qp_delete(struct xnvme_ctrl *xctrl, struct pcie_qpair *qp)
{
	struct pcie_ctrl *ctrl = xctrl->state;
	struct xnvme_spec_cmd cmd;
	int err = 0;

	pthread_mutex_lock(&xctrl->admin_lock);
	/* A reset since it was made took the queues already */
	if (qp->created && qp->gen == atomic_load(&ctrl->gen)) {
		memset(&cmd, 0, sizeof(cmd));
		cmd.common.opcode = ADM_DELETE_SQ;
		cmd.common.ndt = qp->qid;
		err = ctrl_admin_own(ctrl, &cmd, NULL, NULL);
		cmd.common.opcode = ADM_DELETE_CQ;
		err = err ? err : ctrl_admin_own(ctrl, &cmd, NULL, NULL);
	}
	qp->created = 0;
	pthread_mutex_unlock(&xctrl->admin_lock);
	/* Not deleted: only a reset makes sure the controller no longer writes its rings */
	if (err && err != -EIO) {
		pcie_ctrl_reset(xctrl, 0);
	}
	return err;
}

int
pcie_ctrl_qp_renew(struct xnvme_ctrl *xctrl, struct pcie_qpair *qp, int *nfailed)
{
	struct pcie_ctrl *ctrl = xctrl->state;
	int err;

	pthread_mutex_lock(&xctrl->admin_lock);
	qp->gen = atomic_load(&ctrl->gen);
	pcie_qp_rewind(qp);
	qp->created = 0;
	err = ctrl->failed ? -ENXIO : ctrl_qp_create_locked(ctrl, qp);
	pthread_mutex_unlock(&xctrl->admin_lock);
	/* After the pair is new: a callback may submit again */
	*nfailed = pcie_qp_fail_all(qp);
	return err;
}

static void
pcie_ctrl_close(struct xnvme_ctrl *xctrl)
{
	struct pcie_ctrl *ctrl = xctrl->state;

	pcie_ctrl_down(ctrl);
	free(ctrl);
}

static int
pcie_ctrl_admin(struct xnvme_ctrl *xctrl, struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
		void *mbuf, size_t mbuf_nbytes)
{
	struct pcie_ctrl *ctrl = xctrl->state;

	(void)mbuf;
	(void)mbuf_nbytes;
	/* A controller the last reset could not bring back: no wait for a timeout per command */
	if (ctrl->failed) {
		return -ENXIO;
	}
	return pcie_ctrl_admin_locked(ctrl, ctx, dbuf, dbuf_nbytes);
}

/*
 * @p arg: the controller's key (pcie_face_open). The face is opened here, by the first device only:
 * opening a model hands out its power-on state, which must not happen under a controller in use.
 */
static int
pcie_ctrl_open(struct xnvme_ctrl *xctrl, struct xnvme_dev *dev, const void *arg)
{
	struct pcie_ctrl *ctrl;
	struct pcie_hw *hw;
	int err;

	err = pcie_face_open(arg, &hw);
	if (err) {
		return err;
	}
	ctrl = calloc(1, sizeof(*ctrl));
	if (!ctrl) {
		hw->ops->close(hw);
		return -ENOMEM;
	}
	ctrl->xctrl = xctrl;
	err = pcie_ctrl_up(ctrl, hw, dev->opts.admin_timeout);
	if (err) {
		hw->ops->close(hw);
		free(ctrl);
		return err;
	}
	xctrl->state = ctrl;
	return 0;
}

const struct xnvme_be_ctrl_ops pcie_ctrl_ops = {
    .id = "pcie",
    .open = pcie_ctrl_open,
    .close = pcie_ctrl_close,
    .admin = pcie_ctrl_admin,
    .poll = NULL,
    .keep = false,
};
