/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FreeBSD backend's pure part (bsd_nvme.h): the passthrough request and its completion, the
 * controller of a node, node names, disk geometry. Built on every system (the unit test runs on
 * Linux); its layouts are asserted here against the numbers read off FreeBSD 13.4's headers, and
 * in a FreeBSD compile (make check-freebsd) against the headers themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "bsd_nvme.h"

#define BSD_ASSERT_OFF(type, field, off)                                                           \
	_Static_assert(offsetof(type, field) == (off), #type "." #field " is not at " #off);

/* The 64-byte command and 16-byte completion: the same on every architecture */
_Static_assert(sizeof(struct bsd_nvme_command) == 64, "nvme_command is 64 bytes");
BSD_ASSERT_OFF(struct bsd_nvme_command, nsid, 4)
BSD_ASSERT_OFF(struct bsd_nvme_command, rsvd2, 8)
BSD_ASSERT_OFF(struct bsd_nvme_command, mptr, 16)
BSD_ASSERT_OFF(struct bsd_nvme_command, prp1, 24)
BSD_ASSERT_OFF(struct bsd_nvme_command, cdw10, 40)
BSD_ASSERT_OFF(struct bsd_nvme_command, cdw15, 60)
_Static_assert(sizeof(struct bsd_nvme_completion) == 16, "nvme_completion is 16 bytes");
_Static_assert(_Alignof(struct bsd_nvme_completion) == 8, "nvme_completion is 8-aligned");
BSD_ASSERT_OFF(struct bsd_nvme_completion, status, 14)
_Static_assert(sizeof(struct bsd_nvme_get_nsid) == 260, "nvme_get_nsid is 260 bytes");
BSD_ASSERT_OFF(struct bsd_nvme_get_nsid, nsid, 256)

/* The passthrough holds two pointers: its layout is LP64's (FreeBSD 13.4 amd64: 104 bytes) */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct bsd_nvme_pt_command) == 104, "nvme_pt_command is 104 bytes");
BSD_ASSERT_OFF(struct bsd_nvme_pt_command, cpl, 64)
BSD_ASSERT_OFF(struct bsd_nvme_pt_command, buf, 80)
BSD_ASSERT_OFF(struct bsd_nvme_pt_command, len, 88)
BSD_ASSERT_OFF(struct bsd_nvme_pt_command, is_read, 92)
BSD_ASSERT_OFF(struct bsd_nvme_pt_command, driver_lock, 96)
/* _IOWR: direction bits 31:30, the argument's size in bits 28:16, group, number */
_Static_assert(BSD_NVME_PASSTHROUGH_CMD ==
		   (0xc0000000UL | (sizeof(struct bsd_nvme_pt_command) << 16) | ('n' << 8) | 0),
	       "NVME_PASSTHROUGH_CMD encodes the structure's size");
#endif
_Static_assert(BSD_NVME_GET_NSID ==
		   (0x40000000UL | (sizeof(struct bsd_nvme_get_nsid) << 16) | ('n' << 8) | 2),
	       "NVME_GET_NSID encodes the structure's size");

#ifdef __FreeBSD__
/* The real thing: a FreeBSD compile checks every declaration above against the system's */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/disk.h>
#include <dev/nvme/nvme.h>

#define BSD_ASSERT_SAME(ours, theirs, field)                                                       \
	_Static_assert(offsetof(struct ours, field) == offsetof(struct theirs, field) &&           \
			   sizeof(((struct ours *)0)->field) ==                                    \
			       sizeof(((struct theirs *)0)->field),                                \
		       #ours "." #field " differs from FreeBSD's " #theirs);

_Static_assert(sizeof(struct bsd_nvme_command) == sizeof(struct nvme_command), "nvme_command");
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, opc)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, fuse)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, cid)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, nsid)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, rsvd2)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, rsvd3)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, mptr)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, prp1)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, prp2)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, cdw10)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, cdw11)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, cdw12)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, cdw13)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, cdw14)
BSD_ASSERT_SAME(bsd_nvme_command, nvme_command, cdw15)
_Static_assert(sizeof(struct bsd_nvme_completion) == sizeof(struct nvme_completion) &&
		   _Alignof(struct bsd_nvme_completion) == _Alignof(struct nvme_completion),
	       "nvme_completion");
BSD_ASSERT_SAME(bsd_nvme_completion, nvme_completion, cdw0)
BSD_ASSERT_SAME(bsd_nvme_completion, nvme_completion, sqhd)
BSD_ASSERT_SAME(bsd_nvme_completion, nvme_completion, cid)
BSD_ASSERT_SAME(bsd_nvme_completion, nvme_completion, status)
_Static_assert(sizeof(struct bsd_nvme_pt_command) == sizeof(struct nvme_pt_command) &&
		   _Alignof(struct bsd_nvme_pt_command) == _Alignof(struct nvme_pt_command),
	       "nvme_pt_command");
BSD_ASSERT_SAME(bsd_nvme_pt_command, nvme_pt_command, cmd)
BSD_ASSERT_SAME(bsd_nvme_pt_command, nvme_pt_command, cpl)
BSD_ASSERT_SAME(bsd_nvme_pt_command, nvme_pt_command, buf)
BSD_ASSERT_SAME(bsd_nvme_pt_command, nvme_pt_command, len)
BSD_ASSERT_SAME(bsd_nvme_pt_command, nvme_pt_command, is_read)
BSD_ASSERT_SAME(bsd_nvme_pt_command, nvme_pt_command, driver_lock)
_Static_assert(sizeof(struct bsd_nvme_get_nsid) == sizeof(struct nvme_get_nsid), "nvme_get_nsid");
BSD_ASSERT_SAME(bsd_nvme_get_nsid, nvme_get_nsid, cdev)
BSD_ASSERT_SAME(bsd_nvme_get_nsid, nvme_get_nsid, nsid)
_Static_assert(BSD_NVME_SPECNAMELEN == SPECNAMELEN, "SPECNAMELEN");
_Static_assert(BSD_NVME_PASSTHROUGH_CMD == NVME_PASSTHROUGH_CMD, "NVME_PASSTHROUGH_CMD");
_Static_assert(BSD_NVME_GET_NSID == NVME_GET_NSID, "NVME_GET_NSID");
_Static_assert(BSD_NVME_GET_MAX_XFER_SIZE == NVME_GET_MAX_XFER_SIZE, "NVME_GET_MAX_XFER_SIZE");
_Static_assert(BSD_DIOCGSECTORSIZE == DIOCGSECTORSIZE, "DIOCGSECTORSIZE");
_Static_assert(BSD_DIOCGMEDIASIZE == DIOCGMEDIASIZE, "DIOCGMEDIASIZE");
_Static_assert(NVME_STATUS_SC_SHIFT == 1 && NVME_STATUS_SCT_SHIFT == 9 &&
		   NVME_STATUS_SC_MASK == 0xff && NVME_STATUS_SCT_MASK == 0x7,
	       "the completion status is laid out as NVMe's (SC bits 8:1, SCT 11:9)");
#endif

/* Opcode bits 1:0, NVMe 2.0 Figure 88 (and every command set's opcode tables) */
enum bsd_xfer {
	BSD_XFER_NONE = 0x0,
	BSD_XFER_TO_DEV = 0x1,
	BSD_XFER_FROM_DEV = 0x2,
	BSD_XFER_BIDI = 0x3,
};

int
bsd_nvme_pt_build(struct bsd_nvme_pt_command *pt, const struct xnvme_spec_cmd *cmd, void *dbuf,
		  size_t dbuf_nbytes, size_t mbuf_nbytes, uint32_t node_nsid)
{
	const struct xnvme_spec_cmd_common *c;
	int xfer;

	if (!pt) {
		return -EINVAL;
	}
	memset(pt, 0, sizeof(*pt));
	if (!cmd) {
		return -EINVAL;
	}
	c = &cmd->common;
	xfer = c->opcode & 0x3;
	if (mbuf_nbytes || c->fuse || c->cdw02 || c->cdw03 || xfer == BSD_XFER_BIDI) {
		return -EINVAL;
	}
	if (dbuf_nbytes > UINT32_MAX || (dbuf_nbytes && !dbuf) ||
	    (dbuf_nbytes && xfer == BSD_XFER_NONE)) {
		return -EINVAL;
	}
	if (node_nsid && c->nsid != node_nsid) {
		return -EINVAL;
	}
	pt->cmd.opc = c->opcode;
	pt->cmd.nsid = c->nsid;
	pt->cmd.cdw10 = c->ndt;
	pt->cmd.cdw11 = c->ndm;
	pt->cmd.cdw12 = c->cdw12;
	pt->cmd.cdw13 = c->cdw13;
	pt->cmd.cdw14 = c->cdw14;
	pt->cmd.cdw15 = c->cdw15;
	pt->buf = dbuf_nbytes ? dbuf : NULL;
	pt->len = (uint32_t)dbuf_nbytes;
	pt->is_read = xfer == BSD_XFER_FROM_DEV;
	return 0;
}

int
bsd_nvme_pt_cpl(const struct bsd_nvme_pt_command *pt, struct xnvme_spec_cpl *cpl)
{
	uint16_t status;

	if (!pt || !cpl) {
		return -EINVAL;
	}
	status = pt->cpl.status & 0xfffe; /* the phase tag is the queue's, not the command's */
	cpl->cdw0 = pt->cpl.cdw0;
	cpl->status.val = status;
	/* SC bits 8:1 and SCT bits 11:9: More and Do Not Retry alone are no failure */
	return status & 0x0ffe ? -EIO : 0;
}

/* Decimal digits without a leading zero (but "0"), into *val; the rest after them in *end */
static int
bsd_parse_u32(const char *s, uint32_t *val, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9')) {
		return -EINVAL;
	}
	for (; *p >= '0' && *p <= '9'; ++p) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX) {
			return -EINVAL;
		}
	}
	*val = (uint32_t)v;
	*end = p;
	return 0;
}

int
bsd_node_parse(const char *path, struct bsd_node *node)
{
	const char *name, *rest;
	uint32_t ctrlr, nsid;

	if (!path || !node) {
		return -EINVAL;
	}
	memset(node, 0, sizeof(*node));
	name = strrchr(path, '/');
	name = name ? name + 1 : path;
	if (strncmp(name, "nvme", 4) || bsd_parse_u32(name + 4, &ctrlr, &rest)) {
		return 0;
	}
	if (!*rest) {
		node->kind = BSD_NODE_NVME_CTRLR;
		node->ctrlr = ctrlr;
		return 0;
	}
	if (strncmp(rest, "ns", 2) || bsd_parse_u32(rest + 2, &nsid, &rest) || *rest || !nsid) {
		return 0;
	}
	node->kind = BSD_NODE_NVME_NS;
	node->ctrlr = ctrlr;
	node->nsid = nsid;
	return 0;
}

int
bsd_nvme_ctrl_path(const struct bsd_nvme_get_nsid *gnsid, char *path, size_t len)
{
	struct bsd_node node;
	int n;

	if (!gnsid || !path || !len) {
		return -EINVAL;
	}
	if (!memchr(gnsid->cdev, '\0', sizeof(gnsid->cdev)) || strchr(gnsid->cdev, '/')) {
		return -EPROTO;
	}
	bsd_node_parse(gnsid->cdev, &node);
	if (node.kind != BSD_NODE_NVME_CTRLR) {
		return -EPROTO;
	}
	n = snprintf(path, len, "/dev/%s", gnsid->cdev);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int
bsd_disk_geometry(int64_t mediasize, uint32_t sectorsize, uint64_t *nbytes, uint32_t *lba_nbytes)
{
	if (!nbytes || !lba_nbytes) {
		return -EINVAL;
	}
	if (sectorsize < 512 || sectorsize > 65536 || (sectorsize & (sectorsize - 1))) {
		return -EPROTO;
	}
	if (mediasize <= 0 || (uint64_t)mediasize % sectorsize) {
		return -EPROTO;
	}
	*nbytes = (uint64_t)mediasize;
	*lba_nbytes = sectorsize;
	return 0;
}
