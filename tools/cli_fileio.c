/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static volatile sig_atomic_t g_fio_signal;

static void
fio_on_signal(int sig)
{
	g_fio_signal = sig;
}

void
cli_fio_catch_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM};
#ifdef _WIN32
	/* Windows has signal() only; a console's Ctrl-C arrives as SIGINT */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); ++i) {
		signal(sigs[i], fio_on_signal);
	}
#else
	struct sigaction sa = {.sa_handler = fio_on_signal};

	sigemptyset(&sa.sa_mask);
	/* Restarted: a call the signal lands in finishes; the loops look between commands */
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); ++i) {
		struct sigaction old;

		/* One the parent ignores stays ignored (a background job's SIGINT, nohup) */
		if (!sigaction(sigs[i], NULL, &old) && old.sa_handler != SIG_IGN) {
			sigaction(sigs[i], &sa, NULL);
		}
	}
#endif
}

int
cli_fio_signal(void)
{
	return g_fio_signal;
}

void
cli_fio_interrupted(const char *path, size_t nbytes, const char *what)
{
	int sig = g_fio_signal ? g_fio_signal : SIGINT;

	cli_error("interrupted by %s: the first %zu bytes of '%s' %s, every command complete",
		  sig == SIGTERM ? "SIGTERM" : "SIGINT", nbytes, path, what);
	fflush(stdout);
	signal(sig, SIG_DFL);
	raise(sig);
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

int
cli_fio_cpl_err(const struct xnvme_cmd_ctx *ctx, int err)
{
	uint32_t oserr = ctx->cpl.cdw0;

	if (!ctx->cpl.status.sc && !ctx->cpl.status.sct) {
		return err;
	}
	if (oserr && oserr < 4096) {
		return -(int)oserr;
	}
	return !ctx->cpl.status.sct && ctx->cpl.status.sc == XNVME_SPEC_SC_CAPACITY_EXCEEDED
		   ? -ENOSPC
		   : -EIO;
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
		st->err = cli_fio_cpl_err(ctx, -EIO);
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Through a queue; *done: the pieces started, all of them ended (drained) on return */
static int
fio_async(const struct cli_fio *fio, struct iovec *iov, size_t npieces, size_t per_cmd,
	  size_t *done)
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
	while (!err && !st.err && ((next < npieces && !g_fio_signal) || st.inflight)) {
		while (next < npieces && st.inflight < fio->qdepth && !st.err && !g_fio_signal) {
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
	*done = next;
	return err ? err : st.err;
}

int
cli_fio_run(struct cli_fio *fio)
{
	size_t per_cmd = fio->vec_cnt ? fio->vec_cnt : 1, npieces, done = 0;
	struct iovec *iov = fio_pieces(fio, &npieces);
	int err = 0;

	if (!iov) {
		return -ENOMEM;
	}
	if (fio->qdepth) {
		err = fio_async(fio, iov, npieces, per_cmd, &done);
	}
	for (; !fio->qdepth && !err && !g_fio_signal && done < npieces;) {
		struct xnvme_cmd_ctx ctx = xnvme_file_get_cmd_ctx(fio->fh);
		size_t n = npieces - done < per_cmd ? npieces - done : per_cmd;

		err = cli_fio_cpl_err(&ctx, fio_pass(fio, &ctx, iov, done, n));
		done += err ? 0 : n;
	}
	fio->done = done < npieces ? done * fio->iosize : fio->nbytes;
	free(iov);
	if (!err && done < npieces) {
		err = -EINTR; /* only a signal stops a transfer short without an error */
	}
	/* What an interrupted transfer reports as written is on stable storage too */
	if ((!err || err == -EINTR) && fio->write) {
		int serr = xnvme_file_sync(fio->fh);

		err = err ? err : serr;
	}
	return err;
}

/* copy-async: each slot reads a piece from SRC, then writes it to DST, then takes the next */
struct file_slot {
	struct cli_fio_copy *copy;
	uint8_t *buf;
	off_t off;
	size_t len;
};

static void file_copy_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg);

static int
file_copy_submit(struct xnvme_queue *queue, struct file_slot *slot, uint8_t opc)
{
	struct xnvme_cmd_ctx *ctx = xnvme_queue_get_cmd_ctx(queue);
	int err;

	if (!ctx) {
		return -EBUSY;
	}
	xnvme_cmd_ctx_set_cb(ctx, file_copy_cb, slot);
	ctx->cmd.common.opcode = opc;
	ctx->cmd.common.nsid = xnvme_dev_get_nsid(ctx->dev);
	ctx->cmd.nvm.slba = (uint64_t)slot->off;
	err = xnvme_cmd_pass(ctx, slot->buf, slot->len, NULL, 0);
	if (err) {
		xnvme_queue_put_cmd_ctx(queue, ctx);
		return err;
	}
	slot->copy->inflight++;
	return 0;
}

/* Starts the next piece in @p slot, if there is one */
static void
file_copy_next(struct file_slot *slot)
{
	struct cli_fio_copy *copy = slot->copy;
	int err;

	if (copy->err || copy->next >= copy->nbytes || g_fio_signal) {
		return;
	}
	slot->off = (off_t)copy->next;
	slot->len =
	    copy->nbytes - copy->next < copy->iosize ? copy->nbytes - copy->next : copy->iosize;
	copy->next += slot->len;
	err = file_copy_submit(copy->rq, slot, XNVME_SPEC_FS_OPC_READ);
	copy->err = copy->err ? copy->err : err;
}

static void
file_copy_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct file_slot *slot = cb_arg;
	struct cli_fio_copy *copy = slot->copy;
	int was_read = ctx->cmd.common.opcode == XNVME_SPEC_FS_OPC_READ;
	int err = 0;

	copy->inflight--;
	if (xnvme_cmd_ctx_cpl_status(ctx)) {
		copy->err = copy->err ? copy->err : cli_fio_cpl_err(ctx, -EIO);
	}
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
	if (copy->err) {
		return;
	}
	if (was_read) {
		err = file_copy_submit(copy->wq, slot, XNVME_SPEC_FS_OPC_WRITE);
	} else {
		copy->done += slot->len;
		file_copy_next(slot);
	}
	copy->err = copy->err ? copy->err : err;
}

int
cli_fio_copy_async(struct xnvme_dev *src, struct xnvme_dev *dst, struct cli_fio_copy *copy,
		   uint32_t qdepth)
{
	struct file_slot *slots = calloc(qdepth, sizeof(*slots));
	uint32_t cap = 1;
	int err;

	/* Queue capacities are powers of two: the smallest that holds qdepth */
	while (cap < qdepth) {
		cap <<= 1;
	}
	err = slots ? 0 : -ENOMEM;
	err = err ? err : xnvme_queue_init(src, cap, 0, &copy->rq);
	err = err ? err : xnvme_queue_init(dst, cap, 0, &copy->wq);
	for (uint32_t i = 0; !err && i < qdepth; ++i) {
		slots[i].copy = copy;
		slots[i].buf = xnvme_buf_alloc(src, copy->iosize);
		err = slots[i].buf ? 0 : -ENOMEM;
	}
	for (uint32_t i = 0; !err && i < qdepth; ++i) {
		file_copy_next(&slots[i]);
	}
	copy->err = copy->err ? copy->err : err;
	while (copy->inflight) {
		int r = xnvme_queue_poke(copy->rq, 0);
		int w = xnvme_queue_poke(copy->wq, 0);

		if (r < 0 || w < 0) {
			copy->err = copy->err ? copy->err : (r < 0 ? r : w);
			break;
		}
	}
	if (copy->rq) {
		xnvme_queue_drain(copy->rq);
	}
	if (copy->wq) {
		xnvme_queue_drain(copy->wq);
	}
	err = copy->err;
	if (!err && copy->next < copy->nbytes) {
		err = -EINTR; /* a signal: every piece started is copied, none after */
	}
	for (uint32_t i = 0; slots && i < qdepth; ++i) {
		xnvme_buf_free(src, slots[i].buf);
	}
	free(slots);
	if (copy->rq) {
		xnvme_queue_term(copy->rq);
	}
	if (copy->wq) {
		xnvme_queue_term(copy->wq);
	}
	return err;
}
