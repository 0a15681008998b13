#!/usr/bin/env python3
"""`xnvme-perf` runs and reports: short runs on a ramdisk and a file through several interfaces,
sync and async, several threads, every pattern, submission and completion batches; the report
parses (YAML and JSON) and adds up (--ios gives exactly that many I/Os, reads + writes = ios,
percentiles ordered); --batch changes how often the kernel is entered (strace counts it). Bad
options are refused before any I/O. It never asserts a speed. Usage: test_perf.py
PATH-TO-xnvme-perf"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, check_bad, check_yaml, finish, offered_ifaces, run  # noqa: E402

P = sys.argv[1]


def check_run(args, what, pred):
    """The YAML report satisfies pred; so does the JSON of another run (numbers differ)"""
    check_yaml(P, args, what, pred, json_too=False)
    rc, out, err = run(P, *args, "--output", "json")
    try:
        ok = rc == 0 and pred(json.loads(out))
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        ok, err = False, f"{err} {exc}"
    check(ok, f"{what} --output json (rc={rc}, {err.strip()!r})")


def sane(d, ios=None, threads=1):
    r = d["xnvme_perf"]
    lat = r["lat_ns"]
    ok = r["reads"] + r["writes"] == r["ios"] and r["threads"] == threads and r["iops"] > 0
    ok = ok and lat["min"] <= lat["p50"] <= lat["p99"] <= lat["p99_9"] <= lat["max"]
    return ok and (ios is None or r["ios"] == ios * threads)


with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR", "/var/tmp")) as tmp:
    img = os.path.join(tmp, "perf.img")
    with open(img, "wb") as f:
        f.truncate(64 << 20)
    small = os.path.join(tmp, "small.img")
    with open(small, "wb") as f:
        f.truncate(2048)

    for rw in ["randread", "randwrite", "read", "write"]:
        check_run(["run", "ramdisk:64MiB", "--rw", rw, "--ios", "5000"],
                   f"ramdisk, default async (thrpool), {rw}, 5000 I/Os",
                   lambda d: sane(d, 5000) and d["xnvme_perf"]["iface"] == "thrpool")
    check_run(["run", "ramdisk:64MiB", "--rw", "randrw", "--rwmix", "70", "--ios", "10000"],
               "randrw 70% reads", lambda d: sane(d, 10000)
               and 6000 < d["xnvme_perf"]["reads"] < 8000)
    check_run(["run", "ramdisk:64MiB,nil=1", "--async", "nil", "--ios", "100000",
                   "--qdepth", "64"], "nil: the library's own cost", lambda d: sane(d, 100000))
    check_run(["run", "ramdisk:64MiB,nil=1", "--async", "nil", "--runtime", "1", "--no-lat"],
              "nil, --no-lat: rates only", lambda d: d["xnvme_perf"]["lat_ns"] is None
              and d["xnvme_perf"]["iops"] > 0 and 0.9 < d["xnvme_perf"]["seconds"] < 3)
    check_run(["run", "ramdisk:64MiB", "--sync", "ramdisk", "--ios", "2000"], "sync",
               lambda d: sane(d, 2000) and d["xnvme_perf"]["mode"] == "sync")
    check_run(["run", "ramdisk:64MiB", "--threads", "3", "--ios", "3000"], "3 threads",
               lambda d: sane(d, 3000, 3))
    check_run(["run", "ramdisk:64MiB", "--runtime", "1", "--bs", "8192"], "--runtime 1",
               lambda d: sane(d) and 0.9 < d["xnvme_perf"]["seconds"] < 3)
    offered = offered_ifaces(img)
    for iface in offered:
        check_run(["run", img, "--async", iface, "--ios", "4000", "--qdepth", "16"],
                   f"file, {iface}", lambda d, i=iface: sane(d, 4000)
                   and d["xnvme_perf"]["iface"] == i)
    # The options of one interface, where the build has it (a build without liburing or libaio
    # lists them as not built: visible SKIPs, not silent passes)
    def skip_unless(iface):
        if iface not in offered:
            print(f"SKIP: {iface}'s options: the build has no {iface}", flush=True)
        return iface in offered
    if skip_unless("io_uring"):
        check_run(["run", img, "--async", "io_uring", "--register", "--direct", "--ios", "4000"],
                  "io_uring, registered, O_DIRECT", lambda d: sane(d, 4000))
        check_run(["run", img, "--async", "io_uring", "--spin", "--ios", "4000"],
                  "io_uring, --spin: completions polled, never slept for", lambda d: sane(d, 4000))
        # --batch: at most N submissions per poke or wait, the rest wait in the tool
        check_run(["run", img, "--async", "io_uring", "--register", "--batch", "8", "--reap", "8",
                   "--ios", "4000"], "io_uring, --batch 8 --reap 8 (t/io_uring's -s8 -c8)",
                  lambda d: sane(d, 4000))
    if skip_unless("libaio"):
        check_run(["run", img, "--async", "libaio", "--reap", "4", "--ios", "4000"],
                  "libaio, --reap 4: at most 4 completions a poke", lambda d: sane(d, 4000))
        # with odd numbers the last batch is short and the count must still come out exact
        check_run(["run", img, "--async", "libaio", "--rw", "randrw", "--batch", "3", "--reap",
                   "2", "--qdepth", "7", "--ios", "3001"],
                  "libaio, randrw, --batch 3 --reap 2, QD 7", lambda d: sane(d, 3001))
    check_run(["run", "ramdisk:64MiB", "--batch", "5", "--runtime", "1"],
              "ramdisk, --batch 5, --runtime 1",
              lambda d: sane(d) and 0.9 < d["xnvme_perf"]["seconds"] < 3)
    # What --batch does, seen from the kernel: page-cache reads complete at submission, so every
    # wait hands over one batch; --batch 1 enters once per I/O, --batch 16 once per 16
    def enters(*args):
        log = os.path.join(tmp, "strace.log")
        # LeakSanitizer cannot run under ptrace: off for these runs of a sanitizer build
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "detect_leaks=0"]))
        proc = subprocess.run(["strace", "-f", "-c", "-e", "trace=io_uring_enter", "-o", log, P,
                               "run", img, "--async", "io_uring", "--no-lat", "--ios", "2000",
                               "--output", "json", *args], capture_output=True, text=True,
                              timeout=120, env=env)
        with open(log) as f:
            calls = [int(line.split()[3]) for line in f if line.rstrip().endswith("io_uring_enter")]
        if proc.returncode != 0 or not calls:
            print(f"strace run {args}: exit {proc.returncode}, {proc.stderr.strip()[-300:]!r}")
            return -1
        return calls[0]
    if skip_unless("io_uring"):
        one = enters("--batch", "1", "--qdepth", "16")
        sixteen = enters("--batch", "16", "--qdepth", "16")
        check(one >= 2000 and 0 < sixteen <= 400,
              f"io_uring_enter calls for 2000 I/Os: {one} with --batch 1 (>= 2000), {sixteen} "
              "with --batch 16 (<= 400)")
    check_run(["run", img, "--sync", "psync", "--ios", "2000"], "file, psync",
               lambda d: sane(d, 2000))

    # Reads leave the access time alone (O_NOATIME): with relatime an atime two days old would
    # be refreshed by any read
    old = os.stat(img).st_mtime - 2 * 86400
    os.utime(img, (old, os.stat(img).st_mtime))
    check_run(["run", img, "--sync", "psync", "--ios", "100"], "reads of a file", lambda d: True)
    check(abs(os.stat(img).st_atime - old) < 1, "the file's access time is unchanged by reads")
    # Someone who does not own the file may not ask for O_NOATIME: the open falls back
    if os.geteuid() == 0 and subprocess.run(["which", "setpriv"], capture_output=True).returncode == 0:
        os.chmod(tmp, 0o755)
        os.chmod(img, 0o666)
        # The tool and its library run from copies beside the file: the build tree may sit where
        # only root can enter (a clone in a mode-700 temporary folder)
        tool = os.path.join(tmp, "xnvme-perf")
        shutil.copy(P, tool)
        libs = subprocess.run(["ldd", P], capture_output=True, text=True).stdout
        for line in libs.splitlines():
            parts = line.split()
            if parts and parts[0].startswith("libxnvme.so") and len(parts) > 2:
                shutil.copy(os.path.realpath(parts[2]), os.path.join(tmp, parts[0]))
        env = dict(os.environ, LD_LIBRARY_PATH=tmp)
        proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                               tool, "run", img, "--sync", "psync", "--ios", "100"],
                              capture_output=True, text=True, timeout=60, env=env)
        check(proc.returncode == 0 and "ios: 100" in proc.stdout,
              f"a user who does not own the file still opens it (rc={proc.returncode}, "
              f"{proc.stderr.strip()!r})")
    else:
        print("SKIP: the open by a user who does not own the file needs root and setpriv")

    for args, rc, what, needles in [
        (["run", img, "--qdepth", "0"], 2, "--qdepth 0", ["--qdepth"]),
        (["run", img, "--qdepth", "4097"], 2, "--qdepth 4097", ["--qdepth"]),
        (["run", img, "--runtime", "0"], 2, "--runtime 0", ["--runtime"]),
        (["run", img, "--reap", "0"], 2, "--reap 0", ["--reap"]),
        (["run", img, "--reap", "4097"], 2, "--reap 4097", ["--reap"]),
        (["run", img, "--batch", "0"], 2, "--batch 0", ["--batch"]),
        (["run", img, "--batch", "33"], 2, "--batch above --qdepth", ["--batch", "--qdepth"]),
        (["run", img, "--sync", "psync", "--batch", "2"], 2, "--batch with --sync", ["--batch"]),
        (["run", img, "--bs", "0"], 2, "--bs 0", ["--bs"]),
        (["run", img, "--threads", "65"], 2, "--threads 65", ["--threads"]),
        (["run", img, "--rw", "sideways"], 2, "--rw sideways", ["sideways"]),
        (["run", img, "--rwmix", "50"], 2, "--rwmix without randrw", ["--rwmix"]),
        (["run", img, "--sync", "psync", "--qdepth", "8"], 2, "sync with a queue depth", []),
        (["run", img, "--bs", "1000"], 1, "--bs not a multiple of the LBA size", ["--bs"]),
        (["run", small, "--bs", "4096"], 1, "a device smaller than one block", ["smaller"]),
        (["run", "ramdisk:64MiB", "--bs", "4194304"], 1, "--bs above MDTS", ["MDTS"]),
        (["run", os.path.join(tmp, "missing")], 1, "a missing device", ["missing"]),
        # IOPOLL needs O_DIRECT: the queue is refused, and the message says which step failed
        # (without io_uring in the build: refused as not implemented)
        (["run", img, "--async", "io_uring", "--poll", "--ios", "10"], 1,
         "--poll without --direct", ["cannot make its queue", "Invalid argument"
                                     if "io_uring" in offered else "Function not implemented"]),
    ]:
        check_bad(P, args, rc, what, *needles)

finish()
