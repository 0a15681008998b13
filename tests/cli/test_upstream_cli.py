#!/usr/bin/env python3
"""The tools take every verb and option of xNVMe 0.7.5's tools (xnvme, lblk, zoned, kvs, xnvme_file,
xdd), on ramdisks and files. First each verb's --help must list all of 0.7.5's options for it (the
list below is the facts of 0.7.5's tools); then each verb runs once with those options: it either
succeeds with 0.7.5's top-level key, or (a target without the feature) fails in one stderr line
with exit 1, never a usage error or a crash. Also: --version, the nearest verb for a misspelt one,
"--direct 1". Usage: test_upstream_cli.py TOOLDIR"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

D = sys.argv[1]
T = {t: os.path.join(D, t) for t in ("xnvme", "lblk", "zoned", "kvs", "xnvme_file", "xdd")}

BE = ["--subnqn", "--hostnqn", "--be", "--dev-nsid", "--admin", "--mem", "--direct"]
BES = BE + ["--sync"]
# xNVMe 0.7.5's verbs and the options each takes (its --help), backend options included
UPSTREAM = {
    "xnvme": {
        "list": ["--uri", "--flags", "--subnqn", "--hostnqn", "--be"],
        "enum": ["--uri", "--flags", "--subnqn", "--hostnqn", "--be"],
        "info": BE,
        "idfy": ["--cns", "--cntid", "--nsid", "--setid", "--uuid", "--data-output"] + BE,
        "idfy-ns": ["--nsid", "--data-output"] + BE,
        "idfy-ctrlr": ["--data-output"] + BE,
        "idfy-cs": ["--data-output"] + BE,
        "log": ["--lid", "--lsp", "--lpo-nbytes", "--nsid", "--rae", "--data-nbytes",
                "--data-output"] + BE,
        "log-erri": ["--nsid", "--limit", "--data-output"] + BE,
        "log-health": ["--nsid", "--data-output"] + BE,
        "log-fdp-config": ["--nsid", "--data-nbytes", "--data-output", "--lsi"] + BE,
        "log-ruhu": ["--nsid", "--data-output", "--limit", "--lsi"] + BE,
        "log-fdp-stats": ["--nsid", "--data-output", "--lsi"] + BE,
        "log-fdp-events": ["--nsid", "--limit", "--data-output", "--lsi", "--lsp"] + BE,
        "feature-get": ["--fid", "--nsid", "--sel", "--cdw11", "--data-output",
                        "--data-nbytes"] + BE,
        "feature-set": ["--fid", "--feat", "--nsid", "--save", "--cdw12", "--data-input",
                        "--data-nbytes"] + BE,
        "set-fdp-events": ["--fid", "--feat", "--nsid", "--save", "--cdw12"] + BE,
        "format": ["--nsid", "--lbafl", "--lbafu", "--mset", "--ses", "--pi", "--pil"] + BE,
        "sanitize": ["--sanact", "--ause", "--ovrpat", "--owpass", "--oipbp", "--nodas"] + BE,
        "fdp-ruhs": ["--nsid", "--limit"] + BE,
        "fdp-ruhu": ["--nsid", "--pid"] + BE,
        "pioc": [f"--cdw{i}" for i in range(16)] + [
            "--opcode", "--nsid", "--data-input", "--data-output", "--data-nbytes",
            "--meta-input", "--meta-output", "--meta-nbytes", "--verbose"] + BE,
        "library-info": [],
        "dsm": ["--nsid", "--ad", "--idw", "--idr", "--slba", "--llb"] + BE,
        "subsystem-reset": BE, "show-regs": BE, "ctrlr-reset": BE, "ns-rescan": BE,
    },
    "lblk": {
        "enum": ["--uri", "--flags", "--subnqn", "--hostnqn", "--be"],
        "info": BE,
        "idfy": ["--nsid", "--data-output"] + BE,
        "dir-send": ["--nsid", "--dspec", "--dtype", "--doper", "--endir", "--tgtdir"] + BES,
        "dir-receive": ["--nsid", "--dtype", "--doper", "--nsr"] + BES,
        "read": ["--slba", "--nlb", "--nsid", "--data-output", "--meta-output"] + BES,
        "write": ["--slba", "--nlb", "--nsid", "--data-input", "--meta-input"] + BES,
        "write-zeros": ["--slba", "--nlb", "--nsid", "--data-input", "--meta-input"] + BES,
        "write-uncor": ["--slba", "--nlb", "--nsid", "--data-input", "--meta-input"] + BES,
        "write-dir": ["--slba", "--nlb", "--nsid", "--data-input", "--meta-input", "--dtype",
                      "--dspec"] + BES,
        "write-read-pi": ["--slba", "--nlb", "--nsid", "--pract", "--prchk", "--apptag",
                          "--apptag_mask", "--data-input", "--meta-input"] + BES,
        "compare": ["--slba", "--nlb", "--nsid", "--data-input", "--meta-input"] + BES,
    },
    "zoned": {
        "enum": ["--uri", "--flags", "--subnqn", "--hostnqn", "--be"],
        "info": BES, "idfy-ctrlr": BES, "idfy-ns": BES,
        "changes": ["--data-output"] + BES,
        "errors": ["--nsid", "--data-output"] + BES,
        "read": ["--slba", "--nlb", "--nsid", "--data-output", "--meta-output"] + BES,
        "write": ["--slba", "--nlb", "--nsid", "--data-input", "--meta-input"] + BES,
        "append": ["--slba", "--nlb", "--nsid", "--data-input", "--meta-input"] + BES,
        **{f"mgmt-{a}": ["--slba", "--nsid", "--all"] + BES
           for a in ("open", "close", "finish", "reset")},
        "mgmt": ["--slba", "--zsa", "--nsid", "--all"] + BES,
        "report": ["--slba", "--limit", "--data-output"] + BES,
    },
    "kvs": {
        "enum": ["--uri", "--flags", "--dev-nsid", "--be", "--admin", "--sync"],
        "idfy-ns": ["--nsid", "--dev-nsid", "--be", "--admin", "--sync"],
        "retrieve": ["--nsid", "--key", "--data-output", "--dev-nsid", "--be", "--admin",
                     "--sync"],
        "store": ["--nsid", "--key", "--value", "--only-update", "--only-add", "--compress",
                  "--dev-nsid", "--be", "--admin", "--sync"],
        **{v: ["--nsid", "--key", "--dev-nsid", "--be", "--admin", "--sync"]
           for v in ("delete", "exist", "list")},
    },
    "xnvme_file": {
        "write-read": [],
        "dump-sync": ["--data-nbytes", "--iosize", "--direct"],
        "dump-sync-iovec": ["--data-nbytes", "--iosize", "--direct", "--sync", "--be",
                            "--vec-cnt"],
        "dump-async": ["--data-nbytes", "--iosize", "--qdepth", "--direct"],
        "dump-async-iovec": ["--data-nbytes", "--iosize", "--qdepth", "--direct", "--async",
                             "--be", "--vec-cnt"],
        "load-sync": ["--iosize", "--direct"],
        "load-async": ["--iosize", "--qdepth", "--direct"],
        "copy-sync": ["--iosize", "--direct"],
        "copy-async": ["--iosize", "--qdepth", "--direct"],
    },
    "xdd": {
        "sync": ["--data-input", "--data-output", "--data-nbytes", "--iosize", "--direct",
                 "--offset"],
        "async": ["--data-input", "--data-output", "--data-nbytes", "--iosize", "--qdepth",
                  "--direct", "--offset"],
    },
}

# 1. Every verb and option is there
for tool, verbs in UPSTREAM.items():
    rc, out, _ = run(T[tool], "--help")
    ours = [line.split()[0] for line in out.split("commands:\n")[1].split("\n\n")[0].splitlines()]
    missing = [v for v in verbs if v not in ours]
    check(not missing, f"{tool} has every verb of xNVMe's {tool} ({missing})")
    for verb, opts in verbs.items():
        rc, out, _ = run(T[tool], verb, "--help")
        missing = [o for o in opts if f"{o} " not in out and f"{o}\n" not in out]
        check(rc == 0 and not missing, f"{tool} {verb} --help lists xNVMe's options ({missing})")
    rc, out, err = run(T[tool], "--version")
    check(rc == 0 and out == f"{tool} 0.7.5\n" and err == "", f"{tool} --version ({out!r})")

check_bad(T["xnvme"], ["idfy-ctrlx"], 2, "a misspelt verb names the nearest",
          "did you mean 'idfy-ctrl")
check_bad(T["lblk"], ["write-zero"], 2, "lblk write-zero: the nearest", "did you mean 'write-zer")
check_bad(T["xdd"], ["snyc"], 2, "xdd snyc: the nearest", "did you mean 'sync'")
check_bad(T["xnvme"], ["frobnicate"], 2, "a verb like none: no suggestion", "unknown command")


def runs(tool, args, what, key=None):
    """Exit 0 with key (when given) at the top of the YAML, or exit 1 in one stderr line"""
    rc, out, err = run(T[tool], *args)
    if rc == 0 and key:
        check_yaml(T[tool], args, what, lambda d: key in d)
    elif rc == 0:
        check(err == "", f"{what}: exit 0 ({err.strip()!r})")
    else:
        check(rc == 1 and out == "" and err.count("\n") == 1 and ": error: " in err,
              f"{what}: exit {rc} (want 0 or 1), stdout {len(out)}, stderr {err!r}")
    return rc


with tempfile.TemporaryDirectory() as tmp:
    def p(name):
        return os.path.join(tmp, name)

    img = p("ns.img")
    with open(img, "wb") as f:
        f.write(os.urandom(8 << 20))
    with open(p("blk"), "wb") as f:
        f.write(os.urandom(4096))
    RD = "ramdisk:64MiB"
    ZRD = "ramdisk:16MiB,zoned=1,lbads=4096,zsze=256"
    KRD = "ramdisk:1MiB,kv=1"
    OUT = ["--data-output", p("out")]
    RDO = ["--be", "ramdisk", "--admin", "ramdisk", "--sync", "ramdisk", "--mem", "posix",
           "--dev-nsid", "1", "--direct", "1"]

    # 0.7.5 turns a given yes/no option on whatever value follows; ours too, and says so
    rc, out, err = run(T["xnvme"], "info", "64MiB", "--be", "ramdisk", "--direct", "0")
    check(rc == 0 and err == "warning: '--direct 0' turns direct on, as xNVMe 0.7.5 reads it\n",
          f"--direct 0: on, with a warning ({err!r})")
    check_bad(T["xnvme"], ["info", "64MiB", "--be", "ramdisk", "--direct=2"], 2,
              "--direct=2: refused", "is not 0 or 1")

    # xnvme: each verb on a ramdisk and a file, with 0.7.5's options
    X = "xnvme"
    for verb in ("list", "enum"):
        runs(X, [verb, "--flags", "0x0", "--be", "linux"], f"{verb} --flags --be",
             "xnvme_cli_enumeration")
        runs(X, [verb, "--uri", "64MiB", "--be", "ramdisk"], f"{verb} --uri",
             "xnvme_cli_enumeration")
    check_yaml(T[X], ["info", "64MiB", *RDO], "info of '64MiB' with the backend options",
               lambda d: d["xnvme_dev"]["xnvme_be"]["attr"]["name"] == "ramdisk")
    check_yaml(T[X], ["info", img, "--direct", "1", "--dev-nsid", "1"], "info --direct 1",
               lambda d: d["xnvme_dev"]["xnvme_opts"]["direct"] == 1)
    for tgt in (RD, img):
        runs(X, ["idfy", tgt, "--cns", "0", "--cntid", "0", "--nsid", "1", "--setid", "0",
                 "--uuid", "0", *OUT], f"idfy --setid --uuid on {tgt}", "xnvme_spec_idfy_ns")
        runs(X, ["idfy-ns", tgt, "--nsid", "1", *OUT], f"idfy-ns on {tgt}", "xnvme_spec_idfy_ns")
        runs(X, ["idfy-ctrlr", tgt, *OUT], f"idfy-ctrlr on {tgt}", "xnvme_spec_idfy_ctrlr")
        runs(X, ["idfy-cs", tgt, *OUT], f"idfy-cs on {tgt}")
        runs(X, ["log-erri", tgt, "--nsid", "0xFFFFFFFF", "--limit", "4", *OUT],
             f"log-erri on {tgt}", "xnvme_spec_log_erri")
        runs(X, ["log-health", tgt, "--nsid", "0xFFFFFFFF", *OUT], f"log-health on {tgt}",
             "xnvme_spec_log_health_entry")
        runs(X, ["log-fdp-config", tgt, "--nsid", "1", "--data-nbytes", "512", "--lsi", "0",
                 *OUT], f"log-fdp-config on {tgt}", "xnvme_spec_log_fdp_conf")
        runs(X, ["log-ruhu", tgt, "--nsid", "1", "--limit", "2", "--lsi", "0", *OUT],
             f"log-ruhu on {tgt}", "xnvme_spec_log_ruhu")
        runs(X, ["log-fdp-stats", tgt, "--nsid", "1", "--lsi", "0", *OUT],
             f"log-fdp-stats on {tgt}", "xnvme_spec_log_fdp_stats")
        runs(X, ["log-fdp-events", tgt, "--nsid", "1", "--limit", "2", "--lsi", "0", "--lsp",
                 "0", *OUT], f"log-fdp-events on {tgt}", "xnvme_spec_log_fdp_events")
        runs(X, ["set-fdp-events", tgt, "--fid", "0x1E", "--feat", "0", "--nsid", "1", "--save",
                 "--cdw12", "1"], f"set-fdp-events on {tgt}", "xnvme_set_fdp_events")
        runs(X, ["fdp-ruhs", tgt, "--nsid", "1", "--limit", "2"], f"fdp-ruhs on {tgt}",
             "xnvme_spec_ruhs")
        runs(X, ["fdp-ruhu", tgt, "--nsid", "1", "--pid", "0,1"], f"fdp-ruhu on {tgt}",
             "xnvme_fdp_ruhu")
        runs(X, ["dsm", tgt, "--nsid", "1", "--ad", "--idw", "--idr", "--slba", "0", "--llb",
                 "8"], f"dsm on {tgt}", "xnvme_dsm")
        for verb in ("subsystem-reset", "show-regs", "ctrlr-reset", "ns-rescan"):
            check_bad(T[X], [verb, tgt], 1, f"{verb} on {tgt}: not supported by the device",
                      "not supported by this device")
    check_yaml(T[X], ["log", RD, "--lid", "2", "--lsp", "0", "--lpo-nbytes", "0", "--nsid",
                      "0xFFFFFFFF", "--rae", "1", "--data-nbytes", "512", *OUT],
               "log --lpo-nbytes --rae", lambda d: "xnvme_spec_log_health_entry" in d)
    check_yaml(T[X], ["log", RD, "--lid", "2", "--lpo-nbytes", "4", "--data-nbytes", "508"],
               "log --lpo-nbytes 4: raw, at that offset",
               lambda d: d["xnvme_log_raw"]["lpo"] == 4)
    check_yaml(T[X], ["feature-get", RD, "--fid", "4", "--nsid", "0", "--sel", "0", "--cdw11",
                      "0"], "feature-get --cdw11", lambda d: "feat" in d)
    runs(X, ["feature-get", RD, "--fid", "4", "--data-nbytes", "4", *OUT],
         "feature-get --data-nbytes --data-output", "feat")
    check_yaml(T[X], ["feature-set", RD, "--fid", "4", "--feat", "0x150", "--nsid", "0", "--save",
                      "--cdw12", "0"], "feature-set --cdw12",
               lambda d: d["feat"]["tmpth"] == 0x150)
    runs(X, ["feature-set", RD, "--fid", "4", "--feat", "0x150", "--data-input", p("blk"),
             "--data-nbytes", "4"], "feature-set --data-input --data-nbytes", "feat")
    check_yaml(T[X], ["format", RD, "--nsid", "1", "--lbafl", "0", "--lbafu", "0", "--mset", "0",
                      "--ses", "0", "--pi", "0", "--pil", "0"], "format --lbafl --lbafu",
               lambda d: d["xnvme_format"]["lbaf"] == 0)
    check_bad(T[X], ["format", RD, "--lbaf", "1", "--lbafl", "1"], 2, "--lbaf with --lbafl")
    check_yaml(T[X], ["sanitize", RD, "--sanact", "3", "--ause", "--ovrpat", "0x5a", "--owpass",
                      "2", "--oipbp", "--nodas"], "sanitize with every option",
               lambda d: d["xnvme_sanitize"]["owpass"] == 2 and d["xnvme_sanitize"]["nodas"] == 1,
               json_too=False)
    cdws = [a for i in range(16) for a in (f"--cdw{i}", "0")]
    # Read one block: opcode 2 in dword 0, nsid 1 in dword 1, NLB 0 in dword 12
    check_yaml(T[X], ["pioc", RD, *cdws[:2], "--cdw0", "2", *cdws[4:], "--cdw1", "1", "--nsid",
                      "1", "--opcode", "2", "--data-nbytes", "512", *OUT, "--verbose"],
               "pioc with --cdw0..--cdw15 --verbose",
               lambda d: d["xnvme_spec_cmd"]["opcode"] == 2 and "xnvme_pass_data" in d)
    runs(X, ["pioc", RD, "--opcode", "1", "--data-input", p("blk"), "--data-nbytes", "512",
             "--meta-input", p("blk"), "--meta-nbytes", "8", "--meta-output", p("m")],
         "pioc with metadata options")
    check_yaml(T[X], ["padc", RD, "--cdw0", "6", "--cdw10", "1", "--data-nbytes", "4096", *OUT,
                      "--verbose"], "padc identify by --cdw0/--cdw10",
               lambda d: d["xnvme_spec_cmd"]["opcode"] == 6)
    check_yaml(T[X], ["library-info"], "library-info", lambda d: "xnvme_ver" in d)

    # lblk
    L = "lblk"
    runs(L, ["enum", "--uri", "64MiB", "--flags", "0", "--be", "ramdisk"], "lblk enum",
         "xnvme_cli_enumeration")
    for tgt in (RD, img):
        runs(L, ["info", tgt, "--dev-nsid", "1"], f"lblk info on {tgt}", "xnvme_dev")
        runs(L, ["idfy", tgt, "--nsid", "1", *OUT], f"lblk idfy on {tgt}", "xnvme_spec_idfy_ns")
        runs(L, ["dir-send", tgt, "--nsid", "1", "--dspec", "0", "--dtype", "0", "--doper", "1",
                 "--endir", "1", "--tgtdir", "2"], f"dir-send on {tgt}", "lblk_dir_send")
        runs(L, ["dir-receive", tgt, "--nsid", "1", "--dtype", "0", "--doper", "1", "--nsr",
                 "0"], f"dir-receive on {tgt}", "lblk_dir_receive")
        rng = ["--slba", "0", "--nlb", "0", "--nsid", "1"]
        runs(L, ["read", tgt, *rng, *OUT, "--sync", "psync" if tgt == img else "ramdisk"],
             f"read on {tgt}", "lblk_read")
        runs(L, ["read", tgt, *rng, "--meta-output", p("m")], f"read --meta-output on {tgt}")
        runs(L, ["write", tgt, *rng, "--data-input", p("blk")], f"write on {tgt}", "lblk_write")
        runs(L, ["write", tgt, *rng, "--meta-input", p("blk")], f"write --meta-input on {tgt}")
        runs(L, ["write-zeros", tgt, *rng, "--data-input", p("blk"), "--meta-input", p("blk")],
             f"write-zeros on {tgt}", "lblk_write-zeroes")
        runs(L, ["write-uncor", tgt, *rng, "--data-input", p("blk")], f"write-uncor on {tgt}",
             "lblk_write-uncor")
        runs(L, ["write-dir", tgt, *rng, "--data-input", p("blk"), "--dtype", "2", "--dspec",
                 "1"], f"write-dir on {tgt}", "lblk_write_dir")
        runs(L, ["write-read-pi", tgt, *rng, "--pract", "1", "--prchk", "7", "--apptag", "1",
                 "--apptag_mask", "0xFFFF", "--data-input", p("blk"), "--meta-input", p("blk")],
             f"write-read-pi on {tgt}", "lblk_write_read_pi")
        runs(L, ["compare", tgt, *rng, "--data-input", p("blk")], f"compare on {tgt}")
        runs(L, ["compare", tgt, *rng, "--data-input", p("blk"), "--meta-input", p("blk")],
             f"compare --meta-input on {tgt}")
    check_bad(T[L], ["write-dir", RD, "--slba", "0"], 2, "write-dir without --dtype", "--dtype")

    # zoned: the zoned ramdisk
    Z = "zoned"
    runs(Z, ["enum", "--uri", "16MiB", "--flags", "0", "--be", "ramdisk"], "zoned enum",
         "xnvme_cli_enumeration")
    runs(Z, ["info", ZRD, "--dev-nsid", "1", "--sync", "ramdisk"], "zoned info", "xnvme_dev")
    runs(Z, ["idfy-ctrlr", ZRD], "zoned idfy-ctrlr", "xnvme_spec_znd_idfy_ctrlr")
    runs(Z, ["idfy-ns", ZRD], "zoned idfy-ns", "xnvme_spec_znd_idfy_ns")
    runs(Z, ["changes", ZRD, *OUT], "zoned changes --data-output", "xnvme_spec_znd_log_changes")
    runs(Z, ["errors", ZRD, "--nsid", "1", *OUT], "zoned errors", "xnvme_spec_log_erri")
    zr = ["--slba", "0", "--nlb", "0", "--nsid", "1"]
    runs(Z, ["write", ZRD, *zr, "--data-input", img], "zoned write", "zoned_write")
    runs(Z, ["write", ZRD, *zr, "--meta-input", img], "zoned write --meta-input")
    runs(Z, ["append", ZRD, *zr, "--data-input", img], "zoned append", "zoned_append")
    runs(Z, ["append", ZRD, *zr, "--meta-input", img], "zoned append --meta-input")
    runs(Z, ["read", ZRD, *zr, *OUT], "zoned read", "zoned_read")
    runs(Z, ["read", ZRD, *zr, "--meta-output", p("m")], "zoned read --meta-output")
    for act in ("open", "close", "finish", "reset"):
        runs(Z, [f"mgmt-{act}", ZRD, "--slba", "0", "--nsid", "1"], f"mgmt-{act} --nsid",
             f"zoned_mgmt-{act}")
        runs(Z, [f"mgmt-{act}", ZRD, "--all"], f"mgmt-{act} --all", f"zoned_mgmt-{act}")
    check_yaml(T[Z], ["mgmt", ZRD, "--slba", "256", "--zsa", "3", "--nsid", "1"], "mgmt --zsa 3",
               lambda d: d["zoned_mgmt"]["zsa"] == 3)
    check_yaml(T[Z], ["mgmt", ZRD, "--all", "--zsa", "4"], "mgmt --all --zsa 4",
               lambda d: d["zoned_mgmt"]["all"] is True)
    check_bad(T[Z], ["mgmt", ZRD, "--slba", "0"], 2, "mgmt without --zsa", "--zsa")
    check_yaml(T[Z], ["report", ZRD, "--slba", "0", "--limit", "2", *OUT],
               "report --data-output", lambda d: d["xnvme_znd_report"]["nentries"] == 2)
    check(os.path.getsize(p("out")) == 2 * 64, "report --data-output: two 64-byte descriptors")

    # kvs: the key-value ramdisk
    K = "kvs"
    kd = ["--dev-nsid", "1", "--be", "ramdisk", "--admin", "ramdisk", "--sync", "ramdisk"]
    runs(K, ["enum", "--uri", "1MiB", "--flags", "0", *kd], "kvs enum", "xnvme_cli_enumeration")
    runs(K, ["idfy-ns", KRD, "--nsid", "1", *kd], "kvs idfy-ns", "xnvme_spec_kvs_idfy_ns")
    for opt in ("--only-add", "--only-update", "--compress"):
        runs(K, ["store", KRD, "--nsid", "1", "--key", "k", "--value", "v", opt, *kd],
             f"kvs store {opt}")
    for verb in ("retrieve", "delete", "exist", "list"):
        runs(K, [verb, KRD, "--nsid", "1", "--key", "k", *kd] + (OUT if verb == "retrieve"
                                                                 else []), f"kvs {verb}")

    # xnvme_file: 0.7.5's dump (buffer to file) and load (file to memory)
    F = "xnvme_file"
    check_yaml(T[F], ["write-read", p("wr"), "8192"], "write-read FILE NBYTES",
               lambda d: d["xnvme_file_write_read"]["nbytes"] == 8192)
    dumps = [("dump-sync", []), ("dump-sync-iovec", ["--sync", "psync", "--be", "linux",
                                                     "--vec-cnt", "3"]),
             ("dump-async", ["--qdepth", "4"]),
             ("dump-async-iovec", ["--qdepth", "4", "--async", "emu", "--be", "linux",
                                   "--vec-cnt", "2"])]
    for verb, extra in dumps:
        out = p(verb)
        check_yaml(T[F], [verb, out, "--data-nbytes", "10240", "--iosize", "1024", "--direct", "1",
                          *extra], verb, lambda d: d["wall-clock"]["mib"] >= 0
                   and d["xnvme_file_" + verb.replace("-", "_")]["nbytes"] == 10240,
                   json_too=False)
        with open(out, "rb") as f:
            data = f.read()
        check(len(data) == 10240 and data == open(p("dump-sync"), "rb").read(),
              f"{verb}: the file holds the same {len(data)} bytes as dump-sync's")
    with open(p("dump-sync"), "rb") as f:
        first = f.read(36)
    check(first.isalnum(), f"dump-sync writes letters and digits ({first!r}; 0.7.5: A-Z)")
    check_yaml(T[F], ["dump-sync", p("direct"), "--data-nbytes", "8192", "--direct"],
               "dump-sync --direct", json_too=False)
    check_bad(T[F], ["dump-sync", p("x")], 2, "dump-sync without --data-nbytes", "--data-nbytes")
    for verb, extra in (("load-sync", []), ("load-async", ["--qdepth", "2"])):
        check_yaml(T[F], [verb, img, "--iosize", "4096", "--direct", *extra], verb,
                   lambda d: d["xnvme_file_" + verb.replace("-", "_")]["nbytes"] == 8 << 20,
                   json_too=False)
    check_bad(T[F], ["load-sync", p("missing")], 1, "load-sync of a missing file", "missing")
    for verb, extra in (("copy-sync", []), ("copy-async", ["--qdepth", "2"])):
        runs(F, [verb, img, p(verb + ".out"), "--iosize", "4096", "--direct", *extra], verb)
        check(open(p(verb + ".out"), "rb").read() == open(img, "rb").read(),
              f"{verb}: the copy equals the source")

    # xdd
    for verb, extra in (("sync", []), ("async", ["--qdepth", "4"])):
        out = p("xdd-" + verb)
        check_yaml(T["xdd"], [verb, "--data-input", img, "--data-output", out, "--data-nbytes",
                              "65536", "--iosize", "4096", "--offset", "8192", "--direct",
                              *extra], f"xdd {verb}",
                   lambda d: d["xdd_" + verb]["nbytes"] == 65536 and "wall-clock" in d,
                   json_too=False)
        with open(img, "rb") as f:
            f.seek(8192)
            want = f.read(65536)
        check(open(out, "rb").read() == want, f"xdd {verb}: the output is the input at --offset")
    check_bad(T["xdd"], ["sync", "--data-input", img, "--data-output", p("x")], 2,
              "xdd without --data-nbytes", "--data-nbytes")
    check_bad(T["xdd"], ["sync", "--data-input", img, "--data-output", p("x"), "--data-nbytes",
                         str(16 << 20)], 1, "xdd past the input's end", "fewer")

finish()
