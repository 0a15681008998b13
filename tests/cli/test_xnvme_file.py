#!/usr/bin/env python3
"""The `xnvme_file` tool: write-read, copy-sync, copy-async (every async interface, buffered and
O_DIRECT), export and import (what our dump-sync and load-sync did; xNVMe's dump-* and load-*
are checked in test_upstream_cli.py), each checked by comparing the files' bytes; bad arguments and
files: one line, exit 2 (usage) or 1, and nothing created or changed.
Usage: test_xnvme_file.py PATH-TO-xnvme_file"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, check_bad, check_yaml, cmd, finish, offered_ifaces  # noqa: E402

F = sys.argv[1]


def slurp(path):
    with open(path, "rb") as f:
        return f.read()


with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR", "/var/tmp")) as tmp:
    p = lambda name: os.path.join(tmp, name)  # noqa: E731
    src = os.urandom(3 * (1 << 20) + 4321)  # not a multiple of the I/O size: a short last piece
    with open(p("src"), "wb") as f:
        f.write(src)
    aligned = src[: 2 << 20]
    with open(p("src_aligned"), "wb") as f:
        f.write(aligned)

    check_yaml(F, ["write-read", p("wr"), "--data-nbytes", "1000000", "--iosize", "65536"],
               "write-read", lambda d: d["xnvme_file_write_read"]["equal"] is True
               and d["xnvme_file_write_read"]["nbytes"] == 1000000, json_too=False)
    check(os.path.getsize(p("wr")) == 1000000, "write-read leaves the file of --data-nbytes")
    check_yaml(F, ["write-read", p("wr_direct"), "--direct", "--data-nbytes", "1048576"],
               "write-read --direct", lambda d: d["xnvme_file_write_read"]["equal"] is True,
               json_too=False)
    check_yaml(F, ["copy-sync", p("src"), p("dst_sync")], "copy-sync",
               lambda d: d["xnvme_file_copy_sync"]["nbytes"] == len(src), json_too=False)
    check(slurp(p("dst_sync")) == src, "copy-sync: the copy equals the source")
    for iface in offered_ifaces(p("src")):
        for direct in ([], ["--direct"]):
            source = p("src_aligned") if direct else p("src")
            dst = p(f"dst_{iface}{'_direct' if direct else ''}")
            check_yaml(F, ["copy-async", source, dst, "--async", iface, "--qdepth", "8",
                           "--iosize", "65536", *direct],
                       f"copy-async --async {iface} {' '.join(direct)}",
                       lambda d, i=iface: d["xnvme_file_copy_async"]["async"] == i,
                       json_too=False)
            check(os.path.exists(dst) and slurp(dst) == slurp(source),
                  f"copy-async {iface} {' '.join(direct)}: the copy equals the source")
    check_yaml(F, ["export", p("src"), "--data-output", p("dump")], "export",
               lambda d: d["xnvme_file_export"]["nbytes"] == len(src))
    check(slurp(p("dump")) == src, "export: the output equals the file")
    proc = subprocess.run(cmd(F, "export", p("src"), "--data-output", "-"), capture_output=True,
                          timeout=60)
    check(proc.returncode == 0 and proc.stdout == src, "export to stdout: the bytes alone")
    with open(p("old"), "wb") as f:
        f.write(os.urandom(len(src) * 2))
    check_yaml(F, ["import", p("old"), "--data-input", p("src")], "import over a larger file",
               lambda d: d["xnvme_file_import"]["nbytes"] == len(src), json_too=False)
    check(slurp(p("old")) == src, "import: the file is the input, truncated to it")
    with open(p("empty"), "wb"):
        pass
    check_yaml(F, ["copy-async", p("empty"), p("dst_empty")], "copy-async of an empty file",
               lambda d: d["xnvme_file_copy_async"]["nbytes"] == 0, json_too=False)

    missing, nodir = p("missing"), p("nodir/x")
    for args, rc_want, what, needles in [
        (["copy-sync", missing, p("m1")], 1, "copy-sync of a missing source", [missing]),
        (["copy-async", p("src"), nodir], 1, "copy-async into a missing directory", ["nodir"]),
        (["copy-sync", p("src"), p("src")], 1, "copy-sync onto itself", ["same file"]),
        (["copy-async", p("src"), p("m2"), "--qdepth", "0"], 2, "--qdepth 0", ["--qdepth"]),
        (["copy-async", p("src"), p("m2"), "--qdepth", "4097"], 2, "--qdepth 4097", []),
        (["copy-async", p("src"), p("m2"), "--qdepth", "4096", "--iosize", "1048576"], 2,
         "4 GiB of buffers", ["1 GiB"]),
        (["copy-sync", p("src"), p("m2"), "--iosize", "0"], 2, "--iosize 0", ["--iosize"]),
        (["copy-sync", p("src"), p("m2"), "--direct", "--iosize", "1000"], 2,
         "--direct with --iosize 1000", ["512"]),
        (["copy-sync", p("src"), p("m2"), "--direct"], 1, "--direct of an unaligned file size",
         ["512"]),
        (["copy-async", p("src"), p("m2"), "--async", "nosuch"], 1, "--async nosuch", ["nosuch"]),
        (["copy-sync", p("src")], 2, "copy-sync without a destination", ["second"]),
        (["copy-sync", p("src"), p("m2"), p("m3")], 2, "three files", ["unexpected"]),
        (["export", p("src")], 2, "export without --data-output", ["--data-output"]),
        (["import", p("m2")], 2, "import without --data-input", ["--data-input"]),
        (["import", p("m2"), "--data-input", missing], 1, "import of a missing input",
         [missing]),
        (["write-read", p("m2"), "--data-nbytes", "0"], 2, "write-read of 0 bytes", []),
        (["export", tmp, "--data-output", p("m4")], 1, "export of a directory",
         ["regular file"]),
        (["write-read", p("m2"), "--nsid", "1"], 2, "an option it does not take", ["--nsid"]),
    ]:
        check_bad(F, args, rc_want, what, *needles)
    check(not any(os.path.exists(p(n)) for n in ["m1", "m2", "m3", "m4"]),
          "no file is created by a refused command")
    check(slurp(p("src")) == src, "the source is unchanged")

finish()
