/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include "cli_fileio.h"

struct xnvme_dev *
cli_fio_open(struct cli_args *args, const char *path, int write, int truncate)
{
	struct xnvme_opts opts = args->opts;
	struct xnvme_dev *fh;

	opts.rdonly = !write;
	opts.rdwr = write;
	opts.create = write;
	opts.truncate = write && truncate;
	fh = xnvme_file_open(path, &opts);
	if (!fh) {
		cli_error("cannot open '%s': %s (%s)", path, strerror(errno),
			  xnvme_dev_open_err_msg());
	}
	return fh;
}

void
cli_fio_pr_clock(uint64_t start_ns, size_t nbytes)
{
	double secs = (double)(xnvme_timer_now_ns() - start_ns) / 1e9;
	double mib = (double)nbytes / (1024.0 * 1024.0);

	printf("wall-clock:\n  elapsed: %.4f\n  mib: %.2f\n  mib_sec: %.2f\n", secs, mib,
	       secs > 0 ? mib / secs : 0.0);
}

/* The pieces of the transfer, each an iovec into the buffer; one command takes a run of them */
static struct iovec *
fio_pieces(const struct cli_fio *fio, size_t *npieces)
{
	struct iovec *iov;

	*npieces = (fio->nbytes + fio->iosize - 1) / fio->iosize;
	iov = calloc(*npieces ? *npieces : 1, sizeof(*iov));
	for (size_t i = 0; iov && i < *npieces; ++i) {
		size_t off = i * fio->iosize;

		iov[i].iov_base = fio->buf + off;
		iov[i].iov_len = fio->nbytes - off < fio->iosize ? fio->nbytes - off : fio->iosize;
	}
	return iov;
}

/* Fills and passes one command for pieces [first, first + n) of @p iov */
static int
fio_pass(const struct cli_fio *fio, struct xnvme_cmd_ctx *ctx, struct iovec *iov, size_t first,
	 size_t n)
{
	size_t nbytes = 0;

	for (size_t i = first; i < first + n; ++i) {
		nbytes += iov[i].iov_len;
	}
	ctx->cmd.common.opcode = fio->write ? XNVME_SPEC_FS_OPC_WRITE : XNVME_SPEC_FS_OPC_READ;
	ctx->cmd.common.nsid = xnvme_dev_get_nsid(fio->fh);
	/* Files are addressed in bytes: the "LBA" is the file offset */
	ctx->cmd.nvm.slba = (uint64_t)(fio->off + (off_t)(first * fio->iosize));
	if (fio->vec_cnt) {
		return xnvme_cmd_passv(ctx, &iov[first], n, nbytes, NULL, 0, 0);
	}
	return xnvme_cmd_pass(ctx, iov[first].iov_base, nbytes, NULL, 0);
}

/* What the completions of an asynchronous transfer report */
struct fio_state {
	uint32_t inflight;
	int err;
};

static void
fio_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct fio_state *st = cb_arg;

	st->inflight--;
	if (xnvme_cmd_ctx_cpl_status(ctx) && !st->err) {
		st->err = -EIO;
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

static int
fio_async(const struct cli_fio *fio, struct iovec *iov, size_t npieces, size_t per_cmd)
{
	struct fio_state st = {0};
	struct xnvme_queue *queue = NULL;
	uint32_t cap = 1;
	size_t next = 0;
	int err;

	/* Queue capacities are powers of two: the smallest that holds qdepth */
	while (cap < fio->qdepth) {
		cap <<= 1;
	}
	err = xnvme_queue_init(fio->fh, cap, 0, &queue);
	while (!err && !st.err && (next < npieces || st.inflight)) {
		while (next < npieces && st.inflight < fio->qdepth && !st.err) {
			struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);
			size_t n = npieces - next < per_cmd ? npieces - next : per_cmd;

			if (!ctx) {
				break;
			}
			xnvme_cmd_ctx_set_cb(ctx, fio_cb, &st);
			err = fio_pass(fio, ctx, iov, next, n);
			if (err) {
				xnvme_queue_put_cmd_ctx(queue, ctx);
				break;
			}
			st.inflight++;
			next += n;
		}
		if (!err && st.inflight) {
			int res = xnvme_queue_poke(queue, 0);

			err = res < 0 ? res : 0;
		}
	}
	if (queue) {
		xnvme_queue_drain(queue);
		xnvme_queue_term(queue);
	}
	return err ? err : st.err;
}

int
cli_fio_run(const struct cli_fio *fio)
{
	size_t per_cmd = fio->vec_cnt ? fio->vec_cnt : 1, npieces;
	struct iovec *iov = fio_pieces(fio, &npieces);
	int err = 0;

	if (!iov) {
		return -ENOMEM;
	}
	if (fio->qdepth) {
		err = fio_async(fio, iov, npieces, per_cmd);
	}
	for (size_t i = 0; !fio->qdepth && !err && i < npieces; i += per_cmd) {
		struct xnvme_cmd_ctx ctx = xnvme_file_get_cmd_ctx(fio->fh);

		err = fio_pass(fio, &ctx, iov, i, npieces - i < per_cmd ? npieces - i : per_cmd);
		if (!err && xnvme_cmd_ctx_cpl_status(&ctx)) {
			err = -EIO;
		}
	}
	free(iov);
	if (!err && fio->write) {
		err = xnvme_file_sync(fio->fh);
	}
	return err;
}
