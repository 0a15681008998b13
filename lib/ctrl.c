/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The controller object (xnvme_ctrl.h): the process-wide registry of shared controllers, their
 * references and their admin path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"

/* Guards the list and every controller's refs: open, get and put run in any thread */
static pthread_mutex_t g_ctrl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct xnvme_ctrl *g_ctrl_list;

static const struct xnvme_be_ctrl_ops ctrl_private_ops = {
    .id = "private",
};

static struct xnvme_ctrl *
ctrl_find(const struct xnvme_be *be, const char *key)
{
	struct xnvme_ctrl *ctrl = g_ctrl_list;

	while (ctrl && (ctrl->be != be || strcmp(ctrl->key, key))) {
		ctrl = ctrl->next;
	}
	return ctrl;
}

static void
ctrl_free(struct xnvme_ctrl *ctrl)
{
	pthread_mutex_destroy(&ctrl->admin_lock);
	free(ctrl);
}

/* A new controller, opened by its backend; NULL with *err set when that fails */
static struct xnvme_ctrl *
ctrl_new(struct xnvme_dev *dev, const struct xnvme_be_ctrl_ops *ops, const char *key,
	 const void *arg, int *err)
{
	struct xnvme_ctrl *ctrl = calloc(1, sizeof(*ctrl));

	if (!ctrl) {
		*err = -ENOMEM;
		return NULL;
	}
	ctrl->ops = ops;
	ctrl->be = dev->be;
	memcpy(ctrl->key, key, strlen(key) + 1);
	ctrl->refs = 1;
	pthread_mutex_init(&ctrl->admin_lock, NULL);
	*err = ops->open ? ops->open(ctrl, dev, arg) : 0;
	if (*err) {
		ctrl_free(ctrl);
		return NULL;
	}
	return ctrl;
}

int
xnvme_ctrl_open(struct xnvme_dev *dev, const struct xnvme_be_ctrl_ops *ops, const char *key,
		const void *arg)
{
	struct xnvme_ctrl *ctrl;
	int err = 0;

	key = key ? key : "";
	ops = ops ? ops : &ctrl_private_ops;
	if (strlen(key) >= XNVME_CTRL_KEY_LEN) {
		return -ENAMETOOLONG;
	}
	if (!key[0]) { /* private: nobody else can find it, no need to hold up other opens */
		dev->ctrl = ctrl_new(dev, ops, key, arg, &err);
		return err;
	}
	/* Opened under the lock: two threads opening one key must not both set it up */
	pthread_mutex_lock(&g_ctrl_lock);
	ctrl = ctrl_find(dev->be, key);
	if (ctrl) {
		ctrl->refs++;
	} else {
		ctrl = ctrl_new(dev, ops, key, arg, &err);
		if (ctrl) {
			ctrl->next = g_ctrl_list;
			g_ctrl_list = ctrl;
		}
	}
	pthread_mutex_unlock(&g_ctrl_lock);
	dev->ctrl = ctrl;
	return err;
}

void
xnvme_ctrl_get(struct xnvme_ctrl *ctrl)
{
	pthread_mutex_lock(&g_ctrl_lock);
	ctrl->refs++;
	pthread_mutex_unlock(&g_ctrl_lock);
}

static void
ctrl_unlink(struct xnvme_ctrl *ctrl)
{
	struct xnvme_ctrl **pos = &g_ctrl_list;

	while (*pos && *pos != ctrl) {
		pos = &(*pos)->next;
	}
	if (*pos) {
		*pos = ctrl->next;
	}
}

void
xnvme_ctrl_put(struct xnvme_ctrl *ctrl)
{
	int last;

	if (!ctrl) {
		return;
	}
	pthread_mutex_lock(&g_ctrl_lock);
	last = !--ctrl->refs && !ctrl->ops->keep;
	if (last) {
		ctrl_unlink(ctrl);
	}
	pthread_mutex_unlock(&g_ctrl_lock);
	if (last) {
		if (ctrl->ops->close) {
			ctrl->ops->close(ctrl);
		}
		ctrl_free(ctrl);
	}
}

/* Under admin_lock */
static int
ctrl_poll_locked(struct xnvme_ctrl *ctrl)
{
	if (!ctrl->ops->poll) {
		return 0;
	}
	ctrl->npolls++;
	return ctrl->ops->poll(ctrl);
}

int
xnvme_ctrl_poll(struct xnvme_ctrl *ctrl)
{
	int err;

	if (!ctrl->ops->poll || pthread_mutex_trylock(&ctrl->admin_lock)) {
		return 0;
	}
	err = ctrl_poll_locked(ctrl);
	pthread_mutex_unlock(&ctrl->admin_lock);
	return err;
}

int
xnvme_ctrl_cmd_admin(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		     size_t mbuf_nbytes)
{
	struct xnvme_ctrl *ctrl = ctx->dev->ctrl;
	int err;

	if (!ctrl->ops->admin) {
		return -ENOSYS;
	}
	pthread_mutex_lock(&ctrl->admin_lock);
	/* Periodic work that fails (a keep-alive refused) is the controller's state, which the
	 * command's own status then shows: the command still goes */
	ctrl_poll_locked(ctrl);
	err = ctrl->ops->admin(ctrl, ctx, dbuf, dbuf_nbytes, mbuf, mbuf_nbytes);
	pthread_mutex_unlock(&ctrl->admin_lock);
	return err;
}

int
xnvme_ctrl_drop_kept(void)
{
	struct xnvme_ctrl *list = NULL;
	int ndropped = 0;

	pthread_mutex_lock(&g_ctrl_lock);
	for (struct xnvme_ctrl **pos = &g_ctrl_list; *pos;) {
		struct xnvme_ctrl *ctrl = *pos;

		if (ctrl->refs) {
			pos = &ctrl->next;
			continue;
		}
		*pos = ctrl->next;
		ctrl->next = list;
		list = ctrl;
	}
	pthread_mutex_unlock(&g_ctrl_lock);
	/* Closed outside the lock, as xnvme_ctrl_put() does: a close may take its own locks */
	while (list) {
		struct xnvme_ctrl *ctrl = list;

		list = ctrl->next;
		if (ctrl->ops->close) {
			ctrl->ops->close(ctrl);
		}
		ctrl_free(ctrl);
		ndropped++;
	}
	return ndropped;
}
