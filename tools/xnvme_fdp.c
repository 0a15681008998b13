/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `xnvme` tool's verbs that xNVMe 0.7.5's tool has and ours lacked: flexible data placement
 * (NVMe TP4146: its log pages, events, reclaim unit handle status and update), dataset management
 * of one range, and the resets. The FDP structures are read by byte offset from the TP (the
 * library has no structs for them yet); the documents carry xNVMe 0.7.5's top-level keys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xnvme_tool.h"

#define OPC_IO_MGMT_RECV 0x12
#define OPC_IO_MGMT_SEND 0x1D
#define FEAT_FDP_EVENTS  0x1E

/* Little-endian fields at byte @p off of @p buf */
static uint64_t
le(const void *buf, size_t off, size_t nbytes)
{
	const uint8_t *b = (const uint8_t *)buf + off;
	uint64_t val = 0;

	for (size_t i = nbytes; i-- > 0;) {
		val = (val << 8) | b[i];
	}
	return val;
}

#define LE8(buf, off)  ((unsigned)le(buf, off, 1))
#define LE16(buf, off) ((unsigned)le(buf, off, 2))
#define LE32(buf, off) ((unsigned long)le(buf, off, 4))
#define LE64(buf, off) ((unsigned long long)le(buf, off, 8))

static void
pr_fdp_conf(const void *buf, size_t nbytes)
{
	printf("xnvme_spec_log_fdp_conf:\n  ncfg: %u\n  version: %u\n  size: %lu\n", LE16(buf, 0),
	       LE8(buf, 2), LE32(buf, 4));
	printf("  config_desc:\n");
	/* Configuration descriptors follow the 16-byte header, each its own size (ds) */
	for (size_t off = 16, i = 0; i <= LE16(buf, 0) && off + 32 <= nbytes; ++i) {
		unsigned ds = LE16(buf, off), fdpa = LE8(buf, off + 2);

		printf("    - ds: %u\n      fdpa: {rgif: %u, fdpvwc: %u, fdpcv: %u}\n"
		       "      vss: %u\n      nrg: %lu\n      nruh: %u\n      maxpids: %u\n"
		       "      nns: %lu\n      runs: %llu\n      erutl: %lu\n",
		       ds, fdpa & 0xF, (fdpa >> 4) & 1, (fdpa >> 7) & 1, LE8(buf, off + 3),
		       LE32(buf, off + 4), LE16(buf, off + 8), LE16(buf, off + 10),
		       LE32(buf, off + 12), LE64(buf, off + 16), LE32(buf, off + 24));
		if (ds < 32) {
			break;
		}
		off += ds;
	}
}

static void
pr_ruhu(const void *buf, size_t nbytes)
{
	unsigned nruh = LE16(buf, 0);

	printf("xnvme_spec_log_ruhu:\n  nruh: %u\n  ruhu_desc:\n", nruh);
	for (size_t i = 0; i < nruh && 8 + (i + 1) * 8 <= nbytes; ++i) {
		printf("    - {ruha: 0x%x}\n", LE8(buf, 8 + i * 8));
	}
}

static void
pr_fdp_stats(const void *buf)
{
	/* 128-bit byte counts, as xNVMe prints them: [low, high] */
	printf("xnvme_spec_log_fdp_stats:\n  hbmw: [%llu, %llu]\n  mbmw: [%llu, %llu]\n"
	       "  mbe: [%llu, %llu]\n",
	       LE64(buf, 0), LE64(buf, 8), LE64(buf, 16), LE64(buf, 24), LE64(buf, 32),
	       LE64(buf, 40));
}

static void
pr_fdp_events(const void *buf, size_t nbytes)
{
	unsigned long nevents = LE32(buf, 0);

	printf("xnvme_spec_log_fdp_events:\n  nevents: %lu\n  events:\n", nevents);
	for (size_t i = 0; i < nevents && 64 + (i + 1) * 64 <= nbytes; ++i) {
		size_t off = 64 + i * 64;

		printf("    - {type: 0x%x, fdpef: 0x%x, pid: %u, timestamp: %llu, nsid: %lu, "
		       "rgid: %u, ruhid: %u}\n",
		       LE8(buf, off), LE8(buf, off + 1), LE16(buf, off + 2), LE64(buf, off + 4),
		       LE32(buf, off + 12), LE16(buf, off + 32), LE8(buf, off + 34));
	}
}

int
xnvme_tool_fdp_log_pr(uint8_t lid, const void *buf, size_t nbytes)
{
	switch (lid) {
	case XNVME_TOOL_LOG_FDP_CONF:
		pr_fdp_conf(buf, nbytes);
		break;
	case XNVME_TOOL_LOG_RUHU:
		pr_ruhu(buf, nbytes);
		break;
	case XNVME_TOOL_LOG_FDP_STATS:
		pr_fdp_stats(buf);
		break;
	default:
		pr_fdp_events(buf, nbytes);
		break;
	}
	return 0;
}

/* Checks that the options xNVMe's tool requires for the verb were given */
static int
required(struct cli_args *args, cli_optset opts, const char *names)
{
	if ((args->given & opts) != opts) {
		return cli_usage("%s required", names);
	}
	return 0;
}

int
xnvme_tool_log_fdp_config(struct cli_args *args)
{
	int rc = required(args, CLI_OPT(CLI_OPT_LSI) | CLI_OPT(CLI_OPT_DATA_NBYTES),
			  "--lsi and --data-nbytes are");

	return rc ? rc : xnvme_tool_log_run(args, XNVME_TOOL_LOG_FDP_CONF, 0);
}

/* --limit entries of @p entry_nbytes after a header of @p hdr_nbytes */
static int
log_limited(struct cli_args *args, uint8_t lid, uint32_t hdr_nbytes, uint32_t entry_nbytes)
{
	uint64_t limit = args->num[CLI_OPT_LIMIT];

	if (!limit || limit > 4096) {
		return cli_usage("--limit must be 1..4096");
	}
	return xnvme_tool_log_run(args, lid, hdr_nbytes + (uint32_t)limit * entry_nbytes);
}

int
xnvme_tool_log_ruhu(struct cli_args *args)
{
	int rc =
	    required(args, CLI_OPT(CLI_OPT_LSI) | CLI_OPT(CLI_OPT_LIMIT), "--lsi and --limit are");

	return rc ? rc : log_limited(args, XNVME_TOOL_LOG_RUHU, 8, 8);
}

int
xnvme_tool_log_fdp_stats(struct cli_args *args)
{
	int rc = required(args, CLI_OPT(CLI_OPT_LSI), "--lsi is");

	return rc ? rc : xnvme_tool_log_run(args, XNVME_TOOL_LOG_FDP_STATS, 64);
}

int
xnvme_tool_log_fdp_events(struct cli_args *args)
{
	int rc =
	    required(args, CLI_OPT(CLI_OPT_LSI) | CLI_OPT(CLI_OPT_LIMIT) | CLI_OPT(CLI_OPT_LSP),
		     "--lsi, --limit and --lsp are");

	return rc ? rc : log_limited(args, XNVME_TOOL_LOG_FDP_EVENTS, 64, 64);
}

/* Opens the device and allocates @p nbytes; NULL (after the error line) when either fails */
static struct xnvme_dev *
open_with_buf(struct cli_args *args, size_t nbytes, void **buf)
{
	struct xnvme_dev *dev = cli_dev_open(args);

	*buf = NULL;
	if (dev && nbytes) {
		*buf = cli_buf_alloc(dev, nbytes);
		if (!*buf) {
			xnvme_dev_close(dev);
			return NULL;
		}
	}
	return dev;
}

int
xnvme_tool_set_fdp_events(struct cli_args *args)
{
	/* The event types xNVMe's tool enables or disables together */
	static const uint8_t types[] = {0x0, 0x1, 0x2, 0x3, 0x80, 0x81};
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint32_t *dw;
	void *buf;
	int rc =
	    required(args, CLI_OPT(CLI_OPT_FID) | CLI_OPT(CLI_OPT_FEAT) | CLI_OPT(CLI_OPT_CDW12),
		     "--fid, --feat and --cdw12 are");

	if (rc) {
		return rc;
	}
	dev = open_with_buf(args, sizeof(types), &buf);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	memcpy(buf, types, sizeof(types));
	ctx = xnvme_cmd_ctx_from_dev(dev);
	xnvme_prep_adm_sfeat(&ctx, cli_nsid(args, dev), (uint8_t)args->num[CLI_OPT_FID],
			     (uint32_t)args->num[CLI_OPT_FEAT], cli_given(args, CLI_OPT_SAVE));
	dw = (uint32_t *)&ctx.cmd;
	dw[12] = (uint32_t)args->num[CLI_OPT_CDW12];
	rc = cli_cmd_result(&ctx, xnvme_cmd_pass_admin(&ctx, buf, sizeof(types), NULL, 0),
			    "set features (FDP events)");
	if (rc == CLI_EXIT_OK) {
		printf("xnvme_set_fdp_events:\n  nsid: %u\n  fid: 0x%x\n  feat: 0x%x\n"
		       "  cdw12: 0x%x\n  save: %d\n  nevents: %zu\n",
		       ctx.cmd.common.nsid, (unsigned)args->num[CLI_OPT_FID], dw[11], dw[12],
		       cli_given(args, CLI_OPT_SAVE), sizeof(types));
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_fdp_ruhs(struct cli_args *args)
{
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint64_t limit = args->num[CLI_OPT_LIMIT];
	size_t nbytes = 16 + (size_t)limit * 32;
	unsigned nruhsd;
	uint32_t *dw;
	void *buf;
	int rc = required(args, CLI_OPT(CLI_OPT_LIMIT), "--limit is");

	if (rc) {
		return rc;
	}
	if (!limit || limit > 4096) {
		return cli_usage("--limit must be 1..4096");
	}
	dev = open_with_buf(args, nbytes, &buf);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	/* I/O Management Receive, management operation 1: reclaim unit handle status */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	dw = (uint32_t *)&ctx.cmd;
	ctx.cmd.common.opcode = OPC_IO_MGMT_RECV;
	ctx.cmd.common.nsid = cli_nsid(args, dev);
	dw[10] = 0x1;
	dw[11] = (uint32_t)(nbytes / 4 - 1);
	rc = cli_cmd_result(&ctx, xnvme_cmd_pass(&ctx, buf, nbytes, NULL, 0),
			    "I/O management receive (reclaim unit handle status)");
	if (rc == CLI_EXIT_OK) {
		nruhsd = LE16(buf, 14);
		printf("xnvme_spec_ruhs:\n  nruhsd: %u\n  ruhss:\n", nruhsd);
		for (size_t i = 0; i < nruhsd && i < limit; ++i) {
			size_t off = 16 + i * 32;

			printf("    - {pi: %u, ruhi: %u, earutr: %lu, ruamw: %llu}\n",
			       LE16(buf, off), LE16(buf, off + 2), LE32(buf, off + 4),
			       LE64(buf, off + 8));
		}
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_fdp_ruhu(struct cli_args *args)
{
	uint16_t pids[128];
	size_t npids = 0;
	const char *pos;
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	void *buf;
	int rc = required(args, CLI_OPT(CLI_OPT_PID), "--pid is");

	if (rc) {
		return rc;
	}
	/* "--pid 0,1,2": the placement identifiers whose reclaim units are updated */
	for (pos = args->str[CLI_OPT_PID]; pos && *pos; ++npids) {
		char num[16];
		size_t len = strcspn(pos, ",");
		uint64_t pid;

		if (npids == 128 || len >= sizeof(num)) {
			return cli_usage("--pid: at most 128 identifiers of 0..0xFFFF");
		}
		snprintf(num, sizeof(num), "%.*s", (int)len, pos);
		if (cli_parse_u64(num, UINT16_MAX, &pid)) {
			return cli_usage("--pid: '%s' is not a placement identifier", num);
		}
		pids[npids] = (uint16_t)pid;
		pos += len + (pos[len] == ',');
	}
	dev = open_with_buf(args, npids * sizeof(pids[0]), &buf);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	memcpy(buf, pids, npids * sizeof(pids[0]));
	/* I/O Management Send, operation 1: reclaim unit handle update; MOS: the count, 0-based */
	ctx = xnvme_cmd_ctx_from_dev(dev);
	ctx.cmd.common.opcode = OPC_IO_MGMT_SEND;
	ctx.cmd.common.nsid = cli_nsid(args, dev);
	((uint32_t *)&ctx.cmd)[10] = 0x1 | (uint32_t)(npids - 1) << 16;
	rc = cli_cmd_result(&ctx, xnvme_cmd_pass(&ctx, buf, npids * sizeof(pids[0]), NULL, 0),
			    "I/O management send (reclaim unit handle update)");
	if (rc == CLI_EXIT_OK) {
		printf("xnvme_fdp_ruhu:\n  nsid: %u\n  pids:\n", ctx.cmd.common.nsid);
		for (size_t i = 0; i < npids; ++i) {
			printf("    - %u\n", pids[i]);
		}
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

int
xnvme_tool_dsm(struct cli_args *args)
{
	struct xnvme_spec_dsm_range *range;
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	int ad = cli_given(args, CLI_OPT_AD), idw = cli_given(args, CLI_OPT_IDW);
	int idr = cli_given(args, CLI_OPT_IDR);
	int rc =
	    required(args, CLI_OPT(CLI_OPT_SLBA) | CLI_OPT(CLI_OPT_LLB), "--slba and --llb are");

	if (rc) {
		return rc;
	}
	if (!args->num[CLI_OPT_LLB]) {
		return cli_usage("--llb is one-based: 0 is no range");
	}
	dev = open_with_buf(args, sizeof(*range), (void **)&range);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	range->slba = args->num[CLI_OPT_SLBA];
	range->llb = (uint32_t)args->num[CLI_OPT_LLB];
	ctx = xnvme_cmd_ctx_from_dev(dev);
	rc = cli_cmd_result(&ctx, xnvme_nvm_dsm(&ctx, cli_nsid(args, dev), range, 0, ad, idw, idr),
			    "dataset management");
	if (rc == CLI_EXIT_OK) {
		printf("xnvme_dsm:\n  nsid: %u\n  slba: %llu\n  llb: %lu\n  ad: %d\n  idw: %d\n"
		       "  idr: %d\n",
		       cli_nsid(args, dev), (unsigned long long)range->slba,
		       (unsigned long)range->llb, ad, idw, idr);
	}
	xnvme_buf_free(dev, range);
	xnvme_dev_close(dev);
	return rc;
}

/* One topology call on the device: reset, rescan; the backends that cannot say -ENOSYS */
static int
topology_run(struct cli_args *args, int (*fn)(struct xnvme_dev *), const char *what)
{
	struct xnvme_dev *dev = cli_dev_open(args);
	int err;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	err = fn(dev);
	xnvme_dev_close(dev);
	if (err) {
		cli_error("%s failed: %s%s", what,
			  err == -ENOSYS ? "not supported by this device: " : "", strerror(-err));
		return CLI_EXIT_FAIL;
	}
	printf("xnvme_%s: {uri: ", what);
	cli_yaml_str(stdout, args->uri);
	printf("}\n");
	return CLI_EXIT_OK;
}

int
xnvme_tool_subsystem_reset(struct cli_args *args)
{
	return topology_run(args, xnvme_subsystem_reset, "subsystem_reset");
}

int
xnvme_tool_ctrlr_reset(struct cli_args *args)
{
	return topology_run(args, xnvme_controller_reset, "controller_reset");
}

int
xnvme_tool_ns_rescan(struct cli_args *args)
{
	return topology_run(args, xnvme_namespace_rescan, "namespace_rescan");
}

int
xnvme_tool_show_regs(struct cli_args *args)
{
	struct xnvme_spec_ctrlr_bar *bar = calloc(1, sizeof(*bar));
	struct xnvme_dev *dev;
	int err;

	if (!bar) {
		cli_error("cannot allocate the register image: %s", strerror(ENOMEM));
		return CLI_EXIT_FAIL;
	}
	dev = cli_dev_open(args);
	if (!dev) {
		free(bar);
		return CLI_EXIT_FAIL;
	}
	err = xnvme_controller_get_registers(dev, bar);
	xnvme_dev_close(dev);
	if (err) {
		cli_error("reading the controller registers failed: %s%s",
			  err == -ENOSYS ? "not supported by this device: " : "", strerror(-err));
		free(bar);
		return CLI_EXIT_FAIL;
	}
	xnvme_spec_ctrlr_bar_fpr(stdout, bar, XNVME_PR_YAML);
	free(bar);
	return CLI_EXIT_OK;
}
