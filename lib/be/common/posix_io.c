/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe I/O commands on a file descriptor. Reads and writes map to pread/pwrite; the rest of the
 * NVM command set is emulated here, once, for every POSIX interface:
 *   flush -> fdatasync; write zeroes -> the system's zero_range (dev->fd_ops), else written
 *   zeroes; DSM deallocate -> the system's discard, else written zeroes; compare and verify ->
 *   read back; simple copy -> read and write. Write uncorrectable cannot be emulated: -ENOSYS.
 * Portable POSIX only: what a system does beyond it is its backend's (xnvme_be_fd_ops).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#ifndef _WIN32
#include <sys/statvfs.h>
#endif
#include "xnvme_dev.h"
#include "xnvme_cmd.h"
#include "posix_io.h"

/* Emulated commands that move data through a bounce buffer do it in pieces of this size. */
#define POSIX_IO_CHUNK_NBYTES (1U << 20)

/*
 * One rule for every interface on a file descriptor: the status names the OS error that failed
 * the command. Out of space (ENOSPC, or EDQUOT, the user's share of it) is Capacity Exceeded, a
 * request the OS refused as malformed (EINVAL) is Invalid Field, anything else (EIO, ENODATA at
 * the end of a file, ...) is Data Transfer Error. The errno itself is in cdw0 (unused by a failed
 * command), so that a caller can tell more than the status does (docs/backends.md, "Errors").
 */
int
xnvme_posix_io_fail(struct xnvme_cmd_ctx *ctx, int err)
{
	uint8_t sc = XNVME_SPEC_SC_DATA_XFER_ERROR;

	if (err == -ENOSPC || err == -EDQUOT) {
		sc = XNVME_SPEC_SC_CAPACITY_EXCEEDED;
	} else if (err == -EINVAL) {
		sc = XNVME_SPEC_SC_INVALID_FIELD;
	}
	xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC, sc);
	ctx->cpl.cdw0 = (uint32_t)(err < 0 ? -err : err);
	ctx->cpl.rsvd1 = 0;
	return -EIO;
}

/* A read or write that failed after @p done bytes had moved: those are dword 1 (capped) */
static int
posix_io_fail_xfer(struct xnvme_cmd_ctx *ctx, int err, uint64_t done)
{
	xnvme_posix_io_fail(ctx, err);
	ctx->cpl.rsvd1 = (uint32_t)XNVME_MIN_U64(done, UINT32_MAX);
	return -EIO;
}

/* The byte offset of a read or write: FS opcodes carry bytes, NVM opcodes blocks */
static uint64_t
posix_io_cmd_off(const struct xnvme_cmd_ctx *ctx)
{
	uint8_t opc = ctx->cmd.common.opcode;

	if (opc == XNVME_SPEC_FS_OPC_READ || opc == XNVME_SPEC_FS_OPC_WRITE) {
		return ctx->cmd.nvm.slba;
	}
	return ctx->cmd.nvm.slba << ctx->dev->geo.ssw;
}

/*
 * Why a transfer stopped short at @p off with @p rest bytes to go, when the OS gave a count and
 * no error: the async interfaces' completions (io_uring even swallows the error of its own retry).
 * The sync interfaces learn the cause by going on with the data; a completion has no data left to
 * go on with, so the file system is asked. A write to a regular file that stopped where less space
 * is free than the rest needs ran out of space; a read of a regular file that stopped at or past
 * its end hit the end; anything else (a block device, space enough, the file long enough) failed.
 * A guess only where both can be true at once: an I/O error on a full file system reads as ENOSPC.
 */
static int
posix_io_short_cause(int fd, int write, uint64_t off, uint64_t rest)
{
#ifndef _WIN32
	struct statvfs vfs;
#endif
	struct stat st;
	uint64_t avail;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		return -EIO;
	}
	if (!write) {
		return (uint64_t)st.st_size <= off ? -ENODATA : -EIO;
	}
#ifdef _WIN32
	/* Windows fails a write to a full disk (ERROR_DISK_FULL) instead of stopping it short */
	(void)avail;
	(void)rest;
	return -EIO;
#else
	if (fstatvfs(fd, &vfs)) {
		return -EIO;
	}
	/* root may use the blocks a file system keeps back from users (ext4's 5 %) */
	avail = (uint64_t)(geteuid() ? vfs.f_bavail : vfs.f_bfree) * vfs.f_frsize;
	return avail < rest ? -ENOSPC : -EIO;
#endif
}

void
xnvme_posix_io_fail_short(struct xnvme_cmd_ctx *ctx, int write, uint64_t done, uint64_t want)
{
	uint64_t off = posix_io_cmd_off(ctx) + done;

	posix_io_fail_xfer(ctx, posix_io_short_cause(ctx->dev->fd, write, off, want - done), done);
}

int
xnvme_posix_io_decode_any(struct xnvme_cmd_ctx *ctx, size_t dbuf_nbytes, size_t mbuf_nbytes,
			  struct xnvme_posix_io *io)
{
	const struct xnvme_geo *geo = &ctx->dev->geo;
	uint8_t opc = ctx->cmd.common.opcode;

	if (mbuf_nbytes) {
		return geo->nbytes_oob ? -ENOSYS : -EINVAL;
	}
	/* A file or block device is one namespace: any other nsid names nothing. */
	if (ctx->cmd.common.nsid != ctx->dev->ident.nsid) {
		xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT);
		return -EINVAL;
	}
	io->off = 0;
	io->nbytes = 0;
	switch (opc) {
	case XNVME_SPEC_NVM_OPC_READ:
	case XNVME_SPEC_NVM_OPC_WRITE:
		io->kind =
		    opc == XNVME_SPEC_NVM_OPC_READ ? XNVME_POSIX_IO_READ : XNVME_POSIX_IO_WRITE;
		io->off = ctx->cmd.nvm.slba << geo->ssw;
		io->nbytes = ((size_t)ctx->cmd.nvm.nlb + 1) << geo->ssw;
		return 0;
	case XNVME_SPEC_FS_OPC_READ:
	case XNVME_SPEC_FS_OPC_WRITE:
		io->kind =
		    opc == XNVME_SPEC_FS_OPC_READ ? XNVME_POSIX_IO_READ : XNVME_POSIX_IO_WRITE;
		io->off = ctx->cmd.nvm.slba;
		io->nbytes = dbuf_nbytes;
		return 0;
	case XNVME_SPEC_NVM_OPC_FLUSH:
	case XNVME_SPEC_FS_OPC_FLUSH:
		io->kind = XNVME_POSIX_IO_FLUSH;
		return 0;
	case XNVME_SPEC_NVM_OPC_WRITE_ZEROES:
	case XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT:
	case XNVME_SPEC_NVM_OPC_COMPARE:
	case XNVME_SPEC_NVM_OPC_VERIFY:
	case XNVME_SPEC_NVM_OPC_SCOPY:
		io->kind = XNVME_POSIX_IO_OTHER;
		return 0;
	default:
		xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
					 XNVME_SPEC_SC_INVALID_OPCODE);
		return -ENOSYS;
	}
}

/* What a transfer call's result means: bytes moved, 0 when interrupted (try again), or -errno */
static ssize_t
posix_io_xfer_res(ssize_t res, int write)
{
	if (res < 0) {
		return errno == EINTR ? 0 : -errno;
	}
	if (!res) {
		return write ? -ENOSPC : -ENODATA; /* end of file inside the range */
	}
	return res;
}

/* Transfers all of one buffer at off; a short transfer is retried from where it stopped. */
static int
posix_io_xfer_buf(int fd, int write, uint64_t off, uint8_t *buf, size_t nbytes, size_t *done)
{
	*done = 0;
	while (*done < nbytes) {
		ssize_t res = posix_io_xfer_res(
		    write ? pwrite(fd, buf + *done, nbytes - *done, (off_t)(off + *done))
			  : pread(fd, buf + *done, nbytes - *done, (off_t)(off + *done)),
		    write);

		if (res < 0) {
			return (int)res;
		}
		*done += (size_t)res;
	}
	return 0;
}

/*
 * Transfers the first nbytes of dvec at off; a short transfer is retried from where it stopped.
 * A vector longer than nbytes is cut: the command's length, not the vector's, is what moves.
 */
static int
posix_io_xfer(int fd, int write, uint64_t off, const struct iovec *dvec, int dvec_cnt,
	      size_t nbytes, size_t *done)
{
	struct iovec iov[16];

	if (dvec_cnt == 1 && dvec[0].iov_len >= nbytes) {
		return posix_io_xfer_buf(fd, write, off, dvec[0].iov_base, nbytes, done);
	}
	*done = 0;
	while (*done < nbytes) {
		size_t pos = 0;
		ssize_t res;
		int cnt = 0;

		/* The vector from where the last call stopped to the command's end */
		for (int i = 0; i < dvec_cnt && cnt < 16 && pos < nbytes; ++i) {
			size_t end = XNVME_MIN_U64(pos + dvec[i].iov_len, nbytes);

			if (end > *done) {
				size_t from = pos > *done ? pos : *done;

				iov[cnt].iov_base = (uint8_t *)dvec[i].iov_base + (from - pos);
				iov[cnt].iov_len = end - from;
				cnt++;
			}
			pos += dvec[i].iov_len;
		}
		if (!cnt) {
			return -EINVAL; /* the vector holds less than the command moves */
		}
		res = posix_io_xfer_res(write ? pwritev(fd, iov, cnt, (off_t)(off + *done))
					      : preadv(fd, iov, cnt, (off_t)(off + *done)),
					write);
		if (res < 0) {
			return (int)res;
		}
		*done += (size_t)res;
	}
	return 0;
}

/* Zeroes by writing them, which any file system and device can do */
static int
posix_io_write_zeroes(int fd, uint64_t off, uint64_t nbytes)
{
	void *zeroes = xnvme_buf_virt_alloc(4096, POSIX_IO_CHUNK_NBYTES);
	int err = 0;

	if (!zeroes) {
		return -ENOMEM;
	}
	memset(zeroes, 0, POSIX_IO_CHUNK_NBYTES);
	for (uint64_t done = 0; done < nbytes && !err;) {
		struct iovec iov = {zeroes,
				    (size_t)XNVME_MIN_U64(POSIX_IO_CHUNK_NBYTES, nbytes - done)};
		size_t n;

		err = posix_io_xfer(fd, 1, off + done, &iov, 1, iov.iov_len, &n);
		done += n;
	}
	xnvme_buf_virt_free(zeroes);
	return err;
}

/* Not every file system or device zeroes a range by itself: written zeroes are the fallback */
static int
posix_io_zeroes(int fd, const struct xnvme_be_fd_ops *ops, uint64_t off, uint64_t nbytes)
{
	if (ops && ops->zero_range && !ops->zero_range(fd, off, nbytes)) {
		return 0;
	}
	return posix_io_write_zeroes(fd, off, nbytes);
}

/* Identify promises that deallocated blocks read as zeroes: without a discard, write them */
static int
posix_io_deallocate(int fd, const struct xnvme_be_fd_ops *ops, uint64_t off, uint64_t nbytes)
{
	if (ops && ops->discard) {
		return ops->discard(fd, off, nbytes);
	}
	return posix_io_write_zeroes(fd, off, nbytes);
}

/* Reads [off, off+nbytes) in chunks; compares with dbuf when given (compare), else discards. */
static int
posix_io_read_check(int fd, uint64_t off, uint64_t nbytes, const uint8_t *dbuf, int *mismatch)
{
	uint8_t *tmp = xnvme_buf_virt_alloc(4096, POSIX_IO_CHUNK_NBYTES);
	int err = 0;

	if (!tmp) {
		return -ENOMEM;
	}
	*mismatch = 0;
	for (uint64_t done = 0; done < nbytes && !err && !*mismatch;) {
		struct iovec iov = {tmp,
				    (size_t)XNVME_MIN_U64(POSIX_IO_CHUNK_NBYTES, nbytes - done)};
		size_t n;

		err = posix_io_xfer(fd, 0, off + done, &iov, 1, iov.iov_len, &n);
		if (!err && dbuf && memcmp(tmp, dbuf + done, iov.iov_len)) {
			*mismatch = 1;
		}
		done += n;
	}
	xnvme_buf_virt_free(tmp);
	return err;
}

static int
posix_io_copy_range(int fd, uint64_t src, uint64_t dst, uint64_t nbytes, uint8_t *tmp)
{
	for (uint64_t done = 0; done < nbytes;) {
		struct iovec iov = {tmp,
				    (size_t)XNVME_MIN_U64(POSIX_IO_CHUNK_NBYTES, nbytes - done)};
		size_t n;
		int err;

		err = posix_io_xfer(fd, 0, src + done, &iov, 1, iov.iov_len, &n);
		if (!err) {
			err = posix_io_xfer(fd, 1, dst + done, &iov, 1, iov.iov_len, &n);
		}
		if (err) {
			return err;
		}
		done += iov.iov_len;
	}
	return 0;
}

static int
posix_io_copy(int fd, struct xnvme_cmd_ctx *ctx, const struct iovec *dvec, int dvec_cnt)
{
	const struct xnvme_geo *geo = &ctx->dev->geo;
	const struct xnvme_spec_nvm_scopy_fmt_zero *ranges;
	uint64_t nlbas = geo->tbytes >> geo->ssw;
	uint64_t dst = ctx->cmd.scopy.sdlba;
	uint8_t *tmp;
	int err = 0;

	if (dvec_cnt != 1 || dvec[0].iov_len < sizeof(*ranges) * ((size_t)ctx->cmd.scopy.nr + 1) ||
	    ctx->cmd.scopy.df) {
		return -EINVAL;
	}
	ranges = dvec[0].iov_base;
	/* Check every range first: a copy that fails half-way must not have written anything. */
	for (uint32_t i = 0; i <= ctx->cmd.scopy.nr; ++i) {
		const struct xnvme_spec_nvm_scopy_fmt_zero *e = &ranges[i];
		uint64_t nlb = (uint64_t)e->nlb + 1;

		if (e->slba >= nlbas || nlb > nlbas - e->slba || dst >= nlbas ||
		    nlb > nlbas - dst) {
			xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
						 XNVME_SPEC_SC_LBA_OUT_OF_RANGE);
			return -EINVAL;
		}
		dst += nlb;
	}
	tmp = xnvme_buf_virt_alloc(4096, POSIX_IO_CHUNK_NBYTES);
	if (!tmp) {
		return -ENOMEM;
	}
	dst = ctx->cmd.scopy.sdlba;
	for (uint32_t i = 0; i <= ctx->cmd.scopy.nr && !err; ++i) {
		const struct xnvme_spec_nvm_scopy_fmt_zero *e = &ranges[i];
		uint64_t nlb = (uint64_t)e->nlb + 1;

		err = posix_io_copy_range(fd, e->slba << geo->ssw, dst << geo->ssw, nlb << geo->ssw,
					  tmp);
		dst += nlb;
	}
	xnvme_buf_virt_free(tmp);
	return err;
}

static int
posix_io_dsm(int fd, struct xnvme_cmd_ctx *ctx, const struct iovec *dvec, int dvec_cnt)
{
	const struct xnvme_geo *geo = &ctx->dev->geo;
	uint64_t nlbas = geo->tbytes >> geo->ssw;
	size_t nr = (size_t)ctx->cmd.dsm.nr + 1;
	const struct xnvme_spec_dsm_range *range;

	if (dvec_cnt != 1 || dvec[0].iov_len < nr * sizeof(*range)) {
		return -EINVAL;
	}
	range = dvec[0].iov_base;
	for (size_t i = 0; i < nr; ++i) {
		if (range[i].slba >= nlbas || range[i].llb > nlbas - range[i].slba) {
			xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
						 XNVME_SPEC_SC_LBA_OUT_OF_RANGE);
			return -EINVAL;
		}
	}
	if (!ctx->cmd.dsm.ad) {
		return 0; /* attributes only: advice a file has no use for */
	}
	for (size_t i = 0; i < nr; ++i) {
		int err;

		if (!range[i].llb) {
			continue;
		}
		err = posix_io_deallocate(fd, ctx->dev->fd_ops, range[i].slba << geo->ssw,
					  (uint64_t)range[i].llb << geo->ssw);
		if (err) {
			return err;
		}
	}
	return 0;
}

static int
posix_io_other(int fd, struct xnvme_cmd_ctx *ctx, const struct iovec *dvec, int dvec_cnt)
{
	const struct xnvme_geo *geo = &ctx->dev->geo;
	uint64_t off = ctx->cmd.nvm.slba << geo->ssw;
	uint64_t nbytes = ((uint64_t)ctx->cmd.nvm.nlb + 1) << geo->ssw;
	int mismatch = 0, err;

	switch (ctx->cmd.common.opcode) {
	case XNVME_SPEC_NVM_OPC_WRITE_ZEROES:
		return posix_io_zeroes(fd, ctx->dev->fd_ops, off, nbytes);
	case XNVME_SPEC_NVM_OPC_DATASET_MANAGEMENT:
		return posix_io_dsm(fd, ctx, dvec, dvec_cnt);
	case XNVME_SPEC_NVM_OPC_SCOPY:
		return posix_io_copy(fd, ctx, dvec, dvec_cnt);
	case XNVME_SPEC_NVM_OPC_VERIFY:
		return posix_io_read_check(fd, off, nbytes, NULL, &mismatch);
	case XNVME_SPEC_NVM_OPC_COMPARE:
		if (dvec_cnt != 1) {
			return -EINVAL;
		}
		err = posix_io_read_check(fd, off, nbytes, dvec[0].iov_base, &mismatch);
		if (!err && mismatch) {
			xnvme_cmd_ctx_set_status(ctx, XNVME_STATUS_CODE_TYPE_MEDIA,
						 XNVME_SPEC_SC_COMPARE_FAILURE);
			return -EIO;
		}
		return err;
	default:
		return -ENOSYS;
	}
}

int
xnvme_posix_io_rw(int fd, struct xnvme_cmd_ctx *ctx, int write, uint64_t off, void *buf,
		  size_t nbytes)
{
	size_t done;
	int err = posix_io_xfer_buf(fd, write, off, buf, nbytes, &done);

	if (err) {
		return posix_io_fail_xfer(ctx, err, done);
	}
	ctx->cpl.result = done;
	return 0;
}

int
xnvme_posix_io_exec(int fd, struct xnvme_cmd_ctx *ctx, const struct xnvme_posix_io *io,
		    const struct iovec *dvec, int dvec_cnt)
{
	size_t done = 0;
	int err;

	switch (io->kind) {
	case XNVME_POSIX_IO_READ:
	case XNVME_POSIX_IO_WRITE:
		err = posix_io_xfer(fd, io->kind == XNVME_POSIX_IO_WRITE, io->off, dvec, dvec_cnt,
				    io->nbytes, &done);
		if (err) {
			return posix_io_fail_xfer(ctx, err, done);
		}
		ctx->cpl.result = done;
		return 0;
	case XNVME_POSIX_IO_FLUSH:
		if (fdatasync(fd)) {
			return xnvme_posix_io_fail(ctx, -errno);
		}
		return 0;
	default:
		err = posix_io_other(fd, ctx, dvec, dvec_cnt);
		if (err == -EIO || (err == -EINVAL && xnvme_cmd_ctx_cpl_status(ctx))) {
			return err;
		}
		if (err == -ENOSYS || err == -ENOMEM) {
			return err;
		}
		return err ? xnvme_posix_io_fail(ctx, err) : 0;
	}
}
