/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend lookup and interface binding: which backend claims an identifier, and which interface
 * table of each kind the device gets. The registry itself is generated from the backends that
 * build (lib/be/meson.build): this file names none of them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xnvme_config.h>
#include "xnvme_be.h"
#include "xnvme_dev.h"

int
xnvme_be_nosys_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		      size_t mbuf_nbytes)
{
	(void)ctx;
	(void)dbuf;
	(void)dbuf_nbytes;
	(void)mbuf;
	(void)mbuf_nbytes;
	return -ENOSYS;
}

int
xnvme_be_nosys_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt,
		       size_t dvec_nbytes, struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	(void)ctx;
	(void)dvec;
	(void)dvec_cnt;
	(void)dvec_nbytes;
	(void)mvec;
	(void)mvec_cnt;
	(void)mvec_nbytes;
	return -ENOSYS;
}

/* The interface tables of all kinds start with id, descr, alias (xnvme_be.h); finds one by name */
static const void *
be_find_iface(const void *const *list, const char *name)
{
	for (size_t i = 0; list && list[i]; ++i) {
		const char *const *fields = list[i];

		if (!strcmp(fields[0], name) || (fields[2] && !strcmp(fields[2], name))) {
			return list[i];
		}
	}
	return NULL;
}

void
xnvme_be_strpad(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	memset(dst, ' ', len);
	memcpy(dst, src, n < len ? n : len);
}

int
xnvme_be_named(const struct xnvme_be *be, const char *name)
{
	return !strcmp(be->name, name) || (be->alias && !strcmp(be->alias, name));
}

const struct xnvme_be *
xnvme_be_by_name(const char *name)
{
	for (size_t i = 0; xnvme_be_registry[i]; ++i) {
		if (xnvme_be_named(xnvme_be_registry[i], name)) {
			return xnvme_be_registry[i];
		}
	}
	return NULL;
}

/* The backends upstream xNVMe 0.7.5 lists, in its order: users look their names up */
static const char *const g_be_catalogue[] = {
    "spdk", "linux", "fbsd", "macos", "windows", "ramdisk", "vfio",
};
#define BE_CATALOGUE_LEN (sizeof(g_be_catalogue) / sizeof(g_be_catalogue[0]))

static int
be_in_catalogue(const struct xnvme_be *be)
{
	for (size_t i = 0; i < BE_CATALOGUE_LEN; ++i) {
		if (xnvme_be_named(be, g_be_catalogue[i])) {
			return 1;
		}
	}
	return 0;
}

int
xnvme_be_attr_list_bundled(struct xnvme_be_attr_list **list)
{
	size_t nregistry = 0, n = 0;

	if (!list) {
		return -EINVAL;
	}
	while (xnvme_be_registry[nregistry]) {
		nregistry++;
	}
	*list =
	    calloc(1, sizeof(**list) + (BE_CATALOGUE_LEN + nregistry) * sizeof((*list)->item[0]));
	if (!*list) {
		return -ENOMEM;
	}
	for (size_t i = 0; i < BE_CATALOGUE_LEN; ++i) {
		(*list)->item[n].name = g_be_catalogue[i];
		(*list)->item[n++].enabled = xnvme_be_by_name(g_be_catalogue[i]) != NULL;
	}
	for (size_t i = 0; i < nregistry; ++i) { // ours that upstream does not name
		if (!be_in_catalogue(xnvme_be_registry[i])) {
			(*list)->item[n].name = xnvme_be_registry[i]->name;
			(*list)->item[n++].enabled = 1;
		}
	}
	(*list)->count = (int)n;
	(*list)->capacity = (uint32_t)n;
	return 0;
}

/* Appends one line to the thread's open-error message; the message says why each backend failed. */
static __thread char g_open_err[1024];

void
xnvme_be_open_err_reset(void)
{
	g_open_err[0] = '\0';
}

void
xnvme_be_open_err_add(const char *be, const char *what, int err)
{
	size_t len = strlen(g_open_err);

	if (len >= sizeof(g_open_err) - 1) {
		return;
	}
	snprintf(g_open_err + len, sizeof(g_open_err) - len, "%s%s: %s (%s)", len ? "; " : "", be,
		 what, strerror(err < 0 ? -err : err));
}

const char *
xnvme_dev_open_err_msg(void)
{
	return g_open_err;
}

static int
be_bind_one(struct xnvme_dev *dev, const char *kind, const void *const *list, const char *asked,
	    const char *dflt, const void **bound, const char **name)
{
	const char *want = asked ? asked : dflt;
	const void *iface;

	if (!want) {
		xnvme_be_open_err_add(dev->be->name, kind, -ENXIO);
		return -ENXIO;
	}
	iface = be_find_iface(list, want);
	if (!iface) {
		char what[128];

		snprintf(what, sizeof(what), "%s interface '%s' is not offered", kind, want);
		xnvme_be_open_err_add(dev->be->name, what, -EINVAL);
		return -EINVAL;
	}
	*bound = iface;
	*name = *(const char *const *)iface;
	return 0;
}

int
xnvme_be_bind(struct xnvme_dev *dev, const struct xnvme_be_defaults *dflt)
{
	const struct xnvme_be *be = dev->be;
	struct xnvme_opts *opts = &dev->opts;
	int err;

	err = be_bind_one(dev, "admin", (const void *const *)be->admin, opts->admin, dflt->admin,
			  (const void **)&dev->admin, &opts->admin);
	if (!err) {
		err = be_bind_one(dev, "sync", (const void *const *)be->sync, opts->sync,
				  dflt->sync, (const void **)&dev->sync, &opts->sync);
	}
	if (!err) {
		err = be_bind_one(dev, "async", (const void *const *)be->async, opts->async,
				  dflt->async, (const void **)&dev->async, &opts->async);
	}
	if (!err) {
		err = be_bind_one(dev, "mem", (const void *const *)be->mem, opts->mem, dflt->mem,
				  (const void **)&dev->mem, &opts->mem);
	}
	if (!err) {
		opts->be = be->name;
		opts->dev = be->dev->id;
	}
	return err;
}

/* Known interface names, so that a typo is told apart from "not offered by this backend". */
int
xnvme_be_iface_name_known(const char *name)
{
	for (size_t i = 0; xnvme_be_registry[i]; ++i) {
		const struct xnvme_be *be = xnvme_be_registry[i];

		if (be_find_iface((const void *const *)be->admin, name) ||
		    be_find_iface((const void *const *)be->sync, name) ||
		    be_find_iface((const void *const *)be->async, name) ||
		    be_find_iface((const void *const *)be->mem, name)) {
			return 1;
		}
	}
	return 0;
}
