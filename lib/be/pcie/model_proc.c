// SPDX-License-Identifier: BSD-3-Clause
/*
 * The model's queues (model.h): doorbells, the admin commands the model answers itself, the
 * executor's commands, completion entries, and the device thread of proc=thread.
 *
 * Admin decisions: Create/Delete I/O Completion/Submission Queue with NVMe 2.0's statuses
 * (command specific: 00h Completion Queue Invalid, 01h Invalid Queue Identifier, 02h Invalid
 * Queue Size, 0Ch Invalid Queue Deletion; Invalid Field for PC 0 as CAP.CQR is 1; PRP Offset
 * Invalid for a queue base that is not page aligned; Data Transfer Error for one the model
 * cannot reach); deleting a submission queue completes the commands still in it with Command
 * Aborted due to SQ Deletion. Set/Get Features Number of Queues answer nqueues= (zero-based,
 * both halves) whatever was asked (0xFFFF asked: Invalid Field). Abort answers "not aborted"
 * (dword 0 bit 0). Asynchronous Event Requests are held, completed by nothing, and forgotten at
 * a reset; beyond MODEL_AER_MAX: Asynchronous Event Request Limit Exceeded. Identify Controller
 * is patched: SGLS (sgl=1: byte-aligned SGLs, contiguous metadata by MPTR, oversized SGLs,
 * metadata by an SGL descriptor; sgl=0: none), MDTS from mdts=, AERL, the model number
 * ("xnvme pcie-model").
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include "model.h"

#define SCT_GENERIC            0
#define SCT_CMDSPEC            1
#define SC_CQ_INVALID          0x00
#define SC_INVALID_QID         0x01
#define SC_INVALID_QSIZE       0x02
#define SC_AER_LIMIT           0x05
#define SC_INVALID_QDELETION   0x0C
#define SC_ABORTED_SQ_DELETION 0x08 ///< Generic
#define SC_PRP_OFFSET_INVALID  0x13 ///< Generic

#define ADM_DELETE_SQ 0x00
#define ADM_CREATE_SQ 0x01
#define ADM_DELETE_CQ 0x04
#define ADM_CREATE_CQ 0x05
#define ADM_AER       0x0C

#define MODEL_SPIN 256 ///< Idle rounds the device thread yields before it sleeps

static void
model_status(struct xnvme_cmd_ctx *ctx, uint16_t status)
{
	ctx->cpl.status.val = 0;
	ctx->cpl.status.sct = (uint16_t)(status >> 8) & 7;
	ctx->cpl.status.sc = status & 0xFF;
	ctx->cpl.status.dnr = 1;
}

/* Free completion queue entries, by the last valid head doorbell value */
static uint32_t
model_cq_room(struct model *m, uint16_t cqid)
{
	struct model_cq *cq = &m->cq[cqid];
	uint32_t head = atomic_load_explicit(&m->cq_head[cqid], memory_order_acquire);

	if (head < cq->size) {
		cq->head = head;
	}
	return cq->size - 1 - (cq->tail + cq->size - cq->head) % cq->size;
}

/* Dwords 0-2, then dword 3 with the phase tag, released: the host reads dword 3 first */
static void
model_post(struct model_cq *cq, uint32_t sqhd, uint16_t sqid, const struct xnvme_spec_cpl *cpl,
	   uint16_t cid, int stale)
{
	uint32_t *e = cq->ring + (size_t)cq->tail * 4;
	uint32_t phase = stale ? !cq->phase : cq->phase;

	e[0] = cpl->cdw0;
	e[1] = cpl->rsvd1;
	e[2] = sqhd | (uint32_t)sqid << 16;
	__atomic_store_n(&e[3], cid | phase << 16 | (uint32_t)(cpl->status.val & 0xFFFE) << 16,
			 __ATOMIC_RELEASE);
	if (stale) {
		return; /* the slot is the next completion's */
	}
	if (++cq->tail == cq->size) {
		cq->tail = 0;
		cq->phase ^= 1;
	}
}

/*
 * What Create I/O Completion and Submission Queue check alike: the identifier (not in use:
 * @p in_use), the size, PC and the base; the ring in @p ring or the status
 */
static uint16_t
model_queue_args(struct model *m, const struct xnvme_spec_cmd *cmd, int in_use, size_t esize,
		 void **ring)
{
	uint32_t qsize = cmd->cdw[10] >> 16;
	uint64_t base = cmd->common.dptr.prp.prp1;

	if (in_use) {
		return SCT_CMDSPEC << 8 | SC_INVALID_QID;
	}
	if (!qsize || qsize > m->mqes) {
		return SCT_CMDSPEC << 8 | SC_INVALID_QSIZE;
	}
	if (!(cmd->cdw[11] & 1)) {
		return SCT_GENERIC << 8 | XNVME_SPEC_SC_INVALID_FIELD;
	}
	if (base & (MODEL_PAGE - 1)) {
		return SCT_GENERIC << 8 | SC_PRP_OFFSET_INVALID;
	}
	*ring = model_ptr(base, ((size_t)qsize + 1) * esize);
	return *ring ? 0 : SCT_GENERIC << 8 | XNVME_SPEC_SC_DATA_XFER_ERROR;
}

static uint16_t
model_create_cq(struct model *m, const struct xnvme_spec_cmd *cmd)
{
	uint32_t qid = cmd->cdw[10] & 0xFFFF;
	int bad = !qid || qid > m->nqueues || m->cq[qid].live;
	void *ring = NULL;
	uint16_t st = model_queue_args(m, cmd, bad, 16, &ring);
	struct model_cq *cq;

	if (st) {
		return st;
	}
	cq = &m->cq[qid];
	cq->ring = ring;
	cq->size = (cmd->cdw[10] >> 16) + 1;
	cq->tail = cq->head = 0;
	cq->phase = 1;
	cq->live = 1;
	atomic_store(&m->cq_head[qid], 0);
	m->maxqid = qid > m->maxqid ? qid : m->maxqid;
	return 0;
}

static uint16_t
model_create_sq(struct model *m, const struct xnvme_spec_cmd *cmd)
{
	uint32_t qid = cmd->cdw[10] & 0xFFFF, cqid = cmd->cdw[11] >> 16;
	int bad = !qid || qid > m->nqueues || m->sq[qid].live;
	void *ring = NULL;
	uint16_t st = model_queue_args(m, cmd, bad, 64, &ring);
	struct model_sq *sq;

	if (st) {
		return st;
	}
	if (!cqid || cqid > m->nqueues || !m->cq[cqid].live) {
		return SCT_CMDSPEC << 8 | SC_CQ_INVALID;
	}
	sq = &m->sq[qid];
	sq->ring = ring;
	sq->size = (cmd->cdw[10] >> 16) + 1;
	sq->head = 0;
	sq->cqid = (uint16_t)cqid;
	sq->stalled = 0;
	sq->live = 1;
	atomic_store(&m->sq_tail[qid], 0);
	m->maxqid = qid > m->maxqid ? qid : m->maxqid;
	return 0;
}

static uint16_t
model_delete_sq(struct model *m, const struct xnvme_spec_cmd *cmd)
{
	uint32_t qid = cmd->cdw[10] & 0xFFFF;
	struct xnvme_cmd_ctx ctx;
	struct model_sq *sq;
	uint32_t tail;

	if (!qid || qid > m->nqueues || !m->sq[qid].live) {
		return SCT_CMDSPEC << 8 | SC_INVALID_QID;
	}
	sq = &m->sq[qid];
	/* Commands not taken yet complete as aborted, where their queue has room */
	tail = atomic_load_explicit(&m->sq_tail[qid], memory_order_acquire);
	memset(&ctx, 0, sizeof(ctx));
	model_status(&ctx, SCT_GENERIC << 8 | SC_ABORTED_SQ_DELETION);
	while (tail < sq->size && sq->head != tail && model_cq_room(m, sq->cqid)) {
		uint16_t cid = sq->ring[sq->head].common.cid;

		sq->head = (sq->head + 1) % sq->size;
		model_post(&m->cq[sq->cqid], sq->head, (uint16_t)qid, &ctx.cpl, cid, 0);
	}
	sq->live = 0;
	return 0;
}

static uint16_t
model_delete_cq(struct model *m, const struct xnvme_spec_cmd *cmd)
{
	uint32_t qid = cmd->cdw[10] & 0xFFFF;

	if (!qid || qid > m->nqueues || !m->cq[qid].live) {
		return SCT_CMDSPEC << 8 | SC_INVALID_QID;
	}
	for (uint32_t i = 1; i <= m->maxqid; ++i) {
		if (m->sq[i].live && m->sq[i].cqid == qid) {
			return SCT_CMDSPEC << 8 | SC_INVALID_QDELETION;
		}
	}
	m->cq[qid].live = 0;
	return 0;
}

/* What the model changes in the executor's Identify Controller */
static void
model_idfy_patch(const struct model *m, struct xnvme_spec_idfy_ctrlr *id)
{
	id->sgls.val = 0;
	if (m->sgl) {
		id->sgls.supported = 1; /* byte alignment and granularity */
		id->sgls.metadata_pointer = 1;
		id->sgls.oversized_sgl = 1;
		id->sgls.metadata_address = 1;
	}
	id->mdts = (uint8_t)m->mdts;
	id->aerl = MODEL_AER_MAX - 1;
	/* What xnvme_dev_pr and nvme-cli show: not the ramdisk backend, its executor */
	xnvme_be_strpad((char *)id->mn, sizeof(id->mn), "xnvme pcie-model");
}

/* A command for the executor: its buffers walked, then run */
static void
model_exec(struct model *m, struct xnvme_cmd_ctx *ctx, int admin)
{
	const struct xnvme_spec_cmd *cmd = &ctx->cmd;
	size_t dbytes = 0, mbytes = 0;
	struct rd_buf d, md;
	uint16_t st;
	int idfy;

	st = model_xfer_len(m, cmd, admin, &dbytes, &mbytes);
	st = st ? st : model_xfer_map(m, cmd, admin, dbytes, mbytes);
	if (st) {
		model_status(ctx, st);
		return;
	}
	rd_buf_initv(&d, m->dvec.iov, m->dvec.cnt, dbytes);
	rd_buf_initv(&md, m->mvec.iov, m->mvec.cnt, mbytes);
	if (!admin) {
		rd_exec_io(m->rd, ctx, &d, &md);
		return;
	}
	idfy =
	    cmd->common.opcode == XNVME_SPEC_ADM_OPC_IDFY && cmd->idfy.cns == XNVME_SPEC_IDFY_CTRLR;
	if (!idfy) {
		rd_exec_admin(m->rd, ctx, &d);
		return;
	}
	{
		struct rd_buf b;

		memset(m->bounce, 0, sizeof(m->bounce));
		rd_buf_init(&b, m->bounce, sizeof(m->bounce));
		if (!rd_exec_admin(m->rd, ctx, &b)) {
			model_idfy_patch(m, (struct xnvme_spec_idfy_ctrlr *)m->bounce);
			rd_buf_copy(&d, 0, m->bounce, sizeof(m->bounce), 1);
		}
	}
}

/* An admin command; 1 when the model holds it (no completion now) */
static int
model_admin(struct model *m, struct xnvme_cmd_ctx *ctx)
{
	const struct xnvme_spec_cmd *cmd = &ctx->cmd;
	uint32_t nq = m->nqueues - 1;
	uint16_t st = 0;

	switch (cmd->common.opcode) {
	case ADM_CREATE_CQ:
		st = model_create_cq(m, cmd);
		break;
	case ADM_CREATE_SQ:
		st = model_create_sq(m, cmd);
		break;
	case ADM_DELETE_SQ:
		st = model_delete_sq(m, cmd);
		break;
	case ADM_DELETE_CQ:
		st = model_delete_cq(m, cmd);
		break;
	case XNVME_SPEC_ADM_OPC_ABORT:
		ctx->cpl.cdw0 = 1; /* not aborted: a command taken is done or held */
		break;
	case ADM_AER:
		if (m->naer >= MODEL_AER_MAX) {
			st = SCT_CMDSPEC << 8 | SC_AER_LIMIT;
			break;
		}
		m->naer++;
		return 1;
	case XNVME_SPEC_ADM_OPC_SFEAT:
		if (cmd->sfeat.cdw10.fid != XNVME_SPEC_FEAT_NQUEUES) {
			model_exec(m, ctx, 1);
			return 0;
		}
		if ((cmd->cdw[11] & 0xFFFF) == 0xFFFF || (cmd->cdw[11] >> 16) == 0xFFFF) {
			st = SCT_GENERIC << 8 | XNVME_SPEC_SC_INVALID_FIELD;
			break;
		}
		ctx->cpl.cdw0 = nq | nq << 16;
		break;
	case XNVME_SPEC_ADM_OPC_GFEAT:
		if (cmd->gfeat.cdw10.fid != XNVME_SPEC_FEAT_NQUEUES || cmd->gfeat.cdw10.sel > 2) {
			model_exec(m, ctx, 1);
			return 0;
		}
		ctx->cpl.cdw0 = nq | nq << 16;
		break;
	default:
		model_exec(m, ctx, 1);
		return 0;
	}
	if (st) {
		model_status(ctx, st);
	}
	return 0;
}

/* Takes the command at @p sq's head: executes it and posts its completion, faults permitting */
static void
model_take(struct model *m, uint16_t qid, struct model_sq *sq)
{
	struct xnvme_cmd_ctx ctx;
	uint32_t faults = 0;
	uint16_t cid;

	memset(&ctx, 0, sizeof(ctx));
	ctx.cmd = sq->ring[sq->head]; /* a copy: the host may reuse the slot once head moves */
	sq->head = (sq->head + 1) % sq->size;
	cid = ctx.cmd.common.cid;
	if (qid) {
		faults = model_fault_at(m, ++m->nio);
		if (m->holding || (faults & MODEL_FAULT_HOLD)) {
			m->holding = 1;
			return;
		}
		if (faults & MODEL_FAULT_CFS) {
			atomic_store(&m->halted, 1);
			atomic_fetch_or(&m->csts, PCIE_CSTS_CFS);
			return;
		}
		model_exec(m, &ctx, 0);
	} else if (model_admin(m, &ctx)) {
		return;
	}
	if (faults & MODEL_FAULT_DROP) {
		return;
	}
	if (faults & MODEL_FAULT_BADCID) {
		cid = model_fault_badcid(sq, cid);
	}
	model_post(&m->cq[sq->cqid], sq->head, qid, &ctx.cpl, cid, !!(faults & MODEL_FAULT_STALE));
	if ((faults & MODEL_FAULT_DUP) && model_cq_room(m, sq->cqid)) {
		model_post(&m->cq[sq->cqid], sq->head, qid, &ctx.cpl, cid, 0);
	}
}

/* Takes @p qid's new commands while its completion queue has room; the number taken */
static uint32_t
model_sq_run(struct model *m, uint16_t qid)
{
	struct model_sq *sq = &m->sq[qid];
	uint32_t tail, n = 0;

	if (!sq->live) {
		return 0;
	}
	tail = atomic_load_explicit(&m->sq_tail[qid], memory_order_acquire);
	if (tail >= sq->size) {
		return 0; /* an invalid doorbell value is ignored */
	}
	while (sq->live && sq->head != tail && !atomic_load(&m->halted)) {
		struct model_cq *cq = &m->cq[sq->cqid];
		uint32_t need = 1;

		if (qid && (model_fault_at(m, m->nio + 1) & MODEL_FAULT_DUP) && cq->size > 2) {
			need = 2;
		}
		sq->stalled = model_cq_room(m, sq->cqid) < need;
		if (sq->stalled) {
			break;
		}
		model_take(m, qid, sq);
		n++;
	}
	return n;
}

static uint32_t
model_run_all(struct model *m)
{
	uint32_t n = 0;

	for (uint32_t qid = 0; qid <= m->maxqid; ++qid) {
		n += model_sq_run(m, (uint16_t)qid);
	}
	return n;
}

void
model_doorbell(struct pcie_hw *hw, uint16_t qid, int cq, uint32_t val)
{
	struct model *m = (struct model *)hw;

	if (qid > m->nqueues) {
		return;
	}
	atomic_store_explicit(cq ? &m->cq_head[qid] : &m->sq_tail[qid], val, memory_order_release);
	if (m->thread) {
		atomic_fetch_add(&m->kick, 1);
		if (atomic_load(&m->sleeping)) {
			pthread_mutex_lock(&m->sleep_lock);
			pthread_cond_signal(&m->wake);
			pthread_mutex_unlock(&m->sleep_lock);
		}
		return;
	}
	pthread_mutex_lock(&m->lock);
	if (!cq) {
		model_sq_run(m, qid);
	} else {
		/* Room made: the submission queues that wait for it go on */
		for (uint32_t i = 0; i <= m->maxqid; ++i) {
			if (m->sq[i].live && m->sq[i].cqid == qid && m->sq[i].stalled) {
				model_sq_run(m, (uint16_t)i);
			}
		}
	}
	pthread_mutex_unlock(&m->lock);
}

/* Runs the queues while there is work; spins a while when idle, then sleeps until a doorbell */
static void *
model_thread(void *arg)
{
	struct model *m = arg;
	uint32_t idle = 0;

	while (!atomic_load(&m->stop)) {
		uint32_t seen = atomic_load(&m->kick);

		if (model_run_all(m) || atomic_load(&m->kick) != seen) {
			idle = 0;
			continue;
		}
		if (++idle < MODEL_SPIN) {
			sched_yield();
			continue;
		}
		pthread_mutex_lock(&m->sleep_lock);
		atomic_store(&m->sleeping, 1);
		/* A doorbell after this store sees sleeping and signals under sleep_lock */
		if (atomic_load(&m->kick) == seen && !atomic_load(&m->stop)) {
			pthread_cond_wait(&m->wake, &m->sleep_lock);
		}
		atomic_store(&m->sleeping, 0);
		pthread_mutex_unlock(&m->sleep_lock);
		idle = 0;
	}
	return NULL;
}

int
model_thread_start(struct model *m)
{
	atomic_store(&m->stop, 0);
	if (pthread_create(&m->tid, NULL, model_thread, m)) {
		return -EAGAIN;
	}
	m->running = 1;
	return 0;
}

void
model_quiesce(struct model *m, int reset)
{
	atomic_store(&m->halted, 1);
	if (m->running) {
		pthread_mutex_lock(&m->sleep_lock);
		atomic_store(&m->stop, 1);
		pthread_cond_signal(&m->wake);
		pthread_mutex_unlock(&m->sleep_lock);
		pthread_join(m->tid, NULL);
		m->running = 0;
	}
	if (!reset) {
		return;
	}
	memset(m->sq, 0, sizeof(*m->sq) * ((size_t)m->nqueues + 1));
	memset(m->cq, 0, sizeof(*m->cq) * ((size_t)m->nqueues + 1));
	for (uint32_t i = 0; i <= m->nqueues; ++i) {
		atomic_store(&m->sq_tail[i], 0);
		atomic_store(&m->cq_head[i], 0);
	}
	m->maxqid = 0;
	m->naer = 0;
	m->holding = 0;
}

int
model_enable(struct model *m)
{
	uint32_t asqs = (m->aqa & 0xFFF) + 1, acqs = ((m->aqa >> 16) & 0xFFF) + 1;

	m->sq[0].ring = model_ptr(m->asq, (size_t)asqs * 64);
	m->cq[0].ring = model_ptr(m->acq, (size_t)acqs * 16);
	if (!m->sq[0].ring || !m->cq[0].ring) {
		return -EINVAL;
	}
	m->sq[0].size = asqs;
	m->sq[0].head = 0;
	m->sq[0].cqid = 0;
	m->sq[0].live = 1;
	m->cq[0].size = acqs;
	m->cq[0].tail = m->cq[0].head = 0;
	m->cq[0].phase = 1;
	m->cq[0].live = 1;
	atomic_store(&m->sq_tail[0], 0);
	atomic_store(&m->cq_head[0], 0);
	m->maxqid = 0;
	return 0;
}
