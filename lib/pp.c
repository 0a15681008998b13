/* SPDX-License-Identifier: BSD-3-Clause */
/* YAML printers of the library's own structures: options, identifiers, geometry, devices. */
#include <inttypes.h>
#include <string.h>
#include "xnvme_dev.h"

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

int
xnvme_opts_fpr(FILE *stream, const struct xnvme_opts *opts, int pr_opts)
{
	int wrtn = 0;

	(void)pr_opts;
	if (!opts) {
		return fprintf(stream, "xnvme_opts: ~\n");
	}
	wrtn += fprintf(stream, "xnvme_opts:\n");
	wrtn += pp_kv_str(stream, "  ", "be", opts->be);
	wrtn += pp_kv_str(stream, "  ", "mem", opts->mem);
	wrtn += pp_kv_str(stream, "  ", "dev", opts->dev);
	wrtn += pp_kv_str(stream, "  ", "admin", opts->admin);
	wrtn += pp_kv_str(stream, "  ", "sync", opts->sync);
	wrtn += pp_kv_str(stream, "  ", "async", opts->async);
	wrtn += fprintf(stream,
			"  nsid: 0x%" PRIx32 "\n  rdonly: %u\n  wronly: %u\n  rdwr: %u\n"
			"  create: %u\n  truncate: %u\n  direct: %u\n  create_mode: 0x%" PRIx32 "\n"
			"  poll_io: %u\n  poll_sq: %u\n  register_files: %u\n"
			"  register_buffers: %u\n  admin_timeout: %" PRIu32
			"\n  command_timeout: %" PRIu32 "\n",
			opts->nsid, opts->rdonly, opts->wronly, opts->rdwr, opts->create,
			opts->truncate, opts->direct, opts->create_mode, opts->poll_io,
			opts->poll_sq, opts->register_files, opts->register_buffers,
			opts->admin_timeout, opts->command_timeout);
	if (opts->subnqn || opts->hostnqn) {
		wrtn += pp_kv_str(stream, "  ", "subnqn", opts->subnqn);
		wrtn += pp_kv_str(stream, "  ", "hostnqn", opts->hostnqn);
	}
	return wrtn;
}

int
xnvme_opts_pr(const struct xnvme_opts *opts, int pr_opts)
{
	return xnvme_opts_fpr(stdout, opts, pr_opts);
}

static const char *
pp_dtype_str(uint32_t dtype)
{
	switch (dtype) {
	case XNVME_DEV_TYPE_NVME_CONTROLLER:
		return "nvme_controller";
	case XNVME_DEV_TYPE_NVME_NAMESPACE:
		return "nvme_namespace";
	case XNVME_DEV_TYPE_BLOCK_DEVICE:
		return "block_device";
	case XNVME_DEV_TYPE_FS_FILE:
		return "file";
	case XNVME_DEV_TYPE_RAMDISK:
		return "ramdisk";
	default:
		return "unknown";
	}
}

int
xnvme_ident_fpr(FILE *stream, const struct xnvme_ident *ident, int opts)
{
	int wrtn = 0;

	(void)opts;
	if (!ident) {
		return fprintf(stream, "xnvme_ident: ~\n");
	}
	wrtn += fprintf(stream, "xnvme_ident:\n");
	wrtn += pp_kv_str(stream, "  ", "uri", ident->uri);
	wrtn += fprintf(stream, "  dtype: '%s'\n  nsid: 0x%" PRIx32 "\n  csi: 0x%x\n",
			pp_dtype_str(ident->dtype), ident->nsid, ident->csi);
	if (ident->subnqn[0]) {
		wrtn += pp_kv_str(stream, "  ", "subnqn", ident->subnqn);
	}
	return wrtn;
}

int
xnvme_ident_pr(const struct xnvme_ident *ident, int opts)
{
	return xnvme_ident_fpr(stdout, ident, opts);
}

static const char *
pp_geo_type_str(enum xnvme_geo_type type)
{
	switch (type) {
	case XNVME_GEO_CONVENTIONAL:
		return "conventional";
	case XNVME_GEO_ZONED:
		return "zoned";
	case XNVME_GEO_KV:
		return "kv";
	default:
		return "unknown";
	}
}

int
xnvme_geo_fpr(FILE *stream, const struct xnvme_geo *geo, int opts)
{
	(void)opts;
	if (!geo) {
		return fprintf(stream, "xnvme_geo: ~\n");
	}
	return fprintf(stream,
		       "xnvme_geo:\n  type: '%s'\n  npugrp: %" PRIu32 "\n  npunit: %" PRIu32
		       "\n  nzone: %" PRIu32 "\n  nsect: %" PRIu64 "\n  nbytes: %" PRIu32
		       "\n  nbytes_oob: %" PRIu32 "\n  tbytes: %" PRIu64 "\n  mdts_nbytes: %" PRIu64
		       "\n  lba_nbytes: %" PRIu32 "\n  lba_extended: %u\n  ssw: %u\n"
		       "  pi_type: %u\n  pi_loc: %u\n  pi_format: %u\n",
		       pp_geo_type_str(geo->type), geo->npugrp, geo->npunit, geo->nzone, geo->nsect,
		       geo->nbytes, geo->nbytes_oob, geo->tbytes, geo->mdts_nbytes, geo->lba_nbytes,
		       geo->lba_extended, geo->ssw, geo->pi_type, geo->pi_loc, geo->pi_format);
}

int
xnvme_geo_pr(const struct xnvme_geo *geo, int opts)
{
	return xnvme_geo_fpr(stdout, geo, opts);
}

int
xnvme_dev_fpr(FILE *stream, const struct xnvme_dev *dev, int opts)
{
	int wrtn = 0;

	if (!dev) {
		return fprintf(stream, "xnvme_dev: ~\n");
	}
	wrtn += fprintf(stream, "xnvme_dev:\n");
	wrtn += pp_kv_str(stream, "  ", "uri", dev->ident.uri);
	wrtn += fprintf(stream, "  dtype: '%s'\n  nsid: 0x%" PRIx32 "\n  csi: 0x%x\n",
			pp_dtype_str(dev->ident.dtype), dev->ident.nsid, dev->ident.csi);
	wrtn += pp_kv_str(stream, "  ", "be", dev->be->name);
	wrtn += pp_kv_str(stream, "  ", "admin", dev->admin->id);
	wrtn += pp_kv_str(stream, "  ", "sync", dev->sync->id);
	wrtn += pp_kv_str(stream, "  ", "async", dev->async->id);
	wrtn += pp_kv_str(stream, "  ", "mem", dev->mem->id);
	wrtn += xnvme_opts_fpr(stream, &dev->opts, opts);
	wrtn += xnvme_geo_fpr(stream, &dev->geo, opts);
	return wrtn;
}

int
xnvme_dev_pr(const struct xnvme_dev *dev, int opts)
{
	return xnvme_dev_fpr(stdout, dev, opts);
}

int
xnvme_cmd_ctx_fpr(FILE *stream, const struct xnvme_cmd_ctx *ctx, int opts)
{
	int wrtn = 0;

	(void)opts;
	if (!ctx) {
		return fprintf(stream, "xnvme_cmd_ctx: ~\n");
	}
	wrtn += fprintf(stream, "xnvme_cmd_ctx:\n  cmd:\n");
	wrtn +=
	    fprintf(stream, "    opcode: 0x%02x\n    opcode_name: '%s'\n    nsid: 0x%" PRIx32 "\n",
		    ctx->cmd.common.opcode, xnvme_spec_nvm_opc_str(ctx->cmd.common.opcode),
		    ctx->cmd.common.nsid);
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

int
xnvme_cmd_ctx_pr(const struct xnvme_cmd_ctx *ctx, int opts)
{
	return xnvme_cmd_ctx_fpr(stdout, ctx, opts);
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

int
xnvme_be_attr_pr(const struct xnvme_be_attr *attr, int opts)
{
	return xnvme_be_attr_fpr(stdout, attr, opts);
}

int
xnvme_be_attr_list_fpr(FILE *stream, const struct xnvme_be_attr_list *list, int opts)
{
	int wrtn = 0;

	if (opts & XNVME_PR_TERSE) {
		return pp_no_terse(stream, opts);
	}
	if (!list) {
		return fprintf(stream, "xnvme_be_attr_list: ~\n");
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

int
xnvme_be_attr_list_pr(const struct xnvme_be_attr_list *list, int opts)
{
	return xnvme_be_attr_list_fpr(stdout, list, opts);
}

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
