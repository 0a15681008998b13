/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal (FreeBSD backend): what the backend says to FreeBSD's nvme(4) driver and the disk
 * layer, as pure functions on caller memory. Nothing here opens a node or calls ioctl(), and no
 * FreeBSD header is needed: the structures are declared under our own names with the layout of
 * FreeBSD 13.4's <dev/nvme/nvme.h> on LP64 (x86-64, arm64), asserted at compile time (and, in a
 * FreeBSD compile, against the real structures and ioctl numbers: bsd_nvme.c). So this file
 * builds on Linux too, where tests/unit/test_bsd_nvme.c checks the bytes at the documented offsets.
 *
 * The passthrough request (NVME_PASSTHROUGH_CMD, struct nvme_pt_command): the header documents
 * that the caller may set only the opcode, the NSID (admin commands only) and CDW10-15, all else
 * zero; is_read tells the driver which way the buffer goes. So bsd_nvme_pt_build() refuses
 * (-EINVAL) what that cannot express: a metadata buffer (no field for it), a fused command,
 * non-zero CDW2/CDW3, data in both directions (opcode bits 1:0 = 11b), data given to a command
 * whose opcode moves none, a length over 32 bits, a buffer missing for a length, and an I/O
 * command for another namespace than the node's (the driver puts the node's NSID in the command).
 *
 * Where a command goes: the controller node (/dev/nvmeX) takes admin commands, a namespace node
 * (/dev/nvmeXnsY, or a disk of the nvd or nda driver) I/O commands for its own namespace.
 */
#ifndef __BSD_NVME_H
#define __BSD_NVME_H

#include <stddef.h>
#include <stdint.h>
#include <libxnvme_spec.h>

#pragma GCC visibility push(hidden)

/** struct nvme_command: the 64-byte submission queue entry */
struct bsd_nvme_command {
	uint8_t opc;
	uint8_t fuse; ///< the whole byte: FUSE bits 1:0, PSDT bits 7:6 (the driver's)
	uint16_t cid;
	uint32_t nsid;
	uint32_t rsvd2; ///< CDW2
	uint32_t rsvd3; ///< CDW3
	uint64_t mptr;
	uint64_t prp1;
	uint64_t prp2;
	uint32_t cdw10;
	uint32_t cdw11;
	uint32_t cdw12;
	uint32_t cdw13;
	uint32_t cdw14;
	uint32_t cdw15;
};

/** struct nvme_completion: 16 bytes, 8-aligned (FreeBSD declares it __aligned(8)) */
struct bsd_nvme_completion {
	_Alignas(8) uint32_t cdw0;
	uint32_t rsvd1;
	uint16_t sqhd;
	uint16_t sqid;
	uint16_t cid;
	uint16_t status; ///< phase bit 0, SC bits 8:1, SCT 11:9, CRD 13:12, M 14, DNR 15
};

/** struct nvme_pt_command: the argument of NVME_PASSTHROUGH_CMD */
struct bsd_nvme_pt_command {
	struct bsd_nvme_command cmd;
	struct bsd_nvme_completion cpl; ///< cdw0 and status filled in by the driver
	void *buf;
	uint32_t len;
	uint32_t is_read;  ///< 1: the controller writes buf (data to the host)
	void *driver_lock; ///< the driver's; zero
};

/** struct nvme_get_nsid: the argument of NVME_GET_NSID, the node's controller and namespace */
#define BSD_NVME_SPECNAMELEN 255
struct bsd_nvme_get_nsid {
	char cdev[BSD_NVME_SPECNAMELEN + 1]; ///< the controller's name, "nvme0"
	uint32_t nsid;                       ///< 0 on the controller node
};

/* The ioctl numbers (_IOWR('n', 0, ...) and so on), asserted against FreeBSD's in bsd_nvme.c */
#define BSD_NVME_PASSTHROUGH_CMD   0xc0686e00UL ///< _IOWR('n', 0, struct nvme_pt_command)
#define BSD_NVME_GET_NSID          0x41046e02UL ///< _IOR('n', 2, struct nvme_get_nsid)
#define BSD_NVME_GET_MAX_XFER_SIZE 0x40086e03UL ///< _IOR('n', 3, uint64_t)
#define BSD_DIOCGSECTORSIZE        0x40046480UL ///< _IOR('d', 128, u_int)
#define BSD_DIOCGMEDIASIZE         0x40086481UL ///< _IOR('d', 129, off_t)

/**
 * Fills @p pt for the command @p cmd with a data buffer @p dbuf of @p dbuf_nbytes and a metadata
 * buffer of @p mbuf_nbytes, sent on a node of namespace @p node_nsid (0: the controller node, an
 * admin command with the command's NSID). The command identifier, the data and metadata pointers
 * of @p cmd are not copied (the driver sets its own); is_read follows the opcode's bits 1:0.
 * Returns 0, or -EINVAL for NULL arguments or a request the ioctl cannot express (file comment);
 * @p pt is zeroed first in every case.
 */
int bsd_nvme_pt_build(struct bsd_nvme_pt_command *pt, const struct xnvme_spec_cmd *cmd, void *dbuf,
		      size_t dbuf_nbytes, size_t mbuf_nbytes, uint32_t node_nsid);

/**
 * The completion of a passthrough the ioctl returned 0 for: copies dword 0 and the status (phase
 * bit cleared) into @p cpl. Returns 0, or -EIO when the status says the command failed (status
 * code or status code type non-zero, as FreeBSD's nvme_completion_is_error() judges).
 */
int bsd_nvme_pt_cpl(const struct bsd_nvme_pt_command *pt, struct xnvme_spec_cpl *cpl);

/**
 * The controller node of an NVME_GET_NSID answer: "/dev/" and its cdev into @p path of @p len
 * bytes. Returns 0; -EPROTO when cdev is not a NUL-terminated "nvme" and decimal digits (a
 * driver answer we do not know); -ENAMETOOLONG when @p path is too short; -EINVAL for NULLs.
 */
int bsd_nvme_ctrl_path(const struct bsd_nvme_get_nsid *gnsid, char *path, size_t len);

/** What a node's name under /dev says it is (bsd_node_parse) */
enum bsd_node_kind {
	BSD_NODE_OTHER = 0,  ///< anything else: ask the node (NVME_GET_NSID, DIOCGMEDIASIZE)
	BSD_NODE_NVME_CTRLR, ///< nvmeX
	BSD_NODE_NVME_NS,    ///< nvmeXnsY, Y >= 1
};

struct bsd_node {
	enum bsd_node_kind kind;
	uint32_t ctrlr; ///< X
	uint32_t nsid;  ///< Y, 0 for a controller
};

/**
 * Parses the last path component of @p path: nvmeX or nvmeXnsY in decimal without leading zeros
 * (the names the driver gives; what enumeration lists). Returns 0 with @p node filled (kind
 * BSD_NODE_OTHER for any other name), -EINVAL for NULL arguments.
 */
int bsd_node_parse(const char *path, struct bsd_node *node);

/**
 * A disk's geometry from DIOCGMEDIASIZE (@p mediasize, an off_t) and DIOCGSECTORSIZE
 * (@p sectorsize): checks that the sector size is a power of two from 512 bytes to 64 KiB and the
 * media a positive whole number of sectors, and stores them. Returns 0 or -EPROTO (a disk layer
 * answer the library cannot use; nothing stored), -EINVAL for NULLs.
 */
int bsd_disk_geometry(int64_t mediasize, uint32_t sectorsize, uint64_t *nbytes,
		      uint32_t *lba_nbytes);

#pragma GCC visibility pop

#endif
