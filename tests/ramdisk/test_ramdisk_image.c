/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ramdisk's image files (file=PATH): what one process writes (blocks, metadata, keys, a
 * format) the next finds; one process at a time; an image of another device, a file that is not
 * an image, a damaged header, a path that cannot be created are refused with the reason. Every
 * "other process" is this program run again (fork and exec: a forked child would find its
 * parent's ramdisks in its copy of the library's memory).
 * usage: test_ramdisk_image [DIR] (default: a new directory under $TMPDIR or /tmp)
 *        test_ramdisk_image --child write|kv|open|fsize|format URI (what in_child() runs)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libxnvme.h>
#include "../target/check.h"
#include "refused.h"

static char g_dir[512];
static const char *g_self;

static void
path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", g_dir, name);
}

/* Runs "--child @p what @p uri" in another process; its exit status */
static int
in_child(const char *what, const char *uri)
{
	pid_t pid;
	int status = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl(g_self, g_self, "--child", what, uri, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static struct xnvme_dev *
open_sync(const char *uri)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.sync = "ramdisk";
	return xnvme_dev_open(uri, &opts);
}

/* Blocks 0..7 (4 KiB of 512-byte blocks) with a pattern seeded by @p seed, and 8 bytes of
 * metadata each */
static int
io_blocks(struct xnvme_dev *dev, int write, uint8_t seed)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	uint8_t *buf = xnvme_buf_alloc(dev, 4096), *meta = xnvme_buf_alloc(dev, 64);
	int err = -ENOMEM, same = 1;

	if (buf && meta) {
		for (int i = 0; i < 4096; ++i) {
			buf[i] = write ? (uint8_t)(seed + i * 7) : 0;
		}
		for (int i = 0; i < 64; ++i) {
			meta[i] = write ? (uint8_t)(seed ^ i) : 0;
		}
		err = write ? xnvme_nvm_write(&ctx, 1, 0, 7, buf, meta)
			    : xnvme_nvm_read(&ctx, 1, 0, 7, buf, meta);
		for (int i = 0; !write && !err && i < 4096; ++i) {
			same &= buf[i] == (uint8_t)(seed + i * 7);
		}
		for (int i = 0; !write && !err && i < 64; ++i) {
			same &= meta[i] == (uint8_t)(seed ^ i);
		}
		err = err ? err : (same ? 0 : 1);
	}
	xnvme_buf_free(dev, buf);
	xnvme_buf_free(dev, meta);
	return err;
}

static int
child_write(const char *uri)
{
	struct xnvme_dev *dev = open_sync(uri);
	int err = dev ? io_blocks(dev, 1, 0x5A) : -errno;

	xnvme_dev_close(dev);
	return err ? 1 : 0;
}

/* The key-value namespace (nsid 2): stores k0..k9, deletes k3, replaces k5 */
static int
child_kv(const char *uri)
{
	struct xnvme_dev *dev = open_sync(uri);
	char *val = dev ? xnvme_buf_alloc(dev, 64) : NULL;
	int err = val ? 0 : 1;

	for (int i = 0; !err && i < 10; ++i) {
		struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
		char key[8];

		snprintf(key, sizeof(key), "k%d", i);
		snprintf(val, 64, "value of %d", i);
		err = xnvme_kvs_store(&ctx, 2, key, (uint8_t)strlen(key), val,
				      (uint32_t)strlen(val), 0);
	}
	if (!err) {
		struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);

		err = xnvme_kvs_delete(&ctx, 2, "k3", 2);
	}
	if (!err) {
		struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);

		snprintf(val, 64, "five, again");
		err = xnvme_kvs_store(&ctx, 2, "k5", 2, val, (uint32_t)strlen(val), 0);
	}
	xnvme_buf_free(dev, val);
	xnvme_dev_close(dev);
	return err ? 1 : 0;
}

/* A value's bytes, or "" when absent */
static void
kv_get(struct xnvme_dev *dev, const char *key, char *out, size_t len)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	char *buf = xnvme_buf_alloc(dev, 4096);

	out[0] = '\0';
	if (buf && !xnvme_kvs_retrieve(&ctx, 2, key, (uint8_t)strlen(key), buf, 4096, 0)) {
		snprintf(out, len, "%.*s", (int)ctx.cpl.cdw0, buf);
	}
	xnvme_buf_free(dev, buf);
}

static int
child_open_errno(const char *uri)
{
	struct xnvme_dev *dev = xnvme_dev_open(uri, NULL);
	int err = dev ? 0 : errno;

	xnvme_dev_close(dev);
	return err;
}

/* The open with files limited to 1 MiB (as on a full disk, the image cannot be made) */
static int
child_open_fsize(const char *uri)
{
	struct rlimit lim = {.rlim_cur = 1 << 20, .rlim_max = 1 << 20};

	signal(SIGXFSZ, SIG_IGN); /* the call fails with EFBIG instead */
	if (setrlimit(RLIMIT_FSIZE, &lim)) {
		return 255;
	}
	return child_open_errno(uri);
}

static int
child_format(const char *uri)
{
	struct xnvme_dev *dev = open_sync(uri);
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	int err = dev ? xnvme_adm_format(&ctx, 1, 3, 0, 0, 0, 0, 0) : 1;

	xnvme_dev_close(dev);
	return err ? 1 : 0;
}

static void
test_round_trip(void)
{
	char img[600], uri[700], got[64];
	struct xnvme_dev *dev;

	path_of(img, sizeof(img), "nvm_kv.img");
	snprintf(uri, sizeof(uri), "ramdisk:4MiB,ms=8,kv=2,file=%s", img);
	CHECK(in_child("write", uri) == 0, "a process writes blocks and metadata to %s", uri);
	CHECK(in_child("kv", uri) == 0, "another process stores and deletes keys");
	CHECK(in_child("write", "ramdisk:4MiB,ms=8,kv=2") == 0,
	      "(a ramdisk without file= in between: nothing to do with the image)");
	dev = open_sync(uri);
	CHECK(dev != NULL, "this process opens the image: %s", xnvme_dev_open_err_msg());
	if (!dev) {
		return;
	}
	CHECK(io_blocks(dev, 0, 0x5A) == 0, "the first process's blocks and metadata are there");
	kv_get(dev, "k0", got, sizeof(got));
	CHECK(!strcmp(got, "value of 0"), "k0 is 'value of 0': '%s'", got);
	kv_get(dev, "k3", got, sizeof(got));
	CHECK(!strcmp(got, ""), "k3, deleted, is absent: '%s'", got);
	kv_get(dev, "k5", got, sizeof(got));
	CHECK(!strcmp(got, "five, again"), "k5 has its second value: '%s'", got);
	kv_get(dev, "k9", got, sizeof(got));
	CHECK(!strcmp(got, "value of 9"), "k9 is 'value of 9': '%s'", got);
	CHECK(in_child("open", uri) == EBUSY,
	      "while this process has it, another process is refused with EBUSY");
	xnvme_dev_close(dev);
	CHECK(
	    in_child("open", uri) == EBUSY,
	    "closing the handle keeps it: the ramdisk (and its lock) last until the process ends");
}

static void
test_format_kept(void)
{
	char img[600], uri[700];
	struct xnvme_dev *dev;

	path_of(img, sizeof(img), "format.img");
	snprintf(uri, sizeof(uri), "ramdisk:4MiB,file=%s", img);
	CHECK(in_child("write", uri) == 0 && in_child("format", uri) == 0,
	      "a process writes, another formats to 4 KiB blocks (LBA format 3)");
	dev = open_sync(uri);
	CHECK(dev && xnvme_dev_get_geo(dev)->lba_nbytes == 4096,
	      "the next process finds 4 KiB blocks: %u",
	      dev ? xnvme_dev_get_geo(dev)->lba_nbytes : 0);
	if (dev) {
		struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
		uint8_t *buf = xnvme_buf_alloc(dev, 4096);
		int zeros = buf && !xnvme_nvm_read(&ctx, 1, 0, 0, buf, NULL);

		for (int i = 0; zeros && i < 4096; ++i) {
			zeros = !buf[i];
		}
		CHECK(zeros, "and the format erased the data");
		xnvme_buf_free(dev, buf);
	}
	xnvme_dev_close(dev);
}

static void
test_refusals(void)
{
	char img[600], uri[700], other[600];
	struct stat st;
	int fd;

	check_refused("ramdisk:1MiB,file=", EINVAL, "file: no path");
	check_refused("ramdisk:1MiB,zoned=1,file=/tmp/x", EINVAL, "not zoned= or nil=1");
	check_refused("ramdisk:1MiB,nil=1,file=/tmp/x", EINVAL, "not zoned= or nil=1");
	check_refused("ramdisk:1MiB,file=/proc/no-such-dir/x.img", ENOENT, "cannot open or create");
	snprintf(uri, sizeof(uri), "ramdisk:1MiB,file=%s", g_dir);
	check_refused(uri, EISDIR, "cannot open or create");

	/* An image of one device is not another's; nor is any other file */
	path_of(img, sizeof(img), "one.img");
	snprintf(uri, sizeof(uri), "ramdisk:1MiB,file=%s", img);
	CHECK(in_child("open", uri) == 0, "a process makes %s", uri);
	snprintf(uri, sizeof(uri), "ramdisk:2MiB,file=%s", img);
	check_refused(uri, EINVAL, "holds another device (1048576 bytes");
	snprintf(uri, sizeof(uri), "ramdisk:1MiB,lbads=4096,file=%s", img);
	check_refused(uri, EINVAL, "holds another device");
	path_of(other, sizeof(other), "text.txt");
	fd = open(other, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "not an image\n", 13) == 13, "a text file");
	close(fd);
	snprintf(uri, sizeof(uri), "ramdisk:1MiB,file=%s", other);
	check_refused(uri, EINVAL, "is not a ramdisk image (13 bytes");
	CHECK(!stat(other, &st) && st.st_size == 13, "and it is left as it was");

	/* An image cut short, and one whose header is damaged */
	CHECK(!truncate(img, 8192), "%s cut to 8 KiB", img);
	snprintf(uri, sizeof(uri), "ramdisk:1MiB,file=%s", img);
	check_refused(uri, EINVAL, "is 8192 bytes; the image is");
	path_of(img, sizeof(img), "damaged.img");
	snprintf(uri, sizeof(uri), "ramdisk:1MiB,kv=1,file=%s", img);
	CHECK(in_child("open", uri) == 0, "a process makes %s", uri);
	fd = open(img, O_WRONLY);
	/* the namespace's log head (struct rd_img_ns in lib/be/ramdisk): a length past its half */
	{
		uint64_t head = 1ull << 40;

		CHECK(fd >= 0 && pwrite(fd, &head, 8, 16 + 4 + 4 + 8 + 160 + 5 * 8) == 8,
		      "its log's length overwritten");
	}
	close(fd);
	check_refused(uri, EINVAL, "damaged");

	/* No room for the image: refused at open (not SIGBUS at a later write), no file left */
	path_of(img, sizeof(img), "toolarge.img");
	snprintf(uri, sizeof(uri), "ramdisk:16MiB,file=%s", img);
	CHECK(in_child("fsize", uri) == EFBIG, "an image larger than the process may write: EFBIG");
	CHECK(stat(img, &st) && errno == ENOENT, "and no file is left behind");
	fd = open(img, O_CREAT | O_WRONLY, 0644);
	close(fd);
	CHECK(in_child("fsize", uri) == EFBIG && !stat(img, &st) && st.st_size == 0,
	      "an empty file that was there is refused the same, and stays");
}

int
main(int argc, char **argv)
{
	g_self = argv[0];
	if (argc == 4 && !strcmp(argv[1], "--child")) {
		return !strcmp(argv[2], "write")    ? child_write(argv[3])
		       : !strcmp(argv[2], "kv")     ? child_kv(argv[3])
		       : !strcmp(argv[2], "format") ? child_format(argv[3])
		       : !strcmp(argv[2], "fsize")  ? child_open_fsize(argv[3])
						    : child_open_errno(argv[3]);
	}
	if (argc > 1) {
		snprintf(g_dir, sizeof(g_dir), "%s", argv[1]);
	} else {
		const char *tmp = getenv("TMPDIR");

		snprintf(g_dir, sizeof(g_dir), "%s/xnvme-rd-image.XXXXXX", tmp ? tmp : "/tmp");
		if (!mkdtemp(g_dir)) {
			printf("FAIL: cannot make a directory %s: %s\n", g_dir, strerror(errno));
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_round_trip();
	test_format_kept();
	test_refusals();
	printf("%d failed (images in %s)\n", g_nfail, g_dir);
	if (!g_nfail && argc < 2) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
		if (system(cmd)) {
			printf("note: could not remove %s\n", g_dir);
		}
	}
	return g_nfail ? 1 : 0;
}
