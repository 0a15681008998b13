/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prints the interfaces a test runs on TARGET, one "sync ID" or "async ID" line each, as the C
 * test bodies get them from ifaces.h, so the tests written in Python ask the library the same way.
 * usage: ifaces TARGET
 */
#include <stdio.h>
#include "ifaces.h"

int
main(int argc, char **argv)
{
	struct ifaces list;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s TARGET\n", argv[0]);
		return 2;
	}
	err = ifaces_of(argv[1], 1, &list);
	if (err) {
		fprintf(stderr, "%s: %s: %s (%s)\n", argv[0], argv[1], strerror(-err),
			xnvme_dev_open_err_msg());
		return 1;
	}
	for (int i = 0; i < list.n; ++i) {
		printf("%s %s\n", list.item[i].sync ? "sync" : "async", list.item[i].id);
	}
	return 0;
}
