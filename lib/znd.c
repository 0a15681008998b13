/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "xnvme_dev.h"
#include "spec/spec_pp.h"

const struct xnvme_spec_znd_idfy_lbafe *
xnvme_znd_dev_get_lbafe(struct xnvme_dev *dev)
{
	const struct xnvme_spec_znd_idfy_ns *zns = xnvme_znd_dev_get_ns(dev);
	uint8_t idx = xnvme_spec_idfy_ns_flbas_idx(&dev->id_ns);

	// The zoned namespace has an extension for LBA formats 0 to 15 only (ZNS 1.1 Figure 49)
	if (!zns) {
		return NULL;
	}
	if (idx >= XNVME_ARRAY_SIZE(zns->lbafe)) {
		errno = EINVAL;
		return NULL;
	}
	return &zns->lbafe[idx];
}

/* Zoned identify data kept at open (@p have): NULL with errno EINVAL on another device */
static const void *
znd_css(const struct xnvme_dev *dev, bool have, const void *data)
{
	if (dev->geo.type != XNVME_GEO_ZONED || !have) {
		errno = EINVAL;
		return NULL;
	}
	return data;
}

const struct xnvme_spec_znd_idfy_ctrlr *
xnvme_znd_dev_get_ctrlr(struct xnvme_dev *dev)
{
	return znd_css(dev, dev->has_ctrlr_css, &dev->ctrlr_css.znd_ctrlr);
}

const struct xnvme_spec_znd_idfy_ns *
xnvme_znd_dev_get_ns(struct xnvme_dev *dev)
{
	return znd_css(dev, dev->has_ns_css, &dev->ns_css.znd_ns);
}

int
xnvme_znd_mgmt_send(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t zslba, bool select_all,
		    enum xnvme_spec_znd_cmd_mgmt_send_action action,
		    enum xnvme_spec_znd_mgmt_send_action_so action_so, void *dbuf)
{
	ctx->cmd.common.opcode = XNVME_SPEC_ZND_OPC_MGMT_SEND;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.znd.mgmt_send.slba = zslba;
	ctx->cmd.znd.mgmt_send.zsa = action;
	ctx->cmd.znd.mgmt_send.select_all = select_all;
	ctx->cmd.znd.mgmt_send.zsaso = (uint32_t)action_so & 0x1;
	return xnvme_cmd_pass(ctx, dbuf, dbuf ? ctx->dev->geo.lba_nbytes : 0, NULL, 0);
}

int
xnvme_znd_mgmt_recv(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba,
		    enum xnvme_spec_znd_cmd_mgmt_recv_action action,
		    enum xnvme_spec_znd_cmd_mgmt_recv_action_sf sf, uint8_t partial, void *dbuf,
		    uint32_t dbuf_nbytes)
{
	if (!dbuf || !dbuf_nbytes || dbuf_nbytes % 4) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_ZND_OPC_MGMT_RECV;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.znd.mgmt_recv.slba = slba;
	ctx->cmd.znd.mgmt_recv.ndwords = dbuf_nbytes / 4 - 1;
	ctx->cmd.znd.mgmt_recv.zra = action;
	ctx->cmd.znd.mgmt_recv.zrasf = sf;
	ctx->cmd.znd.mgmt_recv.partial = partial & 0x1;
	return xnvme_cmd_pass(ctx, dbuf, dbuf_nbytes, NULL, 0);
}

int
xnvme_znd_zrwa_flush(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t lba)
{
	ctx->cmd.common.opcode = XNVME_SPEC_ZND_OPC_MGMT_SEND;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.znd.mgmt_send.slba = lba;
	ctx->cmd.znd.mgmt_send.zsa = XNVME_SPEC_ZND_CMD_MGMT_SEND_FLUSH;
	return xnvme_cmd_pass(ctx, NULL, 0, NULL, 0);
}

int
xnvme_znd_stat(struct xnvme_dev *dev, enum xnvme_spec_znd_cmd_mgmt_recv_action_sf sfield,
	       uint64_t *nzones)
{
	struct xnvme_cmd_ctx ctx;
	struct xnvme_spec_znd_report_hdr *hdr;
	int err;

	if (!dev || !nzones) {
		return -EINVAL;
	}
	// The header alone: without "partial" it counts every matching zone, not just those sent
	hdr = xnvme_buf_alloc(dev, sizeof(*hdr));
	if (!hdr) {
		return -errno;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_znd_mgmt_recv(&ctx, xnvme_dev_get_nsid(dev), 0,
				  XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT, sfield, 0, hdr,
				  sizeof(*hdr));
	if (!err) {
		*nzones = hdr->nzones;
	}
	xnvme_buf_free(dev, hdr);
	return err;
}

int
xnvme_znd_append(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t zslba, uint16_t nlb,
		 const void *dbuf, const void *mbuf)
{
	const struct xnvme_geo *geo = &ctx->dev->geo;
	size_t mbuf_nbytes = mbuf && !geo->lba_extended ? ((size_t)nlb + 1) * geo->nbytes_oob : 0;

	if (!dbuf) {
		return -EINVAL;
	}
	ctx->cmd.common.opcode = XNVME_SPEC_ZND_OPC_APPEND;
	ctx->cmd.common.nsid = nsid;
	ctx->cmd.znd.append.zslba = zslba;
	ctx->cmd.znd.append.nlb = nlb;
	return xnvme_cmd_pass(ctx, (void *)dbuf, ((size_t)nlb + 1) * geo->lba_nbytes, (void *)mbuf,
			      mbuf_nbytes);
}

struct xnvme_znd_report *
xnvme_znd_report_from_dev(struct xnvme_dev *dev, uint64_t slba, size_t limit, uint8_t extended)
{
	const struct xnvme_spec_znd_idfy_lbafe *lbafe = xnvme_znd_dev_get_lbafe(dev);
	const struct xnvme_geo *geo = &dev->geo;
	struct xnvme_znd_report *report;
	size_t zdext_nbytes, zrent_nbytes, chunk_max, done = 0;
	uint64_t zidx;
	uint8_t *buf;

	if (!lbafe || !geo->nsect || extended > 1) {
		errno = EINVAL;
		return NULL;
	}
	zidx = slba / geo->nsect;
	if (zidx >= geo->nzone || (limit && limit > geo->nzone - zidx)) {
		errno = EINVAL;
		return NULL;
	}
	if (!limit) {
		limit = geo->nzone - zidx;
	}
	zdext_nbytes = extended ? (size_t)lbafe->zdes * 64 : 0;
	zrent_nbytes = sizeof(struct xnvme_spec_znd_descr) + zdext_nbytes;

	report = xnvme_buf_virt_alloc(64, sizeof(*report) + limit * zrent_nbytes);
	if (!report) {
		return NULL;
	}
	memset(report, 0, sizeof(*report));
	report->nzones = geo->nzone;
	report->zd_nbytes = sizeof(struct xnvme_spec_znd_descr);
	report->zdext_nbytes = (uint32_t)zdext_nbytes;
	report->zslba = zidx * geo->nsect;
	report->zelba = (zidx + limit - 1) * geo->nsect;
	report->nentries = (uint32_t)limit;
	report->extended = extended;
	report->zrent_nbytes = zrent_nbytes;
	report->entries_nbytes = limit * zrent_nbytes;
	report->report_nbytes = sizeof(*report) + report->entries_nbytes;

	/* Receive in transfers the device takes: a header plus as many entries as fit MDTS. */
	chunk_max = (XNVME_MIN_U64(geo->mdts_nbytes, 1ULL << 20) - 64) / zrent_nbytes;
	buf = xnvme_buf_alloc(dev, 64 + chunk_max * zrent_nbytes);
	if (!buf) {
		xnvme_buf_virt_free(report);
		return NULL;
	}
	while (done < limit) {
		struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
		size_t n = XNVME_MIN_U64(chunk_max, limit - done);
		uint64_t nzones;
		int err;

		err = xnvme_znd_mgmt_recv(
		    &ctx, dev->ident.nsid, (zidx + done) * geo->nsect,
		    extended ? XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT_EXTENDED
			     : XNVME_SPEC_ZND_CMD_MGMT_RECV_ACTION_REPORT,
		    XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_ALL, 1, buf, (uint32_t)(64 + n * zrent_nbytes));
		if (err || xnvme_cmd_ctx_cpl_status(&ctx)) {
			xnvme_buf_free(dev, buf);
			xnvme_buf_virt_free(report);
			errno = err ? -err : EIO;
			return NULL;
		}
		memcpy(&nzones, buf, sizeof(nzones));
		if (!nzones || nzones > n) {
			nzones = n;
		}
		memcpy(report->storage + done * zrent_nbytes, buf + 64, nzones * zrent_nbytes);
		done += nzones;
	}
	xnvme_buf_free(dev, buf);
	return report;
}

static int
pp_znd_report(FILE *stream, const struct xnvme_znd_report *report, int flags)
{
	int wrtn = 0;

	(void)flags;
	wrtn += fprintf(stream,
			"xnvme_znd_report:\n  nzones: %" PRIu64 "\n  zd_nbytes: %" PRIu32
			"\n  zdext_nbytes: %" PRIu32 "\n  zslba: 0x%016" PRIx64
			"\n  zelba: 0x%016" PRIx64 "\n  nentries: %" PRIu32 "\n  extended: %" PRIu32
			"\n  zrent_nbytes: %" PRIu64 "\n  report_nbytes: %" PRIu64
			"\n  entries_nbytes: %" PRIu64 "\n",
			report->nzones, report->zd_nbytes, report->zdext_nbytes, report->zslba,
			report->zelba, report->nentries, report->extended, report->zrent_nbytes,
			report->report_nbytes, report->entries_nbytes);
	wrtn += fprintf(stream, "  entries:%s\n", report->nentries ? "" : " []");
	for (uint32_t i = 0; i < report->nentries; ++i) {
		const struct xnvme_spec_znd_descr *d = XNVME_ZND_REPORT_DESCR(report, i);

		const uint8_t *dext = XNVME_ZND_REPORT_DEXT(report, i);

		wrtn += fprintf(stream,
				"    - {zslba: 0x%016" PRIx64 ", wp: 0x%016" PRIx64
				", zcap: %" PRIu64 ", zt: %u, zs: %s, za: 0x%02x",
				d->zslba, d->wp, d->zcap, (unsigned)d->zt,
				spec_znd_state_name(d->zs), d->za.val);
		/* The extension as hex, so the bytes a host wrote there can be compared */
		if (dext) {
			wrtn += fprintf(stream, ", zdext: '");
			for (uint32_t b = 0; b < report->zdext_nbytes; ++b) {
				wrtn += fprintf(stream, "%02x", dext[b]);
			}
			wrtn += fprintf(stream, "'");
		}
		wrtn += fprintf(stream, "}\n");
	}
	return wrtn;
}

SPEC_PP_PRINTERS(znd_report, const struct xnvme_znd_report *, "xnvme_znd_report")

/* xorshift64: a local generator, so picking a zone leaves the process's rand() sequence alone */
static uint64_t
znd_rand_next(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

int
xnvme_znd_report_find_arbitrary(const struct xnvme_znd_report *report,
				enum xnvme_spec_znd_state state, uint64_t *zlba, int opts)
{
	uint64_t rng = opts ? (uint64_t)(unsigned)opts : (uint64_t)time(NULL);
	uint32_t nmatching = 0, pick;

	if (!report || !zlba) {
		return -EINVAL;
	}
	for (uint32_t i = 0; i < report->nentries; ++i) {
		nmatching += XNVME_ZND_REPORT_DESCR(report, i)->zs == state;
	}
	if (!nmatching) {
		return -ENXIO;
	}
	rng = rng * 0x9E3779B97F4A7C15ULL + 1;
	rng = rng ? rng : 1; // xorshift stays at zero
	pick = (uint32_t)(znd_rand_next(&rng) % nmatching);
	for (uint32_t i = 0; i < report->nentries; ++i) {
		const struct xnvme_spec_znd_descr *d = XNVME_ZND_REPORT_DESCR(report, i);

		if (d->zs == state && !pick--) {
			*zlba = d->zslba;
			break;
		}
	}
	return 0;
}

int
xnvme_znd_descr_from_dev(struct xnvme_dev *dev, uint64_t slba, struct xnvme_spec_znd_descr *zone)
{
	struct xnvme_znd_report *report;

	if (!zone) {
		return -EINVAL;
	}
	report = xnvme_znd_report_from_dev(dev, slba, 1, 0);
	if (!report) {
		return -errno;
	}
	memcpy(zone, XNVME_ZND_REPORT_DESCR(report, 0), sizeof(*zone));
	xnvme_buf_virt_free(report);
	return 0;
}

int
xnvme_znd_descr_from_dev_in_state(struct xnvme_dev *dev, enum xnvme_spec_znd_state state,
				  struct xnvme_spec_znd_descr *zone)
{
	struct xnvme_znd_report *report;
	int err = -ENXIO;

	if (!zone) {
		return -EINVAL;
	}
	report = xnvme_znd_report_from_dev(dev, 0, 0, 0);
	if (!report) {
		return -errno;
	}
	for (uint32_t i = 0; i < report->nentries; ++i) {
		const struct xnvme_spec_znd_descr *d = XNVME_ZND_REPORT_DESCR(report, i);

		if (d->zs == state) {
			memcpy(zone, d, sizeof(*zone));
			err = 0;
			break;
		}
	}
	xnvme_buf_virt_free(report);
	return err;
}

struct xnvme_spec_znd_log_changes *
xnvme_znd_log_changes_from_dev(struct xnvme_dev *dev)
{
	struct xnvme_cmd_ctx ctx = xnvme_cmd_ctx_from_dev(dev);
	struct xnvme_spec_znd_log_changes *log, *res;
	int err;

	log = xnvme_buf_alloc(dev, sizeof(*log));
	if (!log) {
		return NULL;
	}
	err = xnvme_adm_log(&ctx, XNVME_SPEC_LOG_ZND_CHANGES, 0, 0, dev->ident.nsid, 0, log,
			    sizeof(*log));
	if (err || xnvme_cmd_ctx_cpl_status(&ctx)) {
		xnvme_buf_free(dev, log);
		errno = err ? -err : EIO;
		return NULL;
	}
	res = xnvme_buf_virt_alloc(64, sizeof(*res));
	if (res) {
		memcpy(res, log, sizeof(*res));
	}
	xnvme_buf_free(dev, log);
	return res;
}
