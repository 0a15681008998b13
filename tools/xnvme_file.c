/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `xnvme_file` tool: files through the library's backends (libxnvme_file.h), synchronously
 * and through a queue. Useful to see what an interface does to plain file I/O, and to check it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "cli_fileio.h"

#define FILE_IOSIZE_DEFAULT (128u << 10)
#define FILE_QDEPTH_DEFAULT 16u
#define FILE_NBYTES_DEFAULT (4u << 20)

/* --iosize: at least 1 byte; with --direct a multiple of 512, as O_DIRECT needs */
static int
file_iosize(struct cli_args *args, size_t *iosize)
{
	uint64_t val = cli_num(args, CLI_OPT_IOSIZE, FILE_IOSIZE_DEFAULT);

	if (!val || val > (64u << 20)) {
		return cli_usage("--iosize: 1 byte to 64 MiB");
	}
	if (args->opts.direct && val % 512) {
		return cli_usage("--iosize %llu: with --direct, a multiple of 512",
				 (unsigned long long)val);
	}
	*iosize = (size_t)val;
	return CLI_EXIT_OK;
}

/* The bytes from the start that the last transfer moved by complete commands */
static size_t g_file_done;

/*
 * Reads (or, with @p write, writes) @p nbytes of @p buf at offset 0, @p iosize at a time; -EINTR
 * when a caught signal stopped it between commands (g_file_done: how far it got)
 */
static ssize_t
file_rw_sync(struct xnvme_dev *fh, uint8_t *buf, size_t nbytes, size_t iosize, int write)
{
	ssize_t err = 0;
	size_t off;

	for (off = 0; off < nbytes && !err && !cli_fio_signal(); off += iosize) {
		struct xnvme_cmd_ctx ctx = xnvme_file_get_cmd_ctx(fh);
		size_t len = nbytes - off < iosize ? nbytes - off : iosize;

		err = write ? xnvme_file_pwrite(&ctx, buf + off, len, (off_t)off)
			    : xnvme_file_pread(&ctx, buf + off, len, (off_t)off);
	}
	g_file_done = off < nbytes ? off : nbytes;
	return err ? err : (off < nbytes ? -EINTR : 0);
}

/* Copies @p nbytes from @p src to @p dst in @p iosize pieces through the sync interface */
static int
file_copy_sync(struct xnvme_dev *src, struct xnvme_dev *dst, size_t nbytes, size_t iosize,
	       void *buf)
{
	for (g_file_done = 0; g_file_done < nbytes; g_file_done += iosize) {
		size_t off = g_file_done, len = nbytes - off < iosize ? nbytes - off : iosize;
		struct xnvme_cmd_ctx ctx = xnvme_file_get_cmd_ctx(src);
		ssize_t err =
		    cli_fio_signal() ? -EINTR : xnvme_file_pread(&ctx, buf, len, (off_t)off);

		if (!err) {
			ctx = xnvme_file_get_cmd_ctx(dst);
			err = xnvme_file_pwrite(&ctx, buf, len, (off_t)off);
		}
		if (err) {
			return (int)err;
		}
	}
	g_file_done = nbytes;
	return 0;
}

/*
 * Ends a command stopped by a signal (-EINTR): what was written is synced, the first
 * g_file_done bytes are reported, and the process dies by the signal; any other @p err returns
 */
static void
file_stop(int err, struct xnvme_dev *written, const char *path, const char *what)
{
	if (err != -EINTR) {
		return;
	}
	if (written) {
		xnvme_file_sync(written);
	}
	cli_fio_interrupted(path, g_file_done, what);
}

/* A deterministic pattern no two nearby blocks share */
static void
file_fill(uint8_t *buf, size_t nbytes)
{
	for (size_t i = 0; i < nbytes; ++i) {
		buf[i] = (uint8_t)(i * 131 + (i >> 9));
	}
}

static int
cmd_write_read(struct cli_args *args)
{
	uint64_t nbytes = cli_num(args, CLI_OPT_DATA_NBYTES, FILE_NBYTES_DEFAULT);
	uint8_t *wbuf = NULL, *rbuf = NULL;
	struct xnvme_dev *fh;
	size_t iosize = 0; /* set by file_iosize(); -O3 cannot see it */
	ssize_t err;
	int rc;

	/* xNVMe's form: `write-read FILE NBYTES` */
	if (args->uri2 && cli_parse_u64(args->uri2, UINT64_MAX, &nbytes)) {
		return cli_usage("'%s' is not a number of bytes", args->uri2);
	}

	rc = file_iosize(args, &iosize);
	if (rc) {
		return rc;
	}
	if (!nbytes || nbytes > (1ull << 30) || (args->opts.direct && nbytes % 512)) {
		return cli_usage(
		    "--data-nbytes: 1 byte to 1 GiB (with --direct a multiple of 512)");
	}
	fh = cli_fio_open(args, args->uri, 1, 1);
	if (!fh) {
		return CLI_EXIT_FAIL;
	}
	rc = CLI_EXIT_FAIL;
	wbuf = cli_buf_alloc(fh, nbytes);
	rbuf = wbuf ? cli_buf_alloc(fh, nbytes) : NULL;
	if (!rbuf) {
		goto out;
	}
	file_fill(wbuf, nbytes);
	err = file_rw_sync(fh, wbuf, nbytes, iosize, 1);
	file_stop((int)err, fh, args->uri, "written");
	err = err ? err : xnvme_file_sync(fh);
	err = err ? err : file_rw_sync(fh, rbuf, nbytes, iosize, 0);
	file_stop((int)err, NULL, args->uri, "read back");
	if (err) {
		cli_error("'%s': %s", args->uri, strerror((int)-err));
	} else if (memcmp(wbuf, rbuf, nbytes)) {
		cli_error("'%s': the data read back differs from the data written", args->uri);
	} else {
		printf("xnvme_file_write_read:\n  path: ");
		cli_yaml_str(stdout, args->uri);
		printf("\n  nbytes: %llu\n  iosize: %zu\n  equal: true\n",
		       (unsigned long long)nbytes, iosize);
		rc = CLI_EXIT_OK;
	}
out:
	xnvme_buf_free(fh, wbuf);
	xnvme_buf_free(fh, rbuf);
	xnvme_file_close(fh);
	return rc;
}

static void
file_pr_copy(const char *name, struct cli_args *args, long long nbytes, size_t iosize)
{
	printf("xnvme_file_%s:\n  src: ", name);
	cli_yaml_str(stdout, args->uri);
	printf("\n  dst: ");
	cli_yaml_str(stdout, args->uri2);
	printf("\n  nbytes: %lld\n  iosize: %zu\n", nbytes, iosize);
}

/* Opens SRC for reading and DST for writing; checks the two are not the same file */
static int
file_open_pair(struct cli_args *args, long long *nbytes, struct xnvme_dev **src,
	       struct xnvme_dev **dst)
{
	struct stat a, b;

	*nbytes = cli_file_size(args->uri);
	if (*nbytes < 0) {
		return CLI_EXIT_FAIL;
	}
	if (!stat(args->uri2, &b) && !stat(args->uri, &a) && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) {
		cli_error("'%s' and '%s' are the same file", args->uri, args->uri2);
		return CLI_EXIT_FAIL;
	}
	if (args->opts.direct && *nbytes % 512) {
		cli_error("'%s' has %lld bytes: with --direct, a multiple of 512", args->uri,
			  *nbytes);
		return CLI_EXIT_FAIL;
	}
	*src = cli_fio_open(args, args->uri, 0, 0);
	*dst = *src ? cli_fio_open(args, args->uri2, 1, 1) : NULL;
	if (!*dst) {
		xnvme_file_close(*src);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int
cmd_copy_sync(struct cli_args *args)
{
	struct xnvme_dev *src, *dst;
	long long nbytes;
	size_t iosize = 0; /* set by file_iosize(); -O3 cannot see it */
	void *buf;
	int rc, err;

	rc = file_iosize(args, &iosize);
	if (rc || (rc = file_open_pair(args, &nbytes, &src, &dst))) {
		return rc;
	}
	buf = cli_buf_alloc(src, iosize);
	err = buf ? file_copy_sync(src, dst, (size_t)nbytes, iosize, buf) : -ENOMEM;
	file_stop(err, dst, args->uri2, "copied");
	err = err ? err : xnvme_file_sync(dst);
	if (err) {
		cli_error("copy failed: %s", strerror(-err));
		rc = CLI_EXIT_FAIL;
	} else {
		file_pr_copy("copy_sync", args, nbytes, iosize);
	}
	xnvme_buf_free(src, buf);
	xnvme_file_close(src);
	xnvme_file_close(dst);
	return rc;
}

static int
cmd_copy_async(struct cli_args *args)
{
	uint32_t qdepth = (uint32_t)cli_num(args, CLI_OPT_QDEPTH, FILE_QDEPTH_DEFAULT);
	struct cli_fio_copy copy = {0};
	struct xnvme_dev *src, *dst;
	long long nbytes;
	int rc, err;

	rc = file_iosize(args, &copy.iosize);
	if (rc) {
		return rc;
	}
	if ((uint64_t)qdepth * copy.iosize > (1ull << 30)) {
		return cli_usage("--qdepth %u of --iosize %zu is more than 1 GiB of buffers",
				 qdepth, copy.iosize);
	}
	rc = file_open_pair(args, &nbytes, &src, &dst);
	if (rc) {
		return rc;
	}
	copy.nbytes = (size_t)nbytes;
	err = cli_fio_copy_async(src, dst, &copy, qdepth);
	g_file_done = copy.done;
	file_stop(err, dst, args->uri2, "copied");
	err = err ? err : xnvme_file_sync(dst);
	if (!err && copy.done != copy.nbytes) {
		err = -EIO;
	}
	if (err) {
		cli_error("copy failed: %s", strerror(-err));
		rc = CLI_EXIT_FAIL;
	} else {
		file_pr_copy("copy_async", args, nbytes, copy.iosize);
		printf("  qdepth: %u\n  async: ", qdepth);
		cli_yaml_str(stdout, xnvme_dev_get_opts(src)->async);
		printf("\n");
	}
	xnvme_file_close(src);
	xnvme_file_close(dst);
	return rc;
}

/* export: the file, read through the library, into --data-output */
static int
cmd_export(struct cli_args *args)
{
	const char *out = args->str[CLI_OPT_DATA_OUTPUT];
	long long nbytes;
	struct xnvme_dev *fh;
	uint8_t *buf;
	size_t iosize = 0; /* set by file_iosize(); -O3 cannot see it */
	ssize_t err = 0;
	int rc;

	if (!out) {
		return cli_usage("--data-output is required: where the file's bytes go");
	}
	rc = file_iosize(args, &iosize);
	if (rc) {
		return rc;
	}
	nbytes = cli_file_size(args->uri);
	if (nbytes < 0) {
		return CLI_EXIT_FAIL;
	}
	fh = cli_fio_open(args, args->uri, 0, 0);
	if (!fh) {
		return CLI_EXIT_FAIL;
	}
	buf = cli_buf_alloc(fh, nbytes ? (size_t)nbytes : 1);
	err = buf ? file_rw_sync(fh, buf, (size_t)nbytes, iosize, 0) : 0;
	file_stop((int)err, NULL, args->uri, "read");
	rc = CLI_EXIT_FAIL;
	if (err) {
		cli_error("cannot read '%s': %s", args->uri, strerror((int)-err));
	} else if (buf && !cli_file_write(out, buf, (size_t)nbytes)) {
		rc = CLI_EXIT_OK;
		if (strcmp(out, "-")) {
			printf("xnvme_file_export:\n  path: ");
			cli_yaml_str(stdout, args->uri);
			printf("\n  nbytes: %lld\n", nbytes);
		}
	}
	xnvme_buf_free(fh, buf);
	xnvme_file_close(fh);
	return rc;
}

/* import: --data-input written through the library into the file, created or truncated */
static int
cmd_import(struct cli_args *args)
{
	const char *in = args->str[CLI_OPT_DATA_INPUT];
	long long nbytes;
	struct xnvme_dev *fh;
	uint8_t *buf;
	size_t iosize = 0; /* set by file_iosize(); -O3 cannot see it */
	ssize_t err = 0;
	int rc;

	if (!in) {
		return cli_usage("--data-input is required: the bytes to load");
	}
	rc = file_iosize(args, &iosize);
	if (rc) {
		return rc;
	}
	nbytes = cli_file_size(in);
	if (nbytes < 0) {
		return CLI_EXIT_FAIL;
	}
	if (args->opts.direct && nbytes % 512) {
		cli_error("'%s' has %lld bytes: with --direct, a multiple of 512", in, nbytes);
		return CLI_EXIT_FAIL;
	}
	fh = cli_fio_open(args, args->uri, 1, 1);
	if (!fh) {
		return CLI_EXIT_FAIL;
	}
	buf = cli_buf_alloc(fh, nbytes ? (size_t)nbytes : 1);
	if (!buf || cli_file_read(in, buf, (size_t)nbytes)) {
		xnvme_buf_free(fh, buf);
		xnvme_file_close(fh);
		return CLI_EXIT_FAIL;
	}
	err = file_rw_sync(fh, buf, (size_t)nbytes, iosize, 1);
	file_stop((int)err, fh, args->uri, "written");
	err = err ? err : xnvme_file_sync(fh);
	if (err) {
		cli_error("cannot write '%s': %s", args->uri, strerror((int)-err));
		rc = CLI_EXIT_FAIL;
	} else {
		printf("xnvme_file_import:\n  path: ");
		cli_yaml_str(stdout, args->uri);
		printf("\n  nbytes: %lld\n", nbytes);
	}
	xnvme_buf_free(fh, buf);
	xnvme_file_close(fh);
	return rc;
}

/*
 * xNVMe's dump-* (a buffer of --data-nbytes, the letters A-Z over and over, written to the file)
 * and load-* (the whole file read into memory), @p qdepth 0 synchronous, @p vec vectored
 */
static int
file_dump_load(struct cli_args *args, const char *name, int dump, uint32_t qdepth, int vec)
{
	struct cli_fio fio = {.write = dump, .qdepth = qdepth};
	long long nbytes = (long long)cli_num(args, CLI_OPT_DATA_NBYTES, 0);
	uint64_t start;
	int rc, err;

	fio.vec_cnt = vec ? (uint32_t)cli_num(args, CLI_OPT_VEC_CNT, 4) : 0;
	rc = file_iosize(args, &fio.iosize);
	if (rc) {
		return rc;
	}
	if (qdepth && (uint64_t)qdepth * fio.iosize > (1ull << 30)) {
		return cli_usage("--qdepth %u of --iosize %zu is more than 1 GiB", qdepth,
				 fio.iosize);
	}
	if (vec && !fio.vec_cnt) {
		return cli_usage("--vec-cnt: 1..1024");
	}
	if (dump && !cli_given(args, CLI_OPT_DATA_NBYTES)) {
		return cli_usage("--data-nbytes is required: how much to write");
	}
	nbytes = dump ? nbytes : cli_file_size(args->uri);
	if (nbytes < 0) {
		return CLI_EXIT_FAIL;
	}
	if (nbytes > (1ll << 30) || (args->opts.direct && nbytes % 512)) {
		cli_error("%lld bytes: at most 1 GiB (with --direct a multiple of 512)", nbytes);
		return CLI_EXIT_FAIL;
	}
	fio.nbytes = (size_t)nbytes;
	fio.fh = cli_fio_open(args, args->uri, dump, dump);
	if (!fio.fh) {
		return CLI_EXIT_FAIL;
	}
	fio.buf = cli_buf_alloc(fio.fh, fio.nbytes ? fio.nbytes : 1);
	if (!fio.buf) {
		xnvme_file_close(fio.fh);
		return CLI_EXIT_FAIL;
	}
	xnvme_buf_fill(fio.buf, fio.nbytes, dump ? "anum" : "zero");
	start = xnvme_timer_now_ns();
	err = cli_fio_run(&fio);
	g_file_done = fio.done;
	file_stop(err, NULL, args->uri, dump ? "written" : "read");
	if (err) {
		cli_error("cannot %s '%s': %s", dump ? "write" : "read", args->uri, strerror(-err));
		rc = CLI_EXIT_FAIL;
	} else {
		printf("xnvme_file_%s:\n  path: ", name);
		cli_yaml_str(stdout, args->uri);
		printf("\n  nbytes: %zu\n  iosize: %zu\n  qdepth: %u\n  vec_cnt: %u\n", fio.nbytes,
		       fio.iosize, qdepth, fio.vec_cnt);
		cli_fio_pr_clock(start, fio.nbytes);
	}
	xnvme_buf_free(fio.fh, fio.buf);
	xnvme_file_close(fio.fh);
	return rc;
}

static uint32_t
file_qdepth(struct cli_args *args)
{
	return (uint32_t)cli_num(args, CLI_OPT_QDEPTH, FILE_QDEPTH_DEFAULT);
}

static int
cmd_dump_sync(struct cli_args *args)
{
	return file_dump_load(args, "dump_sync", 1, 0, 0);
}

static int
cmd_dump_sync_iovec(struct cli_args *args)
{
	return file_dump_load(args, "dump_sync_iovec", 1, 0, 1);
}

static int
cmd_dump_async(struct cli_args *args)
{
	return file_dump_load(args, "dump_async", 1, file_qdepth(args), 0);
}

static int
cmd_dump_async_iovec(struct cli_args *args)
{
	return file_dump_load(args, "dump_async_iovec", 1, file_qdepth(args), 1);
}

static int
cmd_load_sync(struct cli_args *args)
{
	return file_dump_load(args, "load_sync", 0, 0, 0);
}

static int
cmd_load_async(struct cli_args *args)
{
	return file_dump_load(args, "load_async", 0, file_qdepth(args), 0);
}

#define DEV                                                                                        \
	(CLI_OPT(CLI_OPT_OUTPUT) | CLI_OPT(CLI_OPT_BE) | CLI_OPT(CLI_OPT_SYNC) |                   \
	 CLI_OPT(CLI_OPT_ASYNC) | CLI_OPT(CLI_OPT_MEM) | CLI_OPT(CLI_OPT_DIRECT) |                 \
	 CLI_OPT(CLI_OPT_IOSIZE))
#define NB CLI_OPT(CLI_OPT_DATA_NBYTES)
#define QD CLI_OPT(CLI_OPT_QDEPTH)
#define VC CLI_OPT(CLI_OPT_VEC_CNT)

static const struct cli_cmd g_cmds[] = {
    {"write-read",
     "write --data-nbytes (or ARG2; 4 MiB) of a pattern to FILE, read it back, compare",
     cmd_write_read, DEV | NB, CLI_ARGS_URI_OPT2},
    {"copy-sync", "copy URI to URI2 through the sync interface, --iosize at a time", cmd_copy_sync,
     DEV, 2},
    {"copy-async", "copy URI to URI2 through a queue of --qdepth (16) on the async interface",
     cmd_copy_async, DEV | QD, 2},
    {"dump-sync", "write --data-nbytes of letters (A-Z) to the file, --iosize at a time",
     cmd_dump_sync, DEV | NB, 1},
    {"dump-sync-iovec", "dump-sync with --vec-cnt (4) pieces per command (vectored)",
     cmd_dump_sync_iovec, DEV | NB | VC, 1},
    {"dump-async", "dump-sync through a queue of --qdepth (16) on the async interface",
     cmd_dump_async, DEV | NB | QD, 1},
    {"dump-async-iovec", "dump-async with --vec-cnt (4) pieces per command (vectored)",
     cmd_dump_async_iovec, DEV | NB | QD | VC, 1},
    {"load-sync", "read the whole file into memory, --iosize at a time", cmd_load_sync, DEV, 1},
    {"load-async", "load-sync through a queue of --qdepth (16) on the async interface",
     cmd_load_async, DEV | QD, 1},
    {"export", "read the file through the library into --data-output ('-': stdout)", cmd_export,
     DEV | CLI_OPT(CLI_OPT_DATA_OUTPUT), 1},
    {"import", "write --data-input through the library into the file (created/truncated)",
     cmd_import, DEV | CLI_OPT(CLI_OPT_DATA_INPUT), 1},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "xnvme_file",
	    .descr = "Files through the library's backends: write-read, copy, dump and load (sync, "
		     "async,\nvectored), export, import. The default --iosize is 128 KiB.\n"
		     "SIGINT/SIGTERM stop a transfer between commands: the bytes done are "
		     "reported,\nthen the tool dies by the signal (exit status 128 + its number).",
	    .cmds = g_cmds,
	    .ncmds = sizeof(g_cmds) / sizeof(g_cmds[0]),
	};

	cli_fio_catch_signals();
	return cli_main(&tool, argc, argv);
}
