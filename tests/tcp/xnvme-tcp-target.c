// SPDX-License-Identifier: BSD-3-Clause
/*
 * xnvme-tcp-target: the test target (tcp_target.h) as a program, for scripts that point fio
 * or the project's tools at it. Prints "port N subnqn NQN" on stdout once listening, then
 * serves until SIGTERM or SIGINT.
 *
 *   xnvme-tcp-target [--addr A.B.C.D] [--port N] SPEC
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tcp_target.h"

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--addr A.B.C.D] [--port N] SPEC\n"
		"  SPEC: a ramdisk spec with target keys, e.g. 64MiB,lbads=4096,subnqn=nqn.x:y\n"
		"  (tests/tcp/tcp_target.h lists them). Runs until SIGTERM.\n",
		prog);
}

int
main(int argc, char **argv)
{
	const char *addr = "127.0.0.1", *spec = NULL;
	struct tcp_target *target;
	unsigned long port = 0;
	sigset_t set;
	int sig, err;

	for (int i = 1; i < argc; ++i) {
		if (!strcmp(argv[i], "--addr") && i + 1 < argc) {
			addr = argv[++i];
		} else if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			char *end;

			errno = 0;
			port = strtoul(argv[++i], &end, 10);
			if (errno || *end || port > 65535) {
				usage(argv[0]);
				return 2;
			}
		} else if (!spec && argv[i][0] != '-') {
			spec = argv[i];
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	if (!spec) {
		usage(argv[0]);
		return 2;
	}
	/* Signals are taken synchronously below, never by a handler in a target thread */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	err = tcp_target_start_at(spec, addr, (uint16_t)port, &target);
	if (err) {
		fprintf(stderr, "xnvme-tcp-target: cannot start: %s\n", strerror(-err));
		return 1;
	}
	printf("port %u subnqn %s\n", tcp_target_port(target), tcp_target_subnqn(target));
	fflush(stdout);
	sigwait(&set, &sig);
	tcp_target_free(target);
	return 0;
}
