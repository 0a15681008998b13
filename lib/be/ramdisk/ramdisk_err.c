/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk model's error injection: the identifier's "err=RULE[+RULE...]" names commands the
 * controller fails with a chosen status instead of carrying them out, so that every layer above
 * (sync and async paths, tools, fio) can be shown to report a device's failure faithfully.
 *
 *   RULE   = OPC [@NTH] [xCOUNT] [#SLBA[-ELBA]] :SCT/SC[/dnr]
 *   OPC    = a name (read, write, flush, ...; admin: identify, getlog, ...) or ioN / admN (opcode
 * N)
 *
 * A rule counts the commands it matches (opcode, queue kind, LBA range); it fails the NTH and the
 * COUNT-1 after it. Without @ and x it fails every match; @NTH alone fails one; xinf: no end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_dev.h"
#include "xnvme_cmd.h"
#include "xnvme_be_ramdisk.h"

struct rd_err_name {
	const char *name;
	uint8_t admin;
	uint8_t opc;
};

/* KV names share opcodes with NVM ones (store is write's 01h): a rule matches the opcode */
static const struct rd_err_name rd_err_names[] = {
    {"flush", 0, XNVME_SPEC_NVM_OPC_FLUSH},
    {"write", 0, XNVME_SPEC_NVM_OPC_WRITE},
    {"read", 0, XNVME_SPEC_NVM_OPC_READ},
    {"wunc", 0, XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE},
    {"compare", 0, XNVME_SPEC_NVM_OPC_COMPARE},
    {"wzeroes", 0, XNVME_SPEC_NVM_OPC_WRITE_ZEROES},
    {"dsm", 0, XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT},
    {"verify", 0, XNVME_SPEC_NVM_OPC_VERIFY},
    {"copy", 0, XNVME_SPEC_NVM_OPC_SCOPY},
    {"zsend", 0, XNVME_SPEC_ZND_OPC_MGMT_SEND},
    {"zrecv", 0, XNVME_SPEC_ZND_OPC_MGMT_RECV},
    {"zappend", 0, XNVME_SPEC_ZND_OPC_APPEND},
    {"store", 0, XNVME_SPEC_KV_OPC_STORE},
    {"retrieve", 0, XNVME_SPEC_KV_OPC_RETRIEVE},
    {"list", 0, XNVME_SPEC_KV_OPC_LIST},
    {"delete", 0, XNVME_SPEC_KV_OPC_DELETE},
    {"exist", 0, XNVME_SPEC_KV_OPC_EXIST},
    {"getlog", 1, XNVME_SPEC_ADM_OPC_LOG},
    {"identify", 1, XNVME_SPEC_ADM_OPC_IDFY},
    {"setfeat", 1, XNVME_SPEC_ADM_OPC_SFEAT},
    {"getfeat", 1, XNVME_SPEC_ADM_OPC_GFEAT},
    {"selftest", 1, XNVME_SPEC_ADM_OPC_DST},
    {"format", 1, XNVME_SPEC_ADM_OPC_FMT},
    {"sanitize", 1, XNVME_SPEC_ADM_OPC_SANITIZE},
};

/* A number at *s (C's bases: 0x.. hex), at most @p max; *s moves past it */
static int
err_num(const char **s, uint64_t max, uint64_t *val)
{
	char *end;

	if (**s < '0' || **s > '9') {
		return -EINVAL;
	}
	errno = 0;
	*val = strtoull(*s, &end, 0);
	if (errno || *val > max) {
		return -EINVAL;
	}
	*s = end;
	return 0;
}

/* The OPC of a rule: a name, or io/adm and an opcode number */
static int
err_opc(const char **s, struct rd_err_rule *r)
{
	uint64_t val;

	for (size_t i = 0; i < sizeof(rd_err_names) / sizeof(rd_err_names[0]); ++i) {
		size_t len = strlen(rd_err_names[i].name);

		if (!strncmp(*s, rd_err_names[i].name, len) && !strchr("0123456789", (*s)[len])) {
			r->admin = rd_err_names[i].admin;
			r->opc = rd_err_names[i].opc;
			*s += len;
			return 0;
		}
	}
	r->admin = !strncmp(*s, "adm", 3);
	if (!r->admin && strncmp(*s, "io", 2)) {
		return -EINVAL;
	}
	*s += r->admin ? 3 : 2;
	if (err_num(s, 0xFF, &val)) {
		return -EINVAL;
	}
	r->opc = (uint8_t)val;
	return 0;
}

/* [@NTH][xCOUNT][#SLBA[-ELBA]] */
static int
err_where(const char **s, struct rd_err_rule *r)
{
	r->nth = 1;
	r->count = UINT64_MAX;
	if (**s == '@') {
		++*s;
		if (err_num(s, UINT64_MAX, &r->nth) || !r->nth) {
			return -EINVAL;
		}
		r->count = 1;
	}
	if (**s == 'x') {
		++*s;
		if (!strncmp(*s, "inf", 3)) {
			r->count = UINT64_MAX;
			*s += 3;
		} else if (err_num(s, UINT64_MAX, &r->count) || !r->count) {
			return -EINVAL;
		}
	}
	if (**s == '#') {
		++*s;
		r->has_lba = 1;
		if (err_num(s, UINT64_MAX, &r->slba)) {
			return -EINVAL;
		}
		r->elba = r->slba;
		if (**s == '-') {
			++*s;
			if (err_num(s, UINT64_MAX, &r->elba) || r->elba < r->slba) {
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* :SCT/SC[/dnr]; a status of 0/0 is success, not an error */
static int
err_status(const char **s, struct rd_err_rule *r)
{
	uint64_t sct, sc;

	if (**s != ':') {
		return -EINVAL;
	}
	++*s;
	if (err_num(s, 7, &sct) || **s != '/') {
		return -EINVAL;
	}
	++*s;
	if (err_num(s, 0xFF, &sc) || (!sct && !sc)) {
		return -EINVAL;
	}
	r->sct = (uint8_t)sct;
	r->sc = (uint8_t)sc;
	if (!strcmp(*s, "/dnr")) {
		r->dnr = 1;
		*s += 4;
	}
	return **s ? -EINVAL : 0;
}

int
rd_err_parse(const char *val, struct rd_err_rule *rules, uint32_t *nrules, char *why,
	     size_t why_len)
{
	char text[384], *save = NULL, *tok;
	size_t len = strlen(val);

	*nrules = 0;
	if (!len || len >= sizeof(text) || val[0] == '+' || val[len - 1] == '+' ||
	    strstr(val, "++")) {
		snprintf(why, why_len, "err: rules are joined by single '+' (none empty)");
		return -EINVAL;
	}
	strcpy(text, val);
	for (tok = strtok_r(text, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
		struct rd_err_rule *r = &rules[*nrules];
		const char *s = tok;

		if (*nrules == RD_ERR_MAX) {
			snprintf(why, why_len, "err: more than %d rules", RD_ERR_MAX);
			return -EINVAL;
		}
		memset(r, 0, sizeof(*r));
		if (err_opc(&s, r) || err_where(&s, r) || err_status(&s, r) ||
		    (r->admin && r->has_lba)) {
			snprintf(why, why_len,
				 "err: the rule '%.40s' is not "
				 "OPC[@NTH][xCOUNT][#SLBA[-ELBA]]:SCT/SC[/dnr] "
				 "(an LBA range only for I/O, status not 0/0)",
				 tok);
			return -EINVAL;
		}
		++*nrules;
	}
	return 0;
}

/* The command's LBA range (dwords 10-12, NLB zero-based) meets the rule's */
static int
err_lba_match(const struct rd_err_rule *r, const struct xnvme_cmd_ctx *ctx)
{
	uint64_t slba = ctx->cmd.nvm.slba, elba = slba + ctx->cmd.nvm.nlb;

	return slba <= r->elba && elba >= r->slba;
}

int
rd_err_inject(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, int admin)
{
	const struct rd_err_rule *hit = NULL;

	for (uint32_t i = 0; i < ctrl->nerr; ++i) {
		struct rd_err_rule *r = &ctrl->err[i];

		if (r->admin != admin || r->opc != ctx->cmd.common.opcode ||
		    (r->has_lba && !err_lba_match(r, ctx))) {
			continue;
		}
		/* Every rule counts its matches, whether or not an earlier rule fails the command
		 */
		r->seen++;
		if (!hit && r->seen >= r->nth && r->seen - r->nth < r->count) {
			hit = r;
		}
	}
	if (!hit) {
		return 0;
	}
	return rd_status_dnr(ctrl, ctx, hit->sct, hit->sc, hit->dnr);
}
