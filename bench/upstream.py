"""`make bench`, side by side with upstream xNVMe 0.7.5 (issue 21): the same program against each
library, interleaved with bench.py's other pairs.

Two kinds of program run against each library, ours (the fresh install fio is built against) and
upstream's prebuilt one (bench/upstream_prefix.sh makes an install prefix of it):
- the neutral harness (bench/harness.c: one source, built twice by bench/run.sh), which measures
  its own loop: IOPS and the process's CPU time (getrusage, user + system) over it;
- fio 3.33 with its unmodified xnvme engine, built against each prefix; its CPU time is the job
  thread's, from fio's JSON (usr_cpu + sys_cpu, in percent of job_runtime, both counted after the
  ramp, as the I/Os are).
CPU per I/O = that CPU time / I/Os completed. Pinned to one core and the core busy all the time, it
is close to 1 / IOPS, but it is the figure another process on the core disturbs least: time taken
away from the job is not counted.

Each side's runs get LD_LIBRARY_PATH set to its own library; the harness also reports which
library it ran with, and a run with the wrong one is an error, not a figure.
"""
import json
import os
import statistics
import subprocess

import stats

CFG = None  # set by setup(): paths, run time, the pinning function


def setup(args, pinned):
    global CFG
    CFG = {"harness": {"ours": args.harness_ours, "upstream": args.harness_upstream},
           "fio": {"ours": args.fio, "upstream": args.fio_upstream},
           "lib": {"ours": os.path.realpath(args.lib_ours),
                   "upstream": os.path.realpath(args.lib_upstream)},
           # the harness needs no warm-up to settle; fio's ramp second is not counted
           "runtime": 1 if args.smoke else args.runtime, "pinned": pinned}
    for side in ("ours", "upstream"):
        check_fio_links(side)


def side_env(side):
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = CFG["lib"][side]
    return env


def check_fio_links(side):
    """fio finds libxnvme through LD_LIBRARY_PATH: ldd, with the side's environment, says which"""
    out = subprocess.run(["ldd", CFG["fio"][side]], capture_output=True, text=True,
                         env=side_env(side)).stdout
    for line in out.splitlines():
        if "libxnvme.so" in line and "=>" in line:
            path = os.path.realpath(line.split("=>")[1].split("(")[0].strip())
            want = os.path.realpath(os.path.join(CFG["lib"][side], "libxnvme.so.0"))
            if path != want:
                raise RuntimeError(f"{side} fio loads {path}, not {want}")
            return
    raise RuntimeError(f"ldd finds no libxnvme for {CFG['fio'][side]}: {out[-300:]}")


def run(cmd, side, timeout):
    proc = subprocess.run(CFG["pinned"](cmd), capture_output=True, text=True, timeout=timeout,
                          env=side_env(side))
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr[-400:]}")
    return proc.stdout


def harness(side, uri, *opts):
    out = run([CFG["harness"][side], uri, "--runtime", str(CFG["runtime"]), *opts], side,
              CFG["runtime"] * 4 + 60)
    res = json.loads(out)["harness"]
    want = os.path.realpath(os.path.join(CFG["lib"][side], "libxnvme.so.0"))
    if os.path.realpath(res["lib"]) != want:
        raise RuntimeError(f"the {side} harness ran with {res['lib']}, not {CFG['lib'][side]}")
    return {"iops": res["iops"], "cpu_ns_per_io": res["cpu_ns_per_io"]}


def fio(side, filename, engine, *extra, iodepth=32, fio_binary=None):
    rt = CFG["runtime"]
    out = run([fio_binary or CFG["fio"][side], "--name=bench", f"--filename={filename}",
               f"--ioengine={engine}", "--rw=randread", "--bs=4k", f"--iodepth={iodepth}",
               "--time_based", f"--runtime={rt}", "--ramp_time=1", "--invalidate=0", "--thread",
               "--output-format=json", *extra], side, rt * 4 + 60)
    job = json.loads(out[out.index("{"):])["jobs"][0]
    ios = job["read"]["total_ios"]
    if not ios:
        raise RuntimeError(f"fio {engine} {' '.join(extra)}: no I/O completed")
    # usr_cpu and sys_cpu: percent of job_runtime (ms), the job thread's getrusage after the ramp
    cpu_ns = (job["usr_cpu"] + job["sys_cpu"]) / 100 * job["job_runtime"] * 1e6
    return {"iops": job["read"]["iops"], "cpu_ns_per_io": cpu_ns / ios}


# The nil path: upstream's ramdisk with its "nil" async interface (commands complete without
# being carried out) takes queues of 1, 2, 4, 8 or 16 entries (xnvme_queue_init refuses others
# with EINVAL; ours takes any power of two), so both run at QD 16, on a ramdisk named the way
# upstream names one (SIZE with be=ramdisk).
NIL = ("2GB", "--be", "ramdisk", "--async", "nil", "--qdepth", "16")


def pairs(img):
    """(label, name, target, measure(side), fio's own libaio as a third side or None). target:
    the ceiling of CPU per I/O, ours / upstream (None: reported, no target)"""
    return [
        ("harness io_uring", "harness io_uring, QD32, file in page cache", None,
         lambda s: harness(s, img, "--async", "io_uring", "--qdepth", "32"), None),
        ("harness libaio", "harness libaio, QD32, file in page cache", None,
         lambda s: harness(s, img, "--async", "libaio", "--qdepth", "32"), None),
        ("harness psync", "harness psync, QD1, file in page cache", None,
         lambda s: harness(s, img, "--sync", "psync"), None),
        ("harness nil", "harness nil: ramdisk 2GB --async nil, QD16 (the library's own cost per command)",
         0.80, lambda s: harness(s, *NIL), None),
        ("fio io_uring", "fio xnvme engine --xnvme_async=io_uring, QD32", 1.00,
         lambda s: fio(s, img, "xnvme", "--xnvme_async=io_uring"), None),
        ("fio libaio", "fio xnvme engine --xnvme_async=libaio, QD32 (and fio's libaio engine)", 1.00,
         lambda s: fio(s, img, "xnvme", "--xnvme_async=libaio"),
         lambda: fio("ours", img, "libaio")),
        ("fio psync", "fio xnvme engine --xnvme_sync=psync, QD1", None,
         lambda s: fio(s, img, "xnvme", "--xnvme_sync=psync", iodepth=1), None),
    ]


def measure(plist, vals, rep):
    """One repetition of every pair; the order of the sides alternates between repetitions"""
    for (_, name, _, side_fn, ref_fn), v in zip(plist, vals):
        print(f"[{rep + 1}] upstream side by side: {name}", flush=True)
        order = ["upstream", "ours", "libaio"] if rep % 2 == 0 else \
            ["libaio", "ours", "upstream"]
        for side in order:
            if side == "libaio":
                if ref_fn:
                    v[side].append(ref_fn())
            else:
                v[side].append(side_fn(side))


def ratio_of(ours, ref, target, at_most):
    """The ratio of the medians, its interval and, with a target, the verdict"""
    r = statistics.median(ours) / statistics.median(ref)
    iv = stats.ratio_interval(ref, ours)
    return {"ratio": r, "ratio_ci95": list(iv), "target": target,
            "verdict": stats.verdict(r, target, iv, len(ref), at_most=at_most)
            if target is not None else "no target"}


CPU_SOURCE = {"harness": "the harness's getrusage(RUSAGE_SELF), user + system, over its loop",
              "fio": "fio's JSON: (usr_cpu + sys_cpu) / 100 * job_runtime, the job thread's "
                     "getrusage after the ramp"}


def summarize(plist, vals):
    out = []
    for (label, name, target, _, ref_fn), v in zip(plist, vals):
        rec = {"label": label, "name": name,
               "cpu_source": CPU_SOURCE["harness" if label.startswith("harness") else "fio"]}
        for side in ("ours", "upstream"):
            rec[side] = {k: [run[k] for run in v[side]] for k in ("iops", "cpu_ns_per_io")}
            rec[side]["median_iops"] = statistics.median(rec[side]["iops"])
            rec[side]["median_cpu_ns_per_io"] = statistics.median(rec[side]["cpu_ns_per_io"])
        rec["cpu_per_io"] = ratio_of(rec["ours"]["cpu_ns_per_io"],
                                     rec["upstream"]["cpu_ns_per_io"], target, True)
        rec["iops"] = ratio_of(rec["ours"]["iops"], rec["upstream"]["iops"], None, False)
        if ref_fn:
            ref = [run["iops"] for run in v["libaio"]]
            rec["fio_libaio_engine"] = {"iops": ref, "median_iops": statistics.median(ref),
                                        "cpu_ns_per_io": [run["cpu_ns_per_io"]
                                                          for run in v["libaio"]]}
            rec["iops_vs_fio_libaio"] = ratio_of(rec["ours"]["iops"], ref, 1.00, False)
        out.append(rec)
    return out


def print_summary(report):
    up = report["upstream"]
    if "skipped" in up:
        print(f"SKIP upstream side by side: {up['skipped']}")
        return
    print("# side by side with upstream xNVMe 0.7.5: CPU per I/O ours / upstream (ratio of the "
          "medians, 95% interval; target a ceiling), the medians in ns, then IOPS ours / upstream")
    for p in up["pairs"]:
        c, i = p["cpu_per_io"], p["iops"]
        tgt = f"target <= {c['target']:.2f}: {c['verdict']}" if c["target"] else "no target"
        print(f"{c['ratio']:6.3f} [{c['ratio_ci95'][0]:.3f}..{c['ratio_ci95'][1]:.3f}] ({tgt})"
              f"  ours {p['ours']['median_cpu_ns_per_io']:8.1f} ns  upstream "
              f"{p['upstream']['median_cpu_ns_per_io']:8.1f} ns  IOPS {i['ratio']:.3f} "
              f"[{i['ratio_ci95'][0]:.3f}..{i['ratio_ci95'][1]:.3f}]  {p['name']}")
        if "iops_vs_fio_libaio" in p:
            x = p["iops_vs_fio_libaio"]
            print(f"{x['ratio']:6.3f} [{x['ratio_ci95'][0]:.3f}..{x['ratio_ci95'][1]:.3f}] "
                  f"(target >= 1.00: {x['verdict']})  IOPS fio+xnvme (ours) libaio "
                  f"{p['ours']['median_iops']:.0f} / fio's libaio engine "
                  f"{p['fio_libaio_engine']['median_iops']:.0f}")


def plot(report, out_dir, gnuplot):
    """upstream.png: CPU per I/O ours / upstream per pair, with its 95% interval"""
    up = report["upstream"]
    if "pairs" not in up:
        return
    data = os.path.join(out_dir, "upstream.dat")
    with open(data, "w") as f:
        f.write("# index ratio low high label target (CPU per I/O, ours / upstream)\n")
        for n, p in enumerate(up["pairs"]):
            c = p["cpu_per_io"]
            f.write(f"{n} {c['ratio']} {c['ratio_ci95'][0]} {c['ratio_ci95'][1]} "
                    f"\"{p['label']}\" {c['target'] or 'NaN'}\n")
    if not gnuplot:
        return
    png = os.path.join(out_dir, "upstream.png")
    subprocess.run(["gnuplot", "-e",
                    f"set terminal png size 1100,600 noenhanced; set output '{png}'; "
                    "set style fill solid 0.5; set boxwidth 0.6; set yrange [0:*]; "
                    "set ylabel 'CPU per I/O, ours / upstream 0.7.5 (lower is better)'; "
                    "set title 'side by side with upstream xNVMe 0.7.5, one core, 95% intervals'; "
                    "set key left top; "
                    f"plot '{data}' using 1:2:xtic(5) with boxes title 'ours / upstream', "
                    f"'' using 1:2:3:4 with yerrorbars lc rgb 'black' pt 0 title '95% interval', "
                    f"'' using 1:6 with points pt 9 ps 2 lc rgb 'red' title 'target (ceiling)', "
                    "1 lc rgb 'gray' title 'parity'"],
                   check=True)


def check_complete(report, out_dir, gnuplot):
    """What the report must hold: every pair with positive figures on both sides and its ratios"""
    up = report["upstream"]
    if "skipped" in up:
        return []
    missing = []
    plist = up.get("pairs", [])
    if len(plist) != len(pairs("")):
        missing.append("upstream pairs")
    for p in plist:
        figures = [x for side in ("ours", "upstream") for k in ("iops", "cpu_ns_per_io")
                   for x in p[side][k]]
        ratios = [p["cpu_per_io"], p["iops"]] + \
            ([p["iops_vs_fio_libaio"]] if "fio_libaio_engine" in p else [])
        if not figures or not all(x > 0 for x in figures) or \
                any(len(r["ratio_ci95"]) != 2 or not r["verdict"] for r in ratios):
            missing.append(p["name"])
    if not any("fio_libaio_engine" in p for p in plist):
        missing.append("fio's libaio engine")
    if gnuplot and not os.path.exists(os.path.join(out_dir, "upstream.png")):
        missing.append("upstream plot")
    return missing
