/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The specification's names (upper case) of NVMe status codes, opcodes and zone states, as tables
 * indexed by the code, with a bound, so a lookup cannot go out of bounds. The names xNVMe gives
 * its enum values (xnvme_spec_*_str()) are in spec_str_cmd.c.
 */
#include "spec_pp.h"

/*
 * Status codes by status code type (NVMe 2.0, "Status Code Type"): 0 generic, 1 command specific,
 * 2 media and data integrity, 3 path related
 */
static const char *const g_sc[4][256] = {
    /* NVMe 2.0 "Generic Command Status Values"; 80h-89h are the NVM and KV command sets' own */
    [0][0x00] = "SUCCESS",
    [0][0x01] = "INVALID_OPCODE",
    [0][0x02] = "INVALID_FIELD",
    [0][0x03] = "COMMAND_ID_CONFLICT",
    [0][0x04] = "DATA_TRANSFER_ERROR",
    [0][0x05] = "ABORTED_POWER_LOSS",
    [0][0x06] = "INTERNAL_DEVICE_ERROR",
    [0][0x07] = "ABORTED_BY_REQUEST",
    [0][0x08] = "ABORTED_SQ_DELETION",
    [0][0x09] = "ABORTED_FAILED_FUSED",
    [0][0x0A] = "ABORTED_MISSING_FUSED",
    [0][0x0B] = "INVALID_NAMESPACE_OR_FORMAT",
    [0][0x0C] = "COMMAND_SEQUENCE_ERROR",
    [0][0x0D] = "INVALID_SGL_SEGMENT_DESCRIPTOR",
    [0][0x0E] = "INVALID_NUMBER_OF_SGL_DESCRIPTORS",
    [0][0x0F] = "DATA_SGL_LENGTH_INVALID",
    [0][0x10] = "METADATA_SGL_LENGTH_INVALID",
    [0][0x11] = "SGL_DESCRIPTOR_TYPE_INVALID",
    [0][0x12] = "INVALID_USE_OF_CONTROLLER_MEMORY_BUFFER",
    [0][0x13] = "PRP_OFFSET_INVALID",
    [0][0x14] = "ATOMIC_WRITE_UNIT_EXCEEDED",
    [0][0x15] = "OPERATION_DENIED",
    [0][0x16] = "SGL_OFFSET_INVALID",
    [0][0x18] = "HOST_IDENTIFIER_INCONSISTENT_FORMAT",
    [0][0x19] = "KEEP_ALIVE_TIMER_EXPIRED",
    [0][0x1A] = "KEEP_ALIVE_TIMEOUT_INVALID",
    [0][0x1B] = "ABORTED_PREEMPT_AND_ABORT",
    [0][0x1C] = "SANITIZE_FAILED",
    [0][0x1D] = "SANITIZE_IN_PROGRESS",
    [0][0x1E] = "SGL_DATA_BLOCK_GRANULARITY_INVALID",
    [0][0x1F] = "COMMAND_NOT_SUPPORTED_FOR_QUEUE_IN_CMB",
    [0][0x20] = "NAMESPACE_IS_WRITE_PROTECTED",
    [0][0x21] = "COMMAND_INTERRUPTED",
    [0][0x22] = "TRANSIENT_TRANSPORT_ERROR",
    [0][0x23] = "COMMAND_PROHIBITED_BY_LOCKDOWN",
    [0][0x24] = "ADMIN_COMMAND_MEDIA_NOT_READY",
    [0][0x80] = "LBA_OUT_OF_RANGE",
    [0][0x81] = "CAPACITY_EXCEEDED",
    [0][0x82] = "NAMESPACE_NOT_READY",
    [0][0x83] = "RESERVATION_CONFLICT",
    [0][0x84] = "FORMAT_IN_PROGRESS",
    [0][0x85] = "INVALID_VALUE_SIZE",
    [0][0x86] = "INVALID_KEY_SIZE",
    [0][0x87] = "KV_KEY_DOES_NOT_EXIST",
    [0][0x88] = "UNRECOVERED_ERROR",
    [0][0x89] = "KEY_EXISTS",
    /*
     * NVMe 2.0 "Command Specific Status Values"; 80h-83h from the NVM command set, 7Fh and
     * B8h-BFh from the zoned namespace command set (ZNS 1.1)
     */
    [1][0x00] = "COMPLETION_QUEUE_INVALID",
    [1][0x01] = "INVALID_QUEUE_IDENTIFIER",
    [1][0x02] = "INVALID_QUEUE_SIZE",
    [1][0x03] = "ABORT_COMMAND_LIMIT_EXCEEDED",
    [1][0x05] = "ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED",
    [1][0x06] = "INVALID_FIRMWARE_SLOT",
    [1][0x07] = "INVALID_FIRMWARE_IMAGE",
    [1][0x08] = "INVALID_INTERRUPT_VECTOR",
    [1][0x09] = "INVALID_LOG_PAGE",
    [1][0x0A] = "INVALID_FORMAT",
    [1][0x0B] = "FIRMWARE_REQUIRES_CONVENTIONAL_RESET",
    [1][0x0C] = "INVALID_QUEUE_DELETION",
    [1][0x0D] = "FEATURE_NOT_SAVEABLE",
    [1][0x0E] = "FEATURE_NOT_CHANGEABLE",
    [1][0x0F] = "FEATURE_NOT_NAMESPACE_SPECIFIC",
    [1][0x10] = "FIRMWARE_REQUIRES_NVM_SUBSYSTEM_RESET",
    [1][0x11] = "FIRMWARE_REQUIRES_CONTROLLER_RESET",
    [1][0x12] = "FIRMWARE_REQUIRES_MAX_TIME_VIOLATION",
    [1][0x13] = "FIRMWARE_ACTIVATION_PROHIBITED",
    [1][0x14] = "OVERLAPPING_RANGE",
    [1][0x15] = "NAMESPACE_INSUFFICIENT_CAPACITY",
    [1][0x16] = "NAMESPACE_IDENTIFIER_UNAVAILABLE",
    [1][0x18] = "NAMESPACE_ALREADY_ATTACHED",
    [1][0x19] = "NAMESPACE_IS_PRIVATE",
    [1][0x1A] = "NAMESPACE_NOT_ATTACHED",
    [1][0x1B] = "THIN_PROVISIONING_NOT_SUPPORTED",
    [1][0x1C] = "CONTROLLER_LIST_INVALID",
    [1][0x1D] = "DEVICE_SELF_TEST_IN_PROGRESS",
    [1][0x1E] = "BOOT_PARTITION_WRITE_PROHIBITED",
    [1][0x1F] = "INVALID_CONTROLLER_IDENTIFIER",
    [1][0x20] = "INVALID_SECONDARY_CONTROLLER_STATE",
    [1][0x21] = "INVALID_NUMBER_OF_CONTROLLER_RESOURCES",
    [1][0x22] = "INVALID_RESOURCE_IDENTIFIER",
    [1][0x23] = "SANITIZE_PROHIBITED_WHILE_PMR_ENABLED",
    [1][0x24] = "ANA_GROUP_IDENTIFIER_INVALID",
    [1][0x25] = "ANA_ATTACH_FAILED",
    [1][0x26] = "INSUFFICIENT_CAPACITY",
    [1][0x27] = "NAMESPACE_ATTACHMENT_LIMIT_EXCEEDED",
    [1][0x28] = "PROHIBITION_OF_COMMAND_EXECUTION_NOT_SUPPORTED",
    [1][0x29] = "IO_COMMAND_SET_NOT_SUPPORTED",
    [1][0x2A] = "IO_COMMAND_SET_NOT_ENABLED",
    [1][0x2B] = "IO_COMMAND_SET_COMBINATION_REJECTED",
    [1][0x2C] = "INVALID_IO_COMMAND_SET",
    [1][0x2D] = "IDENTIFIER_UNAVAILABLE",
    [1][0x7F] = "ZONED_INVALID_FORMAT",
    [1][0x80] = "CONFLICTING_ATTRIBUTES",
    [1][0x81] = "INVALID_PROTECTION_INFORMATION",
    [1][0x82] = "ATTEMPTED_WRITE_TO_READ_ONLY_RANGE",
    [1][0x83] = "COMMAND_SIZE_LIMIT_EXCEEDED",
    [1][0xB8] = "ZONE_BOUNDARY_ERROR",
    [1][0xB9] = "ZONE_IS_FULL",
    [1][0xBA] = "ZONE_IS_READ_ONLY",
    [1][0xBB] = "ZONE_IS_OFFLINE",
    [1][0xBC] = "ZONE_INVALID_WRITE",
    [1][0xBD] = "TOO_MANY_ACTIVE_ZONES",
    [1][0xBE] = "TOO_MANY_OPEN_ZONES",
    [1][0xBF] = "INVALID_ZONE_STATE_TRANSITION",
    /* NVMe 2.0 "Media and Data Integrity Errors" */
    [2][0x80] = "WRITE_FAULT",
    [2][0x81] = "UNRECOVERED_READ_ERROR",
    [2][0x82] = "END_TO_END_GUARD_CHECK_ERROR",
    [2][0x83] = "END_TO_END_APPLICATION_TAG_CHECK_ERROR",
    [2][0x84] = "END_TO_END_REFERENCE_TAG_CHECK_ERROR",
    [2][0x85] = "COMPARE_FAILURE",
    [2][0x86] = "ACCESS_DENIED",
    [2][0x87] = "DEALLOCATED_OR_UNWRITTEN_LOGICAL_BLOCK",
    [2][0x88] = "END_TO_END_STORAGE_TAG_CHECK_ERROR",
    /* NVMe 2.0 "Path Related Status" */
    [3][0x00] = "INTERNAL_PATH_ERROR",
    [3][0x01] = "ASYMMETRIC_ACCESS_PERSISTENT_LOSS",
    [3][0x02] = "ASYMMETRIC_ACCESS_INACCESSIBLE",
    [3][0x03] = "ASYMMETRIC_ACCESS_TRANSITION",
    [3][0x60] = "CONTROLLER_PATHING_ERROR",
    [3][0x70] = "HOST_PATHING_ERROR",
    [3][0x71] = "COMMAND_ABORTED_BY_HOST",
};

const char *
xnvme_spec_status_str(uint8_t sct, uint8_t sc)
{
	return sct < 4 && g_sc[sct][sc] ? g_sc[sct][sc] : "UNKNOWN";
}

enum spec_opc_set {
	SPEC_OPC_ADMIN,
	SPEC_OPC_IO,
};

static const char *const g_opc[2][256] = {
    /* NVMe 2.0 "Opcodes for Admin Commands", with the fabrics command opcode */
    [SPEC_OPC_ADMIN][0x00] = "DELETE_IO_SQ",
    [SPEC_OPC_ADMIN][0x01] = "CREATE_IO_SQ",
    [SPEC_OPC_ADMIN][0x02] = "GET_LOG_PAGE",
    [SPEC_OPC_ADMIN][0x04] = "DELETE_IO_CQ",
    [SPEC_OPC_ADMIN][0x05] = "CREATE_IO_CQ",
    [SPEC_OPC_ADMIN][0x06] = "IDENTIFY",
    [SPEC_OPC_ADMIN][0x08] = "ABORT",
    [SPEC_OPC_ADMIN][0x09] = "SET_FEATURES",
    [SPEC_OPC_ADMIN][0x0A] = "GET_FEATURES",
    [SPEC_OPC_ADMIN][0x0C] = "ASYNC_EVENT_REQUEST",
    [SPEC_OPC_ADMIN][0x0D] = "NAMESPACE_MANAGEMENT",
    [SPEC_OPC_ADMIN][0x10] = "FIRMWARE_COMMIT",
    [SPEC_OPC_ADMIN][0x11] = "FIRMWARE_IMAGE_DOWNLOAD",
    [SPEC_OPC_ADMIN][0x14] = "DEVICE_SELF_TEST",
    [SPEC_OPC_ADMIN][0x15] = "NAMESPACE_ATTACHMENT",
    [SPEC_OPC_ADMIN][0x18] = "KEEP_ALIVE",
    [SPEC_OPC_ADMIN][0x19] = "DIRECTIVE_SEND",
    [SPEC_OPC_ADMIN][0x1A] = "DIRECTIVE_RECEIVE",
    [SPEC_OPC_ADMIN][0x1C] = "VIRTUALIZATION_MANAGEMENT",
    [SPEC_OPC_ADMIN][0x1D] = "NVME_MI_SEND",
    [SPEC_OPC_ADMIN][0x1E] = "NVME_MI_RECEIVE",
    [SPEC_OPC_ADMIN][0x20] = "CAPACITY_MANAGEMENT",
    [SPEC_OPC_ADMIN][0x24] = "LOCKDOWN",
    [SPEC_OPC_ADMIN][0x7C] = "DOORBELL_BUFFER_CONFIG",
    [SPEC_OPC_ADMIN][0x7F] = "FABRICS",
    [SPEC_OPC_ADMIN][0x80] = "FORMAT_NVM",
    [SPEC_OPC_ADMIN][0x81] = "SECURITY_SEND",
    [SPEC_OPC_ADMIN][0x82] = "SECURITY_RECEIVE",
    [SPEC_OPC_ADMIN][0x84] = "SANITIZE",
    [SPEC_OPC_ADMIN][0x86] = "GET_LBA_STATUS",
    /* I/O opcodes of the NVM (1.0) and zoned (ZNS 1.1) command sets and the FS pseudo command set
     */
    [SPEC_OPC_IO][0x00] = "FLUSH",
    [SPEC_OPC_IO][0x01] = "WRITE",
    [SPEC_OPC_IO][0x02] = "READ",
    [SPEC_OPC_IO][0x04] = "WRITE_UNCORRECTABLE",
    [SPEC_OPC_IO][0x05] = "COMPARE",
    [SPEC_OPC_IO][0x08] = "WRITE_ZEROES",
    [SPEC_OPC_IO][0x09] = "DATASET_MANAGEMENT",
    [SPEC_OPC_IO][0x0C] = "VERIFY",
    [SPEC_OPC_IO][0x0D] = "RESERVATION_REGISTER",
    [SPEC_OPC_IO][0x0E] = "RESERVATION_REPORT",
    [SPEC_OPC_IO][0x11] = "RESERVATION_ACQUIRE",
    [SPEC_OPC_IO][0x15] = "RESERVATION_RELEASE",
    [SPEC_OPC_IO][0x19] = "COPY",
    [SPEC_OPC_IO][0x79] = "ZONE_MGMT_SEND",
    [SPEC_OPC_IO][0x7A] = "ZONE_MGMT_RECV",
    [SPEC_OPC_IO][0x7D] = "ZONE_APPEND",
    [SPEC_OPC_IO][0xAC] = "FS_WRITE",
    [SPEC_OPC_IO][0xAD] = "FS_FLUSH",
    [SPEC_OPC_IO][0xDC] = "FS_READ",
};

static const char *
opc_name(enum spec_opc_set set, uint8_t opc)
{
	return g_opc[set][opc] ? g_opc[set][opc] : "UNKNOWN";
}

const char *
spec_adm_opc_name(uint8_t opc)
{
	return opc_name(SPEC_OPC_ADMIN, opc);
}

const char *
spec_io_opc_name(uint8_t opc)
{
	return opc_name(SPEC_OPC_IO, opc);
}

/* Zone states, ZNS 1.1 (a 4-bit field of the zone descriptor) */
static const char *const g_znd_state[16] = {
    [0x1] = "EMPTY", [0x2] = "IOPEN", [0x3] = "EOPEN",   [0x4] = "CLOSED",
    [0xD] = "RONLY", [0xE] = "FULL",  [0xF] = "OFFLINE",
};

const char *
spec_znd_state_name(uint8_t zs)
{
	return zs < 16 && g_znd_state[zs] ? g_znd_state[zs] : "UNKNOWN";
}
