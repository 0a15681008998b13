/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names of the command-side enum values (opcodes, status codes, flags, zone actions and states) as
 * xNVMe 0.7.5 gives them: mostly the constant's name without "XNVME_SPEC_", a few with it, and
 * "ENOSYS" for any value the enum does not have. Callers print and compare these strings, so they
 * are kept exactly, irregular prefixes included; spec_str.c has the specification's names.
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

#define SPEC_NAME_OF(names, val) spec_name_of(names, sizeof(names) / sizeof(names[0]), (int)(val))

static const struct spec_name g_adm_opc[] = {
    {XNVME_SPEC_ADM_OPC_LOG, "ADM_OPC_LOG"},     {XNVME_SPEC_ADM_OPC_IDFY, "ADM_OPC_IDFY"},
    {XNVME_SPEC_ADM_OPC_SFEAT, "ADM_OPC_SFEAT"}, {XNVME_SPEC_ADM_OPC_GFEAT, "ADM_OPC_GFEAT"},
    {XNVME_SPEC_ADM_OPC_DSEND, "ADM_OPC_DSEND"}, {XNVME_SPEC_ADM_OPC_DRECV, "ADM_OPC_DRECV"},
};

const char *
xnvme_spec_adm_opc_str(enum xnvme_spec_adm_opc eval)
{
	return SPEC_NAME_OF(g_adm_opc, eval);
}

static const struct spec_name g_nvm_opc[] = {
    {XNVME_SPEC_NVM_OPC_FLUSH, "NVM_OPC_FLUSH"},
    {XNVME_SPEC_NVM_OPC_WRITE, "NVM_OPC_WRITE"},
    {XNVME_SPEC_NVM_OPC_READ, "NVM_OPC_READ"},
    {XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE, "NVM_OPC_WRITE_UNCORRECTABLE"},
    {XNVME_SPEC_NVM_OPC_COMPARE, "NVM_OPC_COMPARE"},
    {XNVME_SPEC_NVM_OPC_WRITE_ZEROES, "NVM_OPC_WRITE_ZEROES"},
    {XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT, "XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT"},
    {XNVME_SPEC_NVM_OPC_SCOPY, "NVM_OPC_SCOPY"},
    {XNVME_SPEC_NVM_OPC_IO_MGMT_RECV, "XNVME_SPEC_NVM_OPC_IO_MGMT_RECV"},
    {XNVME_SPEC_NVM_OPC_IO_MGMT_SEND, "XNVME_SPEC_NVM_OPC_IO_MGMT_SEND"},
    {XNVME_SPEC_NVM_OPC_FMT, "NVM_OPC_FMT"},
    {XNVME_SPEC_NVM_OPC_SANITIZE, "NVM_OPC_SANITIZE"},
};

const char *
xnvme_spec_nvm_opc_str(enum xnvme_spec_nvm_opc eval)
{
	return SPEC_NAME_OF(g_nvm_opc, eval);
}

static const struct spec_name g_znd_opc[] = {
    {XNVME_SPEC_ZND_OPC_MGMT_SEND, "ZND_OPC_MGMT_SEND"},
    {XNVME_SPEC_ZND_OPC_MGMT_RECV, "ZND_OPC_MGMT_RECV"},
    {XNVME_SPEC_ZND_OPC_APPEND, "ZND_CMD_OPC_APPEND"},
};

const char *
xnvme_spec_znd_opc_str(enum xnvme_spec_znd_opc eval)
{
	return SPEC_NAME_OF(g_znd_opc, eval);
}

static const struct spec_name g_znd_state[] = {
    {XNVME_SPEC_ZND_STATE_EMPTY, "ZND_STATE_EMPTY"},
    {XNVME_SPEC_ZND_STATE_IOPEN, "ZND_STATE_IOPEN"},
    {XNVME_SPEC_ZND_STATE_EOPEN, "ZND_STATE_EOPEN"},
    {XNVME_SPEC_ZND_STATE_CLOSED, "ZND_STATE_CLOSED"},
    {XNVME_SPEC_ZND_STATE_RONLY, "ZND_STATE_RONLY"},
    {XNVME_SPEC_ZND_STATE_FULL, "ZND_STATE_FULL"},
    {XNVME_SPEC_ZND_STATE_OFFLINE, "ZND_STATE_OFFLINE"},
};

const char *
xnvme_spec_znd_state_str(enum xnvme_spec_znd_state eval)
{
	return SPEC_NAME_OF(g_znd_state, eval);
}

static const struct spec_name g_znd_type[] = {
    {XNVME_SPEC_ZND_TYPE_SEQWR, "ZND_TYPE_SEQWR"},
};

const char *
xnvme_spec_znd_type_str(enum xnvme_spec_znd_type eval)
{
	return SPEC_NAME_OF(g_znd_type, eval);
}

static const struct spec_name g_znd_sc[] = {
    {XNVME_SPEC_ZND_SC_INVALID_FORMAT, "ZND_SC_INVALID_FORMAT"},
    {XNVME_SPEC_ZND_SC_INVALID_ZONE_OP, "XNVME_SPEC_ZND_SC_INVALID_ZONE_OP"},
    {XNVME_SPEC_ZND_SC_NOZRWA, "XNVME_SPEC_ZND_SC_NOZRWA"},
    {XNVME_SPEC_ZND_SC_BOUNDARY_ERROR, "ZND_SC_BOUNDARY_ERROR"},
    {XNVME_SPEC_ZND_SC_IS_FULL, "ZND_SC_IS_FULL"},
    {XNVME_SPEC_ZND_SC_IS_READONLY, "ZND_SC_IS_READONLY"},
    {XNVME_SPEC_ZND_SC_IS_OFFLINE, "ZND_SC_IS_OFFLINE"},
    {XNVME_SPEC_ZND_SC_INVALID_WRITE, "ZND_SC_INVALID_WRITE"},
    {XNVME_SPEC_ZND_SC_TOO_MANY_ACTIVE, "ZND_SC_TOO_MANY_ACTIVE"},
    {XNVME_SPEC_ZND_SC_TOO_MANY_OPEN, "ZND_SC_TOO_MANY_OPEN"},
    {XNVME_SPEC_ZND_SC_INVALID_TRANS, "ZND_SC_INVALID_TRANS"},
};

const char *
xnvme_spec_znd_status_code_str(enum xnvme_spec_znd_status_code eval)
{
	return SPEC_NAME_OF(g_znd_sc, eval);
}

static const struct spec_name g_nvm_sc[] = {
    {XNVME_SPEC_NVM_CMD_CPL_SC_WRITE_TO_RONLY, "NVM_CMD_CPL_SC_WRITE_TO_RONLY"},
};

const char *
xnvme_spec_nvm_cmd_cpl_sc_str(enum xnvme_spec_nvm_cmd_cpl_sc eval)
{
	return SPEC_NAME_OF(g_nvm_sc, eval);
}

static const struct spec_name g_flag[] = {
    {XNVME_SPEC_FLAG_LIMITED_RETRY, "FLAG_LIMITED_RETRY"},
    {XNVME_SPEC_FLAG_FORCE_UNIT_ACCESS, "FLAG_FORCE_UNIT_ACCESS"},
    {XNVME_SPEC_FLAG_PRINFO_PRCHK_REF, "FLAG_PRINFO_PRCHK_REF"},
    {XNVME_SPEC_FLAG_PRINFO_PRCHK_APP, "FLAG_PRINFO_PRCHK_APP"},
    {XNVME_SPEC_FLAG_PRINFO_PRCHK_GUARD, "FLAG_PRINFO_PRCHK_GUARD"},
    {XNVME_SPEC_FLAG_PRINFO_PRACT, "FLAG_PRINFO_PRACT"},
};

const char *
xnvme_spec_flag_str(enum xnvme_spec_flag eval)
{
	return SPEC_NAME_OF(g_flag, eval);
}

static const struct spec_name g_psdt[] = {
    {XNVME_SPEC_PSDT_PRP, "PSDT_PRP"},
    {XNVME_SPEC_PSDT_SGL_MPTR_CONTIGUOUS, "PSDT_SGL_MPTR_CONTIGUOUS"},
    {XNVME_SPEC_PSDT_SGL_MPTR_SGL, "PSDT_SGL_MPTR_SGL"},
};

const char *
xnvme_spec_psdt_str(enum xnvme_spec_psdt eval)
{
	return SPEC_NAME_OF(g_psdt, eval);
}

static const struct spec_name g_sgl_subtype[] = {
    {XNVME_SPEC_SGL_DESCR_SUBTYPE_ADDRESS, "SGL_DESCR_SUBTYPE_ADDRESS"},
    {XNVME_SPEC_SGL_DESCR_SUBTYPE_OFFSET, "SGL_DESCR_SUBTYPE_OFFSET"},
};

const char *
xnvme_spec_sgl_descriptor_subtype_str(enum xnvme_spec_sgl_descriptor_subtype eval)
{
	return SPEC_NAME_OF(g_sgl_subtype, eval);
}

static const struct spec_name g_send_action[] = {
    {XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE, "ZND_CMD_MGMT_SEND_CLOSE"},
    {XNVME_SPEC_ZND_CMD_MGMT_SEND_FINISH, "ZND_CMD_MGMT_SEND_FINISH"},
    {XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN, "ZND_CMD_MGMT_SEND_OPEN"},
    {XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET, "ZND_CMD_MGMT_SEND_RESET"},
    {XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE, "ZND_CMD_MGMT_SEND_OFFLINE"},
    {XNVME_SPEC_ZND_CMD_MGMT_SEND_DESCRIPTOR, "ZND_CMD_MGMT_SEND_DESCRIPTOR"},
    {XNVME_SPEC_ZND_CMD_MGMT_SEND_FLUSH, "ZND_CMD_MGMT_SEND_FLUSH"},
};

const char *
xnvme_spec_znd_cmd_mgmt_send_action_str(enum xnvme_spec_znd_cmd_mgmt_send_action eval)
{
	return SPEC_NAME_OF(g_send_action, eval);
}

static const struct spec_name g_send_action_so[] = {
    {XNVME_SPEC_ZND_MGMT_OPEN_WITH_ZRWA, "XNVME_SPEC_ZND_MGMT_OPEN_WITH_ZRWA"},
};

const char *
xnvme_spec_znd_mgmt_send_action_so_str(enum xnvme_spec_znd_mgmt_send_action_so eval)
{
	return SPEC_NAME_OF(g_send_action_so, eval);
}

static const struct spec_name g_recv_action[] = {
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT, "ZND_CMD_MGMT_RECV_ACTION_REPORT"},
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT_EXTENDED,
     "ZND_CMD_MGMT_RECV_ACTION_REPORT_EXTENDED"},
};

const char *
xnvme_spec_znd_cmd_mgmt_recv_action_str(enum xnvme_spec_znd_cmd_mgmt_recv_action eval)
{
	return SPEC_NAME_OF(g_recv_action, eval);
}

static const struct spec_name g_recv_action_sf[] = {
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_ALL, "ZND_CMD_MGMT_RECV_SF_ALL"},
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_EMPTY, "ZND_CMD_MGMT_RECV_SF_EMPTY"},
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_IOPEN, "ZND_CMD_MGMT_RECV_SF_IOPEN"},
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_EOPEN, "ZND_CMD_MGMT_RECV_SF_EOPEN"},
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_CLOSED, "ZND_CMD_MGMT_RECV_SF_CLOSED"},
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_FULL, "ZND_CMD_MGMT_RECV_SF_FULL"},
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_RONLY, "ZND_CMD_MGMT_RECV_SF_RONLY"},
    {XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_OFFLINE, "ZND_CMD_MGMT_RECV_SF_OFFLINE"},
};

const char *
xnvme_spec_znd_cmd_mgmt_recv_action_sf_str(enum xnvme_spec_znd_cmd_mgmt_recv_action_sf eval)
{
	return SPEC_NAME_OF(g_recv_action_sf, eval);
}
