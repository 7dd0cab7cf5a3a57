"""Summaries shared by the benchmark drivers in bench/*.sh (imported by them)."""
import math


def median(xs):
    s = sorted(xs); n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def p90(xs):                                   # nearest-rank percentile
    s = sorted(xs); return s[max(0, math.ceil(0.9 * len(s)) - 1)]


def row(name, xs):
    print(f"  {name:<34} {median(xs)/1e6:>9.3f} {p90(xs)/1e6:>9.3f} {len(xs):>6}")


header = f"  {'contender':<34} {'median ms':>9} {'p90 ms':>9} {'n':>6}"
