/* SPDX-License-Identifier: BSD-3-Clause */
/* Names of NVMe status codes, opcodes, zone states, features and log pages. */
#include <libxnvme.h>

const char *
xnvme_spec_status_str(uint8_t sct, uint8_t sc)
{
	switch (sct) {
	case XNVME_STATUS_CODE_TYPE_GENERIC:
		switch (sc) {
		case 0x00:
			return "SUCCESS";
		case 0x01:
			return "INVALID_OPCODE";
		case 0x02:
			return "INVALID_FIELD";
		case 0x03:
			return "COMMAND_ID_CONFLICT";
		case 0x04:
			return "DATA_TRANSFER_ERROR";
		case 0x05:
			return "ABORTED_POWER_LOSS";
		case 0x06:
			return "INTERNAL_DEVICE_ERROR";
		case 0x07:
			return "ABORTED_BY_REQUEST";
		case 0x08:
			return "ABORTED_SQ_DELETION";
		case 0x09:
			return "ABORTED_FAILED_FUSED";
		case 0x0A:
			return "ABORTED_MISSING_FUSED";
		case 0x0B:
			return "INVALID_NAMESPACE_OR_FORMAT";
		case 0x0C:
			return "COMMAND_SEQUENCE_ERROR";
		case 0x0D:
			return "INVALID_SGL_SEGMENT_DESCRIPTOR";
		case 0x0E:
			return "INVALID_NUMBER_OF_SGL_DESCRIPTORS";
		case 0x0F:
			return "DATA_SGL_LENGTH_INVALID";
		case 0x10:
			return "METADATA_SGL_LENGTH_INVALID";
		case 0x11:
			return "SGL_DESCRIPTOR_TYPE_INVALID";
		case 0x15:
			return "INVALID_PRP_OFFSET";
		case 0x1D:
			return "SANITIZE_IN_PROGRESS";
		case 0x1E:
			return "SGL_DATA_BLOCK_GRANULARITY_INVALID";
		case 0x20:
			return "NAMESPACE_IS_WRITE_PROTECTED";
		case 0x21:
			return "COMMAND_INTERRUPTED";
		case 0x80:
			return "LBA_OUT_OF_RANGE";
		case 0x81:
			return "CAPACITY_EXCEEDED";
		case 0x82:
			return "NAMESPACE_NOT_READY";
		case 0x83:
			return "RESERVATION_CONFLICT";
		case 0x84:
			return "FORMAT_IN_PROGRESS";
		default:
			return "UNKNOWN";
		}
	case XNVME_STATUS_CODE_TYPE_CMDSPEC:
		switch (sc) {
		case 0x00:
			return "COMPLETION_QUEUE_INVALID";
		case 0x01:
			return "INVALID_QUEUE_IDENTIFIER";
		case 0x02:
			return "INVALID_QUEUE_SIZE";
		case 0x03:
			return "ABORT_COMMAND_LIMIT_EXCEEDED";
		case 0x05:
			return "ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED";
		case 0x06:
			return "INVALID_FIRMWARE_SLOT";
		case 0x07:
			return "INVALID_FIRMWARE_IMAGE";
		case 0x08:
			return "INVALID_INTERRUPT_VECTOR";
		case 0x09:
			return "INVALID_LOG_PAGE";
		case 0x0A:
			return "INVALID_FORMAT";
		case 0x0B:
			return "FIRMWARE_REQUIRES_CONVENTIONAL_RESET";
		case 0x0C:
			return "INVALID_QUEUE_DELETION";
		case 0x0D:
			return "FEATURE_ID_NOT_SAVEABLE";
		case 0x0E:
			return "FEATURE_NOT_CHANGEABLE";
		case 0x0F:
			return "FEATURE_NOT_NAMESPACE_SPECIFIC";
		case 0x1D:
			return "DEVICE_SELF_TEST_IN_PROGRESS";
		case 0x7F:
			return "ZONED_INVALID_FORMAT";
		case 0x80:
			return "CONFLICTING_ATTRIBUTES";
		case 0x81:
			return "INVALID_PROTECTION_INFORMATION";
		case 0x82:
			return "ATTEMPTED_WRITE_TO_READ_ONLY_RANGE";
		case 0x83:
			return "COMMAND_SIZE_LIMIT_EXCEEDED";
		case 0xB8:
			return "ZONE_BOUNDARY_ERROR";
		case 0xB9:
			return "ZONE_IS_FULL";
		case 0xBA:
			return "ZONE_IS_READ_ONLY";
		case 0xBB:
			return "ZONE_IS_OFFLINE";
		case 0xBC:
			return "ZONE_INVALID_WRITE";
		case 0xBD:
			return "TOO_MANY_ACTIVE_ZONES";
		case 0xBE:
			return "TOO_MANY_OPEN_ZONES";
		case 0xBF:
			return "INVALID_ZONE_STATE_TRANSITION";
		default:
			return "UNKNOWN";
		}
	case XNVME_STATUS_CODE_TYPE_MEDIA:
		switch (sc) {
		case 0x80:
			return "WRITE_FAULT";
		case 0x81:
			return "UNRECOVERED_READ_ERROR";
		case 0x82:
			return "END_TO_END_GUARD_CHECK_ERROR";
		case 0x83:
			return "END_TO_END_APPLICATION_TAG_CHECK_ERROR";
		case 0x84:
			return "END_TO_END_REFERENCE_TAG_CHECK_ERROR";
		case 0x85:
			return "COMPARE_FAILURE";
		case 0x86:
			return "ACCESS_DENIED";
		case 0x87:
			return "DEALLOCATED_OR_UNWRITTEN_LOGICAL_BLOCK";
		case 0x88:
			return "END_TO_END_STORAGE_TAG_CHECK_ERROR";
		default:
			return "UNKNOWN";
		}
	case XNVME_STATUS_CODE_TYPE_PATH:
		switch (sc) {
		case 0x00:
			return "INTERNAL_PATH_ERROR";
		case 0x01:
			return "ASYMMETRIC_ACCESS_PERSISTENT_LOSS";
		case 0x02:
			return "ASYMMETRIC_ACCESS_INACCESSIBLE";
		case 0x03:
			return "ASYMMETRIC_ACCESS_TRANSITION";
		case 0x60:
			return "CONTROLLER_PATHING_ERROR";
		case 0x70:
			return "HOST_PATHING_ERROR";
		case 0x71:
			return "COMMAND_ABORTED_BY_HOST";
		default:
			return "UNKNOWN";
		}
	default:
		return "UNKNOWN";
	}
}

const char *
xnvme_spec_adm_opc_str(uint8_t opc)
{
	switch (opc) {
	case 0x00:
		return "DELETE_IO_SQ";
	case 0x01:
		return "CREATE_IO_SQ";
	case 0x02:
		return "GET_LOG_PAGE";
	case 0x04:
		return "DELETE_IO_CQ";
	case 0x05:
		return "CREATE_IO_CQ";
	case 0x06:
		return "IDENTIFY";
	case 0x08:
		return "ABORT";
	case 0x09:
		return "SET_FEATURES";
	case 0x0A:
		return "GET_FEATURES";
	case 0x0C:
		return "ASYNC_EVENT_REQUEST";
	case 0x10:
		return "FIRMWARE_COMMIT";
	case 0x11:
		return "FIRMWARE_IMAGE_DOWNLOAD";
	case 0x14:
		return "DEVICE_SELF_TEST";
	case 0x19:
		return "DIRECTIVE_SEND";
	case 0x1A:
		return "DIRECTIVE_RECEIVE";
	case 0x7F:
		return "FABRICS";
	case 0x80:
		return "FORMAT_NVM";
	case 0x84:
		return "SANITIZE";
	default:
		return "UNKNOWN";
	}
}

const char *
xnvme_spec_nvm_opc_str(uint8_t opc)
{
	switch (opc) {
	case 0x00:
		return "FLUSH";
	case 0x01:
		return "WRITE";
	case 0x02:
		return "READ";
	case 0x04:
		return "WRITE_UNCORRECTABLE";
	case 0x05:
		return "COMPARE";
	case 0x08:
		return "WRITE_ZEROES";
	case 0x09:
		return "DATASET_MANAGEMENT";
	case 0x0C:
		return "VERIFY";
	case 0x19:
		return "COPY";
	case 0x79:
		return "ZONE_MGMT_SEND";
	case 0x7A:
		return "ZONE_MGMT_RECV";
	case 0x7D:
		return "ZONE_APPEND";
	case 0xAC:
		return "FS_WRITE";
	case 0xAD:
		return "FS_FLUSH";
	case 0xDC:
		return "FS_READ";
	default:
		return "UNKNOWN";
	}
}

const char *
xnvme_spec_znd_state_str(uint8_t zs)
{
	switch (zs) {
	case XNVME_SPEC_ZND_STATE_EMPTY:
		return "EMPTY";
	case XNVME_SPEC_ZND_STATE_IOPEN:
		return "IOPEN";
	case XNVME_SPEC_ZND_STATE_EOPEN:
		return "EOPEN";
	case XNVME_SPEC_ZND_STATE_CLOSED:
		return "CLOSED";
	case XNVME_SPEC_ZND_STATE_RONLY:
		return "RONLY";
	case XNVME_SPEC_ZND_STATE_FULL:
		return "FULL";
	case XNVME_SPEC_ZND_STATE_OFFLINE:
		return "OFFLINE";
	default:
		return "UNKNOWN";
	}
}

const char *
xnvme_spec_feat_id_str(uint8_t fid)
{
	switch (fid) {
	case 0x01:
		return "ARBITRATION";
	case 0x02:
		return "POWER_MANAGEMENT";
	case 0x03:
		return "LBA_RANGE_TYPE";
	case 0x04:
		return "TEMPERATURE_THRESHOLD";
	case 0x05:
		return "ERROR_RECOVERY";
	case 0x06:
		return "VOLATILE_WRITE_CACHE";
	case 0x07:
		return "NUMBER_OF_QUEUES";
	case 0x08:
		return "INTERRUPT_COALESCING";
	case 0x09:
		return "INTERRUPT_VECTOR_CONFIGURATION";
	case 0x0A:
		return "WRITE_ATOMICITY_NORMAL";
	case 0x0B:
		return "ASYNC_EVENT_CONFIGURATION";
	case 0x16:
		return "HOST_BEHAVIOR_SUPPORT";
	case 0x1D:
		return "FLEXIBLE_DATA_PLACEMENT";
	default:
		return "UNKNOWN";
	}
}

const char *
xnvme_spec_log_lpi_str(uint8_t lid)
{
	switch (lid) {
	case 0x01:
		return "ERROR_INFORMATION";
	case 0x02:
		return "SMART_HEALTH_INFORMATION";
	case 0x03:
		return "FIRMWARE_SLOT_INFORMATION";
	case 0x04:
		return "CHANGED_NAMESPACE_LIST";
	case 0x05:
		return "COMMANDS_SUPPORTED_AND_EFFECTS";
	case 0x06:
		return "DEVICE_SELF_TEST";
	case 0x07:
		return "TELEMETRY_HOST_INITIATED";
	case 0x08:
		return "TELEMETRY_CONTROLLER_INITIATED";
	case 0x81:
		return "SANITIZE_STATUS";
	case 0xBF:
		return "CHANGED_ZONE_LIST";
	default:
		return "UNKNOWN";
	}
}
