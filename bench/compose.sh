#!/usr/bin/env bash
# bench/compose.sh — what does `compose up -d` save over typing its steps?
#
# A 3-service compose file (three independent busybox services on the
# project's bridge). `compose up -d` against the very same steps (taken from
# `--dry-run compose up` of another project name) run as separate glassbox
# commands one after another; `compose down` against a `glassbox rm --force`
# per box, one after another. compose runs a wave's services in parallel,
# so on 2 cores up should take at most 0.8x the sequential steps; down
# removes the boxes in parallel too (target <= 1.0x).
#
# The two contenders alternate in one loop so load changes hit both alike;
# medians and p90 of N rounds reported.
#
# Usage: bench/compose.sh    env: BENCH_N (default 5), BENCH_DIR (default /tmp),
#        GLASSBOX (a binary to measure instead of building the release one)
# Needs root, python3, busybox-static. All state lives in a temp --root that
# is reset and deleted on exit, also on failure or Ctrl-C.
set -euo pipefail

cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start

"$G" --root "$R" image busybox >/dev/null
mkdir -p "$R/project"
cat > "$R/project/compose.yaml" <<'YAML'
services:
  a:
    image: busybox
    command: ["busybox", "sleep", "1000"]
  b:
    image: busybox
    command: ["busybox", "sleep", "1000"]
  c:
    image: busybox
    command: ["busybox", "sleep", "1000"]
YAML

bench_header

BENCH_LIB=bench python3 - "$G" "$R" "$N" <<'PY' &
import os, sys, time
sys.path.insert(0, os.environ['BENCH_LIB'])  # bench/stats.py
from stats import call, header, median, quiet_on_stop, row, timed
quiet_on_stop()
G, R, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
f = ["-f", f"{R}/project/compose.yaml"]
gb = [G, "--root", R]
# The steps compose would run for project "steps", as typed commands.
plan = call(gb + ["--dry-run", "compose"] + f + ["-p", "steps", "up"], out=True)
steps = [l.strip().split()[1:] for l in plan.splitlines() if l.startswith("  glassbox ")]
boxes = [s[1] for s in steps if s[0] == "create"]
assert len(boxes) == 3, plan
t = {k: [] for k in ("compose up -d", "the same steps one by one", "compose down", "rm --force one by one")}
for i in range(N):
    order = [0, 1] if i % 2 == 0 else [1, 0]
    for which in order:
        if which == 0:
            t["compose up -d"].append(timed([gb + ["compose"] + f + ["-p", "comp", "up", "-d"]]))
            t["compose down"].append(timed([gb + ["compose"] + f + ["-p", "comp", "down"]]))
        else:
            # Each step as typed (shlex-free: the plan's words have no quotes here).
            t["the same steps one by one"].append(timed([gb + s for s in steps]))
            t["rm --force one by one"].append(timed([gb + ["rm", "--force", b] for b in boxes]))
print(f"{len(steps)} steps for 3 services")
print(header)
for k, xs in t.items():
    row(k, xs)
up = median(t["compose up -d"]) / median(t["the same steps one by one"])
down = median(t["compose down"]) / median(t["rm --force one by one"])
print(f"\nratio compose up -d / steps one by one: {up:.3f} (target <= 0.8)")
print(f"ratio compose down / rm one by one:     {down:.3f} (target <= 1.0)")
PY
DRIVER=$!
wait "$DRIVER"
