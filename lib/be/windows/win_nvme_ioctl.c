/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * NVMe admin commands over IOCTL_STORAGE_QUERY_PROPERTY and IOCTL_STORAGE_PROTOCOL_COMMAND:
 * mapping, request builders and response parsers. See win_nvme_ioctl.h for the mapping table.
 *
 * Buffers handed to DeviceIoControl need no particular alignment here: every field is written
 * and read with memcpy through a local copy of the structure.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>
#include "win_nvme_ioctl.h"

/* The documented layout of STORAGE_PROTOCOL_COMMAND (winioctl.h, Windows 10 SDK) */
#define SPC_OFFSET(field, off)                                                                     \
	_Static_assert(offsetof(struct win_storage_protocol_command, field) == (off),              \
		       "STORAGE_PROTOCOL_COMMAND." #field " offset");
SPC_OFFSET(version, 0)
SPC_OFFSET(length, 4)
SPC_OFFSET(protocol_type, 8)
SPC_OFFSET(flags, 12)
SPC_OFFSET(return_status, 16)
SPC_OFFSET(error_code, 20)
SPC_OFFSET(command_length, 24)
SPC_OFFSET(error_info_length, 28)
SPC_OFFSET(data_to_device_length, 32)
SPC_OFFSET(data_from_device_length, 36)
SPC_OFFSET(timeout_value, 40)
SPC_OFFSET(error_info_offset, 44)
SPC_OFFSET(data_to_device_offset, 48)
SPC_OFFSET(data_from_device_offset, 52)
SPC_OFFSET(command_specific, 56)
SPC_OFFSET(reserved0, 60)
SPC_OFFSET(fixed_protocol_return_data, 64)
SPC_OFFSET(fixed_protocol_return_data2, 68)
SPC_OFFSET(reserved1, 72)
SPC_OFFSET(command, WIN_SPC_HDR_LEN)
_Static_assert(sizeof(struct win_storage_protocol_command) == WIN_SPC_LENGTH,
	       "STORAGE_PROTOCOL_COMMAND size");

/* The query constants against the structures mingw-w64 ships */
_Static_assert(offsetof(STORAGE_PROPERTY_QUERY, AdditionalParameters) == WIN_NVME_QUERY_PSD_OFFSET,
	       "STORAGE_PROPERTY_QUERY.AdditionalParameters");
_Static_assert(offsetof(STORAGE_PROTOCOL_DATA_DESCRIPTOR, ProtocolSpecificData) ==
		   WIN_NVME_QUERY_PSD_OFFSET,
	       "STORAGE_PROTOCOL_DATA_DESCRIPTOR.ProtocolSpecificData");
_Static_assert(sizeof(STORAGE_PROTOCOL_SPECIFIC_DATA) == WIN_NVME_QUERY_PSD_LEN,
	       "STORAGE_PROTOCOL_SPECIFIC_DATA size");
_Static_assert(sizeof(STORAGE_PROTOCOL_DATA_DESCRIPTOR) == WIN_NVME_QUERY_HDR_LEN,
	       "STORAGE_PROTOCOL_DATA_DESCRIPTOR size");
_Static_assert(offsetof(struct xnvme_spec_log_erri_entry, status) == 12,
	       "Error Information entry: status at byte 12");

/* STORAGE_PROTOCOL_SPECIFIC_DATA: "ProtocolDataLength must be >= 512 bytes" */
#define WIN_NVME_MIN_PROTOCOL_DATA 512u

/* NVMe status for a failure the driver reports without one: generic Internal Error (06h) */
#define WIN_NVME_SC_INTERNAL 0x06

static bool
nsid_is_controller(uint32_t nsid)
{
	return nsid == 0 || nsid == 0xFFFFFFFF;
}

static uint32_t
protocol_data_len(uint32_t nbytes)
{
	if (!nbytes) {
		return 0;
	}
	return nbytes < WIN_NVME_MIN_PROTOCOL_DATA ? WIN_NVME_MIN_PROTOCOL_DATA : nbytes;
}

static int
map_identify(const struct xnvme_spec_cmd *cmd, size_t dbuf_nbytes, struct win_nvme_map *map)
{
	struct win_nvme_query *q = &map->query;

	if (cmd->idfy.uuid) {
		return -EINVAL;
	}
	switch (cmd->idfy.cns) {
	case XNVME_SPEC_IDFY_NS:
		q->property_id = StorageDeviceProtocolSpecificProperty;
		q->subvalue = cmd->common.nsid;
		break;
	case XNVME_SPEC_IDFY_CTRLR:
		q->property_id = StorageAdapterProtocolSpecificProperty;
		break;
	default:
		return -ENOSYS;
	}
	/* The driver writes a whole Identify data structure */
	if (dbuf_nbytes < WIN_NVME_IDFY_NBYTES) {
		return -EINVAL;
	}
	q->data_type = NVMeDataTypeIdentify;
	q->value = cmd->idfy.cns;
	q->data_len = WIN_NVME_IDFY_NBYTES;
	map->data_len = WIN_NVME_IDFY_NBYTES;
	return 0;
}

static int
map_log(const struct xnvme_spec_cmd *cmd, size_t dbuf_nbytes, struct win_nvme_map *map)
{
	struct win_nvme_query *q = &map->query;
	STORAGE_PROTOCOL_DATA_SUBVALUE_GET_LOG_PAGE sub4 = {.AsUlong = 0};
	uint64_t nbytes = (((uint64_t)cmd->log.numdu << 16 | cmd->log.numdl) + 1) * 4;

	/* The sub-value carries four LSP bits and no UUID index, offset type or CSI */
	if (cmd->log.lsp > 0xF || cmd->log.uuidx || cmd->log.ot || cmd->log.csi) {
		return -EINVAL;
	}
	if (dbuf_nbytes < nbytes || nbytes > UINT32_MAX - WIN_NVME_QUERY_HDR_LEN) {
		return -EINVAL;
	}
	sub4.RetainAsynEvent = cmd->log.rae;
	sub4.LogSpecificField = cmd->log.lsp;

	q->property_id = nsid_is_controller(cmd->common.nsid)
			     ? StorageAdapterProtocolSpecificProperty
			     : StorageDeviceProtocolSpecificProperty;
	q->data_type = NVMeDataTypeLogPage;
	q->value = cmd->log.lid;
	q->subvalue = cmd->log.lpol;
	q->subvalue2 = cmd->log.lpou;
	q->subvalue3 = cmd->log.lsi;
	q->subvalue4 = sub4.AsUlong;
	q->data_len = protocol_data_len((uint32_t)nbytes);
	map->data_len = (uint32_t)nbytes;
	return 0;
}

static int
map_gfeat(const struct xnvme_spec_cmd *cmd, size_t dbuf_nbytes, struct win_nvme_map *map)
{
	struct win_nvme_query *q = &map->query;

	/* Documented: CDW10 in Value, CDW11 in SubValue, CDW12 in SubValue2; nothing for CDW13 or
	 * the UUID index in CDW14 bits 6:0 */
	if (cmd->cdw[13] || (cmd->cdw[14] & 0x7F)) {
		return -EINVAL;
	}
	if (dbuf_nbytes > UINT32_MAX - WIN_NVME_QUERY_HDR_LEN) {
		return -EINVAL;
	}
	q->property_id = nsid_is_controller(cmd->common.nsid)
			     ? StorageAdapterProtocolSpecificProperty
			     : StorageDeviceProtocolSpecificProperty;
	q->data_type = NVMeDataTypeFeature;
	q->value = cmd->gfeat.cdw10.val;
	q->subvalue = cmd->gfeat.cdw11;
	q->subvalue2 = cmd->cdw[12];
	q->data_len = protocol_data_len((uint32_t)dbuf_nbytes);
	map->data_len = (uint32_t)dbuf_nbytes;
	return 0;
}

/* Admin opcodes StorNVMe keeps to itself or serves through other IOCTLs */
static bool
opcode_refused(uint8_t opc)
{
	switch (opc) {
	case 0x00: // Delete I/O Submission Queue
	case 0x01: // Create I/O Submission Queue
	case 0x04: // Delete I/O Completion Queue
	case 0x05: // Create I/O Completion Queue
	case 0x08: // Abort
	case 0x09: // Set Features: IOCTL_STORAGE_SET_PROPERTY, thermal management only
	case 0x0C: // Asynchronous Event Request
	case 0x10: // Firmware Commit: IOCTL_STORAGE_FIRMWARE_ACTIVATE
	case 0x11: // Firmware Image Download: IOCTL_STORAGE_FIRMWARE_DOWNLOAD
	case 0x18: // Keep Alive
	case 0x19: // Directive Send
	case 0x1A: // Directive Receive
	case 0x1C: // Virtualization Management
	case 0x7C: // Doorbell Buffer Config
		return true;
	default:
		return false;
	}
}

int
win_nvme_map_admin(const struct xnvme_spec_cmd *cmd, size_t dbuf_nbytes, size_t mbuf_nbytes,
		   struct win_nvme_map *map)
{
	uint8_t opc;

	if (!cmd || !map) {
		return -EINVAL;
	}
	memset(map, 0, sizeof(*map));
	map->nsid = cmd->common.nsid;

	/* Neither IOCTL has a metadata buffer, nor a way to fuse two commands */
	if (mbuf_nbytes || cmd->common.fuse) {
		return -EINVAL;
	}
	opc = cmd->common.opcode;
	switch (opc) {
	case XNVME_SPEC_ADM_OPC_IDFY:
		map->route = WIN_NVME_ROUTE_QUERY;
		return map_identify(cmd, dbuf_nbytes, map);
	case XNVME_SPEC_ADM_OPC_LOG:
		map->route = WIN_NVME_ROUTE_QUERY;
		return map_log(cmd, dbuf_nbytes, map);
	case XNVME_SPEC_ADM_OPC_GFEAT:
		map->route = WIN_NVME_ROUTE_QUERY;
		return map_gfeat(cmd, dbuf_nbytes, map);
	default:
		break;
	}
	if (opcode_refused(opc)) {
		return -ENOSYS;
	}

	/* Opcode bits 1:0 give the data direction (NVMe 2.0 Figure 88) */
	switch (opc & 0x3) {
	case 0x0:
		if (dbuf_nbytes) {
			return -EINVAL;
		}
		map->dir = WIN_NVME_DIR_NONE;
		break;
	case 0x1:
		map->dir = WIN_NVME_DIR_TO_DEV;
		break;
	case 0x2:
		map->dir = WIN_NVME_DIR_FROM_DEV;
		break;
	default:
		return -EINVAL;
	}
	if (!dbuf_nbytes) {
		map->dir = WIN_NVME_DIR_NONE;
	}
	if (!win_nvme_pcmd_buf_len(dbuf_nbytes)) {
		return -EINVAL;
	}
	map->route = WIN_NVME_ROUTE_PCMD;
	map->data_len = (uint32_t)dbuf_nbytes;
	return 0;
}

size_t
win_nvme_query_buf_len(const struct win_nvme_query *q)
{
	if (!q || q->data_len > UINT32_MAX - WIN_NVME_QUERY_HDR_LEN) {
		return 0;
	}
	return (size_t)WIN_NVME_QUERY_HDR_LEN + q->data_len;
}

int
win_nvme_query_build(void *buf, size_t buf_len, const struct win_nvme_query *q, size_t *req_len)
{
	STORAGE_PROTOCOL_SPECIFIC_DATA psd;
	STORAGE_PROPERTY_ID pid;
	STORAGE_QUERY_TYPE qtype = PropertyStandardQuery;
	uint8_t *b = buf;
	size_t need;

	if (!buf || !q || !req_len) {
		return -EINVAL;
	}
	need = win_nvme_query_buf_len(q);
	if (!need) {
		return -EINVAL;
	}
	if (buf_len < need) {
		return -ENOBUFS;
	}
	memset(&psd, 0, sizeof(psd));
	psd.ProtocolType = ProtocolTypeNvme;
	psd.DataType = q->data_type;
	psd.ProtocolDataRequestValue = q->value;
	psd.ProtocolDataRequestSubValue = q->subvalue;
	psd.ProtocolDataRequestSubValue2 = q->subvalue2;
	psd.ProtocolDataRequestSubValue3 = q->subvalue3;
	psd.ProtocolDataRequestSubValue4 = q->subvalue4;
	/* Offset from the start of STORAGE_PROTOCOL_SPECIFIC_DATA; none when no data is asked */
	psd.ProtocolDataOffset = q->data_len ? (DWORD)sizeof(psd) : 0;
	psd.ProtocolDataLength = q->data_len;

	memset(b, 0, need);
	pid = (STORAGE_PROPERTY_ID)q->property_id;
	memcpy(b + offsetof(STORAGE_PROPERTY_QUERY, PropertyId), &pid, sizeof(pid));
	memcpy(b + offsetof(STORAGE_PROPERTY_QUERY, QueryType), &qtype, sizeof(qtype));
	memcpy(b + offsetof(STORAGE_PROPERTY_QUERY, AdditionalParameters), &psd, sizeof(psd));
	*req_len = need;
	return 0;
}

int
win_nvme_query_parse(const void *buf, size_t buf_len, size_t nret, void *data, size_t data_len,
		     uint32_t *cdw0)
{
	STORAGE_PROTOCOL_DATA_DESCRIPTOR d;
	const STORAGE_PROTOCOL_SPECIFIC_DATA *psd = &d.ProtocolSpecificData;
	const uint8_t *b = buf;
	uint64_t start, end;

	if (!buf || (data_len && !data) || nret > buf_len) {
		return -EINVAL;
	}
	if (nret < sizeof(d)) {
		return -EPROTO;
	}
	memcpy(&d, b, sizeof(d));
	if (d.Version != sizeof(d) || d.Size != sizeof(d) ||
	    psd->ProtocolType != ProtocolTypeNvme) {
		return -EPROTO;
	}
	if (data_len) {
		/* The data must follow the header and lie, all of it, in what the driver wrote */
		start = (uint64_t)WIN_NVME_QUERY_PSD_OFFSET + psd->ProtocolDataOffset;
		end = start + psd->ProtocolDataLength;
		if (psd->ProtocolDataOffset < sizeof(*psd) || psd->ProtocolDataLength < data_len ||
		    end > nret) {
			return -EPROTO;
		}
		memcpy(data, b + start, data_len);
	}
	if (cdw0) {
		*cdw0 = psd->FixedProtocolReturnData;
	}
	return 0;
}

size_t
win_nvme_pcmd_buf_len(size_t data_len)
{
	if (data_len > UINT32_MAX - WIN_SPC_DATA_OFFSET) {
		return 0;
	}
	return WIN_SPC_DATA_OFFSET + data_len;
}

int
win_nvme_pcmd_build(void *buf, size_t buf_len, const struct win_nvme_pcmd *req, size_t *req_len)
{
	struct win_storage_protocol_command h;
	struct xnvme_spec_cmd cmd;
	uint8_t *b = buf;
	size_t need;

	if (!buf || !req || !req->cmd || !req_len || req->cmd->common.fuse) {
		return -EINVAL;
	}
	switch (req->dir) {
	case WIN_NVME_DIR_NONE:
		if (req->data_len) {
			return -EINVAL;
		}
		break;
	case WIN_NVME_DIR_TO_DEV:
		if (!req->data_len || !req->data_out) {
			return -EINVAL;
		}
		break;
	case WIN_NVME_DIR_FROM_DEV:
		if (!req->data_len) {
			return -EINVAL;
		}
		break;
	default:
		return -EINVAL;
	}
	need = win_nvme_pcmd_buf_len(req->data_len);
	if (!need) {
		return -EINVAL;
	}
	if (buf_len < need) {
		return -ENOBUFS;
	}

	memset(&h, 0, sizeof(h));
	h.version = WIN_SPC_STRUCTURE_VERSION;
	h.length = WIN_SPC_LENGTH;
	h.protocol_type = ProtocolTypeNvme;
	/* Admin commands go to the controller (adapter), I/O commands to the handle's namespace */
	h.flags = req->admin ? WIN_SPC_FLAG_ADAPTER_REQUEST : 0;
	h.command_length = WIN_SPC_COMMAND_LENGTH_NVME;
	h.error_info_length = WIN_SPC_ERROR_INFO_LEN;
	h.error_info_offset = WIN_SPC_ERROR_INFO_OFFSET;
	h.timeout_value = req->timeout_s;
	h.command_specific = req->admin ? WIN_SPC_SPECIFIC_NVME_ADMIN : WIN_SPC_SPECIFIC_NVME_NVM;
	if (req->dir == WIN_NVME_DIR_TO_DEV) {
		h.data_to_device_length = req->data_len;
		h.data_to_device_offset = WIN_SPC_DATA_OFFSET;
	} else if (req->dir == WIN_NVME_DIR_FROM_DEV) {
		h.data_from_device_length = req->data_len;
		h.data_from_device_offset = WIN_SPC_DATA_OFFSET;
	}

	/* The driver builds the data pointer from the buffer: host addresses mean nothing to it */
	cmd = *req->cmd;
	cmd.common.psdt = 0;
	cmd.common.mptr = 0;
	memset(&cmd.common.dptr, 0, sizeof(cmd.common.dptr));

	memset(b, 0, need);
	memcpy(b, &h, WIN_SPC_HDR_LEN);
	memcpy(b + WIN_SPC_HDR_LEN, &cmd, sizeof(cmd));
	if (req->dir == WIN_NVME_DIR_TO_DEV) {
		memcpy(b + WIN_SPC_DATA_OFFSET, req->data_out, req->data_len);
	}
	*req_len = need;
	return 0;
}

/* The NVMe status the driver left in the error information entry, or Internal Error */
static uint16_t
pcmd_error_status(const struct win_storage_protocol_command *h, const uint8_t *b, size_t nret)
{
	const size_t at = offsetof(struct xnvme_spec_log_erri_entry, status);
	struct xnvme_spec_status st = {.val = 0};
	uint64_t end = (uint64_t)h->error_info_offset + at + sizeof(st);

	if (h->error_info_offset >= WIN_SPC_HDR_LEN && h->error_info_length >= at + sizeof(st) &&
	    end <= nret) {
		memcpy(&st, b + h->error_info_offset + at, sizeof(st));
		st.p = 0; // bit 0 is the phase tag, not status
	}
	if (!st.val) {
		st.sc = WIN_NVME_SC_INTERNAL;
	}
	return st.val;
}

int
win_nvme_pcmd_parse(const void *buf, size_t buf_len, size_t nret, void *data_in, size_t data_len,
		    struct xnvme_spec_cpl *cpl)
{
	struct win_storage_protocol_command h;
	const uint8_t *b = buf;
	uint64_t end;

	if (!buf || !cpl || (data_len && !data_in) || nret > buf_len) {
		return -EINVAL;
	}
	memset(cpl, 0, sizeof(*cpl));
	if (nret < WIN_SPC_HDR_LEN) {
		return -EPROTO;
	}
	memset(&h, 0, sizeof(h));
	memcpy(&h, b, WIN_SPC_HDR_LEN);
	if (h.version != WIN_SPC_STRUCTURE_VERSION || h.length != WIN_SPC_LENGTH ||
	    h.protocol_type != ProtocolTypeNvme) {
		return -EPROTO;
	}
	cpl->cdw0 = h.fixed_protocol_return_data;

	switch (h.return_status) {
	case WIN_SPC_STATUS_SUCCESS:
		break;
	case WIN_SPC_STATUS_ERROR:
		cpl->status.val = pcmd_error_status(&h, b, nret);
		return -EIO;
	case WIN_SPC_STATUS_INVALID_REQUEST:
		return -EINVAL;
	case WIN_SPC_STATUS_NO_DEVICE:
		return -ENODEV;
	case WIN_SPC_STATUS_BUSY:
		return -EBUSY;
	case WIN_SPC_STATUS_DATA_OVERRUN:
		return -EOVERFLOW;
	case WIN_SPC_STATUS_INSUFFICIENT_RESOURCES:
		return -ENOMEM;
	case WIN_SPC_STATUS_PENDING:
	case WIN_SPC_STATUS_THROTTLED_REQUEST:
		return -EAGAIN;
	case WIN_SPC_STATUS_NOT_SUPPORTED:
		return -ENOSYS;
	default:
		return -EPROTO;
	}

	if (data_len) {
		/* Data from the device: after the header, inside what the driver wrote */
		end = (uint64_t)h.data_from_device_offset + data_len;
		if (h.data_from_device_offset < WIN_SPC_HDR_LEN ||
		    h.data_from_device_length < data_len || end > nret) {
			return -EPROTO;
		}
		memcpy(data_in, b + h.data_from_device_offset, data_len);
	}
	return 0;
}
