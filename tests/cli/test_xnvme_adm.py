#!/usr/bin/env python3
"""The `xnvme` tool's admin and raw sub-commands against a file (the emulated admin interface):
idfy/idfy-cs decode what the dedicated commands print; padc/pioc reproduce identify and a read
byte for byte and write what they are given; the commands a file cannot do (logs, features,
format, sanitize, self-test) fail with the device's status in one line and change nothing; every
bad argument is a usage error before the device is touched.
Usage: test_xnvme_adm.py PATH-TO-xnvme"""
import hashlib
import os
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

X = sys.argv[1]
LBA = 512  # the file backend's logical block


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def cmd_bytes(opcode, nsid=0, cdw10=0, cdw11=0, cdw12=0):
    """A 64-byte NVMe submission queue entry"""
    sqe = bytearray(64)
    struct.pack_into("<BBHI", sqe, 0, opcode, 0, 0, nsid)
    struct.pack_into("<IIIIII", sqe, 40, cdw10, cdw11, cdw12, 0, 0, 0)
    return bytes(sqe)


with tempfile.TemporaryDirectory() as tmp:
    img = os.path.join(tmp, "dev.img")
    pattern = bytes((i * 7 + i // 512) & 0xFF for i in range(1 << 20))
    with open(img, "wb") as f:
        f.write(pattern)
        f.truncate(8 << 20)
    p = lambda name: os.path.join(tmp, name)  # noqa: E731

    # idfy with a CNS decodes what the dedicated command does
    ctrl = check_yaml(X, ["idfy-ctrl", img], "idfy-ctrl")
    check_yaml(X, ["idfy", img, "--cns", "1"], "idfy --cns 1 equals idfy-ctrl",
               lambda d: d == ctrl)
    ns = check_yaml(X, ["idfy-ns", img], "idfy-ns")
    check_yaml(X, ["idfy", img, "--cns", "0"], "idfy --cns 0 equals idfy-ns", lambda d: d == ns)
    check_yaml(X, ["idfy", img, "--cns", "0", "--nsid", "1"], "idfy --cns 0 --nsid 1",
               lambda d: d == ns)
    check_yaml(X, ["idfy", img, "--cns", "2"], "idfy --cns 2: the namespace list is [1]",
               lambda d: d["xnvme_spec_idfy_nslist"]["nsids"] == [1])
    # The descriptor list: one CSI descriptor (NIDT 4, NIDL 1) with CSI 0, NVM
    check_yaml(X, ["idfy", img, "--cns", "3"], "idfy --cns 3: raw, the CSI descriptor",
               lambda d: d["xnvme_spec_idfy_raw"]["data"][0].startswith("000000: 04 01 00 00 00")
               and d["xnvme_spec_idfy_raw"]["nbytes"] == 4096)
    check_yaml(X, ["idfy-cs", img], "idfy-cs: NVM controller and namespace",
               lambda d: "xnvme_spec_nvm_idfy_ctrlr" in d and "xnvme_spec_nvm_idfy_ns" in d)
    rc, _, err = run(X, "idfy", img, "--cns", "1", "--data-output", p("idfy.bin"))
    idfy = read_bytes(p("idfy.bin")) if rc == 0 else b""
    check(rc == 0 and len(idfy) == 4096 and b"xnvme emulated file" in idfy,
          f"idfy --data-output writes the 4096 bytes (rc={rc}, {err!r})")

    # padc reproduces identify byte for byte: from fields, and from a 64-byte command file
    rc, out, err = run(X, "padc", img, "--opcode", "6", "--cdw10", "1", "--data-nbytes", "4096",
                       "--data-output", p("padc.bin"))
    check(rc == 0 and read_bytes(p("padc.bin")) == idfy,
          f"padc identify (fields) equals idfy's bytes (rc={rc}, {err!r})")
    with open(p("idfy.cmd"), "wb") as f:
        f.write(cmd_bytes(6, cdw10=1))
    rc, out, err = run(X, "padc", img, "--cmd-input", p("idfy.cmd"), "--data-nbytes", "4096",
                       "--data-output", p("padc2.bin"), "--cmd-output", p("sent.cmd"))
    check(rc == 0 and read_bytes(p("padc2.bin")) == idfy,
          f"padc --cmd-input identify equals idfy's bytes (rc={rc}, {err!r})")
    check(rc == 0 and read_bytes(p("sent.cmd")) == cmd_bytes(6, cdw10=1),
          "padc --cmd-output writes the command sent")
    check_yaml(X, ["padc", img, "--opcode", "6", "--cdw10", "1", "--data-nbytes", "4096"],
               "padc prints the command and the completion",
               lambda d: d["xnvme_spec_cmd"]["opcode"] == 6 and d["xnvme_spec_cpl"]["sc"] == 0)
    # Fields given on the command line change the command file's
    with open(p("ns.cmd"), "wb") as f:
        f.write(cmd_bytes(6, cdw10=1))
    rc, _, err = run(X, "padc", img, "--cmd-input", p("ns.cmd"), "--cdw10", "0", "--nsid", "1",
                     "--data-nbytes", "4096", "--data-output", p("padc_ns.bin"))
    rc2, _, _ = run(X, "idfy", img, "--cns", "0", "--data-output", p("idfy_ns.bin"))
    check(rc == 0 and rc2 == 0 and read_bytes(p("padc_ns.bin")) == read_bytes(p("idfy_ns.bin")),
          f"padc --cmd-input with --cdw10 0 --nsid 1 is identify namespace (rc={rc}, {err!r})")

    # pioc reproduces a read: LBAs 3..4 (cdw12 NLB 1: zero-based) are the file's bytes there
    rc, out, err = run(X, "pioc", img, "--opcode", "2", "--cdw10", "3", "--cdw12", "1",
                       "--data-nbytes", str(2 * LBA), "--data-output", p("read.bin"))
    check(rc == 0 and read_bytes(p("read.bin")) == pattern[3 * LBA:5 * LBA],
          f"pioc read of LBAs 3..4 equals the file's bytes (rc={rc}, {err!r})")
    # pioc write: the file holds the bytes sent; nothing around them changes
    new = os.urandom(LBA)
    with open(p("write.bin"), "wb") as f:
        f.write(new)
    rc, out, err = run(X, "pioc", img, "--opcode", "1", "--cdw10", "9", "--data-input",
                       p("write.bin"))
    now = read_bytes(img)
    check(rc == 0 and now[9 * LBA:10 * LBA] == new and now[:9 * LBA] == pattern[:9 * LBA]
          and now[10 * LBA:1 << 20] == pattern[10 * LBA:],
          f"pioc write of LBA 9 from --data-input lands there alone (rc={rc}, {err!r})")

    # What a file cannot do: the device's status in one line, exit 1, the file unchanged
    before = digest(img)
    for args, what in [
        (["log-health", img], "log-health"), (["log-erri", img], "log-erri"),
        (["log-fwsl", img], "log-fwsl"), (["log-cmds-effects", img], "log-cmds-effects"),
        (["log-chns", img], "log-chns"), (["log", img, "--lid", "2"], "log --lid 2"),
        (["feature-set", img, "--fid", "4", "--feat", "0x150"], "feature-set"),
        (["format", img], "format"), (["sanitize", img, "--sanact", "2"], "sanitize"),
        (["dev-selftest", img, "--stc", "1"], "dev-selftest"),
        (["padc", img, "--opcode", "0xC0"], "padc of a vendor opcode"),
    ]:
        check_bad(X, args, 1, f"{what} on a file: not supported", "INVALID_OPCODE", "sct 0x0")
    # The emulated admin keeps only the number of queues and the write cache (0.7.5's programs
    # ask the first); any other feature is an invalid field
    check_bad(X, ["feature-get", img, "--fid", "4"], 1, "feature-get of another feature on a file",
              "INVALID_FIELD", "sct 0x0")
    check_yaml(X, ["feature-get", img, "--fid", "7"], "feature-get: number of queues of a file",
               lambda d: d["feat"]["nsqa"] == 63 and d["feat"]["ncqa"] == 63)
    check(digest(img) == before, "the file is unchanged by the refused commands")

    # Usage errors (exit 2) before the device is opened; nothing changes
    missing = p("missing.bin")
    for args, what, needles in [
        (["idfy", img], "idfy without --cns", ["--cns"]),
        (["idfy", img, "--cns", "256"], "idfy --cns 256", ["--cns"]),
        (["log", img], "log without --lid", ["--lid"]),
        (["log", img, "--lid", "2", "--data-nbytes", "6"], "log --data-nbytes 6", ["multiple"]),
        (["log", img, "--lid", "2", "--data-nbytes", "0"], "log --data-nbytes 0", []),
        (["log", img, "--lid", "2", "--lpo", "2"], "log --lpo 2", ["--lpo"]),
        (["log", img, "--lid", "2", "--data-nbytes", str(1 << 30)], "log of 1 GiB", []),
        (["log-erri", img, "--limit", "0"], "log-erri --limit 0", ["--limit"]),
        (["feature-get", img], "feature-get without --fid", ["--fid"]),
        (["feature-get", img, "--fid", "4", "--sel", "4"], "feature-get --sel 4", ["--sel"]),
        (["feature-get", img, "--fid", "4", "--data-output", p("f")],
         "feature-get --data-output without --data-nbytes", ["--data-nbytes"]),
        (["feature-set", img, "--fid", "4"], "feature-set without --feat", ["--feat"]),
        (["format", img, "--ses", "3"], "format --ses 3", ["--ses"]),
        (["format", img, "--lbaf", "64"], "format --lbaf 64", ["--lbaf"]),
        (["sanitize", img], "sanitize without --sanact", ["--sanact"]),
        (["sanitize", img, "--sanact", "0"], "sanitize --sanact 0", ["--sanact"]),
        (["sanitize", img, "--sanact", "5"], "sanitize --sanact 5", ["--sanact"]),
        (["sanitize", img, "--sanact", "2", "--ovrpat", "1"], "--ovrpat without overwrite",
         ["--ovrpat"]),
        (["dev-selftest", img], "dev-selftest without --stc", ["--stc"]),
        (["dev-selftest", img, "--stc", "3"], "dev-selftest --stc 3", ["--stc"]),
        (["padc", img], "padc without --opcode or --cmd-input", ["--opcode"]),
        (["padc", img, "--opcode", "6", "--data-output", p("o")],
         "padc --data-output without a size", ["--data-nbytes"]),
        (["pioc", img, "--opcode", "2", "--cdw10", "x"], "pioc --cdw10 x", ["x"]),
        (["pioc", img, "--opcode", "2", "--cdw10", "0x100000000"], "pioc --cdw10 2^32", []),
        (["padc", img, "--opcode", "6", "--slba", "0"], "padc --slba (not its option)",
         ["--slba"]),
    ]:
        check_bad(X, args, 2, what, *needles)
    # Operation errors (exit 1): files that do not exist or are the wrong size
    with open(p("short.cmd"), "wb") as f:
        f.write(cmd_bytes(6)[:63])
    for args, what, needles in [
        (["padc", img, "--cmd-input", missing], "padc --cmd-input missing", [missing]),
        (["padc", img, "--cmd-input", p("short.cmd")], "padc --cmd-input of 63 bytes", ["63"]),
        (["pioc", img, "--opcode", "1", "--data-input", missing], "pioc --data-input missing",
         [missing]),
        (["pioc", img, "--opcode", "1", "--data-input", p("write.bin"), "--data-nbytes",
          str(2 * LBA)], "pioc --data-input shorter than --data-nbytes", ["512"]),
        (["format", img, "--lbaf", "5"], "format --lbaf 5 of a namespace with one format",
         ["0..0"]),
        (["idfy", p("nodir/x.img"), "--cns", "1"], "idfy of a path that does not exist", []),
        (["idfy", img, "--cns", "1", "--data-output", p("nodir/out.bin")],
         "idfy --data-output into a missing directory", ["nodir"]),
    ]:
        check_bad(X, args, 1, what, *needles)
    check(digest(img) == before, "the file is unchanged by the bad commands")
    check(not os.path.exists(p("o")) and not os.path.exists(p("f")),
          "no output file is created by a refused command")

finish()
