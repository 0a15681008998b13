/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVMe/TCP identifiers (lib/be/tcp/tcp.c, tcp_target_parse): HOST:PORT, [IPV6]:PORT and
 * nvme+tcp:// URIs with their subsystem, port and digest; what is not TCP's (-ENODEV) and what is
 * broken (-EINVAL); the subsystem from the options over the URI's; the digest from the
 * environment; the host NQN and host id: given, or derived and the same every time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxnvme.h>
#include "xnvme_be_tcp.h"
#include "check.h"

static int
parse(const char *uri, const char *subnqn, struct tcp_target *t)
{
	struct xnvme_opts opts = xnvme_opts_default();

	opts.subnqn = subnqn;
	return tcp_target_parse(uri, &opts, t);
}

int
main(void)
{
	struct tcp_target t, again;
	struct xnvme_opts opts = xnvme_opts_default();
	static const char *const not_tcp[] = {"/dev/nvme0n1", "ramdisk:1GiB", "pcie-model:64MiB",
					      "0000:03:00.0", "file.img",     "fe80::1"};
	static const char *const broken[] = {"nvme+tcp://",
					     "nvme+tcp://host:0/nqn",
					     "nvme+tcp://host:70000/nqn",
					     "nvme+tcp://[::1/nqn",
					     "nvme+tcp://h/nqn?digest=some",
					     "nvme+tcp://h/nqn?other=1",
					     "[::1]",
					     "host:"};

	unsetenv("XNVME_TCP_DIGEST");
	CHECK(!parse("10.1.2.3:4421", "nqn.a:b", &t) && !strcmp(t.host, "10.1.2.3") &&
		  !strcmp(t.port, "4421") && !strcmp(t.subnqn, "nqn.a:b") && !t.hdgst && !t.ddgst,
	      "HOST:PORT with opts.subnqn");
	CHECK(!parse("[fd00::7]:4420", NULL, &t) && !strcmp(t.host, "fd00::7") &&
		  !strcmp(t.port, "4420") && !t.subnqn[0],
	      "[IPV6]:PORT: the host without brackets; no subsystem given");
	CHECK(
	    !parse("nvme+tcp://storage.example:4430/nqn.2026-01.io.x:ssd1?digest=both", NULL, &t) &&
		!strcmp(t.host, "storage.example") && !strcmp(t.port, "4430") &&
		!strcmp(t.subnqn, "nqn.2026-01.io.x:ssd1") && t.hdgst && t.ddgst,
	    "URI: host, port, subsystem, digests");
	CHECK(!parse("nvme+tcp://10.0.0.9/nqn.x:y/", NULL, &t) && !strcmp(t.port, "4420") &&
		  !strcmp(t.subnqn, "nqn.x:y"),
	      "URI without a port: 4420; a trailing slash is not part of the NQN");
	CHECK(!parse("nvme+tcp://[::1]:4999/nqn.x:z?digest=header", NULL, &t) &&
		  !strcmp(t.host, "::1") && !strcmp(t.port, "4999") && t.hdgst && !t.ddgst,
	      "URI with an IPv6 address, header digests only");
	CHECK(!parse("nvme+tcp://h:1/nqn.uri:a", "nqn.opts:b", &t) &&
		  !strcmp(t.subnqn, "nqn.opts:b"),
	      "opts.subnqn wins over the URI's");
	for (size_t i = 0; i < sizeof(not_tcp) / sizeof(not_tcp[0]); ++i) {
		int err = parse(not_tcp[i], NULL, &t);

		CHECK(err == -ENODEV, "'%s' is not TCP's: -ENODEV (%d)", not_tcp[i], err);
	}
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); ++i) {
		int err = parse(broken[i], NULL, &t);

		CHECK(err == -EINVAL, "'%s' is broken: -EINVAL (%d)", broken[i], err);
	}
	CHECK(!parse("nvme+tcp://h:1/nqn.s:1?digest=data&hostnqn=nqn.h:7&hostid="
		     "00112233-4455-6677-8899-aabbccddeeff",
		     NULL, &t) &&
		  !t.hdgst && t.ddgst && !strcmp(t.hostnqn, "nqn.h:7") && t.hostid[0] == 0x00 &&
		  t.hostid[1] == 0x11 && t.hostid[15] == 0xff,
	      "URI query: digest, hostnqn and hostid together");
	CHECK(parse("nvme+tcp://h:1/nqn.s:1?hostid=00112233", NULL, &t) == -EINVAL,
	      "URI query: a short hostid: -EINVAL");
	CHECK(parse("nvme+tcp://h:1/nqn.s:1?digest=both&", NULL, &t) == 0 && t.hdgst,
	      "URI query: a trailing '&' is fine");
	CHECK(parse("nvme+tcp://h:1/nqn.s:1?digest", NULL, &t) == -EINVAL,
	      "URI query: a key without '=': -EINVAL");
	setenv("XNVME_TCP_DIGEST", "data", 1);
	CHECK(!parse("h:4420", NULL, &t) && !t.hdgst && t.ddgst, "XNVME_TCP_DIGEST=data");
	setenv("XNVME_TCP_DIGEST", "all", 1);
	CHECK(parse("h:4420", NULL, &t) == -EINVAL, "XNVME_TCP_DIGEST=all: -EINVAL");
	unsetenv("XNVME_TCP_DIGEST");

	opts.hostnqn = "nqn.2014-08.org.example:host7";
	CHECK(!tcp_target_parse("h:4420", &opts, &t) && !strcmp(t.hostnqn, opts.hostnqn),
	      "opts.hostnqn is the host NQN");
	CHECK(!parse("h:4420", NULL, &t) && !parse("h:4420", NULL, &again) && t.hostnqn[0] &&
		  !strcmp(t.hostnqn, again.hostnqn) && !memcmp(t.hostid, again.hostid, 16) &&
		  !strncmp(t.hostnqn, "nqn.", 4),
	      "the default host NQN '%s' is the same every time, and so is the host id", t.hostnqn);
	printf("%d failed\n", g_nfail);
	return g_nfail ? 1 : 0;
}
