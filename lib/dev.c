/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_be.h"
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_queue.h"

static int
dev_check_opts(const struct xnvme_opts *opts)
{
	const char *names[] = {opts->admin, opts->sync, opts->async, opts->mem};

	if (opts->be && !xnvme_be_by_name(opts->be)) {
		xnvme_be_open_err_add(opts->be, "no such backend", -EINVAL);
		return -EINVAL;
	}
	for (size_t i = 0; i < XNVME_ARRAY_SIZE(names); ++i) {
		if (names[i] && !xnvme_be_iface_name_known(names[i])) {
			xnvme_be_open_err_add(names[i], "no such interface", -EINVAL);
			return -EINVAL;
		}
	}
	if ((opts->rdonly && opts->wronly) || opts->poll_io > 1 || opts->poll_sq > 1) {
		xnvme_be_open_err_add("opts", "conflicting open flags", -EINVAL);
		return -EINVAL;
	}
	return 0;
}

static void
dev_mem_term(struct xnvme_dev *dev)
{
	if (dev->mem && dev->mem->term) {
		dev->mem->term(dev);
	}
}

static void
dev_ctrl_put(struct xnvme_dev *dev)
{
	xnvme_ctrl_put(dev->ctrl);
	dev->ctrl = NULL;
}

/* Binds the interfaces, sets up the memory and derives the geometry of an opened device */
static int
dev_open_ifaces(struct xnvme_dev *dev, const struct xnvme_be_defaults *dflt)
{
	int err = xnvme_be_bind(dev, dflt);

	if (!err && dev->mem->init) {
		err = dev->mem->init(dev);
		if (err) {
			xnvme_be_open_err_add(dev->mem->id, "mem init", err);
			return err;
		}
	}
	if (!err) {
		err = xnvme_dev_derive_geo(dev);
		if (err) {
			xnvme_be_open_err_add(dev->be->name, "identify", err);
			dev_mem_term(dev);
		}
	}
	return err;
}

/* Errors that say more than "not mine" win over -ENODEV when reporting why nothing claimed it. */
static int
dev_open_with(struct xnvme_dev *dev, const struct xnvme_be *be)
{
	struct xnvme_be_defaults dflt = {0};
	int err;

	size_t msg_len = strlen(xnvme_dev_open_err_msg());

	dev->be = be;
	dev->fd = -1;
	dev->fd_ops = NULL; /* a backend tried before may have set them */
	dev->ctrl = NULL;
	err = be->dev->dev_open(dev, &dflt);
	/* Every device has a controller: a private one when its backend attached it to none */
	if (!err && !dev->ctrl) {
		err = xnvme_ctrl_open(dev, NULL, NULL, NULL);
		if (err) {
			be->dev->dev_close(dev);
		}
	}
	if (err) {
		/* The backend's own reason says more than "open" would; add one only when it gave
		 * none */
		if (err != -ENODEV && strlen(xnvme_dev_open_err_msg()) == msg_len) {
			xnvme_be_open_err_add(be->name, "open", err);
		}
		dev_ctrl_put(dev); /* a backend may have attached it before refusing */
		return err;
	}
	err = dev_open_ifaces(dev, &dflt);
	if (err) {
		be->dev->dev_close(dev);
		dev_ctrl_put(dev);
	}
	return err;
}

struct xnvme_dev *
xnvme_dev_open(const char *dev_uri, struct xnvme_opts *opts)
{
	struct xnvme_opts dflt = xnvme_opts_default();
	struct xnvme_dev *dev;
	int err, reported = -ENXIO, claimed = 0;

	xnvme_be_open_err_reset();
	if (!opts) {
		opts = &dflt;
	}
	err = dev_check_opts(opts);
	if (err) {
		errno = -err;
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&dev->queues_lock, NULL);
	err = xnvme_ident_from_uri(dev_uri, &dev->ident);
	if (err) {
		xnvme_be_open_err_add("ident", "malformed device identifier", err);
		free(dev);
		errno = -err;
		return NULL;
	}

	for (size_t i = 0; xnvme_be_registry[i]; ++i) {
		const struct xnvme_be *be = xnvme_be_registry[i];

		if (opts->be && !xnvme_be_named(be, opts->be)) {
			continue;
		}
		dev->opts = *opts;
		dev->ident.nsid = opts->nsid;
		err = dev_open_with(dev, be);
		if (!err) {
			dev->opts.nsid = dev->ident.nsid; /* the options in effect */
			return dev;
		}
		if (err != -ENODEV && !claimed) {
			reported = err;
			claimed = 1;
		}
	}
	if (!claimed) {
		xnvme_be_open_err_add(opts->be ? opts->be : "all backends", "device not claimed",
				      -ENXIO);
	}
	free(dev);
	errno = -reported;
	return NULL;
}

void
xnvme_dev_close(struct xnvme_dev *dev)
{
	if (!dev) {
		return;
	}
	for (;;) {
		struct xnvme_queue *queue;

		pthread_mutex_lock(&dev->queues_lock);
		queue = dev->queues;
		pthread_mutex_unlock(&dev->queues_lock);
		if (!queue) {
			break;
		}
		xnvme_queue_term(queue);
	}
	dev_mem_term(dev);
	dev->be->dev->dev_close(dev);
	dev_ctrl_put(dev);
	if (dev->nparked) {
		return; /* a parked queue's stuck commands may still read the handle: leaked */
	}
	pthread_mutex_destroy(&dev->queues_lock);
	free(dev);
}

int
xnvme_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb_func,
		void *cb_args)
{
	struct xnvme_opts dflt = xnvme_opts_default();
	int err;

	if (!cb_func) {
		return -EINVAL;
	}
	if (!opts) {
		opts = &dflt;
	}
	err = dev_check_opts(opts);
	if (err) {
		return err;
	}
	for (size_t i = 0; xnvme_be_registry[i]; ++i) {
		const struct xnvme_be *be = xnvme_be_registry[i];

		if ((opts->be && !xnvme_be_named(be, opts->be)) || !be->dev->enumerate) {
			continue;
		}
		err = be->dev->enumerate(sys_uri, opts, cb_func, cb_args);
		if (err) {
			return err;
		}
	}
	return 0;
}

const void *
xnvme_dev_get_be_state(const struct xnvme_dev *dev)
{
	return dev ? dev->be_state : NULL;
}

const struct xnvme_geo *
xnvme_dev_get_geo(const struct xnvme_dev *dev)
{
	return &dev->geo;
}

const struct xnvme_ident *
xnvme_dev_get_ident(const struct xnvme_dev *dev)
{
	return &dev->ident;
}

const struct xnvme_opts *
xnvme_dev_get_opts(const struct xnvme_dev *dev)
{
	return &dev->opts;
}

const struct xnvme_spec_idfy_ctrlr *
xnvme_dev_get_ctrlr(const struct xnvme_dev *dev)
{
	return &dev->id_ctrlr;
}

const struct xnvme_spec_idfy_ctrlr *
xnvme_dev_get_ctrlr_css(const struct xnvme_dev *dev)
{
	if (!dev->has_ctrlr_css) {
		errno = ENOSYS;
		return NULL;
	}
	return &dev->ctrlr_css.ctrlr;
}

const struct xnvme_spec_idfy_ns *
xnvme_dev_get_ns(const struct xnvme_dev *dev)
{
	return &dev->id_ns;
}

const struct xnvme_spec_idfy_ns *
xnvme_dev_get_ns_css(const struct xnvme_dev *dev)
{
	if (!dev->has_ns_css) {
		errno = ENOSYS;
		return NULL;
	}
	return &dev->ns_css.ns;
}

uint32_t
xnvme_dev_get_nsid(const struct xnvme_dev *dev)
{
	return dev->ident.nsid;
}

uint8_t
xnvme_dev_get_csi(const struct xnvme_dev *dev)
{
	return dev->ident.csi;
}

uint64_t
xnvme_dev_get_ssw(const struct xnvme_dev *dev)
{
	return dev->geo.ssw;
}

const char *
xnvme_dev_get_be_name(const struct xnvme_dev *dev)
{
	return dev->be->name;
}
