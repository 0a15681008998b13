/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include "xnvme_dev.h"

struct xnvme_dev *
xnvme_file_open(const char *pathname, struct xnvme_opts *opts)
{
	struct xnvme_opts dflt = xnvme_opts_default();

	return xnvme_dev_open(pathname, opts ? opts : &dflt);
}

int
xnvme_file_close(struct xnvme_dev *fh)
{
	xnvme_dev_close(fh);
	return 0;
}

struct xnvme_cmd_ctx
xnvme_file_get_cmd_ctx(struct xnvme_dev *fh)
{
	return xnvme_cmd_ctx_from_dev(fh);
}

/*
 * The file API answers as pread/pwrite/fsync do: with the OS error that failed the command, which
 * the file-descriptor interfaces leave in cdw0 of the failed completion (posix_io.c), rather than
 * the -EIO of any failed command; a device without a descriptor keeps -EIO and its status.
 */
static int
file_err(struct xnvme_cmd_ctx *ctx, int err)
{
	uint32_t oserr = ctx->cpl.cdw0;

	if (err == -EIO && ctx->dev->fd >= 0 && xnvme_cmd_ctx_cpl_status(ctx) && oserr &&
	    oserr < 4096) {
		return -(int)oserr;
	}
	return err;
}

static int
file_rw(struct xnvme_cmd_ctx *ctx, uint8_t opc, void *buf, size_t count, off_t offset)
{
	if (!ctx || !buf || offset < 0) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = opc;
	ctx->cmd.common.nsid = ctx->dev->ident.nsid;
	ctx->cmd.nvm.slba = (uint64_t)offset;
	return file_err(ctx, xnvme_cmd_pass(ctx, buf, count, NULL, 0));
}

int
xnvme_file_pread(struct xnvme_cmd_ctx *ctx, void *buf, size_t count, off_t offset)
{
	return file_rw(ctx, XNVME_SPEC_FS_OPC_READ, buf, count, offset);
}

int
xnvme_file_pwrite(struct xnvme_cmd_ctx *ctx, void *buf, size_t count, off_t offset)
{
	return file_rw(ctx, XNVME_SPEC_FS_OPC_WRITE, buf, count, offset);
}

int
xnvme_file_sync(struct xnvme_dev *fh)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(fh);

	ctx.cmd.common.opcode = XNVME_SPEC_FS_OPC_FLUSH;
	ctx.cmd.common.nsid = fh->ident.nsid;
	return file_err(&ctx, xnvme_cmd_pass(&ctx, NULL, 0, NULL, 0));
}
