/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Internal: the completion ring of a Linux AIO context, as the kernel maps it into the process.
 *
 * io_setup() maps the ring into the process and returns its address as the io_context_t. The
 * kernel fills the entry at tail and then moves tail; the consumer reads the entries from head to
 * tail and then moves head. The consumer is either the kernel, inside io_getevents(), or the
 * process itself, which then takes completions without a system call. The kernel learns that
 * entries were consumed from head when it next accounts for free request slots (io_submit).
 *
 * The layout is the kernel's (struct aio_ring in fs/aio.c): an ABI that user space has read since
 * Linux 2.6 (libaio's own io_getevents() looks at it) but that no UAPI header declares, so it is
 * defined here. A ring whose magic, incompatible features or header length differ from what is
 * described here is not read at all: io_getevents() consumes it instead (libaio_ring_of()).
 */
#ifndef __XNVME_BE_LINUX_LIBAIO_RING_H
#define __XNVME_BE_LINUX_LIBAIO_RING_H

#include <assert.h>
#include <stdatomic.h>
#include <stdint.h>
#include <libaio.h>

#pragma GCC visibility push(hidden)

#define LIBAIO_RING_MAGIC 0xa10a10a1u

struct libaio_ring {
	uint32_t id;              ///< The kernel finds the context by it: never written here
	uint32_t nr;              ///< Entries in events[]: often more than io_setup() asked for
	_Atomic uint32_t head;    ///< Oldest entry not consumed; moved by the consumer
	_Atomic uint32_t tail;    ///< Next entry the kernel fills; moved after the entry is written
	uint32_t magic;           ///< LIBAIO_RING_MAGIC
	uint32_t compat_features; ///< Additions a reader that does not know them may ignore
	uint32_t incompat_features; ///< Changes a reader that does not know them must not read
	uint32_t header_length;     ///< Bytes before events[]
	struct io_event events[];
};

static_assert(sizeof(_Atomic uint32_t) == sizeof(uint32_t), "the ring's indices are plain u32");
static_assert(sizeof(struct libaio_ring) == 32, "the kernel's ring header is 8 u32");
static_assert(sizeof(struct io_event) == 32, "the kernel's io_event is 4 u64");

/**
 * The ring of @p ctx when it is laid out as described here, NULL otherwise: a kernel that changed
 * it (an incompatible feature, another header) is never guessed at
 */
static inline struct libaio_ring *
libaio_ring_of(io_context_t ctx)
{
	struct libaio_ring *ring = (struct libaio_ring *)ctx;

	if (!ring || ring->magic != LIBAIO_RING_MAGIC || ring->incompat_features != 0 ||
	    ring->header_length != sizeof(*ring) || !ring->nr) {
		return NULL;
	}
	return ring;
}

#pragma GCC visibility pop

#endif
