#!/usr/bin/env python3
"""The `xnvme` tool against a real file: output parses as YAML and says the right things; bad
arguments give exactly one line on stderr, nothing on stdout, and the documented exit code."""
import os
import subprocess
import sys
import tempfile

import yaml

XNVME = sys.argv[1]
FAILED = []


def run(*args):
    proc = subprocess.run([XNVME, *args], capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def check(cond, what):
    print(("PASS: " if cond else "FAIL: ") + what)
    if not cond:
        FAILED.append(what)


def check_yaml(args, what, pred):
    rc, out, err = run(*args)
    try:
        doc = yaml.safe_load(out)
    except yaml.YAMLError as exc:
        check(False, f"{what}: output is not YAML: {exc}")
        return None
    ok = rc == 0 and err == "" and pred(doc)
    check(ok, f"{what} (rc={rc}, stderr={err.strip()!r})")
    return doc


def check_bad(args, rc_want, what, needle=None):
    rc, out, err = run(*args)
    lines = err.splitlines()
    ok = rc == rc_want and out == "" and len(lines) == 1
    if needle:
        ok = ok and needle in err
    check(ok, f"{what}: exit {rc} (want {rc_want}), stderr {err.strip()!r}")


with tempfile.TemporaryDirectory() as tmp:
    img = os.path.join(tmp, "dev.img")
    with open(img, "wb") as f:
        os.truncate(f.fileno(), 8 << 20)

    check_yaml(["info", img], "info",
               lambda d: d["xnvme_geo"]["tbytes"] == 8 << 20
               and d["xnvme_geo"]["lba_nbytes"] == 512
               and d["xnvme_dev"]["be"] == "linux"
               and d["xnvme_dev"]["async"] == "emu"
               and d["xnvme_dev"]["dtype"] == "file")
    check_yaml(["info", img, "--async", "io_uring"], "info --async io_uring",
               lambda d: d["xnvme_dev"]["async"] == "io_uring"
               and d["xnvme_opts"]["async"] == "io_uring")
    check_yaml(["idfy-ns", img], "idfy-ns",
               lambda d: d["xnvme_spec_idfy_ns"]["nsze"] == 16384
               and d["xnvme_spec_idfy_ns"]["lbaf"][0]["ds"] == 9
               and len(d["xnvme_spec_idfy_ns"]["lbaf"]) == 64)
    check_yaml(["idfy-ctrl", img], "idfy-ctrl",
               lambda d: d["xnvme_spec_idfy_ctrlr"]["nn"] == 1
               and "emulated" in d["xnvme_spec_idfy_ctrlr"]["mn"])

    def has_ifaces(doc):
        be = [b for b in doc["xnvme_be_attr_list"] if b["name"] == "linux"][0]
        ids = {i["id"] for i in be["interfaces"]["async"]}
        return {"io_uring", "libaio", "thrpool", "emu", "posix", "nil"} <= ids

    check_yaml(["library-info"], "library-info", has_ifaces)
    check_yaml(["enum"], "enum", lambda d: isinstance(d["xnvme_enumeration"], list))

    rc, out, _ = run("--help")
    check(rc == 0 and "usage:" in out, "--help")
    rc, out, _ = run("info", "--help")
    check(rc == 0 and "usage: xnvme info URI" in out, "info --help")

    check_bad(["nosuchcmd"], 2, "unknown sub-command")
    check_bad(["info", img, "--nosuchopt"], 2, "unknown option")
    check_bad(["info", img, "--nsid"], 2, "--nsid without a value")
    check_bad(["info", img, "--nsid", "abc"], 2, "--nsid abc")
    check_bad(["info", img, "--nsid", "-1"], 2, "--nsid -1")
    check_bad(["info", img, "--nsid", "0"], 2, "--nsid 0")
    check_bad(["info", img, "--nsid", "0x1FFFFFFFF"], 2, "--nsid overflow")
    check_bad(["info"], 2, "info without URI")
    check_bad(["info", img, "extra"], 2, "extra argument")
    check_bad(["info", img, "--output", "xml"], 2, "unsupported output")
    check_bad(["info", img, "--be", "nosuchbe"], 1, "unknown backend", "nosuchbe")
    check_bad(["info", img, "--async", "nosuchiface"], 1, "unknown interface", "nosuchiface")
    check_bad(["info", os.path.join(tmp, "missing.img")], 1, "missing file",
              "No such file")
    check_bad(["idfy-ns", img, "--nsid", "2"], 1, "nsid 2 of a file", "only namespace 1")

print(f"{len(FAILED)} failed")
sys.exit(1 if FAILED else 0)
