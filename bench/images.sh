#!/usr/bin/env bash
# bench/images.sh — what do glassbox's image import and rootfs cost on top of
# the plain tools that do the same work?
#
# A "import": `glassbox image import FILE` of a plain root filesystem tar of
#             about BENCH_IMPORT_MB MB (a few thousand small files of 1-64 KiB
#             and some multi-MB files, random bytes so nothing compresses or
#             dedups), against `tar -xf FILE -C DIR` of the same file into a
#             folder on the same filesystem. Only the import and the tar -xf
#             are timed; `image rm` and `rm -rf` after each are not.
#                                                             Target: <= 1.2x.
# B "rootfs": `glassbox rootfs BOX busybox` on a box with `mnt` and a stack of
#             5 read-only layers (busybox + 4 `layer add` folders): overlay
#             mount, /proc, /dev, /sys, /tmp and pivot_root, inside the box's
#             mount namespace. Against the whole of
#             `unshare --mount --propagation private sh -c 'mount -t overlay ...'`
#             over the same 5 layer trees, with fresh empty upper and work
#             folders. `create`, `unshare mnt`, `layer add` and `rm --force`
#             around each glassbox sample are not timed.  Target: <= 3x.
#
# Only ratios against baselines measured in this same run are meaningful. The
# contenders are alternated inside one loop rather than run in blocks, so CPU
# frequency changes, cache state and background load hit both alike and
# cancel in the ratio. A's few, long samples go a b, b a, a b, ... so that a
# drift over the run (the filesystem filling, freed inodes piling up) does not
# always favour whoever goes first. Each call is timed on its own with a
# nanosecond clock (time.perf_counter_ns); we report median and p90. Between
# samples an untimed `sync` writes back the previous sample's dirty pages, so
# one contender's writeback does not land in the other's time.
#
# The filesystem matters for A: both contenders create ~4000 files right after
# the previous sample deleted as many. On ext4 *without a journal*, the inode
# allocator skips inodes freed in the last minutes (recently_deleted() in
# fs/ext4/ialloc.c) and pays a buffer-cache lookup for each one it skips, so
# file creation there can cost ~0.5 ms and swamp what is measured; the script
# warns when it sees such a filesystem. BENCH_DIR=/dev/shm measures on tmpfs.
#
# Usage: bench/images.sh
#   env: BENCH_IMPORT_MB (default 200), BENCH_IMPORT_N (default 3),
#        BENCH_ROOTFS_N (default 20), BENCH_DIR (where the temp folder goes,
#        default /tmp)
# Needs root, python3, GNU tar, util-linux, busybox-static (for `image busybox`)
# and about 3x BENCH_IMPORT_MB of free space in BENCH_DIR. All state (the tar,
# the glassbox root, tar's target folders, the layer folders) lives in one temp
# folder that is reset and deleted on exit, also on failure or Ctrl-C.
set -euo pipefail

cd "$(dirname "$0")/.."
G="$PWD/target/release/glassbox"
MB="${BENCH_IMPORT_MB:-200}"
NI="${BENCH_IMPORT_N:-3}"
NR="${BENCH_ROOTFS_N:-20}"
[[ "$MB$NI$NR" =~ ^[0-9]+$ && $MB -gt 0 && $NI -gt 0 && $NR -gt 0 ]] \
    || { echo "BENCH_IMPORT_MB, BENCH_IMPORT_N, BENCH_ROOTFS_N: positive integers" >&2; exit 2; }

BASE="${BENCH_DIR:-/tmp}"
[[ -d "$BASE" ]] || { echo "BENCH_DIR: $BASE is not a folder" >&2; exit 2; }

# Always build: a stale binary would measure old code (a no-op when fresh).
scripts/build.sh --quiet

source bench/lib.sh
T=$(mktemp -d "$BASE/gb-bench-images.XXXXXX")    # everything: the tar, R, tar's targets, layer folders
R="$T/root"                                    # glassbox --root
W="$T/work"                                    # tar -xf targets, overlay upper/work/merged for the baseline

cleanup() {
    bench_cleanup_start "${DRIVER:-}"
    bench_reset "$R"
    bench_remove "$T"
}
bench_traps

mkdir -p "$R" "$W"

FSTYPE=$(findmnt -no FSTYPE -T "$T" | tail -n 1)   # the top mount if stacked
echo "$("$G" --version 2>/dev/null || echo glassbox) | $(uname -r) | $(nproc) cpus | temp $T ($FSTYPE)"
if [[ "$FSTYPE" == ext4 ]]; then              # journal-less ext4: see the note at the top
    DEV=$(basename "$(readlink -f "/sys/dev/block/$(findmnt -no MAJ:MIN -T "$T" | tail -n 1 | tr -d " ")")")
    if [[ -d /proc/fs/jbd2 ]] && ! compgen -G "/proc/fs/jbd2/$DEV-*" >/dev/null; then
        echo "WARNING: $BASE is ext4 without a journal ($DEV): creating files right after deleting many is slow there" >&2
        echo "WARNING: and import times are mostly that; BENCH_DIR=/dev/shm measures on tmpfs instead" >&2
    fi
fi
echo "import: ~${MB} MB tar, N=$NI (BENCH_IMPORT_MB, BENCH_IMPORT_N); rootfs: 5 layers, N=$NR (BENCH_ROOTFS_N)"
echo

# --- the driver: build inputs, alternate, time, summarise --------------------
# Run in the background and `wait`, so a signal reaches our trap at once.
BENCH_LIB=bench python3 - "$G" "$T" "$R" "$W" "$MB" "$NI" "$NR" <<'PY' &
import io, json, math, os, random, signal, subprocess, sys, tarfile, time
sys.path.insert(0, os.environ['BENCH_LIB'])  # bench/stats.py
from stats import call, header, median, p90, quiet_on_stop, row
quiet_on_stop()
G, T, R, W = sys.argv[1:5]
MB, NI, NR = (int(x) for x in sys.argv[5:8])
gb = [G, "--root", R]

def timed(argv):
    """Wall time in ns of one command."""
    t0 = time.perf_counter_ns()
    call(argv)
    return time.perf_counter_ns() - t0


def settle():
    """Untimed: write back dirty pages so they do not land in the next sample."""
    os.sync()

# --- A: the root filesystem tar ---------------------------------------------
# About 3/5 of the bytes in small files (1-64 KiB, spread over a /usr-like
# tree of folders), the rest in multi-MB files (2-12 MiB). Random bytes, a
# fixed seed: the same archive every run for a given size.
rng = random.Random(1)
target = MB << 20
small_budget = target * 3 // 5
TAR = os.path.join(T, "rootfs.tar")
files = bytes_ = 0
t0 = time.perf_counter()
with open(TAR, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.GNU_FORMAT) as tf:
    def add_dir(path):
        ti = tarfile.TarInfo(path); ti.type = tarfile.DIRTYPE; ti.mode = 0o755
        ti.mtime = 1700000000; tf.addfile(ti)
    def add_file(path, size, mode=0o644):
        global files, bytes_
        ti = tarfile.TarInfo(path); ti.size = size; ti.mode = mode; ti.mtime = 1700000000
        tf.addfile(ti, io.BytesIO(rng.randbytes(size)))
        files += 1; bytes_ += size
    tops = ["bin", "etc", "lib", "usr", "usr/bin", "usr/lib", "usr/share", "var", "var/lib", "opt"]
    for d in tops:
        add_dir(d)
    dirs = []
    i = 0
    while bytes_ < small_budget:
        if i % 40 == 0:                        # a new folder every 40 files
            d = f"{tops[len(dirs) % len(tops)]}/pkg{len(dirs):04d}"
            add_dir(d); dirs.append(d)
        add_file(f"{dirs[-1]}/f{i:05d}", rng.randint(1 << 10, 64 << 10))
        i += 1
    add_dir("opt/big")
    j = 0
    while bytes_ < target:
        add_file(f"opt/big/blob{j:03d}", min(rng.randint(2 << 20, 12 << 20), max(target - bytes_, 1 << 20)), 0o755)
        j += 1
    ti = tarfile.TarInfo("bin/sh"); ti.type = tarfile.SYMTYPE; ti.linkname = "busybox"; tf.addfile(ti)
tar_mb = os.path.getsize(TAR) / (1 << 20)
print(f"built {TAR}: {files} files ({j} of 2-12 MiB), {bytes_/(1<<20):.1f} MiB of contents, "
      f"{tar_mb:.1f} MiB tar, in {time.perf_counter()-t0:.1f} s")

def import_once(i):
    ta["glassbox image import"].append(timed(gb + ["image", "import", TAR, "--name", f"img{i}"]))
    call(gb + ["image", "rm", f"img{i}"])
    settle()

def tar_once(i):
    d = os.path.join(W, f"x{i}")
    os.mkdir(d)
    ta["tar -xf"].append(timed(["tar", "-xf", TAR, "-C", d]))
    call(["rm", "-rf", d])
    settle()

ta = {"glassbox image import": [], "tar -xf": []}
settle()
for i in range(NI):
    for run in ((import_once, tar_once) if i % 2 == 0 else (tar_once, import_once)):
        run(i)
os.unlink(TAR)                                 # free the disk before B

# --- B: rootfs over 5 layers --------------------------------------------------
call(gb + ["image", "busybox"])
LAYERS = []                                    # 4 small folders for `layer add`
for k in range(1, 5):
    src = os.path.join(T, f"layer{k}")
    for sub in ["etc", f"opt/l{k}", "usr/share/doc"]:
        os.makedirs(os.path.join(src, sub), exist_ok=True)
    with open(os.path.join(src, "etc", f"layer{k}.conf"), "w") as f:
        f.write(f"layer {k}\n")
    for m in range(10):
        with open(os.path.join(src, f"opt/l{k}", f"file{m}"), "wb") as f:
            f.write(rng.randbytes(rng.randint(100, 8 << 10)))
    with open(os.path.join(src, "usr/share/doc", "motd"), "w") as f:
        f.write(f"layer {k} is on top\n")       # the same name in every layer: the top one wins
    LAYERS.append(src)

def make_box(name):
    """Untimed setup: a box with mnt and 4 folder layers over the image."""
    call(gb + ["create", name])
    call(gb + ["unshare", name, "mnt"])
    for src in LAYERS:
        call(gb + ["layer", "add", name, src])

# The lower trees glassbox stacks, top first, from the box's model: one warm-up
# box, not recorded, also checks that all the steps work before we time them.
make_box("warmup")
call(gb + ["rootfs", "warmup", "busybox"])
model = json.loads(call(gb + ["--json", "inspect", "warmup"], out=True))
rootfs = model.get("rootfs") or {}
lower = rootfs.get("lowerdir") or ":".join(
    l["path"] for l in rootfs.get("layers", []) if l.get("role") != "container")
n_lower = len(lower.split(":"))
if n_lower != 5:
    sys.exit(f"FAILED: expected 5 lower layers, the box has {n_lower}: {lower}")
call(gb + ["rm", "--force", "warmup"])
print("rootfs: lower layers (top first): "
      + " ".join(os.path.basename(os.path.dirname(p)).removeprefix("sha256-")[:12] for p in lower.split(":")))

tb = {"glassbox rootfs (5 layers)": [], "unshare + mount overlay": []}
for i in range(NR):
    box = f"b{i}"
    make_box(box)
    tb["glassbox rootfs (5 layers)"].append(timed(gb + ["rootfs", box, "busybox"]))
    call(gb + ["rm", "--force", box])
    d = os.path.join(W, f"ov{i}")
    u, w, m = (os.path.join(d, s) for s in ("upper", "work", "merged"))
    for p in (u, w, m):
        os.makedirs(p)
    tb["unshare + mount overlay"].append(timed([
        "unshare", "--mount", "--propagation", "private", "sh", "-c",
        f"mount -t overlay overlay -o lowerdir={lower},upperdir={u},workdir={w} {m}"]))
    call(["rm", "-rf", d])

print()
print(f"A  import a {tar_mb:.0f} MiB root filesystem tar")
print(header)
for k, xs in ta.items():
    row(k, xs)
print("\nB  root filesystem over 5 layers")
print(header)
for k, xs in tb.items():
    row(k, xs)

m = {k: median(v) for k, v in {**ta, **tb}.items()}
print()
print(f"ratio import/tar-xf: {m['glassbox image import'] / m['tar -xf']:.2f} (target <= 1.2)")
print(f"ratio rootfs/mount-overlay: "
      f"{m['glassbox rootfs (5 layers)'] / m['unshare + mount overlay']:.2f} (target <= 3)")
PY
DRIVER=$!
wait "$DRIVER"
DRIVER=
