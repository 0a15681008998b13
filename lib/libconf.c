/* SPDX-License-Identifier: BSD-3-Clause */
#include <xnvme_config.h>
#include "xnvme_be.h"

const char *xnvme_libconf[] = {
    "version: " XNVME_VERSION,
    "compiler: " XNVME_COMPILER,
    "build_type: " XNVME_BUILD_TYPE,
    "sanitize: " XNVME_SANITIZE,
#if XNVME_HAVE_LIBURING
    "io_uring: liburing",
#else
    "io_uring: no",
#endif
#if XNVME_HAVE_LIBAIO
    "libaio: yes",
#else
    "libaio: no",
#endif
    NULL,
};

/* A YAML single-quoted scalar: a quote inside is written twice */
static int
libconf_str_fpr(FILE *stream, const char *str)
{
	int wrtn = fprintf(stream, "'");

	for (; *str; ++str) {
		wrtn += *str == '\'' ? fprintf(stream, "''") : fprintf(stream, "%c", *str);
	}
	return wrtn + fprintf(stream, "'");
}

static int
libconf_ifaces_fpr(FILE *stream, const char *kind, const void *const *list, int async)
{
	int wrtn = fprintf(stream, "      %s:\n", kind);

	for (size_t i = 0; list && list[i]; ++i) {
		/* Every interface table starts with its id, a description and an alias */
		const char *const *fields = list[i];
		const struct xnvme_be_async_ops *ops = list[i];
		const char *why = async && ops->unavailable ? ops->unavailable() : NULL;

		wrtn += fprintf(stream, "        - {id: ");
		wrtn += libconf_str_fpr(stream, fields[0]);
		wrtn += fprintf(stream, ", descr: ");
		if (why) {
			char text[256];

			snprintf(text, sizeof(text), "not available: %s", why);
			wrtn += libconf_str_fpr(stream, text);
		} else {
			wrtn += libconf_str_fpr(stream, fields[1]);
		}
		if (fields[2]) {
			wrtn += fprintf(stream, ", alias: ");
			wrtn += libconf_str_fpr(stream, fields[2]);
		}
		wrtn += fprintf(stream, "}\n");
	}
	return wrtn;
}

int
xnvme_libconf_fpr(FILE *stream, enum xnvme_pr opts)
{
	int wrtn = 0;

	(void)opts;
	wrtn += fprintf(stream, "xnvme_libconf:\n");
	for (size_t i = 0; xnvme_libconf[i]; ++i) {
		wrtn += fprintf(stream, "  - ");
		wrtn += libconf_str_fpr(stream, xnvme_libconf[i]);
		wrtn += fprintf(stream, "\n");
	}
	wrtn += fprintf(stream, "xnvme_be_attr_list:\n");
	for (size_t i = 0; xnvme_be_registry[i]; ++i) {
		const struct xnvme_be *be = xnvme_be_registry[i];

		wrtn += fprintf(stream, "  - name: '%s'\n", be->name);
		wrtn += fprintf(stream, "    alias: %s%s%s\n", be->alias ? "'" : "",
				be->alias ? be->alias : "~", be->alias ? "'" : "");
		wrtn += fprintf(stream, "    interfaces:\n");
		wrtn += libconf_ifaces_fpr(stream, "admin", (const void *const *)be->admin, 0);
		wrtn += libconf_ifaces_fpr(stream, "sync", (const void *const *)be->sync, 0);
		wrtn += libconf_ifaces_fpr(stream, "async", (const void *const *)be->async, 1);
		wrtn += libconf_ifaces_fpr(stream, "mem", (const void *const *)be->mem, 0);
	}
	return wrtn;
}

int
xnvme_libconf_pr(enum xnvme_pr opts)
{
	return xnvme_libconf_fpr(stdout, opts);
}

int
xnvme_ver_major(void)
{
	return XNVME_VERSION_MAJOR;
}

int
xnvme_ver_minor(void)
{
	return XNVME_VERSION_MINOR;
}

int
xnvme_ver_patch(void)
{
	return XNVME_VERSION_PATCH;
}

int
xnvme_ver_fpr(FILE *stream, int opts)
{
	(void)opts;
	return fprintf(stream, "xnvme_ver: {major: %d, minor: %d, patch: %d}\n", xnvme_ver_major(),
		       xnvme_ver_minor(), xnvme_ver_patch());
}

int
xnvme_ver_pr(int opts)
{
	return xnvme_ver_fpr(stdout, opts);
}
