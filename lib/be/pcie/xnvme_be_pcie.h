/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: backend "pcie" (alias "spdk"), the user-space NVMe driver's engine.
 *
 * One controller object (lib/xnvme_ctrl.h, key "pcie-model:SPEC") per controller holds struct
 * pcie_ctrl: the face (pcie_hw.h), the admin queue pair, what identify said (MDTS, SGLS), the
 * I/O queue ids in use and the reset generation. Queue pairs: the admin one, one per xnvme_queue
 * (queue->be) and one per device for sync commands (dev->be_state, behind a mutex). A command's
 * id is its slot in its pair; each slot owns a page (or more) of DMA memory for its PRP list or
 * SGL segment, so building a command allocates nothing.
 *
 * Ownership: pcie_ctrl_open/close (pcie_ctrl.c) own struct pcie_ctrl and the face; a queue
 * pair's memory (rings, slots, list pages, bounce buffers) is its creator's, freed by
 * pcie_qp_destroy(). Errors: 0 or a negative errno; an NVMe status is -EIO with ctx->cpl set.
 */
#ifndef __XNVME_BE_PCIE_H
#define __XNVME_BE_PCIE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <libxnvme.h>
#include "pcie_hw.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

#define PCIE_PAGE_SHIFT  12
#define PCIE_PAGE        (1u << PCIE_PAGE_SHIFT) ///< CC.MPS 0: the memory page is 4 KiB
#define PCIE_QID_MAX     1024                    ///< I/O queue ids the driver hands out at most
#define PCIE_MAX_XFER    (2u << 20) ///< Transfer limit when MDTS says "none" (sizes list pages)
#define PCIE_ADMIN_DEPTH 32         ///< Admin ring entries (one command at a time is in flight)
#define PCIE_SYNC_DEPTH  4 ///< The sync pair's rings (one command at a time: room for a repeat)

/* Checks of the clock, and of CSTS, happen once per this many pokes of a pair (a mask) */
#define PCIE_CHECK_MASK 1023u

/* How a reset fails what was outstanding: generic status, "aborted due to SQ deletion" */
#define PCIE_SC_ABORTED_SQ_DELETION 0x08

struct pcie_ctrl;

/**
 * A bounce buffer of a slot, for data or for metadata: a vector the controller cannot take as
 * it is goes through it, and what the device wrote is read back into the caller's pieces
 */
struct pcie_bounce {
	uint8_t *buf; ///< Grown as needed, kept for the slot's life
	uint64_t iova;
	size_t cap;
	const struct iovec *vec; ///< The caller's pieces to copy back (NULL: none)
	size_t cnt;
	struct iovec one; ///< A single piece's copy (vec points here then)
};

/** A command's DMA side: its list memory and, when a vector needed them, its bounce buffers */
struct pcie_slot {
	struct xnvme_cmd_ctx *ctx; ///< NULL: free (an async slot is its context's index)
	uint16_t cid; ///< Command id of its last command: the slot's index, a use count above it
	struct xnvme_cmd_ctx *failed; ///< Taken away by a reset, its callback not yet run
	uint32_t epoch;               ///< The pair's epoch at submit: the timeout's clock
	uint8_t *list;                ///< PRP list pages or SGL segments: the pair's list_nbytes
	uint64_t list_iova;
	struct pcie_bounce data, md;
};

/** What the builder may use of the controller (pcie_xfer.c) */
struct pcie_xfer_caps {
	uint8_t sgl;          ///< SGLS says SGLs for data (NVM command set)
	uint8_t sgl_dword;    ///< SGLS 10b: data blocks must be dword aligned
	uint8_t sgl_mptr_sgl; ///< SGLS bit 19: MPTR may hold an SGL descriptor (PSDT 10b)
	size_t list_nbytes;   ///< Each slot's list memory (a multiple of the page)
};

struct pcie_qpair {
	struct pcie_ctrl *ctrl;
	struct pcie_hw *hw;
	uint16_t qid;
	uint16_t depth;  ///< Ring entries
	uint32_t nslots; ///< Slots 0..nslots-1: a command id's low bits
	/*
	 * What a command id counts its slot's uses in: the slots rounded up to a power of two (0:
	 * 65536 slots, no bits left). A completion the device repeats after its slot took another
	 * command then names a command id no longer outstanding, and is ignored.
	 */
	uint16_t cid_use;
	struct xnvme_spec_cmd *sq;
	struct xnvme_spec_cpl *cq;
	uint64_t sq_iova, cq_iova;
	uint16_t sq_tail, cq_head;
	uint16_t phase; ///< The phase tag a new completion carries
	uint32_t noutstanding;
	struct pcie_slot *slots;
	uint8_t *lists; ///< All slots' list memory, one allocation
	uint64_t lists_iova;
	size_t list_nbytes;
	uint64_t gen;    ///< The controller's reset generation the pair was created in
	uint32_t npokes; ///< Pokes since the last check of the clock
	uint32_t epoch;  ///< Advances every half timeout (pcie_qp_check)
	uint64_t epoch_ns;
	uint64_t timeout_ns;
	uint64_t nstray;           ///< Completions ignored: unknown or not outstanding command ids
	int created;               ///< The controller has the queues (I/O pairs)
	struct xnvme_queue *queue; ///< The async queue it serves, or NULL
	struct xnvme_dev *dev;     ///< The device of an I/O pair (its geometry), NULL: admin
	pthread_mutex_t lock;      ///< Sync pairs: one command at a time
};

struct pcie_ctrl {
	struct pcie_hw *hw;
	struct xnvme_ctrl *xctrl; ///< The controller object it is the state of
	uint64_t cap;
	uint32_t vs;
	uint32_t mqes;  ///< Entries a queue may have (CAP.MQES + 1)
	uint64_t to_ns; ///< CAP.TO: how long the RDY handshakes may take
	struct pcie_qpair admin;
	struct xnvme_spec_idfy_ctrlr idctrl; ///< At bring-up: MDTS, SGLS
	struct pcie_xfer_caps caps;
	uint8_t sgl_allowed; ///< XNVME_PCIE_SGL: 0 keeps the driver to PRPs
	uint64_t max_xfer;   ///< Bytes per command: MDTS's, or PCIE_MAX_XFER
	uint32_t nioqs;      ///< I/O queue pairs the controller granted (Number of Queues)
	pthread_mutex_t qid_lock;
	uint64_t qids[PCIE_QID_MAX / 64]; ///< Bit q: qid q + 1 is taken
	_Atomic uint64_t gen;             ///< Resets so far: pairs compare theirs at each use
	uint64_t admin_timeout_ns;
	_Atomic uint64_t nstray, nresets, ntimeouts;
	int failed;    ///< The last reset failed: I/O pairs cannot be created
	int resetting; ///< Within a reset (admin lock held): a failing command does not reset
	int up;        ///< Brought up: a failing admin command resets the controller
};

/* pcie_xfer.c: PRPs and SGLs, pure logic over the face's translation */
/**
 * Points @p cmd at @p cnt pieces of @p iov (@p nbytes in all) with PRPs, the list (chained when
 * longer than a page) in @p list / @p list_iova of @p list_nbytes. -EINVAL when PRPs cannot
 * express the pieces (an inner piece not page aligned, a start not dword aligned), -E2BIG when
 * the list does not fit, -EFAULT when the face cannot translate an address.
 */
int pcie_xfer_prp(struct pcie_hw *hw, struct xnvme_spec_cmd *cmd, const struct iovec *iov,
		  size_t cnt, size_t nbytes, uint8_t *list, uint64_t list_iova, size_t list_nbytes);
/**
 * Points @p cmd (PSDT set) at the data pieces with an SGL and at the metadata pieces: by MPTR
 * for one, by an SGL in the list memory (PSDT 10b) for several. Errors as pcie_xfer_prp's;
 * -EINVAL also for vectored metadata without caps->sgl_mptr_sgl.
 */
int pcie_xfer_sgl(struct pcie_hw *hw, const struct pcie_xfer_caps *caps, struct xnvme_spec_cmd *cmd,
		  const struct iovec *dvec, size_t dcnt, const struct iovec *mvec, size_t mcnt,
		  uint8_t *list, uint64_t list_iova);
/**
 * Sets up a command's data and metadata pointers in @p slot by the controller's caps: SGLs when
 * it has them, PRPs otherwise, through the slot's bounce buffers when neither takes the pieces
 * as they are. @p admin: PRPs only. 0 or a negative errno.
 */
int pcie_xfer_map(struct pcie_qpair *qp, struct pcie_slot *slot, struct xnvme_spec_cmd *cmd,
		  const struct iovec *dvec, size_t dcnt, size_t dnbytes, const struct iovec *mvec,
		  size_t mcnt, size_t mnbytes, int admin);
/** Copies bounced data back to the caller's pieces (after a completion) and forgets them */
void pcie_xfer_unbounce(struct pcie_slot *slot);
/** Forgets the caller's pieces a slot would copy back (a command failed or taken away) */
void pcie_xfer_forget(struct pcie_slot *slot);
void pcie_xfer_slot_free(struct pcie_hw *hw, struct pcie_slot *slot);

/* pcie_qpair.c */
/**
 * Sets up a pair's memory: rings of @p depth entries (they hold depth - 1 commands), @p nslots
 * slots with list memory (an async queue's contexts: one more than it takes). Creates nothing
 * on the controller (pcie_ctrl_qp_create does for I/O pairs).
 */
int pcie_qp_init(struct pcie_qpair *qp, struct pcie_ctrl *ctrl, uint16_t qid, uint16_t depth,
		 uint32_t nslots, uint64_t timeout_ns);
void pcie_qp_destroy(struct pcie_qpair *qp);
/** Back to the power-on state of its rings (after a controller reset), nothing outstanding */
void pcie_qp_rewind(struct pcie_qpair *qp);
/**
 * Submits the SQ entry @p sqe (the one at the tail, filled and mapped) as @p ctx's in @p slot:
 * its command id is the slot's index plus the slot's use count above it; one doorbell
 */
static inline void
pcie_qp_post(struct pcie_qpair *qp, struct pcie_slot *slot, struct xnvme_spec_cmd *sqe,
	     struct xnvme_cmd_ctx *ctx)
{
	slot->ctx = ctx;
	slot->epoch = qp->epoch;
	qp->noutstanding++;
	slot->cid = (uint16_t)(slot->cid + qp->cid_use);
	sqe->common.cid = slot->cid;
	qp->sq_tail = qp->sq_tail + 1 == qp->depth ? 0 : qp->sq_tail + 1;
	qp->hw->ops->doorbell(qp->hw, qp->qid, 0, qp->sq_tail);
}
/**
 * Reaps up to @p max (0: all) completions: completes async contexts (callback), fills sync ones;
 * rings the CQ head doorbell once if anything was consumed. Returns the commands completed.
 */
int pcie_qp_reap(struct pcie_qpair *qp, uint32_t max);
/**
 * The slow checks, every PCIE_CHECK_MASK + 1 pokes or in waits: CSTS.CFS and commands older
 * than the timeout. 1: the controller needs a reset, 0: fine.
 */
int pcie_qp_check(struct pcie_qpair *qp);
/** Fails every outstanding command with the abort status; returns how many */
int pcie_qp_fail_all(struct pcie_qpair *qp);
/** The bound on a command's life, in ns, from options (0: 30 s) */
uint64_t pcie_timeout_ns(uint32_t seconds);

/**
 * Runs one command on a pair whose caller holds it alone (admin under the admin lock, sync under
 * the pair's lock): submit, poll to completion bounded by the pair's timeout, status into
 * ctx->cpl. 0, -EIO with the status, -ETIMEDOUT (the controller is then reset).
 */
int pcie_qp_exec(struct pcie_qpair *qp, struct xnvme_cmd_ctx *ctx, const struct iovec *dvec,
		 size_t dcnt, size_t dnbytes, const struct iovec *mvec, size_t mcnt, size_t mnbytes,
		 int admin);

/* pcie_ctrl.c */
/** Brings the controller up on @p hw (ownership passes); 0 or a negative errno (reason given) */
int pcie_ctrl_up(struct pcie_ctrl *ctrl, struct pcie_hw *hw, uint32_t admin_timeout);
/** Normal shutdown, then frees everything and closes the face */
void pcie_ctrl_down(struct pcie_ctrl *ctrl);
/**
 * Resets the controller (disable, admin queue re-made, enable, number of queues): I/O pairs
 * notice by the generation. Takes the admin path's lock when @p locked is 0. 0 or -errno.
 */
int pcie_ctrl_reset(struct xnvme_ctrl *xctrl, int locked);
/** An admin command on the admin pair, the admin lock held; 0, -EIO with status, -errno */
int pcie_ctrl_admin_locked(struct pcie_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, void *dbuf,
			   size_t dbuf_nbytes);
/** 0 when namespace @p nsid is active on the controller, -ENXIO when not, or another -errno */
int pcie_ctrl_ns_active(struct xnvme_ctrl *xctrl, uint32_t nsid);
/** The first active NSID above @p after in @p next, 0 when there is none; 0 or -errno */
int pcie_ctrl_ns_next(struct xnvme_ctrl *xctrl, uint32_t after, uint32_t *next);
/** Takes a free I/O queue id; 0 when none is left */
uint16_t pcie_ctrl_qid_get(struct pcie_ctrl *ctrl);
void pcie_ctrl_qid_put(struct pcie_ctrl *ctrl, uint16_t qid);
/** Creates (CQ, then SQ) or deletes (SQ, then CQ) an I/O pair on the controller */
int pcie_ctrl_qp_create(struct xnvme_ctrl *xctrl, struct pcie_qpair *qp);
int pcie_ctrl_qp_delete(struct xnvme_ctrl *xctrl, struct pcie_qpair *qp);
/**
 * Brings an I/O pair up to date after a reset: fails what it had outstanding, rewinds its
 * rings and creates it again (@p nfailed: how many it failed). 0 or -errno (the controller could
 * not be reached: the pair stays uncreated and is tried again at its next use).
 */
int pcie_ctrl_qp_renew(struct xnvme_ctrl *xctrl, struct pcie_qpair *qp, int *nfailed);

extern const struct xnvme_be_ctrl_ops pcie_ctrl_ops;

/* pcie.c */
/**
 * Opens the face of the controller key @p key: the model's for "pcie-model:SPEC", vfio's for a
 * normal PCI address. 0 or a negative errno, the reason given to xnvme_be_open_err_add() (a
 * build without the model or without vfio says so).
 */
int pcie_face_open(const char *key, struct pcie_hw **hw);

/* pcie_cmd.c */
extern const struct xnvme_be_admin_ops pcie_admin_ops;
extern const struct xnvme_be_sync_ops pcie_sync_ops;
extern const struct xnvme_be_async_ops pcie_async_ops;

/** The device's sync pair, created at first use; NULL with *err */
struct pcie_dev_state {
	struct pcie_qpair sync;
	int sync_ready;
	pthread_mutex_t lock; ///< Creating the sync pair
};

#pragma GCC visibility pop

#endif
