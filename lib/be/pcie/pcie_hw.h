/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: how the user-space NVMe driver (backend "pcie") reaches a controller's hardware.
 *
 * The driver's engine (controller bring-up, queue pairs, PRP/SGL building: pcie_*.c) never
 * touches a register, a doorbell or a bus address but through this table. Two faces implement
 * it: the in-memory controller model (model*.c, identifiers "pcie-model:SIZE[,options]"), which
 * runs the ramdisk's command executor behind NVMe's register interface, and vfio-pci for real
 * controllers (issue 19). Register offsets are NVMe 2.0's (Figure 33: CAP 0x00, VS 0x08, CC 0x14,
 * CSTS 0x1C, AQA 0x24, ASQ 0x28, ACQ 0x30, doorbells from 0x1000 with CAP.DSTRD's stride).
 *
 * Memory ordering is the hardware's: the driver fills a submission entry, then rings the
 * doorbell (the face's doorbell call orders the two, as a write barrier before an MMIO write
 * does); a face posts a completion entry's dwords 0-2 before its status word (dword 3, with the
 * phase tag), with release order, and the driver reads the status word with acquire order.
 */
#ifndef __XNVME_BE_PCIE_HW_H
#define __XNVME_BE_PCIE_HW_H

#include <stddef.h>
#include <stdint.h>

/* Internal: not exported from the shared library, and called directly (no PLT) within it */
#pragma GCC visibility push(hidden)

/* Controller registers, NVMe 2.0 Figure 33 */
#define PCIE_REG_CAP     0x00
#define PCIE_REG_VS      0x08
#define PCIE_REG_INTMS   0x0C
#define PCIE_REG_INTMC   0x10
#define PCIE_REG_CC      0x14
#define PCIE_REG_CSTS    0x1C
#define PCIE_REG_NSSR    0x20
#define PCIE_REG_AQA     0x24
#define PCIE_REG_ASQ     0x28
#define PCIE_REG_ACQ     0x30
#define PCIE_REG_SQ0TDBL 0x1000

/* CAP fields */
#define PCIE_CAP_MQES(cap)   ((uint32_t)((cap)&0xFFFF))         ///< Zero-based
#define PCIE_CAP_CQR(cap)    ((uint32_t)(((cap) >> 16) & 1))    ///< Contiguous queues required
#define PCIE_CAP_TO(cap)     ((uint32_t)(((cap) >> 24) & 0xFF)) ///< In 500 ms units
#define PCIE_CAP_DSTRD(cap)  ((uint32_t)(((cap) >> 32) & 0xF))
#define PCIE_CAP_NSSRS(cap)  ((uint32_t)(((cap) >> 36) & 1))
#define PCIE_CAP_CSS(cap)    ((uint32_t)(((cap) >> 37) & 0xFF))
#define PCIE_CAP_MPSMIN(cap) ((uint32_t)(((cap) >> 48) & 0xF)) ///< 2^(12 + MPSMIN) bytes
#define PCIE_CAP_MPSMAX(cap) ((uint32_t)(((cap) >> 52) & 0xF))

/* CC fields */
#define PCIE_CC_EN           (1u << 0)
#define PCIE_CC_CSS_SHIFT    4 ///< 3 bits: 0 NVM, 6 all I/O command sets (CAP.CSS bit 6)
#define PCIE_CC_MPS_SHIFT    7 ///< 4 bits: 2^(12 + MPS)
#define PCIE_CC_AMS_SHIFT    11
#define PCIE_CC_SHN_SHIFT    14 ///< 2 bits: 1 normal, 2 abrupt shutdown
#define PCIE_CC_IOSQES_SHIFT 16 ///< 4 bits: 6 (64-byte entries)
#define PCIE_CC_IOCQES_SHIFT 20 ///< 4 bits: 4 (16-byte entries)

/* CSTS fields */
#define PCIE_CSTS_RDY     (1u << 0)
#define PCIE_CSTS_CFS     (1u << 1)
#define PCIE_CSTS_SHST(v) (((v) >> 2) & 3) ///< 0 normal, 1 occurring, 2 complete
#define PCIE_CSTS_NSSRO   (1u << 4)

struct pcie_hw;

struct pcie_hw_ops {
	const char *name; ///< "model", "vfio": what xnvme_dev_pr and errors show

	/* Registers of BAR0 at byte offset @p off (below the doorbells) */
	uint32_t (*reg_read32)(struct pcie_hw *hw, uint32_t off);
	uint64_t (*reg_read64)(struct pcie_hw *hw, uint32_t off);
	void (*reg_write32)(struct pcie_hw *hw, uint32_t off, uint32_t val);
	void (*reg_write64)(struct pcie_hw *hw, uint32_t off, uint64_t val);

	/**
	 * Rings a doorbell: submission queue @p qid's tail (@p cq 0) or completion queue @p qid's
	 * head (@p cq 1) becomes @p val; the face computes the offset with CAP.DSTRD. Everything
	 * the driver wrote before (entries, PRP lists, SGLs, data) is visible to the device first.
	 * The model's inline processing executes the new commands within this call.
	 */
	void (*doorbell)(struct pcie_hw *hw, uint16_t qid, int cq, uint32_t val);

	/**
	 * Memory the device can reach (queues, PRP lists, SGL segments, buffers): zeroed, at least
	 * @p nbytes, aligned to @p align (a power of two, at least 4096), its bus address in @p
	 * iova. NULL when there is none left.
	 */
	void *(*dma_alloc)(struct pcie_hw *hw, size_t nbytes, size_t align, uint64_t *iova);
	void (*dma_free)(struct pcie_hw *hw, void *vaddr, size_t nbytes);

	/** Makes caller memory reachable by the device (xnvme_mem_map); 0 or a negative errno */
	int (*dma_map)(struct pcie_hw *hw, void *vaddr, size_t nbytes);
	int (*dma_unmap)(struct pcie_hw *hw, void *vaddr);

	/**
	 * The bus address of @p vaddr; -EFAULT when the device cannot reach it. Not called when
	 * hw->iova_linear is set (the face promises iova = vaddr + hw->iova_offset for any memory).
	 */
	int (*dma_translate)(struct pcie_hw *hw, const void *vaddr, uint64_t *iova);

	/** Releases the face (after the driver shut the controller down) */
	void (*close)(struct pcie_hw *hw);
};

/** What a face hands the driver; the face's own state follows it in the face's structure */
struct pcie_hw {
	const struct pcie_hw_ops *ops;
	/*
	 * 1: every address the process has is reachable and iova = vaddr + iova_offset (the model;
	 * its offset is not zero, so a driver that forgets to translate is caught by the model
	 * refusing the address). 0: ask dma_translate per page.
	 */
	int iova_linear;
	uint64_t iova_offset;
	/*
	 * Set by the engine once the controller is up: a face reports a failure before it in the
	 * open's error message only, after it on stderr too (nobody else would see why)
	 */
	int up;
};

/** The bus address of @p vaddr: the hot path's translation, inline for a linear face */
static inline int
pcie_hw_iova(struct pcie_hw *hw, const void *vaddr, uint64_t *iova)
{
	if (hw->iova_linear) {
		*iova = (uint64_t)(uintptr_t)vaddr + hw->iova_offset;
		return 0;
	}
	return hw->ops->dma_translate(hw, vaddr, iova);
}

/**
 * Opens the in-memory controller of "pcie-model:@p spec" (model.c): the ramdisk's format keys
 * plus the model's own (docs/backends.md). Models live until the process ends, shared by spec
 * (a program that closes and reopens one finds its data, as with the ramdisk); each open hands
 * out a controller reset to its power-on state (CC.EN 0, no queues). 0, -ENODEV when the model
 * is not built, or another negative errno with the reason given to xnvme_be_open_err_add().
 */
int pcie_model_open(const char *spec, struct pcie_hw **hw);

#pragma GCC visibility pop

#endif
