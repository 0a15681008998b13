/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * The pseudo command set "FS" (CSI 0x1F) that drives files and file-like devices with byte
 * offsets: in its read, write and flush commands, `cmd.nvm.slba` is a byte offset and the length is
 * the data buffer's size.
 */
#ifndef __LIBXNVME_SPEC_FS_H
#define __LIBXNVME_SPEC_FS_H

#include <stdint.h>
#include <libxnvme_util.h>

#ifdef __cplusplus
extern "C" {
#endif

enum xnvme_spec_fs_opcs {
	XNVME_SPEC_FS_OPC_FLUSH = 0xAD,
	XNVME_SPEC_FS_OPC_WRITE = 0xAC,
	XNVME_SPEC_FS_OPC_READ = 0xDC,
};

/** Identify controller payload of the FS command set */
struct xnvme_spec_fs_idfy_ctrlr {
	uint8_t byte0_519[520];
	struct {
		uint64_t min;
		uint64_t max;
		uint64_t opt;
	} iosizes; ///< Transfer sizes in bytes
	struct {
		uint64_t max_nbytes;
		uint32_t max_nopen;
		uint32_t rsvd;
	} limits;
	struct {
		uint8_t direct : 1; ///< O_DIRECT supported
		uint8_t rsvd : 7;
	} caps;
	uint8_t rsvd[3535];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_fs_idfy_ctrlr) == 4096, "Incorrect size")

/** Identify namespace payload of the FS command set */
struct xnvme_spec_fs_idfy_ns {
	uint64_t nsze; ///< Size in bytes
	uint64_t ncap;
	uint64_t nuse;
	uint8_t rsvd24[3816];
	uint8_t vs[256];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_fs_idfy_ns) == 4096, "Incorrect size")

#ifdef __cplusplus
}
#endif

#endif
