"""What the benchmark drivers in bench/*.sh share (they import it)."""
import math
import signal
import subprocess
import sys
import time


def quiet_on_stop():
    """SIGTERM from the script's cleanup ends the driver like Ctrl-C: the
    command in flight is killed by subprocess.run, and no traceback."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.excepthook = lambda t, v, tb: (sys.__excepthook__(t, v, tb)
                                       if t is not KeyboardInterrupt else None)


def call(argv, out=False):
    """Run one command; abort the benchmark if it fails. Its stdout if out."""
    p = subprocess.run(argv, stdout=subprocess.PIPE if out else subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"FAILED (exit {p.returncode}): {' '.join(argv)}\n{p.stderr.decode().strip()}")
    return p.stdout.decode() if out else None


def timed(cmds):
    """Wall time in ns of running cmds one after another."""
    t0 = time.perf_counter_ns()
    for c in cmds:
        call(c)
    return time.perf_counter_ns() - t0


def median(xs):
    s = sorted(xs); n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def p90(xs):                                   # nearest-rank percentile
    s = sorted(xs); return s[max(0, math.ceil(0.9 * len(s)) - 1)]


def row(name, xs):
    print(f"  {name:<34} {median(xs)/1e6:>9.3f} {p90(xs)/1e6:>9.3f} {len(xs):>6}")


header = f"  {'contender':<34} {'median ms':>9} {'p90 ms':>9} {'n':>6}"
