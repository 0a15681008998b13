/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Options for xnvme_dev_open(): which backend and interfaces to use, how to open, and settings of
 * the user-space drivers.
 */
#ifndef __LIBXNVME_OPTS_H
#define __LIBXNVME_OPTS_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Command-set selection for controller setup by the user-space drivers */
struct xnvme_opts_css {
	uint32_t value;
	uint32_t given;
};

/**
 * Options given to xnvme_dev_open(). Strings are borrowed for the duration of the call; names of
 * interfaces left NULL are picked per device (see docs/backends.md). After the open,
 * xnvme_dev_get_opts() returns the options in effect, with the names that were picked.
 */
struct xnvme_opts {
	const char *be;   ///< Backend: linux, ramdisk, ... (NULL: first that claims the device)
	const char *dev;  ///< Device manager / enumerator interface
	const char *mem;  ///< Buffer allocator interface
	const char *sync; ///< Synchronous command interface: psync, nvme, block, ...
	const char
	    *async; ///< Asynchronous command interface: io_uring, libaio, thrpool, emu, posix, nil
	const char *admin;        ///< Admin command interface: nvme, block, file_as_ns
	uint32_t nsid;            ///< Namespace identifier; 0 means: the device's own / the default
	uint8_t rdonly;           ///< Open for reading only
	uint8_t wronly;           ///< Open for writing only
	uint8_t rdwr;             ///< Open for reading and writing (the default)
	uint8_t create;           ///< Create the file when it does not exist
	uint8_t truncate;         ///< Truncate the file on open
	uint8_t direct;           ///< Bypass the OS page cache (O_DIRECT)
	uint32_t create_mode;     ///< File mode on create (default 0600)
	uint8_t poll_io;          ///< io_uring: completion polling (IORING_SETUP_IOPOLL)
	uint8_t poll_sq;          ///< io_uring: kernel submission thread (IORING_SETUP_SQPOLL)
	uint8_t register_files;   ///< io_uring: register the file descriptor
	uint8_t register_buffers; ///< Linux io_uring/io_uring_cmd: fixed buffers (mem "arena")
	struct xnvme_opts_css css; ///< User-space driver: command-set selection
	uint32_t use_cmb_sqs;      ///< User-space driver: submission queues in the CMB
	uint32_t shm_id;           ///< Multi-process: shared memory id
	uint32_t main_core;        ///< Multi-process: main core
	const char *core_mask;     ///< Multi-process: core mask
	const char *adrfam;        ///< Fabrics: address family (IPv4, IPv6)
	const char *subnqn;        ///< Fabrics: subsystem NQN
	const char *hostnqn;       ///< Fabrics: host NQN
	uint32_t admin_timeout;    ///< Admin command timeout in seconds
	uint32_t command_timeout;  ///< I/O command timeout in seconds
	uint32_t spdk_fabrics;     ///< Set by the backend when the device is reached over fabrics
	uint32_t keep_alive_timeout_ms; ///< Fabrics: keep-alive timeout
};

/** Fills @p opts with the defaults: rdwr=1, nsid=1, timeouts 60 s (admin) and 30 s (I/O). */
void xnvme_opts_set_defaults(struct xnvme_opts *opts);

/** Returns an options struct with the defaults of xnvme_opts_set_defaults(). */
struct xnvme_opts xnvme_opts_default(void);

/** Prints @p opts as YAML to @p stream; returns the number of characters written. */
int xnvme_opts_fpr(FILE *stream, const struct xnvme_opts *opts, int pr_opts);

/** Prints @p opts as YAML to stdout; returns the number of characters written. */
int xnvme_opts_pr(const struct xnvme_opts *opts, int pr_opts);

#ifdef __cplusplus
}
#endif

#endif
