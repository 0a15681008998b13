/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * NVMe specification structures: submission and completion queue entries, identify data, log pages,
 * features, zoned namespace structures and status codes.
 *
 * Field names follow the NVMe Base Specification 2.0, the NVM Command Set Specification 1.0 and the
 * Zoned Namespace Command Set Specification 1.1. Every structure carries a size assertion;
 * structures with fields at fixed offsets carry offset assertions too. All multi-byte fields are
 * little-endian, as on every host the library supports.
 */
#ifndef __LIBXNVME_SPEC_H
#define __LIBXNVME_SPEC_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <libxnvme_util.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XNVME_SPEC_OFFSET_ASSERT(type, field, off)                                                 \
	XNVME_STATIC_ASSERT(offsetof(type, field) == (off), #type "." #field " offset")

/** Command set identifiers (CSI), NVMe 2.0 Figure 286 */
enum xnvme_spec_csi {
	XNVME_SPEC_CSI_NVM = 0x0,      ///< NVM command set
	XNVME_SPEC_CSI_KV = 0x1,       ///< Key-Value command set
	XNVME_SPEC_CSI_ZONED = 0x2,    ///< Zoned namespace command set
	XNVME_SPEC_CSI_FS = 0x1F,      ///< Pseudo command set for files (see libxnvme_spec_fs.h)
	XNVME_SPEC_CSI_NOCHECK = 0xFF, ///< Do not check / not known
};

/**
 * Admin command opcodes, NVMe 2.0 Figure 138. xNVMe names 19h/1Ah DSEND/DRECV (directive send /
 * receive); the other entries are this library's own names for the commands it issues.
 */
enum xnvme_spec_adm_opc {
	XNVME_SPEC_ADM_OPC_LOG = 0x02,
	XNVME_SPEC_ADM_OPC_IDFY = 0x06,
	XNVME_SPEC_ADM_OPC_ABORT = 0x08,
	XNVME_SPEC_ADM_OPC_SFEAT = 0x09,
	XNVME_SPEC_ADM_OPC_GFEAT = 0x0A,
	XNVME_SPEC_ADM_OPC_DST = 0x14,   ///< Device self-test
	XNVME_SPEC_ADM_OPC_DSEND = 0x19, ///< Directive send
	XNVME_SPEC_ADM_OPC_DRECV = 0x1A, ///< Directive receive
	XNVME_SPEC_ADM_OPC_FMT = 0x80,   ///< Format NVM (also XNVME_SPEC_NVM_OPC_FMT)
	XNVME_SPEC_ADM_OPC_SANITIZE = 0x84,
};

/**
 * NVM command set opcodes, NVM Command Set 1.0 Figure 18, with I/O management (FDP TP4146). xNVMe
 * lists the admin format and sanitize opcodes here too.
 */
enum xnvme_spec_nvm_opc {
	XNVME_SPEC_NVM_OPC_FLUSH = 0x00,
	XNVME_SPEC_NVM_OPC_WRITE = 0x01,
	XNVME_SPEC_NVM_OPC_READ = 0x02,
	XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE = 0x04,
	XNVME_SPEC_NVM_OPC_COMPARE = 0x05,
	XNVME_SPEC_NVM_OPC_WRITE_ZEROES = 0x08,
	XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT = 0x09,
	XNVME_SPEC_NVM_OPC_VERIFY = 0x0C,
	XNVME_SPEC_NVM_OPC_IO_MGMT_RECV = 0x12, ///< I/O management receive
	XNVME_SPEC_NVM_OPC_SCOPY = 0x19,        ///< Simple copy
	XNVME_SPEC_NVM_OPC_IO_MGMT_SEND = 0x1D, ///< I/O management send
	XNVME_SPEC_NVM_OPC_FMT = 0x80,          ///< Format NVM (an admin command)
	XNVME_SPEC_NVM_OPC_SANITIZE = 0x84,     ///< Sanitize (an admin command)
};

/** Key-value command set opcodes, KV Command Set 1.0 Figure 5 */
enum xnvme_spec_kv_opc {
	XNVME_SPEC_KV_OPC_STORE = 0x01,
	XNVME_SPEC_KV_OPC_RETRIEVE = 0x02,
	XNVME_SPEC_KV_OPC_LIST = 0x06,
	XNVME_SPEC_KV_OPC_DELETE = 0x10,
	XNVME_SPEC_KV_OPC_EXIST = 0x14,
};

/** Zoned command set opcodes, ZNS 1.1 Figure 29 */
enum xnvme_spec_znd_opc {
	XNVME_SPEC_ZND_OPC_MGMT_SEND = 0x79,
	XNVME_SPEC_ZND_OPC_MGMT_RECV = 0x7A,
	XNVME_SPEC_ZND_OPC_APPEND = 0x7D,
};

/** Identify CNS values, NVMe 2.0 Figure 273 */
enum xnvme_spec_idfy_cns {
	XNVME_SPEC_IDFY_NS = 0x00,
	XNVME_SPEC_IDFY_CTRLR = 0x01,
	XNVME_SPEC_IDFY_NSLIST = 0x02,
	XNVME_SPEC_IDFY_NSDSCR = 0x03,
	XNVME_SPEC_IDFY_SETL = 0x04,
	XNVME_SPEC_IDFY_NS_IOCS = 0x05,
	XNVME_SPEC_IDFY_CTRLR_IOCS = 0x06,
	XNVME_SPEC_IDFY_NSLIST_IOCS = 0x07,
	XNVME_SPEC_IDFY_NSLIST_ALLOC = 0x10,
	XNVME_SPEC_IDFY_NS_ALLOC = 0x11,
	XNVME_SPEC_IDFY_CTRLR_NS = 0x12,
	XNVME_SPEC_IDFY_CTRLR_SUB = 0x13,
	XNVME_SPEC_IDFY_CTRLR_PRI = 0x14,
	XNVME_SPEC_IDFY_CTRLR_SEC = 0x15,
	XNVME_SPEC_IDFY_NSGRAN = 0x16,
	XNVME_SPEC_IDFY_UUIDL = 0x17,
	XNVME_SPEC_IDFY_NSLIST_ALLOC_IOCS = 0x1A,
	XNVME_SPEC_IDFY_NS_ALLOC_IOCS = 0x1B,
	XNVME_SPEC_IDFY_IOCS = 0x1C,
};

/** Log page identifiers, NVMe 2.0 Figure 202 and TP4146 (FDP) */
enum xnvme_spec_log_lpi {
	XNVME_SPEC_LOG_RSVD = 0x0,
	XNVME_SPEC_LOG_ERRI = 0x1,   ///< Error information
	XNVME_SPEC_LOG_HEALTH = 0x2, ///< SMART / health information
	XNVME_SPEC_LOG_FW = 0x3,     ///< Firmware slot information
	XNVME_SPEC_LOG_CHNS = 0x4,   ///< Changed namespace list
	XNVME_SPEC_LOG_CSAE = 0x5,   ///< Commands supported and effects
	XNVME_SPEC_LOG_SELFTEST = 0x6,
	XNVME_SPEC_LOG_TELEHOST = 0x7,
	XNVME_SPEC_LOG_TELECTRLR = 0x8,
	XNVME_SPEC_LOG_FDPCONF = 0x20,   ///< FDP configurations
	XNVME_SPEC_LOG_FDPRUHU = 0x21,   ///< Reclaim unit handle usage
	XNVME_SPEC_LOG_FDPSTATS = 0x22,  ///< FDP statistics
	XNVME_SPEC_LOG_FDPEVENTS = 0x23, ///< FDP events
	XNVME_SPEC_LOG_SANITIZE = 0x81,
};

/** Log page identifiers of the zoned command set, ZNS 1.1 Figure 28 */
enum xnvme_spec_znd_log_lid {
	XNVME_SPEC_LOG_ZND_CHANGES = 0xBF, ///< Changed zone list
};

/** Feature identifiers, NVMe 2.0 Figure 317 */
enum xnvme_spec_feat_id {
	XNVME_SPEC_FEAT_ARBITRATION = 0x1,
	XNVME_SPEC_FEAT_PWR_MGMT = 0x2,
	XNVME_SPEC_FEAT_LBA_RANGETYPE = 0x3,
	XNVME_SPEC_FEAT_TEMP_THRESHOLD = 0x4,
	XNVME_SPEC_FEAT_ERROR_RECOVERY = 0x5,
	XNVME_SPEC_FEAT_VWCACHE = 0x6,
	XNVME_SPEC_FEAT_NQUEUES = 0x7,
	XNVME_SPEC_FEAT_INTR_COALESCING = 0x8,
	XNVME_SPEC_FEAT_INTR_VCONF = 0x9,
	XNVME_SPEC_FEAT_WRITE_ATOMICITY = 0xA,
	XNVME_SPEC_FEAT_ASYNC_EVENT_CONF = 0xB,
	XNVME_SPEC_FEAT_HOST_BEHAVIOR = 0x16,
	XNVME_SPEC_FEAT_FDP_MODE = 0x1D,   ///< Flexible data placement
	XNVME_SPEC_FEAT_FDP_EVENTS = 0x1E, ///< FDP events enabled per reclaim unit handle
};

/** Select field of get features, NVMe 2.0 Figure 315 */
enum xnvme_spec_feat_sel {
	XNVME_SPEC_FEAT_SEL_CURRENT = 0x0,
	XNVME_SPEC_FEAT_SEL_DEFAULT = 0x1,
	XNVME_SPEC_FEAT_SEL_SAVED = 0x2,
	XNVME_SPEC_FEAT_SEL_SUPPORTED = 0x3,
};

/** Status code types, NVMe 2.0 Figure 95 */
enum xnvme_spec_status_code_type {
	XNVME_STATUS_CODE_TYPE_GENERIC = 0x0,
	XNVME_STATUS_CODE_TYPE_CMDSPEC = 0x1,
	XNVME_STATUS_CODE_TYPE_MEDIA = 0x2,
	XNVME_STATUS_CODE_TYPE_PATH = 0x3,
	XNVME_STATUS_CODE_TYPE_VENDOR = 0x7,
};

/**
 * Generic command status codes (SCT 0), NVMe 2.0 Figure 96, with the NVM command set's own
 * (80h-82h). XNVME_STATUS_CODE_INVALID_FIELD is xNVMe's name of 02h.
 */
enum xnvme_spec_status_code {
	XNVME_STATUS_CODE_INVALID_FIELD = 0x02,
	XNVME_SPEC_SC_SUCCESS = 0x00,
	XNVME_SPEC_SC_INVALID_OPCODE = 0x01,
	XNVME_SPEC_SC_INVALID_FIELD = 0x02,
	XNVME_SPEC_SC_CMDID_CONFLICT = 0x03,
	XNVME_SPEC_SC_DATA_XFER_ERROR = 0x04,
	XNVME_SPEC_SC_ABORTED_POWER_LOSS = 0x05,
	XNVME_SPEC_SC_INTERNAL_DEVICE_ERROR = 0x06,
	XNVME_SPEC_SC_ABORTED_BY_REQUEST = 0x07,
	XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT = 0x0B,
	XNVME_SPEC_SC_INVALID_SGL_SEG_DESCRIPTOR = 0x0D,
	XNVME_SPEC_SC_LBA_OUT_OF_RANGE = 0x80,
	XNVME_SPEC_SC_CAPACITY_EXCEEDED = 0x81,
	XNVME_SPEC_SC_NAMESPACE_NOT_READY = 0x82,
};

/** Media and data integrity errors (SCT 2), NVMe 2.0 Figure 100 */
enum xnvme_spec_status_code_media {
	XNVME_SPEC_SC_WRITE_FAULTS = 0x80,
	XNVME_SPEC_SC_UNRECOVERED_READ_ERROR = 0x81,
	XNVME_SPEC_SC_GUARD_CHECK_ERROR = 0x82,
	XNVME_SPEC_SC_APPTAG_CHECK_ERROR = 0x83,
	XNVME_SPEC_SC_REFTAG_CHECK_ERROR = 0x84,
	XNVME_SPEC_SC_COMPARE_FAILURE = 0x85,
	XNVME_SPEC_SC_ACCESS_DENIED = 0x86,
	XNVME_SPEC_SC_DEALLOCATED_OR_UNWRITTEN = 0x87,
};

/** NVM command set specific status codes (SCT 1), NVM Command Set 1.0 Figure 26 */
enum xnvme_spec_nvm_cmd_cpl_sc {
	XNVME_SPEC_NVM_CMD_CPL_SC_WRITE_TO_RONLY = 0x82, ///< Attempted write to read only range
};

/** Zoned command set specific status codes (SCT 1), ZNS 1.1 Figure 26 */
enum xnvme_spec_znd_status_code {
	XNVME_SPEC_ZND_SC_INVALID_FORMAT = 0x7F,
	XNVME_SPEC_ZND_SC_INVALID_ZONE_OP = 0xB6, ///< Invalid zone operation request
	XNVME_SPEC_ZND_SC_NOZRWA = 0xB7,          ///< Zone random write area not available
	XNVME_SPEC_ZND_SC_BOUNDARY_ERROR = 0xB8,
	XNVME_SPEC_ZND_SC_IS_FULL = 0xB9,
	XNVME_SPEC_ZND_SC_IS_READONLY = 0xBA,
	XNVME_SPEC_ZND_SC_IS_OFFLINE = 0xBB,
	XNVME_SPEC_ZND_SC_INVALID_WRITE = 0xBC,
	XNVME_SPEC_ZND_SC_TOO_MANY_ACTIVE = 0xBD,
	XNVME_SPEC_ZND_SC_TOO_MANY_OPEN = 0xBE,
	XNVME_SPEC_ZND_SC_INVALID_TRANS = 0xBF,
};

/** Key-value command set status codes (SCT 0), KV Command Set 1.0 Figure 4 */
enum xnvme_spec_kv_status_code {
	XNVME_SPEC_KV_SC_CAPACITY_EXCEEDED = 0x81,
	XNVME_SPEC_KV_SC_NS_NOT_READY = 0x82,
	XNVME_SPEC_KV_SC_RESERVATION_CONFLICT = 0x83,
	XNVME_SPEC_KV_SC_FORMAT_IN_PROGRESS = 0x84,
	XNVME_SPEC_KV_SC_INVALID_VAL_SIZE = 0x85,
	XNVME_SPEC_KV_SC_INVALID_KEY_SIZE = 0x86,
	XNVME_SPEC_KV_SC_KEY_NOT_EXISTS = 0x87,
	XNVME_SPEC_KV_SC_UNRECOVERED_ERR = 0x88,
	XNVME_SPEC_KV_SC_KEY_EXISTS = 0x89,
};

/**
 * Completion queue entry status field (bits 31:16 of DW3), NVMe 2.0 Figure 93; `val` is the
 * whole field. Bits 13:12 are the command retry delay since NVMe 1.4; xNVMe keeps them reserved.
 */
struct xnvme_spec_status {
	union {
		struct {
			uint16_t p : 1;   ///< Phase tag
			uint16_t sc : 8;  ///< Status code
			uint16_t sct : 3; ///< Status code type
			uint16_t rsvd2 : 2;
			uint16_t m : 1;   ///< More
			uint16_t dnr : 1; ///< Do not retry
		};
		uint16_t val;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_status) == 2, "Incorrect size")

/** Completion queue entry, NVMe 2.0 Figure 89 */
struct xnvme_spec_cpl {
	union {
		struct {
			uint32_t cdw0; ///< Command specific
			uint32_t rsvd1;
		};
		uint64_t result; ///< DW0 and DW1, e.g. the LBA written by zone append
	};
	uint16_t sqhd; ///< Submission queue head pointer
	uint16_t sqid; ///< Submission queue identifier
	uint16_t cid;  ///< Command identifier
	struct xnvme_spec_status status;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cpl) == 16, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_cpl, cid, 12)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_cpl, status, 14)

/**
 * Bits of command dword 12 of read, write and their kin, as xNVMe names them for callers that
 * pass them as one value (NVM Command Set 1.0 Figure 43)
 */
enum xnvme_spec_flag {
	XNVME_SPEC_FLAG_LIMITED_RETRY = 0x1 << 15,
	XNVME_SPEC_FLAG_FORCE_UNIT_ACCESS = 0x1 << 14,
	XNVME_SPEC_FLAG_PRINFO_PRCHK_REF = 0x1 << 10,   ///< Check the reference tag
	XNVME_SPEC_FLAG_PRINFO_PRCHK_APP = 0x1 << 11,   ///< Check the application tag
	XNVME_SPEC_FLAG_PRINFO_PRCHK_GUARD = 0x1 << 12, ///< Check the guard
	XNVME_SPEC_FLAG_PRINFO_PRACT = 0x1 << 13,       ///< Protection information action
};

/** SGL descriptor types, NVMe 2.0 Figure 116 (xNVMe spells the tag with "nvme") */
enum xnvme_nvme_sgl_descriptor_type {
	XNVME_SPEC_SGL_DESCR_TYPE_DATA_BLOCK = 0x0,
	XNVME_SPEC_SGL_DESCR_TYPE_BIT_BUCKET = 0x1,
	XNVME_SPEC_SGL_DESCR_TYPE_SEGMENT = 0x2,
	XNVME_SPEC_SGL_DESCR_TYPE_LAST_SEGMENT = 0x3,
	XNVME_SPEC_SGL_DESCR_TYPE_KEYED_DATA_BLOCK = 0x4,
	XNVME_SPEC_SGL_DESCR_TYPE_VENDOR_SPECIFIC = 0xF,
};

/** SGL descriptor sub types, NVMe 2.0 Figure 117 */
enum xnvme_spec_sgl_descriptor_subtype {
	XNVME_SPEC_SGL_DESCR_SUBTYPE_ADDRESS = 0x0,
	XNVME_SPEC_SGL_DESCR_SUBTYPE_OFFSET = 0x1,
};

/** SGL descriptor, NVMe 2.0 Figure 114: the identifier (type, sub type) is in the last byte */
struct xnvme_spec_sgl_descriptor {
	uint64_t addr;
	union {
		struct {
			uint64_t rsvd : 56;
			uint64_t subtype : 4;
			uint64_t type : 4;
		} generic;
		struct {
			uint64_t len : 32; ///< Length in bytes
			uint64_t rsvd : 24;
			uint64_t subtype : 4;
			uint64_t type : 4;
		} unkeyed;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_sgl_descriptor) == 16, "Incorrect size")

/** PRP or SGL for data transfer (PSDT, bits 15:14 of command dword 0), NVMe 2.0 Figure 88 */
enum xnvme_spec_psdt {
	XNVME_SPEC_PSDT_PRP = 0x0,
	XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS = 0x1, ///< SGL data, metadata pointer to a buffer
	XNVME_SPEC_PSDT_SGL_MPTR_SGL = 0x2,        ///< SGL data, metadata pointer to an SGL
};

/**
 * Command dwords 0 to 15 as every command has them. Dwords 10-11 are named after what Linux's
 * passthrough ioctl puts there (data and metadata lengths); `struct xnvme_spec_cmd`'s cdw[] reaches
 * them by number.
 */
struct xnvme_spec_cmd_common {
	uint8_t opcode;
	uint8_t fuse : 2; ///< Fused operation
	uint8_t rsvd : 4;
	uint8_t psdt : 2; ///< enum xnvme_spec_psdt
	uint16_t cid;     ///< Command identifier
	uint32_t nsid;
	uint32_t cdw02;
	uint32_t cdw03;
	uint64_t mptr; ///< Metadata pointer
	union {
		struct {
			uint64_t prp1;
			uint64_t prp2;
		} prp;
		struct xnvme_spec_sgl_descriptor sgl;
		struct {
			uint64_t data;
			uint32_t metadata_len;
			uint32_t data_len;
		} lnx_ioctl; ///< The data pointer as the Linux NVMe passthrough ioctl lays it out
	} dptr;
	uint32_t ndt; ///< CDW10: number of dwords of data
	uint32_t ndm; ///< CDW11: number of dwords of metadata
	uint32_t cdw12;
	uint32_t cdw13;
	uint32_t cdw14;
	uint32_t cdw15;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_common) == 64, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_cmd_common, dptr, 24)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_cmd_common, ndt, 40)

/** Sanitize, NVMe 2.0 Figure 372 */
struct xnvme_spec_cmd_sanitize {
	uint32_t cdw00_09[10];
	uint32_t sanact : 3; ///< Sanitize action
	uint32_t ause : 1;   ///< Allow unrestricted sanitize exit
	uint32_t owpass : 4; ///< Overwrite pass count
	uint32_t oipbp : 1;  ///< Overwrite invert pattern between passes
	uint32_t nodas : 1;  ///< No deallocate after sanitize
	uint32_t rsvd : 22;
	uint32_t ovrpat; ///< Overwrite pattern
	uint32_t cdw12_15[4];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_sanitize) == 64, "Incorrect size")

/** Format NVM, NVMe 2.0 Figure 342; the LBA format index is lbafl | lbafu << 4 */
struct xnvme_spec_cmd_format {
	uint32_t cdw00_09[10];
	uint32_t lbafl : 4; ///< LBA format index, bits 3:0
	uint32_t mset : 1;  ///< Metadata settings: 1 extended
	uint32_t pi : 3;    ///< Protection information type
	uint32_t pil : 1;   ///< Protection information location
	uint32_t ses : 3;   ///< Secure erase settings
	uint32_t lbafu : 2; ///< LBA format index, bits 5:4
	uint32_t rsvd : 18;
	uint32_t cdw11_15[5];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_format) == 64, "Incorrect size")

/** Get features, NVMe 2.0 Figure 314 */
struct xnvme_spec_cmd_gfeat {
	uint32_t cdw00_09[10];
	union {
		struct {
			uint32_t fid : 8; ///< Feature identifier
			uint32_t sel : 3; ///< enum xnvme_spec_feat_sel
			uint32_t rsvd10 : 21;
		};
		uint32_t val;
	} cdw10;
	uint32_t cdw11;
	uint32_t cdw12_15[4];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_gfeat) == 64, "Incorrect size")

/** Directive send, NVMe 2.0 Figure 179-180; cdw12 as the identify directive's enable operation */
struct xnvme_spec_cmd_dsend {
	uint32_t cdw00_09[10];
	uint32_t numd;       ///< Number of dwords, zero-based
	uint32_t doper : 8;  ///< Directive operation
	uint32_t dtype : 8;  ///< Directive type
	uint32_t dspec : 16; ///< Directive specific
	union {
		struct {
			uint32_t endir : 1; ///< Enable directive
			uint32_t rsvd1 : 7;
			uint32_t tdtype : 8; ///< Target directive type
			uint32_t rsvd2 : 16;
		};
		uint32_t val;
	} cdw12;
	uint32_t cdw13_15[3];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_dsend) == 64, "Incorrect size")

/** Directive receive, NVMe 2.0 Figure 177-178; cdw12 as the streams allocate-resources operation */
struct xnvme_spec_cmd_drecv {
	uint32_t cdw00_09[10];
	uint32_t numd;       ///< Number of dwords, zero-based
	uint32_t doper : 8;  ///< Directive operation
	uint32_t dtype : 8;  ///< Directive type
	uint32_t dspec : 16; ///< Directive specific
	union {
		struct {
			uint32_t nsr : 16; ///< Namespace streams requested
			uint32_t rsvd : 16;
		};
		uint32_t val;
	} cdw12;
	uint32_t cdw13_15[3];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_drecv) == 64, "Incorrect size")

/** Identify, NVMe 2.0 Figure 271-272 */
struct xnvme_spec_cmd_idfy {
	uint32_t cdw00_09[10];
	uint32_t cns : 8; ///< enum xnvme_spec_idfy_cns
	uint32_t rsvd1 : 8;
	uint32_t cntid : 16;    ///< Controller identifier
	uint32_t nvmsetid : 16; ///< CNS specific identifier
	uint32_t rsvd2 : 8;
	uint32_t csi : 8; ///< enum xnvme_spec_csi
	uint32_t cdw12_13[2];
	uint32_t uuid : 7; ///< UUID index
	uint32_t rsvd3 : 25;
	uint32_t cdw15;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_idfy) == 64, "Incorrect size")

/** Get log page, NVMe 2.0 Figure 197-201 */
struct xnvme_spec_cmd_log {
	uint32_t cdw00_09[10];
	uint32_t lid : 8;
	uint32_t lsp : 7;
	uint32_t rae : 1;
	uint32_t numdl : 16; ///< Number of dwords, lower 16 bits, zero-based
	uint32_t numdu : 16; ///< Number of dwords, upper 16 bits
	uint32_t lsi : 16;
	uint32_t lpol; ///< Log page offset, lower 32 bits (in bytes)
	uint32_t lpou; ///< Log page offset, upper 32 bits
	uint32_t uuidx : 7;
	uint32_t rsvd1 : 16;
	uint32_t ot : 1;
	uint32_t csi : 8;
	uint32_t cdw15;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_log) == 64, "Incorrect size")

/**
 * Read, write, write uncorrectable, verify; NVM 1.0 Figure 42 and on. CDW13 as read and write
 * have it: dataset management hints and the directive specific value.
 */
struct xnvme_spec_cmd_nvm {
	uint32_t cdw00_09[10];
	uint64_t slba;     ///< Starting LBA (CDW10-11)
	uint32_t nlb : 16; ///< Number of logical blocks, zero-based
	uint32_t rsvd : 4;
	uint32_t dtype : 4; ///< Directive type
	uint32_t rsvd2 : 2;
	uint32_t prinfo : 4; ///< Protection information field
	uint32_t fua : 1;    ///< Force unit access
	uint32_t lr : 1;     ///< Limited retry
	union {
		struct {
			uint32_t af : 4;    ///< Access frequency
			uint32_t al : 2;    ///< Access latency
			uint32_t sr : 1;    ///< Sequential request
			uint32_t incom : 1; ///< Incompressible
			uint32_t rsvd3 : 8;
			uint32_t dspec : 16; ///< Directive specific
		};
		uint32_t val;
	} cdw13;
	uint32_t ilbrt;      ///< Initial logical block reference tag (CDW14)
	uint32_t lbat : 16;  ///< Logical block application tag (CDW15)
	uint32_t lbatm : 16; ///< Logical block application tag mask
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_nvm) == 64, "Incorrect size")

/** Dataset management, NVM 1.0 Figure 48 */
struct xnvme_spec_cmd_dsm {
	uint32_t cdw00_09[10];
	uint32_t nr : 8; ///< Number of ranges, zero-based
	uint32_t rsvd1 : 24;
	uint32_t idr : 1; ///< Integral dataset for read
	uint32_t idw : 1; ///< Integral dataset for write
	uint32_t ad : 1;  ///< Deallocate
	uint32_t rsvd2 : 29;
	uint32_t cdw12_15[4];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_dsm) == 64, "Incorrect size")

/** Range in the data buffer of a dataset management command, NVM 1.0 Figure 50 */
struct xnvme_spec_dsm_range {
	uint32_t cattr; ///< Context attributes
	uint32_t llb;   ///< Length in logical blocks (one-based)
	uint64_t slba;  ///< Starting LBA
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_dsm_range) == 16, "Incorrect size")

/** Write zeroes, NVM 1.0 Figure 72-73 */
struct xnvme_spec_nvm_write_zeroes {
	uint32_t cdw00_09[10];
	uint64_t slba;     ///< Starting LBA (CDW10-11)
	uint32_t nlb : 16; ///< Number of logical blocks, zero-based
	uint32_t rsvd1 : 8;
	uint32_t stc : 1;    ///< Storage tag check
	uint32_t deac : 1;   ///< Deallocate
	uint32_t prinfo : 4; ///< Protection information field
	uint32_t fua : 1;    ///< Force unit access
	uint32_t lr : 1;     ///< Limited retry
	uint32_t cdw_13;
	uint32_t ilbrt;      ///< Initial logical block reference tag
	uint32_t lbat : 16;  ///< Logical block application tag
	uint32_t lbatm : 16; ///< Logical block application tag mask
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_write_zeroes) == 64, "Incorrect size")

/** Compare, NVM 1.0 Figure 28-29 */
struct xnvme_spec_nvm_compare {
	uint32_t cdw00_09[10];
	uint64_t slba;     ///< Starting LBA (CDW10-11)
	uint32_t nlb : 16; ///< Number of logical blocks, zero-based
	uint32_t rsvd1 : 8;
	uint32_t stc : 1; ///< Storage tag check
	uint32_t rsvd2 : 1;
	uint32_t prinfo : 4; ///< Protection information field
	uint32_t fua : 1;    ///< Force unit access
	uint32_t lr : 1;     ///< Limited retry
	uint32_t cdw_13;
	uint32_t ilbrt;      ///< Expected initial logical block reference tag
	uint32_t lbat : 16;  ///< Expected logical block application tag
	uint32_t lbatm : 16; ///< Expected logical block application tag mask
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_compare) == 64, "Incorrect size")

/**
 * Source range entry of copy descriptor format 0 as xNVMe lays it out: the expected tags follow
 * the range directly, at bytes 20-31 (NVM 1.0 Figure 40 reserves bytes 18-23 instead).
 */
struct xnvme_spec_nvm_scopy_fmt_zero {
	uint8_t rsvd0[8];
	uint64_t slba;     ///< Starting LBA
	uint32_t nlb : 16; ///< Number of logical blocks, zero-based
	uint32_t rsvd20 : 16;
	uint32_t eilbrt; ///< Expected initial logical block reference tag
	uint32_t elbatm; ///< Expected logical block application tag mask
	uint32_t elbat;  ///< Expected logical block application tag
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_scopy_fmt_zero) == 32, "Incorrect size")

/**
 * Formats of the source ranges given to xnvme_nvm_scopy(), as bits: FMT_ZERO is descriptor
 * format 0 (struct xnvme_spec_nvm_scopy_fmt_zero); FMT_SRCLEN is start/length pairs (struct
 * xnvme_spec_nvm_cmd_scopy_fmt_srclen), a form of xNVMe's own
 */
enum xnvme_nvm_scopy_fmt {
	XNVME_NVM_SCOPY_FMT_ZERO = 0x1,
	XNVME_NVM_SCOPY_FMT_SRCLEN = 0x1 << 8,
};

#define XNVME_SPEC_NVM_SCOPY_NENTRY_MAX 128

/** The largest data buffer of a copy command with descriptor format 0 */
struct xnvme_spec_nvm_scopy_source_range {
	struct xnvme_spec_nvm_scopy_fmt_zero entry[XNVME_SPEC_NVM_SCOPY_NENTRY_MAX];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_scopy_source_range) == 4096, "Incorrect size")

/** Copy, NVM 1.0 Figure 38 */
struct xnvme_spec_nvm_cmd_scopy {
	uint32_t cdw00_09[10];
	uint64_t sdlba;       ///< Starting destination LBA
	uint32_t nr : 8;      ///< Number of source ranges, zero-based
	uint32_t df : 4;      ///< Descriptor format
	uint32_t prinfor : 4; ///< Protection information field, read
	uint32_t rsvd1 : 4;
	uint32_t dtype : 4; ///< Directive type
	uint32_t rsvd2 : 2;
	uint32_t prinfow : 4; ///< Protection information field, write
	uint32_t fua : 1;
	uint32_t lr : 1;
	uint32_t rsvd3 : 16;
	uint32_t dspec : 16; ///< Directive specific
	uint32_t ilbrt;
	uint32_t lbat : 16;
	uint32_t lbatm : 16;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_cmd_scopy) == 64, "Incorrect size")

/** A copy source as a byte offset and length: XNVME_NVM_SCOPY_FMT_SRCLEN, not in NVMe */
struct xnvme_spec_nvm_cmd_scopy_fmt_srclen {
	uint64_t start;
	uint64_t len;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_cmd_scopy_fmt_srclen) == 16, "Incorrect size")

/** NVM command set views of a submission entry that struct xnvme_spec_cmd does not have */
struct xnvme_spec_nvm_cmd {
	union {
		struct xnvme_spec_nvm_cmd_scopy scopy;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_cmd) == 64, "Incorrect size")

/** Zone send actions, ZNS 1.1 Figure 39 */
enum xnvme_spec_znd_cmd_mgmt_send_action {
	XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE = 0x1,
	XNVME_SPEC_ZND_CMD_MGMT_SEND_FINISH = 0x2,
	XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN = 0x3,
	XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET = 0x4,
	XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE = 0x5,
	XNVME_SPEC_ZND_CMD_MGMT_SEND_DESCRIPTOR = 0x10,
	XNVME_SPEC_ZND_CMD_MGMT_SEND_FLUSH = 0x11,
};

/** Zone send action specific options (ZSASO): with OPEN, open with a random write area */
enum xnvme_spec_znd_mgmt_send_action_so {
	XNVME_SPEC_ZND_MGMT_OPEN_WITH_ZRWA = 0x1,
};

/** Zone receive actions, ZNS 1.1 Figure 35 */
enum xnvme_spec_znd_cmd_mgmt_recv_action {
	XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT = 0x0,
	XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT_EXTENDED = 0x1,
};

/** Zone receive action specific field: which zones to report, ZNS 1.1 Figure 36 */
enum xnvme_spec_znd_cmd_mgmt_recv_action_sf {
	XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_ALL = 0x0,
	XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_EMPTY = 0x1,
	XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_IOPEN = 0x2,
	XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_EOPEN = 0x3,
	XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_CLOSED = 0x4,
	XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_FULL = 0x5,
	XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_RONLY = 0x6,
	XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_OFFLINE = 0x7,
};

/** Zone management send, ZNS 1.1 Figure 37-38 */
struct xnvme_spec_znd_cmd_mgmt_send {
	uint32_t cdw00_09[10];
	uint64_t slba;
	uint32_t nrange;         ///< CDW12: number of ranges (zone random write area flush)
	uint32_t zsa : 8;        ///< Zone send action
	uint32_t select_all : 1; ///< Apply the action to all zones
	uint32_t zsaso : 1;      ///< Zone send action specific option
	uint32_t rsvd : 22;
	uint32_t cdw14_15[2];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_cmd_mgmt_send) == 64, "Incorrect size")

/** Zone management receive, ZNS 1.1 Figure 33-34 */
struct xnvme_spec_znd_cmd_mgmt_recv {
	uint32_t cdw00_09[10];
	uint64_t slba;
	uint32_t ndwords;   ///< Number of dwords, zero-based
	uint32_t zra : 8;   ///< Zone receive action
	uint32_t zrasf : 8; ///< Zone receive action specific field
	uint32_t partial : 1;
	uint32_t rsvd : 15;
	uint64_t addrs_dst; ///< CDW14-15, reserved in ZNS 1.1
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_cmd_mgmt_recv) == 64, "Incorrect size")

/** Zone append, ZNS 1.1 Figure 31; xNVMe places PRINFO at bits 27:24 of CDW12 */
struct xnvme_spec_znd_cmd_append {
	uint32_t cdw00_09[10];
	uint64_t zslba;
	uint32_t nlb : 16;
	uint32_t rsvd : 4;
	uint32_t dtype : 4;
	uint32_t prinfo : 4;
	uint32_t rsvd2 : 2;
	uint32_t fua : 1;
	uint32_t lr : 1;
	uint32_t cdw13_15[3];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_cmd_append) == 64, "Incorrect size")

/** Zoned-specific views of a submission entry */
struct xnvme_spec_znd_cmd {
	union {
		struct xnvme_spec_znd_cmd_mgmt_send mgmt_send;
		struct xnvme_spec_znd_cmd_mgmt_recv mgmt_recv;
		struct xnvme_spec_znd_cmd_append append;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_cmd) == 64, "Incorrect size")

/** I/O management receive operations (MO), FDP TP4146 */
enum xnvme_spec_io_mgmt_recv_mo {
	XNVME_SPEC_IO_MGMT_RECV_RUHS = 0x1, ///< Reclaim unit handle status
};

/** I/O management send operations (MO), FDP TP4146 */
enum xnvme_spec_io_mgmt_send_mo {
	XNVME_SPEC_IO_MGMT_SEND_RUHU = 0x1, ///< Reclaim unit handle update
};

/** I/O management receive, FDP TP4146 */
struct xnvme_spec_io_mgmt_recv_cmd {
	uint32_t cdw00_09[10];
	uint32_t mo : 8; ///< Management operation
	uint32_t rsvd : 8;
	uint32_t mos : 16; ///< Management operation specific
	uint32_t numd;     ///< Number of dwords, zero-based
	uint32_t cdw12_15[4];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_io_mgmt_recv_cmd) == 64, "Incorrect size")

/** I/O management send, FDP TP4146 */
struct xnvme_spec_io_mgmt_send_cmd {
	uint32_t cdw00_09[10];
	uint32_t mo : 8; ///< Management operation
	uint32_t rsvd : 8;
	uint32_t mos : 16; ///< Management operation specific
	uint32_t cdw11_15[5];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_io_mgmt_send_cmd) == 64, "Incorrect size")

/** I/O management views of a submission entry */
struct xnvme_spec_io_mgmt_cmd {
	union {
		struct xnvme_spec_io_mgmt_recv_cmd mgmt_recv;
		struct xnvme_spec_io_mgmt_send_cmd mgmt_send;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_io_mgmt_cmd) == 64, "Incorrect size")

/**
 * KV command set views (KV 1.0): store, retrieve, delete, exist, list. The key's 16 bytes are
 * split: bytes 0-7 in CDW2-3, bytes 8-15 in CDW14-15.
 */
struct xnvme_spec_kvs_cmd {
	uint32_t cdw0;
	uint32_t nsid;
	uint64_t key;  ///< Key bytes 0-7 (CDW2-3)
	uint64_t mptr; ///< CDW4-5, reserved
	uint32_t cdw06;
	uint32_t cdw07;
	uint32_t cdw08;
	uint32_t cdw09;
	uint32_t cdw10; ///< Value size (store) / host buffer size (retrieve, list)
	struct {
		uint8_t kl; ///< Key length in bytes, 1..16
		uint8_t ro; ///< Store / retrieve options
		uint16_t rsvd;
	} cdw11;
	uint32_t cdw12;
	uint32_t cdw13;
	uint64_t key_hi; ///< Key bytes 8-15 (CDW14-15)
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_kvs_cmd) == 64, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_kvs_cmd, key, 8)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_kvs_cmd, cdw10, 40)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_kvs_cmd, key_hi, 56)

/** Lengths of the ASCII identification strings of identify controller */
#define XNVME_SPEC_CTRLR_SN_LEN 20
#define XNVME_SPEC_CTRLR_MN_LEN 40
#define XNVME_SPEC_CTRLR_FR_LEN 8

/** Power state descriptor, NVMe 2.0 Figure 276 */
struct xnvme_spec_power_state {
	uint16_t mp; ///< Maximum power (units by mps)
	uint8_t reserved1;
	uint8_t mps : 1;  ///< Max power scale: 0 = 0.01 W, 1 = 0.0001 W
	uint8_t nops : 1; ///< Non-operational state
	uint8_t reserved2 : 6;
	uint32_t enlat;  ///< Entry latency, microseconds
	uint32_t exlat;  ///< Exit latency, microseconds
	uint8_t rrt : 5; ///< Relative read throughput
	uint8_t reserved3 : 3;
	uint8_t rrl : 5; ///< Relative read latency
	uint8_t reserved4 : 3;
	uint8_t rwt : 5; ///< Relative write throughput
	uint8_t reserved5 : 3;
	uint8_t rwl : 5; ///< Relative write latency
	uint8_t reserved6 : 3;
	uint16_t idlp; ///< Idle power
	uint8_t reserved7 : 6;
	uint8_t ips : 2; ///< Idle power scale
	uint8_t reserved8;
	uint16_t actp;   ///< Active power
	uint8_t apw : 3; ///< Active power workload
	uint8_t reserved9 : 3;
	uint8_t aps : 2; ///< Active power scale
	uint8_t reserved10[9];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_power_state) == 32, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_power_state, enlat, 4)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_power_state, exlat, 8)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_power_state, idlp, 16)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_power_state, actp, 20)

/** Version register (VS) and identify controller VER, NVMe 2.0 Figure 37 */
union xnvme_spec_vs_register {
	struct {
		uint32_t ter : 8;  ///< Tertiary version
		uint32_t mnr : 8;  ///< Minor version
		uint32_t mjr : 16; ///< Major version
	} bits;
	uint32_t val;
};
XNVME_STATIC_ASSERT(sizeof(union xnvme_spec_vs_register) == 4, "Incorrect size")

/**
 * Identify controller data structure, NVMe 2.0 Figure 275.
 *
 * Capability fields are unions: a bit-field view named after what each bit announces, and `val`
 * for the whole field. 128-bit counters are two little-endian 64-bit halves, low half first.
 */
struct xnvme_spec_idfy_ctrlr {
	/* Bytes 0-255: controller capabilities and features */
	uint16_t vid;                        ///< PCI vendor ID
	uint16_t ssvid;                      ///< PCI subsystem vendor ID
	int8_t sn[XNVME_SPEC_CTRLR_SN_LEN];  ///< Serial number (ASCII, space padded)
	int8_t mn[XNVME_SPEC_CTRLR_MN_LEN];  ///< Model number
	uint8_t fr[XNVME_SPEC_CTRLR_FR_LEN]; ///< Firmware revision
	uint8_t rab;                         ///< Recommended arbitration burst
	uint8_t ieee[3];                     ///< IEEE OUI identifier

	/** Controller multi-path I/O and namespace sharing capabilities (CMIC) */
	union {
		struct {
			uint8_t multi_port : 1; ///< Two or more ports
			uint8_t multi_host : 1; ///< Two or more hosts
			uint8_t sr_iov : 1;     ///< SR-IOV virtual function
			uint8_t ana_rprt : 1;   ///< Asymmetric namespace access reporting
			uint8_t reserved : 4;
		};
		uint8_t val;
	} cmic;

	uint8_t mdts;    ///< Maximum data transfer size (2^n units of CAP.MPSMIN), 0 = unlimited
	uint16_t cntlid; ///< Controller ID
	union xnvme_spec_vs_register ver; ///< Version
	uint32_t rtd3r;                   ///< RTD3 resume latency
	uint32_t rtd3e;                   ///< RTD3 entry latency

	/** Optional asynchronous events supported (OAES) */
	union {
		struct {
			uint32_t reserved1 : 8;
			uint32_t ns_attribute_notices : 1;
			uint32_t fw_activation_notices : 1;
			uint32_t reserved2 : 1;
			uint32_t ana_notices : 1; ///< Asymmetric namespace access change
			uint32_t
			    pleal_notices : 1; ///< Predictable latency event aggregate log change
			uint32_t lba_sia_notices : 1; ///< LBA status information alert
			uint32_t egea_notices : 1;  ///< Endurance group event aggregate log change
			uint32_t normal_nvm_ss : 1; ///< Normal NVM subsystem shutdown
			uint32_t reserved3 : 11;
			uint32_t zone_changes : 1; ///< Zone descriptor changed (ZNS)
			uint32_t reserved4 : 3;
			uint32_t discovery_log_notices : 1;
		};
		uint32_t val;
	} oaes;

	/** Controller attributes (CTRATT) */
	union {
		struct {
			uint32_t host_id_exhid_supported : 1; ///< 128-bit host identifier
			uint32_t non_operational_power_state_permissive_mode : 1;
			uint32_t nvm_sets : 1;
			uint32_t read_recovery_levels : 1;
			uint32_t endurance_groups : 1;
			uint32_t predictable_latency_mode : 1;
			uint32_t tbkas : 1; ///< Traffic based keep alive
			uint32_t namespace_granularity : 1;
			uint32_t sq_associations : 1;
			uint32_t uuid_list : 1;
			uint32_t multi_domain_subsystem : 1;
			uint32_t fixed_capacity_management : 1;
			uint32_t variable_capacity_management : 1;
			uint32_t delete_endurance_group : 1;
			uint32_t delete_nvm_set : 1;
			uint32_t extended_lba_formats : 1;
			uint32_t reserved1 : 3;
			uint32_t flexible_data_placement : 1;
			uint32_t reserved2 : 12;
		};
		uint32_t val;
	} ctratt;

	uint16_t rrls; ///< Read recovery levels supported
	uint8_t reserved_102[9];
	uint8_t cntrltype; ///< Controller type
	uint8_t fguid[16]; ///< FRU globally unique identifier
	uint16_t crdt1;    ///< Command retry delay times, in 100 ms units
	uint16_t crdt2;
	uint16_t crdt3;
	uint8_t reserved_134[119];

	/** NVM subsystem report (NVMSR) */
	union {
		struct {
			uint8_t nvmesd : 1; ///< Part of an NVMe storage device
			uint8_t nvmee : 1;  ///< Part of an NVMe enclosure
			uint8_t nvmsr_rsvd : 6;
		};
		uint8_t val;
	} nvmsr;

	/** VPD write cycle information (VWCI) */
	union {
		struct {
			uint8_t vwcr : 7;  ///< Write cycles remaining
			uint8_t vwcrv : 1; ///< vwcr is valid
		};
		uint8_t val;
	} vwci;

	/** Management endpoint capabilities (MEC) */
	union {
		struct {
			uint8_t smbusme : 1; ///< SMBus/I2C port management endpoint
			uint8_t pcieme : 1;  ///< PCIe port management endpoint
			uint8_t mec_rsvd : 6;
		};
		uint8_t val;
	} mec;

	/* Bytes 256-511: admin command set attributes */

	/** Optional admin command support (OACS) */
	union {
		struct {
			uint16_t security : 1; ///< Security send / receive
			uint16_t format : 1;   ///< Format NVM
			uint16_t firmware : 1; ///< Firmware download / commit
			uint16_t ns_manage : 1;
			uint16_t device_self_test : 1;
			uint16_t directives : 1;
			uint16_t nvme_mi : 1;
			uint16_t virtualization_management : 1;
			uint16_t doorbell_buffer_config : 1;
			uint16_t lba_status : 1;
			uint16_t cmd_feature_lockdown : 1;
			uint16_t oacs_rsvd : 5;
		};
		uint16_t val;
	} oacs;

	uint8_t acl;  ///< Abort command limit
	uint8_t aerl; ///< Asynchronous event request limit

	/** Firmware updates (FRMW) */
	union {
		struct {
			uint8_t slot1_ro : 1;  ///< Slot 1 is read only
			uint8_t num_slots : 3; ///< Number of firmware slots
			uint8_t activation_without_reset : 1;
			uint8_t mul_update_detection : 1;
			uint8_t frmw_rsvd : 2;
		};
		uint8_t val;
	} frmw;

	/** Log page attributes (LPA) */
	union {
		struct {
			uint8_t ns_smart : 1;  ///< SMART / health log per namespace
			uint8_t celp : 1;      ///< Commands supported and effects log
			uint8_t edlp : 1;      ///< Extended data for get log page
			uint8_t telemetry : 1; ///< Telemetry logs and notices
			uint8_t pel : 1;       ///< Persistent event log
			uint8_t mel : 1;       ///< Miscellaneous log
			uint8_t tel_da4 : 1;   ///< Telemetry data area 4
			uint8_t lpa_rsvd : 1;
		};
		uint8_t val;
	} lpa;

	uint8_t elpe; ///< Error log page entries (zero-based)
	uint8_t npss; ///< Number of power states supported (zero-based)

	/** Admin vendor specific command configuration (AVSCC) */
	union {
		struct {
			uint8_t spec_format : 1;
			uint8_t avscc_rsvd : 7;
		};
		uint8_t val;
	} avscc;

	/** Autonomous power state transition attributes (APSTA) */
	union {
		struct {
			uint8_t supported : 1;
			uint8_t apsta_rsvd : 7;
		};
		uint8_t val;
	} apsta;

	uint16_t wctemp;     ///< Warning composite temperature threshold (Kelvin)
	uint16_t cctemp;     ///< Critical composite temperature threshold (Kelvin)
	uint16_t mtfa;       ///< Maximum time for firmware activation
	uint32_t hmpre;      ///< Host memory buffer preferred size
	uint32_t hmmin;      ///< Host memory buffer minimum size
	uint64_t tnvmcap[2]; ///< Total NVM capacity in bytes
	uint64_t unvmcap[2]; ///< Unallocated NVM capacity in bytes

	/** Replay protected memory block support (RPMBS) */
	union {
		struct {
			uint8_t num_rpmb_units : 3;
			uint8_t auth_method : 3;
			uint8_t reserved1 : 2;
			uint8_t reserved2;
			uint8_t total_size;
			uint8_t access_size;
		};
		uint32_t val;
	} rpmbs;

	uint16_t edstt; ///< Extended device self-test time, minutes

	/** Device self-test options (DSTO) */
	union {
		struct {
			uint8_t one_only : 1; ///< One self-test at a time
			uint8_t reserved : 7;
		} bits;
		uint8_t val;
	} dsto;

	uint8_t fwug; ///< Firmware update granularity, 4 KiB units (0xFF: no restriction)
	uint16_t kas; ///< Keep alive support, 100 ms units (0: not supported)

	/** Host controlled thermal management attributes (HCTMA) */
	union {
		struct {
			uint16_t supported : 1;
			uint16_t reserved : 15;
		} bits;
		uint16_t val;
	} hctma;

	uint16_t mntmt; ///< Minimum thermal management temperature
	uint16_t mxtmt; ///< Maximum thermal management temperature

	/** Sanitize capabilities (SANICAP) */
	union {
		struct {
			uint32_t crypto_erase : 1;
			uint32_t block_erase : 1;
			uint32_t overwrite : 1;
			uint32_t reserved : 26;
			uint32_t ndi : 1;     ///< No-deallocate inhibited
			uint32_t nodmmas : 2; ///< No-deallocate modifies media after sanitize
		} bits;
		uint32_t val;
	} sanicap;

	uint32_t hmminds;   ///< Host memory buffer minimum descriptor entry size
	uint16_t hmmaxd;    ///< Host memory maximum descriptors entries
	uint16_t nsetidmax; ///< NVM set identifier maximum
	uint16_t endgidmax; ///< Endurance group identifier maximum
	uint8_t anatt;      ///< ANA transition time

	/** Asymmetric namespace access capabilities (ANACAP) */
	union {
		struct {
			uint8_t optimize : 1;
			uint8_t non_optimize : 1;
			uint8_t inaccessible : 1;
			uint8_t persist_loss : 1;
			uint8_t change : 1;
			uint8_t reserved1 : 1;
			uint8_t ns_anagrpid : 1;
			uint8_t mgt_anagrpid : 1;
		} bits;
		uint8_t val;
	} anacap;

	uint32_t anagrpmax;         ///< ANA group identifier maximum
	uint32_t nanagrpid;         ///< Number of ANA group identifiers
	uint32_t pels;              ///< Persistent event log size
	uint16_t domain_identifier; ///< Domain identifier
	uint8_t reserved_358[10];
	uint64_t megcap[2]; ///< Max endurance group capacity
	uint8_t reserved_384[128];

	/* Bytes 512-703: NVM command set attributes */

	/** Submission queue entry size (SQES), as 2^n bytes */
	union {
		struct {
			uint8_t min : 4;
			uint8_t max : 4;
		};
		uint8_t val;
	} sqes;

	/** Completion queue entry size (CQES), as 2^n bytes */
	union {
		struct {
			uint8_t min : 4;
			uint8_t max : 4;
		};
		uint8_t val;
	} cqes;

	uint16_t maxcmd; ///< Maximum outstanding commands
	uint32_t nn;     ///< Number of namespaces

	/** Optional NVM command support (ONCS) */
	union {
		struct {
			uint16_t compare : 1;
			uint16_t write_unc : 1;
			uint16_t dsm : 1;
			uint16_t write_zeroes : 1;
			uint16_t set_features_save : 1;
			uint16_t reservations : 1;
			uint16_t timestamp : 1;
			uint16_t verify : 1;
			uint16_t copy : 1;
			uint16_t reserved : 7;
		};
		uint16_t val;
	} oncs;

	uint16_t fuses; ///< Fused operation support

	/** Format NVM attributes (FNA) */
	union {
		struct {
			uint8_t format_all_ns : 1;
			uint8_t erase_all_ns : 1;
			uint8_t crypto_erase_supported : 1;
			uint8_t nsid_ffffffff : 1;
			uint8_t reserved : 4;
		};
		uint8_t val;
	} fna;

	/** Volatile write cache (VWC) */
	union {
		struct {
			uint8_t present : 1;
			uint8_t flush_broadcast : 2;
			uint8_t reserved : 5;
		};
		uint8_t val;
	} vwc;

	uint16_t awun;  ///< Atomic write unit normal
	uint16_t awupf; ///< Atomic write unit power fail
	uint8_t nvscc;  ///< I/O command set vendor specific command configuration
	uint8_t nwpc;   ///< Namespace write protection capabilities
	uint16_t acwu;  ///< Atomic compare & write unit

	/** Copy descriptor formats supported (CDFS) */
	union {
		struct {
			uint16_t format0 : 1;
			uint16_t format1 : 1;
			uint16_t reserved : 14;
		};
		uint16_t val;
	} cdfs;

	/** SGL support (SGLS) */
	union {
		struct {
			uint32_t supported : 2;
			uint32_t keyed_sgl : 1;
			uint32_t reserved1 : 5;
			uint32_t sgl_desc_threshold : 8;
			uint32_t bit_bucket_descriptor : 1;
			uint32_t metadata_pointer : 1;
			uint32_t oversized_sgl : 1;
			uint32_t metadata_address : 1;
			uint32_t sgl_offset : 1;
			uint32_t transport_sgl : 1;
			uint32_t reserved2 : 10;
		};
		uint32_t val;
	} sgls;

	uint32_t mnan;      ///< Maximum number of allowed namespaces
	uint64_t maxdna[2]; ///< Maximum domain namespace attachments
	uint32_t maxcna;    ///< Maximum I/O controller namespace attachments
	uint8_t reserved_564[204];
	uint8_t subnqn[256]; ///< NVM subsystem NVMe qualified name (NUL terminated)
	uint8_t reserved_1024[768];

	/** Bytes 1792-2047: NVMe over Fabrics */
	struct {
		uint32_t ioccsz; ///< I/O queue command capsule supported size, 16-byte units
		uint32_t iorcsz; ///< I/O queue response capsule supported size, 16-byte units
		uint16_t icdoff; ///< In capsule data offset, 16-byte units
		struct {
			uint8_t ctrlr_model : 1; ///< 0 = dynamic, 1 = static
			uint8_t reserved : 7;
		} ctrattr;
		uint8_t msdbd; ///< Maximum SGL data block descriptors, 0 = no limit
		struct {
			uint16_t disc_del : 1; ///< Disconnect command supported
			uint16_t reserved : 15;
		} ofcs;
		uint8_t reserved[242];
	} nvmf_specific;

	struct xnvme_spec_power_state psd[32]; ///< Power state descriptors
	uint8_t vs[1024];                      ///< Vendor specific
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_idfy_ctrlr) == 4096, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, mdts, 77)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, cntrltype, 111)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, oacs, 256)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, tnvmcap, 280)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, sanicap, 328)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, sqes, 512)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, oncs, 520)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, sgls, 536)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, subnqn, 768)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, nvmf_specific, 1792)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, psd, 2048)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ctrlr, vs, 3072)

/** LBA format, NVMe 2.0 / NVM 1.0 Figure 98 */
struct xnvme_spec_lbaf {
	uint16_t ms;    ///< Metadata size in bytes
	uint8_t ds;     ///< LBA data size, as 2^ds bytes
	uint8_t rp : 2; ///< Relative performance
	uint8_t rsvd : 6;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_lbaf) == 4, "Incorrect size")

/** Identify namespace data structure of the NVM command set, NVM 1.0 Figure 97 */
struct xnvme_spec_idfy_ns {
	uint64_t nsze; ///< Namespace size, in logical blocks
	uint64_t ncap; ///< Namespace capacity
	uint64_t nuse; ///< Namespace utilization

	/** Namespace features (NSFEAT) */
	struct {
		uint8_t thin_prov : 1;
		uint8_t ns_atomic_write_unit : 1; ///< nawun, nawupf and nacwu are valid
		uint8_t dealloc_or_unwritten_error : 1;
		uint8_t guid_never_reused : 1;
		uint8_t optimal_performance : 1; ///< npwg, npwa, npdg, npda and nows are valid
		uint8_t reserved1 : 3;
	} nsfeat;

	uint8_t nlbaf; ///< Number of LBA formats (zero-based)

	/** Formatted LBA size (FLBAS): the LBA format index is format | format_msb << 4 */
	struct {
		uint8_t format : 4;
		uint8_t extended : 1; ///< Metadata at the end of each LBA's data
		uint8_t format_msb : 2;
		uint8_t reserved2 : 1;
	} flbas;

	/** Metadata capabilities (MC) */
	struct {
		uint8_t extended : 1; ///< Metadata may be sent with the data
		uint8_t pointer : 1;  ///< Metadata may be sent through the metadata pointer
		uint8_t reserved3 : 6;
	} mc;

	/** End-to-end data protection capabilities (DPC) */
	union {
		struct {
			uint8_t pit1 : 1;     ///< Type 1 supported
			uint8_t pit2 : 1;     ///< Type 2 supported
			uint8_t pit3 : 1;     ///< Type 3 supported
			uint8_t md_start : 1; ///< PI may be the first bytes of the metadata
			uint8_t md_end : 1;   ///< PI may be the last bytes of the metadata
			uint8_t reserved : 3;
		};
		uint8_t val;
	} dpc;

	/** End-to-end data protection type settings (DPS) */
	union {
		struct {
			uint8_t pit : 3; ///< PI type, 0 = none
			uint8_t
			    md_start : 1; ///< 1: PI is the first bytes of the metadata, 0: the last
			uint8_t reserved4 : 4;
		};
		uint8_t val;
	} dps;

	/** Namespace multi-path I/O and namespace sharing capabilities (NMIC) */
	struct {
		uint8_t can_share : 1;
		uint8_t reserved : 7;
	} nmic;

	/** Reservation capabilities (RESCAP) */
	union {
		struct {
			uint8_t persist : 1; ///< Persist through power loss
			uint8_t write_exclusive : 1;
			uint8_t exclusive_access : 1;
			uint8_t write_exclusive_reg_only : 1;
			uint8_t exclusive_access_reg_only : 1;
			uint8_t write_exclusive_all_reg : 1;
			uint8_t exclusive_access_all_reg : 1;
			uint8_t ignore_existing_key : 1;
		};
		uint8_t val;
	} nsrescap;

	/** Format progress indicator (FPI) */
	union {
		struct {
			uint8_t percentage_remaining : 7;
			uint8_t fpi_supported : 1;
		};
		uint8_t val;
	} fpi;

	/** Deallocate logical block features (DLFEAT) */
	union {
		struct {
			uint8_t read_value : 3; ///< Deallocated reads: 0 unknown, 1 zeroes, 2 0xFF
			uint8_t write_zero_deallocate : 1;
			uint8_t guard_value : 1; ///< Guard of deallocated blocks: 0 0xFFFF, 1 CRC
			uint8_t reserved : 3;
		} bits;
		uint8_t val;
	} dlfeat;

	uint16_t nawun;         ///< Namespace atomic write unit normal
	uint16_t nawupf;        ///< Namespace atomic write unit power fail
	uint16_t nacwu;         ///< Namespace atomic compare & write unit
	uint16_t nabsn;         ///< Namespace atomic boundary size normal
	uint16_t nabo;          ///< Namespace atomic boundary offset
	uint16_t nabspf;        ///< Namespace atomic boundary size power fail
	uint16_t noiob;         ///< Namespace optimal I/O boundary
	uint64_t nvmcap[2];     ///< NVM capacity in bytes
	uint16_t npwg;          ///< Preferred write granularity
	uint16_t npwa;          ///< Preferred write alignment
	uint16_t npdg;          ///< Preferred deallocate granularity
	uint16_t npda;          ///< Preferred deallocate alignment
	uint16_t nows;          ///< Optimal write size
	uint16_t mssrl;         ///< Maximum single source range length (copy)
	uint32_t mcl;           ///< Maximum copy length
	uint8_t msrc;           ///< Maximum source range count (zero-based)
	uint8_t reserved81[11]; ///< Byte 82 (reserved81[1]) is NULBAF in NVM 1.0
	uint32_t anagrpid;      ///< ANA group identifier
	uint8_t reserved96[3];
	uint8_t nsattr;    ///< Namespace attributes
	uint16_t nvmsetid; ///< NVM set identifier
	uint16_t endgid;   ///< Endurance group identifier
	uint8_t nguid[16]; ///< Namespace globally unique identifier
	uint64_t eui64;    ///< IEEE extended unique identifier
	struct xnvme_spec_lbaf lbaf[64];
	uint8_t vendor_specific[3712];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_idfy_ns) == 4096, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ns, nsfeat, 24)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ns, nvmcap, 48)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ns, mcl, 76)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ns, anagrpid, 92)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ns, nguid, 104)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_idfy_ns, lbaf, 128)

/** Index of the LBA format in use, from FLBAS bits 3:0 and 6:5 */
static inline uint8_t
xnvme_spec_idfy_ns_flbas_idx(const struct xnvme_spec_idfy_ns *ns)
{
	return (uint8_t)(ns->flbas.format | (ns->flbas.format_msb << 4));
}

/** Protection information tuple, as it sits in the metadata: 16-bit and 64-bit guard forms */
struct xnvme_pif {
	union {
		struct {
			uint16_t guard;
			uint16_t app_tag;
			uint32_t stor_ref_space; ///< Storage and reference tag space
		} g16;
		struct {
			uint64_t guard;
			uint16_t app_tag;
			uint16_t stor_ref_space_p1; ///< Storage and reference space, bits 47:32
			uint32_t stor_ref_space_p2; ///< Storage and reference space, bits 31:0
		} g64;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_pif) == 16, "Incorrect size")

/** Protection information format of an extended LBA format, NVM 1.0 Figure 103 */
enum xnvme_spec_nvm_ns_pif {
	XNVME_SPEC_NVM_NS_16B_GUARD = 0x0, ///< 16-bit CRC guard
	XNVME_SPEC_NVM_NS_32B_GUARD = 0x1, ///< 32-bit CRC guard
	XNVME_SPEC_NVM_NS_64B_GUARD = 0x2, ///< 64-bit CRC guard
};

/** Extended LBA format for PI (NVM 1.0 Figure 103) */
struct xnvme_spec_elbaf {
	uint32_t sts : 7; ///< Storage tag size
	uint32_t pif : 2; ///< Protection information format, enum xnvme_spec_nvm_ns_pif
	uint32_t rsvd : 23;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_elbaf) == 4, "Incorrect size")

/** Identify controller, I/O command set specific, for the NVM command set, NVM 1.0 Figure 100 */
struct xnvme_spec_nvm_idfy_ctrlr {
	uint8_t vsl;    ///< Verify size limit
	uint8_t wzsl;   ///< Write zeroes size limit
	uint8_t wusl;   ///< Write uncorrectable size limit
	uint8_t dmrl;   ///< Dataset management ranges limit
	uint32_t dmrsl; ///< Dataset management range size limit
	uint64_t dmsl;  ///< Dataset management size limit
	uint8_t reserved16[4080];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_idfy_ctrlr) == 4096, "Incorrect size")

/** Identify namespace, I/O command set specific, for the NVM command set, NVM 1.0 Figure 102 */
struct xnvme_spec_nvm_idfy_ns {
	uint64_t lbstm; ///< Logical block storage tag mask

	/** Protection information capabilities (PIC) */
	union {
		struct {
			uint8_t gpists : 1; ///< 16-bit guard PI storage tag support
			uint8_t gpistm : 1; ///< 16-bit guard PI storage tag mask
			uint8_t stcrs : 1;  ///< Storage tag check read support
			uint8_t reserved3 : 5;
		};
		uint8_t val;
	} pic;

	uint8_t reserved9[3];
	struct xnvme_spec_elbaf elbaf[64];
	uint8_t reserved268[3828];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_idfy_ns) == 4096, "Incorrect size")

/** Identify controller, I/O command set specific, for the zoned command set, ZNS 1.1 Figure 48 */
struct xnvme_spec_znd_idfy_ctrlr {
	uint8_t zasl; ///< Zone append size limit (2^n units of CAP.MPSMIN), 0 = MDTS
	uint8_t rsvd8[4095];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_idfy_ctrlr) == 4096, "Incorrect size")

/** LBA format extension, ZNS 1.1 Figure 50 */
struct xnvme_spec_znd_idfy_lbafe {
	uint64_t zsze; ///< Zone size in logical blocks
	uint8_t zdes;  ///< Zone descriptor extension size, in units of 64 bytes
	uint8_t rsvd[7];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_idfy_lbafe) == 16, "Incorrect size")

/**
 * Identify namespace, I/O command set specific, for the zoned command set, ZNS 1.1 Figure 49.
 * The zone random write area fields (numzrwa and on) are those of ZNS 1.1's ZRWA.
 */
struct xnvme_spec_znd_idfy_ns {
	union {
		struct {
			uint16_t vzcap : 1; ///< Variable zone capacity
			uint16_t zae : 1;   ///< Zone active excursions
			uint16_t rsvd : 14;
		} bits;
		uint16_t val;
	} zoc; ///< Zone operation characteristics
	union {
		struct {
			uint16_t razb : 1;    ///< Read across zone boundaries
			uint16_t zrwasup : 1; ///< Zone random write areas supported
			uint16_t rsvd : 14;
		} bits;
		uint16_t val;
	} ozcs;       ///< Optional zoned command support
	uint32_t mar; ///< Maximum active resources (zero-based, 0xFFFFFFFF = no limit)
	uint32_t mor; ///< Maximum open resources (zero-based, 0xFFFFFFFF = no limit)
	uint32_t rrl; ///< Reset recommended limit, seconds
	uint32_t frl; ///< Finish recommended limit, seconds
	uint8_t rsvd12[24];
	uint32_t numzrwa; ///< Number of zone random write area resources
	uint16_t zrwafg;  ///< ZRWA flush granularity, in logical blocks
	uint16_t zrwas;   ///< ZRWA size, in logical blocks
	union {
		struct {
			uint8_t expflushsup : 1; ///< Explicit ZRWA flush supported
			uint8_t rsvd0 : 7;
		} bits;
		uint8_t val;
	} zrwacap; ///< ZRWA capability
	uint8_t rsvd53[2763];
	struct xnvme_spec_znd_idfy_lbafe lbafe[16]; ///< One per LBA format 0 to 15
	uint8_t rsvd3072[768];
	uint8_t vs[256];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_idfy_ns) == 4096, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_znd_idfy_ns, mor, 8)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_znd_idfy_ns, numzrwa, 44)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_znd_idfy_ns, lbafe, 2816)

/** KV format, KV Command Set 1.0 Figure 40 */
struct xnvme_spec_kvs_idfy_ns_format {
	uint16_t kml; ///< Key maximum length, bytes
	uint8_t rsvd2;
	uint8_t fopt; ///< Format options
	uint32_t vml; ///< Value maximum length, bytes
	uint32_t mnk; ///< Maximum number of keys
	uint8_t rsvd12[4];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_kvs_idfy_ns_format) == 16, "Incorrect size")

/** Identify namespace, I/O command set specific, for the KV command set, KV 1.0 Figure 39 */
struct xnvme_spec_kvs_idfy_ns {
	uint64_t nsze; ///< Namespace size, bytes
	uint8_t rsvd8[8];
	uint64_t nuse;  ///< Namespace utilization, bytes
	uint8_t nsfeat; ///< Namespace features
	uint8_t nkvf;   ///< Number of KV formats (zero-based)
	uint8_t nmic;   ///< Multi-path I/O and namespace sharing capabilities
	uint8_t rescap; ///< Reservation capabilities
	uint8_t fpi;    ///< Format progress indicator
	uint8_t rsvd29[3];
	uint32_t novg;     ///< Namespace optimal value granularity
	uint32_t anagrpid; ///< ANA group identifier
	uint8_t rsvd40[3];
	uint8_t nsattr;    ///< Namespace attributes
	uint16_t nvmsetid; ///< NVM set identifier
	uint16_t endgid;   ///< Endurance group identifier
	uint64_t nguid[2]; ///< Namespace globally unique identifier
	uint64_t eui64;    ///< IEEE extended unique identifier
	struct xnvme_spec_kvs_idfy_ns_format kvf[16];
	uint8_t rsvd328[3512];
	uint8_t vs[256];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_kvs_idfy_ns) == 4096, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_kvs_idfy_ns, kvf, 72)

/** One I/O command set combination: the command sets a controller can enable together */
struct xnvme_spec_cs_vector {
	union {
		struct {
			uint64_t nvm : 1;
			uint64_t kv : 1;
			uint64_t zns : 1;
			uint64_t rsvd : 61;
		};
		uint64_t val;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cs_vector) == 8, "Incorrect size")

#define XNVME_SPEC_IDFY_CS_IOCSC_LEN 512

/** Identify I/O command set data structure (CNS 1Ch), NVMe 2.0 Figure 290 */
struct xnvme_spec_idfy_cs {
	struct xnvme_spec_cs_vector iocsc[XNVME_SPEC_IDFY_CS_IOCSC_LEN]; ///< Combinations
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_idfy_cs) == 4096, "Incorrect size")

/** Any identify payload */
struct xnvme_spec_idfy {
	union {
		struct xnvme_spec_idfy_ctrlr ctrlr;
		struct xnvme_spec_idfy_ns ns;
		struct xnvme_spec_idfy_cs cs;
		struct xnvme_spec_nvm_idfy_ctrlr nvm_ctrlr;
		struct xnvme_spec_nvm_idfy_ns nvm_ns;
		struct xnvme_spec_znd_idfy_ctrlr znd_ctrlr;
		struct xnvme_spec_znd_idfy_ns znd_ns;
		struct xnvme_spec_kvs_idfy_ns kvs_ns;
		uint32_t nslist[1024]; ///< Namespace lists (CNS 02h, 07h, 10h, 1Ah)
		uint8_t raw[4096];
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_idfy) == 4096, "Incorrect size")

/** Identify payloads of the NVM command set */
struct xnvme_spec_nvm_idfy {
	union {
		struct xnvme_spec_idfy base;
		struct xnvme_spec_nvm_idfy_ctrlr ctrlr;
		struct xnvme_spec_nvm_idfy_ns ns;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_nvm_idfy) == 4096, "Incorrect size")

/** Identify payloads of the zoned command set */
struct xnvme_spec_znd_idfy {
	union {
		struct xnvme_spec_idfy base;
		struct xnvme_spec_znd_idfy_ctrlr zctrlr;
		struct xnvme_spec_znd_idfy_ns zns;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_idfy) == 4096, "Incorrect size")

/** Identify payloads of the KV command set */
struct xnvme_spec_kvs_idfy {
	union {
		struct xnvme_spec_idfy base;
		struct xnvme_spec_kvs_idfy_ns ns;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_kvs_idfy) == 4096, "Incorrect size")

/** Namespace identification descriptor header, NVMe 2.0 Figure 279 */
struct xnvme_spec_idfy_ns_desc {
	uint8_t nidt; ///< Type: 1 EUI64, 2 NGUID, 3 UUID, 4 CSI
	uint8_t nidl; ///< Length of nid in bytes
	uint8_t rsvd[2];
	uint8_t nid[];
};

/** Zone types, ZNS 1.1 Figure 37 */
enum xnvme_spec_znd_type {
	XNVME_SPEC_ZND_TYPE_SEQWR = 0x2, ///< Sequential write required
};

/** Zone states, ZNS 1.1 Figure 37 */
enum xnvme_spec_znd_state {
	XNVME_SPEC_ZND_STATE_EMPTY = 0x1,
	XNVME_SPEC_ZND_STATE_IOPEN = 0x2, ///< Implicitly opened
	XNVME_SPEC_ZND_STATE_EOPEN = 0x3, ///< Explicitly opened
	XNVME_SPEC_ZND_STATE_CLOSED = 0x4,
	XNVME_SPEC_ZND_STATE_RONLY = 0xD, ///< Read only
	XNVME_SPEC_ZND_STATE_FULL = 0xE,
	XNVME_SPEC_ZND_STATE_OFFLINE = 0xF,
};

/** Zone descriptor, ZNS 1.1 Figure 37; xNVMe leaves byte 3 (zone attributes information) reserved
 */
struct xnvme_spec_znd_descr {
	uint8_t zt : 4; ///< Zone type
	uint8_t rsvd0 : 4;
	uint8_t rsvd1 : 4;
	uint8_t zs : 4; ///< Zone state
	union {
		struct {
			uint8_t zfc : 1;   ///< Zone finished by controller
			uint8_t zfr : 1;   ///< Finish zone recommended
			uint8_t rzr : 1;   ///< Reset zone recommended
			uint8_t zrwav : 1; ///< Zone random write area valid
			uint8_t rsvd3 : 3;
			uint8_t zdev : 1; ///< Zone descriptor extension valid
		};
		uint8_t val;
	} za; ///< Zone attributes, ZNS 1.1 Figure 38
	uint8_t rsvd7[5];
	uint64_t zcap;  ///< Zone capacity
	uint64_t zslba; ///< Zone start LBA
	uint64_t wp;    ///< Write pointer
	uint8_t rsvd63[32];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_descr) == 64, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_znd_descr, zcap, 8)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_znd_descr, zslba, 16)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_znd_descr, wp, 24)

/** Report zones data structure header, ZNS 1.1 Figure 36 */
struct xnvme_spec_znd_report_hdr {
	uint64_t nzones; ///< Number of zones reported
	uint8_t rsvd[56];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_report_hdr) == 64, "Incorrect size")

/** Number of zone identifiers the changed zone list holds */
#define ZND_CHANGES_LEN 511

/** Changed zone list log page, ZNS 1.1 Figure 30 */
struct xnvme_spec_znd_log_changes {
	uint16_t nidents; ///< Number of zone identifiers; 0xFFFF = more than ZND_CHANGES_LEN
	uint8_t rsvd2[6];
	uint64_t idents[ZND_CHANGES_LEN]; ///< Zone start LBAs
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_znd_log_changes) == 4096, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_znd_log_changes, idents, 8)

/** Error information log entry, NVMe 2.0 Figure 205 */
struct xnvme_spec_log_erri_entry {
	uint64_t ecnt; ///< Error count
	uint16_t sqid;
	uint16_t cid;
	struct xnvme_spec_status status;
	uint16_t eloc; ///< Parameter error location
	uint64_t lba;
	uint32_t nsid;
	uint8_t ven_si; ///< Vendor specific information available
	uint8_t trtype;
	uint8_t reserved30[2];
	uint64_t cmd_si; ///< Command specific information
	uint16_t trtype_si;
	uint8_t reserved42[22];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_erri_entry) == 64, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_log_erri_entry, lba, 16)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_log_erri_entry, nsid, 24)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_log_erri_entry, cmd_si, 32)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_log_erri_entry, trtype_si, 40)

/**
 * SMART / health information log, NVMe 2.0 Figure 207. Packed: the composite temperature sits
 * at byte 1, so a naturally aligned layout would not match the log.
 */
struct __attribute__((packed)) xnvme_spec_log_health_entry {
	uint8_t crit_warn;
	uint16_t comp_temp; ///< Composite temperature in Kelvin
	uint8_t avail_spare;
	uint8_t avail_spare_thresh;
	uint8_t pct_used;
	uint8_t eg_crit_warn_sum;
	uint8_t rsvd8[25];
	uint8_t data_units_read[16]; ///< In thousands of 512-byte units
	uint8_t data_units_written[16];
	uint8_t host_read_cmds[16];
	uint8_t host_write_cmds[16];
	uint8_t ctrlr_busy_time[16]; ///< Minutes
	uint8_t pwr_cycles[16];
	uint8_t pwr_on_hours[16];
	uint8_t unsafe_shutdowns[16];
	uint8_t mdi_errs[16]; ///< Media and data integrity errors
	uint8_t nr_err_logs[16];
	uint32_t warn_comp_temp_time;
	uint32_t crit_comp_temp_time;
	uint16_t temp_sens[8];
	uint32_t tmt1tc;
	uint32_t tmt2tc;
	uint32_t tttmt1;
	uint32_t tttmt2;
	uint8_t rsvd[280];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_health_entry) == 512, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_log_health_entry, data_units_read, 32)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_log_health_entry, warn_comp_temp_time, 192)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_log_health_entry, temp_sens, 200)

/** Firmware slot information log, NVMe 2.0 Figure 209 */
struct xnvme_spec_log_fw_slot {
	uint8_t afi; ///< Active firmware info
	uint8_t rsvd1[7];
	char frs[7][8]; ///< Firmware revision per slot
	uint8_t rsvd64[448];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_fw_slot) == 512, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_log_fw_slot, frs, 8)

/** Changed namespace list log, NVMe 2.0 Figure 210 */
struct xnvme_spec_log_chns {
	uint32_t nsids[1024];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_chns) == 4096, "Incorrect size")

/** Commands supported and effects entry, NVMe 2.0 Figure 212 */
struct xnvme_spec_log_cmd_effect {
	uint32_t csupp : 1; ///< Command supported
	uint32_t lbcc : 1;  ///< Logical block content change
	uint32_t ncc : 1;   ///< Namespace capability change
	uint32_t nic : 1;   ///< Namespace inventory change
	uint32_t ccc : 1;   ///< Controller capability change
	uint32_t rsvd5 : 11;
	uint32_t cse : 3; ///< Command submission and execution
	uint32_t uuid_sel : 1;
	uint32_t cser : 2; ///< Command scope
	uint32_t rsvd22 : 10;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_cmd_effect) == 4, "Incorrect size")

/** Commands supported and effects log, NVMe 2.0 Figure 211 */
struct xnvme_spec_log_csae {
	struct xnvme_spec_log_cmd_effect acs[256];  ///< Admin commands
	struct xnvme_spec_log_cmd_effect iocs[256]; ///< I/O commands
	uint8_t rsvd2048[2048];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_csae) == 4096, "Incorrect size")

/*
 * Flexible data placement (TP4146, NVMe 2.0c section 5.16.1.20 and on): its log pages, events and
 * reclaim unit handle status. Each log page is a header followed by a variable number of entries.
 */

/** Reclaim unit handle descriptor of an FDP configuration */
struct xnvme_spec_ruh_desc {
	uint8_t ruht; ///< Reclaim unit handle type: 1 initially isolated, 2 persistently isolated
	uint8_t rsvd[3];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_ruh_desc) == 4, "Incorrect size")

/** FDP configuration descriptor: a 64-byte header followed by nruh handle descriptors */
struct xnvme_spec_fdp_conf_desc {
	uint16_t ds; ///< Descriptor size in bytes, handle descriptors and vendor data included

	/** FDP attributes */
	union {
		struct {
			uint8_t rgif : 4;   ///< Reclaim group identifier format (bits of a PID)
			uint8_t fdpvwc : 1; ///< FDP volatile write cache
			uint8_t rsvd1 : 2;
			uint8_t fdpcv : 1; ///< Configuration valid
		};
		uint8_t val;
	} fdpa;

	uint8_t vss;      ///< Vendor specific size
	uint32_t nrg;     ///< Number of reclaim groups
	uint16_t nruh;    ///< Number of reclaim unit handles
	uint16_t maxpids; ///< Maximum placement identifiers (zero-based)
	uint32_t nns;     ///< Number of namespaces supported
	uint64_t runs;    ///< Reclaim unit nominal size, bytes
	uint32_t erutl;   ///< Estimated reclaim unit time limit, seconds
	uint8_t rsvd28[36];
	struct xnvme_spec_ruh_desc ruh_desc[];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_fdp_conf_desc) == 64, "Incorrect size")

/** FDP configurations log page (LID 20h): a header followed by ncfg + 1 descriptors */
struct xnvme_spec_log_fdp_conf {
	uint16_t ncfg; ///< Number of FDP configurations (zero-based)
	uint8_t version;
	uint8_t rsvd1;
	uint32_t size; ///< Size of the log page in bytes
	uint8_t rsvd2[8];
	struct xnvme_spec_fdp_conf_desc conf_desc[];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_fdp_conf) == 16, "Incorrect size")

/** Reclaim unit handle usage descriptor */
struct xnvme_spec_ruhu_desc {
	uint8_t ruha; ///< Attributes: 0 unused, 1 host specified, 2 controller specified
	uint8_t rsvd[7];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_ruhu_desc) == 8, "Incorrect size")

/** Reclaim unit handle usage log page (LID 21h) */
struct xnvme_spec_log_ruhu {
	uint16_t nruh; ///< Number of reclaim unit handles
	uint8_t rsvd[6];
	struct xnvme_spec_ruhu_desc ruhu_desc[];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_ruhu) == 8, "Incorrect size")

/** FDP statistics log page (LID 22h); each counter is 128 bits, low half first */
struct xnvme_spec_log_fdp_stats {
	uint64_t hbmw[2]; ///< Host bytes with metadata written
	uint64_t mbmw[2]; ///< Media bytes with metadata written
	uint64_t mbe[2];  ///< Media bytes erased
	uint8_t rsvd48[16];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_fdp_stats) == 64, "Incorrect size")

/** Type specific part of the "media reallocated" FDP event */
struct __attribute__((packed)) xnvme_spec_fdp_event_media_reallocated {
	/** Specific event flags */
	union {
		struct {
			uint8_t lbav : 1; ///< lba is valid
			uint8_t rsvd : 7;
		};
		uint8_t val;
	} sef;

	uint8_t rsvd1;
	uint16_t nlbam; ///< Number of LBAs moved
	uint64_t lba;
	uint8_t rsvd2[4];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_fdp_event_media_reallocated) == 16, "Incorrect size")

/** FDP event, an entry of the FDP events log page */
struct __attribute__((packed)) xnvme_spec_fdp_event {
	uint8_t type; ///< Event type

	/** FDP event flags */
	union {
		struct {
			uint8_t piv : 1;   ///< pid is valid
			uint8_t nsidv : 1; ///< nsid is valid
			uint8_t lv : 1;    ///< Location (rgid, ruhid) is valid
			uint8_t rsvd1 : 5;
		};
		uint8_t val;
	} fdpef;

	uint16_t pid;       ///< Placement identifier
	uint64_t timestamp; ///< Event timestamp
	uint32_t nsid;
	uint8_t type_specific[16]; ///< E.g. struct xnvme_spec_fdp_event_media_reallocated
	uint16_t rgid;             ///< Reclaim group identifier
	uint16_t ruhid;            ///< Reclaim unit handle identifier
	uint8_t rsvd1[4];
	uint8_t vs[24];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_fdp_event) == 64, "Incorrect size")

/** FDP events log page (LID 23h): a header followed by nevents events */
struct xnvme_spec_log_fdp_events {
	uint32_t nevents;
	uint8_t rsvd[60];
	struct xnvme_spec_fdp_event event[];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_log_fdp_events) == 64, "Incorrect size")

/** FDP event descriptor, the data of get features "FDP events" (FID 1Eh) */
struct xnvme_spec_fdp_event_desc {
	uint8_t type; ///< Event type

	/** FDP event type attributes */
	union {
		struct {
			uint8_t ee : 1; ///< Event enabled
			uint8_t rsvd : 7;
		};
		uint8_t val;
	} fdpeta;
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_fdp_event_desc) == 2, "Incorrect size")

/** Reclaim unit handle status descriptor, an entry of I/O management receive's data */
struct xnvme_spec_ruhs_desc {
	uint16_t pi;     ///< Placement identifier
	uint16_t ruhi;   ///< Reclaim unit handle identifier
	uint32_t earutr; ///< Estimated active reclaim unit time remaining, seconds
	uint64_t ruamw;  ///< Reclaim unit available media writes, logical blocks
	uint8_t rsvd[16];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_ruhs_desc) == 32, "Incorrect size")

/** Reclaim unit handle status: a header followed by nruhsd descriptors */
struct xnvme_spec_ruhs {
	uint8_t rsvd[14];
	uint16_t nruhsd; ///< Number of reclaim unit handle status descriptors
	struct xnvme_spec_ruhs_desc desc[];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_ruhs) == 16, "Incorrect size")

/*
 * Directives, NVMe 2.0 section 8.7: the data of directive receive for the identify and streams
 * directive types.
 */

/** Directive types (DTYPE) */
enum xnvme_spec_dir_types {
	XNVME_SPEC_DIR_IDENTIFY = 0x0,
	XNVME_SPEC_DIR_STREAMS = 0x1,
};

/** Directive send operations of the identify directive */
enum xnvme_spec_dsend_idfy_doper {
	XNVME_SPEC_DSEND_IDFY_ENDIR = 0x1, ///< Enable / disable a directive
};

/** Directive send operations of the streams directive */
enum xnvme_spec_dsend_streams_doper {
	XNVME_SPEC_DSEND_STREAMS_RELID = 0x1, ///< Release a stream identifier
	XNVME_SPEC_DSEND_STREAMS_RELRS = 0x2, ///< Release the namespace's stream resources
};

/** Directive receive operations of the identify directive */
enum xnvme_spec_drecv_idfy_doper {
	XNVME_SPEC_DRECV_IDFY_RETPR = 0x1, ///< Return parameters
};

/** Directive receive operations of the streams directive */
enum xnvme_spec_drecv_streams_doper {
	XNVME_SPEC_DRECV_STREAMS_RETPR = 0x1, ///< Return parameters
	XNVME_SPEC_DRECV_STREAMS_GETST = 0x2, ///< Get status
	XNVME_SPEC_DRECV_STREAMS_ALLRS = 0x3, ///< Allocate resources
};

/** Identify directive, return parameters, NVMe 2.0 Figure 529 */
struct xnvme_spec_idfy_dir_rp {
	/** Directives supported; a bit per directive type */
	struct {
		uint8_t identify : 1;
		uint8_t streams : 1;
		uint8_t data_placement : 1;
		uint8_t rsvd1 : 5;
		uint8_t rsvd2[31];
	} directives_supported;

	/** Directives enabled */
	struct {
		uint8_t identify : 1;
		uint8_t streams : 1;
		uint8_t data_placement : 1;
		uint8_t rsvd1 : 5;
		uint8_t rsvd2[31];
	} directives_enabled;

	/** Directives that persist across controller level resets */
	struct {
		uint8_t identify : 1;
		uint8_t streams : 1;
		uint8_t data_placement : 1;
		uint8_t rsvd1 : 5;
		uint8_t rsvd2[31];
	} directives_persistence;

	uint8_t rsvd4[4000];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_idfy_dir_rp) == 4096, "Incorrect size")

/** Streams directive, return parameters, NVMe 2.0 Figure 535 */
struct xnvme_spec_streams_dir_rp {
	uint16_t msl;  ///< Maximum streams limit
	uint16_t nssa; ///< NVM subsystem streams available
	uint16_t nsso; ///< NVM subsystem streams open

	/** NVM subsystem stream capability */
	union {
		struct {
			uint8_t multi_host : 1; ///< Stream IDs shared by hosts of the same host ID
			uint8_t reserved : 7;
		} bits;
		uint8_t val;
	} nssc;

	uint8_t reserved1[9];
	uint32_t sws; ///< Stream write size, logical blocks
	uint16_t sgs; ///< Stream granularity size, in units of sws
	uint16_t nsa; ///< Namespace streams allocated
	uint16_t nso; ///< Namespace streams open
	uint8_t reserved2[6];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_streams_dir_rp) == 32, "Incorrect size")

/** Streams directive, get status: the open stream count followed by their identifiers */
struct xnvme_spec_streams_dir_gs {
	uint16_t open_sc; ///< Open stream count
	uint16_t sid[];   ///< Stream identifiers
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_streams_dir_gs) == 2, "Incorrect size")

/** Streams directive, allocate resources: completion dword 0 */
struct xnvme_spec_alloc_resource {
	union {
		struct {
			uint32_t nsa : 16; ///< Namespace streams allocated
			uint32_t rsvd : 16;
		} bits;
		uint32_t val;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_alloc_resource) == 4, "Incorrect size")

/** Feature values as carried in CDW11 (set) / CDW0 of the completion (get) */
struct xnvme_spec_feat {
	union {
		struct {
			uint32_t ab : 3; ///< Arbitration burst
			uint32_t rsvd : 5;
			uint32_t lpw : 8; ///< Low priority weight
			uint32_t mpw : 8; ///< Medium priority weight
			uint32_t hpw : 8; ///< High priority weight
		} arbitration;
		struct {
			uint32_t ps : 5; ///< Power state
			uint32_t wh : 3; ///< Workload hint
			uint32_t rsvd : 24;
		} power_mgmt;
		struct {
			uint32_t tmpth : 16; ///< Temperature threshold in Kelvin
			uint32_t tmpsel : 4; ///< Threshold temperature select
			uint32_t thsel : 3;  ///< Threshold type select: 0 over, 1 under
			uint32_t rsvd : 9;
		} temp_threshold;
		struct {
			uint32_t tler : 16; ///< Time limited error recovery
			uint32_t dulbe : 1; ///< Deallocated or unwritten logical block error enable
			uint32_t rsvd : 15;
		} error_recovery;
		struct {
			uint32_t wce : 1; ///< Volatile write cache enable
			uint32_t rsvd : 31;
		} vwcache;
		struct {
			uint32_t nsqa : 16; ///< Number of I/O submission queues (zero-based)
			uint32_t ncqa : 16; ///< Number of I/O completion queues (zero-based)
		} nqueues;
		struct {
			uint32_t fdpe : 1; ///< Flexible data placement enabled
			uint32_t rsvd1 : 7;
			uint32_t fdpci : 8; ///< FDP configuration index
			uint32_t rsvd2 : 16;
		} fdp_mode;
		uint32_t val;
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_feat) == 4, "Incorrect size")

/*
 * The submission entry and its set-features view come after struct xnvme_spec_feat, which the
 * set-features view carries in CDW11.
 */

/** Set features, NVMe 2.0 Figure 330 */
struct xnvme_spec_cmd_sfeat {
	uint32_t cdw00_09[10];
	union {
		struct {
			uint32_t fid : 8; ///< Feature identifier
			uint32_t rsvd10 : 23;
			uint32_t save : 1;
		};
		uint32_t val;
	} cdw10;
	struct xnvme_spec_feat feat; ///< Feature specific value (CDW11)
	uint32_t cdw12;
	uint32_t cdw13_15[3];
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd_sfeat) == 64, "Incorrect size")

/**
 * Submission queue entry with views per command kind, NVMe 2.0 Figure 87; cdw[] is this library's
 * view by dword number
 */
struct xnvme_spec_cmd {
	union {
		struct xnvme_spec_cmd_common common;
		struct xnvme_spec_cmd_sanitize sanitize;
		struct xnvme_spec_cmd_format format;
		struct xnvme_spec_cmd_log log;
		struct xnvme_spec_cmd_gfeat gfeat;
		struct xnvme_spec_cmd_sfeat sfeat;
		struct xnvme_spec_cmd_idfy idfy;
		struct xnvme_spec_cmd_dsend dsend;
		struct xnvme_spec_cmd_drecv drecv;
		struct xnvme_spec_cmd_nvm nvm;
		struct xnvme_spec_cmd_dsm dsm;
		struct xnvme_spec_nvm_cmd_scopy scopy;
		struct xnvme_spec_nvm_write_zeroes write_zeroes;
		struct xnvme_spec_znd_cmd znd;
		struct xnvme_spec_io_mgmt_cmd mgmt;
		struct xnvme_spec_kvs_cmd kvs;
		struct xnvme_spec_nvm_compare compare;
		uint32_t cdw[16];
	};
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_cmd) == 64, "Incorrect size")

/*
 * Printers of submission entries and command data (YAML). Each `_fpr` writes to @p stream and
 * returns the number of characters written, `_pr` writes to stdout; @p opts is an enum xnvme_pr.
 * XNVME_PR_TERSE alone is not supported: they print a "# ENOSYS" comment instead, as xNVMe does.
 */

/**
 * Prints the sixteen dwords of @p cmd as a YAML sequence: in binary with XNVME_PR_DEF, in hex with
 * XNVME_PR_YAML; with XNVME_PR_YAML | XNVME_PR_TERSE it prints the common fields by name.
 */
int xnvme_spec_cmd_fpr(FILE *stream, struct xnvme_spec_cmd *cmd, int opts);
int xnvme_spec_cmd_pr(struct xnvme_spec_cmd *cmd, int opts);

/** Prints one copy source range entry */
int xnvme_spec_nvm_scopy_fmt_zero_fpr(FILE *stream,
				      const struct xnvme_spec_nvm_scopy_fmt_zero *entry, int opts);
int xnvme_spec_nvm_scopy_fmt_zero_pr(const struct xnvme_spec_nvm_scopy_fmt_zero *entry, int opts);

/** Prints entries 0 to @p nr (zero-based count, at most the XNVME_SPEC_NVM_SCOPY_NENTRY_MAX) */
int xnvme_spec_nvm_scopy_source_range_fpr(FILE *stream,
					  const struct xnvme_spec_nvm_scopy_source_range *srange,
					  uint8_t nr, int opts);
int xnvme_spec_nvm_scopy_source_range_pr(const struct xnvme_spec_nvm_scopy_source_range *srange,
					 uint8_t nr, int opts);

/** Prints a zone descriptor as the document "xnvme_spec_znd_descr" */
int xnvme_spec_znd_descr_fpr(FILE *stream, const struct xnvme_spec_znd_descr *descr, int opts);
int xnvme_spec_znd_descr_pr(const struct xnvme_spec_znd_descr *descr, int opts);

/**
 * Prints the fields of a zone descriptor, each indented by @p indent spaces, with @p sep between
 * them (e.g. "\n" for a block, ", " for one line); no header and nothing after the last field
 */
int xnvme_spec_znd_descr_fpr_yaml(FILE *stream, const struct xnvme_spec_znd_descr *descr,
				  int indent, const char *sep);

/** Prints the header of a zone report */
int xnvme_spec_znd_report_hdr_fpr(FILE *stream, const struct xnvme_spec_znd_report_hdr *hdr,
				  int opts);
int xnvme_spec_znd_report_hdr_pr(const struct xnvme_spec_znd_report_hdr *hdr, int opts);

/** Error recovery feature fields from a raw value */
#define XNVME_SPEC_FEAT_ERROR_RECOVERY_DULBE(feat) ((feat) & (1 << 16))
#define XNVME_SPEC_FEAT_ERROR_RECOVERY_TLER(feat)  ((feat)&0xffff)

/** Media feedback feature fields from a raw value */
#define XNVME_SPEC_FEAT_MEDIA_FEEDBACK_HECC(feat)  ((feat)&0x1)
#define XNVME_SPEC_FEAT_MEDIA_FEEDBACK_VHECC(feat) ((feat)&0x2)

/**
 * NVMe controller registers (PCIe BAR0), NVMe 2.0 Figure 33. Packed: it is read and written as
 * it sits in the device's memory.
 */
struct __attribute__((packed)) xnvme_spec_ctrlr_bar {
	uint64_t cap;   ///< Controller capabilities
	uint32_t vs;    ///< Version, see union xnvme_spec_vs_register
	uint32_t intms; ///< Interrupt mask set
	uint32_t intmc; ///< Interrupt mask clear
	uint32_t cc;    ///< Controller configuration
	uint32_t rsvd24;
	uint32_t csts;   ///< Controller status
	uint32_t nssr;   ///< NVM subsystem reset
	uint32_t aqa;    ///< Admin queue attributes
	uint64_t asq;    ///< Admin submission queue base address
	uint64_t acq;    ///< Admin completion queue base address
	uint32_t cmbloc; ///< Controller memory buffer location
	uint32_t cmbsz;  ///< Controller memory buffer size
	uint32_t bpinfo; ///< Boot partition information
	uint32_t bprsel; ///< Boot partition read select
	uint64_t bpmbl;  ///< Boot partition memory buffer location
	uint64_t cmbmsc; ///< Controller memory buffer memory space control
	uint32_t cmbsts; ///< Controller memory buffer status
	uint8_t rsvd92[3492];
	uint32_t pmrcap;  ///< Persistent memory region capabilities
	uint32_t pmrctl;  ///< PMR control
	uint32_t pmrsts;  ///< PMR status
	uint32_t pmrebs;  ///< PMR elasticity buffer size
	uint32_t pmrswtp; ///< PMR sustained write throughput
	uint32_t pmrmscl; ///< PMR memory space control, lower
	uint32_t pmrmscu; ///< PMR memory space control, upper
	uint8_t css[484]; ///< Command set specific
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_spec_ctrlr_bar) == 4096, "Incorrect size")
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_ctrlr_bar, cmbsts, 88)
XNVME_SPEC_OFFSET_ASSERT(struct xnvme_spec_ctrlr_bar, pmrcap, 0xE00)

#ifdef __cplusplus
}
#endif

#endif
