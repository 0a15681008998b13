/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <string.h>
#include "xnvme_dev.h"
#include "spec/spec_pp.h"

struct xnvme_lba_range
xnvme_lba_range_from_slba_naddrs(struct xnvme_dev *dev, uint64_t slba, uint64_t naddrs)
{
	struct xnvme_lba_range range;
	uint64_t nlbas;

	memset(&range, 0, sizeof(range));
	if (!dev) {
		return range;
	}
	nlbas = dev->geo.tbytes >> dev->geo.ssw;
	if (!naddrs || naddrs > UINT32_MAX || slba >= nlbas || naddrs > nlbas - slba) {
		return range;
	}
	range.slba = slba;
	range.elba = slba + naddrs - 1;
	range.naddrs = (uint32_t)naddrs;
	range.nbytes = naddrs * dev->geo.lba_nbytes;
	range.attr.is_zoned = false;
	range.attr.is_valid = true;
	return range;
}

struct xnvme_lba_range
xnvme_lba_range_from_slba_elba(struct xnvme_dev *dev, uint64_t slba, uint64_t elba)
{
	struct xnvme_lba_range range;

	if (elba < slba || elba - slba == UINT64_MAX) {
		memset(&range, 0, sizeof(range));
		return range;
	}
	return xnvme_lba_range_from_slba_naddrs(dev, slba, elba - slba + 1);
}

struct xnvme_lba_range
xnvme_lba_range_from_offset_nbytes(struct xnvme_dev *dev, uint64_t offset, uint64_t nbytes)
{
	struct xnvme_lba_range range;

	if (!dev || (offset | nbytes) & ((1ULL << dev->geo.ssw) - 1)) {
		memset(&range, 0, sizeof(range));
		return range;
	}
	return xnvme_lba_range_from_slba_naddrs(dev, offset >> dev->geo.ssw,
						nbytes >> dev->geo.ssw);
}

struct xnvme_lba_range
xnvme_lba_range_from_zdescr(struct xnvme_dev *dev, struct xnvme_spec_znd_descr *zdescr)
{
	struct xnvme_lba_range range;

	if (!zdescr) {
		memset(&range, 0, sizeof(range));
		return range;
	}
	range = xnvme_lba_range_from_slba_naddrs(dev, zdescr->zslba, zdescr->zcap);
	range.attr.is_zoned = range.attr.is_valid;
	return range;
}

static int
pp_lba_range(FILE *stream, struct xnvme_lba_range *range, int opts)
{
	(void)opts;
	return fprintf(stream,
		       "xnvme_lba_range:\n  slba: 0x%016" PRIx64 "\n  elba: 0x%016" PRIx64
		       "\n  naddrs: %" PRIu32 "\n  nbytes: %" PRIu64
		       "\n  attr: { is_zoned: %u, is_valid: %u}\n",
		       range->slba, range->elba, range->naddrs, range->nbytes,
		       (unsigned)range->attr.is_zoned, (unsigned)range->attr.is_valid);
}

SPEC_PP_PRINTERS(lba_range, struct xnvme_lba_range *, "xnvme_lba_range")
