/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend "ramdisk": claiming and parsing "ramdisk:SIZE[,key=value...]" (or SIZE with be=ramdisk),
 * the controller model behind a controller object (lib/ctrl.c: shared by identifier, kept for the
 * process), the namespaces' memory, and the admin
 * and sync interfaces that hand commands to the model (ramdisk_adm.c, _nvm.c, _zns.c, _kv.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>
#include "xnvme_ctrl.h"
#include "xnvme_dev.h"
#include "xnvme_cmd.h"
#include "xnvme_be_common.h"
#include "xnvme_be_ramdisk.h"

/* Index 0 is the default; format switches among them (identify lists them all) */
const struct rd_lbaf rd_lbafs[] = {
    {512, 0}, {512, 8}, {512, 16}, {4096, 0}, {4096, 8}, {4096, 64},
};
const uint8_t rd_nlbafs = sizeof(rd_lbafs) / sizeof(rd_lbafs[0]);

void
rd_buf_init(struct rd_buf *buf, void *ptr, size_t nbytes)
{
	buf->one.iov_base = ptr;
	buf->one.iov_len = nbytes;
	buf->iov = &buf->one;
	buf->cnt = ptr ? 1 : 0;
	buf->nbytes = ptr ? nbytes : 0;
}

void
rd_buf_initv(struct rd_buf *buf, const struct iovec *iov, size_t cnt, size_t nbytes)
{
	buf->iov = iov;
	buf->cnt = iov ? cnt : 0;
	buf->nbytes = iov ? nbytes : 0;
}

void
rd_buf_copy(struct rd_buf *buf, size_t off, void *mem, size_t len, int to_buf)
{
	uint8_t *m = mem;

	for (size_t i = 0; i < buf->cnt && len; ++i) {
		size_t n;

		if (off >= buf->iov[i].iov_len) {
			off -= buf->iov[i].iov_len;
			continue;
		}
		n = XNVME_MIN_U64(buf->iov[i].iov_len - off, len);
		if (to_buf) {
			memcpy((uint8_t *)buf->iov[i].iov_base + off, m, n);
		} else {
			memcpy(m, (uint8_t *)buf->iov[i].iov_base + off, n);
		}
		m += n;
		len -= n;
		off = 0;
	}
}

int
rd_status(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc)
{
	struct xnvme_spec_log_erri_entry *e = &ctrl->errlog[ctrl->nerrors % RD_ERRLOG_NENTRIES];

	xnvme_cmd_ctx_set_status(ctx, sct, sc);
	ctx->cpl.status.dnr = 1;
	memset(e, 0, sizeof(*e));
	e->ecnt = ++ctrl->nerrors;
	e->cid = ctx->cmd.common.cid;
	e->status.sct = sct;
	e->status.sc = sc;
	e->status.dnr = 1;
	e->nsid = ctx->cmd.common.nsid;
	e->lba = ctx->cmd.nvm.slba;
	return -EIO;
}

struct rd_ns *
rd_ns_get(struct rd_ctrl *ctrl, uint32_t nsid)
{
	return nsid && nsid <= ctrl->nns ? &ctrl->ns[nsid - 1] : NULL;
}

/*
 * The namespace's data and metadata: zeroed pages, faulted in at open where the system can
 * (MAP_POPULATE), so a command never pays a first-touch page fault (in a VM that costs ~100 us
 * per page) and the memory the device needs is taken, or refused, at open
 */
static void *
rd_mem_alloc(size_t nbytes)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	void *mem;

#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;
#endif
	mem = mmap(NULL, nbytes, PROT_READ | PROT_WRITE, flags, -1, 0);
	return mem == MAP_FAILED ? NULL : mem;
}

static void
rd_mem_free(void *mem, size_t nbytes)
{
	if (mem) {
		munmap(mem, nbytes);
	}
}

void
rd_ns_free(struct rd_ns *ns)
{
	rd_mem_free(ns->data, ns->nlb * ns->lbads);
	rd_mem_free(ns->meta, ns->nlb * ns->ms);
	free(ns->uncor);
	for (uint32_t i = 0; ns->zones && i < ns->nzones; ++i) {
		free(ns->zones[i].ext);
	}
	free(ns->zones);
	rd_kv_free(ns);
	ns->data = ns->meta = ns->uncor = NULL;
	ns->zones = NULL;
}

int
rd_ns_alloc(struct rd_ns *ns, int nil)
{
	const struct rd_lbaf *lbaf = &rd_lbafs[ns->flbas_idx];

	ns->lbads = lbaf->lbads;
	ns->ms = lbaf->ms;
	ns->nlb = ns->nbytes / ns->lbads;
	if (ns->csi == XNVME_SPEC_CSI_KV) {
		return 0; /* values are allocated as they are stored */
	}
	if (!nil) {
		ns->data = rd_mem_alloc(ns->nlb * ns->lbads);
		ns->meta = ns->ms ? rd_mem_alloc(ns->nlb * ns->ms) : NULL;
	}
	ns->uncor = calloc((ns->nlb + 7) / 8, 1);
	if ((!nil && (!ns->data || (ns->ms && !ns->meta))) || !ns->uncor) {
		rd_ns_free(ns);
		return -ENOMEM;
	}
	if (ns->csi == XNVME_SPEC_CSI_ZONED) {
		ns->nzones = (uint32_t)(ns->nlb / ns->zsze);
		ns->zones = calloc(ns->nzones, sizeof(*ns->zones));
		if (!ns->zones) {
			rd_ns_free(ns);
			return -ENOMEM;
		}
		for (uint32_t i = 0; i < ns->nzones && ns->zdes; ++i) {
			ns->zones[i].ext = calloc(ns->zdes, 64);
			if (!ns->zones[i].ext) {
				rd_ns_free(ns);
				return -ENOMEM;
			}
		}
		rd_zns_reset_all(ns);
	}
	return 0;
}

/* Parameters of the identifier; what a key does is in docs/backends.md */
struct rd_params {
	uint64_t nbytes;
	uint32_t lbads;
	uint16_t ms;
	uint8_t mset;
	uint32_t nns, zoned, kv;
	uint64_t zsze, zcap;
	uint32_t mor, mar; ///< One-based counts, 0: no limit
	uint32_t zdes;
	int64_t ronly;   ///< A zone made read-only at creation, or -1
	uint32_t kvseed; ///< Keys stored at creation in the KV namespace
	int nil;
};

/* "1GiB", "64MiB", "4096", "1GB" (xNVMe's form: powers of 1024 as well) */
static int
rd_parse_size(const char *str, uint64_t *nbytes)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = {{"", 0},     {"B", 0},   {"K", 10},   {"KB", 10}, {"KiB", 10},
		     {"M", 20},   {"MB", 20}, {"MiB", 20}, {"G", 30},  {"GB", 30},
		     {"GiB", 30}, {"T", 40},  {"TB", 40},  {"TiB", 40}};
	char *end;
	unsigned long long val;

	if (!str[0] || str[0] < '0' || str[0] > '9') {
		return -EINVAL;
	}
	errno = 0;
	val = strtoull(str, &end, 10);
	if (errno) {
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); ++i) {
		if (!strcasecmp(end, units[i].suffix)) {
			if (units[i].shift && val > (UINT64_MAX >> units[i].shift)) {
				return -EINVAL;
			}
			*nbytes = (uint64_t)val << units[i].shift;
			return 0;
		}
	}
	return -EINVAL;
}

static int
rd_parse_num(const char *str, uint64_t max, uint64_t *val)
{
	char *end;

	if (!str[0] || str[0] < '0' || str[0] > '9') {
		return -EINVAL;
	}
	errno = 0;
	*val = strtoull(str, &end, 0);
	return (errno || *end || *val > max) ? -EINVAL : 0;
}

/* Records why the identifier was refused (one line per backend in xnvme_dev_open_err_msg()) */
static int
rd_reject(const char *what, int err)
{
	xnvme_be_open_err_add("ramdisk", what, err);
	return err;
}

/* One key=value: 0, -EINVAL (a bad value), -ENOTSUP (not modelled) or -ENOENT (no such key) */
static int
rd_parse_param(const char *key, const char *v, struct rd_params *p)
{
	uint64_t val = 0;
	int err = 0;

	if (!strcmp(key, "lbads")) {
		err = rd_parse_num(v, 65536, &val);
		p->lbads = (uint32_t)val;
	} else if (!strcmp(key, "ms")) {
		err = rd_parse_num(v, 64, &val);
		p->ms = (uint16_t)val;
	} else if (!strcmp(key, "mset")) {
		err = strcmp(v, "ext") && strcmp(v, "sep") ? -EINVAL : 0;
		p->mset = !strcmp(v, "ext");
	} else if (!strcmp(key, "nns") || !strcmp(key, "zoned") || !strcmp(key, "kv")) {
		err = rd_parse_num(v, RD_NNS_MAX, &val);
		err = err ? err : (val ? 0 : -EINVAL);
		*(key[0] == 'n' ? &p->nns : (key[0] == 'z' ? &p->zoned : &p->kv)) = (uint32_t)val;
	} else if (!strcmp(key, "zsze") || !strcmp(key, "zcap")) {
		err = rd_parse_num(v, UINT32_MAX, &val);
		*(key[1] == 's' ? &p->zsze : &p->zcap) = val;
	} else if (!strcmp(key, "mor") || !strcmp(key, "mar")) {
		err = rd_parse_num(v, 0xFFFFFF, &val);
		*(key[1] == 'o' ? &p->mor : &p->mar) = (uint32_t)val;
	} else if (!strcmp(key, "zdes")) {
		err = rd_parse_num(v, 16, &val);
		p->zdes = (uint32_t)val;
	} else if (!strcmp(key, "ronly")) {
		err = rd_parse_num(v, UINT32_MAX, &val);
		p->ronly = (int64_t)val;
	} else if (!strcmp(key, "kvseed")) {
		err = rd_parse_num(v, 100000, &val);
		p->kvseed = (uint32_t)val;
	} else if (!strcmp(key, "nil")) {
		err = rd_parse_num(v, 1, &val);
		p->nil = (int)val;
	} else {
		return !strcmp(key, "pi") ? -ENOTSUP : -ENOENT;
	}
	return err;
}

static int
rd_parse(const char *spec, struct rd_params *p)
{
	char text[384], *save = NULL, *tok;

	memset(p, 0, sizeof(*p));
	p->lbads = 512;
	p->nns = 1;
	p->ronly = -1;
	if (strlen(spec) >= sizeof(text)) {
		return rd_reject("the identifier is too long", -EINVAL);
	}
	strcpy(text, spec);
	tok = strtok_r(text, ",", &save);
	if (!tok || rd_parse_size(tok, &p->nbytes)) {
		return rd_reject("the size is not a number with an optional unit (e.g. 64MiB)",
				 -EINVAL);
	}
	while ((tok = strtok_r(NULL, ",", &save))) {
		char *eq = strchr(tok, '='), what[128];
		int err;

		if (!eq) {
			return rd_reject("a parameter is not key=value", -EINVAL);
		}
		*eq = '\0';
		err = rd_parse_param(tok, eq + 1, p);
		if (err == -ENOTSUP) {
			return rd_reject("pi: protection information is not modelled", -EINVAL);
		}
		if (err == -ENOENT) {
			return rd_reject(
			    "unknown parameter (lbads, ms, mset, nns, zoned, zsze, zcap, mor, "
			    "mar, zdes, ronly, kv, kvseed, nil)",
			    -EINVAL);
		}
		if (err) {
			snprintf(what, sizeof(what), "%s: the value '%.32s' is not valid here", tok,
				 eq + 1);
			return rd_reject(what, -EINVAL);
		}
	}
	if (p->zoned > p->nns || p->kv > p->nns) {
		p->nns = XNVME_MAX(p->zoned, p->kv);
	}
	if (p->zoned && p->zoned == p->kv) {
		return rd_reject("one namespace cannot be zoned and key-value", -EINVAL);
	}
	return 0;
}

/* Checks the parameters against each other and the machine's memory; fills the controller */
static int
rd_ctrl_setup(struct rd_ctrl *ctrl, const struct rd_params *p)
{
	long pages = sysconf(_SC_AVPHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	uint8_t idx = rd_nlbafs;
	int err;

	for (uint8_t i = 0; i < rd_nlbafs; ++i) {
		if (rd_lbafs[i].lbads == p->lbads && rd_lbafs[i].ms == p->ms) {
			idx = i;
		}
	}
	if (idx == rd_nlbafs) {
		return rd_reject(
		    "no such LBA format: lbads 512 or 4096 with ms 0, 8, 16 (512) or 0, "
		    "8, 64 (4096)",
		    -EINVAL);
	}
	if (!p->nbytes || p->nbytes % p->lbads) {
		return rd_reject("the size is 0 or not a multiple of the LBA size", -EINVAL);
	}
	/* nil keeps no data: only the bitmap of uncorrectable blocks is allocated */
	if (!p->nil && pages > 0 && psize > 0 &&
	    (p->nbytes / (uint64_t)psize) * p->nns > (uint64_t)pages) {
		return rd_reject("the size is more than the machine's free memory", -ENOMEM);
	}
	ctrl->nil = p->nil;
	ctrl->nns = p->nns;
	ctrl->feat[XNVME_SPEC_FEAT_TEMP_THRESHOLD] = 0x157; /* 343 K */
	ctrl->feat[XNVME_SPEC_FEAT_VWCACHE] = 1;
	ctrl->feat[XNVME_SPEC_FEAT_NQUEUES] = (63u << 16) | 63u;
	memcpy(ctrl->feat_saved, ctrl->feat, sizeof(ctrl->feat));
	for (uint32_t i = 0; i < p->nns; ++i) {
		struct rd_ns *ns = &ctrl->ns[i];

		ns->nsid = i + 1;
		ns->nbytes = p->nbytes;
		ns->flbas_idx = idx;
		ns->mset = p->mset;
		ns->csi = XNVME_SPEC_CSI_NVM;
		if (ns->nsid == p->kv) {
			ns->csi = XNVME_SPEC_CSI_KV;
		}
		if (ns->nsid == p->zoned) {
			uint64_t nlb = p->nbytes / p->lbads;

			ns->csi = XNVME_SPEC_CSI_ZONED;
			ns->zsze = p->zsze ? p->zsze : (nlb / 16 ? nlb / 16 : 1);
			ns->zcap = p->zcap ? p->zcap : ns->zsze;
			ns->mor = p->mor ? p->mor - 1 : 0xFFFFFFFF;
			ns->mar = p->mar ? p->mar - 1 : 0xFFFFFFFF;
			ns->zdes = (uint8_t)p->zdes;
			if (ns->zcap > ns->zsze || nlb < ns->zsze ||
			    (p->mor && p->mar && p->mor > p->mar)) {
				return rd_reject("zoned: zcap above zsze, a zone larger than the "
						 "namespace, or mor above mar",
						 -EINVAL);
			}
		}
		err = rd_ns_alloc(ns, p->nil);
		if (err) {
			return rd_reject("cannot allocate the namespace's memory", err);
		}
		if (ns->csi == XNVME_SPEC_CSI_KV && rd_kv_seed(ns, p->kvseed)) {
			return rd_reject("cannot allocate the seeded keys", -ENOMEM);
		}
		if (ns->csi == XNVME_SPEC_CSI_ZONED && p->ronly >= 0) {
			if ((uint64_t)p->ronly >= ns->nzones) {
				return rd_reject("ronly: no such zone", -EINVAL);
			}
			/* The controller made it read-only: the changed zone list says so */
			ns->zones[p->ronly].zs = XNVME_SPEC_ZND_STATE_RONLY;
			ctrl->changed_zones[ctrl->nchanged_zones++] = ns->zones[p->ronly].zslba;
		}
	}
	return 0;
}

static void
rd_ctrl_free(struct rd_ctrl *ctrl)
{
	for (uint32_t i = 0; i < RD_NNS_MAX; ++i) {
		rd_ns_free(&ctrl->ns[i]);
	}
	pthread_mutex_destroy(&ctrl->lock);
	free(ctrl);
}

/*
 * xNVMe 0.7.5 claims a bare "<N>GB" (e.g. 2GB) for its ramdisk without be=ramdisk; so do we,
 * with our settings after it if any (1GB,ms=8), unless a file of that name exists (then it is the
 * file the user means).
 */
static int
rd_is_bare_gb(const char *uri)
{
	struct stat st;
	size_t ndigits = strspn(uri, "0123456789");

	/* Ours: the model's settings may follow, e.g. 1GB,ms=8 */
	return ndigits && !strncmp(uri + ndigits, "GB", 2) &&
	       (!uri[ndigits + 2] || uri[ndigits + 2] == ',') && stat(uri, &st) && errno == ENOENT;
}

/*
 * The part of the identifier after "ramdisk:", or the whole of it with be=ramdisk or in 0.7.5's
 * bare form; NULL: not ours
 */
static const char *
rd_spec(const struct xnvme_dev *dev)
{
	const char *uri = dev->ident.uri;

	if (!strncmp(uri, "ramdisk:", 8)) {
		return uri + 8;
	}
	if (dev->opts.be && !strcmp(dev->opts.be, "ramdisk")) {
		return uri;
	}
	if (rd_is_bare_gb(uri)) {
		return uri;
	}
	return NULL;
}

/* A serial number from the identifier (FNV-1a): the same ramdisk has the same one in any process */
static uint32_t
rd_serial(const char *uri)
{
	uint32_t h = 2166136261u;

	for (; *uri; ++uri) {
		h = (h ^ (uint8_t)*uri) * 16777619u;
	}
	return h;
}

/* Opens the model of a controller: @p arg is the identifier's parsed parameters */
static int
rd_ctrl_open(struct xnvme_ctrl *xctrl, struct xnvme_dev *dev, const void *arg)
{
	struct rd_ctrl *ctrl = calloc(1, sizeof(*ctrl));
	int err;

	(void)dev;
	if (!ctrl) {
		return rd_reject("cannot allocate the controller", -ENOMEM);
	}
	pthread_mutex_init(&ctrl->lock, NULL);
	ctrl->serial = rd_serial(xctrl->key);
	err = rd_ctrl_setup(ctrl, arg);
	if (err) {
		rd_ctrl_free(ctrl);
	} else {
		xctrl->state = ctrl;
	}
	return err;
}

/* Never called while the ramdisk keeps its controllers (keep); there for the contract's sake */
static void
rd_ctrl_close(struct xnvme_ctrl *xctrl)
{
	rd_ctrl_free(xctrl->state);
}

static int
rd_ctrl_admin(struct xnvme_ctrl *xctrl, struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
	      void *mbuf, size_t mbuf_nbytes)
{
	struct rd_ctrl *ctrl = xctrl->state;
	struct rd_buf d;
	int err;

	(void)mbuf;
	(void)mbuf_nbytes;
	rd_buf_init(&d, dbuf, dbuf_nbytes);
	/* The model's lock, not only the admin path's: admin commands change what I/O sees */
	pthread_mutex_lock(&ctrl->lock);
	ctx->cpl.status.val = 0;
	err = rd_admin(ctrl, ctx, &d);
	pthread_mutex_unlock(&ctrl->lock);
	return err;
}

/*
 * A ramdisk outlives its handles (keep): it lives from the first open of its identifier until the
 * process ends, so a program (or fio) that closes and reopens it finds its data. It stays
 * reachable from the controller list, so leak checkers do not report it.
 */
static const struct xnvme_be_ctrl_ops rd_ctrl_ops = {
    .id = "ramdisk",
    .open = rd_ctrl_open,
    .close = rd_ctrl_close,
    .admin = rd_ctrl_admin,
    .poll = NULL,
    .keep = true,
};

/* Devices opened with the same identifier string share one controller (its key) */
static int
rd_dev_open(struct xnvme_dev *dev, struct xnvme_be_defaults *defaults)
{
	const char *spec = rd_spec(dev);
	struct rd_params params;
	struct rd_ctrl *ctrl;
	struct rd_ns *ns;
	int err;

	if (!spec) {
		return -ENODEV;
	}
	err = rd_parse(spec, &params);
	err = err ? err : xnvme_ctrl_open(dev, &rd_ctrl_ops, dev->ident.uri, &params);
	if (err) {
		return err; /* the core drops a controller attached before a refusal */
	}
	ctrl = dev->ctrl->state;
	dev->be_state = ctrl;
	dev->fd = -1;
	dev->ident.nsid = dev->ident.nsid ? dev->ident.nsid : 1;
	ns = rd_ns_get(ctrl, dev->ident.nsid);
	if (!ns) {
		return rd_reject("no such namespace", -ENXIO);
	}
	dev->ident.dtype = XNVME_DEV_TYPE_RAMDISK;
	dev->ident.csi = ns->csi;
	/* There is no cache to bypass: O_DIRECT's alignment rules do not apply (opts in effect) */
	dev->opts.direct = 0;
	defaults->admin = "ramdisk_as_ns";
	defaults->sync = "ramdisk";
	defaults->async = "thrpool";
	defaults->mem = "posix";
	return 0;
}

/* The controller, shared, is the core's to release (dev->ctrl) */
static void
rd_dev_close(struct xnvme_dev *dev)
{
	dev->be_state = NULL;
}

/* The I/O command set of the namespace the command names decides who executes it */
static int
rd_io(struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf, struct rd_buf *mbuf)
{
	struct rd_ctrl *ctrl = ctx->dev->be_state;
	struct rd_ns *ns;
	int err;

	pthread_mutex_lock(&ctrl->lock);
	ctx->cpl.status.val = 0;
	ns = rd_ns_get(ctrl, ctx->cmd.common.nsid);
	if (!ns && ctx->cmd.common.opcode == XNVME_SPEC_NVM_OPC_FLUSH &&
	    ctx->cmd.common.nsid == 0xFFFFFFFF) {
		err = 0; /* flush of all namespaces: memory has nothing to commit */
	} else if (!ns) {
		err = rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
				XNVME_SPEC_SC_INVALID_NAMESPACE_OR_FORMAT);
	} else if (ns->csi == XNVME_SPEC_CSI_KV) {
		err = rd_kv(ctrl, ns, ctx, dbuf);
	} else if (ns->csi == XNVME_SPEC_CSI_ZONED) {
		err = rd_zns(ctrl, ns, ctx, dbuf, mbuf);
	} else {
		err = rd_nvm(ctrl, ns, ctx, dbuf, mbuf);
	}
	pthread_mutex_unlock(&ctrl->lock);
	return err;
}

static int
rd_sync_cmd_io(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
	       size_t mbuf_nbytes)
{
	struct rd_buf d, m;

	rd_buf_init(&d, dbuf, dbuf_nbytes);
	rd_buf_init(&m, mbuf, mbuf_nbytes);
	return rd_io(ctx, &d, &m);
}

static int
rd_sync_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	struct rd_buf d, m;

	rd_buf_initv(&d, dvec, dvec_cnt, dvec_nbytes);
	rd_buf_initv(&m, mvec, mvec_cnt, mvec_nbytes);
	return rd_io(ctx, &d, &m);
}

static const struct xnvme_be_dev_ops rd_dev = {
    .id = "ramdisk",
    .descr = "an NVMe controller modelled in memory",
    .dev_open = rd_dev_open,
    .dev_close = rd_dev_close,
    .enumerate = NULL,
};

/* xNVMe 0.7.5's name for it; asked by the backend's name, it reports this one all the same */
static const struct xnvme_be_admin_ops rd_admin_ops = {
    .id = "ramdisk_as_ns",
    .descr = "the model's admin commands: identify, logs, features, format",
    .alias = "ramdisk",
    .cmd_admin = xnvme_ctrl_cmd_admin,
};

static const struct xnvme_be_sync_ops rd_sync_ops = {
    .id = "ramdisk",
    .descr = "the model's I/O commands, run in the caller's thread: NVM, zoned, key-value",
    .cmd_io = rd_sync_cmd_io,
    .cmd_iov = rd_sync_cmd_iov,
};

static const struct xnvme_be_admin_ops *const rd_admin_list[] = {&rd_admin_ops, NULL};
static const struct xnvme_be_sync_ops *const rd_sync_list[] = {&rd_sync_ops, NULL};
static const struct xnvme_be_async_ops *const rd_async_list[] = {
    &xnvme_be_common_async_thrpool_sync,
    &xnvme_be_common_async_emu,
    &xnvme_be_common_async_nil,
    NULL,
};
static const struct xnvme_be_mem_ops *const rd_mem_list[] = {&xnvme_be_common_mem_posix, NULL};

const struct xnvme_be xnvme_be_ramdisk = {
    .name = "ramdisk",
    .alias = NULL,
    .dev = &rd_dev,
    .admin = rd_admin_list,
    .sync = rd_sync_list,
    .async = rd_async_list,
    .mem = rd_mem_list,
};
