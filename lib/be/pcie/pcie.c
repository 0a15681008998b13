/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend "pcie" (alias "spdk": xNVMe 0.7.5's user-space driver column, so be=spdk in users'
 * scripts and fio jobs reaches it): claiming "pcie-model:SPEC" and PCI addresses (vfio-pci,
 * Linux: "DDDD:BB:DD.F" or "BB:DD.F", the controller object's key the full form), devices
 * (namespaces) on a shared controller object, the memory interface (the face's DMA memory),
 * controller resets and the enumeration of NVMe functions bound to vfio-pci.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xnvme_config.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_be_common.h"
#include "xnvme_be_pcie.h"
#if XNVME_BE_PCIE_VFIO
#include "vfio.h"
#endif

#define PCIE_MODEL_SCHEME "pcie-model:"

static int
pcie_model_face(const char *spec, struct pcie_hw **hw)
{
#if XNVME_BE_PCIE_MODEL
	int err = pcie_model_open(spec, hw);

	if (err == -ENODEV) {
		err = -ENOTSUP; /* not "not mine": the identifier is ours */
	}
	return err;
#else
	(void)spec;
	(void)hw;
	xnvme_be_open_err_add(
	    "pcie", "pcie-model: the in-memory controller model is not built into this library",
	    -ENOTSUP);
	return -ENOTSUP;
#endif
}

int
pcie_face_open(const char *key, struct pcie_hw **hw)
{
	if (!strncmp(key, PCIE_MODEL_SCHEME, strlen(PCIE_MODEL_SCHEME))) {
		return pcie_model_face(key + strlen(PCIE_MODEL_SCHEME), hw);
	}
#if XNVME_BE_PCIE_VFIO
	return pcie_vfio_open(key, hw);
#else
	xnvme_be_open_err_add("pcie", "PCI addresses: vfio-pci is Linux's", -ENOTSUP);
	return -ENOTSUP;
#endif
}

/*
 * The controller object's key for @p uri: the identifier of a model, the normal form of a PCI
 * address. -ENODEV: not the driver's.
 */
static int
pcie_key(const char *uri, char *key, size_t key_len)
{
	char bdf[13];
	int err;

	if (!strncmp(uri, PCIE_MODEL_SCHEME, strlen(PCIE_MODEL_SCHEME))) {
		snprintf(key, key_len, "%s", uri);
		return 0;
	}
#if XNVME_BE_PCIE_VFIO
	err = vfio_bdf_parse(uri, bdf);
#else
	err = -ENODEV;
	(void)bdf;
#endif
	if (err) {
		return -ENODEV;
	}
	snprintf(key, key_len, "%s", bdf);
	return 0;
}

static struct pcie_ctrl *
dev_ctrl(const struct xnvme_dev *dev)
{
	return dev->ctrl->state;
}

static int
pcie_dev_open(struct xnvme_dev *dev, struct xnvme_be_defaults *defaults)
{
	struct pcie_dev_state *st;
	char key[XNVME_CTRL_KEY_LEN];
	int err;

	if (pcie_key(dev->ident.uri, key, sizeof(key))) {
		return -ENODEV;
	}
	/* One controller per key, brought up by its first device */
	err = xnvme_ctrl_open(dev, &pcie_ctrl_ops, key, key);
	if (err) {
		return err;
	}
	/* No namespace asked for: the controller's first active one (1 on most) */
	if (!dev->ident.nsid) {
		err = pcie_ctrl_ns_next(dev->ctrl, 0, &dev->ident.nsid);
		if (!err && !dev->ident.nsid) {
			err = -ENXIO;
		}
	} else {
		err = pcie_ctrl_ns_active(dev->ctrl, dev->ident.nsid);
	}
	if (err) {
		xnvme_be_open_err_add("pcie",
				      err == -ENXIO
					  ? "the namespace is not active on the controller"
					  : "identify namespace",
				      err);
		return err;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		return -ENOMEM;
	}
	pthread_mutex_init(&st->lock, NULL);
	dev->be_state = st;
	dev->fd = -1;
	dev->ident.dtype = XNVME_DEV_TYPE_NVME_NAMESPACE;
	dev->be_max_xfer_nbytes = dev_ctrl(dev)->max_xfer;
	/* No page cache in the path: O_DIRECT's rules are not the driver's (options in effect) */
	dev->opts.direct = 0;
	defaults->admin = "nvme";
	defaults->sync = "nvme";
	defaults->async = "nvme";
	defaults->mem = "pcie";
	return 0;
}

/* After the queues: the sync pair is the last of the device's on the controller */
static void
pcie_dev_close(struct xnvme_dev *dev)
{
	struct pcie_dev_state *st = dev->be_state;

	if (!st) {
		return;
	}
	if (st->sync_ready) {
		pcie_ctrl_qp_delete(dev->ctrl, &st->sync);
		pcie_ctrl_qid_put(dev_ctrl(dev), st->sync.qid);
		pcie_qp_destroy(&st->sync);
	}
	pthread_mutex_destroy(&st->lock);
	free(st);
	dev->be_state = NULL;
}

static int
pcie_ctrlr_op(struct xnvme_dev *dev, enum xnvme_be_ctrlr_op op)
{
	switch (op) {
	case XNVME_BE_CTRLR_RESET:
		return pcie_ctrl_reset(dev->ctrl, 0);
	case XNVME_BE_CTRLR_NS_RESCAN:
		return 0; /* nothing is cached of the namespaces: identify asks the controller */
	default:
		return -ENOSYS;
	}
}

/* Registers below the doorbells, 32 bits at a time (64-bit ones are read as two halves) */
static int
pcie_ctrlr_regs(struct xnvme_dev *dev, void *regs, size_t nbytes)
{
	struct pcie_hw *hw = dev_ctrl(dev)->hw;
	uint8_t *dst = regs;

	if (!regs) {
		return -EINVAL;
	}
	for (size_t off = 0; off < nbytes; off += 4) {
		uint32_t val = off < PCIE_REG_SQ0TDBL ? hw->ops->reg_read32(hw, (uint32_t)off) : 0;

		memcpy(dst + off, &val, nbytes - off < 4 ? nbytes - off : 4);
	}
	return 0;
}

/* Buffers: the face's DMA memory, their sizes kept to free them (dma_free needs it) */
struct pcie_mem_rec {
	void *va;
	size_t nbytes;
	struct pcie_mem_rec *next;
};

struct pcie_mem {
	pthread_mutex_t lock;
	struct pcie_mem_rec *recs;
};

static int
pcie_mem_init(struct xnvme_dev *dev)
{
	struct pcie_mem *mem = calloc(1, sizeof(*mem));

	if (!mem) {
		return -ENOMEM;
	}
	pthread_mutex_init(&mem->lock, NULL);
	dev->mem_state = mem;
	return 0;
}

/*
 * Buffers left allocated at close stay: like the posix interface's, they are the process's
 * memory (the model's faces give heap memory) and programs use them past the device (xNVMe
 * 0.7.5's tests free them with xnvme_buf_virt_free()); only the records go.
 */
static void
pcie_mem_term(struct xnvme_dev *dev)
{
	struct pcie_mem *mem = dev->mem_state;

	if (!mem) {
		return;
	}
	while (mem->recs) {
		struct pcie_mem_rec *rec = mem->recs;

		mem->recs = rec->next;
		free(rec);
	}
	pthread_mutex_destroy(&mem->lock);
	free(mem);
	dev->mem_state = NULL;
}

static void *
pcie_buf_alloc(const struct xnvme_dev *dev, size_t nbytes)
{
	struct pcie_mem *mem = dev->mem_state;
	struct pcie_hw *hw = dev_ctrl(dev)->hw;
	struct pcie_mem_rec *rec = malloc(sizeof(*rec));
	uint64_t iova;

	if (!rec) {
		errno = ENOMEM;
		return NULL;
	}
	rec->va = hw->ops->dma_alloc(hw, nbytes, PCIE_PAGE, &iova);
	if (!rec->va) {
		free(rec);
		errno = ENOMEM;
		return NULL;
	}
	rec->nbytes = nbytes;
	pthread_mutex_lock(&mem->lock);
	rec->next = mem->recs;
	mem->recs = rec;
	pthread_mutex_unlock(&mem->lock);
	return rec->va;
}

/* Unlinks the record of @p buf; NULL when it is not one of ours */
static struct pcie_mem_rec *
pcie_mem_take(struct pcie_mem *mem, const void *buf)
{
	struct pcie_mem_rec **pos, *rec = NULL;

	pthread_mutex_lock(&mem->lock);
	for (pos = &mem->recs; *pos; pos = &(*pos)->next) {
		if ((*pos)->va == buf) {
			rec = *pos;
			*pos = rec->next;
			break;
		}
	}
	pthread_mutex_unlock(&mem->lock);
	return rec;
}

static void
pcie_buf_free(const struct xnvme_dev *dev, void *buf)
{
	struct pcie_hw *hw = dev_ctrl(dev)->hw;
	struct pcie_mem_rec *rec = pcie_mem_take(dev->mem_state, buf);

	if (rec) {
		hw->ops->dma_free(hw, rec->va, rec->nbytes);
		free(rec);
	}
}

static void *
pcie_buf_realloc(const struct xnvme_dev *dev, void *buf, size_t nbytes)
{
	struct pcie_mem *mem = dev->mem_state;
	struct pcie_mem_rec *old;
	void *res;

	if (!buf) {
		return pcie_buf_alloc(dev, nbytes);
	}
	pthread_mutex_lock(&mem->lock);
	for (old = mem->recs; old && old->va != buf; old = old->next) {
	}
	pthread_mutex_unlock(&mem->lock);
	if (!old) {
		errno = EINVAL;
		return NULL;
	}
	res = pcie_buf_alloc(dev, nbytes);
	if (!res) {
		return NULL;
	}
	memcpy(res, buf, old->nbytes < nbytes ? old->nbytes : nbytes);
	pcie_buf_free(dev, buf);
	return res;
}

static int
pcie_buf_vtophys(const struct xnvme_dev *dev, void *buf, uint64_t *phys)
{
	return pcie_hw_iova(dev_ctrl(dev)->hw, buf, phys);
}

static int
pcie_mem_map(const struct xnvme_dev *dev, void *vaddr, size_t nbytes)
{
	struct pcie_hw *hw = dev_ctrl(dev)->hw;

	return hw->ops->dma_map(hw, vaddr, nbytes);
}

static int
pcie_mem_unmap(const struct xnvme_dev *dev, void *vaddr)
{
	struct pcie_hw *hw = dev_ctrl(dev)->hw;

	return hw->ops->dma_unmap(hw, vaddr);
}

static const struct xnvme_be_mem_ops pcie_mem_ops = {
    .id = "pcie",
    .descr = "memory the controller reaches (the face's DMA memory; bus addresses by vtophys)",
    .alias = "spdk",
    .init = pcie_mem_init,
    .term = pcie_mem_term,
    .buf_alloc = pcie_buf_alloc,
    .buf_realloc = pcie_buf_realloc,
    .buf_free = pcie_buf_free,
    .buf_vtophys = pcie_buf_vtophys,
    .mem_map = pcie_mem_map,
    .mem_unmap = pcie_mem_unmap,
};

#if XNVME_BE_PCIE_VFIO
static int
pcie_enum_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * The namespaces of one controller, each a device: the next is opened before the callback may
 * close the one before, so the controller is brought up once, not once per namespace.
 */
static void
pcie_enum_ctrl(const char *bdf, struct xnvme_opts *opts, xnvme_enumerate_cb cb, void *cb_args)
{
	struct xnvme_opts dev_opts = *opts;
	struct xnvme_dev *dev, *next_dev;
	uint32_t next;

	dev_opts.be = "pcie";
	dev_opts.nsid = 0; /* the first active one */
	dev = xnvme_dev_open(bdf, &dev_opts);
	while (dev) {
		next_dev = NULL;
		if (!pcie_ctrl_ns_next(dev->ctrl, dev->ident.nsid, &next) && next) {
			dev_opts.nsid = next;
			next_dev = xnvme_dev_open(bdf, &dev_opts);
		}
		if (cb(dev, cb_args) == XNVME_ENUMERATE_DEV_CLOSE) {
			xnvme_dev_close(dev);
		}
		dev = next_dev;
	}
}

/* NVMe functions (class 0x010802) bound to vfio-pci, each with its active namespaces */
static int
pcie_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb, void *cb_args)
{
	struct dirent **fns = NULL;
	char path[512];
	int nfns;

	if (sys_uri) {
		return 0; /* remote systems are the fabrics backend's */
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices", vfio_sysfs_root());
	nfns = scandir(path, &fns, NULL, pcie_enum_cmp);
	if (nfns < 0) {
		return errno == ENOENT ? 0 : -errno;
	}
	for (int i = 0; i < nfns; ++i) {
		uint32_t class_code;
		char drv[64], bdf[13];

		if (!vfio_bdf_parse(fns[i]->d_name, bdf) && !strcmp(bdf, fns[i]->d_name) &&
		    !vfio_sysfs_class(bdf, &class_code) && class_code == VFIO_CLASS_NVME &&
		    !vfio_sysfs_driver(bdf, drv, sizeof(drv)) && !strcmp(drv, "vfio-pci")) {
			pcie_enum_ctrl(bdf, opts, cb, cb_args);
		}
		free(fns[i]);
	}
	free(fns);
	return 0;
}
#endif

static const struct xnvme_be_dev_ops pcie_dev = {
    .id = "pcie",
    .descr = "the user-space NVMe driver: pcie-model:SPEC (the in-memory controller), PCI "
	     "addresses of controllers bound to vfio-pci",
    .dev_open = pcie_dev_open,
    .dev_close = pcie_dev_close,
#if XNVME_BE_PCIE_VFIO
    .enumerate = pcie_enumerate,
#else
    .enumerate = NULL,
#endif
    .ctrlr_op = pcie_ctrlr_op,
    .ctrlr_regs = pcie_ctrlr_regs,
};

static const struct xnvme_be_admin_ops *const pcie_admin_list[] = {&pcie_admin_ops, NULL};
static const struct xnvme_be_sync_ops *const pcie_sync_list[] = {&pcie_sync_ops, NULL};
/* The driver's own first (the default); the shared ones run its sync interface */
static const struct xnvme_be_async_ops *const pcie_async_list[] = {
    &pcie_async_ops,
    &xnvme_be_common_async_thrpool_sync,
    &xnvme_be_common_async_emu,
    &xnvme_be_common_async_nil,
    NULL,
};
static const struct xnvme_be_mem_ops *const pcie_mem_list[] = {&pcie_mem_ops, NULL};

const struct xnvme_be xnvme_be_pcie = {
    .name = "pcie",
    .alias = "spdk",
    .dev = &pcie_dev,
    .admin = pcie_admin_list,
    .sync = pcie_sync_list,
    .async = pcie_async_list,
    .mem = pcie_mem_list,
};
