/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "xnvme_dev.h"

int
xnvme_lba_range_from_slba_naddrs(const struct xnvme_dev *dev, uint64_t slba, uint64_t naddrs,
				 struct xnvme_lba_range *range)
{
	uint64_t nlbas;

	if (!dev || !range) {
		return -EINVAL;
	}
	memset(range, 0, sizeof(*range));
	nlbas = dev->geo.tbytes >> dev->geo.ssw;
	if (!naddrs || naddrs > UINT32_MAX || slba >= nlbas || naddrs > nlbas - slba) {
		return -EINVAL;
	}
	range->slba = slba;
	range->elba = slba + naddrs - 1;
	range->naddrs = (uint32_t)naddrs;
	range->nbytes = naddrs * dev->geo.lba_nbytes;
	range->attr.is_zoned = dev->geo.type == XNVME_GEO_ZONED;
	range->attr.is_valid = 1;
	return 0;
}

int
xnvme_lba_range_from_offset_nbytes(const struct xnvme_dev *dev, uint64_t offset, uint64_t nbytes,
				   struct xnvme_lba_range *range)
{
	if (!dev || !range) {
		return -EINVAL;
	}
	if ((offset | nbytes) & ((1ULL << dev->geo.ssw) - 1)) {
		memset(range, 0, sizeof(*range));
		return -EINVAL;
	}
	return xnvme_lba_range_from_slba_naddrs(dev, offset >> dev->geo.ssw, nbytes >> dev->geo.ssw,
						range);
}

int
xnvme_lba_range_fpr(FILE *stream, const struct xnvme_lba_range *range, int opts)
{
	(void)opts;
	if (!range) {
		return fprintf(stream, "xnvme_lba_range: ~\n");
	}
	return fprintf(stream,
		       "xnvme_lba_range:\n  slba: 0x%016" PRIx64 "\n  elba: 0x%016" PRIx64
		       "\n  naddrs: %" PRIu32 "\n  nbytes: %" PRIu64
		       "\n  attr: {is_zoned: %u, is_valid: %u}\n",
		       range->slba, range->elba, range->naddrs, range->nbytes,
		       (unsigned)range->attr.is_zoned, (unsigned)range->attr.is_valid);
}

int
xnvme_lba_range_pr(const struct xnvme_lba_range *range, int opts)
{
	return xnvme_lba_range_fpr(stdout, range, opts);
}
