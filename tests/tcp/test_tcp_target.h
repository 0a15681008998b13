/* SPDX-License-Identifier: BSD-3-Clause */
/* The test target's scenarios (test_tcp_target*.c): each returns its failed checks */
#ifndef __TEST_TCP_TARGET_H
#define __TEST_TCP_TARGET_H

#include <stdint.h>
#include <libxnvme.h>
#include "tcp_rawhost.h"
#include "tcp_target.h"

/** A target for @p spec, or the test ends (exit 1) */
struct tcp_target *tt_test_start(const char *spec);
/** Identify (@p cns, @p nsid) into @p buf (4096 bytes) by C2HData */
int admin_idfy(struct rh *h, uint8_t cns, uint32_t nsid, uint8_t *buf, struct xnvme_spec_cpl *cpl);
/** A pattern of @p seed */
void fill(uint8_t *buf, size_t len, uint32_t seed);

int test_connect(void);
int test_spec(void);
int test_success(void);
int test_kato(void);
int test_stop(void);
int test_errors(void);
int test_faults(void);
int test_garbage(void);

#endif
