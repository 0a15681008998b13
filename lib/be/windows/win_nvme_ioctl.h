/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal (Windows backend): request builders and response parsers for NVMe admin commands over
 * the Windows storage IOCTLs. Nothing here opens a handle or calls DeviceIoControl: the functions
 * fill and read caller memory, so they are unit-tested without a device
 * (tests/unit/test_win_nvme_ioctl.c). Every function returns 0 or a negative errno.
 *
 * Which NVMe admin command goes where (win_nvme_map_admin), from Microsoft's documentation
 * ("Working with NVMe drives", STORAGE_PROTOCOL_SPECIFIC_DATA, STORAGE_PROTOCOL_NVME_DATA_TYPE,
 * "StorNVMe command set support"):
 *
 *   opcode                    route                          request fields
 *   06h Identify  CNS 00h     QUERY_PROPERTY, device prop.   Value = CNS, SubValue = NSID
 *   06h Identify  CNS 01h     QUERY_PROPERTY, adapter prop.  Value = CNS, SubValue = 0
 *   02h Get Log Page          QUERY_PROPERTY, adapter prop.  Value = LID, SubValue/SubValue2 =
 *                             (NSID 0 or FFFFFFFFh), else    offset low/high (LPOL/LPOU),
 *                             device prop.                   SubValue3 = LSI, SubValue4 =
 *                                                            {RAE bit 0, LSP bits 4:1}
 *   0Ah Get Features          QUERY_PROPERTY, adapter prop.  Value = CDW10 (FID, SEL),
 *                             (NSID 0 or FFFFFFFFh), else    SubValue = CDW11,
 *                             device prop.                   SubValue2 = CDW12; CDW0 comes back
 *                                                            in FixedProtocolReturnData
 *   anything else not below   PROTOCOL_COMMAND               the 64-byte command, data one way
 *
 * Refused with -ENOSYS (Windows gives no way to send them from user space, or the driver owns
 * them): Identify with any CNS other than 00h/01h (Microsoft documents only those two for the
 * query; CNS 02h is documented as unsupported, and Identify is not a pass-through command);
 * create/delete I/O SQ/CQ (00h, 01h, 04h, 05h), Abort (08h), Asynchronous Event Request (0Ch),
 * Keep Alive (18h), Virtualization Management (1Ch), Doorbell Buffer Config (7Ch): StorNVMe owns
 * the queues and these; Set Features (09h): only IOCTL_STORAGE_SET_PROPERTY for host controlled
 * thermal management; Firmware Commit / Image Download (10h, 11h): IOCTL_STORAGE_FIRMWARE_*, not
 * here; Directive Send / Receive (19h, 1Ah): driver internal use.
 *
 * Refused with -EINVAL (the request cannot be expressed): a metadata buffer (neither IOCTL carries
 * one); a fused command; data in both directions (opcode bits 1:0 = 11b); data given to a command
 * whose opcode says it moves none; a data buffer shorter than what the command transfers (Get Log
 * Page NUMD, Identify 4096 bytes); a Get Log Page with LSP above 15 (the sub-value has four bits),
 * a UUID index, offset type or CSI; a Get Features with CDW13 or a UUID index; an Identify with a
 * UUID index; a length that does not fit the IOCTL's 32-bit sizes.
 *
 * ProtocolDataLength: Microsoft documents it as at least 512 bytes when data is asked for, so a
 * shorter Get Log Page or Get Features transfer asks for 512 and only the caller's bytes are copied
 * out (win_nvme_map.data_len); Identify always asks for 4096.
 *
 * The pass-through route does not promise the command runs: StorNVMe passes vendor specific
 * commands (C0h-FFh) listed in the controller's Commands Supported and Effects log, and the few
 * its command set table marks IOCTL_STORAGE_PROTOCOL_COMMAND (Device Self-test; Namespace
 * Management/Attachment and NVMe-MI only on WinPE); it answers the rest with an error
 * (ERROR_INVALID_FUNCTION is what is reported), which the backend returns.
 *
 * None of this was run against a real Windows NVMe device here: Wine answers the storage IOCTLs
 * with ERROR_NOT_SUPPORTED. The unit test checks the byte layouts against the SDK structures
 * mingw-w64 ships and the documented offsets.
 */
#ifndef __WIN_NVME_IOCTL_H
#define __WIN_NVME_IOCTL_H

#include <stddef.h>
#include <stdint.h>
#include <libxnvme_spec.h>

#pragma GCC visibility push(hidden)

/*
 * IOCTL_STORAGE_PROTOCOL_COMMAND's buffer. mingw-w64 10 has the IOCTL code but not the structure
 * nor its constants, so they are declared here under our own names from the documented SDK
 * layout (winioctl.h, Windows 10 SDK): twenty 32-bit fields, then the command bytes. Sizes and
 * offsets are asserted in win_nvme_ioctl.c.
 */
struct win_storage_protocol_command {
	uint32_t version;                 ///< WIN_SPC_STRUCTURE_VERSION
	uint32_t length;                  ///< sizeof the structure: WIN_SPC_LENGTH
	uint32_t protocol_type;           ///< STORAGE_PROTOCOL_TYPE: ProtocolTypeNvme (3)
	uint32_t flags;                   ///< WIN_SPC_FLAG_*
	uint32_t return_status;           ///< WIN_SPC_STATUS_*, set by the driver
	uint32_t error_code;              ///< optionally set by the driver
	uint32_t command_length;          ///< WIN_SPC_COMMAND_LENGTH_NVME
	uint32_t error_info_length;       ///< bytes reserved for error information
	uint32_t data_to_device_length;   ///< DataToDeviceTransferLength
	uint32_t data_from_device_length; ///< DataFromDeviceTransferLength
	uint32_t timeout_value;           ///< seconds
	uint32_t error_info_offset;       ///< from the start of this structure
	uint32_t data_to_device_offset;   ///< from the start of this structure
	uint32_t data_from_device_offset; ///< from the start of this structure
	uint32_t command_specific;        ///< WIN_SPC_SPECIFIC_NVME_*
	uint32_t reserved0;
	uint32_t fixed_protocol_return_data;  ///< NVMe completion dword 0
	uint32_t fixed_protocol_return_data2; ///< reserved in older SDKs, not read here
	uint32_t reserved1[2];
	uint8_t command[1]; ///< ANYSIZE_ARRAY: the command starts here
};

#define WIN_SPC_STRUCTURE_VERSION    0x1u
#define WIN_SPC_LENGTH               84u ///< documented sizeof(STORAGE_PROTOCOL_COMMAND) on x86-64
#define WIN_SPC_HDR_LEN              80u ///< offset of Command
#define WIN_SPC_FLAG_ADAPTER_REQUEST 0x80000000u
#define WIN_SPC_COMMAND_LENGTH_NVME  0x40u
#define WIN_SPC_SPECIFIC_NVME_ADMIN  0x01u
#define WIN_SPC_SPECIFIC_NVME_NVM    0x02u
#define WIN_SPC_ERROR_INFO_LEN       64u ///< one Error Information log entry (NVMe 2.0 Figure 205)

/** ReturnStatus values */
enum win_spc_status {
	WIN_SPC_STATUS_PENDING = 0x0,
	WIN_SPC_STATUS_SUCCESS = 0x1,
	WIN_SPC_STATUS_ERROR = 0x2,
	WIN_SPC_STATUS_INVALID_REQUEST = 0x3,
	WIN_SPC_STATUS_NO_DEVICE = 0x4,
	WIN_SPC_STATUS_BUSY = 0x5,
	WIN_SPC_STATUS_DATA_OVERRUN = 0x6,
	WIN_SPC_STATUS_INSUFFICIENT_RESOURCES = 0x7,
	WIN_SPC_STATUS_THROTTLED_REQUEST = 0x8,
	WIN_SPC_STATUS_NOT_SUPPORTED = 0xFF,
};

/** Pass-through buffer: header, command, one error information entry, then the data */
#define WIN_SPC_ERROR_INFO_OFFSET (WIN_SPC_HDR_LEN + WIN_SPC_COMMAND_LENGTH_NVME)
#define WIN_SPC_DATA_OFFSET       (WIN_SPC_ERROR_INFO_OFFSET + WIN_SPC_ERROR_INFO_LEN)

/**
 * IOCTL_STORAGE_QUERY_PROPERTY's buffer: STORAGE_PROPERTY_QUERY whose AdditionalParameters is a
 * STORAGE_PROTOCOL_SPECIFIC_DATA, the data right after it. The answer, a
 * STORAGE_PROTOCOL_DATA_DESCRIPTOR, has the same shape: Version and Size where PropertyId and
 * QueryType were.
 */
#define WIN_NVME_QUERY_PSD_OFFSET 8u    ///< offset of AdditionalParameters / ProtocolSpecificData
#define WIN_NVME_QUERY_PSD_LEN    40u   ///< sizeof(STORAGE_PROTOCOL_SPECIFIC_DATA)
#define WIN_NVME_QUERY_HDR_LEN    48u   ///< where the data starts
#define WIN_NVME_IDFY_NBYTES      4096u ///< every Identify data structure

/** Where win_nvme_map_admin sends a command */
enum win_nvme_route {
	WIN_NVME_ROUTE_QUERY = 1, ///< IOCTL_STORAGE_QUERY_PROPERTY
	WIN_NVME_ROUTE_PCMD = 2,  ///< IOCTL_STORAGE_PROTOCOL_COMMAND
};

/** Direction of a pass-through's data, from the host's side */
enum win_nvme_dir {
	WIN_NVME_DIR_NONE = 0,
	WIN_NVME_DIR_TO_DEV = 1,
	WIN_NVME_DIR_FROM_DEV = 2,
};

/** The fields of one protocol-specific query (STORAGE_PROTOCOL_SPECIFIC_DATA's request part) */
struct win_nvme_query {
	uint32_t property_id; ///< StorageAdapter- or StorageDeviceProtocolSpecificProperty
	uint32_t data_type;   ///< NVMeDataTypeIdentify, NVMeDataTypeLogPage or NVMeDataTypeFeature
	uint32_t value;       ///< ProtocolDataRequestValue
	uint32_t subvalue;    ///< ProtocolDataRequestSubValue
	uint32_t subvalue2;
	uint32_t subvalue3;
	uint32_t subvalue4;
	uint32_t
	    data_len; ///< ProtocolDataLength: bytes the answer carries (0: none, e.g. features)
};

/** What win_nvme_map_admin decided */
struct win_nvme_map {
	enum win_nvme_route route;
	struct win_nvme_query query; ///< with WIN_NVME_ROUTE_QUERY
	enum win_nvme_dir dir;       ///< with WIN_NVME_ROUTE_PCMD
	/**
	 * Bytes of the caller's buffer that the command fills or sends: what to copy out of a
	 * query's answer (at most query.data_len), or what a pass-through moves in @p dir.
	 */
	uint32_t data_len;
	/**
	 * The command's NSID. A device-property query addresses the namespace of the handle it is
	 * sent on, not a number in the request: the backend must check this against its handle.
	 */
	uint32_t nsid;
};

/**
 * Decides how the admin command @p cmd with a data buffer of @p dbuf_nbytes and a metadata
 * buffer of @p mbuf_nbytes reaches the device, and fills @p map.
 * Returns 0, -EINVAL for a NULL argument or a request Windows cannot express, -ENOSYS for a
 * command Windows does not let user space send (see the table above).
 */
int win_nvme_map_admin(const struct xnvme_spec_cmd *cmd, size_t dbuf_nbytes, size_t mbuf_nbytes,
		       struct win_nvme_map *map);

/**
 * Bytes of the in/out buffer for the query @p q: header plus q->data_len. Returns 0 when that
 * would not fit DeviceIoControl's 32-bit sizes (or @p q is NULL).
 */
size_t win_nvme_query_buf_len(const struct win_nvme_query *q);

/**
 * Writes the query @p q into @p buf of @p buf_len bytes (zeroing the data area) and sets
 * *@p req_len to the bytes to pass as both input and output length.
 * Returns 0, -EINVAL for NULL arguments, -ENOBUFS when @p buf_len < win_nvme_query_buf_len().
 */
int win_nvme_query_build(void *buf, size_t buf_len, const struct win_nvme_query *q,
			 size_t *req_len);

/**
 * Reads the answer to a query: @p buf of @p buf_len bytes, of which the driver reported @p nret
 * written. Checks the descriptor's Version and Size, that the protocol is NVMe, that
 * ProtocolDataOffset/ProtocolDataLength lie inside the @p nret bytes and that at least
 * @p data_len bytes came back; copies @p data_len bytes into @p data and, when @p cdw0 is not
 * NULL, stores FixedProtocolReturnData there (Get Features' completion dword 0).
 * Returns 0, -EINVAL for NULL arguments or @p nret > @p buf_len, -EPROTO for an answer that fails
 * a check (nothing is copied then).
 */
int win_nvme_query_parse(const void *buf, size_t buf_len, size_t nret, void *data, size_t data_len,
			 uint32_t *cdw0);

/** What to pass through with IOCTL_STORAGE_PROTOCOL_COMMAND */
struct win_nvme_pcmd {
	const struct xnvme_spec_cmd *cmd; ///< copied with its data and metadata pointers cleared
	int admin;                        ///< 1: admin command, 0: NVM (I/O) command
	enum win_nvme_dir dir;
	uint32_t data_len;    ///< bytes to move in @p dir (0 with WIN_NVME_DIR_NONE)
	const void *data_out; ///< WIN_NVME_DIR_TO_DEV: the @p data_len bytes to send
	uint32_t timeout_s;   ///< TimeOutValue, seconds
};

/** Bytes of the pass-through buffer for @p data_len bytes of data; 0 when it would not fit */
size_t win_nvme_pcmd_buf_len(size_t data_len);

/**
 * Writes the pass-through request @p req into @p buf of @p buf_len bytes and sets *@p req_len to
 * the bytes to pass as both input and output length.
 * Returns 0, -EINVAL for NULL arguments, a fused command, an unknown direction or data without a
 * direction (or the reverse), -ENOBUFS when @p buf_len < win_nvme_pcmd_buf_len().
 */
int win_nvme_pcmd_build(void *buf, size_t buf_len, const struct win_nvme_pcmd *req,
			size_t *req_len);

/**
 * Reads the answer to a pass-through: @p buf of @p buf_len bytes, @p nret of them written by the
 * driver. Fills @p cpl (cdw0 from FixedProtocolReturnData; the NVMe status from the error
 * information entry when ReturnStatus is ERROR, Internal Error when that entry has none). On
 * success copies @p data_len bytes that came from the device into @p data_in (may be NULL when
 * @p data_len is 0).
 * Returns 0, -EIO when the command completed with an NVMe error (status in @p cpl), the errno
 * matching any other ReturnStatus (-EINVAL invalid request, -ENODEV, -EBUSY, -EOVERFLOW data
 * overrun, -ENOMEM, -EAGAIN throttled or pending, -ENOSYS not supported), -EPROTO for an answer
 * that fails a check (Version, Length, protocol, offsets outside the @p nret bytes), -EINVAL for
 * NULL arguments or @p nret > @p buf_len.
 */
int win_nvme_pcmd_parse(const void *buf, size_t buf_len, size_t nret, void *data_in,
			size_t data_len, struct xnvme_spec_cpl *cpl);

#pragma GCC visibility pop

#endif
