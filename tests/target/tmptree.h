/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A made-up directory tree under a temporary root (a sysfs for $XNVME_SYSFS_ROOT): folders,
 * symbolic links and its removal. The tests that use it keep their root in g_tree_root.
 */
#ifndef __XNVME_TEST_TMPTREE_H
#define __XNVME_TEST_TMPTREE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static char g_tree_root[256];

/* A fresh root named @p name (mkdtemp template) under $TMPDIR or /tmp; 0 or -1 */
static inline int
tree_init(const char *name)
{
	snprintf(g_tree_root, sizeof(g_tree_root), "%s/%s",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
	return mkdtemp(g_tree_root) ? 0 : -1;
}

/* Folder @p rel of the root with its parents */
static inline void
tree_mkdirs(const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s/%s", g_tree_root, rel);
	for (p = path + strlen(g_tree_root) + 1; (p = strchr(p, '/')); ++p) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

/* @p rel becomes a symbolic link to @p target (replacing what was there) */
static inline void
tree_symlink(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", g_tree_root, rel);
	unlink(path);
	if (symlink(target, path)) {
		printf("FAIL: symlink %s\n", path);
	}
}

static inline int
tree_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void
tree_remove(void)
{
	nftw(g_tree_root, tree_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
