#!/usr/bin/env python3
"""The `lblk` tool against QEMU's NVMe namespaces (in the VM rig's guest), nvme-cli as the
independent checker: data + separate metadata (512+8) and extended LBAs (520 B) written by lblk
read back by `nvme read` and the other way round; write-uncor makes reads fail with Unrecovered
Read Error until the blocks are written again; the file-target test body runs on a namespace too.
Usage: test_lblk_nvme.py LBLK NG_4K BLK_4K NG_MD_SEP BLK_MD_SEP NG_MD_EXT BLK_MD_EXT"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

L, NG_4K, BLK_4K, NG_SEP, BLK_SEP, NG_EXT, BLK_EXT = sys.argv[1:8]


def nvme(*args):
    proc = subprocess.run(["nvme", *args], capture_output=True, timeout=120)
    if proc.returncode:
        print(f"nvme {' '.join(args)}: exit {proc.returncode}: {proc.stderr.decode()[:300]}")
    return proc.returncode


def slurp(path):
    with open(path, "rb") as f:
        return f.read()


def spit(path, data):
    with open(path, "wb") as f:
        f.write(data)


with tempfile.TemporaryDirectory() as tmp:
    p = lambda name: os.path.join(tmp, name)  # noqa: E731

    # Separate metadata: 4 blocks of 512 + 8
    data, meta = os.urandom(4 * 512), os.urandom(4 * 8)
    spit(p("d"), data)
    spit(p("m"), meta)
    check_yaml(L, ["write", NG_SEP, "--slba", "16", "--nlb", "3", "--data-input", p("d"),
                   "--meta-input", p("m")], "write data + separate metadata",
               lambda d: d["lblk_write"]["meta_nbytes"] == 32, json_too=False)
    rc = nvme("read", BLK_SEP, "--start-block=16", "--block-count=3", "--data-size=2048",
              "--metadata-size=32", f"--data={p('d2')}", f"--metadata={p('m2')}")
    check(rc == 0 and slurp(p("d2")) == data and slurp(p("m2")) == meta,
          "nvme read returns lblk's data and metadata")
    data, meta = os.urandom(4 * 512), os.urandom(4 * 8)
    spit(p("d3"), data)
    spit(p("m3"), meta)
    rc = nvme("write", BLK_SEP, "--start-block=24", "--block-count=3", "--data-size=2048",
              "--metadata-size=32", f"--data={p('d3')}", f"--metadata={p('m3')}")
    rc2, _, err = run(L, "read", NG_SEP, "--slba", "24", "--nlb", "3", "--data-output", p("d4"),
                      "--meta-output", p("m4"))
    check(rc == 0 and rc2 == 0 and slurp(p("d4")) == data and slurp(p("m4")) == meta,
          f"lblk read returns nvme write's data and metadata ({err!r})")

    # Extended LBAs: 520 bytes each, metadata inside the data buffer
    data = os.urandom(2 * 520)
    spit(p("e"), data)
    check_yaml(L, ["write", NG_EXT, "--slba", "5", "--nlb", "1", "--data-input", p("e")],
               "write two extended LBAs", lambda d: d["lblk_write"]["nbytes"] == 1040,
               json_too=False)
    rc = nvme("read", BLK_EXT, "--start-block=5", "--block-count=1", "--data-size=1040",
              f"--data={p('e2')}")
    check(rc == 0 and slurp(p("e2")) == data, "nvme read returns the 1040 extended bytes")
    check_bad(L, ["write", NG_EXT, "--data-input", p("e"), "--meta-input", p("m")], 1,
              "--meta-input on an extended namespace", "extended")

    # write-uncor where the namespace has it (tests/cli/test_lblk.py checks both cases)
    rc, _, err = run(L, "write-uncor", NG_4K, "--slba", "100", "--nlb", "1")
    if rc == 0:
        check_bad(L, ["read", NG_4K, "--slba", "101"], 1, "read of an uncorrectable block",
                  "UNRECOVERED_READ_ERROR")
        check(nvme("read", BLK_4K, "--start-block=100", "--block-count=0", "--data-size=4096",
                   f"--data={p('u')}") != 0, "nvme read of the block fails too")
        check_yaml(L, ["write", NG_4K, "--slba", "100", "--nlb", "1"], "write the blocks again",
                   json_too=False)
        check_yaml(L, ["read", NG_4K, "--slba", "100", "--nlb", "1"], "and they read again")
    else:
        print(f"NOTE: this controller has no Write Uncorrectable: {err.strip()}")
        check("INVALID_OPCODE" in err, "write-uncor refused with the device's Invalid Opcode")

finish()
