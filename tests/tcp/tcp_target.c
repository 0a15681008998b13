// SPDX-License-Identifier: BSD-3-Clause
/*
 * The test target's spec, listener, controllers and fault hooks (tcp_target.h).
 *
 * One acceptor thread; each connection gets a thread of its own (tcp_target_conn.c). Stopping
 * shuts the listening socket and every connection's socket down (their threads see EOF or an
 * error and end), then joins the threads; sockets are closed only by stop, so a descriptor
 * number is never reused under a thread that still holds it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xnvme_be_ramdisk.h>
#include "tcp_target_int.h"

#define TT_DEFAULT_SUBNQN "nqn.2026-12.io.xnvme:tcp-target"

static const struct {
	const char *name;
	uint32_t kind;
} tt_fault_names[] = {
    {"close", TT_FAULT_CLOSE},       {"stall", TT_FAULT_STALL},     {"badhlen", TT_FAULT_BADHLEN},
    {"badplen", TT_FAULT_BADPLEN},   {"badtype", TT_FAULT_BADTYPE}, {"baddatal", TT_FAULT_BADDATAL},
    {"badcccid", TT_FAULT_BADCCCID}, {"termreq", TT_FAULT_TERMREQ}, {"badhdgst", TT_FAULT_BADHDGST},
    {"badddgst", TT_FAULT_BADDDGST},
};
#define TT_NFAULT_NAMES (sizeof(tt_fault_names) / sizeof(tt_fault_names[0]))

static int
tt_refuse(const char *fmt, const char *what)
{
	fprintf(stderr, "tcp_target: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\n");
	return -EINVAL;
}

static int
tt_num(const char *str, uint32_t min, uint32_t max, uint32_t *val)
{
	unsigned int v;
	int n = 0;

	/* Decimal, at most 9 digits: every range here fits, and nothing wraps */
	if (str[0] < '0' || str[0] > '9' || sscanf(str, "%9u%n", &v, &n) != 1 || str[n] ||
	    v < min || v > max) {
		return -EINVAL;
	}
	*val = v;
	return 0;
}

/* One fault RULE: NAME@N or NAME@aN */
static int
tt_fault_rule(const char *rule, struct tt_fault *f)
{
	const char *at = strchr(rule, '@');
	unsigned long long nth;
	char *end;
	size_t i;

	for (i = 0; at && i < TT_NFAULT_NAMES; ++i) {
		if (strlen(tt_fault_names[i].name) == (size_t)(at - rule) &&
		    !strncmp(rule, tt_fault_names[i].name, (size_t)(at - rule))) {
			break;
		}
	}
	if (!at || i == TT_NFAULT_NAMES) {
		return tt_refuse("fault: '%s' is not NAME@N (close, stall, badhlen, badplen, "
				 "badtype, baddatal, badcccid, termreq, badhdgst, badddgst)",
				 rule);
	}
	f->kind = tt_fault_names[i].kind;
	f->admin = at[1] == 'a';
	at += f->admin ? 2 : 1;
	errno = 0;
	nth = (*at >= '0' && *at <= '9') ? strtoull(at, &end, 10) : 0;
	if (errno || !nth || *end) {
		return tt_refuse("fault: '%s' needs @N or @aN, N from 1", rule);
	}
	f->nth = nth;
	return 0;
}

static int
tt_fault_parse(char *val, struct tt_cfg *cfg)
{
	char *rule, *next;
	int err;

	for (rule = val; rule; rule = next) {
		next = strchr(rule, '+');
		if (next) {
			*next++ = '\0';
		}
		if (cfg->nfaults == TT_FAULT_MAX) {
			return tt_refuse("fault: more than %s rules", "8");
		}
		err = tt_fault_rule(rule, &cfg->faults[cfg->nfaults]);
		if (err) {
			return err;
		}
		cfg->nfaults++;
	}
	return 0;
}

static int
tt_dgst_mode(const char *v, uint32_t *mode)
{
	if (!strcmp(v, "off")) {
		*mode = TT_DGST_OFF;
	} else if (!strcmp(v, "on")) {
		*mode = TT_DGST_ON;
	} else if (!strcmp(v, "required")) {
		*mode = TT_DGST_REQUIRED;
	} else {
		return tt_refuse("digest mode '%s' is none of off, on, required", v);
	}
	return 0;
}

static int
tt_nqn(const char *v, char *dst)
{
	if (strlen(v) < 5 || strlen(v) >= 224 || strncmp(v, "nqn.", 4)) {
		return tt_refuse("'%s' is not an NQN (nqn...., at most 223 bytes)", v);
	}
	strcpy(dst, v);
	return 0;
}

/* One target key (@p key=@p v); 1 when @p key is not the target's */
static int
tt_key(struct tt_cfg *cfg, const char *key, char *v)
{
	static const struct {
		const char *name;
		uint32_t min, max;
		size_t off;
	} nums[] = {
	    {"ioccsz", 4, 4100, offsetof(struct tt_cfg, ioccsz)},
	    {"maxh2cdata", 4096, TT_XFER_MAX, offsetof(struct tt_cfg, maxh2cdata)},
	    {"cpda", 0, 31, offsetof(struct tt_cfg, cpda)},
	    {"r2tsize", 0, TT_XFER_MAX, offsetof(struct tt_cfg, r2tsize)},
	    {"c2hsize", 512, TT_XFER_MAX, offsetof(struct tt_cfg, c2hsize)},
	    {"mqes", 31, 1023, offsetof(struct tt_cfg, mqes)},
	};

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); ++i) {
		if (strcmp(key, nums[i].name)) {
			continue;
		}
		if (tt_num(v, nums[i].min, nums[i].max,
			   (uint32_t *)((uint8_t *)cfg + nums[i].off))) {
			return tt_refuse("%s: not a number in its range", key);
		}
		if (!strcmp(key, "maxh2cdata") && cfg->maxh2cdata % 4) {
			return tt_refuse("%s: not a multiple of 4", key);
		}
		return 0;
	}
	if (!strcmp(key, "subnqn")) {
		return tt_nqn(v, cfg->subnqn);
	}
	if (!strcmp(key, "hostnqn")) {
		return tt_nqn(v, cfg->hostnqn);
	}
	if (!strcmp(key, "hdgst")) {
		return tt_dgst_mode(v, &cfg->hdgst);
	}
	if (!strcmp(key, "ddgst")) {
		return tt_dgst_mode(v, &cfg->ddgst);
	}
	if (!strcmp(key, "success")) {
		cfg->success = !strcmp(v, "always") ? 2 : !strcmp(v, "1") ? 1 : 0;
		if (strcmp(v, "always") && strcmp(v, "1") && strcmp(v, "0")) {
			return tt_refuse("success: '%s' is none of 0, 1, always", v);
		}
		return 0;
	}
	if (!strcmp(key, "fault")) {
		return tt_fault_parse(v, cfg);
	}
	return 1;
}

/* The target's keys into @p cfg, the rest (the ramdisk's) into @p rest */
static int
tt_parse(const char *spec, struct tt_cfg *cfg, char *rest, size_t rest_len)
{
	char text[512], *tok, *next;
	int has_ms = 0, has_mset = 0;

	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->subnqn, TT_DEFAULT_SUBNQN);
	cfg->ioccsz = 260;
	cfg->maxh2cdata = 32768;
	cfg->c2hsize = 65536;
	cfg->mqes = 127;
	cfg->hdgst = cfg->ddgst = TT_DGST_ON;
	if (!spec || strlen(spec) >= sizeof(text) || strlen(spec) + 16 >= rest_len) {
		return tt_refuse("%s", "the spec is missing or too long");
	}
	strcpy(text, spec);
	rest[0] = '\0';
	for (tok = text; tok; tok = next) {
		char *eq = strchr(tok, '=');
		int err = 1;

		next = strchr(tok, ',');
		if (next) {
			*next++ = '\0';
		}
		eq = strchr(tok, '=');
		if (tok != text && eq) {
			*eq = '\0';
			err = tt_key(cfg, tok, eq + 1);
			if (err < 0) {
				return err;
			}
			has_ms |= !strcmp(tok, "ms") && strcmp(eq + 1, "0");
			has_mset |= !strcmp(tok, "mset");
			if (!strcmp(tok, "mset") && strcmp(eq + 1, "ext")) {
				return tt_refuse(
				    "mset=%s: fabrics carry metadata interleaved (ext)", eq + 1);
			}
			*eq = '=';
		}
		if (err == 1) {
			strcat(rest, tok == text ? "" : ",");
			strcat(rest, tok);
		}
	}
	if (has_ms && !has_mset) {
		strcat(rest, ",mset=ext");
	}
	return 0;
}

uint32_t
tt_fault_next(struct tcp_target *t, int admin)
{
	uint32_t kind = TT_FAULT_NONE;
	uint64_t n;

	pthread_mutex_lock(&t->lock);
	n = admin ? ++t->nadmin_cmds : ++t->nio_cmds;
	t->stats.commands++;
	for (uint32_t i = 0; i < t->cfg.nfaults; ++i) {
		if (t->cfg.faults[i].admin == !!admin && t->cfg.faults[i].nth == n) {
			kind = t->cfg.faults[i].kind;
			t->stats.faults++;
			break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return kind;
}

void
tt_count(struct tcp_target *t, uint64_t *counter)
{
	pthread_mutex_lock(&t->lock);
	(*counter)++;
	pthread_mutex_unlock(&t->lock);
}

struct tt_ctrl *
tt_ctrl_new(struct tcp_target *t)
{
	for (int i = 0; i < TT_CTRL_MAX; ++i) {
		struct tt_ctrl *ctrl = &t->ctrls[i];

		if (ctrl->used) {
			continue;
		}
		memset(ctrl, 0, sizeof(*ctrl));
		ctrl->used = 1;
		/* Dynamic model: 1..0xFFEF, a fresh one each association */
		ctrl->cntlid = t->next_cntlid;
		t->next_cntlid = t->next_cntlid >= 0xFFEF ? 1 : t->next_cntlid + 1;
		clock_gettime(CLOCK_MONOTONIC, &ctrl->last_cmd);
		return ctrl;
	}
	return NULL;
}

struct tt_ctrl *
tt_ctrl_find(struct tcp_target *t, uint16_t cntlid)
{
	for (int i = 0; i < TT_CTRL_MAX; ++i) {
		if (t->ctrls[i].used && !t->ctrls[i].dead && t->ctrls[i].cntlid == cntlid) {
			return &t->ctrls[i];
		}
	}
	return NULL;
}

uint64_t
tt_ms_since(const struct timespec *ts)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(now.tv_sec - ts->tv_sec) * 1000 + (now.tv_nsec - ts->tv_nsec) / 1000000;
	return ms < 0 ? 0 : (uint64_t)ms;
}

/* Joins the threads of connections that have ended; under t->lock */
static void
tt_reap(struct tcp_target *t, int all)
{
	struct tt_conn **pp = &t->conns;

	while (*pp) {
		struct tt_conn *c = *pp;

		if (!all && !c->done) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		pthread_mutex_unlock(&t->lock);
		pthread_join(c->thread, NULL);
		pthread_mutex_lock(&t->lock);
		close(c->fd);
		free(c);
	}
}

static void *
tt_accept_main(void *arg)
{
	struct tcp_target *t = arg;

	for (;;) {
		struct pollfd pfd = {.fd = t->lfd, .events = POLLIN};
		struct tt_conn *c;
		int fd, one = 1;

		if (poll(&pfd, 1, 200) < 0 && errno != EINTR) {
			break;
		}
		pthread_mutex_lock(&t->lock);
		tt_reap(t, 0);
		if (t->stopping) {
			pthread_mutex_unlock(&t->lock);
			break;
		}
		pthread_mutex_unlock(&t->lock);
		if (!(pfd.revents & POLLIN)) {
			continue;
		}
		fd = accept(t->lfd, NULL, NULL);
		if (fd < 0) {
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		pthread_mutex_lock(&t->lock);
		if (!c || t->stopping) {
			pthread_mutex_unlock(&t->lock);
			close(fd);
			free(c);
			continue;
		}
		c->t = t;
		c->fd = fd;
		if (pthread_create(&c->thread, NULL, tt_conn_main, c)) {
			pthread_mutex_unlock(&t->lock);
			close(fd);
			free(c);
			continue;
		}
		c->next = t->conns;
		t->conns = c;
		t->stats.connections++;
		pthread_mutex_unlock(&t->lock);
	}
	return NULL;
}

/* Listens on t->addr at t->port (0: an ephemeral one, then set) and starts the acceptor */
static int
tt_listen(struct tcp_target *t)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(t->port)};
	socklen_t slen = sizeof(sin);
	int one = 1, err;

	inet_pton(AF_INET, t->addr, &sin.sin_addr);
	t->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t->lfd < 0) {
		return -errno;
	}
	setsockopt(t->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(t->lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(t->lfd, 64) ||
	    getsockname(t->lfd, (struct sockaddr *)&sin, &slen)) {
		err = -errno;
		close(t->lfd);
		return err;
	}
	t->port = ntohs(sin.sin_port);
	t->stopping = 0;
	err = -pthread_create(&t->acceptor, NULL, tt_accept_main, t);
	if (err) {
		close(t->lfd);
		return err;
	}
	t->running = 1;
	return 0;
}

int
tcp_target_start_at(const char *spec, const char *addr, uint16_t port, struct tcp_target **target)
{
	struct in_addr in;
	struct tcp_target *t;
	struct rd_ctrl *rd;
	char rest[600];
	int err;

	*target = NULL;
	if (!addr || strlen(addr) >= sizeof(t->addr) || inet_pton(AF_INET, addr, &in) != 1) {
		return tt_refuse("'%s' is not an IPv4 address", addr ? addr : "(null)");
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		return -ENOMEM;
	}
	err = tt_parse(spec, &t->cfg, rest, sizeof(rest));
	if (err) {
		free(t);
		return err;
	}
	err = rd_model_new(rest, "tcp-target", "tcp-target", ", subnqn, hostnqn, ioccsz, ...", &rd);
	if (err) {
		fprintf(stderr, "tcp_target: the ramdisk refused '%s' (%d)\n", rest, err);
		free(t);
		return err;
	}
	t->rd = rd;
	strcpy(t->addr, addr);
	t->port = port;
	t->next_cntlid = 1;
	pthread_mutex_init(&t->lock, NULL);
	err = tt_listen(t);
	if (err) {
		rd_model_free(rd);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return err;
	}
	*target = t;
	return 0;
}

int
tcp_target_restart(struct tcp_target *t)
{
	return t->running ? -EBUSY : tt_listen(t);
}

int
tcp_target_start(const char *spec, struct tcp_target **target)
{
	return tcp_target_start_at(spec, "127.0.0.1", 0, target);
}

uint16_t
tcp_target_port(const struct tcp_target *target)
{
	return target->port;
}

const char *
tcp_target_subnqn(const struct tcp_target *target)
{
	return target->cfg.subnqn;
}

void
tcp_target_stats(struct tcp_target *t, struct tcp_target_stats *stats)
{
	pthread_mutex_lock(&t->lock);
	*stats = t->stats;
	pthread_mutex_unlock(&t->lock);
}

void
tcp_target_stop(struct tcp_target *t)
{
	if (!t || !t->running) {
		return;
	}
	pthread_mutex_lock(&t->lock);
	t->stopping = 1;
	for (struct tt_conn *c = t->conns; c; c = c->next) {
		shutdown(c->fd, SHUT_RDWR);
	}
	pthread_mutex_unlock(&t->lock);
	shutdown(t->lfd, SHUT_RDWR);
	pthread_join(t->acceptor, NULL);
	pthread_mutex_lock(&t->lock);
	tt_reap(t, 1);
	pthread_mutex_unlock(&t->lock);
	close(t->lfd);
	t->running = 0;
}

void
tcp_target_free(struct tcp_target *t)
{
	if (!t) {
		return;
	}
	tcp_target_stop(t);
	rd_model_free(t->rd);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
