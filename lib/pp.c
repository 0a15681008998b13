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

int
xnvme_cmd_ctx_pr(const struct xnvme_cmd_ctx *ctx, int opts)
{
	return xnvme_cmd_ctx_fpr(stdout, ctx, opts);
}
