#!/usr/bin/env python3
"""The `lblk` tool against a file or a loop device, every sub-command checked by reading the
target's bytes directly: write (given data and the documented pattern), read, write-zeroes (and
xNVMe's write-zeros, write-dir), compare (equal, different), dsm (the deallocated blocks read as
zeros), copy, verify, flush; write-uncor, which neither target can do, fails in one line. Every
bad argument: one line on stderr, exit 2 (usage) or 1, and the target unchanged.
Usage: test_lblk.py TARGET PATH-TO-lblk [RAW]   (TARGET is overwritten)
RAW is where the test reads and writes the target's bytes itself (default TARGET), e.g. the block
node of the /dev/ngXnY that lblk is given."""
import fcntl
import hashlib
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, check_bad, check_yaml, cmd, finish, run  # noqa: E402

TARGET, L = sys.argv[1], sys.argv[2]
RAW = sys.argv[3] if len(sys.argv) > 3 else TARGET
BLKFLSBUF = 0x1261  # drops a block device's page cache: lblk may bypass it (NVMe passthrough)


def drop_cache(f):
    if stat.S_ISBLK(os.fstat(f.fileno()).st_mode):
        fcntl.ioctl(f.fileno(), BLKFLSBUF)


def pread(off, n):
    with open(RAW, "rb") as f:
        drop_cache(f)
        f.seek(off)
        return f.read(n)


def pwrite(off, data):
    with open(RAW, "r+b") as f:
        f.seek(off)
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
        drop_cache(f)


def digest():
    with open(RAW, "rb") as f:
        drop_cache(f)
        return hashlib.sha256(f.read()).hexdigest()


info = check_yaml(L, ["info", TARGET], "info")
lba = info["xnvme_dev"]["xnvme_geo"]["lba_nbytes"] if info else 512
nsze = info["xnvme_dev"]["xnvme_geo"]["tbytes"] // lba if info else 0
check_yaml(L, ["idfy", TARGET], "idfy: namespace and NVM-specific namespace",
           lambda d: d["xnvme_spec_idfy_ns"]["nsze"] == nsze and "xnvme_spec_nvm_idfy_ns" in d)

with tempfile.TemporaryDirectory() as tmp:
    p = lambda name: os.path.join(tmp, name)  # noqa: E731
    data = os.urandom(4 * lba)
    with open(p("in.bin"), "wb") as f:
        f.write(data)

    # write from a file; the bytes land at slba 8 and nowhere else
    pwrite(0, bytes(64 * lba))
    check_yaml(L, ["write", TARGET, "--slba", "8", "--nlb", "3", "--data-input", p("in.bin")],
               "write 4 blocks at 8", lambda d: d["lblk_write"]["nbytes"] == 4 * lba,
               json_too=False)
    check(pread(8 * lba, 4 * lba) == data and pread(0, 8 * lba) == bytes(8 * lba)
          and pread(12 * lba, lba) == bytes(lba), "the target holds the data at LBA 8 only")
    # read to a file and to stdout
    pwrite(20 * lba, data)
    rc, out, err = run(L, "read", TARGET, "--slba", "20", "--nlb", "3", "--data-output",
                       p("out.bin"))
    with open(p("out.bin"), "rb") as f:
        check(rc == 0 and f.read() == data, f"read 4 blocks at 20 equals the target ({err!r})")
    check_yaml(L, ["read", TARGET, "--slba", "20", "--nlb", "3"], "read prints the summary",
               lambda d: d["lblk_read"]["slba"] == 20 and d["lblk_read"]["nlb"] == 3)
    proc = subprocess.run(cmd(L, "read", TARGET, "--slba", "20", "--nlb", "3", "--data-output", "-"),
                          capture_output=True, timeout=60)
    check(proc.returncode == 0 and proc.stdout == data and proc.stderr == b"",
          f"read --data-output -: the data alone on stdout ({proc.stderr!r})")
    # write without data: the pattern "byte = its address & 0xFF"
    rc, _, err = run(L, "write", TARGET, "--slba", "30", "--nlb", "1")
    want = bytes((30 * lba + i) & 0xFF for i in range(2 * lba))
    check(rc == 0 and pread(30 * lba, 2 * lba) == want, f"write without data: the pattern ({err!r})")
    # write-zeroes
    pwrite(40 * lba, data)
    rc, _, err = run(L, "write-zeroes", TARGET, "--slba", "41", "--nlb", "1")
    check(rc == 0 and pread(40 * lba, 4 * lba) == data[:lba] + bytes(2 * lba) + data[3 * lba:],
          f"write-zeroes of LBAs 41..42 ({err!r})")
    # xNVMe 0.7.5's name and options: write-zeros (the data options taken, unused), --dev-nsid,
    # "--direct 0", --nsid for the command
    pwrite(44 * lba, data)
    rc, _, err = run(L, "write-zeros", TARGET, "--slba", "45", "--nlb", "0", "--nsid", "1",
                     "--dev-nsid", "1", "--direct", "0", "--data-input", p("in.bin"))
    check(rc == 0 and pread(44 * lba, 3 * lba) == data[:lba] + bytes(lba) + data[2 * lba:3 * lba],
          f"write-zeros (xNVMe's name) of LBA 45 ({err!r})")
    rc, _, err = run(L, "write-dir", TARGET, "--slba", "46", "--nlb", "0", "--dtype", "0",
                     "--data-input", p("in.bin"))
    check(rc == 0 and pread(46 * lba, lba) == data[:lba], f"write-dir, no directive ({err!r})")
    # compare: equal exits 0, different exits 1 with the device's status
    pwrite(50 * lba, data)
    check_yaml(L, ["compare", TARGET, "--slba", "50", "--nlb", "3", "--data-input", p("in.bin")],
               "compare equal", lambda d: d["lblk_compare"]["nlb"] == 3)
    pwrite(51 * lba + 7, b"\x00" if data[lba + 7] else b"\x01")
    check_bad(L, ["compare", TARGET, "--slba", "50", "--nlb", "3", "--data-input", p("in.bin")],
              1, "compare with one byte different", "COMPARE_FAILURE")
    # dsm: the library's file emulation deallocates by punching holes: zeros read back
    pwrite(60 * lba, data)
    check_yaml(L, ["dsm", TARGET, "--ranges", "60:0,62:1"], "dsm two ranges",
               lambda d: d["lblk_dsm"]["ranges"] == [{"slba": 60, "nlb": 0}, {"slba": 62, "nlb": 1}])
    check(pread(60 * lba, 4 * lba) == bytes(lba) + data[lba:2 * lba] + bytes(2 * lba),
          "the deallocated blocks read as zeros, the one between is kept")
    # copy: two source ranges land back to back at the destination
    pwrite(70 * lba, data)
    check_yaml(L, ["copy", TARGET, "--ranges", "70:0,72:1", "--sdlba", "80"], "copy two ranges",
               lambda d: d["lblk_copy"]["nblocks"] == 3, json_too=False)
    check(pread(80 * lba, 3 * lba) == data[:lba] + data[2 * lba:4 * lba],
          "the copy holds blocks 70, 72, 73 at 80..82")
    check_yaml(L, ["verify", TARGET, "--slba", "0", "--nlb", "7"], "verify",
               lambda d: d["lblk_verify"]["nlb"] == 7)
    check_yaml(L, ["flush", TARGET], "flush", lambda d: d["lblk_flush"]["nsid"] == 1)
    check_yaml(L, ["write", TARGET, "--slba", str(nsze - 1)], "write the last block",
               lambda d: d["lblk_write"]["slba"] == nsze - 1, json_too=False)

    # write-uncor: where the device has it, reads fail until the blocks are written again;
    # where it does not (files, loop devices, QEMU 7.2), the device's Invalid Opcode, exit 1
    rc, out, err = run(L, "write-uncor", TARGET, "--slba", "90")
    if rc == 0:
        check_bad(L, ["read", TARGET, "--slba", "90"], 1, "read of an uncorrectable block",
                  "UNRECOVERED_READ_ERROR")
        check_yaml(L, ["write", TARGET, "--slba", "90"], "write it again", json_too=False)
        check_yaml(L, ["read", TARGET, "--slba", "90"], "and it reads again", json_too=False)
    else:
        check(rc == 1 and out == "" and err.count("\n") == 1 and "INVALID_OPCODE" in err,
              f"write-uncor where the device has not got it: one line, exit 1 ({err!r})")
    before = digest()
    missing = p("missing.bin")
    with open(p("short.bin"), "wb") as f:
        f.write(data[:lba])
    for args, rc_want, what, needles in [
        (["write", TARGET, "--slba", str(nsze)], 1, "write past the end", ["outside"]),
        (["write", TARGET, "--slba", str(nsze - 1), "--nlb", "1"], 1, "write across the end",
         ["outside"]),
        (["read", TARGET, "--slba", str(2**64 - 1), "--nlb", "1"], 1, "slba + nlb overflowing",
         ["outside"]),
        (["write-zeroes", TARGET, "--slba", str(nsze)], 1, "write-zeroes past the end", []),
        (["write", TARGET, "--nlb", "3", "--data-input", p("short.bin")], 1,
         "write with a short input file", ["needs"]),
        (["write", TARGET, "--data-input", missing], 1, "write with a missing input", [missing]),
        (["compare", TARGET], 2, "compare without --data-input", ["--data-input"]),
        (["write", TARGET, "--meta-input", p("short.bin")], 1, "metadata on a target without",
         ["metadata"]),
        (["write", TARGET, "--slba", "x"], 2, "--slba x", ["x"]),
        (["write", TARGET, "--slba", "-1"], 2, "--slba -1", ["negative"]),
        (["write", TARGET, "--nlb", "65536"], 2, "--nlb 65536", ["large"]),
        (["write", TARGET, "--nlb"], 2, "--nlb without a value", ["--nlb"]),
        (["write", TARGET, "--nosuch"], 2, "unknown option", ["--nosuch"]),
        (["write", TARGET, "--ranges", "1:1"], 2, "--ranges on write", ["--ranges"]),
        (["dsm", TARGET, "--ranges", "1"], 2, "--ranges without NLB", ["SLBA:NLB"]),
        (["dsm", TARGET, "--ranges", "1:x"], 2, "--ranges 1:x", []),
        (["dsm", TARGET, "--ranges", "1:0,"], 2, "--ranges with a trailing comma", []),
        (["dsm", TARGET, "--ranges", ",".join(["0:0"] * 129)], 2, "129 ranges", ["128"]),
        (["dsm", TARGET, "--ranges", "1:0", "--slba", "1"], 2, "--ranges with --slba", []),
        (["dsm", TARGET, "--ranges", f"0:0,{nsze}:0"], 1, "a range past the end", ["outside"]),
        (["copy", TARGET, "--ranges", "0:0"], 2, "copy without --sdlba", ["--sdlba"]),
        (["copy", TARGET, "--ranges", "0:3", "--sdlba", str(nsze - 2)], 1,
         "copy past the end", ["outside"]),
        (["read", TARGET, "--data-output", p("nodir/x")], 1, "read into a missing directory",
         ["nodir"]),
        (["read", TARGET, "--data-output", "-", "--output", "json"], 1,
         "data on stdout with --output json", ["json"]),
        (["read"], 2, "read without URI", ["URI"]),
    ]:
        check_bad(L, args, rc_want, what, *needles)
    check(digest() == before, "the target is unchanged by the refused commands")

finish()
