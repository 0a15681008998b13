/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Faults of a real file system, on every interface of the file's backend: each command fails with
 * the status of its cause (one rule, lib/be/common/posix_io.c) or succeeds with its data on the
 * file, never a silent short transfer, and nothing hangs (a watchdog ends a stuck run).
 *
 * usage: test_fault_status enospc DIR [IFACE...]
 *          DIR: an empty, small file system (run_faults.sh mounts a tmpfs of 1 MiB). Per
 *          interface a sparse file of twice the free space is written from its start in
 *          commands of 192 KiB: the commands that fit succeed and read back, the one that crosses
 *          the end of the space fails after moving what fit (dword 1), the rest fail; every
 *          failure is Capacity Exceeded with ENOSPC in cdw0. The file API says -ENOSPC.
 *        test_fault_status eio FILE WFAIL RFAIL [IFACE...]
 *          FILE: faultfs's /disk, which fails writes from byte WFAIL and reads from RFAIL on
 *          (a request that crosses it moves the bytes before it) and every fsync. Writes and
 *          reads across each: the commands before succeed, the rest fail with Data Transfer
 *          Error and EIO in cdw0 (the crossing one after moving what came before: dword 1);
 *          a flush fails the same way.
 * IFACE: an interface id (sync or async); default: every interface of the file's backend that
 * moves data (tests/target/ifaces.h). Exit 0 when every check holds, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <libxnvme.h>
#include "../target/ifaces.h"

#define CMD_NBYTES   (192u << 10)
#define WATCHDOG_SEC 60

static int g_fails;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("# FAIL %s:%d: ", __FILE__, __LINE__);                              \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
			g_fails++;                                                                 \
		}                                                                                  \
	} while (0)

/* What one command ended with */
struct result {
	int err; ///< What the call returned
	struct xnvme_spec_cpl cpl;
	int done;
};

static void
result_cb(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct result *res = arg;

	res->cpl = ctx->cpl;
	res->done = 1;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* An interface under test: the device, and a queue of depth 1 for an async one */
struct iface {
	const char *id;
	int sync;
	struct xnvme_dev *dev;
	struct xnvme_queue *queue;
};

static int
iface_open(struct iface *ifc, const char *path, int create)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.rdwr = 1;
	opts.create = create;
	if (ifc->sync) {
		opts.sync = ifc->id;
	} else {
		opts.async = ifc->id;
	}
	ifc->dev = xnvme_dev_open(path, &opts);
	if (!ifc->dev) {
		printf("# cannot open '%s' with %s: %s (%s)\n", path, ifc->id, strerror(errno),
		       xnvme_dev_open_err_msg());
		return -1;
	}
	if (!ifc->sync && xnvme_queue_init(ifc->dev, 4, 0, &ifc->queue)) {
		printf("# %s: no queue\n", ifc->id);
		xnvme_dev_close(ifc->dev);
		return -1;
	}
	return 0;
}

static void
iface_close(struct iface *ifc)
{
	if (ifc->queue) {
		xnvme_queue_term(ifc->queue);
		ifc->queue = NULL;
	}
	xnvme_dev_close(ifc->dev);
}

/*
 * One NVM command (write, read or flush) of @p nbytes at byte @p off, run to its end: sync on a
 * sync interface, else through the queue and drained
 */
static struct result
iface_cmd(struct iface *ifc, uint8_t opc, uint64_t off, void *buf, size_t nbytes)
{
	const struct xnvme_geo *geo = xnvme_dev_get_geo(ifc->dev);
	uint32_t nsid = xnvme_dev_get_nsid(ifc->dev);
	uint64_t slba = off / geo->lba_nbytes;
	uint16_t nlb = (uint16_t)(nbytes / geo->lba_nbytes - 1);
	struct result res = {0};
	struct xnvme_cmd_ctx sctx, *ctx;

	if (ifc->sync) {
		sctx = xnvme_cmd_ctx_from_dev(ifc->dev);
		ctx = &sctx;
	} else {
		ctx = xnvme_queue_get_cmd_ctx(ifc->queue);
		xnvme_cmd_ctx_set_cb(ctx, result_cb, &res);
	}
	switch (opc) {
	case XNVME_SPEC_NVM_OPC_WRITE:
		res.err = xnvme_nvm_write(ctx, nsid, slba, nlb, buf, NULL);
		break;
	case XNVME_SPEC_NVM_OPC_READ:
		res.err = xnvme_nvm_read(ctx, nsid, slba, nlb, buf, NULL);
		break;
	default:
		ctx->cmd.common.opcode = XNVME_SPEC_NVM_OPC_FLUSH;
		ctx->cmd.common.nsid = nsid;
		res.err = xnvme_cmd_pass(ctx, NULL, 0, NULL, 0);
	}
	if (ifc->sync) {
		res.cpl = ctx->cpl;
		return res;
	}
	if (res.err) {
		xnvme_queue_put_cmd_ctx(ifc->queue, ctx);
		return res;
	}
	xnvme_queue_drain(ifc->queue);
	if (!res.done) {
		res.err = -ETIMEDOUT; /* drained, yet never completed */
	}
	return res;
}

/*
 * Checks @p res of a command of [off, off + nbytes) against a fault at byte @p fault: before it a
 * clean success, across it a failure after fault - off bytes, past it a failure after none; each
 * failure with status @p sc (generic) and @p oserr in cdw0. Returns 1 for a success.
 */
static int
check_result(const struct iface *ifc, const char *what, const struct result *res, uint64_t off,
	     size_t nbytes, uint64_t fault, uint8_t sc, int oserr)
{
	uint64_t moved = off < fault ? fault - off : 0;
	int failed = res->err || res->cpl.status.sc || res->cpl.status.sct;

	if (off + nbytes <= fault) {
		CHECK(!failed, "%s %s at %llu: failed (err %d, sc 0x%x, cdw0 %u), expected success",
		      ifc->id, what, (unsigned long long)off, res->err, res->cpl.status.sc,
		      res->cpl.cdw0);
		return !failed;
	}
	CHECK(failed, "%s %s at %llu (fault at %llu): reported success", ifc->id, what,
	      (unsigned long long)off, (unsigned long long)fault);
	CHECK(res->err != -ETIMEDOUT, "%s %s: never completed", ifc->id, what);
	CHECK(res->cpl.status.sct == 0 && res->cpl.status.sc == sc,
	      "%s %s at %llu: status sct 0x%x sc 0x%x, expected sc 0x%x", ifc->id, what,
	      (unsigned long long)off, res->cpl.status.sct, res->cpl.status.sc, sc);
	CHECK(res->cpl.cdw0 == (uint32_t)oserr, "%s %s at %llu: cdw0 %u, expected %d (%s)", ifc->id,
	      what, (unsigned long long)off, res->cpl.cdw0, oserr, strerror(oserr));
	/* Some kernel paths fail a request that moved part of its bytes whole (FUSE's async direct
	 * I/O under io_uring and libaio): the OS reported no count, so dword 1 says none */
	CHECK(res->cpl.rsvd1 == moved || (!ifc->sync && !res->cpl.rsvd1),
	      "%s %s at %llu: dword 1 %u bytes moved, expected %llu (or 0)", ifc->id, what,
	      (unsigned long long)off, res->cpl.rsvd1, (unsigned long long)moved);
	return 0;
}

static void
fill(uint8_t *buf, size_t nbytes, uint64_t off)
{
	for (size_t i = 0; i < nbytes; ++i) {
		buf[i] = (uint8_t)((off + i) * 7 + ((off + i) >> 12));
	}
}

/* ENOSPC: a sparse file of twice the free space, written from its start */
static void
run_enospc(const char *dir, struct iface *ifc, uint8_t *buf, uint8_t *rbuf)
{
	char path[4096];
	struct statvfs vfs;
	uint64_t avail, nbytes;
	int fd, last_ok = 1;

	snprintf(path, sizeof(path), "%s/f-%s-%s", dir, ifc->sync ? "sync" : "async", ifc->id);
	if (statvfs(dir, &vfs)) {
		CHECK(0, "statvfs %s: %s", dir, strerror(errno));
		return;
	}
	avail = (uint64_t)vfs.f_bfree * vfs.f_frsize;
	nbytes = (avail * 2 + CMD_NBYTES - 1) / CMD_NBYTES * CMD_NBYTES;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)nbytes)) {
		CHECK(0, "cannot make %s: %s", path, strerror(errno));
		close(fd);
		return;
	}
	if (iface_open(ifc, path, 0)) {
		g_fails++;
		close(fd);
		unlink(path);
		return;
	}
	for (uint64_t off = 0; off < nbytes; off += CMD_NBYTES) {
		struct result res;

		fill(buf, CMD_NBYTES, off);
		res = iface_cmd(ifc, XNVME_SPEC_NVM_OPC_WRITE, off, buf, CMD_NBYTES);
		if (check_result(ifc, "write", &res, off, CMD_NBYTES, avail,
				 XNVME_SPEC_SC_CAPACITY_EXCEEDED, ENOSPC)) {
			/* A success is a promise: its bytes are on the file */
			CHECK(last_ok, "%s: a write succeeded after one failed", ifc->id);
			CHECK(pread(fd, rbuf, CMD_NBYTES, (off_t)off) == (ssize_t)CMD_NBYTES &&
				  !memcmp(buf, rbuf, CMD_NBYTES),
			      "%s: write at %llu succeeded, its data is not on the file", ifc->id,
			      (unsigned long long)off);
		} else {
			last_ok = 0;
		}
	}
	if (ifc->sync) {
		/* The file API (FS opcodes, bytes) answers as pwrite(2) does */
		struct xnvme_cmd_ctx ctx = xnvme_file_get_cmd_ctx(ifc->dev);
		int err = xnvme_file_pwrite(&ctx, buf, CMD_NBYTES, (off_t)(nbytes - CMD_NBYTES));

		CHECK(err == -ENOSPC,
		      "%s: xnvme_file_pwrite on a full file system: %d, expected %d", ifc->id, err,
		      -ENOSPC);
	}
	iface_close(ifc);
	close(fd);
	unlink(path);
}

/* EIO: writes across WFAIL, reads across RFAIL, a flush; on faultfs's /disk */
static void
run_eio(const char *path, uint64_t wfail, uint64_t rfail, struct iface *ifc, uint8_t *buf)
{
	if (iface_open(ifc, path, 0)) {
		g_fails++;
		return;
	}
	for (uint64_t off = wfail - 2 * CMD_NBYTES + (64u << 10); off < wfail + 2 * CMD_NBYTES;
	     off += CMD_NBYTES) {
		struct result res;

		fill(buf, CMD_NBYTES, off);
		res = iface_cmd(ifc, XNVME_SPEC_NVM_OPC_WRITE, off, buf, CMD_NBYTES);
		check_result(ifc, "write", &res, off, CMD_NBYTES, wfail,
			     XNVME_SPEC_SC_DATA_XFER_ERROR, EIO);
	}
	for (uint64_t off = rfail - 2 * CMD_NBYTES + (64u << 10); off < rfail + 2 * CMD_NBYTES;
	     off += CMD_NBYTES) {
		struct result res = iface_cmd(ifc, XNVME_SPEC_NVM_OPC_READ, off, buf, CMD_NBYTES);

		check_result(ifc, "read", &res, off, CMD_NBYTES, rfail,
			     XNVME_SPEC_SC_DATA_XFER_ERROR, EIO);
	}
	{
		struct result res = iface_cmd(ifc, XNVME_SPEC_NVM_OPC_FLUSH, 0, NULL, 0);

		check_result(ifc, "flush", &res, 0, 1, 0, XNVME_SPEC_SC_DATA_XFER_ERROR, EIO);
	}
	iface_close(ifc);
}

int
main(int argc, char **argv)
{
	int eio = argc >= 5 && !strcmp(argv[1], "eio");
	int first = eio ? 5 : 3;
	uint64_t wfail = eio ? strtoull(argv[3], NULL, 0) : 0;
	uint64_t rfail = eio ? strtoull(argv[4], NULL, 0) : 0;
	char probe[4096];
	struct ifaces list;
	uint8_t *buf, *rbuf;
	int fd;

	if (!eio && (argc < 3 || strcmp(argv[1], "enospc"))) {
		fprintf(stderr,
			"usage: %s enospc DIR [IFACE...] | eio FILE WFAIL RFAIL [IFACE...]\n",
			argv[0]);
		return 2;
	}
	alarm(WATCHDOG_SEC); /* a hang is a failure: SIGALRM ends the run */
	/* The interfaces: of the backend claiming a file there */
	snprintf(probe, sizeof(probe), "%s/.probe", argv[2]);
	if (!eio) {
		fd = open(probe, O_RDWR | O_CREAT, 0644);
		close(fd);
	}
	if (ifaces_for_test(eio ? argv[2] : probe, argc - first, &argv[first], 1, &list)) {
		return 1;
	}
	if (!eio) {
		unlink(probe);
	}
	buf = xnvme_buf_virt_alloc(4096, CMD_NBYTES);
	rbuf = xnvme_buf_virt_alloc(4096, CMD_NBYTES);
	if (!buf || !rbuf) {
		return 1;
	}
	for (int i = 0; i < list.n; ++i) {
		struct iface ifc = {.id = list.item[i].id, .sync = list.item[i].sync};
		int before = g_fails;

		if (eio) {
			run_eio(argv[2], wfail, rfail, &ifc, buf);
		} else {
			run_enospc(argv[2], &ifc, buf, rbuf);
		}
		printf("%s %s %s: %s\n", argv[1], ifc.sync ? "sync" : "async", ifc.id,
		       g_fails == before ? "ok" : "FAILED");
	}
	xnvme_buf_virt_free(buf);
	xnvme_buf_virt_free(rbuf);
	printf("%s: %d interfaces, %d failed checks\n", argv[1], list.n, g_fails);
	return g_fails ? 1 : 0;
}
