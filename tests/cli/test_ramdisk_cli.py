#!/usr/bin/env python3
"""The tools against the ramdisk backend. Each command line is a new process, so a new device:
every check is about one command on a fresh ramdisk (a fresh device holds zeros, no keys, default
features, empty zones). Bad ramdisk identifiers: one line with the reason, exit 1.
Usage: test_ramdisk_cli.py TOOLDIR (holding xnvme, lblk, zoned, kvs)"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

D = sys.argv[1]
X, L, Z, K = (os.path.join(D, t) for t in ("xnvme", "lblk", "zoned", "kvs"))
RD = "ramdisk:16MiB"
ZRD = "ramdisk:16MiB,zoned=1,lbads=4096,zsze=256,ronly=3,zdes=1"
KRD = "ramdisk:1MiB,kv=1"

check_yaml(X, ["info", RD], "xnvme info",
           lambda d: d["xnvme_dev"]["xnvme_be"]["attr"]["name"] == "ramdisk"
           and d["xnvme_dev"]["xnvme_geo"]["tbytes"] == 16 << 20)
check_yaml(X, ["info", "16MiB", "--be", "ramdisk"], "a bare size with --be ramdisk",
           lambda d: d["xnvme_dev"]["xnvme_be"]["attr"]["name"] == "ramdisk")
check_yaml(X, ["idfy-ctrl", RD], "idfy-ctrl",
           lambda d: d["xnvme_spec_idfy_ctrlr"]["mn"].rstrip() == "xnvme ramdisk"
           and d["xnvme_spec_idfy_ctrlr"]["elpe"] == 255)
check_yaml(X, ["idfy", KRD, "--cns", "5", "--csi", "1"], "idfy: the KV namespace, one KV format",
           lambda d: d["xnvme_spec_kvs_idfy_ns"]["nsze"] == 1 << 20
           and d["xnvme_spec_kvs_idfy_ns"]["kvf"] == [{"kml": 16, "vml": 1 << 20, "mnk": 0}])
check_yaml(X, ["idfy", KRD, "--cns", "0x1c"], "idfy: the I/O command set combination, NVM and KV",
           lambda d: d["xnvme_spec_idfy_cs"] == [{"iocsci": 0, "val": 0x3, "nvm": 1, "kv": 1,
                                                  "zns": 0}])
check_yaml(X, ["log-health", RD], "log-health of a fresh device",
           lambda d: d["xnvme_spec_log_health_entry"]["host_write_cmds"] == 0)
check_yaml(X, ["log-erri", RD, "--limit", "256"], "log-erri of 256 entries (16 KiB)",
           lambda d: len(d["xnvme_spec_log_erri"]) == 256)
check_yaml(X, ["feature-get", RD, "--fid", "4"], "feature-get: the default threshold",
           lambda d: d["feat"]["tmpth"] == 0x157)
check_yaml(X, ["feature-set", RD, "--fid", "4", "--feat", "0x150", "--save"], "feature-set",
           lambda d: d["feat"]["tmpth"] == 0x150)
check_yaml(X, ["format", RD, "--lbaf", "3"], "format to LBA format 3",
           lambda d: d["xnvme_format"]["lbaf"] == 3)
check_yaml(X, ["sanitize", RD, "--sanact", "3", "--ovrpat", "0x5a5a5a5a"], "sanitize, overwrite",
           lambda d: d["xnvme_sanitize"]["sanact"] == 3, json_too=False)
check_yaml(X, ["dev-selftest", RD, "--stc", "2"], "dev-selftest, extended",
           lambda d: d["xnvme_dev_selftest"]["stc"] == 2, json_too=False)
check_bad(X, ["dev-selftest", RD, "--stc", "0xE"], 1, "a vendor self-test the model has not got",
          "INVALID_FIELD")
check_yaml(X, ["log", RD, "--lid", "0x81", "--data-nbytes", "512"], "sanitize status log: raw",
           lambda d: d["xnvme_log_raw"]["data"][0].startswith("000000: ff ff 00 00"))

with tempfile.TemporaryDirectory() as tmp:
    p = lambda n: os.path.join(tmp, n)  # noqa: E731
    rc1, _, _ = run(X, "idfy", RD, "--cns", "1", "--data-output", p("a"))
    rc2, _, _ = run(X, "padc", RD, "--opcode", "6", "--cdw10", "1", "--data-nbytes", "4096",
                    "--data-output", p("b"))
    with open(p("a"), "rb") as a, open(p("b"), "rb") as b:
        check(rc1 == 0 and rc2 == 0 and a.read() == b.read(),
              "padc reproduces identify on a ramdisk, byte for byte (same serial each time)")
    with open(p("zeros"), "wb") as f:
        f.write(bytes(4096))
    check_yaml(L, ["compare", RD, "--nlb", "7", "--data-input", p("zeros")],
               "lblk compare: a fresh device holds zeros", json_too=False)
    for cmd, extra in [("write", []), ("write-zeroes", []), ("write-uncor", []), ("verify", []),
                       ("dsm", ["--ranges", "0:7,100:0"]), ("copy", ["--sdlba", "64"]),
                       ("flush", [])]:
        check_yaml(L, [cmd, RD, *extra], f"lblk {cmd}", json_too=False)
    check_yaml(L, ["write", "ramdisk:1MiB,ms=8", "--meta-input", p("zeros")],
               "lblk write with separate metadata", json_too=False)

check_yaml(Z, ["report", ZRD], "zoned report: 16 zones, zone 3 read-only",
           lambda d: d["xnvme_znd_report"]["nzones"] == 16
           and [e["zs"] for e in d["xnvme_znd_report"]["entries"]][2:4] == ["EMPTY", "RONLY"])
check_yaml(Z, ["changes", ZRD], "zoned changes: zone 3, made read-only by the controller",
           lambda d: d["xnvme_spec_znd_log_changes"]["nidents"] == 1)
check_yaml(Z, ["mgmt-offline", ZRD, "--slba", "768"], "zoned mgmt-offline of the read-only zone",
           json_too=False)
check_bad(Z, ["mgmt-offline", ZRD, "--slba", "0"], 1, "offline of an empty zone",
          "INVALID_ZONE_STATE_TRANSITION")
rc, out, err = run(Z, "append", ZRD, "--slba", "256", "--nlb", "1", "--output", "json")
check(rc == 0 and json.loads(out)["zoned_append"]["alba"] == 256, f"zoned append: alba ({err!r})")
check_yaml(Z, ["report", ZRD, "--extended", "--limit", "1"], "zoned report --extended",
           lambda d: len(d["xnvme_znd_report"]["entries"][0]["zdext"]) == 128)

SEED = "ramdisk:1MiB,kv=1,kvseed=3"  # keys key0..key2 with values value0..value2
check_yaml(K, ["list", SEED], "kvs list: the seeded keys in order",
           lambda d: d["kvs_list"]["keys"] == ["key0", "key1", "key2"])
check_yaml(K, ["list", SEED, "--key", "key1"], "kvs list from key1",
           lambda d: d["kvs_list"]["keys"] == ["key1", "key2"])
check_yaml(K, ["retrieve", SEED, "--key", "key2"], "kvs retrieve a seeded key",
           lambda d: d["kvs_retrieve"]["value"] == "value2" and d["kvs_retrieve"]["nbytes"] == 6)
check_bad(K, ["retrieve", SEED, "--key", "key2", "--data-nbytes", "4"], 1,
          "kvs retrieve into a buffer too small", "6 bytes")
check_yaml(K, ["exist", SEED, "--key", "key0"], "kvs exist of a seeded key: true",
           lambda d: d["kvs_exist"]["exists"] is True)
check_yaml(K, ["delete", SEED, "--key", "key0"], "kvs delete of a seeded key",
           lambda d: d["kvs_delete"]["key"] == "key0")
check_bad(K, ["store", SEED, "--key", "key1", "--value", "x", "--only-add"], 1,
          "kvs store --only-add of an existing key", "KEY_EXISTS")
check_yaml(K, ["store", SEED, "--key", "key1", "--value", "x", "--only-update"],
           "kvs store --only-update of an existing key", json_too=False)
check_yaml(K, ["store", KRD, "--key", "k1", "--value", "hello"], "kvs store",
           lambda d: d["kvs_store"]["nbytes"] == 5)
check_yaml(K, ["exist", KRD, "--key", "k1"], "kvs exist on a fresh device: false",
           lambda d: d["kvs_exist"]["exists"] is False)
check_yaml(K, ["list", KRD], "kvs list on a fresh device: no keys",
           lambda d: d["kvs_list"]["nkeys"] == 0)
check_bad(K, ["retrieve", KRD, "--key", "k1"], 1, "kvs retrieve of an absent key",
          "KV_KEY_DOES_NOT_EXIST")
check_bad(K, ["delete", KRD, "--key", "k1"], 1, "kvs delete of an absent key",
          "KV_KEY_DOES_NOT_EXIST")
check_bad(K, ["store", KRD, "--key", "k1", "--value", "x", "--only-update"], 1,
          "kvs store --only-update of an absent key", "KV_KEY_DOES_NOT_EXIST")
check_bad(K, ["store", RD, "--key", "k1", "--value", "x"], 1, "kvs on an NVM ramdisk",
          "not a key-value namespace")

for uri, needle in [("ramdisk:0", "size"), ("ramdisk:1000TiB", "free memory"),
                    ("ramdisk:1MiB,nosuch=1", "unknown parameter"), ("ramdisk:1MiB,pi=1", "pi"),
                    ("ramdisk:1MiB,lbads=1000", "LBA format"), ("ramdisk:x", "size")]:
    check_bad(X, ["info", uri], 1, f"bad identifier {uri}", "ramdisk", needle)
# Issue 17: the identifier's strictness, one line with the reason each
for uri, needle in [("ramdisk:,1MiB", "comma"), ("ramdisk:1MiB,", "empty parameter"),
                    ("ramdisk:1MiB,,ms=8", "empty parameter"), ("ramdisk:1MiB,ms=8,ms=8", "twice"),
                    ("ramdisk:1MiB,ronly=1", "ronly needs zoned="),
                    ("ramdisk:1MiB,zoned=1,zsze=3", "outside any zone"),
                    ("ramdisk:512,kv=1,kvseed=75", "kvseed: 75 values take 515 bytes"),
                    ("ramdisk:2199023263744,nil=1,zoned=1,zsze=1", "4294967312 zones"),
                    ("ramdisk:16GiB,nil=1,zoned=1,zsze=1", "33554432 zones"),
                    ("ramdisk:1MiB,err=write:0/0", "err: the rule")]:
    check_bad(X, ["info", uri], 1, f"bad identifier {uri}", "ramdisk", needle)

# Error injection (err=): each tool fails with exit 1 and one line naming the injected status
for tool, args, needles in [
        (L, ["write", "ramdisk:1MiB,err=write:2/0x80"], ["write", "WRITE_FAULT", "sct 0x2"]),
        (L, ["read", "ramdisk:1MiB,err=read#0-7:2/0x81/dnr"], ["UNRECOVERED_READ_ERROR", "dnr 1"]),
        (L, ["flush", "ramdisk:1MiB,err=flush:0/6"], ["INTERNAL_DEVICE_ERROR", "sc 0x06"]),
        (L, ["write-zeroes", "ramdisk:1MiB,err=wzeroes:0/4"], ["DATA_TRANSFER_ERROR"]),
        (X, ["feature-get", "ramdisk:1MiB,err=getfeat:0/2", "--fid", "4"], ["INVALID_FIELD"]),
        (X, ["log-health", "ramdisk:1MiB,err=getlog:0/6/dnr"], ["INTERNAL_DEVICE_ERROR", "dnr 1"]),
        (Z, ["append", "ramdisk:16MiB,zoned=1,err=zappend:1/0xb9", "--slba", "0"],
         ["ZONE_IS_FULL", "sct 0x1"]),
        (Z, ["mgmt-reset", "ramdisk:16MiB,zoned=1,err=zsend:1/0xba", "--slba", "0"],
         ["sct 0x1", "sc 0xba"]),
        (K, ["store", "ramdisk:1MiB,kv=1,err=store:0/4", "--key", "k", "--value", "v"],
         ["DATA_TRANSFER_ERROR"])]:
    check_bad(tool, args, 1, f"{os.path.basename(tool)} {args[0]} with {args[1]}", *needles)
# A rule that does not match leaves the command alone: the read outside the range succeeds
check_yaml(L, ["read", "ramdisk:1MiB,err=read#8-15:2/0x81", "--slba", "0", "--nlb", "7"],
           "lblk read outside the failing range", json_too=False)

check_bad(X, ["info", RD, "--nsid", "2"], 1, "a namespace the ramdisk has not got",
          "no such namespace")
check_bad(X, ["info", RD, "--async", "io_uring"], 1, "an interface the ramdisk has not got",
          "io_uring")

finish()
