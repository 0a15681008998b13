// SPDX-License-Identifier: BSD-3-Clause
// The public headers from C++: the umbrella compiles, and the inline helpers link.
#include <libxnvme.h>

int
main()
{
	struct xnvme_spec_idfy_ns ns = {};

	ns.flbas = 0x21; // index 1 in bits 3:0, index bits 5:4 in 6:5 -> 0x11
	return xnvme_spec_idfy_ns_flbas_idx(&ns) == 0x11 && xnvme_is_pow2(4096) &&
			       !xnvme_is_pow2(3) && xnvme_ilog2(4096) == 12
		       ? 0
		       : 1;
}
