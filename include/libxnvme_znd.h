/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Zoned namespace helpers: zone management, append, zone reports and the changed-zones log.
 */
#ifndef __LIBXNVME_ZND_H
#define __LIBXNVME_ZND_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <libxnvme_spec.h>
#include <libxnvme_cmd.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;

/** The zoned LBA format extension in use on @p dev; NULL with errno when not zoned */
const struct xnvme_spec_znd_idfy_lbafe *xnvme_znd_dev_get_lbafe(struct xnvme_dev *dev);

const struct xnvme_spec_znd_idfy_ctrlr *xnvme_znd_dev_get_ctrlr(struct xnvme_dev *dev);

const struct xnvme_spec_znd_idfy_ns *xnvme_znd_dev_get_ns(struct xnvme_dev *dev);

/** Zone management send: @p action on the zone at @p zslba, or on all zones with @p select_all */
int xnvme_znd_mgmt_send(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t zslba, bool select_all,
			enum xnvme_spec_znd_cmd_mgmt_send_action action,
			enum xnvme_spec_znd_mgmt_send_action_so action_so, void *dbuf);

/** Zone management receive into @p dbuf of @p dbuf_nbytes (a multiple of 4) */
int xnvme_znd_mgmt_recv(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t slba,
			enum xnvme_spec_znd_cmd_mgmt_recv_action action,
			enum xnvme_spec_znd_cmd_mgmt_recv_action_sf sf, uint8_t partial, void *dbuf,
			uint32_t dbuf_nbytes);

/**
 * Zone random write area flush: commits the zone's random write area up to and including @p lba
 * (zone send action FLUSH, ZNS 1.1 with TP4076)
 */
int xnvme_znd_zrwa_flush(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t lba);

/**
 * Counts the zones of @p dev in the state @p sfield selects (XNVME_SPEC_ZND_CMD_MGMT_RECV_SF_ALL:
 * every zone) into @p nzones, from the header of a zone report. 0 or a negative errno.
 */
int xnvme_znd_stat(struct xnvme_dev *dev, enum xnvme_spec_znd_cmd_mgmt_recv_action_sf sfield,
		   uint64_t *nzones);

/** Zone append; on success ctx->cpl.result holds the first LBA written */
int xnvme_znd_append(struct xnvme_cmd_ctx *ctx, uint32_t nsid, uint64_t zslba, uint16_t nlb,
		     const void *dbuf, const void *mbuf);

/** A zone report, as returned by xnvme_znd_report_from_dev() */
struct xnvme_znd_report {
	uint64_t nzones;       ///< Zones on the device
	uint32_t zd_nbytes;    ///< Bytes of a zone descriptor
	uint32_t zdext_nbytes; ///< Bytes of a zone descriptor extension (0 unless extended)
	uint64_t zslba;        ///< Start LBA of the first zone in the report
	uint64_t zelba;        ///< Start LBA of the last zone in the report
	uint32_t nentries;     ///< Number of entries
	uint8_t extended;      ///< 1 when entries carry descriptor extensions
	uint8_t _pad[3];
	uint64_t zrent_nbytes;   ///< Bytes of one entry: descriptor plus extension
	uint64_t report_nbytes;  ///< Bytes of the whole report, this header included
	uint64_t entries_nbytes; ///< Bytes of the entries
	uint8_t storage[];       ///< The entries
};
XNVME_STATIC_ASSERT(sizeof(struct xnvme_znd_report) == 64, "Incorrect size")

#define XNVME_ZND_REPORT_DESCR(rprt, nth)                                                          \
	((struct xnvme_spec_znd_descr *)&(rprt)->storage[(nth) * (rprt)->zrent_nbytes])

#define XNVME_ZND_REPORT_DEXT(rprt, nth)                                                           \
	((rprt)->extended ? &(rprt)->storage[(nth) * (rprt)->zrent_nbytes + (rprt)->zd_nbytes]     \
			  : NULL)

/**
 * Reports @p limit zones (0: all to the end) from the zone holding @p slba. Free the result with
 * xnvme_buf_virt_free(). NULL with errno on error (EINVAL: not zoned, or out of range).
 */
struct xnvme_znd_report *xnvme_znd_report_from_dev(struct xnvme_dev *dev, uint64_t slba,
						   size_t limit, uint8_t extended);

int xnvme_znd_report_fpr(FILE *stream, const struct xnvme_znd_report *report, int flags);

/**
 * Stores in @p zlba the start LBA of a zone of @p report in @p state, picked at random among those
 * in it (seeded with @p opts, or the time when 0), so tests spread over the device. 0, or -ENXIO
 * when no zone of the report is in @p state (-EINVAL on NULL arguments).
 */
int xnvme_znd_report_find_arbitrary(const struct xnvme_znd_report *report,
				    enum xnvme_spec_znd_state state, uint64_t *zlba, int opts);

int xnvme_znd_report_pr(const struct xnvme_znd_report *report, int flags);

/** Fills @p zone with the descriptor of the zone holding @p slba */
int xnvme_znd_descr_from_dev(struct xnvme_dev *dev, uint64_t slba,
			     struct xnvme_spec_znd_descr *zone);

/** Fills @p zone with the first zone in @p state; -ENXIO when none is */
int xnvme_znd_descr_from_dev_in_state(struct xnvme_dev *dev, enum xnvme_spec_znd_state state,
				      struct xnvme_spec_znd_descr *zone);

/** Reads the changed zone list log; free with xnvme_buf_virt_free(). NULL with errno on error */
struct xnvme_spec_znd_log_changes *xnvme_znd_log_changes_from_dev(struct xnvme_dev *dev);

#ifdef __cplusplus
}
#endif

#endif
