#!/usr/bin/env python3
"""The cross-built Windows programs (tools, example) run under Wine on files the test makes, and
the data checked from this side (Linux reads the files directly: an independent checker).
Round trips through the sync interface and every async interface the windows backend lists at
queue depth 1024, buffered and direct (FILE_FLAG_NO_BUFFERING; the other depths are the target and
CLI tests'); bad input refused with
one error line and a non-zero exit; the ramdisk backend; the example; xnvme-perf on a file.

usage: test_windows.py PROGRAM... (the .exe files and libxnvme-0.dll: copied into one folder)
The Wine prefix is the environment's WINEPREFIX (tests/windows/run.sh makes a throw-away one)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

WINE = os.environ.get("WINE", "wine")
FAILS = []


def run(bindir, tool, *args, timeout=300, cwd=None):
    env = dict(os.environ, WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
    cmd = [WINE, os.path.join(bindir, tool + ".exe")] + [str(a) for a in args]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    return res.returncode, res.stdout, res.stderr


def check(name, ok, detail=""):
    print(f"{'PASS' if ok else 'FAIL'}: {name}" + (f" ({detail})" if detail and not ok else ""))
    if not ok:
        FAILS.append(name)


def async_listed(bindir):
    """The async interfaces the windows backend lists (library-info): {id: descr}"""
    rc, out, _ = run(bindir, "xnvme", "library-info")
    if rc:
        return {}
    section = out.split("name: 'windows'", 1)[-1].split("  - name:", 1)[0]
    asyncs = section.split("async:", 1)[-1].split("mem:", 1)[0]
    return dict(re.findall(r"id: '([^']+)', descr: '((?:[^']|'')*)'", asyncs))


def async_ifaces(bindir):
    """The async interfaces that move data here: listed, available, not nil"""
    return [i for i, descr in async_listed(bindir).items()
            if i != "nil" and not descr.startswith(("not built", "not available"))]


def round_trips(bindir, tmp):
    src = os.path.join(tmp, "src.bin")
    data = os.urandom(8 << 20)
    with open(src, "wb") as f:
        f.write(data)
    ifaces = async_ifaces(bindir)
    check("the windows backend lists async interfaces", len(ifaces) >= 2, str(ifaces))
    for iface in ifaces:
        for qd in (1024,):  # depths 1 to 1024: cli_xnvme_file and the xfer_matrix_file test
            for direct in (False, True):
                dst = os.path.join(tmp, f"dst-{iface}-{qd}-{int(direct)}.bin")
                args = ["copy-async", src, dst, "--async", iface, "--qdepth", qd,
                        "--iosize", 4096 if qd == 1024 else 65536]
                rc, _, err = run(bindir, "xnvme_file", *(args + (["--direct"] if direct else [])))
                same = rc == 0 and open(dst, "rb").read() == data
                check(f"copy-async {iface} qdepth {qd}{' direct' if direct else ''}: "
                      "the copy equals the source", same, f"rc={rc} {err.strip()}")
                os.remove(dst)
    dst = os.path.join(tmp, "dst-sync.bin")
    rc, _, err = run(bindir, "xnvme_file", "copy-sync", src, dst)
    check("copy-sync (sync interface 'file'): the copy equals the source",
          rc == 0 and open(dst, "rb").read() == data, f"rc={rc} {err.strip()}")
    # Vectored commands (four pieces per command) write what one piece per command writes
    ref = os.path.join(tmp, "ref.bin")
    rc, _, err = run(bindir, "xnvme_file", "dump-sync", ref, "--data-nbytes", 1 << 20)
    want = open(ref, "rb").read() if rc == 0 else None
    check("dump-sync: 1 MiB written", want is not None and len(want) == 1 << 20, err.strip())
    for cmd in ("dump-sync-iovec", "dump-async-iovec"):
        vec = os.path.join(tmp, cmd + ".bin")
        rc, _, err = run(bindir, "xnvme_file", cmd, vec, "--data-nbytes", 1 << 20)
        check(f"{cmd}: the file equals dump-sync's",
              rc == 0 and want is not None and open(vec, "rb").read() == want,
              f"rc={rc} {err.strip()}")
    rc, out, err = run(bindir, "xnvme_file", "write-read", os.path.join(tmp, "wr.bin"), 4 << 20)
    check("write-read: equal", rc == 0 and "equal: true" in out, err.strip())


def identifiers(bindir, tmp):
    """A file by its Windows path (drive letter, backslashes: Wine's Z: is /) and by a path
    relative to the working directory: the same file, written through one, read through the other"""
    path = os.path.join(tmp, "ident.bin")
    with open(path, "wb") as f:
        f.truncate(1 << 20)
    winpath = "Z:" + path.replace("/", "\\")
    rc, out, err = run(bindir, "lblk", "write", winpath, "--slba", 3, "--nlb", 0)
    check(f"lblk write {winpath}", rc == 0, f"rc={rc} {err.strip()}")
    with open(path, "rb") as f:
        f.seek(3 * 512)
        block = f.read(512)
    check("the block written through the drive-letter path is in the file",
          block == bytes((3 * 512 + i) & 0xFF for i in range(512)))
    rc, out, err = run(bindir, "xnvme", "info", "ident.bin", cwd=tmp)
    check("xnvme info of a relative path: the windows backend, 2048 blocks",
          rc == 0 and "be: 'windows'" in out and "nsect: 2048" in out,
          f"rc={rc} {err.strip()}")


def io_ring(bindir, tmp):
    """io_ring is runtime-detected: offered where Windows has an I/O ring that writes (then the
    round trips ran it), else listed as not available and a queue on it refused"""
    descr = async_listed(bindir).get("io_ring")
    check("io_ring is listed", descr is not None, str(async_listed(bindir)))
    if descr is None or not descr.startswith("not available"):
        return
    rc, out, err = run(bindir, "xnvme-perf", "run", os.path.join(tmp, "src.bin"), "--async",
                       "io_ring", "--ios", 100)
    lines = err.strip().splitlines()
    check(f"io_ring {descr!r}: a queue on it is refused with one error line",
          rc != 0 and len(lines) == 1 and "Operation not supported" in lines[0],
          f"rc={rc} stderr={err.strip()!r}")


def bad_input(bindir, tmp):
    cases = [
        (["info", os.path.join(tmp, "missing.bin")], "No such file"),
        (["info", "\\\\.\\PhysicalDrive0"], "Operation not supported"),
        (["info", os.path.join(tmp, "src.bin"), "--async", "io_uring"], "io_uring"),
        (["info", os.path.join(tmp, "src.bin"), "--nsid", "2"], "namespace 1"),
        (["info", "ramdisk:0"], "size is 0"),
        (["info", "ramdisk:64M,file=" + os.path.join(tmp, "img")], "not available on Windows"),
    ]
    for args, want in cases:
        rc, out, err = run(bindir, "xnvme", *args)
        lines = err.strip().splitlines()
        check(f"xnvme {' '.join(args)}: refused with one error line",
              rc != 0 and len(lines) == 1 and "error" in lines[0] and want in lines[0],
              f"rc={rc} stderr={err.strip()!r}")
    # A read past the end of a file: an error, nothing written to the output
    small = os.path.join(tmp, "small.bin")
    with open(small, "wb") as f:
        f.write(b"x" * 4096)
    rc, out, err = run(bindir, "lblk", "read", small, "--slba", 8, "--nlb", 0)
    check("lblk read past the end of a file: refused", rc != 0 and "outside the namespace" in err,
          f"rc={rc} stderr={err.strip()!r}")


def ramdisk_and_example(bindir, tmp):
    rc, out, err = run(bindir, "xnvme", "idfy-ns", "ramdisk:64M")
    check("ramdisk: xnvme idfy-ns", rc == 0 and "nsze:" in out, f"rc={rc} {err.strip()}")
    rc, out, err = run(bindir, "xnvme_io_async", "ramdisk:64M", "--qd", 64, "--mib", 16)
    check("example xnvme_io_async on the ramdisk", rc == 0, f"rc={rc} {err.strip()}")
    src = os.path.join(tmp, "ex.bin")
    with open(src, "wb") as f:
        f.truncate(32 << 20)
    for iface in async_ifaces(bindir):
        rc, out, err = run(bindir, "xnvme_io_async", src, "--async", iface, "--qd", 32, "--mib", 8)
        check(f"example xnvme_io_async on a file, {iface}", rc == 0, f"rc={rc} {err.strip()}")
        rc, out, err = run(bindir, "xnvme-perf", "run", src, "--async", iface, "--ios", 20000,
                           "--qdepth", 32)
        check(f"xnvme-perf run on a file, {iface}", rc == 0 and "iops:" in out,
              f"rc={rc} {err.strip()}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        for prog in sys.argv[1:]:
            shutil.copy(prog, bindir)
        round_trips(bindir, tmp)
        io_ring(bindir, tmp)
        identifiers(bindir, tmp)
        bad_input(bindir, tmp)
        ramdisk_and_example(bindir, tmp)
    print(f"{len(FAILS)} failed" if FAILS else "all passed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
