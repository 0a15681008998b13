/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admin interface "nvme" of the Windows backend: NVMe admin commands through the storage stack's
 * IOCTLs. win_nvme_ioctl.c decides the route of each command and builds and reads the buffers;
 * this file sends them. Identify, Get Log Page and Get Features go as protocol-specific property
 * queries (IOCTL_STORAGE_QUERY_PROPERTY), everything else Windows lets through as
 * IOCTL_STORAGE_PROTOCOL_COMMAND. Not run against a real Windows NVMe device here (Wine answers
 * both IOCTLs with ERROR_NOT_SUPPORTED): docs/backends.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>
#include "xnvme_dev.h"
#include "xnvme_cmd.h"
#include "win_nvme_ioctl.h"
#include "xnvme_be_windows.h"

/* What StorNVMe waits for a pass-through command, in seconds */
#define WIN_NVME_PCMD_TIMEOUT_S 60

static int
win_nvme_query(int fd, const struct win_nvme_map *map, void *dbuf, uint32_t *cdw0)
{
	size_t len = win_nvme_query_buf_len(&map->query), req_len, nret;
	void *buf;
	int err;

	if (!len) {
		return -EINVAL;
	}
	buf = calloc(1, len);
	if (!buf) {
		return -ENOMEM;
	}
	err = win_nvme_query_build(buf, len, &map->query, &req_len);
	if (!err) {
		err = xnvme_compat_ioctl(fd, IOCTL_STORAGE_QUERY_PROPERTY, buf, req_len, buf, len,
					 &nret);
	}
	if (!err) {
		err = win_nvme_query_parse(buf, len, nret, dbuf, map->data_len, cdw0);
	}
	free(buf);
	return err;
}

static int
win_nvme_pcmd(int fd, struct xnvme_cmd_ctx *ctx, const struct win_nvme_map *map, void *dbuf)
{
	struct win_nvme_pcmd req = {
	    .cmd = &ctx->cmd,
	    .admin = 1,
	    .dir = map->dir,
	    .data_len = map->data_len,
	    .data_out = map->dir == WIN_NVME_DIR_TO_DEV ? dbuf : NULL,
	    .timeout_s = WIN_NVME_PCMD_TIMEOUT_S,
	};
	size_t len = win_nvme_pcmd_buf_len(map->data_len), req_len, nret;
	void *buf;
	int err;

	if (!len) {
		return -EINVAL;
	}
	buf = calloc(1, len);
	if (!buf) {
		return -ENOMEM;
	}
	err = win_nvme_pcmd_build(buf, len, &req, &req_len);
	if (!err) {
		err = xnvme_compat_ioctl(fd, IOCTL_STORAGE_PROTOCOL_COMMAND, buf, req_len, buf, len,
					 &nret);
	}
	if (!err) {
		err = win_nvme_pcmd_parse(
		    buf, len, nret, map->dir == WIN_NVME_DIR_FROM_DEV ? dbuf : NULL,
		    map->dir == WIN_NVME_DIR_FROM_DEV ? map->data_len : 0, &ctx->cpl);
	}
	free(buf);
	return err;
}

static int
win_nvme_cmd_admin(struct xnvme_cmd_ctx *ctx, void *dbuf, size_t dbuf_nbytes, void *mbuf,
		   size_t mbuf_nbytes)
{
	struct win_nvme_map map;
	int err;

	(void)mbuf;
	err = win_nvme_map_admin(&ctx->cmd, dbuf ? dbuf_nbytes : 0, mbuf_nbytes, &map);
	if (err) {
		return err;
	}
	if (map.route == WIN_NVME_ROUTE_QUERY) {
		return win_nvme_query(ctx->dev->fd, &map, dbuf, &ctx->cpl.cdw0);
	}
	return win_nvme_pcmd(ctx->dev->fd, ctx, &map, dbuf);
}

/* Whether the storage stack answers NVMe's Identify Controller on this handle: an NVMe disk */
int
xnvme_be_windows_is_nvme(int fd)
{
	struct xnvme_spec_cmd cmd = {0};
	struct win_nvme_map map;
	void *idfy = malloc(WIN_NVME_IDFY_NBYTES);
	uint32_t cdw0 = 0;
	int err;

	if (!idfy) {
		return 0;
	}
	cmd.common.opcode = XNVME_SPEC_ADM_OPC_IDFY;
	cmd.idfy.cns = XNVME_SPEC_IDFY_CTRLR;
	err = win_nvme_map_admin(&cmd, WIN_NVME_IDFY_NBYTES, 0, &map);
	if (!err) {
		err = win_nvme_query(fd, &map, idfy, &cdw0);
	}
	free(idfy);
	return !err;
}

const struct xnvme_be_admin_ops xnvme_be_windows_admin_nvme = {
    .id = "nvme",
    .descr = "NVMe admin through IOCTL_STORAGE_QUERY_PROPERTY and IOCTL_STORAGE_PROTOCOL_COMMAND",
    .cmd_admin = win_nvme_cmd_admin,
};
