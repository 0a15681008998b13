/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `xdd` tool, xNVMe 0.7.5's dd: --data-nbytes from --data-input (from byte --offset) to the
 * start of --data-output, through the library's file interface; `sync` reads with the sync
 * interface, `async` through a queue of --qdepth. The bytes pass through memory: at most 1 GiB.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "cli_fileio.h"

#define XDD_IOSIZE_DEFAULT 4096u
#define XDD_QDEPTH_DEFAULT 16u
#define XDD_NBYTES_MAX     (1ull << 30)

/* Checks the options; returns 0 or the usage exit code */
static int
xdd_check(struct cli_args *args, struct cli_fio *in)
{
	uint64_t nbytes = cli_num(args, CLI_OPT_DATA_NBYTES, 0);
	struct stat st;

	if (!cli_given(args, CLI_OPT_DATA_INPUT) || !cli_given(args, CLI_OPT_DATA_OUTPUT) ||
	    !cli_given(args, CLI_OPT_DATA_NBYTES)) {
		return cli_usage("--data-input, --data-output and --data-nbytes are required");
	}
	in->iosize = (size_t)cli_num(args, CLI_OPT_IOSIZE, XDD_IOSIZE_DEFAULT);
	in->off = (off_t)cli_num(args, CLI_OPT_OFFSET, 0);
	if (!nbytes || nbytes > XDD_NBYTES_MAX) {
		return cli_usage("--data-nbytes: 1 byte to 1 GiB");
	}
	if (!in->iosize || in->iosize > (64u << 20)) {
		return cli_usage("--iosize: 1 byte to 64 MiB");
	}
	if (args->opts.direct && (nbytes % 512 || in->iosize % 512 || in->off % 512)) {
		return cli_usage(
		    "with --direct, --data-nbytes, --iosize and --offset are multiples "
		    "of 512");
	}
	/* A regular file must hold what is asked for; a device is checked by the reads */
	if (!stat(args->str[CLI_OPT_DATA_INPUT], &st) && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size < (uint64_t)in->off + nbytes) {
		cli_error("'%s' has %lld bytes, fewer than --offset %lld plus --data-nbytes %llu",
			  args->str[CLI_OPT_DATA_INPUT], (long long)st.st_size, (long long)in->off,
			  (unsigned long long)nbytes);
		return CLI_EXIT_FAIL;
	}
	in->nbytes = (size_t)nbytes;
	return 0;
}

static int
xdd_run(struct cli_args *args, const char *name, uint32_t qdepth)
{
	const char *src = args->str[CLI_OPT_DATA_INPUT], *dst = args->str[CLI_OPT_DATA_OUTPUT];
	struct cli_fio in = {.qdepth = qdepth}, out;
	uint64_t start;
	int rc = xdd_check(args, &in), err;

	if (rc) {
		return rc;
	}
	in.fh = cli_fio_open(args, src, 0, 0);
	if (!in.fh) {
		return CLI_EXIT_FAIL;
	}
	out = in;
	out.fh = cli_fio_open(args, dst, 1, 0);
	in.buf = out.fh ? cli_buf_alloc(in.fh, in.nbytes) : NULL;
	if (!in.buf) {
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	out.buf = in.buf;
	out.off = 0;
	out.write = 1;
	out.qdepth = 0;
	start = xnvme_timer_now_ns();
	err = cli_fio_run(&in);
	if (err) {
		cli_error("cannot read '%s': %s", src, strerror(-err));
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	err = cli_fio_run(&out);
	if (err) {
		cli_error("cannot write '%s': %s", dst, strerror(-err));
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	printf("xdd_%s:\n  input: ", name);
	cli_yaml_str(stdout, src);
	printf("\n  output: ");
	cli_yaml_str(stdout, dst);
	printf("\n  nbytes: %zu\n  offset: %lld\n  iosize: %zu\n  qdepth: %u\n", in.nbytes,
	       (long long)in.off, in.iosize, qdepth);
	cli_fio_pr_clock(start, in.nbytes);
out:
	xnvme_buf_free(in.fh, in.buf);
	xnvme_file_close(out.fh);
	xnvme_file_close(in.fh);
	return rc;
}

static int
cmd_sync(struct cli_args *args)
{
	return xdd_run(args, "sync", 0);
}

static int
cmd_async(struct cli_args *args)
{
	return xdd_run(args, "async", (uint32_t)cli_num(args, CLI_OPT_QDEPTH, XDD_QDEPTH_DEFAULT));
}

#define OPTS                                                                                       \
	(CLI_OPT(CLI_OPT_OUTPUT) | CLI_OPT(CLI_OPT_BE) | CLI_OPT(CLI_OPT_SYNC) |                   \
	 CLI_OPT(CLI_OPT_ASYNC) | CLI_OPT(CLI_OPT_MEM) | CLI_OPT(CLI_OPT_DIRECT) |                 \
	 CLI_OPT(CLI_OPT_DATA_INPUT) | CLI_OPT(CLI_OPT_DATA_OUTPUT) |                              \
	 CLI_OPT(CLI_OPT_DATA_NBYTES) | CLI_OPT(CLI_OPT_IOSIZE) | CLI_OPT(CLI_OPT_OFFSET))

static const struct cli_cmd g_cmds[] = {
    {"sync", "copy --data-nbytes from --data-input (at --offset) to --data-output, sync reads",
     cmd_sync, OPTS, 0},
    {"async", "as sync, reading through a queue of --qdepth (16) on the async interface", cmd_async,
     OPTS | CLI_OPT(CLI_OPT_QDEPTH), 0},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "xdd",
	    .descr = "Copies bytes between files or devices through the library's file interface "
		     "(xNVMe's dd).\nThe default --iosize is 4 KiB.",
	    .cmds = g_cmds,
	    .ncmds = sizeof(g_cmds) / sizeof(g_cmds[0]),
	};

	return cli_main(&tool, argc, argv);
}
