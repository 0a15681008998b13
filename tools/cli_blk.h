/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Block commands shared by lblk and zoned: the LBA range of --slba/--nlb checked against the
 * namespace and MDTS, and read / write / compare / zone append with data and metadata files.
 */
#ifndef __XNVME_CLI_BLK_H
#define __XNVME_CLI_BLK_H

#include "cli.h"

/* What a block command works on: the device, its geometry and the LBA range of --slba/--nlb */
struct cli_blk {
	struct xnvme_dev *dev;
	const struct xnvme_geo *geo;
	uint32_t nsid;
	uint64_t slba;
	uint64_t nblocks; ///< One-based
	size_t dbytes;    ///< Data buffer: nblocks * lba_nbytes (with metadata when extended)
	size_t mbytes;    ///< Metadata buffer when metadata is separate, else 0
	/* Command dwords beyond the range (0 when none): directive type and protection
	 * information in CDW12, directive specific in CDW13, reference / application tags */
	uint32_t cdw12;
	uint32_t cdw13;
	uint32_t cdw14;
	uint32_t cdw15;
};

/* Checks that [slba, slba + nblocks) lies in the namespace; the error line when not */
int cli_blk_range_check(const struct xnvme_geo *geo, uint64_t slba, uint64_t nblocks);

/*
 * Opens the device and checks --slba/--nlb; with @p xfer, also the transfer size against MDTS.
 * Returns 0, or a negative errno after the error line (the device closed).
 */
int cli_blk_open(struct cli_args *args, struct cli_blk *blk, int xfer);

/* Prints "<tool>_<cmd>:" with nsid, slba and nlb */
void cli_blk_pr(const char *tool, const char *cmd, const struct cli_blk *blk);

/* Sends read, write, compare or zone append (@p opc) of @p blk's range; 0 or a negative errno */
int cli_blk_pass(struct xnvme_cmd_ctx *ctx, const struct cli_blk *blk, uint8_t opc, void *dbuf,
		 void *mbuf);

/*
 * read, write, compare or zone append (@p opc) of --slba/--nlb with --data-input/-output and
 * --meta-input/-output. Write and append without --data-input send a pattern anyone can
 * recompute: each byte is the low 8 bits of its byte address on the namespace. Returns the exit
 * code.
 */
int cli_blk_xfer(struct cli_args *args, const char *tool, const char *cmd, uint8_t opc);

#endif
