/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Unit test of lib/be/windows/win_nvme_ioctl.c, a Windows program (run under Wine here). Checks
 * the bytes the builders write against the SDK structures mingw-w64 ships and against the
 * documented offsets, round trips of parse(build()) with a stand-in for the driver's answer, and
 * refusals: commands Windows does not route, short buffers, offsets and lengths past the end,
 * wrong Version/Size. Exit status 0 when every check passes; each failure is printed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>
#include "be/windows/win_nvme_ioctl.h"

static int g_checks;
static int g_fails;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		g_checks++;                                                                        \
		if (!(cond)) {                                                                     \
			g_fails++;                                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long va_ = (unsigned long long)(a);                                  \
		unsigned long long vb_ = (unsigned long long)(b);                                  \
		g_checks++;                                                                        \
		if (va_ != vb_) {                                                                  \
			g_fails++;                                                                 \
			printf("FAIL %s:%d: %s == %s (0x%llx != 0x%llx)\n", __FILE__, __LINE__,    \
			       #a, #b, va_, vb_);                                                  \
		}                                                                                  \
	} while (0)

/* Buffers large enough for every request here, 8-byte aligned by their type */
static uint64_t g_buf64[(WIN_SPC_DATA_OFFSET + 8192) / 8];
static uint8_t *const g_buf = (uint8_t *)g_buf64;
static uint8_t g_data[8192];

static uint32_t
rd32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static void
wr32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

/* Offsets of STORAGE_PROTOCOL_SPECIFIC_DATA fields inside the query / descriptor buffer */
#define PSD(field) (WIN_NVME_QUERY_PSD_OFFSET + offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, field))

/* The SDK structures as mingw-w64 ships them, against the documented layout */
static void
test_sdk_layout(void)
{
	CHECK_EQ(offsetof(STORAGE_PROPERTY_QUERY, PropertyId), 0);
	CHECK_EQ(offsetof(STORAGE_PROPERTY_QUERY, QueryType), 4);
	CHECK_EQ(offsetof(STORAGE_PROPERTY_QUERY, AdditionalParameters), 8);
	CHECK_EQ(sizeof(STORAGE_PROTOCOL_SPECIFIC_DATA), 40);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, ProtocolType), 0);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, DataType), 4);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, ProtocolDataRequestValue), 8);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, ProtocolDataRequestSubValue), 12);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, ProtocolDataOffset), 16);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, ProtocolDataLength), 20);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, FixedProtocolReturnData), 24);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, ProtocolDataRequestSubValue2), 28);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, ProtocolDataRequestSubValue3), 32);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_SPECIFIC_DATA, ProtocolDataRequestSubValue4), 36);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_DATA_DESCRIPTOR, Version), 0);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_DATA_DESCRIPTOR, Size), 4);
	CHECK_EQ(offsetof(STORAGE_PROTOCOL_DATA_DESCRIPTOR, ProtocolSpecificData), 8);
	CHECK_EQ(sizeof(STORAGE_PROTOCOL_DATA_DESCRIPTOR), 48);

	CHECK_EQ(StorageAdapterProtocolSpecificProperty, 49);
	CHECK_EQ(StorageDeviceProtocolSpecificProperty, 50);
	CHECK_EQ(PropertyStandardQuery, 0);
	CHECK_EQ(ProtocolTypeNvme, 3);
	CHECK_EQ(NVMeDataTypeIdentify, 1);
	CHECK_EQ(NVMeDataTypeLogPage, 2);
	CHECK_EQ(NVMeDataTypeFeature, 3);
	CHECK_EQ(IOCTL_STORAGE_QUERY_PROPERTY, 0x002D1400);
	CHECK_EQ(IOCTL_STORAGE_PROTOCOL_COMMAND, 0x002DD3C0);

	/* The declared STORAGE_PROTOCOL_COMMAND (the static asserts hold it too) */
	CHECK_EQ(sizeof(struct win_storage_protocol_command), 84);
	CHECK_EQ(offsetof(struct win_storage_protocol_command, return_status), 16);
	CHECK_EQ(offsetof(struct win_storage_protocol_command, timeout_value), 40);
	CHECK_EQ(offsetof(struct win_storage_protocol_command, command_specific), 56);
	CHECK_EQ(offsetof(struct win_storage_protocol_command, fixed_protocol_return_data), 64);
	CHECK_EQ(offsetof(struct win_storage_protocol_command, command), 80);
}

static void
cmd_idfy(struct xnvme_spec_cmd *cmd, uint8_t cns, uint32_t nsid)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->common.opcode = XNVME_SPEC_ADM_OPC_IDFY;
	cmd->common.nsid = nsid;
	cmd->idfy.cns = cns;
}

static void
cmd_log(struct xnvme_spec_cmd *cmd, uint8_t lid, uint32_t nsid, uint32_t nbytes)
{
	uint32_t numd = nbytes / 4 - 1;

	memset(cmd, 0, sizeof(*cmd));
	cmd->common.opcode = XNVME_SPEC_ADM_OPC_LOG;
	cmd->common.nsid = nsid;
	cmd->log.lid = lid;
	cmd->log.numdl = numd & 0xFFFF;
	cmd->log.numdu = numd >> 16;
}

/* What the driver does to a query buffer: descriptor header in place, data, return data */
static void
fake_query_answer(uint8_t *b, uint32_t fixed, uint8_t seed)
{
	uint32_t len = rd32(b, PSD(ProtocolDataLength));
	uint32_t off = rd32(b, PSD(ProtocolDataOffset));

	wr32(b, offsetof(STORAGE_PROTOCOL_DATA_DESCRIPTOR, Version), 48);
	wr32(b, offsetof(STORAGE_PROTOCOL_DATA_DESCRIPTOR, Size), 48);
	wr32(b, PSD(FixedProtocolReturnData), fixed);
	for (uint32_t i = 0; i < len; i++) {
		b[WIN_NVME_QUERY_PSD_OFFSET + off + i] = (uint8_t)(seed + i * 7);
	}
}

static void
test_identify(void)
{
	struct xnvme_spec_cmd cmd;
	struct win_nvme_map map;
	size_t req_len = 0;
	uint32_t cdw0 = 0;
	int ok = 1;

	/* Identify controller: the adapter property, CNS 1 */
	cmd_idfy(&cmd, XNVME_SPEC_IDFY_CTRLR, 0);
	CHECK_EQ(win_nvme_map_admin(&cmd, 4096, 0, &map), 0);
	CHECK_EQ(map.route, WIN_NVME_ROUTE_QUERY);
	CHECK_EQ(map.query.property_id, StorageAdapterProtocolSpecificProperty);
	CHECK_EQ(map.data_len, 4096);
	CHECK_EQ(win_nvme_query_buf_len(&map.query), 48 + 4096);

	memset(g_buf, 0xA5, WIN_NVME_QUERY_HDR_LEN + 4096);
	CHECK_EQ(win_nvme_query_build(g_buf, sizeof(g_buf64), &map.query, &req_len), 0);
	CHECK_EQ(req_len, 48 + 4096);
	/* At the SDK's offsets ... */
	CHECK_EQ(rd32(g_buf, offsetof(STORAGE_PROPERTY_QUERY, PropertyId)), 49);
	CHECK_EQ(rd32(g_buf, offsetof(STORAGE_PROPERTY_QUERY, QueryType)), PropertyStandardQuery);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolType)), ProtocolTypeNvme);
	CHECK_EQ(rd32(g_buf, PSD(DataType)), NVMeDataTypeIdentify);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestValue)), 1);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestSubValue)), 0);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataOffset)), sizeof(STORAGE_PROTOCOL_SPECIFIC_DATA));
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataLength)), 4096);
	/* ... which are the documented bytes */
	CHECK_EQ(rd32(g_buf, 0), 49);
	CHECK_EQ(rd32(g_buf, 8), 3);
	CHECK_EQ(rd32(g_buf, 12), 1);
	CHECK_EQ(rd32(g_buf, 24), 40);
	CHECK_EQ(rd32(g_buf, 28), 4096);
	/* The data area is cleared */
	for (size_t i = 48; i < req_len; i++) {
		ok &= g_buf[i] == 0;
	}
	CHECK(ok);

	/* parse(build()) with the driver's answer */
	fake_query_answer(g_buf, 0xCAFE, 3);
	memset(g_data, 0, sizeof(g_data));
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), req_len, g_data, map.data_len, &cdw0),
		 0);
	CHECK(memcmp(g_data, g_buf + 48, 4096) == 0);
	CHECK_EQ(g_data[1], (uint8_t)(3 + 7));
	CHECK_EQ(cdw0, 0xCAFE);

	/* Identify namespace 7: the device property, NSID in SubValue */
	cmd_idfy(&cmd, XNVME_SPEC_IDFY_NS, 7);
	CHECK_EQ(win_nvme_map_admin(&cmd, 4096, 0, &map), 0);
	CHECK_EQ(map.query.property_id, StorageDeviceProtocolSpecificProperty);
	CHECK_EQ(map.nsid, 7);
	CHECK_EQ(win_nvme_query_build(g_buf, sizeof(g_buf64), &map.query, &req_len), 0);
	CHECK_EQ(rd32(g_buf, 0), 50);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestValue)), 0);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestSubValue)), 7);

	/* Refused: other CNS, short buffer, UUID index */
	cmd_idfy(&cmd, XNVME_SPEC_IDFY_NSLIST, 0);
	CHECK_EQ(win_nvme_map_admin(&cmd, 4096, 0, &map), -ENOSYS);
	cmd_idfy(&cmd, XNVME_SPEC_IDFY_CTRLR_IOCS, 0);
	CHECK_EQ(win_nvme_map_admin(&cmd, 4096, 0, &map), -ENOSYS);
	cmd_idfy(&cmd, XNVME_SPEC_IDFY_CTRLR, 0);
	CHECK_EQ(win_nvme_map_admin(&cmd, 4095, 0, &map), -EINVAL);
	CHECK_EQ(win_nvme_map_admin(&cmd, 4096, 512, &map), -EINVAL);
	cmd.idfy.uuid = 1;
	CHECK_EQ(win_nvme_map_admin(&cmd, 4096, 0, &map), -EINVAL);
}

static void
test_log(void)
{
	struct xnvme_spec_cmd cmd;
	struct win_nvme_map map;
	STORAGE_PROTOCOL_DATA_SUBVALUE_GET_LOG_PAGE sub4;
	size_t req_len = 0;

	/* Health log of the controller, with every field the query carries */
	cmd_log(&cmd, 0x02, 0xFFFFFFFF, 512);
	cmd.log.lpol = 0x1000;
	cmd.log.lpou = 0x1;
	cmd.log.lsi = 0x55;
	cmd.log.rae = 1;
	cmd.log.lsp = 5;
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), 0);
	CHECK_EQ(map.route, WIN_NVME_ROUTE_QUERY);
	CHECK_EQ(map.query.property_id, StorageAdapterProtocolSpecificProperty);
	CHECK_EQ(map.data_len, 512);
	CHECK_EQ(win_nvme_query_build(g_buf, sizeof(g_buf64), &map.query, &req_len), 0);
	CHECK_EQ(req_len, 48 + 512);
	CHECK_EQ(rd32(g_buf, PSD(DataType)), NVMeDataTypeLogPage);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestValue)), 0x02);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestSubValue)), 0x1000);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestSubValue2)), 0x1);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestSubValue3)), 0x55);
	CHECK_EQ(rd32(g_buf, 8 + 28), 0x1); // SubValue2 at its documented byte
	CHECK_EQ(rd32(g_buf, 8 + 32), 0x55);
	/* SubValue4: RAE in bit 0, LSP in bits 4:1, by the SDK's bit-fields and by hand */
	sub4.AsUlong = rd32(g_buf, PSD(ProtocolDataRequestSubValue4));
	CHECK_EQ(sub4.RetainAsynEvent, 1);
	CHECK_EQ(sub4.LogSpecificField, 5);
	CHECK_EQ(sub4.AsUlong, 0x1 | 5 << 1);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataLength)), 512);

	fake_query_answer(g_buf, 0, 9);
	memset(g_data, 0, sizeof(g_data));
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), req_len, g_data, 512, NULL), 0);
	CHECK(memcmp(g_data, g_buf + 48, 512) == 0);

	/* A 64-byte log asks for the documented minimum of 512, copies out 64 */
	cmd_log(&cmd, 0x01, 0, 64);
	CHECK_EQ(win_nvme_map_admin(&cmd, 64, 0, &map), 0);
	CHECK_EQ(map.query.data_len, 512);
	CHECK_EQ(map.data_len, 64);
	CHECK_EQ(win_nvme_query_build(g_buf, sizeof(g_buf64), &map.query, &req_len), 0);
	fake_query_answer(g_buf, 0, 1);
	memset(g_data, 0xEE, sizeof(g_data));
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), req_len, g_data, map.data_len, NULL),
		 0);
	CHECK(memcmp(g_data, g_buf + 48, 64) == 0);
	CHECK_EQ(g_data[64], 0xEE); // nothing past the caller's bytes

	/* A namespace's log: the device property, NSID for the backend to check */
	cmd_log(&cmd, 0x02, 1, 512);
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), 0);
	CHECK_EQ(map.query.property_id, StorageDeviceProtocolSpecificProperty);
	CHECK_EQ(map.nsid, 1);

	/* Refused: what the query cannot carry, buffers shorter than NUMD, absurd NUMD */
	cmd_log(&cmd, 0x02, 0, 512);
	cmd.log.lsp = 16;
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), -EINVAL);
	cmd_log(&cmd, 0x02, 0, 512);
	cmd.log.csi = 2;
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), -EINVAL);
	cmd_log(&cmd, 0x02, 0, 512);
	cmd.log.uuidx = 1;
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), -EINVAL);
	cmd_log(&cmd, 0x02, 0, 512);
	cmd.log.ot = 1;
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), -EINVAL);
	cmd_log(&cmd, 0x02, 0, 512);
	CHECK_EQ(win_nvme_map_admin(&cmd, 508, 0, &map), -EINVAL);
	cmd_log(&cmd, 0x02, 0, 512);
	cmd.log.numdl = 0xFFFF;
	cmd.log.numdu = 0xFFFF; // 16 GiB
	CHECK_EQ(win_nvme_map_admin(&cmd, SIZE_MAX, 0, &map), -EINVAL);
}

static void
test_gfeat(void)
{
	struct xnvme_spec_cmd cmd;
	struct win_nvme_map map;
	size_t req_len = 0;
	uint32_t cdw0 = 0;

	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = XNVME_SPEC_ADM_OPC_GFEAT;
	cmd.gfeat.cdw10.fid = 0x06; // volatile write cache
	cmd.gfeat.cdw10.sel = 1;
	cmd.gfeat.cdw11 = 0x1234;
	cmd.cdw[12] = 0x77;
	CHECK_EQ(win_nvme_map_admin(&cmd, 0, 0, &map), 0);
	CHECK_EQ(map.route, WIN_NVME_ROUTE_QUERY);
	CHECK_EQ(map.query.property_id, StorageAdapterProtocolSpecificProperty);
	CHECK_EQ(map.query.data_len, 0);
	CHECK_EQ(win_nvme_query_build(g_buf, sizeof(g_buf64), &map.query, &req_len), 0);
	CHECK_EQ(req_len, 48);
	CHECK_EQ(rd32(g_buf, PSD(DataType)), NVMeDataTypeFeature);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestValue)), 0x106);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestSubValue)), 0x1234);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataRequestSubValue2)), 0x77);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataOffset)), 0);
	CHECK_EQ(rd32(g_buf, PSD(ProtocolDataLength)), 0);

	/* The answer: completion dword 0 in FixedProtocolReturnData, no data */
	fake_query_answer(g_buf, 0x1, 0);
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), req_len, NULL, 0, &cdw0), 0);
	CHECK_EQ(cdw0, 0x1);

	/* A feature with data (LBA range type, 4096 bytes) for namespace 1 */
	cmd.gfeat.cdw10.fid = 0x03;
	cmd.common.nsid = 1;
	CHECK_EQ(win_nvme_map_admin(&cmd, 4096, 0, &map), 0);
	CHECK_EQ(map.query.property_id, StorageDeviceProtocolSpecificProperty);
	CHECK_EQ(map.query.data_len, 4096);

	cmd.cdw[13] = 1;
	CHECK_EQ(win_nvme_map_admin(&cmd, 0, 0, &map), -EINVAL);
	cmd.cdw[13] = 0;
	cmd.cdw[14] = 2; // UUID index
	CHECK_EQ(win_nvme_map_admin(&cmd, 0, 0, &map), -EINVAL);
}

/* Answers that must be refused without reading outside the buffer */
static void
test_query_bad_answers(void)
{
	struct win_nvme_query q = {
	    .property_id = StorageAdapterProtocolSpecificProperty,
	    .data_type = NVMeDataTypeIdentify,
	    .value = 1,
	    .data_len = 4096,
	};
	size_t req_len = 0;
	size_t nret = 48 + 4096;

#define REBUILD()                                                                                  \
	do {                                                                                       \
		CHECK_EQ(win_nvme_query_build(g_buf, sizeof(g_buf64), &q, &req_len), 0);           \
		fake_query_answer(g_buf, 0, 0);                                                    \
		memset(g_data, 0x5A, 4096);                                                        \
	} while (0)

	REBUILD();
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), 0);

	REBUILD();
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), 47, g_data, 4096, NULL), -EPROTO);
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret - 1, g_data, 4096, NULL),
		 -EPROTO);
	CHECK_EQ(win_nvme_query_parse(g_buf, 100, nret, g_data, 4096, NULL), -EINVAL);
	CHECK_EQ(win_nvme_query_parse(NULL, 0, 0, g_data, 4096, NULL), -EINVAL);
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, NULL, 4096, NULL), -EINVAL);

	REBUILD();
	wr32(g_buf, 0, 40); // Version
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EPROTO);
	REBUILD();
	wr32(g_buf, 4, 4096); // Size
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EPROTO);
	REBUILD();
	wr32(g_buf, PSD(ProtocolType), ProtocolTypeScsi);
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EPROTO);
	REBUILD();
	wr32(g_buf, PSD(ProtocolDataOffset), 8); // inside the header
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EPROTO);
	REBUILD();
	wr32(g_buf, PSD(ProtocolDataOffset), 0xFFFFFFF0); // would wrap a 32-bit sum
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EPROTO);
	REBUILD();
	wr32(g_buf, PSD(ProtocolDataOffset), 44); // data would run 4 bytes past the end
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EPROTO);
	REBUILD();
	wr32(g_buf, PSD(ProtocolDataLength), 0xFFFFFFFF);
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EPROTO);
	REBUILD();
	wr32(g_buf, PSD(ProtocolDataLength), 4092); // shorter than asked
	CHECK_EQ(win_nvme_query_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EPROTO);
	CHECK_EQ(g_data[0], 0x5A); // nothing copied on refusal

	/* Builder: short or missing buffers */
	CHECK_EQ(win_nvme_query_build(g_buf, 48 + 4095, &q, &req_len), -ENOBUFS);
	CHECK_EQ(win_nvme_query_build(NULL, 0, &q, &req_len), -EINVAL);
	CHECK_EQ(win_nvme_query_build(g_buf, sizeof(g_buf64), NULL, &req_len), -EINVAL);
	q.data_len = UINT32_MAX;
	CHECK_EQ(win_nvme_query_buf_len(&q), 0);
	CHECK_EQ(win_nvme_query_build(g_buf, sizeof(g_buf64), &q, &req_len), -EINVAL);
#undef REBUILD
}

static void
cmd_vendor(struct xnvme_spec_cmd *cmd, uint8_t opc)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->common.opcode = opc;
	cmd->common.nsid = 0xFFFFFFFF;
	cmd->common.cid = 0x42;
	cmd->common.dptr.prp.prp1 = 0x1000; // host addresses must not reach the driver
	cmd->common.mptr = 0x2000;
	for (int i = 10; i < 16; i++) {
		cmd->cdw[i] = 0x10101010u * (uint32_t)(i - 9);
	}
}

/* The pass-through request against the documented byte offsets */
static void
test_pcmd_build(void)
{
	struct xnvme_spec_cmd cmd, sent;
	struct win_nvme_map map;
	struct win_nvme_pcmd req;
	size_t req_len = 0;

	/* Vendor specific admin command reading 4096 bytes (opcode bits 1:0 = 10b) */
	cmd_vendor(&cmd, 0xC2);
	CHECK_EQ(win_nvme_map_admin(&cmd, 4096, 0, &map), 0);
	CHECK_EQ(map.route, WIN_NVME_ROUTE_PCMD);
	CHECK_EQ(map.dir, WIN_NVME_DIR_FROM_DEV);
	CHECK_EQ(map.data_len, 4096);

	req = (struct win_nvme_pcmd){
	    .cmd = &cmd, .admin = 1, .dir = map.dir, .data_len = map.data_len, .timeout_s = 30};
	memset(g_buf, 0xA5, sizeof(g_buf64));
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), 0);
	CHECK_EQ(req_len, 208 + 4096);
	CHECK_EQ(rd32(g_buf, 0), 1);           // Version
	CHECK_EQ(rd32(g_buf, 4), 84);          // Length
	CHECK_EQ(rd32(g_buf, 8), 3);           // ProtocolType: NVMe
	CHECK_EQ(rd32(g_buf, 12), 0x80000000); // Flags: adapter request
	CHECK_EQ(rd32(g_buf, 16), 0);          // ReturnStatus
	CHECK_EQ(rd32(g_buf, 24), 64);         // CommandLength
	CHECK_EQ(rd32(g_buf, 28), 64);         // ErrorInfoLength
	CHECK_EQ(rd32(g_buf, 32), 0);          // DataToDeviceTransferLength
	CHECK_EQ(rd32(g_buf, 36), 4096);       // DataFromDeviceTransferLength
	CHECK_EQ(rd32(g_buf, 40), 30);         // TimeOutValue
	CHECK_EQ(rd32(g_buf, 44), 144);        // ErrorInfoOffset
	CHECK_EQ(rd32(g_buf, 48), 0);          // DataToDeviceBufferOffset
	CHECK_EQ(rd32(g_buf, 52), 208);        // DataFromDeviceBufferOffset
	CHECK_EQ(rd32(g_buf, 56), 1);          // CommandSpecific: admin
	CHECK_EQ(rd32(g_buf, 64), 0);          // FixedProtocolReturnData
	memcpy(&sent, g_buf + 80, sizeof(sent));
	CHECK_EQ(sent.common.opcode, 0xC2);
	CHECK_EQ(sent.common.nsid, 0xFFFFFFFF);
	CHECK_EQ(sent.common.cid, 0x42);
	CHECK_EQ(sent.common.mptr, 0);
	CHECK_EQ(sent.common.dptr.prp.prp1, 0);
	CHECK(memcmp(&sent.cdw[10], &cmd.cdw[10], 6 * 4) == 0);
	CHECK_EQ(g_buf[144], 0);
	CHECK_EQ(g_buf[208 + 4095], 0);

	/* Writing 512 bytes (bits 1:0 = 01b): the data follows the error information */
	cmd_vendor(&cmd, 0xC1);
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), 0);
	CHECK_EQ(map.dir, WIN_NVME_DIR_TO_DEV);
	for (int i = 0; i < 512; i++) {
		g_data[i] = (uint8_t)(i * 13 + 1);
	}
	req = (struct win_nvme_pcmd){.cmd = &cmd,
				     .admin = 1,
				     .dir = map.dir,
				     .data_len = map.data_len,
				     .data_out = g_data,
				     .timeout_s = 5};
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), 0);
	CHECK_EQ(req_len, 208 + 512);
	CHECK_EQ(rd32(g_buf, 32), 512);
	CHECK_EQ(rd32(g_buf, 36), 0);
	CHECK_EQ(rd32(g_buf, 48), 208);
	CHECK_EQ(rd32(g_buf, 52), 0);
	CHECK(memcmp(g_buf + 208, g_data, 512) == 0);

	/* Device self-test (14h, no data); an NVM command: no adapter flag, NVM specific */
	memset(&cmd, 0, sizeof(cmd));
	cmd.common.opcode = XNVME_SPEC_ADM_OPC_DST;
	CHECK_EQ(win_nvme_map_admin(&cmd, 0, 0, &map), 0);
	CHECK_EQ(map.route, WIN_NVME_ROUTE_PCMD);
	CHECK_EQ(map.dir, WIN_NVME_DIR_NONE);
	req = (struct win_nvme_pcmd){.cmd = &cmd, .admin = 0, .dir = WIN_NVME_DIR_NONE};
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), 0);
	CHECK_EQ(req_len, 208);
	CHECK_EQ(rd32(g_buf, 12), 0);
	CHECK_EQ(rd32(g_buf, 56), 2);

	/* Builder refusals */
	CHECK_EQ(win_nvme_pcmd_build(g_buf, 207, &req, &req_len), -ENOBUFS);
	req.dir = WIN_NVME_DIR_TO_DEV;
	req.data_len = 16;
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), -EINVAL); // no data
	req.dir = WIN_NVME_DIR_NONE;
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), -EINVAL);
	req.dir = (enum win_nvme_dir)3;
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), -EINVAL);
	req.dir = WIN_NVME_DIR_FROM_DEV;
	req.data_len = UINT32_MAX;
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), -EINVAL);
	req.data_len = 0;
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), -EINVAL);
	cmd.common.fuse = 1;
	req = (struct win_nvme_pcmd){.cmd = &cmd, .dir = WIN_NVME_DIR_NONE};
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), -EINVAL);
	CHECK_EQ(win_nvme_pcmd_build(NULL, 0, &req, &req_len), -EINVAL);
	CHECK_EQ(win_nvme_pcmd_buf_len((size_t)UINT32_MAX), 0);
}

/* A from-device request of @p len bytes built into g_buf, answered as the driver would */
static size_t
pcmd_answered(uint32_t len, uint32_t status, uint32_t cdw0)
{
	struct xnvme_spec_cmd cmd;
	struct win_nvme_pcmd req;
	size_t req_len = 0;

	cmd_vendor(&cmd, 0xC2);
	req = (struct win_nvme_pcmd){.cmd = &cmd,
				     .admin = 1,
				     .dir = len ? WIN_NVME_DIR_FROM_DEV : WIN_NVME_DIR_NONE,
				     .data_len = len,
				     .timeout_s = 1};
	CHECK_EQ(win_nvme_pcmd_build(g_buf, sizeof(g_buf64), &req, &req_len), 0);
	wr32(g_buf, 16, status);
	wr32(g_buf, 64, cdw0);
	for (uint32_t i = 0; i < len; i++) {
		g_buf[208 + i] = (uint8_t)(i ^ 0x3C);
	}
	return req_len;
}

static void
test_pcmd_parse(void)
{
	struct xnvme_spec_cpl cpl;
	struct xnvme_spec_status st;
	size_t nret;

	/* Success: data and completion dword 0 */
	nret = pcmd_answered(4096, WIN_SPC_STATUS_SUCCESS, 0xBEEF);
	memset(g_data, 0, sizeof(g_data));
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, &cpl), 0);
	CHECK_EQ(cpl.cdw0, 0xBEEF);
	CHECK_EQ(cpl.status.val, 0);
	CHECK(memcmp(g_data, g_buf + 208, 4096) == 0);
	CHECK_EQ(g_data[5], 5 ^ 0x3C);

	/* NVMe error: the status from the error information entry (phase bit dropped) */
	nret = pcmd_answered(0, WIN_SPC_STATUS_ERROR, 0);
	st.val = 0;
	st.sct = 1;
	st.sc = 0x0B;
	st.dnr = 1;
	st.p = 1;
	memcpy(g_buf + 144 + 12, &st, sizeof(st));
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, NULL, 0, &cpl), -EIO);
	CHECK_EQ(cpl.status.sct, 1);
	CHECK_EQ(cpl.status.sc, 0x0B);
	CHECK_EQ(cpl.status.dnr, 1);
	CHECK_EQ(cpl.status.p, 0);

	/* Error without a status in the entry: Internal Error */
	nret = pcmd_answered(0, WIN_SPC_STATUS_ERROR, 0);
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, NULL, 0, &cpl), -EIO);
	CHECK_EQ(cpl.status.sct, 0);
	CHECK_EQ(cpl.status.sc, 0x06);
	/* ... and when the entry lies outside the answer */
	nret = pcmd_answered(0, WIN_SPC_STATUS_ERROR, 0);
	memcpy(g_buf + 144 + 12, &st, sizeof(st));
	wr32(g_buf, 44, 0xFFFFFFF8);
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, NULL, 0, &cpl), -EIO);
	CHECK_EQ(cpl.status.sc, 0x06);
	nret = pcmd_answered(0, WIN_SPC_STATUS_ERROR, 0);
	memcpy(g_buf + 144 + 12, &st, sizeof(st));
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), 144 + 13, NULL, 0, &cpl), -EIO);
	CHECK_EQ(cpl.status.sc, 0x06);

	/* The other statuses */
	static const struct {
		uint32_t status;
		int err;
	} map[] = {
	    {WIN_SPC_STATUS_INVALID_REQUEST, -EINVAL},
	    {WIN_SPC_STATUS_NO_DEVICE, -ENODEV},
	    {WIN_SPC_STATUS_BUSY, -EBUSY},
	    {WIN_SPC_STATUS_DATA_OVERRUN, -EOVERFLOW},
	    {WIN_SPC_STATUS_INSUFFICIENT_RESOURCES, -ENOMEM},
	    {WIN_SPC_STATUS_THROTTLED_REQUEST, -EAGAIN},
	    {WIN_SPC_STATUS_PENDING, -EAGAIN},
	    {WIN_SPC_STATUS_NOT_SUPPORTED, -ENOSYS},
	    {0x77, -EPROTO},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		nret = pcmd_answered(0, map[i].status, 0);
		CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, NULL, 0, &cpl),
			 map[i].err);
	}

	/* Malformed answers */
	nret = pcmd_answered(4096, WIN_SPC_STATUS_SUCCESS, 0);
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), 79, g_data, 4096, &cpl), -EPROTO);
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret - 1, g_data, 4096, &cpl),
		 -EPROTO);
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, 100, nret, g_data, 4096, &cpl), -EINVAL);
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, NULL), -EINVAL);
	wr32(g_buf, 0, 2); // Version
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, &cpl), -EPROTO);
	nret = pcmd_answered(4096, WIN_SPC_STATUS_SUCCESS, 0);
	wr32(g_buf, 4, 80); // Length
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, &cpl), -EPROTO);
	nret = pcmd_answered(4096, WIN_SPC_STATUS_SUCCESS, 0);
	wr32(g_buf, 8, ProtocolTypeAta);
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, &cpl), -EPROTO);
	nret = pcmd_answered(4096, WIN_SPC_STATUS_SUCCESS, 0);
	wr32(g_buf, 52, 0xFFFFFF00); // DataFromDeviceBufferOffset far out
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, &cpl), -EPROTO);
	nret = pcmd_answered(4096, WIN_SPC_STATUS_SUCCESS, 0);
	wr32(g_buf, 52, 16); // inside the header
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, &cpl), -EPROTO);
	nret = pcmd_answered(4096, WIN_SPC_STATUS_SUCCESS, 0);
	wr32(g_buf, 36, 4000); // less than asked for
	memset(g_data, 0x5A, 4096);
	CHECK_EQ(win_nvme_pcmd_parse(g_buf, sizeof(g_buf64), nret, g_data, 4096, &cpl), -EPROTO);
	CHECK_EQ(g_data[0], 0x5A);
}

/* Commands Windows does not route, and requests it cannot express */
static void
test_map_refusals(void)
{
	static const uint8_t refused[] = {0x00, 0x01, 0x04, 0x05, 0x08, 0x09, 0x0C,
					  0x10, 0x11, 0x18, 0x19, 0x1A, 0x1C, 0x7C};
	struct xnvme_spec_cmd cmd;
	struct win_nvme_map map;

	for (size_t i = 0; i < sizeof(refused); i++) {
		memset(&cmd, 0, sizeof(cmd));
		cmd.common.opcode = refused[i];
		CHECK_EQ(win_nvme_map_admin(&cmd, 0, 0, &map), -ENOSYS);
	}
	cmd_vendor(&cmd, 0xC3); // both directions
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), -EINVAL);
	cmd_vendor(&cmd, 0xC0); // no data, yet a buffer
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), -EINVAL);
	CHECK_EQ(win_nvme_map_admin(&cmd, 0, 0, &map), 0);
	cmd_vendor(&cmd, 0xC2); // metadata
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 8, &map), -EINVAL);
	cmd.common.fuse = 1;
	CHECK_EQ(win_nvme_map_admin(&cmd, 512, 0, &map), -EINVAL);
	cmd.common.fuse = 0;
	CHECK_EQ(win_nvme_map_admin(&cmd, (size_t)UINT32_MAX, 0, &map), -EINVAL); // too long
	CHECK_EQ(win_nvme_map_admin(&cmd, 0, 0, &map), 0); // reads nothing: no direction
	CHECK_EQ(map.dir, WIN_NVME_DIR_NONE);
	CHECK_EQ(win_nvme_map_admin(NULL, 0, 0, &map), -EINVAL);
	CHECK_EQ(win_nvme_map_admin(&cmd, 0, 0, NULL), -EINVAL);
}

int
main(void)
{
	test_sdk_layout();
	test_identify();
	test_log();
	test_gfeat();
	test_query_bad_answers();
	test_pcmd_build();
	test_pcmd_parse();
	test_map_refusals();

	printf("test_win_nvme_ioctl: %d checks, %d failed\n", g_checks, g_fails);
	return g_fails ? 1 : 0;
}
