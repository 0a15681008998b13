/* SPDX-License-Identifier: BSD-3-Clause */
/** Internal: what the spec printers share. */
#ifndef __XNVME_SPEC_PP_INTERNAL_H
#define __XNVME_SPEC_PP_INTERNAL_H

#include <stdio.h>
#include <stdint.h>

/** A 128-bit little-endian counter (SMART, capacities): decimal when it fits 64 bits, else hex */
int xnvme_spec_pp_u128(FILE *stream, const char *key, const uint8_t *bytes);

#endif
