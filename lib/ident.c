/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <libxnvme.h>
#include "xnvme_be.h"

/* A PCI address: DDDD:BB:DD.F, hexadecimal, as lspci -D prints it. */
static int
ident_is_pci_addr(const char *uri)
{
	static const char pattern[] = "xxxx:xx:xx.x";

	if (strlen(uri) != sizeof(pattern) - 1) {
		return 0;
	}
	for (size_t i = 0; pattern[i]; ++i) {
		if (pattern[i] == 'x' ? !isxdigit((unsigned char)uri[i]) : uri[i] != pattern[i]) {
			return 0;
		}
	}
	return 1;
}

/*
 * "NAME:..." where NAME is a compiled-in backend's name or alias, as a URI's scheme: that
 * backend's own syntax, which its dev_open parses; the core looks no further (a host of that name
 * is reached by its address). Which backends exist is the registry's to say, not this file's.
 */
static int
ident_is_be_scheme(const char *uri)
{
	const char *colon = strchr(uri, ':');
	size_t len = colon ? (size_t)(colon - uri) : 0;
	char name[32];

	if (!len || len >= sizeof(name)) {
		return 0;
	}
	memcpy(name, uri, len);
	name[len] = '\0';
	return xnvme_be_by_name(name) != NULL;
}

/*
 * A fabrics address: host:port, [ipv6]:port. Returns 1 when @p uri has that shape with a valid
 * port, 0 when it does not look like one at all, -EINVAL when it looks like one but is broken
 * (empty host, port 0 or over 65535, unclosed bracket).
 */
static int
ident_fabrics_addr(const char *uri)
{
	const char *colon = strrchr(uri, ':');
	const char *port = colon ? colon + 1 : NULL;
	unsigned long val = 0;

	if (strchr(uri, '/') || strchr(uri, '\\') || !colon) {
		return 0; /* a path (Windows': \\.\C:, C:\x) */
	}
	if (uri[0] == '[') {
		const char *close = strchr(uri, ']');

		if (!close || close + 1 != colon || close == uri + 1) {
			return -EINVAL;
		}
	}
	if (!*port) {
		return strchr(uri, ':') == colon ? -EINVAL : 0;
	}
	for (const char *c = port; *c; ++c) {
		if (!isdigit((unsigned char)*c)) {
			return 0; /* not a port: some backend's own form */
		}
		val = val * 10 + (unsigned long)(*c - '0');
		if (val > 65535) {
			return -EINVAL;
		}
	}
	if (!val || colon == uri) {
		return -EINVAL;
	}
	return 1;
}

int
xnvme_ident_from_uri(const char *uri, struct xnvme_ident *ident)
{
	size_t len;

	if (!uri || !ident) {
		return -EINVAL;
	}
	len = strlen(uri);
	if (!len || len >= sizeof(ident->uri)) {
		return -EINVAL;
	}
	for (size_t i = 0; i < len; ++i) {
		if (!isprint((unsigned char)uri[i])) {
			return -EINVAL;
		}
	}

	memset(ident, 0, sizeof(*ident));
	memcpy(ident->uri, uri, len);
	ident->csi = XNVME_SPEC_CSI_NOCHECK;

	/* A PCI address names a controller; what the backend finds decides the rest. */
	if (ident_is_pci_addr(uri)) {
		ident->dtype = XNVME_DEV_TYPE_NVME_CONTROLLER;
		return 0;
	}
	if (ident_is_be_scheme(uri)) {
		return 0;
	}
	/* A fabrics address also names a controller (of a remote subsystem) */
	switch (ident_fabrics_addr(uri)) {
	case 1:
		ident->dtype = XNVME_DEV_TYPE_NVME_CONTROLLER;
		return 0;
	case 0:
		return 0;
	default:
		memset(ident, 0, sizeof(*ident));
		return -EINVAL;
	}
}
