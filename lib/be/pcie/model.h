/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: the in-memory NVMe controller behind pcie_hw.h's register face ("pcie-model:SPEC").
 *
 * The ramdisk's executor (lib/be/ramdisk) runs the commands; the model adds what a PCIe
 * controller has and the ramdisk does not: registers and the CC/CSTS state machine, queues in
 * host memory, doorbells, PRP and SGL walking with bus addresses, completion entries with phase
 * tags, and fault hooks. Files: model.c (registry, identifier keys, registers, DMA ops),
 * model_proc.c (queues, doorbells, admin commands of its own, completions, the device thread),
 * model_xfer.c (transfer lengths; PRPs and SGLs into iovecs), model_fault.c (fault hooks).
 *
 * Addresses the host gives are bus addresses: iova = vaddr + MODEL_IOVA_OFFSET (hw.iova_linear
 * is set). An address below the offset, or whose vaddr is beyond the canonical user range, is a
 * Data Transfer Error: a driver that forgets to translate is caught at once.
 *
 * Fault hooks (identifier key fault=RULE[+RULE]..., at most MODEL_FAULT_MAX rules). N counts
 * the I/O commands (submission queues 1 and up) the model takes from submission queues since
 * the model was created, from 1 (the count survives close/reopen and resets, as the data does):
 *   never-ready  CC.EN 0->1 leaves CSTS.RDY 0 (and CFS 0): the driver's ready timeout fires
 *   cfs@N        the Nth I/O command is taken but not executed, CSTS.CFS becomes 1, and no
 *                queue is processed (nothing more completes) until CC.EN 1->0
 *   drop@N       the Nth is executed, its completion never posted (no completion queue slot)
 *   dup@N        the Nth is executed and its completion posted twice (two slots, same CID;
 *                once when the completion queue has only one entry of room ever: 2 entries)
 *   stale@N      the Nth is executed; its completion is written with the inverted phase tag
 *                and the tail does not advance (the next completion overwrites the slot): a
 *                driver that reads entries without checking the phase completes it, one that
 *                checks never sees it
 *   badcid@N     the Nth is executed and its completion posted with a command id that no
 *                entry of its submission queue's ring has (near CID ^ 0x8000: drivers number
 *                commands below their queue depth)
 *   hold@N       the Nth and all later I/O commands are taken and never completed (nor
 *                executed) until a controller reset (CC.EN 1->0)
 */
#ifndef __XNVME_BE_PCIE_MODEL_H
#define __XNVME_BE_PCIE_MODEL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <libxnvme.h>
#include "pcie_hw.h"
#include "xnvme_be_ramdisk.h"

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

#define MODEL_IOVA_OFFSET  (1ull << 52)
#define MODEL_VADDR_LIMIT  (1ull << 47) ///< Canonical user addresses are below it
#define MODEL_PAGE         4096u        ///< CAP.MPSMIN = MPSMAX = 0
#define MODEL_FAULT_MAX    8
#define MODEL_AER_MAX      4      ///< Asynchronous event requests held at once (AERL + 1)
#define MODEL_SGL_DESC_MAX 65536u ///< SGL descriptors of one command, segments included

enum model_fault_kind {
	MODEL_FAULT_NEVER_READY = 1 << 0,
	MODEL_FAULT_CFS = 1 << 1,
	MODEL_FAULT_DROP = 1 << 2,
	MODEL_FAULT_DUP = 1 << 3,
	MODEL_FAULT_STALE = 1 << 4,
	MODEL_FAULT_BADCID = 1 << 5,
	MODEL_FAULT_HOLD = 1 << 6,
};

struct model_fault {
	uint32_t kind; ///< enum model_fault_kind
	uint64_t nth;  ///< One-based I/O command number; 0 for never-ready
};

struct model_sq {
	int live;
	struct xnvme_spec_cmd *ring;
	uint32_t size; ///< Entries (one-based)
	uint32_t head;
	uint16_t cqid;
	int stalled; ///< Waits for room in its completion queue
};

struct model_cq {
	int live;
	uint32_t *ring; ///< Four dwords an entry
	uint32_t size;
	uint32_t tail;
	uint32_t head; ///< The last valid head doorbell value
	uint32_t phase;
};

/** An iovec vector the walkers fill; grows as needed, kept by the model between commands */
struct model_vec {
	struct iovec *iov;
	size_t cnt, cap;
	size_t nbytes;
};

struct model {
	struct pcie_hw hw; ///< First: the face hands out &hw
	struct model *next;
	char *spec; ///< Registry key: the identifier after "pcie-model:"
	struct rd_ctrl *rd;
	int held; ///< Opened (pcie_model_open) and not closed

	/* Identifier keys */
	int thread; ///< proc=thread
	int sgl;
	uint32_t mdts, mqes, nqueues, dstrd, to;
	struct model_fault faults[MODEL_FAULT_MAX];
	uint32_t nfaults;

	/* Registers */
	uint32_t cc, aqa;
	uint64_t asq, acq;
	_Atomic uint32_t csts;

	/* Queues by identifier, 0 (admin) to nqueues; the doorbells the host writes */
	struct model_sq *sq;
	struct model_cq *cq;
	_Atomic uint32_t *sq_tail;
	_Atomic uint32_t *cq_head;

	/* Processing: inline under lock; thread mode's device thread */
	pthread_mutex_t lock;       ///< Registers and inline processing
	pthread_mutex_t sleep_lock; ///< The device thread's sleep (apart: CC writes join it)
	pthread_cond_t wake;
	pthread_t tid;
	int running;           ///< The device thread exists
	_Atomic int stop;      ///< Asks it to end
	_Atomic int sleeping;  ///< It waits on wake
	_Atomic uint32_t kick; ///< Counts doorbell writes: new work for the thread
	_Atomic int halted;    ///< Not ready, CFS or shut down: no queue is processed
	int holding;           ///< hold@N fired: I/O commands are taken and kept
	uint32_t naer;         ///< Asynchronous event requests held
	uint64_t nio;          ///< I/O commands taken since creation
	uint32_t maxqid;       ///< The highest queue identifier created since the reset

	struct model_vec dvec, mvec;
	uint8_t bounce[4096]; ///< Identify controller, patched before it reaches the host
};

/* model.c */
/** Host pointer of bus address @p iova for @p len bytes, NULL when unreachable */
void *model_ptr(uint64_t iova, size_t len);

/* model_proc.c */
void model_doorbell(struct pcie_hw *hw, uint16_t qid, int cq, uint32_t val);
/** CC.EN 0->1 done: admin queues from AQA/ASQ/ACQ; 0 or -EINVAL (the caller sets CFS) */
int model_enable(struct model *m);
/** Stops processing (joins the device thread); with @p reset, forgets every queue */
void model_quiesce(struct model *m, int reset);
int model_thread_start(struct model *m);

/* model_xfer.c */
/**
 * The data and metadata a command moves, in bytes, by opcode; 0 or the status to complete it
 * with (SCT << 8 | SC)
 */
uint16_t model_xfer_len(struct model *m, const struct xnvme_spec_cmd *cmd, int admin,
			size_t *dbytes, size_t *mbytes);
/** Walks the command's PRPs or SGLs (and MPTR) into @p d and @p md; 0 or the status */
uint16_t model_xfer_map(struct model *m, const struct xnvme_spec_cmd *cmd, int admin, size_t dbytes,
			size_t mbytes);
void model_vec_free(struct model_vec *v);

/* model_fault.c */
/** Parses fault='s value; 0 or -EINVAL with the reason in @p why */
int model_fault_parse(const char *val, struct model *m, char *why, size_t why_len);
/** The faults (enum model_fault_kind) that fire at I/O command @p nth */
uint32_t model_fault_at(const struct model *m, uint64_t nth);
int model_fault_never_ready(const struct model *m);
/** A command id, near @p cid ^ 0x8000, that no entry of @p sq's ring has */
uint16_t model_fault_badcid(const struct model_sq *sq, uint16_t cid);

#pragma GCC visibility pop

#endif
