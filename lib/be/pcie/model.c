// SPDX-License-Identifier: BSD-3-Clause
/*
 * The in-memory controller's registry, identifier keys, registers and DMA ops (model.h).
 *
 * Register decisions: CAP has MQES from mqes=, CQR 1 (queues must be physically contiguous:
 * the model maps a queue as one piece), AMS 0, TO from to=, DSTRD from dstrd=, CSS bits 0 (NVM)
 * and 6 (I/O command sets), MPSMIN = MPSMAX = 0 (4 KiB pages). VS is 2.0. Other offsets read 0;
 * writes to read-only registers and unknown offsets are ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define CAP_CSS_NVM  (1ull << 37)
#define CAP_CSS_IOCS (1ull << 43)

static pthread_mutex_t model_registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct model *model_registry; ///< Models live until the process ends

static int
model_reject(const char *what, int err)
{
	xnvme_be_open_err_add("pcie", what, err);
	return err;
}

void *
model_ptr(uint64_t iova, size_t len)
{
	uint64_t va;

	if (iova < MODEL_IOVA_OFFSET) {
		return NULL;
	}
	va = iova - MODEL_IOVA_OFFSET;
	if (!va || va >= MODEL_VADDR_LIMIT || len > MODEL_VADDR_LIMIT - va) {
		return NULL;
	}
	return (void *)(uintptr_t)va;
}

/* The model's own keys, taken out of the identifier before the ramdisk sees the rest */
struct model_key {
	const char *name;
	uint32_t min, max;
	size_t off; ///< Of the uint32_t field in struct model; 0: parsed by name
};

static const struct model_key model_keys[] = {
    {"proc", 0, 0, 0},
    {"sgl", 0, 1, offsetof(struct model, sgl)},
    {"mdts", 1, RD_MDTS, offsetof(struct model, mdts)},
    {"mqes", 1, 65535, offsetof(struct model, mqes)},
    {"nqueues", 1, 65535, offsetof(struct model, nqueues)},
    {"dstrd", 0, 15, offsetof(struct model, dstrd)},
    {"to", 1, 255, offsetof(struct model, to)},
    {"fault", 0, 0, 0},
};
#define MODEL_NKEYS (sizeof(model_keys) / sizeof(model_keys[0]))

static int
model_num(const char *str, uint32_t min, uint32_t max, uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (str[0] < '0' || str[0] > '9') {
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(str, &end, 0);
	if (errno || *end || v < min || v > max) {
		return -EINVAL;
	}
	*val = (uint32_t)v;
	return 0;
}

/* One model key's value; 0 or -EINVAL with the reason in @p why */
static int
model_key_set(struct model *m, size_t k, const char *v, char *why, size_t why_len)
{
	const struct model_key *key = &model_keys[k];
	uint32_t val;

	if (!strcmp(key->name, "proc")) {
		m->thread = !strcmp(v, "thread");
		if (strcmp(v, "thread") && strcmp(v, "inline")) {
			snprintf(why, why_len, "proc: '%.32s' is neither inline nor thread", v);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key->name, "fault")) {
		return model_fault_parse(v, m, why, why_len);
	}
	if (model_num(v, key->min, key->max, &val)) {
		snprintf(why, why_len, "%s: the value '%.32s' is not a number from %u to %u",
			 key->name, v, key->min, key->max);
		return -EINVAL;
	}
	memcpy((uint8_t *)m + key->off, &val, sizeof(val));
	return 0;
}

/*
 * Splits @p spec: the model's keys into @p m, the rest (size first) into @p rest for the
 * ramdisk, which refuses what neither knows. 0 or -EINVAL (reason reported).
 */
static int
model_parse(const char *spec, struct model *m, char *rest, size_t rest_len)
{
	char text[384], why[192], *tok, *next;
	uint32_t given = 0;
	size_t k;
	int err;

	m->sgl = 1;
	m->mdts = RD_MDTS;
	m->mqes = 4095;
	m->nqueues = 64;
	m->to = 2;
	if (strlen(spec) >= sizeof(text) || strlen(spec) >= rest_len) {
		return model_reject("the identifier is too long", -EINVAL);
	}
	strcpy(text, spec);
	rest[0] = '\0';
	for (tok = text; tok; tok = next) {
		char *eq;

		next = strchr(tok, ',');
		if (next) {
			*next++ = '\0';
		}
		eq = strchr(tok, '=');
		for (k = 0; eq && k < MODEL_NKEYS; ++k) {
			if ((size_t)(eq - tok) == strlen(model_keys[k].name) &&
			    !strncmp(tok, model_keys[k].name, (size_t)(eq - tok))) {
				break;
			}
		}
		if (tok == text || !eq || k == MODEL_NKEYS) {
			/* The size and the ramdisk's keys, in their order */
			if (tok != text) {
				strcat(rest, ",");
			}
			strcat(rest, tok);
			continue;
		}
		if (given & (1u << k)) {
			snprintf(why, sizeof(why),
				 "%s: given twice (fault= takes several rules joined by '+')",
				 model_keys[k].name);
			return model_reject(why, -EINVAL);
		}
		given |= 1u << k;
		err = model_key_set(m, k, eq + 1, why, sizeof(why));
		if (err) {
			return model_reject(why, err);
		}
	}
	return 0;
}

static uint64_t
model_cap(const struct model *m)
{
	return (uint64_t)m->mqes | 1ull << 16 | (uint64_t)m->to << 24 | (uint64_t)m->dstrd << 32 |
	       CAP_CSS_NVM | CAP_CSS_IOCS;
}

static uint64_t
model_reg64(struct model *m, uint32_t off)
{
	switch (off) {
	case PCIE_REG_CAP:
		return model_cap(m);
	case PCIE_REG_ASQ:
		return m->asq;
	case PCIE_REG_ACQ:
		return m->acq;
	}
	return 0;
}

static uint32_t
model_reg_read32(struct pcie_hw *hw, uint32_t off)
{
	struct model *m = (struct model *)hw;

	switch (off) {
	case PCIE_REG_CAP:
	case PCIE_REG_ASQ:
	case PCIE_REG_ACQ:
		return (uint32_t)model_reg64(m, off);
	case PCIE_REG_CAP + 4:
	case PCIE_REG_ASQ + 4:
	case PCIE_REG_ACQ + 4:
		return (uint32_t)(model_reg64(m, off - 4) >> 32);
	case PCIE_REG_VS:
		return 0x00020000;
	case PCIE_REG_CC:
		return m->cc;
	case PCIE_REG_CSTS:
		return atomic_load(&m->csts);
	case PCIE_REG_AQA:
		return m->aqa;
	}
	return 0;
}

static uint64_t
model_reg_read64(struct pcie_hw *hw, uint32_t off)
{
	struct model *m = (struct model *)hw;

	if (off == PCIE_REG_CAP || off == PCIE_REG_ASQ || off == PCIE_REG_ACQ) {
		return model_reg64(m, off);
	}
	return model_reg_read32(hw, off) | (uint64_t)model_reg_read32(hw, off + 4) << 32;
}

/* What CC.EN 0->1 requires of CC and the admin queue registers (NVMe 2.0 3.5.1) */
static int
model_cc_valid(const struct model *m, uint32_t cc)
{
	uint32_t css = (cc >> PCIE_CC_CSS_SHIFT) & 7, mps = (cc >> PCIE_CC_MPS_SHIFT) & 0xF;
	uint32_t asqs = m->aqa & 0xFFF, acqs = (m->aqa >> 16) & 0xFFF;

	if ((css != 0 && css != 6) || mps != 0 || ((cc >> PCIE_CC_AMS_SHIFT) & 7) ||
	    ((cc >> PCIE_CC_IOSQES_SHIFT) & 0xF) != 6 ||
	    ((cc >> PCIE_CC_IOCQES_SHIFT) & 0xF) != 4) {
		return 0;
	}
	if (!asqs || !acqs || (m->asq & (MODEL_PAGE - 1)) || (m->acq & (MODEL_PAGE - 1))) {
		return 0;
	}
	return model_ptr(m->asq, (size_t)(asqs + 1) * 64) &&
	       model_ptr(m->acq, (size_t)(acqs + 1) * 16);
}

static void
model_cc_write(struct model *m, uint32_t val)
{
	uint32_t old = m->cc;
	int en = val & PCIE_CC_EN, was = old & PCIE_CC_EN;
	uint32_t shn = (val >> PCIE_CC_SHN_SHIFT) & 3;

	m->cc = val;
	if (was && !en) {
		/* Controller reset: queues gone, CSTS cleared, AQA/ASQ/ACQ kept */
		model_quiesce(m, 1);
		atomic_store(&m->csts, 0);
		return;
	}
	if (shn && !((old >> PCIE_CC_SHN_SHIFT) & 3)) {
		/* Shutdown: nothing more is processed; complete at once */
		model_quiesce(m, 0);
		atomic_store(&m->csts, (atomic_load(&m->csts) & ~(3u << 2)) | 2u << 2);
		return;
	}
	if (!was && en) {
		if (!model_cc_valid(m, val) || model_enable(m)) {
			atomic_fetch_or(&m->csts, PCIE_CSTS_CFS);
			return;
		}
		if (model_fault_never_ready(m)) {
			return; /* queues set up, never processed: RDY stays 0 */
		}
		atomic_store(&m->halted, 0);
		if (m->thread && model_thread_start(m)) {
			atomic_store(&m->halted, 1);
			atomic_fetch_or(&m->csts, PCIE_CSTS_CFS);
			return;
		}
		atomic_fetch_or(&m->csts, PCIE_CSTS_RDY);
	}
}

static void
model_reg_write32(struct pcie_hw *hw, uint32_t off, uint32_t val)
{
	struct model *m = (struct model *)hw;

	/* Inline processing may be running in another thread's doorbell call */
	pthread_mutex_lock(&m->lock);
	switch (off) {
	case PCIE_REG_CC:
		model_cc_write(m, val);
		break;
	case PCIE_REG_AQA:
		m->aqa = val & 0x0FFF0FFF;
		break;
	case PCIE_REG_ASQ:
		m->asq = (m->asq & ~0xFFFFFFFFull) | val;
		break;
	case PCIE_REG_ASQ + 4:
		m->asq = (m->asq & 0xFFFFFFFFull) | (uint64_t)val << 32;
		break;
	case PCIE_REG_ACQ:
		m->acq = (m->acq & ~0xFFFFFFFFull) | val;
		break;
	case PCIE_REG_ACQ + 4:
		m->acq = (m->acq & 0xFFFFFFFFull) | (uint64_t)val << 32;
		break;
	}
	pthread_mutex_unlock(&m->lock);
}

static void
model_reg_write64(struct pcie_hw *hw, uint32_t off, uint64_t val)
{
	model_reg_write32(hw, off, (uint32_t)val);
	if (off == PCIE_REG_ASQ || off == PCIE_REG_ACQ) {
		model_reg_write32(hw, off + 4, (uint32_t)(val >> 32));
	}
}

static void *
model_dma_alloc(struct pcie_hw *hw, size_t nbytes, size_t align, uint64_t *iova)
{
	void *p = NULL;

	(void)hw;
	if (!nbytes || align < MODEL_PAGE || (align & (align - 1)) ||
	    xnvme_compat_memalign(&p, align, nbytes)) {
		return NULL;
	}
	memset(p, 0, nbytes);
	*iova = (uint64_t)(uintptr_t)p + MODEL_IOVA_OFFSET;
	return p;
}

static void
model_dma_free(struct pcie_hw *hw, void *vaddr, size_t nbytes)
{
	(void)hw;
	(void)nbytes;
	xnvme_compat_memalign_free(vaddr);
}

/* Every address of the process is reachable: mapping is a no-op */
static int
model_dma_map(struct pcie_hw *hw, void *vaddr, size_t nbytes)
{
	(void)hw;
	(void)vaddr;
	(void)nbytes;
	return 0;
}

static int
model_dma_unmap(struct pcie_hw *hw, void *vaddr)
{
	(void)hw;
	(void)vaddr;
	return 0;
}

static int
model_dma_translate(struct pcie_hw *hw, const void *vaddr, uint64_t *iova)
{
	(void)hw;
	*iova = (uint64_t)(uintptr_t)vaddr + MODEL_IOVA_OFFSET;
	return 0;
}

/* Back to the power-on state: CC 0, CSTS 0, no queues, admin registers 0 */
static void
model_power_on(struct model *m)
{
	pthread_mutex_lock(&m->lock);
	model_quiesce(m, 1);
	m->cc = 0;
	m->aqa = 0;
	m->asq = m->acq = 0;
	atomic_store(&m->csts, 0);
	pthread_mutex_unlock(&m->lock);
}

static void
model_close(struct pcie_hw *hw)
{
	struct model *m = (struct model *)hw;

	model_power_on(m);
	pthread_mutex_lock(&model_registry_lock);
	m->held = 0;
	pthread_mutex_unlock(&model_registry_lock);
}

static const struct pcie_hw_ops model_ops = {
    .name = "model",
    .reg_read32 = model_reg_read32,
    .reg_read64 = model_reg_read64,
    .reg_write32 = model_reg_write32,
    .reg_write64 = model_reg_write64,
    .doorbell = model_doorbell,
    .dma_alloc = model_dma_alloc,
    .dma_free = model_dma_free,
    .dma_map = model_dma_map,
    .dma_unmap = model_dma_unmap,
    .dma_translate = model_dma_translate,
    .close = model_close,
};

static void
model_free(struct model *m)
{
	if (m->rd) {
		rd_model_free(m->rd);
	}
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->sleep_lock);
	pthread_mutex_destroy(&m->lock);
	model_vec_free(&m->dvec);
	model_vec_free(&m->mvec);
	free(m->sq);
	free(m->cq);
	free((void *)m->sq_tail);
	free((void *)m->cq_head);
	free(m->spec);
	free(m);
}

/* A model for @p spec, not yet in the registry */
static int
model_new(const char *spec, struct model **out)
{
	char rest[384], key[400];
	struct model *m = calloc(1, sizeof(*m));
	size_t n;
	int err;

	if (!m) {
		return model_reject("cannot allocate the model", -ENOMEM);
	}
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_init(&m->sleep_lock, NULL);
	pthread_cond_init(&m->wake, NULL);
	err = model_parse(spec, m, rest, sizeof(rest));
	if (err) {
		model_free(m);
		return err;
	}
	n = (size_t)m->nqueues + 1;
	m->spec = strdup(spec);
	m->sq = calloc(n, sizeof(*m->sq));
	m->cq = calloc(n, sizeof(*m->cq));
	m->sq_tail = calloc(n, sizeof(*m->sq_tail));
	m->cq_head = calloc(n, sizeof(*m->cq_head));
	if (!m->spec || !m->sq || !m->cq || !m->sq_tail || !m->cq_head) {
		model_free(m);
		return model_reject("cannot allocate the model's queues", -ENOMEM);
	}
	/* The ramdisk parses the rest; its refusals are reported as ours, with our keys listed */
	snprintf(key, sizeof(key), "pcie-model:%s", spec);
	err = rd_model_new(rest, key, "pcie", ", proc, sgl, mdts, mqes, nqueues, dstrd, to, fault",
			   &m->rd);
	if (err) {
		model_free(m);
		return err;
	}
	m->hw.ops = &model_ops;
	m->hw.iova_linear = 1;
	m->hw.iova_offset = MODEL_IOVA_OFFSET;
	atomic_store(&m->halted, 1);
	*out = m;
	return 0;
}

int
pcie_model_open(const char *spec, struct pcie_hw **hw)
{
	struct model *m;
	int err = 0;

	pthread_mutex_lock(&model_registry_lock);
	for (m = model_registry; m && strcmp(m->spec, spec); m = m->next) {
	}
	if (m && m->held) {
		err = model_reject("the model is open already (one driver per controller)", -EBUSY);
	} else if (!m) {
		err = model_new(spec, &m);
		if (!err) {
			m->next = model_registry;
			model_registry = m;
		}
	}
	if (!err) {
		m->held = 1;
	}
	pthread_mutex_unlock(&model_registry_lock);
	if (err) {
		return err;
	}
	model_power_on(m);
	*hw = &m->hw;
	return 0;
}
