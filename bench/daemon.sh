#!/usr/bin/env bash
# bench/daemon.sh — what does the Docker API cost on top of the steps it is,
# and how much memory does `glassbox daemon` take?
#
# 1. One container's life, timed as one sample, four ways, interleaved:
#      a  `docker run --rm busybox true` through `glassbox daemon`
#      b  the same steps typed as separate glassbox commands (create, limit,
#         unshare uts ipc net pid mnt, rootfs, net, Docker's hardening: caps,
#         nnp, seccomp, devices, mask; run, rm --force): what the daemon
#         runs for (a)                               target: a <= 1.0 x b
#      c  `runc run` of a bundle of the same busybox tree, the runtime
#         dockerd would use (crun 1.8 refuses this machine's hybrid cgroup
#         layout, MACHINE.md; runc does the same job)  target: a <= 1.5 x c
#      d  floor: `docker version` against the daemon, the docker CLI's own
#         start and one request, which (a) pays five times over (create,
#         attach, wait, start, and the removal it waits for)
#    The contenders take turns inside one loop, so a noisy machine hits all
#    of them alike; only the ratios of one run mean much.
# 2. Memory (targets: idle <= 20 MB, with 50 containers <= 40 MB): VmRSS of
#    the daemon after its first request, then with 50 `docker run -d busybox
#    sleep` containers running, and its peak (VmHWM).
#
# Usage: bench/daemon.sh     env: BENCH_N (default 20)
# Needs root, python3, the docker CLI and runc. Everything lives in a temp
# folder that is reset and deleted on exit, also on failure or Ctrl-C.
set -euo pipefail

cd "$(dirname "$0")/.."
G="$PWD/target/release/glassbox"
N="${BENCH_N:-20}"
[[ "$N" =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "BENCH_N: a positive integer" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "bench/daemon.sh needs root (it makes namespaces)" >&2; exit 2; }
for tool in docker runc python3; do
    command -v "$tool" >/dev/null || { echo "bench/daemon.sh needs $tool" >&2; exit 2; }
done

scripts/build.sh --quiet

source bench/lib.sh
T=$(mktemp -d /tmp/gb-bench-daemon.XXXXXX)
R="$T/root"
SOCK="$T/docker.sock"
export DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$T/docker-config"

cleanup() {
    bench_cleanup_start "${DRIVER:-}"
    docker rm -f $(docker ps -aq 2>/dev/null) >/dev/null 2>&1 || true
    bench_cleanup_start "${DAEMON:-}"
    runc list -q 2>/dev/null | grep '^gb-bench-' | xargs -r -n1 runc delete -f 2>/dev/null || true
    bench_reset "$R" --volumes
    bench_remove "$T"
}
bench_traps

mkdir -p "$R" "$DOCKER_CONFIG"
"$G" --root "$R" image busybox >/dev/null
"$G" --root "$R" daemon --socket "$SOCK" >"$T/daemon.log" 2>&1 &
DAEMON=$!
for _ in $(seq 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done

# The runc bundle: the busybox image's one layer, copied, and runc's
# default spec running `true` without a terminal.
B="$T/bundle"
mkdir -p "$B"
LAYER=$("$G" --root "$R" --json image ls | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["layers"][0])')
cp -a "$R/layers/${LAYER/:/-}/fs" "$B/rootfs"
(cd "$B" && runc spec)
python3 - "$B/config.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["process"]["args"] = ["true"]
spec["process"]["terminal"] = False
json.dump(spec, open(sys.argv[1], "w"))
PY

echo "$("$G" --version) | $(docker version --format '{{.Client.Version}}') CLI | $(runc --version | head -1) | $(uname -r) | $(nproc) cpus"
echo "N=$N (BENCH_N), daemon pid $DAEMON"
echo

BENCH_LIB=bench python3 - "$G" "$R" "$B" "$DAEMON" "$N" <<'PY' &
import os, subprocess, sys, time
sys.path.insert(0, os.environ['BENCH_LIB'])  # bench/stats.py
from stats import call, header, median, quiet_on_stop, row, timed
quiet_on_stop()
G, R, BUNDLE, DAEMON, N = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
gb = [G, "--root", R]




def typed(box):
    return [gb + ["create", box], gb + ["limit", box, "--memory", "max"],
            gb + ["unshare", box, "uts", "ipc", "net", "pid", "mnt", "--hostname", box],
            gb + ["rootfs", box, "busybox"], gb + ["net", box],
            gb + ["caps", box, "--docker-default"], gb + ["nnp", box], gb + ["seccomp", box, "default"],
            gb + ["devices", box, "--docker-default"], gb + ["mask", box, "--docker-default"],
            gb + ["run", box, "--", "true"], gb + ["rm", "--force", box]]


def rss(field):
    for line in open(f"/proc/{DAEMON}/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


names = ["a docker run --rm (daemon)", "b the same steps typed", "c runc run", "d floor: docker version"]
t = {k: [] for k in names}
for i in range(N + 1):
    contenders = {
        names[0]: [["docker", "run", "--rm", "busybox", "true"]],
        names[1]: typed(f"typed{i}"),
        names[2]: [["runc", "run", "--bundle", BUNDLE, f"gb-bench-{i}"]],
        names[3]: [["docker", "version"]],
    }
    order = names[i % 4:] + names[:i % 4]
    for k in order:
        took = timed(contenders[k])
        if i > 0:  # the first round warms caches up
            t[k].append(took)

print("1  one container's life")
print(header)
for k, xs in t.items():
    row(k, xs)
m = {k: median(v) for k, v in t.items()}
print()
print(f"ratio daemon/typed steps: {m[names[0]] / m[names[1]]:.2f} (target <= 1.0)")
print(f"ratio daemon/runc: {m[names[0]] / m[names[2]]:.2f} (target <= 1.5)")
print(f"ratio typed steps/runc: {m[names[1]] / m[names[2]]:.2f}")
print(f"  the docker CLI's floor (one start, one request) is {m[names[3]] / m[names[2]]:.2f} x runc")

idle = rss("VmRSS:")
for i in range(50):
    call(["docker", "run", "-d", "--name", f"m{i}", "busybox", "sleep", "3600"])
time.sleep(1)
call(["docker", "ps", "-a"])
busy, peak = rss("VmRSS:"), rss("VmHWM:")
print()
print("2  memory of the daemon")
print(f"  idle, after its first requests:  {idle:6.1f} MB (target <= 20)")
print(f"  with 50 containers running:      {busy:6.1f} MB (target <= 40)")
print(f"  peak (VmHWM):                    {peak:6.1f} MB")
PY
DRIVER=$!
wait "$DRIVER"
