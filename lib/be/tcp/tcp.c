// SPDX-License-Identifier: BSD-3-Clause
/*
 * Backend "tcp" (alias "spdk": xNVMe 0.7.5's spdk backend takes fabrics addresses too): NVMe over
 * TCP from user space. Identifiers, device open/close on a shared controller object
 * (tcp_ctrl.c), and enumeration through a discovery controller.
 *
 * Identifiers: "HOST:PORT", "[IPV6]:PORT" with the subsystem in opts->subnqn (the tools'
 * --subnqn), or "nvme+tcp://HOST[:PORT][/SUBNQN][?KEY=VALUE&...]" with keys digest, hostnqn and
 * hostid. The host NQN: opts->hostnqn, else the URI's, else /etc/nvme/hostnqn, else derived from
 * the host id; the host id: the URI's, else /etc/nvme/hostid (as nvme-cli keeps them), else
 * derived from /etc/machine-id (stable per host). Digests: "digest=none|header|data|both" in the
 * URI, else XNVME_TCP_DIGEST, else none.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_be_common.h"
#include "xnvme_be_tcp.h"

#define TCP_URI_SCHEME   "nvme+tcp://"
#define ADM_IDENTIFY     0x06
#define ADM_GET_LOG      0x02
#define LOG_DISCOVERY    0x70
#define DISC_ENTRY_LEN   1024
#define DISC_TRTYPE_TCP  3
#define DISC_SUBTYPE_NVM 2

/* ---------------------------------------------------------------------------------------- */
/* Identifiers                                                                               */
/* ---------------------------------------------------------------------------------------- */

static int
read_line(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");
	char *nl;

	if (!fp) {
		return -errno;
	}
	if (!fgets(buf, (int)len, fp)) {
		fclose(fp);
		return -ENODATA;
	}
	fclose(fp);
	nl = strpbrk(buf, "\r\n");
	if (nl) {
		*nl = '\0';
	}
	return buf[0] ? 0 : -ENODATA;
}

/* 16 bytes of a UUID's 32 hex digits (dashes skipped); 0 or -EINVAL */
static int
uuid_parse(const char *s, uint8_t out[16])
{
	int n = 0;

	for (; *s && n < 32; ++s) {
		int v;

		if (*s == '-') {
			continue;
		}
		if (!isxdigit((unsigned char)*s)) {
			return -EINVAL;
		}
		v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		out[n / 2] = (uint8_t)(n % 2 ? out[n / 2] | v : v << 4);
		n++;
	}
	return n == 32 ? 0 : -EINVAL;
}

/*
 * The host's identity: /etc/nvme's files when they exist (what the kernel's initiator and
 * nvme-cli use), else a UUID from the machine id, marked as a version 4 / RFC 4122 variant
 */
static void
host_identity(const struct xnvme_opts *opts, struct tcp_target *t)
{
	char line[TCP_NQN_LEN];
	uint8_t *id = t->hostid;

	if (!t->hostid_given &&
	    (read_line("/etc/nvme/hostid", line, sizeof(line)) || uuid_parse(line, id))) {
		memset(id, 0, 16);
		if (!read_line("/etc/machine-id", line, sizeof(line))) {
			uuid_parse(line, id);
		}
		id[6] = (uint8_t)((id[6] & 0x0F) | 0x40);
		id[8] = (uint8_t)((id[8] & 0x3F) | 0x80);
	}
	if (opts && opts->hostnqn && opts->hostnqn[0]) {
		snprintf(t->hostnqn, sizeof(t->hostnqn), "%s", opts->hostnqn);
	} else if (!t->hostnqn[0] &&
		   read_line("/etc/nvme/hostnqn", t->hostnqn, sizeof(t->hostnqn))) {
		snprintf(t->hostnqn, sizeof(t->hostnqn),
			 "nqn.2014-08.org.nvmexpress:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x-%02x%02x%02x%02x%02x%02x",
			 id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9],
			 id[10], id[11], id[12], id[13], id[14], id[15]);
	}
}

static int
digest_parse(const char *val, struct tcp_target *t)
{
	if (!strcmp(val, "none")) {
		t->hdgst = t->ddgst = 0;
	} else if (!strcmp(val, "header")) {
		t->hdgst = 1;
	} else if (!strcmp(val, "data")) {
		t->ddgst = 1;
	} else if (!strcmp(val, "both")) {
		t->hdgst = t->ddgst = 1;
	} else {
		return -EINVAL;
	}
	return 0;
}

/* "HOST:PORT" or "[V6]:PORT" (@p end: where the address ends); 0, -ENODEV, -EINVAL */
static int
addr_parse(const char *s, const char *end, int port_optional, struct tcp_target *t)
{
	const char *host = s, *host_end, *port = NULL;
	size_t hlen, plen;

	if (*s == '[') {
		host = s + 1;
		host_end = memchr(host, ']', (size_t)(end - host));
		if (!host_end) {
			return -EINVAL;
		}
		port = host_end + 1 < end && host_end[1] == ':' ? host_end + 2 : NULL;
		if (!port && host_end + 1 != end) {
			return -EINVAL;
		}
	} else {
		const char *colon = memchr(s, ':', (size_t)(end - s));

		host_end = colon ? colon : end;
		port = colon ? colon + 1 : NULL;
		if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1))) {
			return -ENODEV; /* a bare IPv6 address, or not an address at all */
		}
	}
	hlen = (size_t)(host_end - host);
	plen = port ? (size_t)(end - port) : 0;
	if (!hlen || hlen >= sizeof(t->host) || (!port && !port_optional) || (port && !plen) ||
	    plen >= sizeof(t->port)) {
		return -EINVAL;
	}
	memcpy(t->host, host, hlen);
	t->host[hlen] = '\0';
	if (port) {
		unsigned long v = 0;

		for (size_t i = 0; i < plen; ++i) {
			if (!isdigit((unsigned char)port[i])) {
				return -ENODEV;
			}
			v = v * 10 + (unsigned long)(port[i] - '0');
			if (v > 65535) {
				return -EINVAL;
			}
		}
		if (!v) {
			return -EINVAL;
		}
		memcpy(t->port, port, plen);
		t->port[plen] = '\0';
	} else {
		snprintf(t->port, sizeof(t->port), "%d", TCP_DEFAULT_PORT);
	}
	return 0;
}

/* The URI's query: KEY=VALUE pairs joined by '&': digest, hostnqn, hostid; 0 or -EINVAL */
static int
query_parse(const char *q, struct tcp_target *t)
{
	while (*q) {
		const char *amp = strchr(q, '&'), *eq = strchr(q, '=');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		char val[TCP_NQN_LEN];
		size_t vlen;

		if (!eq || eq > q + len) {
			return -EINVAL;
		}
		vlen = len - (size_t)(eq + 1 - q);
		if (vlen >= sizeof(val)) {
			return -EINVAL;
		}
		memcpy(val, eq + 1, vlen);
		val[vlen] = '\0';
		if (eq - q == 6 && !strncmp(q, "digest", 6)) {
			if (digest_parse(val, t)) {
				return -EINVAL;
			}
		} else if (eq - q == 7 && !strncmp(q, "hostnqn", 7) && vlen) {
			memcpy(t->hostnqn, val, vlen + 1);
		} else if (eq - q == 6 && !strncmp(q, "hostid", 6)) {
			if (uuid_parse(val, t->hostid)) {
				return -EINVAL;
			}
			t->hostid_given = 1;
		} else {
			return -EINVAL;
		}
		q += len + (amp ? 1 : 0);
	}
	return 0;
}

static int
uri_parse(const char *uri, struct tcp_target *t)
{
	const char *s = uri + strlen(TCP_URI_SCHEME);
	const char *slash = strchr(s, '/'), *query = strchr(s, '?');
	const char *addr_end = slash ? slash : query ? query : s + strlen(s);
	int err = addr_parse(s, addr_end, 1, t);

	if (err) {
		return err == -ENODEV ? -EINVAL : err;
	}
	if (slash && (!query || slash < query)) {
		const char *nqn = slash + 1, *nqn_end = query ? query : nqn + strlen(nqn);
		size_t len = (size_t)(nqn_end - nqn);

		len = len && nqn[len - 1] == '/' ? len - 1 : len;
		if (len >= sizeof(t->subnqn)) {
			return -EINVAL;
		}
		memcpy(t->subnqn, nqn, len);
		t->subnqn[len] = '\0';
	}
	return query ? query_parse(query + 1, t) : 0;
}

int
tcp_target_parse(const char *uri, const struct xnvme_opts *opts, struct tcp_target *t)
{
	const char *env = getenv("XNVME_TCP_DIGEST");
	int err;

	memset(t, 0, sizeof(*t));
	if (env && digest_parse(env, t)) {
		xnvme_be_open_err_add("tcp", "XNVME_TCP_DIGEST: none, header, data or both",
				      -EINVAL);
		return -EINVAL;
	}
	if (!strncmp(uri, TCP_URI_SCHEME, strlen(TCP_URI_SCHEME))) {
		err = uri_parse(uri, t);
		if (err) {
			xnvme_be_open_err_add("tcp",
					      "nvme+tcp://HOST[:PORT][/SUBNQN][?digest=none|header|"
					      "data|both&hostnqn=NQN&hostid=UUID]",
					      err);
			return err;
		}
	} else {
		/* Not HOST:PORT (a path, another backend's NAME:...): not ours */
		if (strchr(uri, '/') || !strchr(uri, ':')) {
			return -ENODEV;
		}
		err = addr_parse(uri, uri + strlen(uri), 0, t);
		if (err) {
			return err;
		}
	}
	if (opts && opts->subnqn && opts->subnqn[0]) {
		if (strlen(opts->subnqn) >= sizeof(t->subnqn)) {
			return -EINVAL;
		}
		snprintf(t->subnqn, sizeof(t->subnqn), "%s", opts->subnqn);
	}
	host_identity(opts, t);
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Devices                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* The first active NSID above @p after (0: none), on the admin connection */
static int
tcp_ns_next(struct xnvme_ctrl *xctrl, uint32_t after, uint32_t *next)
{
	struct xnvme_cmd_ctx ctx = {0};
	uint32_t *list = calloc(1, 4096);
	int err;

	*next = 0;
	if (!list) {
		return -ENOMEM;
	}
	ctx.cmd.common.opcode = ADM_IDENTIFY;
	ctx.cmd.common.nsid = after;
	ctx.cmd.common.ndt = 0x02; /* CNS 02h: active NSIDs above NSID */
	pthread_mutex_lock(&xctrl->admin_lock);
	err = tcp_ctrl_admin_locked(xctrl->state, &ctx, list, 4096);
	pthread_mutex_unlock(&xctrl->admin_lock);
	if (!err && list[0] > after && list[0] < 0xFFFFFFFEu) {
		*next = list[0];
	}
	free(list);
	return err;
}

/*
 * The controller object's key: one association per address, subsystem, host and digests. What
 * does not fit the key's length is told apart by a 64-bit FNV-1a hash of all of it.
 */
static void
ctrl_key(const struct tcp_target *t, char *key, size_t len)
{
	char full[1024];
	uint64_t hash = 0xcbf29ce484222325ULL;
	int n = snprintf(full, sizeof(full), "%s|%s|%s|%s|%d%d", t->host, t->port, t->subnqn,
			 t->hostnqn, t->hdgst, t->ddgst);

	if (n >= 0 && (size_t)n < len) {
		memcpy(key, full, (size_t)n + 1);
		return;
	}
	for (const char *c = full; *c; ++c) {
		hash = (hash ^ (uint8_t)*c) * 0x100000001b3ULL;
	}
	snprintf(key, len, "%.200s|%016llx", full, (unsigned long long)hash);
}

static int
tcp_dev_open(struct xnvme_dev *dev, struct xnvme_be_defaults *defaults)
{
	struct tcp_dev_state *st;
	struct tcp_target t;
	char key[XNVME_CTRL_KEY_LEN];
	uint32_t nsid = dev->ident.nsid, first = 0;
	int err = tcp_target_parse(dev->ident.uri, &dev->opts, &t);

	if (err) {
		return err;
	}
	if (!t.subnqn[0]) {
		xnvme_be_open_err_add("tcp",
				      "no subsystem NQN: --subnqn NQN (opts.subnqn), or "
				      "nvme+tcp://HOST:PORT/NQN",
				      -EINVAL);
		return -EINVAL;
	}
	if (!strcmp(t.subnqn, TCP_DISCOVERY_NQN)) {
		xnvme_be_open_err_add(
		    "tcp",
		    "the discovery controller has no namespaces: `xnvme enum --uri "
		    "HOST:PORT` lists its subsystems",
		    -EINVAL);
		return -EINVAL;
	}
	ctrl_key(&t, key, sizeof(key));
	err = xnvme_ctrl_open(dev, &tcp_ctrl_ops, key, &t);
	if (err) {
		return err;
	}
	err = tcp_ns_next(dev->ctrl, nsid ? nsid - 1 : 0, &first);
	if (!err && (!first || (nsid && first != nsid))) {
		err = -ENXIO;
	}
	if (err) {
		xnvme_be_open_err_add("tcp",
				      err == -ENXIO
					  ? "the namespace is not active on the controller"
					  : "identify (active namespaces)",
				      err);
		return err;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		return -ENOMEM;
	}
	pthread_mutex_init(&st->lock, NULL);
	dev->be_state = st;
	dev->fd = -1;
	dev->ident.nsid = first;
	dev->ident.dtype = XNVME_DEV_TYPE_NVME_NAMESPACE;
	snprintf(dev->ident.subnqn, sizeof(dev->ident.subnqn), "%s", t.subnqn);
	dev->be_max_xfer_nbytes = ((struct tcp_ctrl *)dev->ctrl->state)->max_xfer;
	dev->opts.direct = 0; /* no page cache in the path */
	dev->opts.spdk_fabrics = 1;
	defaults->admin = "nvme";
	defaults->sync = "nvme";
	defaults->async = "nvme";
	defaults->mem = "posix";
	return 0;
}

static void
tcp_dev_close(struct xnvme_dev *dev)
{
	struct tcp_dev_state *st = dev->be_state;

	if (!st) {
		return;
	}
	if (st->sync_ready) {
		tcp_ctrl_io_close(dev->ctrl->state, &st->sync);
	}
	pthread_mutex_destroy(&st->lock);
	free(st);
	dev->be_state = NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Discovery                                                                                 */
/* ---------------------------------------------------------------------------------------- */

/* The discovery log page of the controller at @p t, all of it: *log (free()) and *numrec */
static int
discovery_log(struct tcp_target *t, int timeout_ms, uint8_t **log, uint64_t *numrec)
{
	struct tcp_conn c;
	char why[512] = "";
	uint16_t cntlid;
	uint64_t cc = 1 | (6u << 16) | (4u << 20), csts = 0;
	size_t len = 4096;
	int err;

	*log = NULL;
	err = tcp_conn_open(&c, t, 0, TCP_ADMIN_DEPTH, timeout_ms, why, sizeof(why));
	if (err) {
		xnvme_be_open_err_add("tcp", why, err);
		return err;
	}
	c.timeout_ns = (uint64_t)timeout_ms * 1000000ULL;
	err = tcp_fabrics_connect(&c, t, 0xFFFF, 0, &cntlid, why, sizeof(why));
	err = err ? err : tcp_fabrics_prop_set(&c, 0x14, 4, cc);
	for (int i = 0; !err && !(csts & 1) && i < 200; ++i) {
		err = tcp_fabrics_prop_get(&c, 0x1C, 4, &csts);
	}
	for (int pass = 0; !err && pass < 2; ++pass) {
		struct xnvme_cmd_ctx ctx = {0};
		struct iovec iov;
		uint32_t numd;

		free(*log);
		*log = calloc(1, len);
		if (!*log) {
			err = -ENOMEM;
			break;
		}
		numd = (uint32_t)(len / 4 - 1);
		iov.iov_base = *log;
		iov.iov_len = len;
		ctx.cmd.common.opcode = ADM_GET_LOG;
		ctx.cmd.common.ndt = LOG_DISCOVERY | ((numd & 0xFFFF) << 16);
		ctx.cmd.common.ndm = numd >> 16;
		err = tcp_conn_exec(&c, &ctx, &iov, 1, len);
		memcpy(numrec, *log + 8, sizeof(*numrec));
		if (*numrec > 1024) {
			err = err ? err : -EPROTO;
		}
		if (!err && (size_t)(*numrec + 1) * DISC_ENTRY_LEN <= len) {
			break;
		}
		len = (size_t)(*numrec + 1) * DISC_ENTRY_LEN;
	}
	tcp_conn_close(&c);
	if (err) {
		free(*log);
		*log = NULL;
	}
	return err;
}

/*
 * Each namespace of the subsystem of discovery entry @p e, opened and given to @p cb. An entry
 * whose address is a wildcard (0.0.0.0, ::) or cannot be reached (the target's own view of its
 * address, behind NAT or a forwarded port) is tried where the discovery controller answered,
 * @p disc: a target serves its subsystems on the port of its discovery controller, as Linux's
 * nvmet does on every port.
 */
static void
enum_subsystem(const uint8_t *e, const struct tcp_target *disc, struct xnvme_opts *opts,
	       xnvme_enumerate_cb cb, void *cb_args)
{
	struct xnvme_opts dev_opts = *opts;
	char addr[300], subnqn[TCP_NQN_LEN], traddr[257], trsvcid[33];
	struct xnvme_dev *dev, *next_dev;
	uint32_t next;

	memcpy(trsvcid, e + 32, 32);
	trsvcid[32] = '\0';
	memcpy(subnqn, e + 256, TCP_NQN_LEN - 1);
	subnqn[TCP_NQN_LEN - 1] = '\0';
	memcpy(traddr, e + 512, 256);
	traddr[256] = '\0';
	/* Fields are space padded ASCII */
	for (char *f[] = {trsvcid, traddr, subnqn}, **p = f; p < f + 3; ++p) {
		for (size_t n = strlen(*p); n && (*p)[n - 1] == ' '; --n) {
			(*p)[n - 1] = '\0';
		}
	}
	if (!traddr[0] || !strcmp(traddr, "0.0.0.0") || !strcmp(traddr, "::")) {
		snprintf(traddr, sizeof(traddr), "%s", disc->host);
		snprintf(trsvcid, sizeof(trsvcid), "%s", disc->port);
	}
	snprintf(addr, sizeof(addr), strchr(traddr, ':') ? "[%s]:%s" : "%s:%s", traddr, trsvcid);
	dev_opts.be = "tcp";
	dev_opts.subnqn = subnqn;
	dev_opts.nsid = 0;
	dev = xnvme_dev_open(addr, &dev_opts);
	if (!dev) {
		snprintf(addr, sizeof(addr), strchr(disc->host, ':') ? "[%s]:%s" : "%s:%s",
			 disc->host, disc->port);
		dev = xnvme_dev_open(addr, &dev_opts);
	}
	while (dev) {
		next_dev = NULL;
		if (!tcp_ns_next(dev->ctrl, dev->ident.nsid, &next) && next) {
			dev_opts.nsid = next;
			next_dev = xnvme_dev_open(addr, &dev_opts);
		}
		if (cb(dev, cb_args) == XNVME_ENUMERATE_DEV_CLOSE) {
			xnvme_dev_close(dev);
		}
		dev = next_dev;
	}
}

static int
tcp_enumerate(const char *sys_uri, struct xnvme_opts *opts, xnvme_enumerate_cb cb, void *cb_args)
{
	struct tcp_target t;
	uint64_t numrec = 0;
	uint8_t *log;
	int err;

	if (!sys_uri) {
		return 0; /* this host's devices are other backends' */
	}
	err = tcp_target_parse(sys_uri, opts, &t);
	if (err == -ENODEV) {
		return 0;
	}
	if (err) {
		return err;
	}
	snprintf(t.subnqn, sizeof(t.subnqn), "%s", TCP_DISCOVERY_NQN);
	err = discovery_log(&t, (int)(opts->admin_timeout ? opts->admin_timeout : 10) * 1000, &log,
			    &numrec);
	if (err) {
		return err;
	}
	for (uint64_t i = 0; i < numrec; ++i) {
		const uint8_t *e = log + (i + 1) * DISC_ENTRY_LEN;

		if (e[0] == DISC_TRTYPE_TCP && e[2] == DISC_SUBTYPE_NVM) {
			enum_subsystem(e, &t, opts, cb, cb_args);
		}
	}
	free(log);
	return 0;
}

static int
tcp_ctrlr_op(struct xnvme_dev *dev, enum xnvme_be_ctrlr_op op)
{
	(void)dev;
	return op == XNVME_BE_CTRLR_NS_RESCAN ? 0 : -ENOSYS;
}

static const struct xnvme_be_dev_ops tcp_dev = {
    .id = "tcp",
    .descr = "NVMe over TCP from user space: HOST:PORT (--subnqn) or nvme+tcp://HOST:PORT/NQN",
    .dev_open = tcp_dev_open,
    .dev_close = tcp_dev_close,
    .enumerate = tcp_enumerate,
    .ctrlr_op = tcp_ctrlr_op,
    .ctrlr_regs = NULL,
};

static const struct xnvme_be_admin_ops *const tcp_admin_list[] = {&tcp_admin_ops, NULL};
static const struct xnvme_be_sync_ops *const tcp_sync_list[] = {&tcp_sync_ops, NULL};
static const struct xnvme_be_async_ops *const tcp_async_list[] = {
    &tcp_async_ops,
    &xnvme_be_common_async_thrpool_sync,
    &xnvme_be_common_async_emu,
    &xnvme_be_common_async_nil,
    NULL,
};
static const struct xnvme_be_mem_ops *const tcp_mem_list[] = {&xnvme_be_common_mem_posix, NULL};

const struct xnvme_be xnvme_be_tcp = {
    .name = "tcp",
    .alias = "spdk",
    .dev = &tcp_dev,
    .admin = tcp_admin_list,
    .sync = tcp_sync_list,
    .async = tcp_async_list,
    .mem = tcp_mem_list,
};
