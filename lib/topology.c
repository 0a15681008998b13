/* SPDX-License-Identifier: BSD-3-Clause */
/* The controller behind a device (libxnvme_topology.h): each call goes to the backend's dev ops. */
#include <errno.h>
#include "xnvme_dev.h"

/*
 * sizeof(struct xnvme_spec_ctrlr_bar) in xNVMe 0.7.5: the NVMe controller registers up to the
 * doorbells (NVMe 2.0, 3.1.4). The struct is declared in libxnvme_spec.h; only its size is used.
 */
#define TOPOLOGY_CTRLR_BAR_NBYTES 4096

static int
topology_ctrlr_op(struct xnvme_dev *dev, enum xnvme_be_ctrlr_op op)
{
	if (!dev) {
		return -EINVAL;
	}
	return dev->be->dev->ctrlr_op ? dev->be->dev->ctrlr_op(dev, op) : -ENOSYS;
}

int
xnvme_subsystem_reset(struct xnvme_dev *dev)
{
	return topology_ctrlr_op(dev, XNVME_BE_CTRLR_SUBSYSTEM_RESET);
}

int
xnvme_controller_reset(struct xnvme_dev *dev)
{
	return topology_ctrlr_op(dev, XNVME_BE_CTRLR_RESET);
}

int
xnvme_namespace_rescan(struct xnvme_dev *dev)
{
	return topology_ctrlr_op(dev, XNVME_BE_CTRLR_NS_RESCAN);
}

int
xnvme_controller_get_registers(struct xnvme_dev *dev, struct xnvme_spec_ctrlr_bar *bar)
{
	if (!dev || !bar) {
		return -EINVAL;
	}
	if (!dev->be->dev->ctrlr_regs) {
		return -ENOSYS;
	}
	return dev->be->dev->ctrlr_regs(dev, bar, TOPOLOGY_CTRLR_BAR_NBYTES);
}
