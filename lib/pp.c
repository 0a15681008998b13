/* SPDX-License-Identifier: BSD-3-Clause */
/* YAML printers of the library's own structures: options, identifiers, geometry, devices. */
#include <inttypes.h>
#include <string.h>
#include "xnvme_dev.h"
#include "spec/spec_pp.h"

/* A YAML single-quoted scalar: quotes doubled, so any printable string stays valid YAML. */
static int
pp_str(FILE *stream, const char *str)
{
	int wrtn = 0;

	if (!str) {
		return fprintf(stream, "~");
	}
	wrtn += fprintf(stream, "'");
	for (const char *c = str; *c; ++c) {
		if (*c == '\'') {
			wrtn += fprintf(stream, "''");
		} else if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7E) {
			wrtn += fprintf(stream, "?");
		} else {
			wrtn += fprintf(stream, "%c", *c);
		}
	}
	wrtn += fprintf(stream, "'");
	return wrtn;
}

static int
pp_kv_str(FILE *stream, const char *indent, const char *key, const char *val)
{
	int wrtn = fprintf(stream, "%s%s: ", indent, key);

	wrtn += pp_str(stream, val);
	wrtn += fprintf(stream, "\n");
	return wrtn;
}

/* Every option, in the order xNVMe 0.7.5 prints them (ours after), each line after @p in */
static int
pp_opts_members(FILE *stream, const char *in, const struct xnvme_opts *opts)
{
	int wrtn = 0;

	wrtn += pp_kv_str(stream, in, "be", opts->be);
	wrtn += pp_kv_str(stream, in, "mem", opts->mem);
	wrtn += pp_kv_str(stream, in, "dev", opts->dev);
	wrtn += pp_kv_str(stream, in, "admin", opts->admin);
	wrtn += pp_kv_str(stream, in, "sync", opts->sync);
	wrtn += pp_kv_str(stream, in, "async", opts->async);
	wrtn += fprintf(
	    stream,
	    "%snsid: 0x%" PRIx32 "\n%srdonly: %u\n%swronly: %u\n%srdwr: %u\n%screate: %u\n"
	    "%struncate: %u\n%sdirect: %u\n%screate_mode: 0x%" PRIx32 "\n%spoll_io: %u\n"
	    "%spoll_sq: %u\n%sregister_files: %u\n%sregister_buffers: %u\n",
	    in, opts->nsid, in, opts->rdonly, in, opts->wronly, in, opts->rdwr, in, opts->create,
	    in, opts->truncate, in, opts->direct, in, opts->create_mode, in, opts->poll_io, in,
	    opts->poll_sq, in, opts->register_files, in, opts->register_buffers);
	wrtn += fprintf(stream,
			"%scss.given: %" PRIu32 "\n%scss.value: 0x%" PRIx32
			"\n%suse_cmb_sqs: 0x%" PRIx32 "\n%sshm_id: 0x%" PRIx32
			"\n%smain_core: 0x%" PRIx32 "\n",
			in, opts->css.given, in, opts->css.value, in, opts->use_cmb_sqs, in,
			opts->shm_id, in, opts->main_core);
	wrtn += pp_kv_str(stream, in, "core_mask", opts->core_mask);
	wrtn += pp_kv_str(stream, in, "adrfam", opts->adrfam);
	wrtn += fprintf(stream, "%sspdk_fabrics: 0x%" PRIx32 "\n", in, opts->spdk_fabrics);
	wrtn += pp_kv_str(stream, in, "subnqn", opts->subnqn);
	wrtn += pp_kv_str(stream, in, "hostnqn", opts->hostnqn);
	wrtn += fprintf(stream, "%sadmin_timeout: %" PRIu32 "\n%scommand_timeout: %" PRIu32 "\n",
			in, opts->admin_timeout, in, opts->command_timeout);
	return wrtn;
}

static int
pp_opts(FILE *stream, const struct xnvme_opts *opts, int pr_opts)
{
	(void)pr_opts;
	return fprintf(stream, "xnvme_opts:\n") + pp_opts_members(stream, "  ", opts);
}

SPEC_PP_PRINTERS(opts, const struct xnvme_opts *, "xnvme_opts")

/* The members of an identifier, each line starting with @p indent */
static int
pp_ident_members(FILE *stream, const char *indent, const struct xnvme_ident *ident)
{
	int wrtn = 0;

	wrtn += pp_kv_str(stream, indent, "uri", ident->uri);
	wrtn += fprintf(stream, "%sdtype: 0x%" PRIx32 "\n%snsid: 0x%" PRIx32 "\n%scsi: 0x%x\n",
			indent, ident->dtype, indent, ident->nsid, indent, ident->csi);
	wrtn += pp_kv_str(stream, indent, "subnqn", ident->subnqn);
	return wrtn;
}

static int
pp_ident(FILE *stream, const struct xnvme_ident *ident, int opts)
{
	(void)opts;
	return fprintf(stream, "xnvme_ident:\n") + pp_ident_members(stream, "  ", ident);
}

SPEC_PP_PRINTERS(ident, const struct xnvme_ident *, "xnvme_ident")

/* The enumerator's own name, as xNVMe 0.7.5 prints the type */
static const char *
pp_geo_type_str(enum xnvme_geo_type type)
{
	switch (type) {
	case XNVME_GEO_CONVENTIONAL:
		return "XNVME_GEO_CONVENTIONAL";
	case XNVME_GEO_ZONED:
		return "XNVME_GEO_ZONED";
	case XNVME_GEO_KV:
		return "XNVME_GEO_KV";
	default:
		return "XNVME_GEO_UNKNOWN";
	}
}

static int
pp_geo_members(FILE *stream, const char *in, const struct xnvme_geo *geo)
{
	return fprintf(stream,
		       "%stype: %s\n%snpugrp: %" PRIu32 "\n%snpunit: %" PRIu32 "\n%snzone: %" PRIu32
		       "\n%snsect: %" PRIu64 "\n%snbytes: %" PRIu32 "\n%snbytes_oob: %" PRIu32
		       "\n%stbytes: %" PRIu64 "\n%smdts_nbytes: %" PRIu32 "\n%slba_nbytes: %" PRIu32
		       "\n%slba_extended: %u\n%sssw: %" PRIu64 "\n%spi_type: %u\n%spi_loc: %u\n"
		       "%spi_format: %u\n",
		       in, pp_geo_type_str(geo->type), in, geo->npugrp, in, geo->npunit, in,
		       geo->nzone, in, geo->nsect, in, geo->nbytes, in, geo->nbytes_oob, in,
		       geo->tbytes, in, geo->mdts_nbytes, in, geo->lba_nbytes, in,
		       geo->lba_extended, in, geo->ssw, in, geo->pi_type, in, geo->pi_loc, in,
		       geo->pi_format);
}

static int
pp_geo(FILE *stream, const struct xnvme_geo *geo, int opts)
{
	(void)opts;
	return fprintf(stream, "xnvme_geo:\n") + pp_geo_members(stream, "  ", geo);
}

SPEC_PP_PRINTERS(geo, const struct xnvme_geo *, "xnvme_geo")

/*
 * xNVMe 0.7.5's document shape: the identifier, the interfaces bound (plus mem, ours), the
 * options (0.7.5 prints the interface names only; the rest are ours) and the geometry, each
 * nested under xnvme_dev.
 */
static int
pp_dev(FILE *stream, const struct xnvme_dev *dev, int opts)
{
	int wrtn = 0;

	(void)opts;
	wrtn += fprintf(stream, "xnvme_dev:\n  xnvme_ident:\n");
	wrtn += pp_ident_members(stream, "    ", &dev->ident);
	wrtn += fprintf(stream, "  xnvme_be:\n    admin: {id: ");
	wrtn += pp_str(stream, dev->admin->id);
	wrtn += fprintf(stream, "}\n    sync: {id: ");
	wrtn += pp_str(stream, dev->sync->id);
	wrtn += fprintf(stream, "}\n    async: {id: ");
	wrtn += pp_str(stream, dev->async->id);
	wrtn += fprintf(stream, "}\n    mem: {id: ");
	wrtn += pp_str(stream, dev->mem->id);
	wrtn += fprintf(stream, "}\n    attr: {name: ");
	wrtn += pp_str(stream, dev->be->name);
	wrtn += fprintf(stream, "}\n  xnvme_opts:\n");
	wrtn += pp_opts_members(stream, "    ", &dev->opts);
	wrtn += fprintf(stream, "  xnvme_geo:\n");
	wrtn += pp_geo_members(stream, "    ", &dev->geo);
	return wrtn;
}

SPEC_PP_PRINTERS(dev, const struct xnvme_dev *, "xnvme_dev")

static int
pp_cmd_ctx(FILE *stream, const struct xnvme_cmd_ctx *ctx, int opts)
{
	int wrtn = 0;

	(void)opts;
	wrtn += fprintf(stream, "xnvme_cmd_ctx:\n  cmd:\n");
	wrtn += fprintf(
	    stream, "    opcode: 0x%02x\n    opcode_name: '%s'\n    nsid: 0x%" PRIx32 "\n",
	    ctx->cmd.common.opcode, spec_io_opc_name(ctx->cmd.common.opcode), ctx->cmd.common.nsid);
	wrtn += fprintf(stream, "    cdw: [");
	for (int i = 0; i < 16; ++i) {
		wrtn += fprintf(stream, "%s0x%08" PRIx32, i ? ", " : "", ctx->cmd.cdw[i]);
	}
	wrtn += fprintf(stream, "]\n  cpl:\n");
	wrtn +=
	    fprintf(stream,
		    "    cdw0: 0x%08" PRIx32 "\n    sqhd: 0x%04x\n    sqid: 0x%04x\n"
		    "    cid: 0x%04x\n    status: {sct: 0x%x, sc: 0x%02x, dnr: %u, m: %u, "
		    "name: '%s'}\n",
		    ctx->cpl.cdw0, ctx->cpl.sqhd, ctx->cpl.sqid, ctx->cpl.cid, ctx->cpl.status.sct,
		    ctx->cpl.status.sc, ctx->cpl.status.dnr, ctx->cpl.status.m,
		    xnvme_spec_status_str(ctx->cpl.status.sct, ctx->cpl.status.sc));
	return wrtn;
}

SPEC_PP_DOC(cmd_ctx, const struct xnvme_cmd_ctx *, "xnvme_cmd_ctx")

void
xnvme_cmd_ctx_pr(const struct xnvme_cmd_ctx *ctx, int opts)
{
	xnvme_cmd_ctx_fpr(stdout, ctx, opts);
}

/* Printers whose opts have no terse form say so, as xNVMe's do, in a YAML comment */
static int
pp_no_terse(FILE *stream, int opts)
{
	return fprintf(stream, "# ENOSYS: opts(%d)", opts);
}

int
xnvme_be_attr_fpr(FILE *stream, const struct xnvme_be_attr *attr, int opts)
{
	int wrtn = 0;

	if (opts & XNVME_PR_TERSE) {
		return pp_no_terse(stream, opts);
	}
	if (!attr) {
		return fprintf(stream, "~\n");
	}
	wrtn += fprintf(stream, "name: ");
	wrtn += pp_str(stream, attr->name);
	wrtn += fprintf(stream, "\n    enabled: %u\n", attr->enabled);
	return wrtn;
}

SPEC_PP_STDOUT(be_attr, const struct xnvme_be_attr *)

static int
pp_be_attr_list(FILE *stream, const struct xnvme_be_attr_list *list, int opts)
{
	int wrtn = 0;

	if (opts & XNVME_PR_TERSE) {
		return pp_no_terse(stream, opts);
	}
	wrtn += fprintf(stream, "xnvme_be_attr_list:\n  count: %d\n  capacity: %" PRIu32 "\n",
			list->count, list->capacity);
	wrtn += fprintf(stream, "  items:\n");
	for (int i = 0; i < list->count; ++i) {
		wrtn += fprintf(stream, "  - ");
		wrtn += xnvme_be_attr_fpr(stream, &list->item[i], opts);
		wrtn += fprintf(stream, "\n");
	}
	return wrtn;
}

SPEC_PP_PRINTERS(be_attr_list, const struct xnvme_be_attr_list *, "xnvme_be_attr_list")

int
xnvme_lba_fpr(FILE *stream, uint64_t lba, enum xnvme_pr opts)
{
	switch (opts) {
	case XNVME_PR_TERSE:
		return fprintf(stream, "0x%016" PRIx64, lba);
	case XNVME_PR_DEF:
	case XNVME_PR_YAML:
		return fprintf(stream, "lba: 0x%016" PRIx64 "\n", lba);
	}
	return 0;
}

int
xnvme_lba_pr(uint64_t lba, enum xnvme_pr opts)
{
	return xnvme_lba_fpr(stdout, lba, opts);
}

int
xnvme_lba_fprn(FILE *stream, const uint64_t *lba, uint16_t nlb, enum xnvme_pr opts)
{
	int wrtn = 0;

	if (opts & XNVME_PR_TERSE) {
		return pp_no_terse(stream, opts);
	}
	wrtn += fprintf(stream, "nlbas: %u\nlbas:%s\n", nlb, nlb && lba ? "" : " []");
	for (uint16_t i = 0; lba && i < nlb; ++i) {
		wrtn += fprintf(stream, "  - 0x%016" PRIx64 "\n", lba[i]);
	}
	return wrtn;
}

int
xnvme_lba_prn(const uint64_t *lba, uint16_t nlb, enum xnvme_pr opts)
{
	return xnvme_lba_fprn(stdout, lba, nlb, opts);
}

int
xnvme_ident_yaml(FILE *stream, const struct xnvme_ident *ident, int indent, const char *sep,
		 int head)
{
	int wrtn = 0;

	if (head) {
		wrtn += fprintf(stream, "%*sxnvme_ident:", indent, "");
		if (!ident) {
			return wrtn + fprintf(stream, " ~");
		}
		wrtn += fprintf(stream, "\n");
		indent += 2;
	}
	if (!ident) {
		return wrtn + fprintf(stream, "%*s~", indent, "");
	}
	sep = sep ? sep : "\n";
	wrtn += fprintf(stream, "%*suri: ", indent, "");
	wrtn += pp_str(stream, ident->uri);
	wrtn += fprintf(stream, "%s%*sdtype: 0x%x", sep, indent, "", ident->dtype);
	wrtn += fprintf(stream, "%s%*snsid: 0x%x", sep, indent, "", ident->nsid);
	wrtn += fprintf(stream, "%s%*scsi: 0x%x", sep, indent, "", ident->csi);
	wrtn += fprintf(stream, "%s%*ssubnqn: ", sep, indent, "");
	wrtn += pp_str(stream, ident->subnqn);
	return wrtn;
}
