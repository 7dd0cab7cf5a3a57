#!/usr/bin/env bash
# bench/volumes.sh — what does mounting a volume into a box that already has its
# root filesystem cost in glassbox, on top of util-linux doing the same kernel
# work?
#
# Once, untimed: `glassbox image busybox`, `glassbox volume create v`, so
# SRC = R/volumes/v/data. Per sample i, untimed: two boxes prepared alike,
#   glassbox create bI; glassbox unshare bI mnt; glassbox rootfs bI busybox
#   glassbox create cI; glassbox unshare cI mnt; glassbox rootfs cI busybox
# (no pid namespace, so `run` is a direct setns + exec). Then, timed:
# a "glassbox": one sample is, timed together,
#              glassbox volume add bI v:/data   (setns into the box's mnt
#                         namespace, mkdir /data there, and a copy of SRC's
#                         mount: open_tree(OPEN_TREE_CLONE) taken before the
#                         setns, mount_setattr(MS_PRIVATE), move_mount to /data)
#              glassbox run bI -- /bin/true     (setns again, exec the image's /bin/true)
# b "shell": one sample is, timed together, on cI, with H = R/run/boxes/cI/ns/mnt
#            (the box's handle: `glassbox --json inspect cI`, namespaces[mnt].held_by)
#              nsenter --mount=H -- /bin/mkdir -p /data
#              mount --bind SRC T/scratch/cI    (on the host, see below)
#              nsenter --mount=H -- /bin/true
# Then, untimed: `rm --force` both boxes, umount the shell's host bind.
#
# Why the shell binds SRC on the host and not into the box: util-linux 2.38
# cannot put a host folder into a mount namespace whose root was pivoted away.
# Inside the box's namespace (after nsenter) SRC does not exist, its / is the
# image. From outside, mount(2) with MS_BIND refuses (EINVAL) a source or a
# target that is not in the caller's own mount namespace, so
# `mount --bind SRC /proc/PID/root/data`, `nsenter --mount=H --root=/ mount
# --bind …` and `mount --namespace H --bind SRC /data` all fail. (glassbox
# --explain prints `nsenter --mount=H` + `mkdir -p /data && mount --bind SRC
# /data` as the shell equivalent; run as it stands it fails the same way.) The
# kernel's way in is open_tree(OPEN_TREE_CLONE) while SRC is in view, then
# move_mount after the setns, and util-linux 2.38 has no front end for either.
# So the baseline does not reproduce the result (cI never sees /data mounted);
# it pays the same syscall-level costs instead: a setns into the box and its
# mkdir /data, one clone of SRC's mount attached in a private place (the bind
# on the host, under T/scratch, a private self-bind made once, untimed, as
# glassbox makes R/run; SRC has no submounts, so --bind and glassbox's
# AT_RECURSIVE copy are the same work), and a setns + exec of the box's
# /bin/true. glassbox's mount_setattr(MS_PRIVATE) has no counterpart (the
# scratch is private already). Both leave a mount of SRC behind, which is
# checked after every sample, untimed: /data in bI's mount table (through
# nsenter), T/scratch/cI in the host's.
#
# There is no target for this benchmark: `ratio volume-add+run/shell` is the
# number the issue asks for. Only ratios against baselines measured in this
# same run are meaningful. The two are alternated inside one loop after one
# unrecorded warm-up round, in the order a b, b a, a b, ... so that neither
# always runs first after the boxes are prepared. Each sample is timed with a
# nanosecond clock (time.perf_counter_ns); we report median and p90, and each
# sample is also split at its command boundaries (no extra runs), which gives
# the informational per-command table.
#
# Usage: bench/volumes.sh        env: BENCH_N (default 30)
# Needs root, python3, util-linux, busybox-static (for `image busybox`). All
# state (the glassbox --root and the shell's scratch folder) lives in a temp
# folder that is reset (with --volumes) and deleted on exit, also on failure
# or Ctrl-C; the shell's host binds are unmounted first.
set -euo pipefail

cd "$(dirname "$0")/.."
G="$PWD/target/release/glassbox"
N="${BENCH_N:-30}"
[[ "$N" =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "BENCH_N: a positive integer" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "bench/volumes.sh needs root (it mounts)" >&2; exit 2; }

# Always build: a stale binary would measure old code (a no-op when fresh).
scripts/build.sh --quiet

source bench/lib.sh
T=$(mktemp -d /tmp/gb-bench-volumes.XXXXXX)
R="$T/root"                                   # glassbox --root
S="$T/scratch"                                # the shell's host binds go under here

# mount points at or under $1 in the host's mount table, deepest first
mounts_under() {
    awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

cleanup() {
    bench_cleanup_start "${DRIVER:-}"
    # the shell's binds, then its private scratch mount (stacked ones too)
    local m
    while m=$(mounts_under "$S" | head -n1) && [[ -n "$m" ]]; do
        umount "$m" || { echo "WARNING: could not unmount $m" >&2; break; }
    done
    bench_reset "$R" --volumes
    bench_remove "$T"
}
bench_traps

mkdir -p "$R" "$S"
# The shell's scratch: a private mount of its own, so its binds never propagate.
mount --bind "$S" "$S"
mount --make-private "$S"

"$G" --root "$R" image busybox >/dev/null
"$G" --root "$R" volume create v >/dev/null
SRC=$("$G" --root "$R" --json volume inspect v | python3 -c 'import json, sys; print(json.load(sys.stdin)["path"])')
[[ -d "$SRC" ]] || { echo "glassbox volume inspect v: path $SRC is not a folder" >&2; exit 1; }

echo "$("$G" --version 2>/dev/null || echo glassbox) | $(uname -r) | $(nproc) cpus | root $R"
echo "$(mount --version | head -n1) | N=$N (BENCH_N) | volume v: $SRC"
echo "shell baseline: nsenter mkdir /data + mount --bind SRC to a private host scratch + nsenter /bin/true;"
echo "  util-linux cannot bind a host folder into a pivoted mount namespace (SRC is not"
echo "  visible inside, mount(2) MS_BIND refuses other namespaces), so the shell pays the"
echo "  same setns, mkdir, bind and exec but its bind stays on the host (header of this script)"
echo

# --- the driver: alternate, time, summarise ---------------------------------
# Run in the background and `wait`, so a signal reaches our trap at once.
BENCH_LIB=bench python3 - "$G" "$R" "$S" "$SRC" "$N" <<'PY' &
import json, os, signal, subprocess, sys, time
sys.path.insert(0, os.environ['BENCH_LIB'])  # bench/stats.py
from stats import call, header, median, p90, quiet_on_stop, row
quiet_on_stop()
G, R, S, SRC, N = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
gb = [G, "--root", R]


def timed(cmds):
    """Wall time in ns of each of cmds, run one after another."""
    t = [time.perf_counter_ns()]
    for c in cmds:
        call(c)
        t.append(time.perf_counter_ns())
    return [b - a for a, b in zip(t, t[1:])]


def mount_points(mountinfo):
    return {line.split()[4] for line in mountinfo.splitlines()}


def prepare(box):
    """Untimed: a box with its own mount namespace and the busybox root; its handle."""
    call(gb + ["create", box])
    call(gb + ["unshare", box, "mnt"])
    call(gb + ["rootfs", box, "busybox"])
    info = json.loads(call(gb + ["--json", "inspect", box], out=True))
    held = next((ns["held_by"] for ns in info["namespaces"] if ns["kind"] == "mnt"), None) or ""
    handle = held.removeprefix("bind mount ")
    if not handle.startswith("/") or not os.path.exists(handle):
        sys.exit(f"box {box}: no mnt namespace handle in `glassbox inspect` (held_by: {held!r})")
    return handle


GB = ["volume add", "run -- /bin/true"]
SH = ["nsenter mkdir -p /data", "mount --bind (host)", "nsenter /bin/true"]


def glassbox(box):
    return timed([gb + ["volume", "add", box, "v:/data"],
                  gb + ["run", box, "--", "/bin/true"]])


def shell(box, handle):
    return timed([["nsenter", f"--mount={handle}", "--", "/bin/mkdir", "-p", "/data"],
                  ["mount", "--bind", SRC, f"{S}/{box}"],
                  ["nsenter", f"--mount={handle}", "--", "/bin/true"]])


def sample(i):
    """One sample of each; 'warm' or its index. Returns (glassbox, shell) splits."""
    b, c = f"b{i}", f"c{i}"
    hb = prepare(b)
    hc = prepare(c)
    os.mkdir(f"{S}/{c}")
    if i == "warm" or i % 2 == 0:
        tg = glassbox(b); ts = shell(c, hc)
    else:
        ts = shell(c, hc); tg = glassbox(b)
    # Both must have left SRC mounted where they put it.
    if "/data" not in mount_points(call(["nsenter", f"--mount={hb}", "--", "/bin/cat",
                                         "/proc/self/mountinfo"], out=True)):
        sys.exit(f"glassbox volume add {b} v:/data: no mount at /data in the box")
    if f"{S}/{c}" not in mount_points(open("/proc/self/mountinfo").read()):
        sys.exit(f"mount --bind {SRC} {S}/{c}: not in the host's mount table")
    call(gb + ["rm", "--force", b])
    call(gb + ["rm", "--force", c])
    call(["umount", f"{S}/{c}"])
    os.rmdir(f"{S}/{c}")
    return tg, ts


sample("warm")                               # one warm-up round, not recorded
pg, ps = [], []
for i in range(N):
    tg, ts = sample(i)
    pg.append(tg); ps.append(ts)
tg = [sum(p) for p in pg]
ts = [sum(p) for p in ps]

# Nothing may still claim the volume, nor stay mounted in the scratch.
boxes = json.loads(call(gb + ["--json", "volume", "inspect", "v"], out=True)).get("boxes")
if boxes:
    print(f"WARNING: volume v still lists boxes after rm --force: {boxes}", file=sys.stderr)
left = [m for m in mount_points(open("/proc/self/mountinfo").read()) if m.startswith(S + "/")]
if left:
    print(f"WARNING: shell binds still mounted: {' '.join(sorted(left))}", file=sys.stderr)

print("volume into a box with a root filesystem, then run /bin/true in it")
print(header)
row("glassbox volume add + run", tg)
row("shell nsenter+mkdir, bind, nsenter", ts)

print("\nper command (informational: each sample above split at command boundaries)")
print(header)
for j, s in enumerate(GB):
    row(f"glassbox {s}", [p[j] for p in pg])
for j, s in enumerate(SH):
    row(f"shell {s}", [p[j] for p in ps])

print()
print(f"difference glassbox-shell: {(median(tg) - median(ts)) / 1e6:.3f} ms (medians; informational)")
print(f"ratio volume-add/(nsenter mkdir + bind): "
      f"{median([p[0] for p in pg]) / median([p[0] + p[1] for p in ps]):.2f} (informational)")
print(f"ratio run/nsenter: {median([p[1] for p in pg]) / median([p[2] for p in ps]):.2f} (informational)")
print(f"ratio volume-add+run/shell: {median(tg) / median(ts):.2f} "
      "(the ratio the issue asks for; it sets no target; the shell's bind stays on the host)")
PY
DRIVER=$!
wait "$DRIVER"
DRIVER=
