/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * thrpool on a file descriptor hands what file operations cannot do to the device's sync
 * interface, and refuses it at submit when that interface is made of file operations too.
 *
 * usage: test_thrpool_sync_fallback [ZONED_BLOCK_DEVICE]
 *        (default: $XNVME_VM_NS_ZNS, the VM rig's zoned namespace block node, nsid 5)
 *
 *   - on a regular file (sync psync): a zone append through thrpool is -ENOSYS at submit;
 *   - on a Linux zoned NVMe block device opened with sync=nvme, async=thrpool: zone 0 is reset,
 *     two one-block zone appends go through thrpool (the file descriptor path cannot carry
 *     them: the ioctl interface does, in a worker), complete with a clean status and the LBAs
 *     0 and 1, and read back (sync) what was written; a plain read on the same queue still takes
 *     the file descriptor path (O_DIRECT: the appends never pass the page cache).
 * Exit 0 on success, 77 when there is no zoned block device (the file part passed), 1 with a
 * message on the first failure. TMPDIR chooses where the file goes (default /var/tmp).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxnvme.h>

static int
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	return 1;
}

struct done {
	int n;
	int status;
	uint64_t result;
};

static void
on_cpl(struct xnvme_cmd_ctx *ctx, void *arg)
{
	struct done *d = arg;

	d->n++;
	d->status = xnvme_cmd_ctx_cpl_status(ctx);
	d->result = ctx->cpl.result;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* A zone append through thrpool on a regular file: refused at submit, nothing outstanding */
static int
file_refuses(void)
{
	const char *tmpdir = getenv("TMPDIR");
	char path[4096];
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_queue *queue = NULL;
	struct xnvme_cmd_ctx *ctx;
	struct xnvme_dev *dev;
	void *buf;
	int fd, err, rc = 1;

	snprintf(path, sizeof(path), "%s/xnvme-thrpool-XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/var/tmp");
	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, 1 << 20)) {
		return fail("temporary file in %s: %s", path, strerror(errno));
	}
	close(fd);
	opts.async = "thrpool";
	dev = xnvme_dev_open(path, &opts);
	if (!dev) {
		unlink(path);
		return fail("open %s: %s", path, strerror(errno));
	}
	buf = xnvme_buf_alloc(dev, xnvme_dev_get_geo(dev)->lba_nbytes);
	err = buf ? xnvme_queue_init(dev, 4, 0, &queue) : -ENOMEM;
	if (err) {
		fail("queue on the file: %d", err);
		goto out;
	}
	ctx = xnvme_queue_get_cmd_ctx(queue);
	err = xnvme_znd_append(ctx, xnvme_dev_get_nsid(dev), 0, 0, buf, NULL);
	if (err != -ENOSYS) {
		fail("file: zone append through thrpool gave %d, want -ENOSYS at submit", err);
		goto out;
	}
	xnvme_queue_put_cmd_ctx(queue, ctx);
	err = xnvme_queue_poke(queue, 0);
	if (err) {
		fail("file: poke after the refused append gave %d, want 0", err);
		goto out;
	}
	rc = 0;
out:
	if (queue) {
		xnvme_queue_term(queue);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	unlink(path);
	return rc;
}

/* Submits one command prepared by the caller on @p ctx and waits for it */
static int
await_one(struct xnvme_queue *queue, struct done *d, int err, const char *what)
{
	if (err) {
		return fail("%s: submit gave %d", what, err);
	}
	err = xnvme_queue_drain(queue);
	if (err < 0) {
		return fail("%s: drain gave %d", what, err);
	}
	if (d->n != 1) {
		return fail("%s: %d callbacks, want 1", what, d->n);
	}
	if (d->status) {
		return fail("%s: status 0x%x", what, d->status);
	}
	return 0;
}

static int
zoned_appends(const char *uri)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct xnvme_queue *queue = NULL;
	struct xnvme_cmd_ctx ctx;
	const struct xnvme_geo *geo;
	struct xnvme_dev *dev;
	uint8_t *wbuf = NULL, *rbuf = NULL;
	uint32_t nsid, lba_nbytes;
	struct done d;
	int err, rc = 1;

	opts.be = "linux";
	opts.admin = "nvme";
	opts.sync = "nvme";
	opts.async = "thrpool";
	opts.nsid = 5;
	opts.direct = 1; /* the appends bypass the page cache: so must the read that checks them */
	dev = xnvme_dev_open(uri, &opts);
	if (!dev) {
		return fail("open %s: %s", uri, strerror(errno));
	}
	if (xnvme_dev_get_csi(dev) != XNVME_SPEC_CSI_ZONED) {
		fprintf(stderr, "SKIP: %s is not zoned\n", uri);
		xnvme_dev_close(dev);
		return 77;
	}
	geo = xnvme_dev_get_geo(dev);
	nsid = xnvme_dev_get_nsid(dev);
	lba_nbytes = geo->lba_nbytes;
	wbuf = xnvme_buf_alloc(dev, 2 * lba_nbytes);
	rbuf = xnvme_buf_alloc(dev, 2 * lba_nbytes);
	if (!wbuf || !rbuf) {
		fail("buffers");
		goto out;
	}
	for (uint32_t i = 0; i < 2 * lba_nbytes; ++i) {
		wbuf[i] = (uint8_t)(i * 7 + 13);
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err =
	    xnvme_znd_mgmt_send(&ctx, nsid, 0, false, XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET, 0, NULL);
	if (err) {
		fail("reset zone 0: %d", err);
		goto out;
	}
	err = xnvme_queue_init(dev, 4, 0, &queue);
	if (err) {
		fail("queue: %d", err);
		goto out;
	}
	xnvme_queue_set_cb(queue, on_cpl, &d);
	for (uint64_t i = 0; i < 2; ++i) {
		memset(&d, 0, sizeof(d));
		err = xnvme_znd_append(xnvme_queue_get_cmd_ctx(queue), nsid, 0, 0,
				       wbuf + i * lba_nbytes, NULL);
		if (await_one(queue, &d, err, "zone append")) {
			goto out;
		}
		if (d.result != i) {
			fail("zone append %llu landed at LBA %llu", (unsigned long long)i,
			     (unsigned long long)d.result);
			goto out;
		}
	}
	/* The file descriptor path, on the same queue */
	memset(&d, 0, sizeof(d));
	err = xnvme_nvm_read(xnvme_queue_get_cmd_ctx(queue), nsid, 0, 1, rbuf, NULL);
	if (await_one(queue, &d, err, "read")) {
		goto out;
	}
	if (memcmp(wbuf, rbuf, 2 * lba_nbytes)) {
		fail("what the appends wrote does not read back");
		goto out;
	}
	rc = 0;
out:
	if (queue) {
		xnvme_queue_term(queue);
	}
	xnvme_buf_free(dev, wbuf);
	xnvme_buf_free(dev, rbuf);
	xnvme_dev_close(dev);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *uri = argc > 1 ? argv[1] : getenv("XNVME_VM_NS_ZNS");
	int rc;

	rc = file_refuses();
	if (rc) {
		return rc;
	}
	if (!uri || !*uri || access(uri, F_OK)) {
		fprintf(stderr, "SKIP: no zoned block device (argument or XNVME_VM_NS_ZNS)\n");
		return 77;
	}
	rc = zoned_appends(uri);
	if (!rc) {
		printf("ok: zone appends through thrpool's sync path on %s\n", uri);
	}
	return rc;
}
