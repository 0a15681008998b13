/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend "ramdisk": claiming and parsing "ramdisk:SIZE[,key=value...]" (or SIZE with be=ramdisk),
 * the controller model behind a controller object (lib/ctrl.c: shared by identifier, kept for the
 * process), the namespaces' memory, and the admin
 * and sync interfaces that hand commands to the model (ramdisk_adm.c, _nvm.c, _zns.c, _kv.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#ifdef _WIN32
#include <windows.h>
#else
#include <sys/mman.h>
#endif
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
rd_status_dnr(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc, uint8_t dnr)
{
	struct xnvme_spec_log_erri_entry *e = &ctrl->errlog[ctrl->nerrors % RD_ERRLOG_NENTRIES];

	xnvme_cmd_ctx_set_status(ctx, sct, sc);
	ctx->cpl.status.dnr = dnr & 1;
	memset(e, 0, sizeof(*e));
	e->ecnt = ++ctrl->nerrors;
	e->cid = ctx->cmd.common.cid;
	e->status.sct = sct;
	e->status.sc = sc;
	e->status.dnr = dnr & 1;
	e->nsid = ctx->cmd.common.nsid;
	e->lba = ctx->cmd.nvm.slba;
	return -EIO;
}

int
rd_status(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, uint8_t sct, uint8_t sc)
{
	return rd_status_dnr(ctrl, ctx, sct, sc, 1);
}

struct rd_ns *
rd_ns_get(struct rd_ctrl *ctrl, uint32_t nsid)
{
	return nsid && nsid <= ctrl->nns ? &ctrl->ns[nsid - 1] : NULL;
}

/*
 * The namespace's data and metadata: zeroed pages, faulted in at open where the system can
 * (@p populate), so the memory the device needs is taken, or refused, at open. They are asked
 * for as transparent huge pages (MADV_HUGEPAGE): a 2 MiB page is one fault where 4 KiB pages
 * are 512, and in a VM whose hypervisor maps each page on its first touch from user space
 * (shadow paging: faulting in at open does not do it) the first write to every 4 KiB page cost
 * ~40 us, which held a first pass of writes to ~100-300 MiB/s while reads, after it, ran at GiB/s.
 * The bitmap of uncorrectable blocks and the zone extensions are mapped without: they are mostly
 * never touched (and calloc would zero them page by page under MALLOC_PERTURB_).
 */
#ifdef _WIN32
/* Windows: committed memory is zeroed and charged at once; touched here so it is also mapped */
static void *
rd_mem_alloc(size_t nbytes, int populate)
{
	void *mem = VirtualAlloc(NULL, nbytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);

	for (size_t off = 0; mem && populate && off < nbytes; off += 4096) {
		((volatile uint8_t *)mem)[off] = 0;
	}
	return mem;
}

static void
rd_mem_free(void *mem, size_t nbytes)
{
	(void)nbytes;
	if (mem) {
		VirtualFree(mem, 0, MEM_RELEASE);
	}
}
#else
static void *
rd_mem_alloc(size_t nbytes, int populate)
{
	void *mem = mmap(NULL, nbytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED) {
		return NULL;
	}
	if (!populate) {
		return mem;
	}
#ifdef MADV_HUGEPAGE
	madvise(mem, nbytes, MADV_HUGEPAGE); /* advice: without THP, 4 KiB pages */
#endif
#ifdef MADV_POPULATE_WRITE
	if (!madvise(mem, nbytes, MADV_POPULATE_WRITE)) {
		return mem;
	}
	if (errno != EINVAL) { /* EINVAL: a kernel before 5.14; else the memory is not there */
		munmap(mem, nbytes);
		return NULL;
	}
#endif
	/* Faulted in by touching each page: the kernel then takes the memory, or kills us */
	for (size_t off = 0; off < nbytes; off += 4096) {
		((volatile uint8_t *)mem)[off] = 0;
	}
	return mem;
}

static void
rd_mem_free(void *mem, size_t nbytes)
{
	if (mem) {
		munmap(mem, nbytes);
	}
}
#endif

void
rd_ns_free(struct rd_ns *ns)
{
	if (!ns->img) { /* an image's regions are the image's (rd_img_close) */
		rd_mem_free(ns->data, ns->nlb * ns->lbads);
		rd_mem_free(ns->meta, ns->nlb * ns->ms);
		rd_mem_free(ns->uncor, (ns->nlb + 7) / 8);
	}
	rd_mem_free(ns->zext, (size_t)ns->nzones * ns->zdes * 64);
	free(ns->zones);
	rd_kv_free(ns);
	ns->data = ns->meta = ns->uncor = ns->zext = NULL;
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
	if (ns->img) {
		/* In the image, sized for any format (neither zoned nor nil with file=) */
		ns->data = ns->img_map + ns->img->data_off;
		ns->meta = ns->ms ? ns->img_map + ns->img->meta_off : NULL;
		ns->uncor = ns->img_map + ns->img->uncor_off;
		return 0;
	}
	if (!nil) {
		ns->data = rd_mem_alloc(ns->nlb * ns->lbads, 1);
		ns->meta = ns->ms ? rd_mem_alloc(ns->nlb * ns->ms, 1) : NULL;
	}
	ns->uncor = rd_mem_alloc((ns->nlb + 7) / 8, 0);
	if ((!nil && (!ns->data || (ns->ms && !ns->meta))) || !ns->uncor) {
		rd_ns_free(ns);
		return -ENOMEM;
	}
	if (ns->csi == XNVME_SPEC_CSI_ZONED) {
		/* rd_ns_plan() keeps the count within RD_NZONES_MAX; formats keep the LBA size */
		ns->nzones = (uint32_t)(ns->nlb / ns->zsze);
		ns->zones = calloc(ns->nzones, sizeof(*ns->zones));
		ns->zext = ns->zdes ? rd_mem_alloc((size_t)ns->nzones * ns->zdes * 64, 0) : NULL;
		if (!ns->zones || (ns->zdes && !ns->zext)) {
			rd_ns_free(ns);
			return -ENOMEM;
		}
		for (uint32_t i = 0; i < ns->nzones && ns->zdes; ++i) {
			ns->zones[i].ext = ns->zext + (size_t)i * ns->zdes * 64;
		}
		rd_zns_reset_all(ns);
	}
	return 0;
}

/* The identifier's keys; what each does is in docs/backends.md */
enum rd_key {
	RD_K_LBADS,
	RD_K_MS,
	RD_K_MSET,
	RD_K_NNS,
	RD_K_ZONED,
	RD_K_KV,
	RD_K_ZSZE,
	RD_K_ZCAP,
	RD_K_MOR,
	RD_K_MAR,
	RD_K_ZDES,
	RD_K_RONLY,
	RD_K_KVSEED,
	RD_K_NIL,
	RD_K_ERR,
	RD_K_FILE,
	RD_NKEYS,
};

/* Parameters of the identifier */
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
	uint32_t given; ///< Bit (1 << enum rd_key) per key given
	struct rd_err_rule err[RD_ERR_MAX];
	uint32_t nerr;
	char file[384]; ///< The image's path (file=), or ""
};

#define RD_FIELD(f) offsetof(struct rd_params, f), sizeof(((struct rd_params *)0)->f)

/* Each key's field and the range of its number: beyond it (or no number) refused, never cut */
static const struct {
	const char *name;
	uint64_t min, max; ///< max 0: not a number (mset, err, file)
	size_t off, width; ///< Where in struct rd_params
} rd_keys[RD_NKEYS] = {
    [RD_K_LBADS] = {"lbads", 1, 65536, RD_FIELD(lbads)},
    [RD_K_MS] = {"ms", 0, 64, RD_FIELD(ms)},
    [RD_K_MSET] = {"mset", 0, 0, RD_FIELD(mset)},
    [RD_K_NNS] = {"nns", 1, RD_NNS_MAX, RD_FIELD(nns)},
    [RD_K_ZONED] = {"zoned", 1, RD_NNS_MAX, RD_FIELD(zoned)},
    [RD_K_KV] = {"kv", 1, RD_NNS_MAX, RD_FIELD(kv)},
    [RD_K_ZSZE] = {"zsze", 1, UINT32_MAX, RD_FIELD(zsze)},
    [RD_K_ZCAP] = {"zcap", 1, UINT32_MAX, RD_FIELD(zcap)},
    [RD_K_MOR] = {"mor", 1, 0xFFFFFF, RD_FIELD(mor)},
    [RD_K_MAR] = {"mar", 1, 0xFFFFFF, RD_FIELD(mar)},
    [RD_K_ZDES] = {"zdes", 0, 16, RD_FIELD(zdes)},
    [RD_K_RONLY] = {"ronly", 0, RD_NZONES_MAX - 1, RD_FIELD(ronly)},
    [RD_K_KVSEED] = {"kvseed", 0, 100000, RD_FIELD(kvseed)},
    [RD_K_NIL] = {"nil", 0, 1, RD_FIELD(nil)},
    [RD_K_ERR] = {"err", 0, 0, RD_FIELD(err)},
    [RD_K_FILE] = {"file", 0, 0, RD_FIELD(file)},
};

/* The keys that describe the zoned namespace: meaningless without zoned= */
#define RD_ZONED_KEYS                                                                              \
	((1u << RD_K_ZSZE) | (1u << RD_K_ZCAP) | (1u << RD_K_MOR) | (1u << RD_K_MAR) |             \
	 (1u << RD_K_ZDES) | (1u << RD_K_RONLY))

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
rd_parse_num(const char *str, uint64_t min, uint64_t max, uint64_t *val)
{
	char *end;

	if (!str[0] || str[0] < '0' || str[0] > '9') {
		return -EINVAL;
	}
	errno = 0;
	*val = strtoull(str, &end, 0);
	return (errno || *end || *val < min || *val > max) ? -EINVAL : 0;
}

/*
 * Who parses: the ramdisk, or another face of the model (rd_model_new), whose user typed its
 * identifier and keys; set for the parse of one identifier in the calling thread
 */
static __thread const char *rd_who = "ramdisk";
static __thread const char *rd_more_keys = "";

/* Records why the identifier was refused (one line per backend in xnvme_dev_open_err_msg()) */
static int
rd_reject(const char *what, int err)
{
	xnvme_be_open_err_add(rd_who, what, err);
	return err;
}

static int __attribute__((format(printf, 2, 3))) rd_rejectf(int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rd_reject(what, err);
}

/* @p val into the integer field of @p width bytes at @p field (the key's range fits it) */
static void
rd_store(void *field, size_t width, uint64_t val)
{
	uint8_t u8 = (uint8_t)val;
	uint16_t u16 = (uint16_t)val;
	uint32_t u32 = (uint32_t)val;

	memcpy(field,
	       width == 1   ? (void *)&u8
	       : width == 2 ? (void *)&u16
	       : width == 4 ? (void *)&u32
			    : (void *)&val,
	       width);
}

/* One key's value into @p p: 0 or -EINVAL with the reason in @p why */
static int
rd_parse_param(enum rd_key k, const char *v, struct rd_params *p, char *why, size_t why_len)
{
	uint64_t val = 0;

	if (k == RD_K_ERR) {
		return rd_err_parse(v, p->err, &p->nerr, why, why_len);
	}
	if (k == RD_K_FILE) {
		if (!v[0]) {
			snprintf(why, why_len, "file: no path (file=PATH, the image to keep)");
			return -EINVAL;
		}
		snprintf(p->file, sizeof(p->file), "%s", v); /* the identifier is shorter */
		return 0;
	}
	if (k == RD_K_MSET) {
		p->mset = !strcmp(v, "ext");
		if (strcmp(v, "ext") && strcmp(v, "sep")) {
			snprintf(why, why_len, "mset: '%.32s' is neither ext nor sep", v);
			return -EINVAL;
		}
		return 0;
	}
	if (rd_parse_num(v, rd_keys[k].min, rd_keys[k].max, &val)) {
		snprintf(why, why_len, "%s: the value '%.32s' is not a number from %llu to %llu",
			 rd_keys[k].name, v, (unsigned long long)rd_keys[k].min,
			 (unsigned long long)rd_keys[k].max);
		return -EINVAL;
	}
	rd_store((uint8_t *)p + rd_keys[k].off, rd_keys[k].width, val);
	return 0;
}

/* One "key=value" token: 0 or -EINVAL with the reason in @p why */
static int
rd_parse_token(char *tok, struct rd_params *p, char *why, size_t why_len)
{
	char *eq = strchr(tok, '=');
	int k;

	if (!tok[0]) {
		snprintf(why, why_len, "an empty parameter (a comma at the end, or two in a row)");
		return -EINVAL;
	}
	if (!eq) {
		snprintf(why, why_len, "the parameter '%.32s' is not key=value", tok);
		return -EINVAL;
	}
	*eq = '\0';
	for (k = 0; k < RD_NKEYS && strcmp(tok, rd_keys[k].name); ++k) {
	}
	if (k == RD_NKEYS && !strcmp(tok, "pi")) {
		snprintf(why, why_len, "pi: protection information is not modelled");
		return -EINVAL;
	}
	if (k == RD_NKEYS) {
		snprintf(why, why_len,
			 "unknown parameter '%.32s' (lbads, ms, mset, nns, zoned, zsze, zcap, mor, "
			 "mar, zdes, ronly, kv, kvseed, nil, err, file%s)",
			 tok, rd_more_keys);
		return -EINVAL;
	}
	if (p->given & (1u << k)) {
		snprintf(why, why_len, "%s: given twice (err= takes several rules joined by '+')",
			 tok);
		return -EINVAL;
	}
	p->given |= 1u << k;
	return rd_parse_param((enum rd_key)k, eq + 1, p, why, why_len);
}

/* What the keys say of each other, before any size is known */
static int
rd_parse_check(struct rd_params *p)
{
	uint32_t orphans = p->given & RD_ZONED_KEYS;

	if (orphans && !p->zoned) {
		return rd_rejectf(-EINVAL, "%s needs zoned=NSID",
				  rd_keys[__builtin_ctz(orphans)].name);
	}
	if ((p->given & (1u << RD_K_KVSEED)) && !p->kv) {
		return rd_reject("kvseed needs kv=NSID", -EINVAL);
	}
	if ((p->given & (1u << RD_K_NNS)) && (p->zoned > p->nns || p->kv > p->nns)) {
		return rd_reject("zoned= or kv= names a namespace beyond nns=", -EINVAL);
	}
	p->nns = XNVME_MAX(p->nns, XNVME_MAX(p->zoned, p->kv));
	if (p->zoned && p->zoned == p->kv) {
		return rd_reject("one namespace cannot be zoned and key-value", -EINVAL);
	}
	if (p->file[0] && (p->zoned || p->nil)) {
		return rd_reject("file= keeps NVM and key-value namespaces: not zoned= or nil=1",
				 -EINVAL);
	}
	return 0;
}

/* SIZE[,key=value]...: every comma separates two non-empty tokens, each key at most once */
static int
rd_parse(const char *spec, struct rd_params *p)
{
	char text[384], why[192], *tok = text, *next;
	int err;

	memset(p, 0, sizeof(*p));
	p->lbads = 512;
	p->nns = 1;
	p->ronly = -1;
	if (strlen(spec) >= sizeof(text)) {
		return rd_reject("the identifier is too long", -EINVAL);
	}
	strcpy(text, spec);
	next = strchr(tok, ',');
	if (next) {
		*next++ = '\0';
	}
	if (rd_parse_size(tok, &p->nbytes)) {
		return rd_reject(tok[0] || !next
				     ? "the size is not a number with an optional unit "
				       "(e.g. 64MiB)"
				     : "the size comes first (the identifier starts with "
				       "a comma)",
				 -EINVAL);
	}
	while (next) {
		tok = next;
		next = strchr(tok, ',');
		if (next) {
			*next++ = '\0';
		}
		err = rd_parse_token(tok, p, why, sizeof(why));
		if (err) {
			return rd_reject(why, err);
		}
	}
	return rd_parse_check(p);
}

static uint64_t
rd_sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* 1/16 of the namespace, or the fewest zones above 16 that divide it into equal zones */
static uint64_t
rd_zsze_default(uint64_t nlb)
{
	for (uint64_t n = 16; n > 1; --n) {
		if (nlb % n == 0) {
			return nlb / n;
		}
	}
	return nlb;
}

/* The zoned namespace's geometry: every block in a zone, the zone count in 64 bits and bounded */
static int
rd_zone_plan(struct rd_ns *ns, const struct rd_params *p, uint64_t nlb, uint64_t *need)
{
	uint64_t nzones;

	ns->csi = XNVME_SPEC_CSI_ZONED;
	ns->zsze = p->zsze ? p->zsze : rd_zsze_default(nlb);
	ns->zcap = p->zcap ? p->zcap : ns->zsze;
	ns->mor = p->mor ? p->mor - 1 : 0xFFFFFFFF;
	ns->mar = p->mar ? p->mar - 1 : 0xFFFFFFFF;
	ns->zdes = (uint8_t)p->zdes;
	if (ns->zcap > ns->zsze || nlb < ns->zsze || (p->mor && p->mar && p->mor > p->mar)) {
		return rd_reject("zoned: zcap above zsze, a zone larger than the namespace, or mor "
				 "above mar",
				 -EINVAL);
	}
	if (nlb % ns->zsze) {
		return rd_rejectf(-EINVAL,
				  "zsze: %llu blocks do not divide the namespace's %llu (blocks "
				  "outside any zone)",
				  (unsigned long long)ns->zsze, (unsigned long long)nlb);
	}
	nzones = nlb / ns->zsze;
	if (nzones > RD_NZONES_MAX) {
		return rd_rejectf(
		    -EINVAL, "zoned: %llu zones, more than the model keeps (%u); a larger zsze",
		    (unsigned long long)nzones, RD_NZONES_MAX);
	}
	if (p->ronly >= 0 && (uint64_t)p->ronly >= nzones) {
		return rd_reject("ronly: no such zone", -EINVAL);
	}
	*need = rd_sat_add(*need, nzones * (sizeof(struct rd_zone) + (uint64_t)ns->zdes * 64));
	return 0;
}

/*
 * A namespace's settings, checked, and the bytes of memory it will take: data and metadata
 * (none with nil), the uncorrectable bitmap and the zone state (nil or not), seeded keys
 */
static int
rd_ns_plan(struct rd_ns *ns, const struct rd_params *p, uint32_t nsid, uint64_t *need)
{
	uint64_t nlb = p->nbytes / p->lbads;

	ns->nsid = nsid;
	ns->nbytes = p->nbytes;
	ns->mset = p->mset;
	ns->csi = XNVME_SPEC_CSI_NVM;
	if (nsid == p->kv) {
		uint64_t seed = rd_kv_seed_nbytes(p->kvseed);

		ns->csi = XNVME_SPEC_CSI_KV;
		/* Seeded values fill the capacity as stored ones do (kv_store's Capacity Exceeded)
		 */
		if (seed > p->nbytes) {
			return rd_rejectf(-EINVAL,
					  "kvseed: %u values take %llu bytes, more than the "
					  "namespace's %llu",
					  p->kvseed, (unsigned long long)seed,
					  (unsigned long long)p->nbytes);
		}
		*need = rd_sat_add(seed, (uint64_t)p->kvseed * sizeof(struct rd_kv_entry));
		return 0;
	}
	*need = p->nil ? 0 : rd_sat_add(p->nbytes, nlb * p->ms);
	*need = rd_sat_add(*need, (nlb + 7) / 8);
	return nsid == p->zoned ? rd_zone_plan(ns, p, nlb, need) : 0;
}

/* The LBA format the identifier asks for, and a size it divides */
static int
rd_lbaf_find(const struct rd_params *p, uint8_t *idx)
{
	*idx = rd_nlbafs;
	for (uint8_t i = 0; i < rd_nlbafs; ++i) {
		if (rd_lbafs[i].lbads == p->lbads && rd_lbafs[i].ms == p->ms) {
			*idx = i;
		}
	}
	if (*idx == rd_nlbafs) {
		return rd_reject(
		    "no such LBA format: lbads 512 or 4096 with ms 0, 8, 16 (512) or 0, "
		    "8, 64 (4096)",
		    -EINVAL);
	}
	if (!p->nbytes || p->nbytes % p->lbads) {
		return rd_reject("the size is 0 or not a multiple of the LBA size", -EINVAL);
	}
	return 0;
}

/*
 * The namespaces' memory (or the image's regions) and contents: a new device's seeded keys and
 * read-only zone, or an image's keys as a former process left them (@p fresh 0)
 */
static int
rd_ctrl_fill(struct rd_ctrl *ctrl, const struct rd_params *p, int fresh)
{
	for (uint32_t i = 0; i < p->nns; ++i) {
		struct rd_ns *ns = &ctrl->ns[i];
		int err;

		if (rd_ns_alloc(ns, p->nil)) {
			return rd_reject("cannot allocate the namespace's memory", -ENOMEM);
		}
		if (ns->csi == XNVME_SPEC_CSI_KV && !fresh) {
			err = rd_kv_load(ns);
			if (err) {
				return rd_reject(
				    err == -ENOMEM ? "cannot allocate the image's keys"
						   : "file=: the image's key-value log is damaged",
				    err);
			}
		}
		if (ns->csi == XNVME_SPEC_CSI_KV && fresh && rd_kv_seed(ns, p->kvseed)) {
			return rd_reject("cannot allocate the seeded keys", -ENOMEM);
		}
		if (ns->csi == XNVME_SPEC_CSI_KV && fresh && ns->img && rd_kv_compact(ns)) {
			return rd_reject("kvseed: the keys do not fit the image's key-value log",
					 -ENOSPC);
		}
		if (ns->csi == XNVME_SPEC_CSI_ZONED && p->ronly >= 0) {
			/* The controller made it read-only: the changed zone list says so */
			ns->zones[p->ronly].zs = XNVME_SPEC_ZND_STATE_RONLY;
			ctrl->changed_zones[ctrl->nchanged_zones++] = ns->zones[p->ronly].zslba;
		}
	}
	return 0;
}

/* The image of file=: opened (or made) for the namespaces rd_ns_plan() set up */
static int
rd_ctrl_image(struct rd_ctrl *ctrl, const struct rd_params *p, int *created)
{
	char shape[160], why[256];
	int err;

	/* What decides the image's layout; a format's changes are the image's own */
	snprintf(shape, sizeof(shape), "%llu bytes, lbads %u, ms %u, mset %s, nns %u, kv %u",
		 (unsigned long long)p->nbytes, p->lbads, p->ms, p->mset ? "ext" : "sep", p->nns,
		 p->kv);
	err = rd_img_open(ctrl, p->file, shape, created, why, sizeof(why));
	return err ? rd_reject(why, err) : 0;
}

/* Checks the parameters against each other and the machine's memory; fills the controller */
static int
rd_ctrl_setup(struct rd_ctrl *ctrl, const struct rd_params *p)
{
	uint64_t avail = xnvme_compat_avail_memory();
	uint64_t need = 0;
	int created = 0;
	uint8_t idx;
	int err;

	err = rd_lbaf_find(p, &idx);
	for (uint32_t i = 0; !err && i < p->nns; ++i) {
		uint64_t ns_need = 0;

		ctrl->ns[i].flbas_idx = idx;
		err = rd_ns_plan(&ctrl->ns[i], p, i + 1, &ns_need);
		need = rd_sat_add(need, ns_need);
	}
	if (err) {
		return err;
	}
	/* All the model keeps, nil or not: nil keeps no data, but its zones and bitmaps count */
	if (avail && need > avail) {
		return rd_rejectf(-ENOMEM,
				  "the namespaces need %llu bytes, more than the machine's free "
				  "memory (%llu)",
				  (unsigned long long)need, (unsigned long long)avail);
	}
	ctrl->nil = p->nil;
	ctrl->nns = p->nns;
	memcpy(ctrl->err, p->err, sizeof(ctrl->err));
	ctrl->nerr = p->nerr;
	ctrl->feat[XNVME_SPEC_FEAT_TEMP_THRESHOLD] = 0x157; /* 343 K */
	ctrl->feat[XNVME_SPEC_FEAT_VWCACHE] = 1;
	ctrl->feat[XNVME_SPEC_FEAT_NQUEUES] = (63u << 16) | 63u;
	memcpy(ctrl->feat_saved, ctrl->feat, sizeof(ctrl->feat));
	if (!p->file[0]) {
		return rd_ctrl_fill(ctrl, p, 1);
	}
	err = rd_ctrl_image(ctrl, p, &created);
	err = err ? err : rd_ctrl_fill(ctrl, p, created);
	if (err) {
		rd_img_discard(ctrl); /* refused: a file made for it goes too */
	}
	return err;
}

static void
rd_ctrl_free(struct rd_ctrl *ctrl)
{
	for (uint32_t i = 0; i < RD_NNS_MAX; ++i) {
		rd_ns_free(&ctrl->ns[i]);
	}
	rd_img_close(ctrl); /* after the namespaces: their regions are in its mapping */
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

/* A model from parsed parameters, its serial number from @p key */
static int
rd_ctrl_new(const struct rd_params *params, const char *key, struct rd_ctrl **out)
{
	struct rd_ctrl *ctrl = calloc(1, sizeof(*ctrl));
	int err;

	if (!ctrl) {
		return rd_reject("cannot allocate the controller", -ENOMEM);
	}
	pthread_mutex_init(&ctrl->lock, NULL);
	ctrl->serial = rd_serial(key);
	err = rd_ctrl_setup(ctrl, params);
	if (err) {
		rd_ctrl_free(ctrl);
		return err;
	}
	*out = ctrl;
	return 0;
}

int
rd_model_new(const char *spec, const char *key, const char *who, const char *more_keys,
	     struct rd_ctrl **ctrl)
{
	struct rd_params params;
	int err;

	rd_who = who;
	rd_more_keys = more_keys;
	err = rd_parse(spec, &params);
	err = err ? err : rd_ctrl_new(&params, key, ctrl);
	rd_who = "ramdisk";
	rd_more_keys = "";
	return err;
}

void
rd_model_free(struct rd_ctrl *ctrl)
{
	rd_ctrl_free(ctrl);
}

/* Opens the model of a controller: @p arg is the identifier's parsed parameters */
static int
rd_ctrl_open(struct xnvme_ctrl *xctrl, struct xnvme_dev *dev, const void *arg)
{
	(void)dev;
	return rd_ctrl_new(arg, xctrl->key, (struct rd_ctrl **)&xctrl->state);
}

/* Never called while the ramdisk keeps its controllers (keep); there for the contract's sake */
static void
rd_ctrl_close(struct xnvme_ctrl *xctrl)
{
	rd_ctrl_free(xctrl->state);
}

int
rd_exec_admin(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf)
{
	int err;

	/* The model's lock, not only the admin path's: admin commands change what I/O sees */
	pthread_mutex_lock(&ctrl->lock);
	ctx->cpl.status.val = 0;
	err = rd_err_inject(ctrl, ctx, 1);
	err = err ? err : rd_admin(ctrl, ctx, dbuf);
	pthread_mutex_unlock(&ctrl->lock);
	return err;
}

static int
rd_ctrl_admin(struct xnvme_ctrl *xctrl, struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes,
	      void *mbuf, size_t mbuf_nbytes)
{
	struct rd_buf d;

	(void)mbuf;
	(void)mbuf_nbytes;
	rd_buf_init(&d, dbuf, dbuf_nbytes);
	return rd_exec_admin(xctrl->state, ctx, &d);
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
int
rd_exec_io(struct rd_ctrl *ctrl, struct xnvme_cmd_ctx *ctx, struct rd_buf *dbuf,
	   struct rd_buf *mbuf)
{
	struct rd_ns *ns;
	int err;

	pthread_mutex_lock(&ctrl->lock);
	ctx->cpl.status.val = 0;
	ns = rd_ns_get(ctrl, ctx->cmd.common.nsid);
	err = rd_err_inject(ctrl, ctx, 0);
	if (err) {
		/* failed as the identifier's err= asks: the command is not carried out */
	} else if (!ns && ctx->cmd.common.opcode == XNVME_SPEC_NVM_OPC_FLUSH &&
		   ctx->cmd.common.nsid == 0xFFFFFFFF) {
		/* flush of all namespaces: memory has nothing to commit, an image its pages */
		err = rd_img_sync(ctrl) ? rd_status(ctrl, ctx, XNVME_STATUS_CODE_TYPE_GENERIC,
						    XNVME_SPEC_SC_INTERNAL_DEVICE_ERROR)
					: 0;
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
	return rd_exec_io(ctx->dev->be_state, ctx, &d, &m);
}

static int
rd_sync_cmd_iov(struct xnvme_cmd_ctx *ctx, struct iovec *dvec, size_t dvec_cnt, size_t dvec_nbytes,
		struct iovec *mvec, size_t mvec_cnt, size_t mvec_nbytes)
{
	struct rd_buf d, m;

	rd_buf_initv(&d, dvec, dvec_cnt, dvec_nbytes);
	rd_buf_initv(&m, mvec, mvec_cnt, mvec_nbytes);
	return rd_exec_io(ctx->dev->be_state, ctx, &d, &m);
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
