"""How sure a figure of `make bench` is: pure functions, tested by tests/unit/test_bench_stats.py.

A pair's target is judged on the ratio of the two medians (ours / reference). On a shared machine
one run's medians move by a few percent, so a ratio a hair above or below a target says little by
itself: ratio_interval() gives a bootstrap interval of that ratio, and verdict() says whether the
target lies inside it.
"""
import random
import statistics


def ratio_interval(ref, ours, level=0.95, resamples=2000, seed=1):
    """A bootstrap interval of median(ours) / median(ref). A repetition's two runs ran back to
    back, so repetitions are drawn whole (with replacement, `resamples` times, from a fixed seed:
    the same figures give the same interval). Returns (low, high)."""
    n = len(ref)
    if n == 0 or len(ours) != n:
        raise ValueError("need as many reference as xnvme figures, at least one "
                         f"({n}, {len(ours)})")
    if not 0 < level < 1 or resamples < 1:
        raise ValueError(f"level {level} must lie in (0, 1) and resamples {resamples} be >= 1")
    if min(ref) <= 0:
        raise ValueError("reference figures must be positive")
    rng = random.Random(seed)
    ratios = []
    for _ in range(resamples):
        idx = [rng.randrange(n) for _ in range(n)]
        ratios.append(statistics.median(ours[i] for i in idx) /
                      statistics.median(ref[i] for i in idx))
    ratios.sort()
    tail = (1 - level) / 2
    return ratios[int(tail * resamples)], ratios[min(resamples - 1, int((1 - tail) * resamples))]


# Fewer repetitions than this give no interval worth the name (the bootstrap of 1-4 values)
MIN_RUNS_FOR_INTERVAL = 5


def verdict(ratio, target, interval, runs, at_most=False):
    """'met' or 'missed' by the ratio of the medians (the rule the targets are set by), followed
    by ', within noise' when the interval reaches across the target (another run may decide
    otherwise), or by ', too few runs to judge the noise' below MIN_RUNS_FOR_INTERVAL. A target
    is a floor (ratio >= target: IOPS), or with at_most a ceiling (ratio <= target: CPU per I/O)."""
    low, high = interval
    met = ratio <= target if at_most else ratio >= target
    word = "met" if met else "missed"
    if runs < MIN_RUNS_FOR_INTERVAL:
        return word + ", too few runs to judge the noise"
    # clear: the whole interval lies on the side of the target the ratio is on
    if at_most:
        clear = high <= target if met else low > target
    else:
        clear = low >= target if met else high < target
    return word + ("" if clear else ", within noise")
