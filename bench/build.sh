#!/usr/bin/env bash
# bench/build.sh — what do `glassbox build` and `image export` cost next to
# the real tools that do the same work?
#
# A "cold build": `glassbox build --no-cache` of a 6-line Dockerfile (FROM
#             busybox, COPY, RUN, ENV, RUN, CMD) against `podman build
#             --no-cache` of the same Dockerfile and context, from the same
#             base (glassbox's busybox, exported and loaded into podman),
#             both offline.                                 Target: <= 1.0x.
# B "cached build": the same with the cache (every step CACHED, no RUN runs).
#                                                             Target: <= 0.5x.
# C "export": `glassbox image export` of a ~BENCH_EXPORT_MB MB image (a root
#             filesystem tar imported) against `tar -cf` of its layer's tree
#             in the store.                                  Target: <= 1.2x.
#
# Only ratios against baselines measured in this same run are meaningful;
# the contenders alternate inside one loop (a b, b a, ...) so drift and
# background load hit both alike. Each call is timed on its own
# (time.perf_counter_ns); median and p90 are reported.
#
# podman runs with its own storage in the temp folder (vfs: nothing mounted
# is left), cgroupfs, runc and the ulimits this kind of host needs
# (shared/MACHINE.md).
#
# Usage: bench/build.sh
#   env: BENCH_BUILD_N (default 5), BENCH_EXPORT_MB (default 200),
#        BENCH_EXPORT_N (default 3), BENCH_DIR (default /tmp)
# Needs root, python3, GNU tar, busybox-static, podman and runc (Debian:
# apt-get install -y podman runc), about 3x BENCH_EXPORT_MB of free space.
set -euo pipefail

cd "$(dirname "$0")/.."
G="$PWD/target/release/glassbox"
NB="${BENCH_BUILD_N:-5}"
MB="${BENCH_EXPORT_MB:-200}"
NE="${BENCH_EXPORT_N:-3}"
[[ "$NB$MB$NE" =~ ^[0-9]+$ && $NB -gt 0 && $MB -gt 0 && $NE -gt 0 ]] \
    || { echo "BENCH_BUILD_N, BENCH_EXPORT_MB, BENCH_EXPORT_N: positive integers" >&2; exit 2; }
command -v podman >/dev/null || { echo "podman is missing: apt-get install -y podman runc" >&2; exit 2; }
BASE="${BENCH_DIR:-/tmp}"

scripts/build.sh --quiet

source bench/lib.sh
T=$(mktemp -d "$BASE/gb-bench-build.XXXXXX")
R="$T/root"
P=(podman --root "$T/podman" --runroot "$T/podman-run" --storage-driver vfs
   --cgroup-manager=cgroupfs --runtime runc --events-backend=none)

cleanup() {
    bench_cleanup_start "${DRIVER:-}"
    "${P[@]}" system reset -f >/dev/null 2>&1 || true
    bench_reset "$R"
    bench_remove "$T"
}
bench_traps
mkdir -p "$R"

echo "$("$G" --version 2>/dev/null || echo glassbox) | $(podman --version) | $(uname -r) | $(nproc) cpus | temp $T"
echo "builds: N=$NB (BENCH_BUILD_N); export: ~${MB} MB image, N=$NE (BENCH_EXPORT_MB, BENCH_EXPORT_N)"
echo

BENCH_LIB=bench python3 - "$G" "$T" "$R" "$NB" "$MB" "$NE" "${P[@]}" <<'PY' &
import io, os, random, sys, tarfile, time
sys.path.insert(0, os.environ['BENCH_LIB'])
from stats import call, header, median, row, quiet_on_stop
quiet_on_stop()
G, T, R = sys.argv[1:4]
NB, MB, NE = (int(x) for x in sys.argv[4:7])
P = sys.argv[7:]
gb = [G, "--root", R]
LIMITS = ["--network=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]

def timed(argv):
    t0 = time.perf_counter_ns()
    call(argv)
    return time.perf_counter_ns() - t0

# The same base in both: glassbox's busybox, exported and loaded into podman.
call(gb + ["image", "busybox"])
call(gb + ["image", "export", "busybox", "-o", os.path.join(T, "busybox.tar")])
call(P + ["load", "-i", os.path.join(T, "busybox.tar")])

CTX = os.path.join(T, "ctx")
os.makedirs(CTX)
with open(os.path.join(CTX, "app.sh"), "w") as f:
    f.write("#!/bin/sh\necho hello from the app\n")
with open(os.path.join(CTX, "Dockerfile"), "w") as f:
    f.write("FROM busybox\nCOPY app.sh /app/\nRUN mkdir -p /data && echo built > /data/stamp\n"
            "ENV GREETING=hi\nRUN chmod +x /app/app.sh\nCMD [\"/app/app.sh\"]\n")

def glassbox_build(cache):
    return timed(gb + ["build", "-t", "app", CTX] + ([] if cache else ["--no-cache"]))

def podman_build(cache):
    return timed(P + ["build", "-t", "app"] + LIMITS + ([] if cache else ["--no-cache"]) + [CTX])

times = {"glassbox build --no-cache": [], "podman build --no-cache": [],
         "glassbox build (cached)": [], "podman build (cached)": []}
for i in range(NB):
    pair = ((glassbox_build, "glassbox"), (podman_build, "podman"))
    for fn, who in (pair if i % 2 == 0 else pair[::-1]):
        times[f"{who} build --no-cache"].append(fn(False))
        times[f"{who} build (cached)"].append(fn(True))

# C: a ~MB MB image from a root filesystem tar (random bytes: nothing dedups).
rng = random.Random(1)
TAR = os.path.join(T, "rootfs.tar")
size = 0
with open(TAR, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.GNU_FORMAT) as tf:
    i = 0
    while size < MB << 20:
        if i % 40 == 0:
            d = tarfile.TarInfo(f"usr/pkg{i // 40:04d}"); d.type = tarfile.DIRTYPE; d.mode = 0o755
            tf.addfile(d)
        n = rng.randint(1 << 10, 64 << 10) if i % 50 else rng.randint(2 << 20, 8 << 20)
        ti = tarfile.TarInfo(f"usr/pkg{i // 40:04d}/f{i:05d}"); ti.size = n; ti.mode = 0o644
        tf.addfile(ti, io.BytesIO(rng.randbytes(n)))
        size += n; i += 1
call(gb + ["image", "import", TAR, "--name", "big"])
os.unlink(TAR)
layer = call(gb + ["--json", "image", "inspect", "big"], out=True)
import json
digest = json.loads(layer)["layers"][0]["digest"]
TREE = os.path.join(R, "layers", digest.replace(":", "-"), "fs")

def export_once(i):
    out = os.path.join(T, f"e{i}.tar")
    times.setdefault("glassbox image export", []).append(timed(gb + ["image", "export", "big", "-o", out]))
    os.unlink(out); os.sync()

def tar_once(i):
    out = os.path.join(T, f"t{i}.tar")
    times.setdefault("tar -cf (the layer tree)", []).append(timed(["tar", "-cf", out, "-C", TREE, "."]))
    os.unlink(out); os.sync()

os.sync()
for i in range(NE):
    for fn in ((export_once, tar_once) if i % 2 == 0 else (tar_once, export_once)):
        fn(i)

print(header)
for k, xs in times.items():
    row(k, xs)
m = {k: median(v) for k, v in times.items()}
print()
print(f"ratio cold build glassbox/podman:   {m['glassbox build --no-cache'] / m['podman build --no-cache']:.2f} (target <= 1.0)")
print(f"ratio cached build glassbox/podman: {m['glassbox build (cached)'] / m['podman build (cached)']:.2f} (target <= 0.5)")
print(f"ratio image export / tar -cf:       {m['glassbox image export'] / m['tar -cf (the layer tree)']:.2f} (target <= 1.2)")
PY
DRIVER=$!
wait "$DRIVER"
DRIVER=
