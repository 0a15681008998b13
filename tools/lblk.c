/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `lblk` tool: the NVM command set on logical blocks. Every command checks its LBA range
 * against the namespace, its transfer against MDTS and its input files before it sends anything:
 * a refused command writes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cli_blk.h"

static int
cmd_read(struct cli_args *args)
{
	return cli_blk_xfer(args, "lblk", "read", XNVME_SPEC_NVM_OPC_READ);
}

static int
cmd_write(struct cli_args *args)
{
	return cli_blk_xfer(args, "lblk", "write", XNVME_SPEC_NVM_OPC_WRITE);
}

static int
cmd_compare(struct cli_args *args)
{
	return cli_blk_xfer(args, "lblk", "compare", XNVME_SPEC_NVM_OPC_COMPARE);
}

/* write-zeroes, write-uncor, verify: an LBA range, no data */
static int
lblk_nodata(struct cli_args *args, const char *name, uint8_t opc)
{
	struct xnvme_cmd_ctx ctx;
	struct cli_blk lb;
	uint16_t nlb;
	int err, rc;

	if (cli_blk_open(args, &lb, 0)) {
		return CLI_EXIT_FAIL;
	}
	nlb = (uint16_t)(lb.nblocks - 1);
	ctx = xnvme_cmd_ctx_from_dev(lb.dev);
	if (opc == XNVME_SPEC_NVM_OPC_WRITE_ZEROES) {
		err = xnvme_nvm_write_zeroes(&ctx, lb.nsid, lb.slba, nlb);
	} else if (opc == XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE) {
		err = xnvme_nvm_write_uncorrectable(&ctx, lb.nsid, lb.slba, nlb);
	} else {
		err = xnvme_nvm_verify(&ctx, lb.nsid, lb.slba, nlb);
	}
	rc = cli_cmd_result(&ctx, err, name);
	if (rc == CLI_EXIT_OK) {
		cli_blk_pr("lblk", name, &lb);
	}
	xnvme_dev_close(lb.dev);
	return rc;
}

static int
cmd_write_zeroes(struct cli_args *args)
{
	return lblk_nodata(args, "write-zeroes", XNVME_SPEC_NVM_OPC_WRITE_ZEROES);
}

static int
cmd_write_uncor(struct cli_args *args)
{
	return lblk_nodata(args, "write-uncor", XNVME_SPEC_NVM_OPC_WRITE_UNCORRECTABLE);
}

static int
cmd_verify(struct cli_args *args)
{
	return lblk_nodata(args, "verify", XNVME_SPEC_NVM_OPC_VERIFY);
}

static int
cmd_flush(struct cli_args *args)
{
	struct xnvme_dev *dev = cli_dev_open(args);
	struct xnvme_cmd_ctx ctx;
	int rc;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	rc = cli_cmd_result(&ctx, xnvme_nvm_flush(&ctx, cli_nsid(args, dev)), "flush");
	if (rc == CLI_EXIT_OK) {
		printf("lblk_flush:\n  nsid: %u\n", cli_nsid(args, dev));
	}
	xnvme_dev_close(dev);
	return rc;
}

#define LBLK_RANGES_MAX 128

struct lblk_range {
	uint64_t slba;
	uint64_t nblocks; ///< One-based
};

/*
 * The ranges of --ranges "SLBA:NLB,..." (NLB zero-based, like --nlb), or the one of --slba/--nlb.
 * Returns the count, or -1 after a usage error line.
 */
static int
lblk_ranges(struct cli_args *args, struct lblk_range *ranges)
{
	const char *spec = args->str[CLI_OPT_RANGES];
	char text[4096], *save = NULL;
	int n = 0;

	if (!spec) {
		ranges[0].slba = cli_num(args, CLI_OPT_SLBA, 0);
		ranges[0].nblocks = cli_num(args, CLI_OPT_NLB, 0) + 1;
		return 1;
	}
	if (cli_given(args, CLI_OPT_SLBA) || cli_given(args, CLI_OPT_NLB)) {
		cli_usage("--ranges replaces --slba/--nlb: give one or the other");
		return -1;
	}
	if (strlen(spec) >= sizeof(text)) {
		cli_usage("--ranges is too long");
		return -1;
	}
	strcpy(text, spec);
	for (char *tok = strtok_r(text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		uint64_t nlb;

		if (n == LBLK_RANGES_MAX) {
			cli_usage("--ranges: at most %d ranges", LBLK_RANGES_MAX);
			return -1;
		}
		if (!colon) {
			cli_usage("--ranges: '%s' is not SLBA:NLB", tok);
			return -1;
		}
		*colon = '\0';
		if (cli_parse_u64(tok, UINT64_MAX, &ranges[n].slba) ||
		    cli_parse_u64(colon + 1, UINT16_MAX, &nlb)) {
			cli_usage("--ranges: '%s:%s' is not SLBA:NLB (NLB 0..65535)", tok,
				  colon + 1);
			return -1;
		}
		ranges[n++].nblocks = nlb + 1;
	}
	if (!n || spec[strlen(spec) - 1] == ',' || spec[0] == ',' || strstr(spec, ",,")) {
		cli_usage("--ranges: '%s' is not a list SLBA:NLB,...", spec);
		return -1;
	}
	return n;
}

static int
cmd_dsm(struct cli_args *args)
{
	struct lblk_range ranges[LBLK_RANGES_MAX];
	struct xnvme_spec_dsm_range *dsm = NULL;
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	int n = lblk_ranges(args, ranges), err, rc = CLI_EXIT_FAIL;

	if (n < 0) {
		return CLI_EXIT_USAGE;
	}
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	for (int i = 0; i < n; ++i) {
		if (cli_blk_range_check(xnvme_dev_get_geo(dev), ranges[i].slba,
					ranges[i].nblocks)) {
			goto out;
		}
	}
	dsm = cli_buf_alloc(dev, sizeof(*dsm) * LBLK_RANGES_MAX);
	if (!dsm) {
		goto out;
	}
	for (int i = 0; i < n; ++i) {
		dsm[i].slba = ranges[i].slba;
		dsm[i].llb = (uint32_t)ranges[i].nblocks;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_dsm(&ctx, cli_nsid(args, dev), dsm, (uint8_t)(n - 1), true, false, false);
	rc = cli_cmd_result(&ctx, err, "dataset management (deallocate)");
	if (rc == CLI_EXIT_OK) {
		printf("lblk_dsm:\n  nsid: %u\n  ad: 1\n  ranges:\n", cli_nsid(args, dev));
		for (int i = 0; i < n; ++i) {
			printf("    - {slba: %llu, nlb: %llu}\n",
			       (unsigned long long)ranges[i].slba,
			       (unsigned long long)(ranges[i].nblocks - 1));
		}
	}
out:
	xnvme_buf_free(dev, dsm);
	xnvme_dev_close(dev);
	return rc;
}

static int
cmd_copy(struct cli_args *args)
{
	struct lblk_range ranges[LBLK_RANGES_MAX];
	struct xnvme_spec_nvm_scopy_fmt_zero *src = NULL;
	const struct xnvme_spec_idfy_ns *ns;
	const struct xnvme_geo *geo;
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint64_t sdlba, total = 0;
	int n, err, rc = CLI_EXIT_FAIL;

	if (!cli_given(args, CLI_OPT_SDLBA)) {
		return cli_usage("--sdlba is required: where the copy goes");
	}
	n = lblk_ranges(args, ranges);
	if (n < 0) {
		return CLI_EXIT_USAGE;
	}
	sdlba = args->num[CLI_OPT_SDLBA];
	dev = cli_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	geo = xnvme_dev_get_geo(dev);
	ns = xnvme_dev_get_ns(dev);
	for (int i = 0; i < n; ++i) {
		if (cli_blk_range_check(geo, ranges[i].slba, ranges[i].nblocks)) {
			goto out;
		}
		total += ranges[i].nblocks;
	}
	if (cli_blk_range_check(geo, sdlba, total)) {
		goto out;
	}
	/* The device's copy limits (identify namespace), when it states them */
	if (ns->mcl && (n > ns->msrc + 1 || total > ns->mcl)) {
		cli_error(
		    "the copy exceeds the namespace's limits: %d ranges of %llu blocks, at most "
		    "%u ranges (MSRC) and %u blocks (MCL)",
		    n, (unsigned long long)total, ns->msrc + 1, ns->mcl);
		goto out;
	}
	for (int i = 0; i < n && ns->mssrl; ++i) {
		if (ranges[i].nblocks > ns->mssrl) {
			cli_error("range %d has %llu blocks, more than the %u of one range (MSSRL)",
				  i, (unsigned long long)ranges[i].nblocks, ns->mssrl);
			goto out;
		}
	}
	src = cli_buf_alloc(dev, sizeof(*src) * (size_t)n);
	if (!src) {
		goto out;
	}
	for (int i = 0; i < n; ++i) {
		src[i].slba = ranges[i].slba;
		src[i].nlb = (uint16_t)(ranges[i].nblocks - 1);
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_nvm_scopy(&ctx, cli_nsid(args, dev), sdlba, src, (uint8_t)(n - 1),
			      XNVME_NVM_SCOPY_FMT_ZERO);
	rc = cli_cmd_result(&ctx, err, "copy");
	if (rc == CLI_EXIT_OK) {
		printf("lblk_copy:\n  nsid: %u\n  sdlba: %llu\n  nblocks: %llu\n  nranges: %d\n",
		       cli_nsid(args, dev), (unsigned long long)sdlba, (unsigned long long)total,
		       n);
	}
out:
	xnvme_buf_free(dev, src);
	xnvme_dev_close(dev);
	return rc;
}

/* Identify namespace and the NVM command set's identify namespace (CNS 05h, CSI 0) */
static int
cmd_idfy(struct cli_args *args)
{
	struct xnvme_dev *dev = cli_dev_open(args);
	int rc;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	rc = cli_idfy(args, dev, XNVME_SPEC_IDFY_NS, XNVME_SPEC_CSI_NVM);
	/* --data-output (xNVMe's option) holds the identify namespace data alone */
	if (rc == CLI_EXIT_OK && !cli_given(args, CLI_OPT_DATA_OUTPUT)) {
		rc = cli_idfy(args, dev, XNVME_SPEC_IDFY_NS_IOCS, XNVME_SPEC_CSI_NVM);
	}
	xnvme_dev_close(dev);
	return rc;
}

static int
cmd_enum(struct cli_args *args)
{
	return cli_enum(args, XNVME_SPEC_CSI_NVM);
}

static int
cmd_write_dir(struct cli_args *args)
{
	if (!cli_given(args, CLI_OPT_DTYPE)) {
		return cli_usage("--dtype is required (1 streams, 2 data placement)");
	}
	return cli_blk_xfer(args, "lblk", "write_dir", XNVME_SPEC_NVM_OPC_WRITE);
}

/* Directive Send (NVMe 2.0 5.9): --doper, --dtype, --dspec; enable takes --endir, --tgtdir */
static int
cmd_dir_send(struct cli_args *args)
{
	uint32_t doper = (uint32_t)cli_num(args, CLI_OPT_DOPER, 0);
	uint32_t dtype = (uint32_t)cli_num(args, CLI_OPT_DTYPE, 0);
	uint32_t dspec = (uint32_t)cli_num(args, CLI_OPT_DSPEC, 0);
	/* CDW12 of "enable directive" (identify, doper 1): ENDIR bit 0, TDTYPE bits 15:8 */
	uint32_t val = (uint32_t)cli_num(args, CLI_OPT_ENDIR, 0) |
		       (uint32_t)cli_num(args, CLI_OPT_TGTDIR, 0) << 8;
	struct xnvme_dev *dev = cli_dev_open(args);
	struct xnvme_cmd_ctx ctx;
	int rc;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	rc = cli_cmd_result(
	    &ctx, xnvme_adm_dir_send(&ctx, cli_nsid(args, dev), (uint8_t)doper, dtype, dspec, val),
	    "directive send");
	if (rc == CLI_EXIT_OK) {
		printf("lblk_dir_send:\n  nsid: %u\n  doper: %u\n  dtype: %u\n  dspec: %u\n"
		       "  endir: %u\n  tgtdir: %u\n",
		       cli_nsid(args, dev), doper, dtype, dspec, val & 1, val >> 8);
	}
	xnvme_dev_close(dev);
	return rc;
}

/* Directive Receive: the 4 KiB the operation returns, in hex (--nsr: streams to allocate) */
static int
cmd_dir_receive(struct cli_args *args)
{
	uint32_t doper = (uint32_t)cli_num(args, CLI_OPT_DOPER, 0);
	uint32_t dtype = (uint32_t)cli_num(args, CLI_OPT_DTYPE, 0);
	struct xnvme_dev *dev = cli_dev_open(args);
	struct xnvme_cmd_ctx ctx;
	size_t nbytes = 4096;
	void *buf;
	int rc = CLI_EXIT_FAIL;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	buf = cli_buf_alloc(dev, nbytes);
	if (buf) {
		ctx = xnvme_cmd_ctx_from_dev(dev);
		rc = cli_cmd_result(
		    &ctx,
		    xnvme_adm_dir_recv(&ctx, cli_nsid(args, dev), (uint8_t)doper, dtype,
				       (uint32_t)cli_num(args, CLI_OPT_NSR, 0), buf, nbytes),
		    "directive receive");
	}
	if (rc == CLI_EXIT_OK) {
		printf("lblk_dir_receive:\n  nsid: %u\n  doper: %u\n  dtype: %u\n  cdw0: 0x%x\n",
		       cli_nsid(args, dev), doper, dtype, ctx.cpl.cdw0);
		cli_pr_hex("data", buf, nbytes);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

/*
 * Writes a pattern with protection information options (--pract 1: the controller adds it),
 * reads it back with the same options and compares the data
 */
static int
cmd_write_read_pi(struct cli_args *args)
{
	struct xnvme_cmd_ctx ctx;
	struct cli_blk blk;
	uint8_t *wbuf = NULL, *rbuf = NULL, *mbuf = NULL;
	int rc = CLI_EXIT_FAIL;

	if (cli_blk_open(args, &blk, 1)) {
		return CLI_EXIT_FAIL;
	}
	if (!blk.geo->pi_type) {
		cli_error("the namespace has no protection information (format it with --pi)");
		goto out;
	}
	/* The reference tag of type 1 and 2 starts at the low 32 bits of the start LBA */
	blk.cdw14 = (uint32_t)blk.slba;
	wbuf = cli_buf_alloc(blk.dev, blk.dbytes);
	rbuf = cli_buf_alloc(blk.dev, blk.dbytes);
	mbuf = blk.mbytes ? cli_buf_alloc(blk.dev, blk.mbytes) : NULL;
	if (!wbuf || !rbuf || (blk.mbytes && !mbuf)) {
		goto out;
	}
	if (cli_given(args, CLI_OPT_DATA_INPUT) &&
	    cli_file_read(args->str[CLI_OPT_DATA_INPUT], wbuf, blk.dbytes)) {
		goto out;
	}
	if (cli_given(args, CLI_OPT_META_INPUT) && mbuf &&
	    cli_file_read(args->str[CLI_OPT_META_INPUT], mbuf, blk.mbytes)) {
		goto out;
	}
	for (size_t i = 0; !cli_given(args, CLI_OPT_DATA_INPUT) && i < blk.dbytes; ++i) {
		wbuf[i] = (uint8_t)(blk.slba * blk.geo->lba_nbytes + i);
	}
	ctx = xnvme_cmd_ctx_from_dev(blk.dev);
	rc = cli_cmd_result(&ctx, cli_blk_pass(&ctx, &blk, XNVME_SPEC_NVM_OPC_WRITE, wbuf, mbuf),
			    "write");
	if (rc == CLI_EXIT_OK) {
		ctx = xnvme_cmd_ctx_from_dev(blk.dev);
		rc = cli_cmd_result(
		    &ctx, cli_blk_pass(&ctx, &blk, XNVME_SPEC_NVM_OPC_READ, rbuf, mbuf), "read");
	}
	if (rc == CLI_EXIT_OK && memcmp(wbuf, rbuf, blk.dbytes)) {
		cli_error("the data read differs from the data written");
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		cli_blk_pr("lblk", "write_read_pi", &blk);
		printf("  pract: %u\n  prchk: %u\n  apptag: 0x%x\n  apptag_mask: 0x%x\n"
		       "  equal: true\n",
		       blk.cdw12 >> 29 & 1, blk.cdw12 >> 26 & 7, blk.cdw15 & 0xFFFF,
		       blk.cdw15 >> 16);
	}
out:
	xnvme_buf_free(blk.dev, wbuf);
	xnvme_buf_free(blk.dev, rbuf);
	xnvme_buf_free(blk.dev, mbuf);
	xnvme_dev_close(blk.dev);
	return rc;
}

#define DEV   (CLI_OPT(CLI_OPT_OUTPUT) | CLI_OPTS_DEV)
#define O(id) CLI_OPT(CLI_OPT_##id)
#define RANGE (DEV | CLI_OPT(CLI_OPT_SLBA) | CLI_OPT(CLI_OPT_NLB))
#define XFER  (RANGE | CLI_OPT(CLI_OPT_DATA_INPUT) | CLI_OPT(CLI_OPT_META_INPUT))

/* xNVMe's write-zeros and write-uncor take data options: accepted, there is no data to send */
#define NODATA (RANGE | O(DATA_INPUT) | O(META_INPUT))

static const struct cli_cmd g_cmds[] = {
    {"enum", "list the NVM namespaces the backends find (--uri: at a fabrics address)", cmd_enum,
     CLI_OPT(CLI_OPT_OUTPUT) | (CLI_OPTS_DEV & ~O(NSID)) | O(URI) | O(FLAGS), 0},
    {"idfy", "identify namespace, general and NVM command set specific", cmd_idfy,
     DEV | O(DATA_OUTPUT), 1},
    {"info", "describe the device: backend, interfaces, options, geometry", cli_info, DEV, 1,
     CLI_CMD_NSID_OPENS},
    {"read", "read --nlb+1 blocks from --slba (to --data-output, --meta-output)", cmd_read,
     RANGE | CLI_OPT(CLI_OPT_DATA_OUTPUT) | CLI_OPT(CLI_OPT_META_OUTPUT), 1},
    {"write", "write --data-input (else a pattern: byte = address & 0xFF) at --slba", cmd_write,
     XFER, 1},
    {"write-zeroes", "write zeroes to --nlb+1 blocks from --slba", cmd_write_zeroes, NODATA, 1},
    {"write-zeros", "same as write-zeroes (xNVMe's name)", cmd_write_zeroes, NODATA, 1},
    {"write-uncor", "mark blocks uncorrectable: reads fail until they are written", cmd_write_uncor,
     NODATA, 1},
    {"write-dir", "write as `write` does, with directive --dtype and --dspec", cmd_write_dir,
     XFER | O(DTYPE) | O(DSPEC), 1},
    {"write-read-pi", "write then read back with protection information (--pract, --prchk)",
     cmd_write_read_pi, XFER | O(PRACT) | O(PRCHK) | O(APPTAG) | O(APPTAG_MASK), 1},
    {"dir-send", "directive send: --doper on --dtype (enable: --endir, --tgtdir), --dspec",
     cmd_dir_send, DEV | O(DSPEC) | O(DTYPE) | O(DOPER) | O(ENDIR) | O(TGTDIR), 1},
    {"dir-receive", "directive receive: --doper on --dtype (--nsr streams), printed in hex",
     cmd_dir_receive, DEV | O(DTYPE) | O(DOPER) | O(NSR), 1},
    {"compare", "compare blocks with --data-input: exit 0 equal, 1 different", cmd_compare, XFER,
     1},
    {"dsm", "deallocate --ranges SLBA:NLB,... (or --slba/--nlb)", cmd_dsm,
     RANGE | CLI_OPT(CLI_OPT_RANGES), 1},
    {"copy", "copy --ranges (or --slba/--nlb) to --sdlba (simple copy)", cmd_copy,
     RANGE | CLI_OPT(CLI_OPT_RANGES) | CLI_OPT(CLI_OPT_SDLBA), 1},
    {"flush", "commit the volatile write cache", cmd_flush, DEV, 1},
    {"verify", "verify that --nlb+1 blocks from --slba can be read", cmd_verify, RANGE, 1},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "lblk",
	    .descr = "The NVM command set on logical blocks: read, write, write zeroes, write "
		     "uncorrectable,\ncompare, deallocate, copy, flush, verify.",
	    .cmds = g_cmds,
	    .ncmds = sizeof(g_cmds) / sizeof(g_cmds[0]),
	};

	return cli_main(&tool, argc, argv);
}
