// SPDX-License-Identifier: BSD-3-Clause
/*
 * The model's fault hooks (identifier key fault=, model.h says what each does): parsing, and
 * which fire at an I/O command.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

static const struct {
	const char *name;
	uint32_t kind;
} model_fault_names[] = {
    {"never-ready", MODEL_FAULT_NEVER_READY},
    {"cfs", MODEL_FAULT_CFS},
    {"drop", MODEL_FAULT_DROP},
    {"dup", MODEL_FAULT_DUP},
    {"stale", MODEL_FAULT_STALE},
    {"badcid", MODEL_FAULT_BADCID},
    {"hold", MODEL_FAULT_HOLD},
};
#define MODEL_NFAULT_NAMES (sizeof(model_fault_names) / sizeof(model_fault_names[0]))

/* One RULE: never-ready, or NAME@N with N from 1 */
static int
model_fault_rule(const char *rule, struct model_fault *f, char *why, size_t why_len)
{
	const char *at = strchr(rule, '@');
	size_t len = at ? (size_t)(at - rule) : strlen(rule);
	size_t i;

	for (i = 0; i < MODEL_NFAULT_NAMES; ++i) {
		if (strlen(model_fault_names[i].name) == len &&
		    !strncmp(rule, model_fault_names[i].name, len)) {
			break;
		}
	}
	if (i == MODEL_NFAULT_NAMES) {
		snprintf(why, why_len,
			 "fault: unknown rule '%.32s' (never-ready, cfs@N, drop@N, dup@N, "
			 "stale@N, badcid@N, hold@N)",
			 rule);
		return -EINVAL;
	}
	f->kind = model_fault_names[i].kind;
	f->nth = 0;
	if (f->kind == MODEL_FAULT_NEVER_READY) {
		if (at) {
			snprintf(why, why_len, "fault: never-ready takes no @N");
			return -EINVAL;
		}
		return 0;
	}
	if (at && at[1] >= '0' && at[1] <= '9') {
		char *end;

		errno = 0;
		f->nth = strtoull(at + 1, &end, 10);
		if (errno || *end) {
			f->nth = 0;
		}
	}
	if (!f->nth) {
		snprintf(why, why_len,
			 "fault: %s needs @N, N the one-based I/O command number (e.g. %s@1)",
			 model_fault_names[i].name, model_fault_names[i].name);
		return -EINVAL;
	}
	return 0;
}

int
model_fault_parse(const char *val, struct model *m, char *why, size_t why_len)
{
	char text[256], *rule, *next;

	if (!val[0] || strlen(val) >= sizeof(text)) {
		snprintf(why, why_len, "fault: empty or too long");
		return -EINVAL;
	}
	strcpy(text, val);
	for (rule = text; rule; rule = next) {
		int err;

		next = strchr(rule, '+');
		if (next) {
			*next++ = '\0';
		}
		if (m->nfaults == MODEL_FAULT_MAX) {
			snprintf(why, why_len, "fault: more than %d rules", MODEL_FAULT_MAX);
			return -EINVAL;
		}
		err = model_fault_rule(rule, &m->faults[m->nfaults], why, why_len);
		if (err) {
			return err;
		}
		m->nfaults++;
	}
	return 0;
}

uint32_t
model_fault_at(const struct model *m, uint64_t nth)
{
	uint32_t kinds = 0;

	for (uint32_t i = 0; i < m->nfaults; ++i) {
		if (m->faults[i].nth == nth) {
			kinds |= m->faults[i].kind;
		}
	}
	return kinds;
}

int
model_fault_never_ready(const struct model *m)
{
	for (uint32_t i = 0; i < m->nfaults; ++i) {
		if (m->faults[i].kind == MODEL_FAULT_NEVER_READY) {
			return 1;
		}
	}
	return 0;
}

uint16_t
model_fault_badcid(const struct model_sq *sq, uint16_t cid)
{
	uint16_t bad = cid ^ 0x8000;

	for (uint32_t tries = 0; tries < 65536; ++tries, ++bad) {
		uint32_t i;

		for (i = 0; i < sq->size && sq->ring[i].common.cid != bad; ++i) {
		}
		if (i == sq->size) {
			return bad;
		}
	}
	return bad; /* every id is in the ring: a queue of 65536 entries, all distinct */
}
