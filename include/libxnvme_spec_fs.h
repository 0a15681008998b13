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

/**
 * Identify controller payload of the FS command set: what the file system under a file can do.
 * Bytes 0 to 519 are those of identify controller (struct xnvme_spec_idfy_ctrlr).
 */
struct xnvme_spec_fs_idfy_ctrlr {
	uint8_t byte0_519[520];

	struct {
		uint64_t direct : 1; ///< I/O may bypass the OS page cache (O_DIRECT)
		uint64_t rsvd : 63;
	} caps;

	struct {
		uint64_t file_data_size;  ///< Largest file content, bytes
		uint64_t file_name_len;   ///< Longest file name, bytes
		uint64_t path_name_len;   ///< Longest path, bytes
		uint64_t number_of_files; ///< Most files
	} limits;

	/** What the file system keeps and offers, a bit each */
	struct {
		uint64_t permissions_posix : 1;
		uint64_t permissions_acl : 1;
		uint64_t stamp_creation : 1;
		uint64_t stamp_access : 1;
		uint64_t stamp_change : 1;
		uint64_t stamp_archive : 1;
		uint64_t hardlinks : 1;
		uint64_t symlinks : 1;
		uint64_t case_sensitive : 1;
		uint64_t case_preserving : 1;
		uint64_t journaling_block : 1;
		uint64_t journaling_meta : 1;
		uint64_t snapshotting : 1;
		uint64_t compressed : 1;
		uint64_t encrypted : 1;
		uint64_t rsvd : 48;
	} properties;

	struct {
		uint32_t min;
		uint32_t max;
		uint32_t opt;
	} iosizes; ///< Transfer sizes in bytes

	uint8_t rsvd[3509];
	uint8_t ac;
	uint8_t dc;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_fs_idfy_ctrlr) == 4096, "Incorrect size")

/** Identify namespace payload of the FS command set: a file seen as a namespace of bytes */
struct xnvme_spec_fs_idfy_ns {
	uint64_t nsze; ///< Size of the file system under the file, bytes
	uint64_t ncap; ///< Bytes a file may grow to
	uint64_t nuse; ///< Current size of the file, bytes
	uint8_t rsvd[3816];
	uint8_t vendor_specific[254];
	uint8_t ac;
	uint8_t dc;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_fs_idfy_ns) == 4096, "Incorrect size")

#ifdef __cplusplus
}
#endif

#endif
