/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The zoned namespace state machine, per ZNS 1.1 section 2.1: a full zone life cycle checked
 * against the zone report (empty -> implicitly open by a write -> full by appends -> empty by
 * reset; explicit open, close, finish), writes that miss the write pointer fail with Zone Invalid
 * Write, the open and active resource limits, and invalid transitions.
 *
 * usage: test_zns DEV [IFACE]   IFACE: the sync interface (default) or an async one for the
 *        writes and appends. All zones of DEV are reset.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "check.h"

static struct xnvme_queue *g_queue;

struct zns_cpl {
	struct xnvme_spec_cpl cpl;
	int ndone;
};

static void
zns_cb(struct xnvme_cmd_ctx *ctx, void *cb_arg)
{
	struct zns_cpl *res = cb_arg;

	res->cpl = ctx->cpl;
	res->ndone++;
	xnvme_queue_put_cmd_ctx(ctx->async.queue, ctx);
}

/* Writes or appends nlb + 1 blocks at slba; returns 0 or -EIO with *cpl holding the completion */
static int
zns_io(struct xnvme_dev *dev, int append, uint64_t slba, uint16_t nlb, void *buf,
       struct xnvme_spec_cpl *cpl)
{
	uint32_t nsid = xnvme_dev_get_nsid(dev);
	struct xnvme_cmd_ctx sctx = xnvme_cmd_ctx_from_dev(dev), *ctx = &sctx;
	struct zns_cpl res = {0};
	int err;

	if (g_queue) {
		ctx = xnvme_queue_get_cmd_ctx(g_queue);
		xnvme_cmd_ctx_set_cb(ctx, zns_cb, &res);
	}
	err = append ? xnvme_znd_append(ctx, nsid, slba, nlb, buf, NULL)
		     : xnvme_nvm_write(ctx, nsid, slba, nlb, buf, NULL);
	if (g_queue) {
		if (err) {
			*cpl = ctx->cpl;
			xnvme_queue_put_cmd_ctx(g_queue, ctx);
			return err;
		}
		if (xnvme_queue_drain(g_queue) < 0 || res.ndone != 1) {
			return -ETIMEDOUT;
		}
		*cpl = res.cpl;
		return (res.cpl.status.sc || res.cpl.status.sct) ? -EIO : 0;
	}
	*cpl = ctx->cpl;
	return err;
}

static int
zns_mgmt(struct xnvme_dev *dev, uint64_t zslba, int all, int action, struct xnvme_spec_cpl *cpl)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	int err;

	err = xnvme_znd_mgmt_send(&ctx, xnvme_dev_get_nsid(dev), zslba, all, action, 0, NULL);
	if (cpl) {
		*cpl = ctx.cpl;
	}
	return err;
}

static struct xnvme_spec_znd_descr
zns_zone(struct xnvme_dev *dev, uint64_t zslba)
{
	struct xnvme_spec_znd_descr zone = {0};

	if (xnvme_znd_descr_from_dev(dev, zslba, &zone)) {
		printf("FAIL: report of zone 0x%llx: %s\n", (unsigned long long)zslba,
		       strerror(errno));
		g_nfail++;
	}
	return zone;
}

static int
is_status(const struct xnvme_spec_cpl *cpl, int sct, int sc)
{
	return cpl->status.sct == sct && cpl->status.sc == sc;
}

int
main(int argc, char **argv)
{
	struct xnvme_opts opts = xnvme_opts_default();
	const struct xnvme_spec_znd_idfy_ns *zns;
	const struct xnvme_geo *geo;
	struct xnvme_spec_znd_descr zone;
	struct xnvme_znd_report *report;
	struct xnvme_spec_cpl cpl;
	struct xnvme_dev *dev;
	uint32_t mor, mar, chunk;
	uint64_t zsze, zcap, wp;
	uint8_t *buf;
	int err;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DEV [ASYNC_IFACE]\n", argv[0]);
		return 2;
	}
	opts.nsid = check_target_nsid();
	if (argc > 2) {
		opts.async = argv[2];
	}
	dev = xnvme_dev_open(argv[1], &opts);
	if (!dev) {
		fprintf(stderr, "FAIL: open %s: %s (%s)\n", argv[1], strerror(errno),
			xnvme_dev_open_err_msg());
		return 1;
	}
	if (argc > 2 && xnvme_queue_init(dev, 4, 0, &g_queue)) {
		fprintf(stderr, "FAIL: queue with %s\n", argv[2]);
		return 1;
	}
	geo = xnvme_dev_get_geo(dev);
	zns = xnvme_znd_dev_get_ns(dev);
	CHECK(geo->type == XNVME_GEO_ZONED && zns, "%s is zoned: %u zones of %llu blocks", argv[1],
	      geo->nzone, (unsigned long long)geo->nsect);
	if (geo->type != XNVME_GEO_ZONED || !zns) {
		return 1;
	}
	zsze = geo->nsect;
	mor = zns->mor + 1; /* zero-based in identify; 0xFFFFFFFF (no limit) wraps to 0 */
	mar = zns->mar + 1;
	/* Appends of up to 64 KiB: under MDTS and any append limit of the controllers we meet */
	chunk = (uint32_t)XNVME_MIN_U64(64 * 1024 / geo->lba_nbytes,
					geo->mdts_nbytes / geo->lba_nbytes);
	buf = xnvme_buf_alloc(dev, (size_t)chunk * geo->lba_nbytes);
	xnvme_buf_fill(buf, (size_t)chunk * geo->lba_nbytes, "anum");

	err = zns_mgmt(dev, 0, 1, XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET, &cpl);
	CHECK(!err, "reset all zones (%d)", err);
	report = xnvme_znd_report_from_dev(dev, 0, 0, 0);
	CHECK(report && report->nentries == geo->nzone, "report of all %u zones", geo->nzone);
	for (uint32_t i = 0; report && i < report->nentries; ++i) {
		struct xnvme_spec_znd_descr *d = XNVME_ZND_REPORT_DESCR(report, i);

		if (d->zs != XNVME_SPEC_ZND_STATE_EMPTY || d->wp != d->zslba ||
		    d->zslba != i * zsze) {
			CHECK(0, "zone %u: empty, wp at its start", i);
			break;
		}
	}
	{
		uint64_t nall = 0, nempty = 0, nfull = 1, zlba = 1, zlba2 = 2;

		err = xnvme_znd_stat(dev, XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_ALL, &nall);
		err |= xnvme_znd_stat(dev, XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_EMPTY, &nempty);
		err |= xnvme_znd_stat(dev, XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_FULL, &nfull);
		CHECK(!err && nall == geo->nzone && nempty == geo->nzone && !nfull,
		      "stat: %llu zones, %llu empty, %llu full", (unsigned long long)nall,
		      (unsigned long long)nempty, (unsigned long long)nfull);
		err = report ? xnvme_znd_report_find_arbitrary(report, XNVME_SPEC_ZND_STATE_EMPTY,
							       &zlba, 7)
			     : -1;
		err |= report ? xnvme_znd_report_find_arbitrary(report, XNVME_SPEC_ZND_STATE_EMPTY,
								&zlba2, 7)
			      : -1;
		CHECK(!err && zlba % zsze == 0 && zlba < geo->nzone * zsze && zlba == zlba2,
		      "an arbitrary empty zone, the same for the same seed");
		err = report ? xnvme_znd_report_find_arbitrary(report, XNVME_SPEC_ZND_STATE_FULL,
							       &zlba, 7)
			     : -1;
		CHECK(err == -ENXIO, "no full zone to pick: -ENXIO");
	}
	xnvme_buf_virt_free(report);

	/* The extended report carries the descriptor extensions where the namespace has them */
	if (xnvme_znd_dev_get_lbafe(dev)->zdes) {
		struct xnvme_znd_report *ext = xnvme_znd_report_from_dev(dev, zsze, 3, 1);

		CHECK(ext && ext->extended && ext->nentries == 3 &&
			  ext->zdext_nbytes == xnvme_znd_dev_get_lbafe(dev)->zdes * 64u &&
			  XNVME_ZND_REPORT_DESCR(ext, 0)->zslba == zsze &&
			  XNVME_ZND_REPORT_DESCR(ext, 2)->zslba == 3 * zsze &&
			  XNVME_ZND_REPORT_DEXT(ext, 1) != NULL,
		      "extended report of zones 1..3 with %u-byte extensions",
		      ext ? ext->zdext_nbytes : 0);
		xnvme_buf_virt_free(ext);
	} else {
		printf("NOTE: no zone descriptor extensions (zdes 0): extended report not tried\n");
	}

	/* Life cycle of zone 0 */
	zone = zns_zone(dev, 0);
	zcap = zone.zcap;
	CHECK(zone.zs == XNVME_SPEC_ZND_STATE_EMPTY && zone.wp == 0 && zcap && zcap <= zsze,
	      "zone 0 empty, zcap %llu", (unsigned long long)zcap);
	err = zns_io(dev, 0, 0, 0, buf, &cpl);
	zone = zns_zone(dev, 0);
	CHECK(!err && zone.zs == XNVME_SPEC_ZND_STATE_IOPEN && zone.wp == 1,
	      "a write at the write pointer opens the zone implicitly, wp 1 (%d)", err);
	err = zns_io(dev, 0, 5, 0, buf, &cpl);
	CHECK(err == -EIO && is_status(&cpl, 1, XNVME_SPEC_ZND_SC_INVALID_WRITE),
	      "a write past the write pointer: Zone Invalid Write (%d, sct %u sc 0x%x)", err,
	      cpl.status.sct, cpl.status.sc);
	err = zns_io(dev, 0, 0, 0, buf, &cpl);
	CHECK(err == -EIO && is_status(&cpl, 1, XNVME_SPEC_ZND_SC_INVALID_WRITE),
	      "a write behind the write pointer: Zone Invalid Write");
	wp = 1;
	err = 0;
	while (!err && wp < zcap) {
		uint16_t nlb = (uint16_t)(XNVME_MIN_U64((uint64_t)chunk, zcap - wp) - 1);

		err = zns_io(dev, 1, 0, nlb, buf, &cpl);
		if (!err && cpl.result != wp) {
			CHECK(0, "append returned LBA 0x%llx, expected 0x%llx",
			      (unsigned long long)cpl.result, (unsigned long long)wp);
			err = -EIO;
		}
		wp += (uint64_t)nlb + 1;
	}
	zone = zns_zone(dev, 0);
	/* The write pointer of a full zone is not valid (ZNS 1.1, Figure 37): only the state counts
	 */
	CHECK(!err && zone.zs == XNVME_SPEC_ZND_STATE_FULL,
	      "appends fill the zone, each returning the LBA written; the zone is full (%d, zs %s)",
	      err, xnvme_spec_znd_state_str(zone.zs));
	err = zns_io(dev, 1, 0, 0, buf, &cpl);
	CHECK(err == -EIO && is_status(&cpl, 1, XNVME_SPEC_ZND_SC_IS_FULL),
	      "an append to a full zone: Zone Is Full (sc 0x%x)", cpl.status.sc);
	err = zns_mgmt(dev, 0, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET, &cpl);
	zone = zns_zone(dev, 0);
	CHECK(!err && zone.zs == XNVME_SPEC_ZND_STATE_EMPTY && zone.wp == 0,
	      "reset: empty again, wp at the start");

	/* Explicit transitions on zone 1 */
	err = zns_mgmt(dev, zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN, &cpl);
	CHECK(!err && zns_zone(dev, zsze).zs == XNVME_SPEC_ZND_STATE_EOPEN, "open: EOPEN");
	zns_io(dev, 0, zsze, 3, buf, &cpl);
	err = zns_mgmt(dev, zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE, &cpl);
	zone = zns_zone(dev, zsze);
	CHECK(!err && zone.zs == XNVME_SPEC_ZND_STATE_CLOSED && zone.wp == zsze + 4,
	      "close after 4 blocks: CLOSED, wp kept");
	err = zns_mgmt(dev, zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_FINISH, &cpl);
	CHECK(!err && zns_zone(dev, zsze).zs == XNVME_SPEC_ZND_STATE_FULL, "finish: FULL");
	err = zns_mgmt(dev, 2 * zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_OFFLINE, &cpl);
	CHECK(err == -EIO && is_status(&cpl, 1, XNVME_SPEC_ZND_SC_INVALID_TRANS),
	      "offline an empty zone: Invalid Zone State Transition (sc 0x%x)", cpl.status.sc);
	err = zns_mgmt(dev, 2 * zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE, &cpl);
	CHECK(err == -EIO && is_status(&cpl, 1, XNVME_SPEC_ZND_SC_INVALID_TRANS),
	      "close an empty zone: Invalid Zone State Transition");

	/* Counting and picking zones by state: the zone at zsze is the only full one */
	{
		struct xnvme_znd_report *all = xnvme_znd_report_from_dev(dev, 0, 0, 0);
		uint64_t nfull = 0, nzones = 0, zlba = 0;

		err = xnvme_znd_stat(dev, XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_FULL, &nfull);
		err = err ? err : xnvme_znd_stat(dev, XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_ALL, &nzones);
		CHECK(!err && nfull == 1 && nzones == geo->nzone,
		      "zone stat: %llu full, %llu in all", (unsigned long long)nfull,
		      (unsigned long long)nzones);
		CHECK(all &&
			  !xnvme_znd_report_find_arbitrary(all, XNVME_SPEC_ZND_STATE_FULL, &zlba,
							   7) &&
			  zlba == zsze &&
			  xnvme_znd_report_find_arbitrary(all, XNVME_SPEC_ZND_STATE_RONLY, &zlba,
							  0) == -ENXIO,
		      "find a zone: the full one at 0x%llx; none read-only",
		      (unsigned long long)zlba);
		xnvme_buf_virt_free(all);
	}
	zns_mgmt(dev, 0, 1, XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET, NULL);

	/* The open resource limit: mor zones open, one more is refused */
	if (mor && mor < geo->nzone) {
		uint32_t i;

		for (i = 0; i < mor; ++i) {
			if (zns_mgmt(dev, i * zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN, &cpl)) {
				break;
			}
		}
		CHECK(i == mor, "%u zones opened explicitly", mor);
		err = zns_mgmt(dev, mor * zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_OPEN, &cpl);
		CHECK(err == -EIO && is_status(&cpl, 1, XNVME_SPEC_ZND_SC_TOO_MANY_OPEN),
		      "one more open: Too Many Open Zones (sc 0x%x)", cpl.status.sc);
		err = zns_io(dev, 0, mor * zsze, 0, buf, &cpl);
		CHECK(err == -EIO && is_status(&cpl, 1, XNVME_SPEC_ZND_SC_TOO_MANY_OPEN),
		      "a write that would open one more: Too Many Open Zones");
		/* Closed zones stay active: fill the active limit, then one more is refused */
		for (i = 0; i < mor; ++i) {
			zns_io(dev, 0, i * zsze, 0, buf, &cpl);
			zns_mgmt(dev, i * zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE, &cpl);
		}
		if (mar && mar < geo->nzone && mar >= mor) {
			for (i = mor; i < mar; ++i) {
				zns_io(dev, 0, i * zsze, 0, buf, &cpl);
				zns_mgmt(dev, i * zsze, 0, XNVME_SPEC_ZND_CMD_MGMT_SEND_CLOSE,
					 &cpl);
			}
			err = zns_io(dev, 0, mar * zsze, 0, buf, &cpl);
			CHECK(
			    err == -EIO && is_status(&cpl, 1, XNVME_SPEC_ZND_SC_TOO_MANY_ACTIVE),
			    "%u active zones, a write to another: Too Many Active Zones (sc 0x%x)",
			    mar, cpl.status.sc);
		}
	}
	err = zns_mgmt(dev, 0, 1, XNVME_SPEC_ZND_CMD_MGMT_SEND_RESET, &cpl);
	CHECK(!err && xnvme_znd_descr_from_dev_in_state(dev, XNVME_SPEC_ZND_STATE_CLOSED, &zone) ==
			  -ENXIO,
	      "reset all: no closed zone left");

	xnvme_buf_free(dev, buf);
	xnvme_queue_term(g_queue);
	xnvme_dev_close(dev);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
