"""bench/stats.py: the bootstrap interval of a ratio of medians and the verdict on a target.
usage: test_bench_stats.py BENCH_DIR"""
import random

from bench_checks import check, finish  # also puts BENCH_DIR on the path
import stats  # (bench/stats.py, found through BENCH_DIR)


def noisy(base, factor, n, spread, seed):
    rng = random.Random(seed)
    return [base * factor * (1 + rng.uniform(-spread, spread)) for _ in range(n)]


ref = noisy(800e3, 1.0, 9, 0.04, 1)
lo, hi = stats.ratio_interval(ref, list(ref))
check(lo == hi == 1.0, f"identical figures: interval 1..1 ({lo}..{hi})")
check(stats.verdict(1.0, 1.00, (lo, hi), 9) == "met",
      "identical figures meet a 1.00 target clearly")

ours = noisy(800e3, 1.10, 9, 0.04, 2)
iv = stats.ratio_interval(ref, ours)
check(iv[0] > 1.0 and iv[1] < 1.25,
      f"10% ahead, 4% noise: interval above 1 ({iv[0]:.3f}..{iv[1]:.3f})")
check(stats.verdict(1.10, 1.00, iv, 9) == "met", "10% ahead meets 1.00 clearly")
check(stats.verdict(1.10, 1.20, iv, 9) == "missed", "10% ahead misses 1.20")

ours = noisy(800e3, 0.995, 9, 0.04, 3)
ratio = sorted(ours)[4] / sorted(ref)[4]
iv = stats.ratio_interval(ref, ours)
check(iv[0] <= ratio <= iv[1],
      f"the interval holds the ratio ({iv[0]:.3f} <= {ratio:.3f} <= {iv[1]:.3f})")
check(iv[0] < 1.0 < iv[1],
      f"0.5% behind, 4% noise: the interval spans 1.00 ({iv[0]:.3f}..{iv[1]:.3f})")
v = stats.verdict(ratio, 1.00, iv, 9)
check(v.endswith(", within noise"), f"0.5% behind, 4% noise: within noise ('{v}')")
check(stats.ratio_interval(ref, ours) == iv, "the same figures give the same interval")

iv = stats.ratio_interval([100.0], [98.0])
check(iv == (0.98, 0.98), f"one repetition: the interval is its ratio ({iv})")
v = stats.verdict(0.98, 1.00, iv, 1)
check(v == "missed, too few runs to judge the noise",
      f"one repetition: missed, noise unknown ('{v}')")

# A ceiling (CPU per I/O, ours / upstream <= target): the same rules, mirrored
cpu_ref = noisy(1000.0, 1.0, 9, 0.03, 4)
cpu_ours = noisy(1000.0, 0.70, 9, 0.03, 5)
iv = stats.ratio_interval(cpu_ref, cpu_ours)
v = stats.verdict(0.70, 0.80, iv, 9, at_most=True)
check(v == "met", f"30% less CPU meets a 0.80 ceiling clearly ('{v}')")
v = stats.verdict(0.70, 0.80, iv, 9)
check(v == "missed", f"the same ratio misses 0.80 as a floor ('{v}')")
v = stats.verdict(0.70, 0.60, iv, 9, at_most=True)
check(v == "missed", f"30% less CPU misses a 0.60 ceiling clearly ('{v}')")
cpu_ours = noisy(1000.0, 1.005, 9, 0.04, 6)
ratio = sorted(cpu_ours)[4] / sorted(cpu_ref)[4]
iv = stats.ratio_interval(cpu_ref, cpu_ours)
v = stats.verdict(ratio, 1.00, iv, 9, at_most=True)
check(iv[0] < 1.0 < iv[1] and v.endswith(", within noise"),
      f"a ceiling inside the interval: within noise ({iv[0]:.3f}..{iv[1]:.3f}, '{v}')")
v = stats.verdict(1.02, 1.00, (1.02, 1.02), 1, at_most=True)
check(v == "missed, too few runs to judge the noise", f"one run above a ceiling ('{v}')")

for what, args in [("empty", ([], [])), ("unequal", ([1.0, 2.0], [1.0])),
                   ("zero reference", ([0.0], [1.0]))]:
    try:
        stats.ratio_interval(*args)
        check(False, f"{what}: refused")
    except ValueError as e:
        check(True, f"{what}: refused ({e})")
try:
    stats.ratio_interval([1.0], [1.0], level=1.5)
    check(False, "level 1.5: refused")
except ValueError as e:
    check(True, f"level 1.5: refused ({e})")

finish()
