/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The `kvs` tool: the key-value command set (store, retrieve, delete, exist, list). A namespace of
 * another command set is refused before anything is sent: the same opcodes mean NVM writes there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

/* The default and largest value buffer of retrieve and list */
#define KVS_BUF_NBYTES     4096u
#define KVS_BUF_NBYTES_MAX (2u << 20)

/* The key of --key: 1..16 bytes, or (for list, @p optional) none; returns its length or -1 */
static int
kvs_key(struct cli_args *args, int optional)
{
	size_t len;

	if (!cli_given(args, CLI_OPT_KEY)) {
		if (optional) {
			return 0;
		}
		cli_usage("--key is required");
		return -1;
	}
	len = strlen(args->str[CLI_OPT_KEY]);
	if (len > XNVME_KVS_KEY_MAX) {
		cli_usage("--key: '%s' has %zu bytes; a key has 1 to %d", args->str[CLI_OPT_KEY],
			  len, XNVME_KVS_KEY_MAX);
		return -1;
	}
	return (int)len;
}

/* Opens the device and checks it is a key-value namespace; NULL after the error line */
static struct xnvme_dev *
kvs_dev_open(struct cli_args *args)
{
	struct xnvme_dev *dev = cli_dev_open(args);

	if (dev && xnvme_dev_get_csi(dev) != XNVME_SPEC_CSI_KV) {
		cli_error(
		    "'%s' is not a key-value namespace (its command set is 0x%x): not supported "
		    "by this device",
		    args->uri, xnvme_dev_get_csi(dev));
		xnvme_dev_close(dev);
		return NULL;
	}
	return dev;
}

/* Prints @p prefix, then @p nbytes of @p buf as quoted YAML text, escaped where not printable */
static void
kvs_pr_bytes(const char *prefix, const uint8_t *buf, size_t nbytes)
{
	printf("%s\"", prefix);
	for (size_t i = 0; i < nbytes; ++i) {
		if (buf[i] == '"' || buf[i] == '\\') {
			printf("\\%c", buf[i]);
		} else if (buf[i] < 0x20 || buf[i] > 0x7E) {
			printf("\\x%02x", buf[i]);
		} else {
			putchar(buf[i]);
		}
	}
	printf("\"\n");
}

/* Opens the device (a key-value namespace) with a zeroed buffer of @p nbytes; NULL after the
 * error line */
static struct xnvme_dev *
kvs_dev_open_buf(struct cli_args *args, size_t nbytes, void **buf)
{
	struct xnvme_dev *dev = kvs_dev_open(args);

	if (!dev) {
		return NULL;
	}
	*buf = cli_buf_alloc(dev, nbytes);
	if (!*buf) {
		xnvme_dev_close(dev);
		return NULL;
	}
	return dev;
}

static int
kvs_buf_nbytes(struct cli_args *args, uint32_t *nbytes)
{
	uint64_t val = cli_num(args, CLI_OPT_DATA_NBYTES, KVS_BUF_NBYTES);

	if (val < 4 || val > KVS_BUF_NBYTES_MAX) {
		return cli_usage("--data-nbytes: 4 to %u", KVS_BUF_NBYTES_MAX);
	}
	*nbytes = (uint32_t)val;
	return CLI_EXIT_OK;
}

static int
cmd_store(struct cli_args *args)
{
	int klen = kvs_key(args, 0);
	uint8_t opt = 0;
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	size_t nbytes = 0;
	void *buf;
	int err, rc;

	if (klen < 0) {
		return CLI_EXIT_USAGE;
	}
	if (cli_given(args, CLI_OPT_VALUE) == cli_given(args, CLI_OPT_DATA_INPUT)) {
		return cli_usage("give the value with one of --value and --data-input");
	}
	if (cli_given(args, CLI_OPT_ONLY_ADD) && cli_given(args, CLI_OPT_ONLY_UPDATE)) {
		return cli_usage("--only-add and --only-update exclude each other");
	}
	if (cli_given(args, CLI_OPT_VALUE)) {
		nbytes = strlen(args->str[CLI_OPT_VALUE]);
	} else {
		long long size = cli_file_size(args->str[CLI_OPT_DATA_INPUT]);

		if (size < 0) {
			return CLI_EXIT_FAIL;
		}
		nbytes = (size_t)size;
	}
	if (!nbytes || nbytes > KVS_BUF_NBYTES_MAX) {
		return cli_usage("a value has 1 to %u bytes, this one %zu", KVS_BUF_NBYTES_MAX,
				 nbytes);
	}
	opt |= cli_given(args, CLI_OPT_ONLY_ADD) ? XNVME_KVS_STORE_OPT_DONT_STORE_IF_KEY_EXISTS : 0;
	opt |= cli_given(args, CLI_OPT_COMPRESS) ? XNVME_KVS_STORE_OPT_COMPRESS : 0;
	opt |= cli_given(args, CLI_OPT_ONLY_UPDATE)
		   ? XNVME_KVS_STORE_OPT_DONT_STORE_IF_KEY_NOT_EXISTS
		   : 0;
	dev = kvs_dev_open_buf(args, nbytes, (void **)&buf);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	if (cli_given(args, CLI_OPT_VALUE)) {
		memcpy(buf, args->str[CLI_OPT_VALUE], nbytes);
	} else if (cli_file_read(args->str[CLI_OPT_DATA_INPUT], buf, nbytes)) {
		xnvme_buf_free(dev, buf);
		xnvme_dev_close(dev);
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_store(&ctx, cli_nsid(args, dev), args->str[CLI_OPT_KEY], (uint8_t)klen, buf,
			      (uint32_t)nbytes, opt);
	rc = cli_cmd_result(&ctx, err, "store");
	if (rc == CLI_EXIT_OK) {
		printf("kvs_store:\n");
		kvs_pr_bytes("  key: ", (const uint8_t *)args->str[CLI_OPT_KEY], (size_t)klen);
		printf("  nbytes: %zu\n", nbytes);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

/*
 * cli_cmd_result(), and why a key is missing when the device cannot have it: a ramdisk without an
 * image lives for one process, so a key stored by an earlier command is not there
 */
static int
kvs_result(struct xnvme_dev *dev, struct xnvme_cmd_ctx *ctx, int err, const char *what)
{
	const struct xnvme_ident *ident = xnvme_dev_get_ident(dev);
	int lost = ctx->cpl.status.sct == XNVME_STATUS_CODE_TYPE_GENERIC &&
		   ctx->cpl.status.sc == XNVME_SPEC_KV_SC_KEY_NOT_EXISTS &&
		   ident->dtype == XNVME_DEV_TYPE_RAMDISK && !strstr(ident->uri, ",file=");

	return cli_cmd_result_hint(ctx, err, what,
				   lost ? "key not found; a ramdisk lives for one process "
					  "(ramdisk:SIZE,kv=1,file=PATH keeps its keys across "
					  "commands)"
					: NULL);
}

static int
cmd_retrieve(struct cli_args *args)
{
	int klen = kvs_key(args, 0);
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint32_t nbytes = 0, vlen;
	void *buf;
	int err, rc;

	if (klen < 0) {
		return CLI_EXIT_USAGE;
	}
	rc = kvs_buf_nbytes(args, &nbytes);
	if (rc) {
		return rc;
	}
	dev = kvs_dev_open_buf(args, nbytes, (void **)&buf);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_retrieve(&ctx, cli_nsid(args, dev), args->str[CLI_OPT_KEY], (uint8_t)klen,
				 buf, nbytes, 0);
	rc = kvs_result(dev, &ctx, err, "retrieve");
	vlen = ctx.cpl.cdw0; /* the value's size, which may exceed the buffer */
	if (rc == CLI_EXIT_OK && vlen > nbytes) {
		cli_error("the value has %u bytes, more than the %u of the buffer (--data-nbytes)",
			  vlen, nbytes);
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK && cli_given(args, CLI_OPT_DATA_OUTPUT) &&
	    cli_file_write(args->str[CLI_OPT_DATA_OUTPUT], buf, vlen)) {
		rc = CLI_EXIT_FAIL;
	}
	if (rc == CLI_EXIT_OK) {
		printf("kvs_retrieve:\n");
		kvs_pr_bytes("  key: ", (const uint8_t *)args->str[CLI_OPT_KEY], (size_t)klen);
		printf("  nbytes: %u\n", vlen);
		if (!cli_given(args, CLI_OPT_DATA_OUTPUT)) {
			kvs_pr_bytes("  value: ", buf, vlen);
		}
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

/* delete and exist: a key, no data */
static int
kvs_keyonly(struct cli_args *args, int exist)
{
	int klen = kvs_key(args, 0);
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	int err, rc, absent;

	if (klen < 0) {
		return CLI_EXIT_USAGE;
	}
	dev = kvs_dev_open(args);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = exist ? xnvme_kvs_exist(&ctx, cli_nsid(args, dev), args->str[CLI_OPT_KEY],
				      (uint8_t)klen)
		    : xnvme_kvs_delete(&ctx, cli_nsid(args, dev), args->str[CLI_OPT_KEY],
				       (uint8_t)klen);
	/* For exist, "does not exist" is the answer, not a failure */
	absent = exist && ctx.cpl.status.sct == XNVME_STATUS_CODE_TYPE_GENERIC &&
		 ctx.cpl.status.sc == XNVME_SPEC_KV_SC_KEY_NOT_EXISTS;
	rc = absent ? CLI_EXIT_OK : kvs_result(dev, &ctx, err, exist ? "exist" : "delete");
	if (rc == CLI_EXIT_OK) {
		printf("kvs_%s:\n", exist ? "exist" : "delete");
		kvs_pr_bytes("  key: ", (const uint8_t *)args->str[CLI_OPT_KEY], (size_t)klen);
		if (exist) {
			printf("  exists: %s\n", absent ? "false" : "true");
		}
	}
	xnvme_dev_close(dev);
	return rc;
}

static int
cmd_delete(struct cli_args *args)
{
	return kvs_keyonly(args, 0);
}

static int
cmd_exist(struct cli_args *args)
{
	return kvs_keyonly(args, 1);
}

/* Prints the keys of a List data buffer, checking every length against the buffer */
static int
kvs_pr_list(const uint8_t *buf, uint32_t nbytes)
{
	uint32_t nkeys, off = 4;

	memcpy(&nkeys, buf, 4);
	printf("kvs_list:\n  nkeys: %u\n  keys:%s\n", nkeys, nkeys ? "" : " []");
	for (uint32_t i = 0; i < nkeys; ++i) {
		uint16_t klen;

		if (off + 2 > nbytes) {
			break; /* the buffer held no more: the device said how many there are */
		}
		memcpy(&klen, buf + off, 2);
		if (!klen || klen > XNVME_KVS_KEY_MAX || off + 2 + klen > nbytes) {
			cli_error("the device's list is malformed at byte %u", off);
			return CLI_EXIT_FAIL;
		}
		kvs_pr_bytes("    - ", buf + off + 2, klen);
		off += (2u + klen + 3u) & ~3u;
	}
	return CLI_EXIT_OK;
}

static int
cmd_list(struct cli_args *args)
{
	int klen = kvs_key(args, 1);
	struct xnvme_cmd_ctx ctx;
	struct xnvme_dev *dev;
	uint32_t nbytes = 0;
	uint8_t *buf;
	int err, rc;

	if (klen < 0) {
		return CLI_EXIT_USAGE;
	}
	rc = kvs_buf_nbytes(args, &nbytes);
	if (rc) {
		return rc;
	}
	dev = kvs_dev_open_buf(args, nbytes, (void **)&buf);
	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	ctx = xnvme_cmd_ctx_from_dev(dev);
	err = xnvme_kvs_list(&ctx, cli_nsid(args, dev), klen ? args->str[CLI_OPT_KEY] : NULL,
			     (uint8_t)klen, buf, nbytes);
	rc = cli_cmd_result(&ctx, err, "list");
	if (rc == CLI_EXIT_OK) {
		rc = kvs_pr_list(buf, nbytes);
	}
	xnvme_buf_free(dev, buf);
	xnvme_dev_close(dev);
	return rc;
}

static int
cmd_enum(struct cli_args *args)
{
	return cli_enum(args, XNVME_SPEC_CSI_KV);
}

/* The key-value command set's identify namespace (CNS 05h, CSI 01h) */
static int
cmd_idfy_ns(struct cli_args *args)
{
	struct xnvme_dev *dev = kvs_dev_open(args);
	int rc;

	if (!dev) {
		return CLI_EXIT_FAIL;
	}
	rc = cli_idfy(args, dev, XNVME_SPEC_IDFY_NS_IOCS, XNVME_SPEC_CSI_KV);
	xnvme_dev_close(dev);
	return rc;
}

#define DEV (CLI_OPT(CLI_OPT_OUTPUT) | CLI_OPTS_DEV)
#define KEY CLI_OPT(CLI_OPT_KEY)

static const struct cli_cmd g_cmds[] = {
    {"enum", "list the key-value namespaces the backends find (--uri: at a fabrics address)",
     cmd_enum,
     CLI_OPT(CLI_OPT_OUTPUT) | (CLI_OPTS_DEV & ~CLI_OPT(CLI_OPT_NSID)) | CLI_OPT(CLI_OPT_URI) |
	 CLI_OPT(CLI_OPT_FLAGS),
     0},
    {"idfy-ns", "identify namespace, key-value command set (in hex)", cmd_idfy_ns,
     DEV | CLI_OPT(CLI_OPT_DATA_OUTPUT), 1},
    {"store", "store --value or --data-input under --key (--only-add, --only-update)", cmd_store,
     DEV | KEY | CLI_OPT(CLI_OPT_VALUE) | CLI_OPT(CLI_OPT_DATA_INPUT) | CLI_OPT(CLI_OPT_ONLY_ADD) |
	 CLI_OPT(CLI_OPT_ONLY_UPDATE) | CLI_OPT(CLI_OPT_COMPRESS),
     1},
    {"retrieve", "retrieve the value of --key (buffer: --data-nbytes, 4096)", cmd_retrieve,
     DEV | KEY | CLI_OPT(CLI_OPT_DATA_OUTPUT) | CLI_OPT(CLI_OPT_DATA_NBYTES), 1},
    {"delete", "delete --key and its value", cmd_delete, DEV | KEY, 1},
    {"exist", "whether --key exists (exists: true/false; both exit 0)", cmd_exist, DEV | KEY, 1},
    {"list", "list the keys from --key on (all, without it)", cmd_list,
     DEV | KEY | CLI_OPT(CLI_OPT_DATA_NBYTES), 1},
};

int
main(int argc, char **argv)
{
	static const struct cli_tool tool = {
	    .name = "kvs",
	    .descr = "The key-value command set: store, retrieve, delete, exist, list.",
	    .cmds = g_cmds,
	    .ncmds = sizeof(g_cmds) / sizeof(g_cmds[0]),
	};

	return cli_main(&tool, argc, argv);
}
