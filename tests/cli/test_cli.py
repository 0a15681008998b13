#!/usr/bin/env python3
"""The `xnvme` tool against a file: its output parses as YAML and says the right things; bad input
gives the documented exit code (2 usage, 1 operation), exactly one line on stderr and nothing on
stdout. Usage: test_cli.py PATH-TO-xnvme. Prints PASS/FAIL per check; exits 1 if any failed."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clitest  # noqa: E402
from clitest import FAILED, check  # noqa: E402

XNVME = sys.argv[1]


def run(*args):
    return clitest.run(XNVME, *args, timeout=60)


def check_yaml(args, what, pred):
    """Exit 0, nothing on stderr, YAML on stdout that satisfies pred; the same as JSON"""
    clitest.check_yaml(XNVME, args, what, pred)


def check_bad(args, rc_want, what, *needles):
    clitest.check_bad(XNVME, args, rc_want, what, *needles)


def check_help(args, what, *needles):
    rc, out, err = run(*args)
    ok = rc == 0 and err == "" and out.startswith("usage: ") and "Exit codes" in out
    check(ok and all(n in out for n in needles), f"{what} (rc={rc})")


def linux_async_ids(doc):
    be = [b for b in doc["xnvme_be_attr_list"] if b["name"] == "linux"][0]
    return {i["id"] for i in be["interfaces"]["async"]}


with tempfile.TemporaryDirectory() as tmp:
    img = os.path.join(tmp, "dev.img")
    with open(img, "wb") as f:
        os.truncate(f.fileno(), 8 << 20)
    missing = os.path.join(tmp, "missing.img")

    check_yaml(["info", img], "info",
               lambda d: d["xnvme_dev"]["xnvme_geo"]["tbytes"] == 8 << 20
               and d["xnvme_dev"]["xnvme_geo"]["lba_nbytes"] == 512
               and d["xnvme_dev"]["xnvme_geo"]["type"] == "XNVME_GEO_CONVENTIONAL"
               and d["xnvme_dev"]["xnvme_be"]["attr"]["name"] == "linux"
               and d["xnvme_dev"]["xnvme_be"]["async"]["id"] == "emu"
               and d["xnvme_dev"]["xnvme_ident"]["nsid"] == 1
               and d["xnvme_dev"]["xnvme_ident"]["dtype"] == 4)
    check_yaml(["info", img, "--async", "io_uring"], "info --async io_uring",
               lambda d: d["xnvme_dev"]["xnvme_be"]["async"]["id"] == "io_uring"
               and d["xnvme_dev"]["xnvme_opts"]["async"] == "io_uring")
    check_yaml(["info", "--nsid", "0x1", "--rdonly", img], "info --nsid 0x1 --rdonly (options first)",
               lambda d: d["xnvme_dev"]["xnvme_opts"]["nsid"] == 1
               and d["xnvme_dev"]["xnvme_opts"]["rdonly"] == 1)
    check_yaml(["info", img, "--output", "yaml"], "info --output yaml",
               lambda d: d["xnvme_dev"]["xnvme_geo"]["tbytes"] == 8 << 20)
    check_yaml(["idfy-ns", img], "idfy-ns",
               lambda d: d["xnvme_spec_idfy_ns"]["nsze"] == 16384)
    check_yaml(["idfy-ns", img, "--nsid", "1"], "idfy-ns --nsid 1",
               lambda d: d["xnvme_spec_idfy_ns"]["nsze"] == 16384)
    check_yaml(["idfy-ctrl", img], "idfy-ctrl",
               lambda d: d["xnvme_spec_idfy_ctrlr"]["nn"] == 1
               and "emulated" in d["xnvme_spec_idfy_ctrlr"]["mn"])
    asyncs = clitest.offered_ifaces(img)
    check(len(asyncs) > 0, f"the library offers async interfaces on a file: {asyncs}")
    check_yaml(["library-info"], f"library-info: linux lists {', '.join(asyncs)}",
               lambda d: set(asyncs) <= linux_async_ids(d))
    for iface in asyncs:
        check_yaml(["info", img, "--async", iface], f"info --async {iface}: bound by its name",
                   lambda d, i=iface: d["xnvme_dev"]["xnvme_be"]["async"]["id"] == i)
    check_yaml(["enum"], "enum", lambda d: isinstance(d["xnvme_cli_enumeration"], list))

    check_help(["--help"], "--help", "commands:", "idfy-ctrl", "library-info")
    check_help(["-h"], "-h", "commands:")
    check_help(["info", "--help"], "info --help", "usage: xnvme info URI", "--nsid", "--async")
    check_help(["idfy-ns", "-h"], "idfy-ns -h", "usage: xnvme idfy-ns URI")
    check_help(["library-info", "--help"], "library-info --help", "usage: xnvme library-info")

    # Usage errors: exit 2
    check_bad([], 2, "no sub-command")
    check_bad(["nosuchcmd"], 2, "unknown sub-command", "nosuchcmd")
    check_bad(["info", img, "--nosuchopt"], 2, "unknown option", "--nosuchopt")
    check_bad(["info", img, "-x"], 2, "unknown short option", "-x")
    check_bad(["info", img, "--asy", "io_uring"], 2, "abbreviated option", "--asy")
    check_bad(["info", img, "--rdonly=1"], 2, "value for a flag", "--rdonly")
    check_bad(["library-info", "--nsid", "1"], 2, "option that does not apply", "--nsid")
    check_bad(["info", img, "--nsid"], 2, "--nsid without a value", "--nsid")
    check_bad(["info", img, "--nsid", "abc"], 2, "--nsid abc", "abc")
    check_bad(["info", img, "--nsid", "12abc"], 2, "--nsid 12abc", "12abc")
    check_bad(["info", img, "--nsid", " 1"], 2, "--nsid with a blank")
    check_bad(["info", img, "--nsid", "0x"], 2, "--nsid 0x")
    check_bad(["info", img, "--nsid", "0x0x1"], 2, "--nsid 0x0x1")
    check_bad(["info", img, "--nsid", "-1"], 2, "--nsid -1", "negative")
    check_bad(["info", img, "--nsid", "+1"], 2, "--nsid +1")
    check_bad(["info", img, "--nsid", "0"], 2, "--nsid 0", "nsid 0 is not a namespace")
    check_bad(["info", img, "--nsid", "0x1FFFFFFFF"], 2, "--nsid 0x1FFFFFFFF (overflow)", "large")
    check_bad(["info", img, "--nsid", "1" + "0" * 30], 2, "--nsid 10^30 (overflow)", "large")
    check_bad(["info", img, "--output", "xml"], 2, "--output xml", "xml")
    check_bad(["info", img, "--output", "JSON"], 2, "--output JSON (formats are lower case)")
    check_bad(["info"], 2, "info without URI", "URI")
    check_bad(["idfy-ctrl"], 2, "idfy-ctrl without URI", "URI")
    check_bad(["info", img, "extra"], 2, "extra argument", "extra")

    # Operation errors: exit 1
    check_bad(["info", img, "--be", "nosuchbe"], 1, "--be nosuchbe", "nosuchbe")
    check_bad(["info", img, "--async", "nosuchiface"], 1, "--async nosuchiface", "nosuchiface")
    check_bad(["info", missing], 1, "path that does not exist", missing, "No such file")
    check_bad(["idfy-ctrl", missing], 1, "idfy-ctrl of a path that does not exist", missing)
    check_bad(["info", img, "--nsid", "2"], 1, "--nsid 2 on a file", "namespace")
    # A leading 0 is decimal: '09' is nsid 9 (no such namespace), not a bad octal number
    check_bad(["info", img, "--nsid", "09"], 1, "--nsid 09 is decimal")
    check_bad(["enum", "--be", "nosuchbe"], 1, "enum --be nosuchbe")
    # A failed command with --output json: no partial document on stdout
    check_bad(["info", missing, "--output", "json"], 1, "info --output json of a missing path",
              missing)

    # Output that cannot be written is a failure, not a success
    if os.path.exists("/dev/full"):
        with open("/dev/full", "w") as full:
            proc = subprocess.run([XNVME, "library-info"], stdout=full, stderr=subprocess.PIPE,
                                  text=True, timeout=60)
        check(proc.returncode == 1 and proc.stderr.count("\n") == 1
              and proc.stderr.startswith("xnvme library-info: error: "),
              f"library-info > /dev/full: exit {proc.returncode}, stderr {proc.stderr!r}")
        with open("/dev/full", "w") as full:
            proc = subprocess.run([XNVME, "library-info", "--output", "json"], stdout=full,
                                  stderr=subprocess.PIPE, text=True, timeout=60)
        check(proc.returncode == 1 and proc.stderr.count("\n") == 1,
              f"library-info --output json > /dev/full: exit {proc.returncode}, "
              f"stderr {proc.stderr!r}")

print(f"{len(FAILED)} failed")
sys.exit(1 if FAILED else 0)
