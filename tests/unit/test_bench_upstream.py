"""bench/upstream.py: what the side by side with upstream 0.7.5 makes of its runs (summary records,
ratios, verdicts on ceilings) and what its completeness check refuses. No program runs here.
usage: test_bench_upstream.py BENCH_DIR"""
import contextlib
import io
import tempfile

from bench_checks import check, finish  # also puts BENCH_DIR on the path
import upstream  # (bench/upstream.py, found through BENCH_DIR)


def fig(iops, cpu):
    return {"iops": iops, "cpu_ns_per_io": cpu}


plist = upstream.pairs("/nonexistent.img")
labels = [p[0] for p in plist]
check(labels == ["harness io_uring", "harness libaio", "harness psync", "harness nil",
                 "fio io_uring", "fio libaio", "fio psync"], f"the seven pairs ({labels})")
targets = {p[0]: p[2] for p in plist}
check(targets["harness nil"] == 0.80 and targets["fio io_uring"] == 1.00 and
      targets["fio libaio"] == 1.00, f"the issue's ceilings ({targets})")
check([p[0] for p in plist if p[4]] == ["fio libaio"], "fio's libaio engine beside fio libaio")


def runs(ours_cpu, up_cpu, reps=5, libaio_iops=None):
    vals = []
    for label, _, _, _, ref in plist:
        v = {"ours": [fig(1e9 / ours_cpu, ours_cpu * (1 + 0.01 * r)) for r in range(reps)],
             "upstream": [fig(1e9 / up_cpu, up_cpu * (1 + 0.01 * r)) for r in range(reps)],
             "libaio": []}
        if ref:
            v["libaio"] = [fig(libaio_iops or 1e9 / up_cpu, up_cpu) for _ in range(reps)]
        vals.append(v)
    return vals


# Ours 30% cheaper per I/O everywhere, and faster than fio's libaio engine
recs = upstream.summarize(plist, runs(700.0, 1000.0))
nil = recs[3]
check(abs(nil["cpu_per_io"]["ratio"] - 0.70) < 1e-9, f"nil ratio 0.70 ({nil['cpu_per_io']['ratio']})")
check(nil["cpu_per_io"]["verdict"] == "met", f"0.70 meets the 0.80 ceiling ({nil['cpu_per_io']})")
check(recs[0]["cpu_per_io"]["verdict"] == "no target", "a pair without a target says so")
check(abs(recs[4]["iops"]["ratio"] - 1000 / 700) < 1e-9, "IOPS ratio ours / upstream")
check(recs[5]["iops_vs_fio_libaio"]["verdict"] == "met",
      f"fio+xnvme libaio faster than fio's libaio meets 1.00 ({recs[5]['iops_vs_fio_libaio']})")
check(recs[0]["cpu_source"].startswith("the harness") and recs[4]["cpu_source"].startswith("fio"),
      "each record names where its CPU time comes from")

report = {"upstream": {"pairs": recs}}
with tempfile.TemporaryDirectory() as out:
    missing = upstream.check_complete(report, out, gnuplot=False)
    check(missing == [], f"a complete report passes ({missing})")
    missing = upstream.check_complete(report, out, gnuplot=True)
    check(missing == ["upstream plot"], f"no plot with gnuplot at hand: refused ({missing})")

# Ours 20% dearer: the ceilings are missed; fio's libaio engine faster than fio+xnvme
recs = upstream.summarize(plist, runs(1200.0, 1000.0, libaio_iops=2e6))
check(recs[3]["cpu_per_io"]["verdict"] == "missed", f"1.20 misses 0.80 ({recs[3]['cpu_per_io']})")
check(recs[4]["cpu_per_io"]["verdict"] == "missed", "1.20 misses 1.00")
check(recs[5]["iops_vs_fio_libaio"]["verdict"] == "missed",
      "fio+xnvme libaio slower than fio's libaio engine misses 1.00")

# What the completeness check refuses
recs = upstream.summarize(plist, runs(700.0, 1000.0))
recs[1]["upstream"]["iops"][2] = 0.0
with tempfile.TemporaryDirectory() as out:
    missing = upstream.check_complete({"upstream": {"pairs": recs}}, out, gnuplot=False)
    check(missing == [recs[1]["name"]], f"a zero figure: refused ({missing})")
    missing = upstream.check_complete({"upstream": {"pairs": recs[:6]}}, out, gnuplot=False)
    check("upstream pairs" in missing and recs[1]["name"] in missing,
          f"a pair missing: refused ({missing})")
    recs = upstream.summarize(plist, runs(700.0, 1000.0))
    del recs[5]["fio_libaio_engine"]
    missing = upstream.check_complete({"upstream": {"pairs": recs}}, out, gnuplot=False)
    check("fio's libaio engine" in missing, f"fio's libaio engine missing: refused ({missing})")
    missing = upstream.check_complete({"upstream": {}}, out, gnuplot=False)
    check("upstream pairs" in missing, f"no pairs and no reason: refused ({missing})")
    skipped = {"upstream": {"skipped": "/x/upstream-xnvme-0.7.5 not found"}}
    check(upstream.check_complete(skipped, out, gnuplot=True) == [],
          "skipped with its reason: complete")

buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    upstream.print_summary(skipped)
lines = buf.getvalue().splitlines()
check(lines == ["SKIP upstream side by side: /x/upstream-xnvme-0.7.5 not found"],
      f"skipped: one SKIP line naming the path ({lines})")

finish()
