/* SPDX-License-Identifier: BSD-3-Clause */
/* Converts YAML on stdin with the CLI layer's --output json converter; exit 1 when it refuses */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"

int
main(void)
{
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);

	while (buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *grown = realloc(buf, cap * 2);

			if (!grown) {
				free(buf);
				return 1;
			}
			buf = grown;
			cap *= 2;
		}
	}
	if (!buf) {
		return 1;
	}
	buf[len] = '\0';
	n = (size_t)cli_yaml_to_json(buf, stdout);
	free(buf);
	return n ? 1 : 0;
}
