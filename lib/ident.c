/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <libxnvme.h>

/* A PCI address: DDDD:BB:DD.F, hexadecimal, as lspci -D prints it. */
static int ident_is_pci_addr(const char *uri)
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

int xnvme_ident_from_uri(const char *uri, struct xnvme_ident *ident)
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
	}
	return 0;
}
