/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A test's scratch file and the watchdog of its rounds: a round arms alarm() and names itself in
 * g_tag; a poke, wait or drain that hangs then fails the test with that name rather than running
 * into the test runner's timeout. The scratch file (g_path, empty: none) is removed on that failure
 * and, once cleanup() is registered with atexit(), on every exit.
 */
#ifndef __XNVME_TEST_ROUND_WATCHDOG_H
#define __XNVME_TEST_ROUND_WATCHDOG_H

#include <string.h>
#include <unistd.h>

static char g_path[4096];
static const char *volatile g_tag = "setup";

/* The SIGALRM handler: async-signal-safe calls only */
static void
on_alarm(int sig)
{
	static const char head[] = "FAIL: ", tail[] = ": hung (round not done in time)\n";
	const char *tag = g_tag;

	(void)sig;
	if (write(2, head, sizeof(head) - 1) < 0 || write(2, tag, strlen(tag)) < 0 ||
	    write(2, tail, sizeof(tail) - 1) < 0) {
		/* nothing more can be said */
	}
	if (g_path[0]) {
		unlink(g_path);
	}
	_exit(1);
}

static void
cleanup(void)
{
	if (g_path[0]) {
		unlink(g_path);
	}
}

#endif
