/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Linux topology path (lib/be/linux/topology.c) on a captured-shape sysfs tree: from the node
 * a device was opened with (here /dev/null, char 1:3, dressed up as an NVMe node) to the
 * controller's name, then to its PCI function's resource0, a plain file here, read through the
 * public xnvme_controller_get_registers(). Resets and rescans go as far as opening the controller
 * node, which does not exist (a controller number no machine has): -ENOENT shows the name that
 * was resolved was used, and no real controller is ever reset.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "check.h"
#include "tmptree.h"
#include "xnvme_dev.h"
#include "xnvme_be_linux.h"

/* A BAR0 whose 32-bit word i holds 0xB000 + i, as resource0 of controller @p ctrlr */
static void
resource0(const char *ctrlr)
{
	char rel[256], path[1024];
	uint32_t words[1024];
	int fd;

	snprintf(rel, sizeof(rel), "class/nvme/%s/device", ctrlr);
	tree_mkdirs(rel);
	snprintf(path, sizeof(path), "%s/%s/resource0", g_tree_root, rel);
	for (uint32_t i = 0; i < 1024; ++i) {
		words[i] = 0xB000 + i;
	}
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || write(fd, words, sizeof(words)) != (ssize_t)sizeof(words)) {
		printf("FAIL: write %s\n", path);
	}
	close(fd);
}

static int
regs_of(struct xnvme_dev *dev, uint32_t *regs)
{
	memset(regs, 0, 4096);
	return xnvme_controller_get_registers(dev, (struct xnvme_spec_ctrlr_bar *)regs);
}

int
main(void)
{
	struct xnvme_dev dev;
	uint32_t regs[1024];
	struct stat st;
	char rel[128];

	if (tree_init("xnvme-sysfs-XXXXXX") || setenv("XNVME_SYSFS_ROOT", g_tree_root, 1) ||
	    stat("/dev/null", &st)) {
		printf("FAIL: setup\n");
		return 1;
	}
	memset(&dev, 0, sizeof(dev));
	dev.be = &xnvme_be_linux;
	dev.fd = open("/dev/null", O_RDONLY);
	snprintf(rel, sizeof(rel), "dev/char/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	tree_mkdirs("dev/char");
	resource0("nvme90417");
	resource0("nvme90415");

	dev.ident.dtype = XNVME_DEV_TYPE_FS_FILE;
	CHECK(regs_of(&dev, regs) == -ENOSYS && xnvme_controller_reset(&dev) == -ENOSYS,
	      "not an NVMe node: -ENOSYS");

	/* A namespace node whose device link is its controller */
	dev.ident.dtype = XNVME_DEV_TYPE_NVME_NAMESPACE;
	tree_mkdirs(rel);
	snprintf(rel + strlen(rel), sizeof(rel) - strlen(rel), "/device");
	tree_symlink("../../../class/nvme/nvme90417", rel);
	CHECK(!regs_of(&dev, regs) && regs[0] == 0xB000 && regs[1023] == 0xB000 + 1023,
	      "namespace node: the controller's resource0, every word");
	CHECK(xnvme_controller_reset(&dev) == -ENOENT && xnvme_subsystem_reset(&dev) == -ENOENT &&
		  xnvme_namespace_rescan(&dev) == -ENOENT,
	      "namespace node: reset/rescan open /dev/nvme90417 (absent here: -ENOENT)");

	/* A multipath head: the device link is the subsystem, whose controller is nvme90415 */
	tree_mkdirs("class/nvme-subsystem/nvme-subsys3/nvme90415");
	tree_symlink("../../../class/nvme-subsystem/nvme-subsys3", rel);
	CHECK(!regs_of(&dev, regs) && regs[4] == 0xB004,
	      "multipath head: the subsystem's controller's registers");

	/* A fabrics controller: no PCI function */
	tree_symlink("../../../class/nvme/nvme90419", rel);
	CHECK(regs_of(&dev, regs) == -ENOTSUP, "no resource0 (fabrics): -ENOTSUP");

	CHECK(xnvme_controller_get_registers(&dev, NULL) == -EINVAL &&
		  xnvme_controller_reset(NULL) == -EINVAL,
	      "NULL arguments: -EINVAL");
	close(dev.fd);
	tree_remove();
	printf("%s: %d failed\n", g_nfail ? "FAIL" : "PASS", g_nfail);
	return g_nfail ? 1 : 0;
}
