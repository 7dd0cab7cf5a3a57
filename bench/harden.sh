#!/usr/bin/env bash
# bench/harden.sh — what does hardening cost each `exec`?
#
# `glassbox exec <box> -- /bin/true` into a hardened box (`harden`: Docker's
# 14 capabilities, no_new_privs, Docker's default seccomp filter, device
# rules, masks) against the same into an unhardened twin (same namespaces,
# same busybox root). The filter is compiled once, by the `seccomp` step;
# each exec only has the init drop capabilities and load the program in the
# child before execve, and the command then runs under the filter.
# Target: <= 1.15x.
#
# Only the ratio is meaningful: the two are alternated in one loop (h, u, u,
# h, …) so frequency changes and background load hit both alike. Each call
# is timed on its own (time.perf_counter_ns); median and p90 reported.
#
# Usage: bench/harden.sh      env: BENCH_N (default 300), BENCH_DIR (default /tmp)
# Needs root, python3, busybox-static. All state lives in a temp --root that
# is reset and deleted on exit, also on failure or Ctrl-C.
set -euo pipefail

cd "$(dirname "$0")/.."
G="$PWD/target/release/glassbox"
N="${BENCH_N:-300}"
[[ "$N" =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "BENCH_N: a positive integer" >&2; exit 2; }

# Always build: a stale binary would measure old code (a no-op when fresh).
scripts/build.sh --quiet

source bench/lib.sh
bench_temp_root
cleanup() { bench_root_cleanup; }
bench_traps

"$G" --root "$R" image busybox >/dev/null
for b in hard plain; do
    "$G" --root "$R" create $b >/dev/null
    "$G" --root "$R" unshare $b pid mnt >/dev/null
    "$G" --root "$R" rootfs $b busybox >/dev/null
done
"$G" --root "$R" harden hard >/dev/null

bench_header

BENCH_LIB=bench python3 - "$G" "$R" "$N" <<'PY' &
import os, sys, time
sys.path.insert(0, os.environ['BENCH_LIB'])  # bench/stats.py
from stats import call, header, median, quiet_on_stop, row
quiet_on_stop()
G, R, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
C = {"exec hardened":   [G, "--root", R, "exec", "hard", "--", "/bin/true"],
     "exec unhardened": [G, "--root", R, "exec", "plain", "--", "/bin/true"]}
for c in C.values():
    call(c)
t = {k: [] for k in C}
for i in range(N):
    for k in (list(C) if i % 2 == 0 else list(C)[::-1]):
        t0 = time.perf_counter_ns()
        call(C[k])
        t[k].append(time.perf_counter_ns() - t0)
print(header)
for k, xs in t.items():
    row(k, xs)
ratio = median(t["exec hardened"]) / median(t["exec unhardened"])
print(f"\nratio exec hardened / exec unhardened: {ratio:.3f} (target <= 1.15)")
PY
DRIVER=$!
wait "$DRIVER"
