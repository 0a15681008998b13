/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names of NVMe status codes, opcodes and zone states (the specification's names in upper case)
 * and of command sets, CNS values, log pages and features (xNVMe's enum names), as tables indexed
 * by the code, with a bound, so a lookup cannot go out of bounds.
 */
#include "spec_pp.h"

/* NVMe 2.0 "Generic Command Status Values"; 80h-89h are the NVM and KV command sets' own */
static const char *const g_sc_generic[256] = {
    [0x00] = "SUCCESS",
    [0x01] = "INVALID_OPCODE",
    [0x02] = "INVALID_FIELD",
    [0x03] = "COMMAND_ID_CONFLICT",
    [0x04] = "DATA_TRANSFER_ERROR",
    [0x05] = "ABORTED_POWER_LOSS",
    [0x06] = "INTERNAL_DEVICE_ERROR",
    [0x07] = "ABORTED_BY_REQUEST",
    [0x08] = "ABORTED_SQ_DELETION",
    [0x09] = "ABORTED_FAILED_FUSED",
    [0x0A] = "ABORTED_MISSING_FUSED",
    [0x0B] = "INVALID_NAMESPACE_OR_FORMAT",
    [0x0C] = "COMMAND_SEQUENCE_ERROR",
    [0x0D] = "INVALID_SGL_SEGMENT_DESCRIPTOR",
    [0x0E] = "INVALID_NUMBER_OF_SGL_DESCRIPTORS",
    [0x0F] = "DATA_SGL_LENGTH_INVALID",
    [0x10] = "METADATA_SGL_LENGTH_INVALID",
    [0x11] = "SGL_DESCRIPTOR_TYPE_INVALID",
    [0x12] = "INVALID_USE_OF_CONTROLLER_MEMORY_BUFFER",
    [0x13] = "PRP_OFFSET_INVALID",
    [0x14] = "ATOMIC_WRITE_UNIT_EXCEEDED",
    [0x15] = "OPERATION_DENIED",
    [0x16] = "SGL_OFFSET_INVALID",
    [0x18] = "HOST_IDENTIFIER_INCONSISTENT_FORMAT",
    [0x19] = "KEEP_ALIVE_TIMER_EXPIRED",
    [0x1A] = "KEEP_ALIVE_TIMEOUT_INVALID",
    [0x1B] = "ABORTED_PREEMPT_AND_ABORT",
    [0x1C] = "SANITIZE_FAILED",
    [0x1D] = "SANITIZE_IN_PROGRESS",
    [0x1E] = "SGL_DATA_BLOCK_GRANULARITY_INVALID",
    [0x1F] = "COMMAND_NOT_SUPPORTED_FOR_QUEUE_IN_CMB",
    [0x20] = "NAMESPACE_IS_WRITE_PROTECTED",
    [0x21] = "COMMAND_INTERRUPTED",
    [0x22] = "TRANSIENT_TRANSPORT_ERROR",
    [0x23] = "COMMAND_PROHIBITED_BY_LOCKDOWN",
    [0x24] = "ADMIN_COMMAND_MEDIA_NOT_READY",
    [0x80] = "LBA_OUT_OF_RANGE",
    [0x81] = "CAPACITY_EXCEEDED",
    [0x82] = "NAMESPACE_NOT_READY",
    [0x83] = "RESERVATION_CONFLICT",
    [0x84] = "FORMAT_IN_PROGRESS",
    [0x85] = "INVALID_VALUE_SIZE",
    [0x86] = "INVALID_KEY_SIZE",
    [0x87] = "KV_KEY_DOES_NOT_EXIST",
    [0x88] = "UNRECOVERED_ERROR",
    [0x89] = "KEY_EXISTS",
};

/*
 * NVMe 2.0 "Command Specific Status Values"; 80h-83h from the NVM command set, 7Fh and B8h-BFh
 * from the zoned namespace command set (ZNS 1.1)
 */
static const char *const g_sc_cmdspec[256] = {
    [0x00] = "COMPLETION_QUEUE_INVALID",
    [0x01] = "INVALID_QUEUE_IDENTIFIER",
    [0x02] = "INVALID_QUEUE_SIZE",
    [0x03] = "ABORT_COMMAND_LIMIT_EXCEEDED",
    [0x05] = "ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED",
    [0x06] = "INVALID_FIRMWARE_SLOT",
    [0x07] = "INVALID_FIRMWARE_IMAGE",
    [0x08] = "INVALID_INTERRUPT_VECTOR",
    [0x09] = "INVALID_LOG_PAGE",
    [0x0A] = "INVALID_FORMAT",
    [0x0B] = "FIRMWARE_REQUIRES_CONVENTIONAL_RESET",
    [0x0C] = "INVALID_QUEUE_DELETION",
    [0x0D] = "FEATURE_NOT_SAVEABLE",
    [0x0E] = "FEATURE_NOT_CHANGEABLE",
    [0x0F] = "FEATURE_NOT_NAMESPACE_SPECIFIC",
    [0x10] = "FIRMWARE_REQUIRES_NVM_SUBSYSTEM_RESET",
    [0x11] = "FIRMWARE_REQUIRES_CONTROLLER_RESET",
    [0x12] = "FIRMWARE_REQUIRES_MAX_TIME_VIOLATION",
    [0x13] = "FIRMWARE_ACTIVATION_PROHIBITED",
    [0x14] = "OVERLAPPING_RANGE",
    [0x15] = "NAMESPACE_INSUFFICIENT_CAPACITY",
    [0x16] = "NAMESPACE_IDENTIFIER_UNAVAILABLE",
    [0x18] = "NAMESPACE_ALREADY_ATTACHED",
    [0x19] = "NAMESPACE_IS_PRIVATE",
    [0x1A] = "NAMESPACE_NOT_ATTACHED",
    [0x1B] = "THIN_PROVISIONING_NOT_SUPPORTED",
    [0x1C] = "CONTROLLER_LIST_INVALID",
    [0x1D] = "DEVICE_SELF_TEST_IN_PROGRESS",
    [0x1E] = "BOOT_PARTITION_WRITE_PROHIBITED",
    [0x1F] = "INVALID_CONTROLLER_IDENTIFIER",
    [0x20] = "INVALID_SECONDARY_CONTROLLER_STATE",
    [0x21] = "INVALID_NUMBER_OF_CONTROLLER_RESOURCES",
    [0x22] = "INVALID_RESOURCE_IDENTIFIER",
    [0x23] = "SANITIZE_PROHIBITED_WHILE_PMR_ENABLED",
    [0x24] = "ANA_GROUP_IDENTIFIER_INVALID",
    [0x25] = "ANA_ATTACH_FAILED",
    [0x26] = "INSUFFICIENT_CAPACITY",
    [0x27] = "NAMESPACE_ATTACHMENT_LIMIT_EXCEEDED",
    [0x28] = "PROHIBITION_OF_COMMAND_EXECUTION_NOT_SUPPORTED",
    [0x29] = "IO_COMMAND_SET_NOT_SUPPORTED",
    [0x2A] = "IO_COMMAND_SET_NOT_ENABLED",
    [0x2B] = "IO_COMMAND_SET_COMBINATION_REJECTED",
    [0x2C] = "INVALID_IO_COMMAND_SET",
    [0x2D] = "IDENTIFIER_UNAVAILABLE",
    [0x7F] = "ZONED_INVALID_FORMAT",
    [0x80] = "CONFLICTING_ATTRIBUTES",
    [0x81] = "INVALID_PROTECTION_INFORMATION",
    [0x82] = "ATTEMPTED_WRITE_TO_READ_ONLY_RANGE",
    [0x83] = "COMMAND_SIZE_LIMIT_EXCEEDED",
    [0xB8] = "ZONE_BOUNDARY_ERROR",
    [0xB9] = "ZONE_IS_FULL",
    [0xBA] = "ZONE_IS_READ_ONLY",
    [0xBB] = "ZONE_IS_OFFLINE",
    [0xBC] = "ZONE_INVALID_WRITE",
    [0xBD] = "TOO_MANY_ACTIVE_ZONES",
    [0xBE] = "TOO_MANY_OPEN_ZONES",
    [0xBF] = "INVALID_ZONE_STATE_TRANSITION",
};

/* NVMe 2.0 "Media and Data Integrity Errors" */
static const char *const g_sc_media[256] = {
    [0x80] = "WRITE_FAULT",
    [0x81] = "UNRECOVERED_READ_ERROR",
    [0x82] = "END_TO_END_GUARD_CHECK_ERROR",
    [0x83] = "END_TO_END_APPLICATION_TAG_CHECK_ERROR",
    [0x84] = "END_TO_END_REFERENCE_TAG_CHECK_ERROR",
    [0x85] = "COMPARE_FAILURE",
    [0x86] = "ACCESS_DENIED",
    [0x87] = "DEALLOCATED_OR_UNWRITTEN_LOGICAL_BLOCK",
    [0x88] = "END_TO_END_STORAGE_TAG_CHECK_ERROR",
};

/* NVMe 2.0 "Path Related Status" */
static const char *const g_sc_path[256] = {
    [0x00] = "INTERNAL_PATH_ERROR",
    [0x01] = "ASYMMETRIC_ACCESS_PERSISTENT_LOSS",
    [0x02] = "ASYMMETRIC_ACCESS_INACCESSIBLE",
    [0x03] = "ASYMMETRIC_ACCESS_TRANSITION",
    [0x60] = "CONTROLLER_PATHING_ERROR",
    [0x70] = "HOST_PATHING_ERROR",
    [0x71] = "COMMAND_ABORTED_BY_HOST",
};

static const char *
str_or_unknown(const char *const *table, uint8_t idx)
{
	return table[idx] ? table[idx] : "UNKNOWN";
}

const char *
xnvme_spec_status_str(uint8_t sct, uint8_t sc)
{
	switch (sct) {
	case XNVME_STATUS_CODE_TYPE_GENERIC:
		return str_or_unknown(g_sc_generic, sc);
	case XNVME_STATUS_CODE_TYPE_CMDSPEC:
		return str_or_unknown(g_sc_cmdspec, sc);
	case XNVME_STATUS_CODE_TYPE_MEDIA:
		return str_or_unknown(g_sc_media, sc);
	case XNVME_STATUS_CODE_TYPE_PATH:
		return str_or_unknown(g_sc_path, sc);
	default:
		return "UNKNOWN";
	}
}

/* NVMe 2.0 "Opcodes for Admin Commands", with the fabrics command opcode */
static const char *const g_adm_opc[256] = {
    [0x00] = "DELETE_IO_SQ",
    [0x01] = "CREATE_IO_SQ",
    [0x02] = "GET_LOG_PAGE",
    [0x04] = "DELETE_IO_CQ",
    [0x05] = "CREATE_IO_CQ",
    [0x06] = "IDENTIFY",
    [0x08] = "ABORT",
    [0x09] = "SET_FEATURES",
    [0x0A] = "GET_FEATURES",
    [0x0C] = "ASYNC_EVENT_REQUEST",
    [0x0D] = "NAMESPACE_MANAGEMENT",
    [0x10] = "FIRMWARE_COMMIT",
    [0x11] = "FIRMWARE_IMAGE_DOWNLOAD",
    [0x14] = "DEVICE_SELF_TEST",
    [0x15] = "NAMESPACE_ATTACHMENT",
    [0x18] = "KEEP_ALIVE",
    [0x19] = "DIRECTIVE_SEND",
    [0x1A] = "DIRECTIVE_RECEIVE",
    [0x1C] = "VIRTUALIZATION_MANAGEMENT",
    [0x1D] = "NVME_MI_SEND",
    [0x1E] = "NVME_MI_RECEIVE",
    [0x20] = "CAPACITY_MANAGEMENT",
    [0x24] = "LOCKDOWN",
    [0x7C] = "DOORBELL_BUFFER_CONFIG",
    [0x7F] = "FABRICS",
    [0x80] = "FORMAT_NVM",
    [0x81] = "SECURITY_SEND",
    [0x82] = "SECURITY_RECEIVE",
    [0x84] = "SANITIZE",
    [0x86] = "GET_LBA_STATUS",
};

const char *
spec_adm_opc_name(uint8_t opc)
{
	return str_or_unknown(g_adm_opc, opc);
}

/* I/O opcodes of the NVM (1.0) and zoned (ZNS 1.1) command sets and the FS pseudo command set */
static const char *const g_nvm_opc[256] = {
    [0x00] = "FLUSH",
    [0x01] = "WRITE",
    [0x02] = "READ",
    [0x04] = "WRITE_UNCORRECTABLE",
    [0x05] = "COMPARE",
    [0x08] = "WRITE_ZEROES",
    [0x09] = "DATASET_MANAGEMENT",
    [0x0C] = "VERIFY",
    [0x0D] = "RESERVATION_REGISTER",
    [0x0E] = "RESERVATION_REPORT",
    [0x11] = "RESERVATION_ACQUIRE",
    [0x15] = "RESERVATION_RELEASE",
    [0x19] = "COPY",
    [0x79] = "ZONE_MGMT_SEND",
    [0x7A] = "ZONE_MGMT_RECV",
    [0x7D] = "ZONE_APPEND",
    [0xAC] = "FS_WRITE",
    [0xAD] = "FS_FLUSH",
    [0xDC] = "FS_READ",
};

const char *
spec_io_opc_name(uint8_t opc)
{
	return str_or_unknown(g_nvm_opc, opc);
}

/* Zone states, ZNS 1.1 (a 4-bit field of the zone descriptor) */
static const char *const g_znd_state[16] = {
    [0x1] = "EMPTY", [0x2] = "IOPEN", [0x3] = "EOPEN",   [0x4] = "CLOSED",
    [0xD] = "RONLY", [0xE] = "FULL",  [0xF] = "OFFLINE",
};

const char *
spec_znd_state_name(uint8_t zs)
{
	return zs < 16 ? str_or_unknown(g_znd_state, zs) : "UNKNOWN";
}

/*
 * Names of the values of enum xnvme_spec_csi, _idfy_cns, _log_lpi, _znd_log_lid, _feat_id and
 * _feat_sel: the enum constant without its "XNVME_SPEC_" prefix, as xNVMe names them, and
 * "ENOSYS" for a value the enum does not have.
 */
static const char *
str_or_enosys(const char *const *table, size_t len, unsigned idx)
{
	return idx < len && table[idx] ? table[idx] : "ENOSYS";
}

static const char *const g_csi[] = {
    [XNVME_SPEC_CSI_NVM] = "CSI_NVM",         [XNVME_SPEC_CSI_KV] = "CSI_KV",
    [XNVME_SPEC_CSI_ZONED] = "CSI_ZONED",     [XNVME_SPEC_CSI_FS] = "CSI_FS",
    [XNVME_SPEC_CSI_NOCHECK] = "CSI_NOCHECK",
};

const char *
xnvme_spec_csi_str(enum xnvme_spec_csi eval)
{
	return str_or_enosys(g_csi, XNVME_ARRAY_SIZE(g_csi), (unsigned)eval);
}

static const char *const g_idfy_cns[] = {
    [XNVME_SPEC_IDFY_NS] = "IDFY_NS",
    [XNVME_SPEC_IDFY_CTRLR] = "IDFY_CTRLR",
    [XNVME_SPEC_IDFY_NSLIST] = "IDFY_NSLIST",
    [XNVME_SPEC_IDFY_NSDSCR] = "IDFY_NSDSCR",
    [XNVME_SPEC_IDFY_SETL] = "IDFY_SETL",
    [XNVME_SPEC_IDFY_NS_IOCS] = "IDFY_NS_IOCS",
    [XNVME_SPEC_IDFY_CTRLR_IOCS] = "IDFY_CTRLR_IOCS",
    [XNVME_SPEC_IDFY_NSLIST_IOCS] = "IDFY_NSLIST_IOCS",
    [XNVME_SPEC_IDFY_NSLIST_ALLOC] = "IDFY_NSLIST_ALLOC",
    [XNVME_SPEC_IDFY_NS_ALLOC] = "IDFY_NS_ALLOC",
    [XNVME_SPEC_IDFY_CTRLR_NS] = "IDFY_CTRLR_NS",
    [XNVME_SPEC_IDFY_CTRLR_SUB] = "IDFY_CTRLR_SUB",
    [XNVME_SPEC_IDFY_CTRLR_PRI] = "IDFY_CTRLR_PRI",
    [XNVME_SPEC_IDFY_CTRLR_SEC] = "IDFY_CTRLR_SEC",
    [XNVME_SPEC_IDFY_NSGRAN] = "IDFY_NSGRAN",
    [XNVME_SPEC_IDFY_UUIDL] = "IDFY_UUIDL",
    [XNVME_SPEC_IDFY_NSLIST_ALLOC_IOCS] = "IDFY_NSLIST_ALLOC_IOCS",
    [XNVME_SPEC_IDFY_NS_ALLOC_IOCS] = "IDFY_NS_ALLOC_IOCS",
    [XNVME_SPEC_IDFY_IOCS] = "IDFY_IOCS",
};

const char *
xnvme_spec_idfy_cns_str(enum xnvme_spec_idfy_cns eval)
{
	return str_or_enosys(g_idfy_cns, XNVME_ARRAY_SIZE(g_idfy_cns), (unsigned)eval);
}

static const char *const g_log_lpi[] = {
    [XNVME_SPEC_LOG_RSVD] = "LOG_RSVD",           [XNVME_SPEC_LOG_ERRI] = "LOG_ERRI",
    [XNVME_SPEC_LOG_HEALTH] = "LOG_HEALTH",       [XNVME_SPEC_LOG_FW] = "LOG_FW",
    [XNVME_SPEC_LOG_CHNS] = "LOG_CHNS",           [XNVME_SPEC_LOG_CSAE] = "LOG_CSAE",
    [XNVME_SPEC_LOG_SELFTEST] = "LOG_SELFTEST",   [XNVME_SPEC_LOG_TELEHOST] = "LOG_TELEHOST",
    [XNVME_SPEC_LOG_TELECTRLR] = "LOG_TELECTRLR", [XNVME_SPEC_LOG_FDPCONF] = "LOG_FDPCONF",
    [XNVME_SPEC_LOG_FDPRUHU] = "LOG_FDPRUHU",     [XNVME_SPEC_LOG_FDPSTATS] = "LOG_FDPSTATS",
    [XNVME_SPEC_LOG_FDPEVENTS] = "LOG_FDPEVENTS", [XNVME_SPEC_LOG_SANITIZE] = "LOG_SANITIZE",
};

const char *
xnvme_spec_log_lpi_str(enum xnvme_spec_log_lpi eval)
{
	return str_or_enosys(g_log_lpi, XNVME_ARRAY_SIZE(g_log_lpi), (unsigned)eval);
}

const char *
xnvme_spec_znd_log_lid_str(enum xnvme_spec_znd_log_lid eval)
{
	return eval == XNVME_SPEC_LOG_ZND_CHANGES ? "LOG_ZND_CHANGES" : "ENOSYS";
}

static const char *const g_feat_id[] = {
    [XNVME_SPEC_FEAT_ARBITRATION] = "FEAT_ARBITRATION",
    [XNVME_SPEC_FEAT_PWR_MGMT] = "FEAT_PWR_MGMT",
    [XNVME_SPEC_FEAT_LBA_RANGETYPE] = "FEAT_LBA_RANGETYPE",
    [XNVME_SPEC_FEAT_TEMP_THRESHOLD] = "FEAT_TEMP_THRESHOLD",
    [XNVME_SPEC_FEAT_ERROR_RECOVERY] = "FEAT_ERROR_RECOVERY",
    [XNVME_SPEC_FEAT_VWCACHE] = "FEAT_VWCACHE",
    [XNVME_SPEC_FEAT_NQUEUES] = "FEAT_NQUEUES",
    [XNVME_SPEC_FEAT_INTR_COALESCING] = "FEAT_INTR_COALESCING",
    [XNVME_SPEC_FEAT_INTR_VCONF] = "FEAT_INTR_VCONF",
    [XNVME_SPEC_FEAT_WRITE_ATOMICITY] = "FEAT_WRITE_ATOMICITY",
    [XNVME_SPEC_FEAT_ASYNC_EVENT_CONF] = "FEAT_ASYNC_EVENT_CONF",
    [XNVME_SPEC_FEAT_HOST_BEHAVIOR] = "FEAT_HOST_BEHAVIOR",
    [XNVME_SPEC_FEAT_FDP_MODE] = "FEAT_FDP_MODE",
    [XNVME_SPEC_FEAT_FDP_EVENTS] = "FEAT_FDP_EVENTS",
};

const char *
xnvme_spec_feat_id_str(enum xnvme_spec_feat_id eval)
{
	return str_or_enosys(g_feat_id, XNVME_ARRAY_SIZE(g_feat_id), (unsigned)eval);
}

static const char *const g_feat_sel[] = {
    [XNVME_SPEC_FEAT_SEL_CURRENT] = "FEAT_SEL_CURRENT",
    [XNVME_SPEC_FEAT_SEL_DEFAULT] = "FEAT_SEL_DEFAULT",
    [XNVME_SPEC_FEAT_SEL_SAVED] = "FEAT_SEL_SAVED",
    [XNVME_SPEC_FEAT_SEL_SUPPORTED] = "FEAT_SEL_SUPPORTED",
};

const char *
xnvme_spec_feat_sel_str(enum xnvme_spec_feat_sel eval)
{
	return str_or_enosys(g_feat_sel, XNVME_ARRAY_SIZE(g_feat_sel), (unsigned)eval);
}
