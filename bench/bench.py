#!/usr/bin/env python3
"""`make bench`: xnvme side by side with the reference tools, in one run.

Each pair runs the same job through a reference (fio's t/io_uring, fio's own io_uring engine) and
through xnvme (xnvme-perf, fio's xnvme engine), pinned to one core, interleaved, REPS times; the
report gives each figure's median and the ratio xnvme / reference. Also: a queue-depth sweep of
xnvme-perf per interface (1..256, plotted with gnuplot), the ramdisk in nil mode (the library's own
cost per command), the user-space NVMe driver over its in-memory controller with inline processing
(ns per I/O at QD 1..256 next to the nil ramdisk's, and the driver's share of it by callgrind), and,
in the VM rig, fio's io_uring_cmd against xnvme-perf's on /dev/ng0n1. With upstream xNVMe 0.7.5's
prebuilt library at hand (bench/run.sh finds it), the side by side with it: a neutral harness and
fio's xnvme engine, each built against both libraries (bench/upstream.py).

It measures; it asserts no speed. --smoke runs each figure once, briefly, and checks the report is
complete. Usage: bench.py --build DIR --fio FIO --tio T_IO_URING --out DIR [--reps N]
[--runtime S] [--smoke] [--vm] [--harness-ours H --harness-upstream H --fio-upstream FIO
--lib-ours DIR --lib-upstream DIR | --skip-upstream WHY]"""
import argparse
import ctypes
import json
import mmap
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import stats  # bench/stats.py: the interval of a ratio, the verdict on a target
import upstream  # bench/upstream.py: the side by side with upstream xNVMe 0.7.5

ARGS = None
CPU = None
# <sys/mman.h>'s values on x86-64 (and arm64), where Python's mmap module does not name them
MAP_LOCKED = getattr(mmap, "MAP_LOCKED", 0x2000)
MAP_POPULATE = getattr(mmap, "MAP_POPULATE", 0x8000)


def pinned(cmd):
    return ["taskset", "-c", CPU, *cmd] if shutil.which("taskset") else cmd


def run(cmd, timeout):
    proc = subprocess.run(pinned(cmd), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr[-400:]}")
    return proc.stdout


def lock_in_page_cache(path):
    """Maps the file with MAP_LOCKED | MAP_POPULATE: all of it is read into the page cache and
    stays there for the run (the mapping lives until the process exits). Without it, memory
    reclaim that pages out idle memory (DAMON's pageout scheme runs on this machine kind) evicts
    parts of the file between runs, and a "page cache" figure reads from disk. Returns whether
    the lock held; if not (no CAP_IPC_LOCK, RLIMIT_MEMLOCK), the file is only read once, as
    the report says."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        addr = libc.mmap(None, size, mmap.PROT_READ,
                         mmap.MAP_SHARED | MAP_LOCKED | MAP_POPULATE, fd, 0)
        if addr not in (None, ctypes.c_void_p(-1).value):
            return True
        print(f"bench: cannot lock {path} in memory ({os.strerror(ctypes.get_errno())}): "
              "it is read once and may be evicted during the run", flush=True)
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass
        return False
    finally:
        os.close(fd)  # the mapping keeps the file


def tio_iops(out):
    """t/io_uring prints one "IOPS=..." line a second; the median of them, the first left out"""
    vals = []
    for m in re.finditer(r"^IOPS=([0-9.]+)([KM]?),", out, re.M):
        vals.append(float(m.group(1)) * {"": 1, "K": 1e3, "M": 1e6}[m.group(2)])
    if not vals:
        raise RuntimeError(f"t/io_uring printed no IOPS: {out[-300:]}")
    return statistics.median(vals[1:] if len(vals) > 2 else vals)


def perf_iops(uri, *opts):
    """xnvme-perf's IOPS, without per-I/O latencies: t/io_uring does not time each I/O either
    (its -t defaults to 0), and fio's figure is compared with fio's"""
    out = run([os.path.join(ARGS.build, "tools", "xnvme-perf"), "run", uri, "--runtime",
               str(ARGS.runtime), "--output", "json", "--no-lat", *opts], ARGS.runtime * 4 + 60)
    return json.loads(out)["xnvme_perf"]["iops"]


def fio_iops(filename, engine, *extra):
    out = run([ARGS.fio, "--name=bench", f"--filename={filename}", f"--ioengine={engine}",
               "--rw=randread", "--bs=4k", "--iodepth=32", "--time_based",
               f"--runtime={ARGS.runtime}", "--ramp_time=1", "--invalidate=0", "--thread",
               "--output-format=json", *extra], ARGS.runtime * 4 + 60)
    return json.loads(out[out.index("{"):])["jobs"][0]["read"]["iops"]


def tio(path, *flags):
    return tio_iops(run([ARGS.tio, "-b4096", "-p0", f"-r{ARGS.runtime}", *flags, path],
                        ARGS.runtime * 4 + 60))


def pairs(img, loop):
    """(name, target ratio, reference, xnvme): each side a function returning IOPS"""
    return [
        ("io_uring: t/io_uring (fixed buffers, registered file) vs xnvme-perf, 4 KiB randread "
         "QD32 batch 8, file in page cache", 1.00,
         lambda: tio(img, "-d32", "-s8", "-c8", "-B1", "-F1", "-O0"),
         lambda: perf_iops(img, "--async", "io_uring", "--qdepth", "32", "--register")),
        ("libaio: t/io_uring -a1 vs xnvme-perf --async libaio, QD32", 0.98,
         lambda: tio(img, "-d32", "-s8", "-c8", "-a1", "-O0"),
         lambda: perf_iops(img, "--async", "libaio", "--qdepth", "32")),
        ("sync: t/io_uring -S1 (preadv2) vs xnvme-perf --sync psync, QD1", 0.98,
         lambda: tio(img, "-d1", "-s1", "-c1", "-S1", "-O0"),
         lambda: perf_iops(img, "--sync", "psync")),
        ("O_DIRECT on a loop device: t/io_uring vs xnvme-perf io_uring, QD32", 1.00,
         lambda: tio(loop, "-d32", "-s8", "-c8", "-B1", "-F1", "-O1"),
         lambda: perf_iops(loop, "--async", "io_uring", "--qdepth", "32", "--register",
                           "--direct")),
        ("fio: ioengine=io_uring vs ioengine=xnvme (async io_uring), QD32", 0.97,
         lambda: fio_iops(img, "io_uring"),
         lambda: fio_iops(img, "xnvme", "--xnvme_async=io_uring")),
    ]


def main():
    global ARGS, CPU
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--fio", required=True)
    ap.add_argument("--tio", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--runtime", type=int, default=5, help="seconds per run, at least 2")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--vm", action="store_true", help="also the VM rig pair (io_uring_cmd)")
    for opt in ("--harness-ours", "--harness-upstream", "--fio-upstream", "--lib-ours",
                "--lib-upstream"):
        ap.add_argument(opt, help="the side by side with upstream 0.7.5 (bench/run.sh)")
    ap.add_argument("--skip-upstream", metavar="WHY", help="no side by side with upstream")
    ARGS = ap.parse_args()
    with_upstream = not ARGS.skip_upstream
    if with_upstream and not all((ARGS.harness_ours, ARGS.harness_upstream, ARGS.fio_upstream,
                                  ARGS.lib_ours, ARGS.lib_upstream)):
        ap.error("the side by side needs --harness-ours, --harness-upstream, --fio-upstream, "
                 "--lib-ours and --lib-upstream (or --skip-upstream WHY)")
    if ARGS.smoke:
        ARGS.reps, ARGS.runtime = 1, 2  # t/io_uring reports once a second: at least two
    ARGS.runtime = max(ARGS.runtime, 2)
    CPU = "1" if (os.cpu_count() or 1) > 1 else "0"
    os.makedirs(ARGS.out, exist_ok=True)
    report = {"machine": {"cpus": os.cpu_count(), "kernel": platform.release(), "pinned_cpu": CPU},
              "reps": ARGS.reps, "runtime_s": ARGS.runtime, "smoke": ARGS.smoke, "pairs": [],
              "qd_sweep": {}, "nil": {}, "pcie_model": {}, "vm": None,
              "upstream": {"skipped": ARGS.skip_upstream} if not with_upstream else {}}

    work = tempfile.mkdtemp(prefix="xnvme-bench.", dir="/var/tmp")
    img = os.path.join(work, "bench.img")
    loop = None
    try:
        with open(img, "wb") as f:
            chunk = os.urandom(1 << 20)
            for _ in range(1024):
                f.write(chunk)
        report["machine"]["file_locked"] = lock_in_page_cache(img)
        loop = subprocess.run(["losetup", "-f", "--show", img], capture_output=True, text=True,
                              check=True).stdout.strip()

        plist = pairs(img, loop)
        vals = [([], []) for _ in plist]
        if with_upstream:
            upstream.setup(ARGS, pinned)
            up_pairs = upstream.pairs(img)
            up_vals = [{"ours": [], "upstream": [], "libaio": []} for _ in up_pairs]
        for rep in range(ARGS.reps):  # interleaved: every pair once per repetition
            for i, (name, _, ref, ours) in enumerate(plist):
                print(f"[{rep + 1}/{ARGS.reps}] {name}", flush=True)
                # Which side goes first alternates, so a side's place in the run favours neither
                if rep % 2 == 0:
                    vals[i][0].append(ref())
                    vals[i][1].append(ours())
                else:
                    vals[i][1].append(ours())
                    vals[i][0].append(ref())
            if with_upstream:
                upstream.measure(up_pairs, up_vals, rep)
        if with_upstream:
            report["upstream"]["pairs"] = upstream.summarize(up_pairs, up_vals)
        for (name, target, _, _), (ref, ours) in zip(plist, vals):
            r, o = statistics.median(ref), statistics.median(ours)
            # Each repetition's two runs are back to back: their ratio is a paired figure
            # that the machine's drift over the run moves less than either side's median
            paired = [x / y for x, y in zip(ours, ref) if y]
            interval = stats.ratio_interval(ref, ours)
            report["pairs"].append({"name": name, "target": target, "reference_iops": ref,
                                    "xnvme_iops": ours, "reference_median": r,
                                    "xnvme_median": o, "ratio": o / r if r else None,
                                    "ratio_ci95": list(interval),
                                    "verdict": stats.verdict(o / r, target, interval,
                                                             len(ref)),
                                    "paired_ratios": paired,
                                    "paired_ratio_median": statistics.median(paired)
                                    if paired else None})

        qds = [1, 32] if ARGS.smoke else [1, 2, 4, 8, 16, 32, 64, 128, 256]
        for iface in ["io_uring", "libaio", "thrpool", "emu"]:
            report["qd_sweep"][iface] = {
                str(qd): perf_iops(img, "--async", iface, "--qdepth", str(qd)) for qd in qds}
        nil = [perf_iops("ramdisk:1GiB,nil=1", "--async", "nil", "--qdepth", "64")
               for _ in range(ARGS.reps)]
        report["nil"] = {"commands_per_s": nil, "median": statistics.median(nil),
                         "ns_per_command": 1e9 / statistics.median(nil), "target": 25e6}
        report["pcie_model"] = pcie_model(qds)
        if ARGS.vm:
            try:
                report["vm"] = vm_pair()
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                # The host figures stand; the report says why the VM pair is missing
                report["vm"] = {"error": str(e)}
        else:
            report["vm"] = {"skipped": "not asked for (make bench-vm, or bench.py --vm)"}
    finally:
        if loop:
            subprocess.run(["losetup", "-d", loop], check=False)
        shutil.rmtree(work, ignore_errors=True)

    with open(os.path.join(ARGS.out, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    plot(report)
    upstream.plot(report, ARGS.out, shutil.which("gnuplot"))
    print_summary(report)
    upstream.print_summary(report)
    return check_complete(report)


def vm_pair():
    """fio io_uring_cmd vs xnvme-perf io_uring_cmd on the rig's /dev/ng0n1, in the guest"""
    here = os.path.dirname(os.path.abspath(__file__))
    # The guest's environment is clean: fio finds the library run.sh installed only through this
    libpath = os.environ.get("LD_LIBRARY_PATH", "")
    script = (f"export LD_LIBRARY_PATH='{libpath}'; for i in $(seq {ARGS.reps}); do "
              f"'{ARGS.fio}' --name=b --filename=\"$XNVME_VM_NG_4K\" --ioengine=io_uring_cmd "
              f"--cmd_type=nvme --rw=randread --bs=4k --iodepth=32 --time_based "
              f"--runtime={ARGS.runtime} --output-format=json | python3 -c 'import json,sys; "
              f"d=sys.stdin.read(); print(\"fio\", json.loads(d[d.index(\"{{\"):])"
              f"[\"jobs\"][0][\"read\"][\"iops\"])'; "
              f"'{ARGS.build}/tools/xnvme-perf' run \"$XNVME_VM_NG_4K\" --async io_uring_cmd "
              f"--qdepth 32 --runtime {ARGS.runtime} --output json | python3 -c 'import json,sys;"
              f" print(\"xnvme\", json.load(sys.stdin)[\"xnvme_perf\"][\"iops\"])'; done")
    proc = subprocess.run([os.path.join(here, "..", "tests", "vm", "rig.sh"), "run", "--",
                           "bash", "-c", script], capture_output=True, text=True, timeout=1800)
    fio = [float(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("fio ")]
    ours = [float(line.split()[1]) for line in proc.stdout.splitlines()
            if line.startswith("xnvme ")]
    if proc.returncode or not fio or not ours:
        raise RuntimeError(f"VM pair failed: {proc.stderr[-500:]}")
    if len(fio) != len(ours):
        raise RuntimeError(f"VM pair: {len(fio)} fio and {len(ours)} xnvme-perf figures")
    ratio = statistics.median(ours) / statistics.median(fio)
    interval = stats.ratio_interval(fio, ours)
    return {"name": "VM: fio io_uring_cmd vs xnvme-perf io_uring_cmd on /dev/ng0n1, QD32",
            "target": 1.0, "reference_iops": fio, "xnvme_iops": ours, "ratio": ratio,
            "ratio_ci95": list(interval),
            "verdict": stats.verdict(ratio, 1.0, interval, len(fio))}


PCIE_URI = "pcie-model:1GiB,nil=1,proc=inline"
NIL_URI = "ramdisk:1GiB,nil=1"
# The model's entry: in inline mode all its work (executor, locks, copies) runs inside the
# doorbell op, so the model's share is the largest inclusive cost among its functions. The
# driver's own is the exclusive cost of its files (what they inline included).
MODEL_FILES = re.compile(r"lib/be/pcie/model[^/]*\.c:")
DRIVER_FILES = re.compile(r"lib/be/pcie/(pcie_[a-z]*\.c|xnvme_be_pcie\.h|pcie_hw\.h):")
ANNOTATED = re.compile(r"\s*([0-9,]+) \([ 0-9.]+%\)\s+(.*)")


def annotate(out, inclusive):
    """(cost, what) of each line of callgrind_annotate's function list"""
    ann = subprocess.run(["callgrind_annotate", "--auto=no",
                          f"--inclusive={'yes' if inclusive else 'no'}",
                          "--threshold=100", out], capture_output=True, text=True,
                         check=True).stdout
    for line in ann.splitlines():
        m = ANNOTATED.match(line)
        if m:
            yield int(m.group(1).replace(",", "")), m.group(2)


def callgrind_split(uri, qd, ios=200000):
    """User-space instructions per I/O of xnvme-perf on @uri: all of them, the model's (the
    inclusive cost of its doorbell) and the driver's own (its files' exclusive cost); the rest
    is the core and xnvme-perf's loop, what the nil ramdisk runs too. Each run twice, with ios
    and ios/10 I/Os, and the difference divided by the difference of the counts, so setup
    cancels out. None without valgrind."""
    if not shutil.which("valgrind") or not shutil.which("callgrind_annotate"):
        return None
    counts = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (ios, ios // 10):
            out = os.path.join(tmp, f"cg.{n}")
            subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                            os.path.join(ARGS.build, "tools", "xnvme-perf"), "run", uri,
                            "--async", "nvme", "--qdepth", str(qd), "--rw", "randread",
                            "--bs", "4096", "--no-lat", "--ios", str(n)],
                           capture_output=True, check=True, timeout=600)
            total = model = driver = 0
            for ir, what in annotate(out, True):
                if what.startswith("PROGRAM TOTALS"):
                    total = ir
                elif MODEL_FILES.search(what):
                    model = max(model, ir)
            for ir, what in annotate(out, False):
                if DRIVER_FILES.search(what):
                    driver += ir
            counts.append((total, model, driver))
    n = ios - ios // 10
    total, model, driver = ((a - b) / n for a, b in zip(*counts))
    return {"instructions_per_io": total, "model_instructions_per_io": model,
            "driver_instructions_per_io": driver}


def pcie_model(qds):
    """The driver over the model, inline: every command runs in the doorbell's call, so the time
    per I/O is the driver's plus the model's. The nil ramdisk beside it is the core's own cost
    without a driver. The driver's share comes from callgrind's instruction split (at QD 32):
    its ns per I/O is the measured ns scaled by its share of the instructions."""
    res = {"uri": PCIE_URI, "per_qd": {}, "target_driver_ns_per_io": 30.0}
    for qd in qds:
        ours = [perf_iops(PCIE_URI, "--async", "nvme", "--qdepth", str(qd))
                for _ in range(ARGS.reps)]
        nil = [perf_iops(NIL_URI, "--async", "nil", "--qdepth", str(qd))
               for _ in range(ARGS.reps)]
        res["per_qd"][str(qd)] = {
            "iops": ours, "ns_per_io": 1e9 / statistics.median(ours),
            "nil_iops": nil, "nil_ns_per_io": 1e9 / statistics.median(nil)}
    split = None if ARGS.smoke else callgrind_split(PCIE_URI, 32)
    res["callgrind_qd32"] = split
    if split and split["instructions_per_io"] > 0:
        # Time follows instructions here (no I/O, no syscall, a warm cache): each part's ns is
        # the measured ns scaled by its share of the instructions
        ns = res["per_qd"]["32"]["ns_per_io"] / split["instructions_per_io"]
        res["driver_ns_per_io_qd32"] = split["driver_instructions_per_io"] * ns
        res["not_model_ns_per_io_qd32"] = \
            (split["instructions_per_io"] - split["model_instructions_per_io"]) * ns
    return res


def plot(report):
    data = os.path.join(ARGS.out, "qd_sweep.dat")
    ifaces = list(report["qd_sweep"])
    qds = sorted({int(q) for v in report["qd_sweep"].values() for q in v})
    with open(data, "w") as f:
        f.write("# qd " + " ".join(ifaces) + "\n")
        for qd in qds:
            f.write(f"{qd} " + " ".join(str(report["qd_sweep"][i][str(qd)]) for i in ifaces)
                    + "\n")
    if not shutil.which("gnuplot"):
        print("bench: gnuplot is not installed: no plot (scripts/deps.sh installs gnuplot-nox)")
        return
    png = os.path.join(ARGS.out, "qd_sweep.png")
    plots = ", ".join(f"'{data}' using 1:{i + 2} with linespoints title '{name}'"
                      for i, name in enumerate(ifaces))
    subprocess.run(["gnuplot", "-e",
                    f"set terminal png size 900,600 noenhanced; set output '{png}'; set logscale x 2; "
                    "set xlabel 'queue depth'; set ylabel 'IOPS (4 KiB random read)'; "
                    "set title 'xnvme-perf, file in page cache, one core'; "
                    f"set key left top; plot {plots}"], check=True)


def print_summary(report):
    print("\n# make bench: medians of", report["reps"], "interleaved runs (ratio of the medians "
          "and its 95% bootstrap interval; paired: median of each repetition's ratio, min..max)")
    for p in report["pairs"]:
        pr = p["paired_ratios"]
        lo, hi = p["ratio_ci95"]
        print(f"{p['ratio']:6.3f} [{lo:.3f}..{hi:.3f}] (target {p['target']:.2f}: "
              f"{p['verdict']})"
              f"  ref {p['reference_median']:>10.0f}  xnvme {p['xnvme_median']:>10.0f}  paired "
              f"{p['paired_ratio_median']:.3f} ({min(pr):.3f}..{max(pr):.3f})  {p['name']}")
    nil = report["nil"]
    print(f"nil ramdisk: {nil['median']:.0f} commands/s ({nil['ns_per_command']:.1f} ns each; "
          f"target 25M/s)")
    pm = report["pcie_model"]
    print("user-space driver over the model, inline (ns per I/O; nil ramdisk beside):",
          "  ".join(f"QD{qd} {v['ns_per_io']:.1f} ({v['nil_ns_per_io']:.1f})"
                    for qd, v in pm["per_qd"].items()))
    if pm.get("driver_ns_per_io_qd32") is not None:
        cg = pm["callgrind_qd32"]
        print(f"  at QD32, callgrind: {cg['instructions_per_io']:.0f} instructions per I/O, the "
              f"model {cg['model_instructions_per_io']:.0f}, the driver's own "
              f"{cg['driver_instructions_per_io']:.0f} -> driver {pm['driver_ns_per_io_qd32']:.1f}"
              f" ns per I/O (target < 30); everything but the model (driver, core, "
              f"xnvme-perf) {pm['not_model_ns_per_io_qd32']:.1f} ns")
    vm = report["vm"]
    if vm.get("ratio"):
        lo, hi = vm["ratio_ci95"]
        print(f"{vm['ratio']:6.3f} [{lo:.3f}..{hi:.3f}] (target {vm['target']:.2f}: "
              f"{vm['verdict']})  ref "
              f"{statistics.median(vm['reference_iops']):>12.0f}  xnvme "
              f"{statistics.median(vm['xnvme_iops']):>12.0f}  {vm['name']}")
    print("report:", os.path.join(ARGS.out, "report.json"))


def check_complete(report):
    """The report has every figure, each a positive number: what --smoke (and CI) checks"""
    missing = []
    if len(report["pairs"]) != 5:
        missing.append("pairs")
    for p in report["pairs"]:
        if not all(v > 0 for v in p["reference_iops"] + p["xnvme_iops"]) or \
                not p.get("verdict") or len(p.get("ratio_ci95", [])) != 2:
            missing.append(p["name"])
    if len(report["qd_sweep"]) != 4 or any(not all(v > 0 for v in s.values())
                                           for s in report["qd_sweep"].values()):
        missing.append("qd_sweep")
    if not report["nil"].get("median", 0) > 0:
        missing.append("nil")
    pm = report["pcie_model"].get("per_qd", {})
    if not pm or not all(v["ns_per_io"] > 0 and v["nil_ns_per_io"] > 0 for v in pm.values()):
        missing.append("pcie_model")
    if not ARGS.smoke and report["pcie_model"].get("driver_ns_per_io_qd32") is None and \
            shutil.which("valgrind"):
        missing.append("pcie_model driver share")
    if ARGS.vm and not report["vm"].get("ratio"):
        missing.append(f"vm ({report['vm'].get('error', 'no ratio')})")
    if not os.path.exists(os.path.join(ARGS.out, "qd_sweep.png")) and shutil.which("gnuplot"):
        missing.append("plot")
    missing += upstream.check_complete(report, ARGS.out, shutil.which("gnuplot"))
    if missing:
        print("bench: FAIL: the report lacks", missing)
        return 1
    print("bench: the report is complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
