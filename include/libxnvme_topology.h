/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * The controller behind a device: resets, namespace rescan and its registers. These reach the
 * controller node of an NVMe device, whichever of its nodes was opened (namespace block device,
 * namespace char device or the controller itself); on the Linux NVMe driver they need
 * CAP_SYS_ADMIN. Devices without a controller to ask (files, other block devices, the ramdisk)
 * answer -ENOSYS, as xNVMe does. See docs/backends.md, "Memory mapping and topology".
 */
#ifndef __LIBXNVME_TOPOLOGY_H
#define __LIBXNVME_TOPOLOGY_H

#ifdef __cplusplus
extern "C" {
#endif

struct xnvme_dev;
struct xnvme_spec_ctrlr_bar;

/** An NVM subsystem: a device handle on it and its controllers */
struct xnvme_subsystem {
	struct xnvme_dev *dev;

	struct xnvme_dev *controllers;
};

/** A controller: a device handle on it and its namespaces */
struct xnvme_controller {
	struct xnvme_dev *dev;
	struct xnvme_dev *namespaces;
};

/** A namespace: a device handle on it */
struct xnvme_namespace {
	struct xnvme_dev *dev;
};

/**
 * Resets the NVM subsystem of @p dev's controller (NVMe NSSR; Linux: NVME_IOCTL_SUBSYS_RESET).
 *
 * @return 0, -EINVAL for a NULL @p dev, -ENOSYS when @p dev has no NVMe controller to reset, or
 *         the system's error (-EACCES/-EPERM without the privilege, -ENOTTY if the controller
 *         does not support it).
 */
int xnvme_subsystem_reset(struct xnvme_dev *dev);

/** Resets @p dev's controller (Linux: NVME_IOCTL_RESET); errors as xnvme_subsystem_reset() */
int xnvme_controller_reset(struct xnvme_dev *dev);

/** Has the host rescan the namespaces of @p dev's controller (Linux: NVME_IOCTL_RESCAN) */
int xnvme_namespace_rescan(struct xnvme_dev *dev);

/**
 * Reads the registers of @p dev's PCIe controller (its BAR0, the 4 KiB of struct
 * xnvme_spec_ctrlr_bar in libxnvme_spec.h) into @p bar, 32 bits at a time. Linux: through the
 * PCI device's sysfs resource0, which takes CAP_SYS_ADMIN.
 *
 * @return 0, -EINVAL for a NULL argument, -ENOSYS when @p dev has no NVMe controller,
 *         -ENOTSUP when the controller has no PCI registers (NVMe over fabrics), or the
 *         system's error.
 */
int xnvme_controller_get_registers(struct xnvme_dev *dev, struct xnvme_spec_ctrlr_bar *bar);

#ifdef __cplusplus
}
#endif

#endif
