/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * Unit test of lib/be/freebsd/bsd_nvme.c, the FreeBSD backend's pure part, run on Linux: the
 * bytes of the passthrough request at the offsets of FreeBSD 13.4's struct nvme_pt_command (read
 * off its <dev/nvme/nvme.h>: cmd 0, cpl 64, buf 80, len 88, is_read 92, driver_lock 96; opcode 0,
 * NSID 4, CDW10-15 40-60), is_read from the opcode, the requests refused, the completion status,
 * the NVME_GET_NSID answer, node names, disk geometry and the ioctl numbers' encoding. Exit status
 * 0 when every check passes; each failure is printed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bsd_nvme.h"

static int g_checks;
static int g_fails;

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long va_ = (unsigned long long)(a);                                  \
		unsigned long long vb_ = (unsigned long long)(b);                                  \
		g_checks++;                                                                        \
		if (va_ != vb_) {                                                                  \
			g_fails++;                                                                 \
			printf("FAIL %s:%d: %s == %s (0x%llx != 0x%llx)\n", __FILE__, __LINE__,    \
			       #a, #b, va_, vb_);                                                  \
		}                                                                                  \
	} while (0)

/* Little-endian reads at a byte offset, as FreeBSD on x86-64 and arm64 lays the fields out */
static uint64_t
rd(const void *base, size_t off, size_t width)
{
	const uint8_t *b = (const uint8_t *)base + off;
	uint64_t v = 0;

	if (width > sizeof(v)) {
		fprintf(stderr, "rd: a read of %zu bytes does not fit 64 bits\n", width);
		abort();
	}
	for (size_t i = 0; i < width; ++i) {
		v |= (uint64_t)b[i] << (8 * i);
	}
	return v;
}

/* A command with every field the request must not copy set to something non-zero */
static void
cmd_fill(struct xnvme_spec_cmd *cmd, uint8_t opc, uint32_t nsid)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->common.opcode = opc;
	cmd->common.cid = 0x1234;
	cmd->common.psdt = 1;
	cmd->common.nsid = nsid;
	cmd->common.mptr = 0x1111111111111111ULL;
	cmd->common.dptr.prp.prp1 = 0x2222222222222222ULL;
	cmd->common.dptr.prp.prp2 = 0x3333333333333333ULL;
	cmd->common.ndt = 0xa0a0a010;
	cmd->common.ndm = 0xa0a0a011;
	cmd->common.cdw12 = 0xa0a0a012;
	cmd->common.cdw13 = 0xa0a0a013;
	cmd->common.cdw14 = 0xa0a0a014;
	cmd->common.cdw15 = 0xa0a0a015;
}

static void
test_layout(void)
{
	CHECK_EQ(sizeof(struct bsd_nvme_pt_command), 104);
	CHECK_EQ(offsetof(struct bsd_nvme_pt_command, cpl), 64);
	CHECK_EQ(offsetof(struct bsd_nvme_pt_command, buf), 80);
	CHECK_EQ(offsetof(struct bsd_nvme_pt_command, len), 88);
	CHECK_EQ(offsetof(struct bsd_nvme_pt_command, is_read), 92);
	CHECK_EQ(offsetof(struct bsd_nvme_pt_command, driver_lock), 96);
	CHECK_EQ(offsetof(struct bsd_nvme_completion, status), 14);
	CHECK_EQ(_Alignof(struct bsd_nvme_completion), 8);
	CHECK_EQ(sizeof(struct bsd_nvme_get_nsid), 260);
	CHECK_EQ(offsetof(struct bsd_nvme_get_nsid, nsid), 256);
}

/* A read on namespace node 1: every byte of the 104 */
static void
test_build_read(void)
{
	static uint8_t data[4096];
	struct bsd_nvme_pt_command pt;
	struct xnvme_spec_cmd cmd;
	uintptr_t p;

	cmd_fill(&cmd, XNVME_SPEC_NVM_OPC_READ, 1);
	memset(&pt, 0xee, sizeof(pt));
	CHECK_EQ(bsd_nvme_pt_build(&pt, &cmd, data, sizeof(data), 0, 1), 0);
	CHECK_EQ(rd(&pt, 0, 1), 0x02); /* opc */
	CHECK_EQ(rd(&pt, 1, 1), 0);    /* fuse/psdt: the driver's */
	CHECK_EQ(rd(&pt, 2, 2), 0);    /* cid: the driver's */
	CHECK_EQ(rd(&pt, 4, 4), 1);    /* nsid */
	CHECK_EQ(rd(&pt, 8, 8), 0);    /* CDW2, CDW3 */
	CHECK_EQ(rd(&pt, 16, 8), 0);   /* mptr */
	CHECK_EQ(rd(&pt, 24, 8), 0);   /* prp1 */
	CHECK_EQ(rd(&pt, 32, 8), 0);   /* prp2 */
	for (unsigned i = 0; i < 6; ++i) {
		CHECK_EQ(rd(&pt, 40 + 4 * i, 4), 0xa0a0a010 + i); /* CDW10-15 */
	}
	CHECK_EQ(rd(&pt, 64, 8), 0); /* cpl: the driver's (16 bytes) */
	CHECK_EQ(rd(&pt, 72, 8), 0);
	memcpy(&p, (uint8_t *)&pt + 80, sizeof(p));
	CHECK_EQ(p, (uintptr_t)data);
	CHECK_EQ(rd(&pt, 88, 4), 4096);
	CHECK_EQ(rd(&pt, 92, 4), 1); /* is_read */
	CHECK_EQ(rd(&pt, 96, 8), 0); /* driver_lock */
}

static void
test_build_dirs(void)
{
	static uint8_t data[512];
	struct bsd_nvme_pt_command pt;
	struct xnvme_spec_cmd cmd;

	/* A write: data to the controller */
	cmd_fill(&cmd, XNVME_SPEC_NVM_OPC_WRITE, 7);
	CHECK_EQ(bsd_nvme_pt_build(&pt, &cmd, data, sizeof(data), 0, 7), 0);
	CHECK_EQ(pt.is_read, 0);
	CHECK_EQ(pt.len, 512);
	/* Flush moves nothing */
	cmd_fill(&cmd, XNVME_SPEC_NVM_OPC_FLUSH, 7);
	CHECK_EQ(bsd_nvme_pt_build(&pt, &cmd, NULL, 0, 0, 7), 0);
	CHECK_EQ(pt.is_read, 0);
	CHECK_EQ(pt.len, 0);
	CHECK_EQ((uintptr_t)pt.buf, 0);
	/* A buffer of no bytes is no buffer */
	cmd_fill(&cmd, XNVME_SPEC_NVM_OPC_READ, 7);
	CHECK_EQ(bsd_nvme_pt_build(&pt, &cmd, data, 0, 0, 7), 0);
	CHECK_EQ((uintptr_t)pt.buf, 0);
	/* Admin on the controller node: the command's NSID goes as is, Identify reads */
	cmd_fill(&cmd, XNVME_SPEC_ADM_OPC_IDFY, 0xffffffff);
	CHECK_EQ(bsd_nvme_pt_build(&pt, &cmd, data, sizeof(data), 0, 0), 0);
	CHECK_EQ(rd(&pt, 0, 1), 0x06);
	CHECK_EQ(rd(&pt, 4, 4), 0xffffffff);
	CHECK_EQ(pt.is_read, 1);
	/* A vendor specific admin opcode follows the same bits: C2h reads, C1h writes */
	cmd_fill(&cmd, 0xc2, 0);
	CHECK_EQ(bsd_nvme_pt_build(&pt, &cmd, data, sizeof(data), 0, 0), 0);
	CHECK_EQ(pt.is_read, 1);
	cmd_fill(&cmd, 0xc1, 0);
	CHECK_EQ(bsd_nvme_pt_build(&pt, &cmd, data, sizeof(data), 0, 0), 0);
	CHECK_EQ(pt.is_read, 0);
}

/* Refused requests leave the structure zeroed */
static void
refused(const struct xnvme_spec_cmd *cmd, void *dbuf, size_t nbytes, size_t mbytes, uint32_t ns,
	int line)
{
	struct bsd_nvme_pt_command pt;
	int err;

	memset(&pt, 0xee, sizeof(pt));
	err = bsd_nvme_pt_build(&pt, cmd, dbuf, nbytes, mbytes, ns);
	g_checks++;
	if (err != -EINVAL || rd(&pt, 0, 8) || rd(&pt, 88, 8)) {
		g_fails++;
		printf("FAIL %s:%d: refused request: err %d\n", __FILE__, line, err);
	}
}

static void
test_build_refused(void)
{
	static uint8_t data[512];
	struct bsd_nvme_pt_command pt;
	struct xnvme_spec_cmd cmd;

	cmd_fill(&cmd, XNVME_SPEC_NVM_OPC_READ, 1);
	refused(&cmd, data, sizeof(data), 8, 1, __LINE__); /* metadata */
	refused(&cmd, data, sizeof(data), 0, 2, __LINE__); /* another namespace's node */
	refused(&cmd, NULL, sizeof(data), 0, 1, __LINE__); /* a length without a buffer */
#if SIZE_MAX > UINT32_MAX
	refused(&cmd, data, (size_t)UINT32_MAX + 1, 0, 1, __LINE__); /* over 32 bits */
#endif
	cmd.common.fuse = 1;
	refused(&cmd, data, sizeof(data), 0, 1, __LINE__); /* fused */
	cmd_fill(&cmd, XNVME_SPEC_NVM_OPC_READ, 1);
	cmd.common.cdw02 = 1;
	refused(&cmd, data, sizeof(data), 0, 1, __LINE__);
	cmd_fill(&cmd, XNVME_SPEC_NVM_OPC_READ, 1);
	cmd.common.cdw03 = 1;
	refused(&cmd, data, sizeof(data), 0, 1, __LINE__);
	cmd_fill(&cmd, 0xc3, 0); /* bits 1:0 = 11b: both ways */
	refused(&cmd, data, sizeof(data), 0, 0, __LINE__);
	cmd_fill(&cmd, XNVME_SPEC_NVM_OPC_FLUSH, 1); /* data for a command that moves none */
	refused(&cmd, data, sizeof(data), 0, 1, __LINE__);
	refused(NULL, data, sizeof(data), 0, 1, __LINE__);
	CHECK_EQ(bsd_nvme_pt_build(NULL, &cmd, NULL, 0, 0, 1), -EINVAL);
	(void)pt;
}

static void
test_cpl(void)
{
	struct bsd_nvme_pt_command pt;
	struct xnvme_spec_cpl cpl;

	memset(&pt, 0, sizeof(pt));
	pt.cpl.cdw0 = 0xdeadbeef;
	pt.cpl.status = 0x0001; /* phase only: success */
	memset(&cpl, 0xff, sizeof(cpl));
	CHECK_EQ(bsd_nvme_pt_cpl(&pt, &cpl), 0);
	CHECK_EQ(cpl.cdw0, 0xdeadbeef);
	CHECK_EQ(cpl.status.val, 0);
	pt.cpl.status = 0x0003; /* SC 01h Invalid Command Opcode, phase set */
	CHECK_EQ(bsd_nvme_pt_cpl(&pt, &cpl), -EIO);
	CHECK_EQ(cpl.status.val, 0x0002);
	CHECK_EQ(cpl.status.sc, 0x01);
	CHECK_EQ(cpl.status.sct, 0);
	pt.cpl.status = (uint16_t)((0x2 << 9) | (0x81 << 1) | (1 << 15)); /* media error, DNR */
	CHECK_EQ(bsd_nvme_pt_cpl(&pt, &cpl), -EIO);
	CHECK_EQ(cpl.status.sct, 0x2);
	CHECK_EQ(cpl.status.sc, 0x81);
	CHECK_EQ(cpl.status.dnr, 1);
	pt.cpl.status = 0x8000; /* Do Not Retry without a status code: not a failure */
	CHECK_EQ(bsd_nvme_pt_cpl(&pt, &cpl), 0);
	CHECK_EQ(bsd_nvme_pt_cpl(NULL, &cpl), -EINVAL);
	CHECK_EQ(bsd_nvme_pt_cpl(&pt, NULL), -EINVAL);
}

static int
ctrl_path(const char *cdev, char *path, size_t len)
{
	struct bsd_nvme_get_nsid g;

	memset(&g, 0, sizeof(g));
	strncpy(g.cdev, cdev, sizeof(g.cdev) - 1);
	return bsd_nvme_ctrl_path(&g, path, len);
}

static void
test_ctrl_path(void)
{
	struct bsd_nvme_get_nsid g;
	char path[64];

	CHECK_EQ(ctrl_path("nvme0", path, sizeof(path)), 0);
	CHECK_EQ(strcmp(path, "/dev/nvme0"), 0);
	CHECK_EQ(ctrl_path("nvme12", path, sizeof(path)), 0);
	CHECK_EQ(strcmp(path, "/dev/nvme12"), 0);
	CHECK_EQ(ctrl_path("nvme0", path, 10), -ENAMETOOLONG); /* "/dev/nvme0" needs 11 */
	CHECK_EQ(ctrl_path("nvme0", path, 11), 0);
	CHECK_EQ(ctrl_path("nda0", path, sizeof(path)), -EPROTO);
	CHECK_EQ(ctrl_path("nvme0ns1", path, sizeof(path)), -EPROTO);
	CHECK_EQ(ctrl_path("nvme01", path, sizeof(path)), -EPROTO);
	CHECK_EQ(ctrl_path("../nvme0", path, sizeof(path)), -EPROTO);
	CHECK_EQ(ctrl_path("", path, sizeof(path)), -EPROTO);
	memset(&g, 'a', sizeof(g)); /* cdev without its NUL */
	CHECK_EQ(bsd_nvme_ctrl_path(&g, path, sizeof(path)), -EPROTO);
	CHECK_EQ(bsd_nvme_ctrl_path(NULL, path, sizeof(path)), -EINVAL);
}

static void
node(const char *path, int kind, uint32_t ctrlr, uint32_t nsid, int line)
{
	struct bsd_node n;
	int err = bsd_node_parse(path, &n);

	g_checks++;
	if (err || (int)n.kind != kind || n.ctrlr != ctrlr || n.nsid != nsid) {
		g_fails++;
		printf("FAIL %s:%d: %s: err %d kind %d ctrlr %u nsid %u\n", __FILE__, line, path,
		       err, (int)n.kind, n.ctrlr, n.nsid);
	}
}

static void
test_node_parse(void)
{
	struct bsd_node n;

	node("/dev/nvme0", BSD_NODE_NVME_CTRLR, 0, 0, __LINE__);
	node("nvme7", BSD_NODE_NVME_CTRLR, 7, 0, __LINE__);
	node("/dev/nvme3ns12", BSD_NODE_NVME_NS, 3, 12, __LINE__);
	node("/dev/nvme4294967295", BSD_NODE_NVME_CTRLR, 4294967295u, 0, __LINE__);
	node("/dev/nvme4294967296", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("/dev/nvme0ns0", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("/dev/nvme0n1", BSD_NODE_OTHER, 0, 0, __LINE__); /* Linux's name */
	node("/dev/nvme0ns1p1", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("/dev/nvme00", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("/dev/nvme", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("/dev/nda0", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("/dev/nvd0", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("/dev/ada0", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("/nvme0/x", BSD_NODE_OTHER, 0, 0, __LINE__);
	node("", BSD_NODE_OTHER, 0, 0, __LINE__);
	CHECK_EQ(bsd_node_parse(NULL, &n), -EINVAL);
	CHECK_EQ(bsd_node_parse("nvme0", NULL), -EINVAL);
}

static void
test_disk_geometry(void)
{
	uint64_t nbytes = 0;
	uint32_t lba = 0;

	CHECK_EQ(bsd_disk_geometry(1LL << 30, 512, &nbytes, &lba), 0);
	CHECK_EQ(nbytes, 1ULL << 30);
	CHECK_EQ(lba, 512);
	CHECK_EQ(bsd_disk_geometry(4096LL * 3, 4096, &nbytes, &lba), 0);
	CHECK_EQ(lba, 4096);
	nbytes = 1;
	lba = 1;
	CHECK_EQ(bsd_disk_geometry(1LL << 30, 0, &nbytes, &lba), -EPROTO);
	CHECK_EQ(bsd_disk_geometry(1LL << 30, 256, &nbytes, &lba), -EPROTO);
	CHECK_EQ(bsd_disk_geometry(1LL << 30, 520, &nbytes, &lba), -EPROTO);
	CHECK_EQ(bsd_disk_geometry(1LL << 30, 131072, &nbytes, &lba), -EPROTO);
	CHECK_EQ(bsd_disk_geometry(0, 512, &nbytes, &lba), -EPROTO);
	CHECK_EQ(bsd_disk_geometry(-512, 512, &nbytes, &lba), -EPROTO);
	CHECK_EQ(bsd_disk_geometry(4096 + 512, 4096, &nbytes, &lba), -EPROTO);
	CHECK_EQ(nbytes, 1); /* nothing stored on a refusal */
	CHECK_EQ(lba, 1);
	CHECK_EQ(bsd_disk_geometry(4096, 512, NULL, &lba), -EINVAL);
}

/* FreeBSD's <sys/ioccom.h>: direction bits 31:29, parameter length 28:16, group, number */
#define IOC(dir, g, n, len) ((dir) | (((unsigned long)(len)&0x1fff) << 16) | ((g) << 8) | (n))
#define IOC_OUT             0x40000000UL
#define IOC_IN              0x80000000UL

static void
test_ioctl_numbers(void)
{
	CHECK_EQ(BSD_NVME_PASSTHROUGH_CMD, IOC(IOC_IN | IOC_OUT, 'n', 0, 104));
	CHECK_EQ(BSD_NVME_GET_NSID, IOC(IOC_OUT, 'n', 2, 260));
	CHECK_EQ(BSD_NVME_GET_MAX_XFER_SIZE, IOC(IOC_OUT, 'n', 3, 8));
	CHECK_EQ(BSD_DIOCGSECTORSIZE, IOC(IOC_OUT, 'd', 128, 4));
	CHECK_EQ(BSD_DIOCGMEDIASIZE, IOC(IOC_OUT, 'd', 129, 8));
}

int
main(void)
{
	test_layout();
	test_build_read();
	test_build_dirs();
	test_build_refused();
	test_cpl();
	test_ctrl_path();
	test_node_parse();
	test_disk_geometry();
	test_ioctl_numbers();
	printf("%d checks, %d failed\n", g_checks, g_fails);
	return g_fails ? 1 : 0;
}
