/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * libxnvme: one C API to NVMe devices and files, whatever path the commands take.
 *
 * This umbrella header includes every public header. See docs/ for the user guide.
 */
#ifndef __LIBXNVME_H
#define __LIBXNVME_H

/*
 * The C headers xNVMe 0.7.5's umbrella header brings in: programs written for it use their
 * declarations (PRIu64, memset, malloc, struct stat, struct iovec, clock_gettime) without
 * including them themselves.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <libxnvme_util.h>
#include <libxnvme_pp.h>
#include <libxnvme_spec.h>
#include <libxnvme_spec_fs.h>
#include <libxnvme_spec_pp.h>
#include <libxnvme_opts.h>
#include <libxnvme_ident.h>
#include <libxnvme_geo.h>
#include <libxnvme_dev.h>
#include <libxnvme_be.h>
#include <libxnvme_buf.h>
#include <libxnvme_mem.h>
#include <libxnvme_queue.h>
#include <libxnvme_cmd.h>
#include <libxnvme_lba.h>
#include <libxnvme_nvm.h>
#include <libxnvme_znd.h>
#include <libxnvme_kvs.h>
#include <libxnvme_adm.h>
#include <libxnvme_file.h>
#include <libxnvme_topology.h>
#include <libxnvme_libconf.h>
#include <libxnvme_ver.h>
#include <libxnvme_pi.h>
#include <libxnvme_cli.h>

#endif
