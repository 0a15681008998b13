/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xnvme_spec_<enum>_str(): the names xNVMe 0.7.5 gives the values of its enums (opcodes, status
 * codes, flags, zone actions and states, command sets, CNS values, log pages, features), mostly
 * the constant's name without "XNVME_SPEC_", a few with it or otherwise irregular, and "ENOSYS"
 * for any value the enum does not have. Callers print and compare these strings, so they are kept
 * exactly; spec_str.c has the specification's names.
 */
#include "spec_pp.h"

struct spec_name {
	int val;
	const char *name;
};

static const char *
spec_name_of(const struct spec_name *names, size_t nnames, int val)
{
	for (size_t i = 0; i < nnames; ++i) {
		if (names[i].val == val) {
			return names[i].name;
		}
	}
	return "ENOSYS";
}

/* Defines xnvme_spec_<e>_str() over the list of value-name pairs that follows */
#define SPEC_ENUM_STR(e, ...)                                                                      \
	const char *xnvme_spec_##e##_str(enum xnvme_spec_##e eval)                                 \
	{                                                                                          \
		static const struct spec_name names[] = {__VA_ARGS__};                             \
		return spec_name_of(names, XNVME_ARRAY_SIZE(names), (int)eval);                    \
	}

/* The constant XNVME_SPEC_<c> named "<c>", as most are; FULL keeps the prefix in the name */
/* clang-format off */
#define N(c)    {XNVME_SPEC_##c, #c}
#define FULL(c) {XNVME_SPEC_##c, "XNVME_SPEC_" #c}
/* clang-format on */

SPEC_ENUM_STR(adm_opc, N(ADM_OPC_LOG), N(ADM_OPC_IDFY), N(ADM_OPC_SFEAT), N(ADM_OPC_GFEAT),
	      N(ADM_OPC_DSEND), N(ADM_OPC_DRECV))

SPEC_ENUM_STR(nvm_opc, N(NVM_OPC_FLUSH), N(NVM_OPC_WRITE), N(NVM_OPC_READ),
	      N(NVM_OPC_WRITE_UNCORRECTABLE), N(NVM_OPC_COMPARE), N(NVM_OPC_WRITE_ZEROES),
	      FULL(NVM_OPC_DATASET_MANAGEMENT), N(NVM_OPC_SCOPY), FULL(NVM_OPC_IO_MGMT_RECV),
	      FULL(NVM_OPC_IO_MGMT_SEND), N(NVM_OPC_FMT), N(NVM_OPC_SANITIZE))

SPEC_ENUM_STR(znd_opc, N(ZND_OPC_MGMT_SEND), N(ZND_OPC_MGMT_RECV),
	      {XNVME_SPEC_ZND_OPC_APPEND, "ZND_CMD_OPC_APPEND"})

SPEC_ENUM_STR(znd_state, N(ZND_STATE_EMPTY), N(ZND_STATE_IOPEN), N(ZND_STATE_EOPEN),
	      N(ZND_STATE_CLOSED), N(ZND_STATE_RONLY), N(ZND_STATE_FULL), N(ZND_STATE_OFFLINE))

SPEC_ENUM_STR(znd_type, N(ZND_TYPE_SEQWR))

SPEC_ENUM_STR(znd_status_code, N(ZND_SC_INVALID_FORMAT), FULL(ZND_SC_INVALID_ZONE_OP),
	      FULL(ZND_SC_NOZRWA), N(ZND_SC_BOUNDARY_ERROR), N(ZND_SC_IS_FULL),
	      N(ZND_SC_IS_READONLY), N(ZND_SC_IS_OFFLINE), N(ZND_SC_INVALID_WRITE),
	      N(ZND_SC_TOO_MANY_ACTIVE), N(ZND_SC_TOO_MANY_OPEN), N(ZND_SC_INVALID_TRANS))

SPEC_ENUM_STR(nvm_cmd_cpl_sc, N(NVM_CMD_CPL_SC_WRITE_TO_RONLY))

SPEC_ENUM_STR(flag, N(FLAG_LIMITED_RETRY), N(FLAG_FORCE_UNIT_ACCESS), N(FLAG_PRINFO_PRCHK_REF),
	      N(FLAG_PRINFO_PRCHK_APP), N(FLAG_PRINFO_PRCHK_GUARD), N(FLAG_PRINFO_PRACT))

SPEC_ENUM_STR(psdt, N(PSDT_PRP), N(PSDT_SGL_MPTR_CONTIGUOUS), N(PSDT_SGL_MPTR_SGL))

SPEC_ENUM_STR(sgl_descriptor_subtype, N(SGL_DESCR_SUBTYPE_ADDRESS), N(SGL_DESCR_SUBTYPE_OFFSET))

SPEC_ENUM_STR(znd_cmd_mgmt_send_action, N(ZND_CMD_MGMT_SEND_CLOSE), N(ZND_CMD_MGMT_SEND_FINISH),
	      N(ZND_CMD_MGMT_SEND_OPEN), N(ZND_CMD_MGMT_SEND_RESET), N(ZND_CMD_MGMT_SEND_OFFLINE),
	      N(ZND_CMD_MGMT_SEND_DESCRIPTOR), N(ZND_CMD_MGMT_SEND_FLUSH))

SPEC_ENUM_STR(znd_mgmt_send_action_so, FULL(ZND_MGMT_OPEN_WITH_ZRWA))

SPEC_ENUM_STR(znd_cmd_mgmt_recv_action, N(ZND_CMD_MGMT_RECV_ACTION_REPORT),
	      N(ZND_CMD_MGMT_RECV_ACTION_REPORT_EXTENDED))

SPEC_ENUM_STR(znd_cmd_mgmt_recv_action_sf, N(ZND_CMD_MGMT_RECV_SF_ALL),
	      N(ZND_CMD_MGMT_RECV_SF_EMPTY), N(ZND_CMD_MGMT_RECV_SF_IOPEN),
	      N(ZND_CMD_MGMT_RECV_SF_EOPEN), N(ZND_CMD_MGMT_RECV_SF_CLOSED),
	      N(ZND_CMD_MGMT_RECV_SF_FULL), N(ZND_CMD_MGMT_RECV_SF_RONLY),
	      N(ZND_CMD_MGMT_RECV_SF_OFFLINE))

SPEC_ENUM_STR(csi, N(CSI_NVM), N(CSI_KV), N(CSI_ZONED), N(CSI_FS), N(CSI_NOCHECK))

SPEC_ENUM_STR(idfy_cns, N(IDFY_NS), N(IDFY_CTRLR), N(IDFY_NSLIST), N(IDFY_NSDSCR), N(IDFY_SETL),
	      N(IDFY_NS_IOCS), N(IDFY_CTRLR_IOCS), N(IDFY_NSLIST_IOCS), N(IDFY_NSLIST_ALLOC),
	      N(IDFY_NS_ALLOC), N(IDFY_CTRLR_NS), N(IDFY_CTRLR_SUB), N(IDFY_CTRLR_PRI),
	      N(IDFY_CTRLR_SEC), N(IDFY_NSGRAN), N(IDFY_UUIDL), N(IDFY_NSLIST_ALLOC_IOCS),
	      N(IDFY_NS_ALLOC_IOCS), N(IDFY_IOCS))

SPEC_ENUM_STR(log_lpi, N(LOG_RSVD), N(LOG_ERRI), N(LOG_HEALTH), N(LOG_FW), N(LOG_CHNS), N(LOG_CSAE),
	      N(LOG_SELFTEST), N(LOG_TELEHOST), N(LOG_TELECTRLR), N(LOG_FDPCONF), N(LOG_FDPRUHU),
	      N(LOG_FDPSTATS), N(LOG_FDPEVENTS), N(LOG_SANITIZE))

SPEC_ENUM_STR(znd_log_lid, N(LOG_ZND_CHANGES))

SPEC_ENUM_STR(feat_id, N(FEAT_ARBITRATION), N(FEAT_PWR_MGMT), N(FEAT_LBA_RANGETYPE),
	      N(FEAT_TEMP_THRESHOLD), N(FEAT_ERROR_RECOVERY), N(FEAT_VWCACHE), N(FEAT_NQUEUES),
	      N(FEAT_INTR_COALESCING), N(FEAT_INTR_VCONF), N(FEAT_WRITE_ATOMICITY),
	      N(FEAT_ASYNC_EVENT_CONF), N(FEAT_HOST_BEHAVIOR), N(FEAT_FDP_MODE), N(FEAT_FDP_EVENTS))

SPEC_ENUM_STR(feat_sel, N(FEAT_SEL_CURRENT), N(FEAT_SEL_DEFAULT), N(FEAT_SEL_SAVED),
	      N(FEAT_SEL_SUPPORTED))
