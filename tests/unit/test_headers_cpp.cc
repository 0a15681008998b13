// SPDX-License-Identifier: BSD-3-Clause
// The public headers from C++: the umbrella compiles, and the inline helpers link.
#include <libxnvme.h>

int
main()
{
	struct xnvme_spec_idfy_ns ns = {};

	ns.flbas.format = 1; // index bits 3:0 in FLBAS 3:0, bits 5:4 in FLBAS 6:5 -> 0x11
	ns.flbas.format_msb = 1;
	return xnvme_spec_idfy_ns_flbas_idx(&ns) == 0x11 && xnvme_is_pow2(4096) &&
			       !xnvme_is_pow2(3) && xnvme_ilog2(4096) == 12
		       ? 0
		       : 1;
}
