/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which sync and async interfaces a test runs on a target, asked of the library: the backend that
 * claims the target (opened with default options) and the interfaces that backend lists in
 * xnvme_libconf_fpr(), which prints the registry's tables (`xnvme library-info` prints the same).
 * A new interface is tested without editing a list.
 *
 * The only names written here are properties the tables do not carry, which decide whether an
 * interface can move a test's data on a kind of target:
 * - "nil" completes every command without moving data: a test that reads back cannot use it.
 * - "nvme" (sync) and "io_uring_cmd" pass NVMe commands to the kernel's NVMe driver: they need an
 *   NVMe namespace; io_uring_cmd its char node (/dev/ngXnY), where the file-descriptor interfaces
 *   (read/write on the node) cannot go, so a char node gets the two passthrough ones only.
 */
#ifndef __XNVME_TEST_IFACES_H
#define __XNVME_TEST_IFACES_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libxnvme.h>
#include "target_nsid.h"

#define IFACES_MAX 32

struct ifaces {
	int n;
	struct {
		char id[32];
		int sync; ///< 1: a sync interface (opts.sync), 0: an async one (opts.async)
	} item[IFACES_MAX];
};

/* Whether @p id can move data on the target: see the properties at the top */
static inline int
ifaces_fits(const char *id, int sync, uint32_t dtype, int chr)
{
	int passthru = (sync && !strcmp(id, "nvme")) || (!sync && !strcmp(id, "io_uring_cmd"));

	if (!strcmp(id, "nil")) {
		return 0;
	}
	if (passthru && dtype != XNVME_DEV_TYPE_NVME_NAMESPACE) {
		return 0;
	}
	if (!sync && !strcmp(id, "io_uring_cmd")) {
		return chr;
	}
	return !chr || passthru;
}

/*
 * Appends the ids of the interfaces of @p kind ("sync", "async") that the library configuration
 * document @p doc lists for backend @p be (NULL: every backend): "  - name: 'BE'", then
 * "      KIND:", then a line "        - {id: 'ID', ...}" per interface
 */
static inline void
ifaces_parse(const char *doc, const char *be, const char *kind, int sync, struct ifaces *out)
{
	char be_line[96], kind_line[48];
	const char *p = doc;

	snprintf(be_line, sizeof(be_line), "\n  - name: '%s'\n", be ? be : "");
	snprintf(kind_line, sizeof(kind_line), "\n      %s:\n", kind);
	while ((p = strstr(p, be ? be_line : "\n  - name: '"))) {
		const char *next = strstr(p + 1, "\n  - name: '");

		p = strstr(p, kind_line);
		if (!p || (next && p > next)) {
			p = next;
			continue;
		}
		for (p = strchr(p + 1, '\n'); p && !strncmp(p, "\n        - {id: '", 17);
		     p = strchr(p + 1, '\n')) {
			size_t len = strcspn(p + 17, "'");
			const char *eol = strchr(p + 1, '\n');
			const char *nb = strstr(p + 17, "descr: 'not built");
			const char *na = strstr(p + 17, "descr: 'not available");

			/* A table the build left out (XNVME_BE_ASYNC_NOT_BUILT) or one this system
			 * lacks (unavailable) is listed, not offered */
			if ((nb && (!eol || nb < eol)) || (na && (!eol || na < eol))) {
				continue;
			}
			if (len < sizeof(out->item[0].id) && out->n < IFACES_MAX) {
				memcpy(out->item[out->n].id, p + 17, len);
				out->item[out->n].id[len] = '\0';
				out->item[out->n++].sync = sync;
			}
		}
		if (be) {
			break;
		}
	}
}

/* The library's description of itself (xnvme_libconf_fpr), NUL-terminated; NULL when it cannot */
static inline char *
ifaces_libconf_doc(void)
{
	char *doc = NULL;
#ifdef _WIN32
	/* Windows has no open_memstream: a temporary file, read back */
	FILE *stream = tmpfile();
	long len;

	if (!stream) {
		return NULL;
	}
	xnvme_libconf_fpr(stream, XNVME_PR_DEF);
	len = ftell(stream);
	if (len >= 0 && !fseek(stream, 0, SEEK_SET) && (doc = calloc(1, (size_t)len + 1)) &&
	    fread(doc, 1, (size_t)len, stream) != (size_t)len) {
		free(doc);
		doc = NULL;
	}
#else
	size_t doc_len = 0;
	FILE *stream = open_memstream(&doc, &doc_len);

	if (!stream) {
		return NULL;
	}
	xnvme_libconf_fpr(stream, XNVME_PR_DEF);
#endif
	fclose(stream);
	return doc;
}

/* The sync, then the async interfaces of backend @p be (NULL: all) as the library lists them */
static inline int
ifaces_listed(const char *be, struct ifaces *out)
{
	char *doc = ifaces_libconf_doc();

	if (!doc) {
		return -ENOMEM;
	}
	out->n = 0;
	ifaces_parse(doc, be, "sync", 1, out);
	ifaces_parse(doc, be, "async", 0, out);
	free(doc);
	return out->n ? 0 : -ENOENT;
}

/*
 * The interfaces of the backend claiming @p target, sync ones first, in the backend's order;
 * with @p fitting, only those that can move data on it. Returns 0 or a negative errno.
 */
static inline int
ifaces_of(const char *target, int fitting, struct ifaces *out)
{
	struct xnvme_opts opts = xnvme_opts_default();
	struct ifaces all = {0};
	struct xnvme_dev *dev;
	struct stat st;
	uint32_t dtype;
	char be[32];
	int chr, err;

	/* the target's own namespace (0): the default (1) refuses /dev/nvme0n5 */
	opts.nsid = check_target_nsid();
	dev = xnvme_dev_open(target, &opts);
	if (!dev) {
		return errno ? -errno : -EINVAL;
	}
	snprintf(be, sizeof(be), "%s", xnvme_dev_get_opts(dev)->be);
	dtype = xnvme_dev_get_ident(dev)->dtype;
	xnvme_dev_close(dev);
	chr = !stat(target, &st) && S_ISCHR(st.st_mode);

	err = ifaces_listed(be, &all);
	if (err) {
		return err;
	}
	out->n = 0;
	for (int i = 0; i < all.n; ++i) {
		if (!fitting || ifaces_fits(all.item[i].id, all.item[i].sync, dtype, chr)) {
			out->item[out->n++] = all.item[i];
		}
	}
	return out->n ? 0 : -ENOENT;
}

/* Whether @p id is a sync interface (opts.sync) in @p list; else it is an async one */
static inline int
ifaces_sync(const struct ifaces *list, const char *id)
{
	for (int i = 0; i < list->n; ++i) {
		if (!strcmp(list->item[i].id, id)) {
			return list->item[i].sync;
		}
	}
	return 0;
}

/*
 * The interfaces a test body runs: the names given on its command line (@p argc names from
 * @p argv, each told sync or async by the target's backend), or else every one of @p kinds
 * ("sync", "async" or both) that can move data on @p target. Prints the list; returns 0, or a
 * negative errno after saying why.
 */
static inline int
ifaces_for_test(const char *target, int argc, char **argv, int want_sync, struct ifaces *out)
{
	int err;

	out->n = 0;
	if (argc > 0) {
		struct ifaces all = {0};

		/* No name is both a sync and an async interface: any backend's lists tell */
		ifaces_listed(NULL, &all);
		for (int i = 0; i < argc && i < IFACES_MAX; ++i) {
			snprintf(out->item[i].id, sizeof(out->item[i].id), "%s", argv[i]);
			out->item[i].sync = ifaces_sync(&all, argv[i]);
			out->n++;
		}
		return 0;
	}
	err = ifaces_of(target, 1, out);
	if (err) {
		printf("FAIL: the interfaces offered on %s: %s\n", target, strerror(-err));
		return err;
	}
	if (!want_sync) {
		int n = 0;

		for (int i = 0; i < out->n; ++i) {
			if (!out->item[i].sync) {
				out->item[n++] = out->item[i];
			}
		}
		out->n = n;
	}
#ifdef __SANITIZE_THREAD__
	/*
	 * glibc runs POSIX AIO in threads of its own that ThreadSanitizer never sees start: it
	 * crashes in their first malloc. So the TSan build tests every other interface; the
	 * normal and ASan builds test posix.
	 */
	for (int i = 0, n = out->n; i < n; ++i) {
		if (!strcmp(out->item[i].id, "posix")) {
			printf(
			    "note: posix left out under ThreadSanitizer (glibc's AIO threads)\n");
			memmove(&out->item[i], &out->item[i + 1],
				(n - i - 1) * sizeof(out->item[0]));
			out->n = --n;
			--i;
		}
	}
#endif
	printf("interfaces (from the library's registry):");
	for (int i = 0; i < out->n; ++i) {
		printf(" %s", out->item[i].id);
	}
	printf("\n");
	return 0;
}

#endif
