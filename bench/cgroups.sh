#!/usr/bin/env bash
# bench/cgroups.sh — what does a box's cgroup life cycle cost in glassbox, on
# top of a shell doing the same cgroupfs writes?
#
# a "cycle": one sample is, timed together,
#              glassbox create cI
#              glassbox limit cI --memory 64M --pids 32 --cpus 0.5
#              glassbox run cI -- /bin/true     (joins the box's cgroup, then execs)
#              glassbox rm --force cI
# b "shell": one sample is one `sh -c` script doing the same cgroupfs work:
#              mkdir the box's cgroup in every hierarchy glassbox uses, write the
#              same values to the same files, attach with
#              `sh -c 'echo $$ > …/cgroup.procs; …; exec /bin/true'`, rmdir
#              bottom-up. It lives under a parent of its own, gb-bench-shell-PID.
#
# The shell script is not written by hand: at start-up glassbox is asked
# (`--explain limit`, `--explain run`) which mkdirs and writes it performs on
# this machine, and the shell mirrors exactly those, in the same order, with
# glassbox-HASH/<box> replaced by gb-bench-shell-PID/<box>. The layout is also
# detected here (v2: /sys/fs/cgroup/cgroup.controllers exists; else v1 or
# hybrid) and the explained operations are checked against it, so a mismatch
# aborts instead of measuring the wrong thing. Like glassbox, which makes its
# per-root parent (glassbox-HASH) on first use and keeps it until `reset`, the
# shell's parent is made once before the loop, untimed; per sample both do
# only the box-level work. mkdir and rmdir are not shell builtins: the shell
# runs one `mkdir` and one `rmdir` with all the box's folders as arguments, so
# the kernel sees the same mkdir()/rmdir() calls as glassbox makes, one each.
#
# There is no target for this benchmark: `ratio cycle/shell` is the number the
# issue asks for. Only ratios against baselines measured in this same run are
# meaningful. The two are alternated inside one loop (a, b, a, b, ...) after
# one unrecorded warm-up round, so CPU frequency changes, cache state and
# background load hit both alike. Each sample is timed with a nanosecond clock
# (time.perf_counter_ns); we report median and p90. Each glassbox sample is
# also split at the command boundaries (no extra runs), which gives the
# informational per-command table; a third, informational contender in the
# same loop, four `glassbox --version`, is the floor of four glassbox process
# start-ups with no work in them.
#
# Every sample starts after an untimed pause of BENCH_GAP_MS. Without it the
# order of the loop decides the result: the first write to a cgroup.procs
# (moving a process between cgroups) waits for an RCU grace period, 10-25 ms
# here, unless another such move happened in the last ~20-50 ms. In a
# back-to-back loop the shell's attach comes a few ms after glassbox's and
# rides on it, while glassbox's comes ~25 ms after the shell's and mostly pays:
# the "run" step looked 3x slower than it is. After the pause every sample
# starts from the same idle state, the one a single command typed by a user
# sees, and both contenders pay the grace period alike.
#
# Usage: bench/cgroups.sh
#   env: BENCH_N (default 30), BENCH_GAP_MS (default 100),
#        BENCH_GLASSBOX (the binary; default target/release/glassbox, built if
#        missing), BENCH_SHOW_SCRIPT=1 (print the shell baseline's script)
# Needs root, python3, a cgroup v1 or v2 hierarchy under /sys/fs/cgroup. All
# state lives in a temp folder (glassbox --root inside it) that is reset and
# deleted on exit, also on failure or Ctrl-C; the shell's cgroups are removed
# bottom-up; leftover cgroup folders are reported.
set -euo pipefail

cd "$(dirname "$0")/.."
G="${BENCH_GLASSBOX:-$PWD/target/release/glassbox}"
N="${BENCH_N:-30}"
GAP="${BENCH_GAP_MS:-100}"
[[ "$N" =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "BENCH_N: a positive integer" >&2; exit 2; }
[[ "$GAP" =~ ^[0-9]+$ ]] || { echo "BENCH_GAP_MS: a whole number of milliseconds" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "bench/cgroups.sh needs root (it writes cgroupfs)" >&2; exit 2; }

if [[ ! -x "$G" ]]; then
    [[ -z "${BENCH_GLASSBOX:-}" ]] || { echo "BENCH_GLASSBOX=$G: not an executable" >&2; exit 2; }
    echo "building $G ..." >&2; scripts/build.sh --quiet
fi

CG=/sys/fs/cgroup
LIMITS=(--memory 64M --pids 32 --cpus 0.5)
source bench/lib.sh
T=$(mktemp -d /tmp/gb-bench-cgroups.XXXXXX)   # the glassbox root and the explain captures
R="$T/root"
SHELLCG="gb-bench-shell-$$"                    # the shell baseline's parent cgroup name

# cgroup folders this run may make, for the leftover check: glassbox's parent
# for $R (its name is learnt from --explain below) and the shell's parent.
GBCG=""
find_ours() {
    find "$CG" -maxdepth 3 \( -name "$SHELLCG" ${GBCG:+-o -name "$GBCG"} \) -type d 2>/dev/null
}
# the check the issue asks for: any glassbox* / gb-bench* cgroup folder
find_any() {
    find "$CG" -maxdepth 3 -name 'glassbox*' -o -maxdepth 3 -name 'gb-bench*' 2>/dev/null
}
BEFORE=$(find_any | sort)

cleanup() {
    bench_cleanup_start "${DRIVER:-}"
    bench_reset "$R"
    # the shell's cgroups, children before parents (find -depth)
    find "$CG" -mindepth 1 -maxdepth 4 -depth -type d \( -name "$SHELLCG" -o -path "*/$SHELLCG/*" \) \
        -exec rmdir {} + 2>/dev/null || true
    bench_remove "$T"
    local left
    left=$(find_ours)
    if [[ -n "$left" ]]; then
        echo "WARNING: cgroup folders left behind by this run:" >&2; echo "$left" >&2
    fi
    left=$(comm -13 <(echo "$BEFORE") <(find_any | sort) \
           | grep -v -e "/$SHELLCG\(/\|\$\)" ${GBCG:+-e "/$GBCG\(/\|\$\)"} || true)
    if [[ -n "$left" ]]; then
        echo "WARNING: new glassbox*/gb-bench* cgroup folders, not from this run (a parallel test?):" >&2
        echo "$left" >&2
    fi
}
bench_traps

mkdir -p "$R"

# --- the layout, and what glassbox does on it --------------------------------
if [[ -e "$CG/cgroup.controllers" ]]; then LAYOUT=v2; else LAYOUT=v1; fi

# First use under a fresh root: glassbox also makes its per-root parent.
"$G" --root "$R" create probe0 >/dev/null
"$G" --root "$R" --explain limit probe0 "${LIMITS[@]}" >"$T/explain-first" 2>&1 \
    || { cat "$T/explain-first" >&2; echo "glassbox limit failed" >&2; exit 1; }
"$G" --root "$R" rm --force probe0 >/dev/null
# Steady state (what every timed sample does): the parent exists already.
"$G" --root "$R" create probe >/dev/null
"$G" --root "$R" --explain limit probe "${LIMITS[@]}" >"$T/explain-limit" 2>&1
"$G" --root "$R" --explain run probe -- /bin/true >"$T/explain-run" 2>&1
"$G" --root "$R" rm --force probe >/dev/null
GBCG=$(grep -o -m1 'glassbox-[0-9a-f]*' "$T/explain-first" || true)
[[ -n "$GBCG" ]] || { cat "$T/explain-first" >&2; echo "no glassbox-HASH cgroup in the explain output above" >&2; exit 1; }

echo "$("$G" --version 2>/dev/null || echo glassbox) | $(uname -r) | $(nproc) cpus | root $R"
GBLAYOUT=$(grep -o -m1 'cgroup (v[12])' "$T/explain-first" | grep -o 'v[12]' || echo '?')
[[ $GBLAYOUT == "$LAYOUT" ]] || { cat "$T/explain-first" >&2; echo "detected $LAYOUT, glassbox says $GBLAYOUT" >&2; exit 1; }
echo "cgroup layout: $LAYOUT ($([[ $LAYOUT == v2 ]] && echo "$CG/cgroup.controllers exists" || echo "no $CG/cgroup.controllers: v1 or hybrid")), glassbox agrees"
NOTE=$(grep -m1 -i '^this machine' "$T/explain-first" || true)
[[ -z "$NOTE" ]] || echo "glassbox: $NOTE"
echo "N=$N (BENCH_N), limits: ${LIMITS[*]}, untimed pause before every sample: ${GAP} ms (BENCH_GAP_MS)"

# --- the driver: build the shell script, alternate, time, summarise ----------
# Run in the background and `wait`, so a signal reaches our trap at once.
BENCH_LIB=bench python3 - "$G" "$R" "$N" "$GAP" "$LAYOUT" "$CG" "$GBCG" "$SHELLCG" "$T" "${LIMITS[@]}" <<'PY' &
import glob, math, os, re, shlex, signal, subprocess, sys, time
sys.path.insert(0, os.environ['BENCH_LIB'])  # bench/stats.py
from stats import call, median, p90, quiet_on_stop
quiet_on_stop()
G, R, N, GAP, LAYOUT, CG, GBCG, SHELLCG, T = sys.argv[1:10]
N, GAP = int(N), int(GAP) / 1000
LIMITS = sys.argv[10:]
gb = [G, "--root", R]

# --- parse glassbox's explained operations ----------------------------------
OP = re.compile(r'^\s*\d+\.\s+\[host\s*\]\s+(mkdir|write)\("([^"]*)"(?:, "([^"]*)")?\)\s*$')
ATTACH = re.compile(r'write\("([^"]*/cgroup\.procs)", getpid\(\)\)')

def ops(path):
    out = []
    for line in open(path):
        m = OP.match(line)
        if m:
            out.append((m[1], m[2], m[3]))
    return out

def die(msg, *files):
    for f in files:
        sys.stderr.write(open(f).read())
    sys.exit(f"bench/cgroups.sh: {msg}")

first, limit = ops(f"{T}/explain-first"), ops(f"{T}/explain-limit")
attach = ATTACH.findall(open(f"{T}/explain-run").read())
if not limit or not attach:
    die("could not read the cgroup operations from glassbox --explain (above)",
        f"{T}/explain-limit", f"{T}/explain-run")

def to_shell(path, box):
    """glassbox's path -> the same place under the shell's parent."""
    p = re.sub(rf"/{re.escape(GBCG)}(?=/|$)", f"/{SHELLCG}", path)
    return re.sub(r"/probe0?(?=/|$)", f"/{box}", p)

# Everything must sit in cgroupfs, in glassbox's own parent: anything else
# would be work the shell cannot mirror under its own parent.
# (A write above it, such as enabling controllers in the root's
# cgroup.subtree_control on v2, is mirrored as it is: glassbox did it already.)
for kind, path, _ in first:
    if not path.startswith(CG + "/") or (kind == "mkdir" and f"/{GBCG}" not in path):
        die(f"unexpected operation outside {CG}: {kind} {path}", f"{T}/explain-first")
box_dir = re.compile(rf"/{re.escape(GBCG)}/probe(/|$)")
for kind, path, _ in limit:
    if not box_dir.search(path):
        die(f"steady-state limit touches more than the box's cgroup: {kind} {path}", f"{T}/explain-limit")

# The explained operations must fit the layout detected by the shell script.
mkdirs = [p for k, p, _ in limit if k == "mkdir"]
files = {os.path.basename(p) for k, p, _ in limit if k == "write"}
if LAYOUT == "v2":
    want = {"memory.max", "pids.max", "cpu.max"}
    where_ok = all(os.path.dirname(os.path.dirname(d)) == CG for d in mkdirs)
else:
    want = {"memory.limit_in_bytes", "pids.max", "cpu.cfs_quota_us"}
    where_ok = all(os.path.dirname(os.path.dirname(os.path.dirname(d))) == CG for d in mkdirs)
if not mkdirs or not want <= files or not where_ok:
    die(f"glassbox's operations do not match the detected {LAYOUT} layout "
        f"(writes {sorted(files)}, mkdirs {mkdirs})", f"{T}/explain-limit")
hier = sorted({d[len(CG) + 1:].split("/")[0] for d in mkdirs}) if LAYOUT == "v1" else ["(unified)"]

# --- the shell baseline ------------------------------------------------------
# Parent, once, untimed: what glassbox did on first use and not since.
first_box = re.compile(rf"/{re.escape(GBCG)}/probe0(/|$)")
parent = [op for op in first if not first_box.search(op[1])]
for kind, path, value in parent:
    p = to_shell(path, "-")
    if kind == "mkdir":
        os.mkdir(p)
    else:
        with open(p, "w") as f:
            f.write(value)

def shell_script(box):
    q = lambda p: shlex.quote(to_shell(p, box))
    dirs = [q(p) for k, p, _ in limit if k == "mkdir"]
    lines = ["set -e", "mkdir " + " ".join(dirs)]
    lines += [f"echo {shlex.quote(v)} > {q(p)}" for k, p, v in limit if k == "write"]
    inner = "set -e; " + "; ".join(f"echo $$ > {q(p)}" for p in attach) + "; exec /bin/true"
    lines.append("sh -c " + shlex.quote(inner))
    lines.append("rmdir " + " ".join(reversed(dirs)))       # bottom-up
    return "\n".join(lines)

print(f"per sample, both: {len(mkdirs)} mkdir, {len(limit) - len(mkdirs)} limit writes, "
      f"{len(attach)} cgroup.procs writes, {len(mkdirs)} rmdir; hierarchies: {' '.join(hier)}")
star = "*/" if LAYOUT == "v1" else ""
print(f"parent made once, untimed: {CG}/{star}{GBCG} (glassbox), {CG}/{star}{SHELLCG} (shell): "
      f"{sum(k == 'mkdir' for k, _, _ in parent)} mkdir, {sum(k == 'write' for k, _, _ in parent)} writes")
if os.environ.get("BENCH_SHOW_SCRIPT"):
    print("shell parent, once:\n" + "\n".join(
        f"    {k} {to_shell(p, '-')}" + (f" <- {v!r}" if v is not None else "") for k, p, v in parent))
    print("shell sample script:\n" + "\n".join("    " + l for l in shell_script("cI").splitlines()))
print()

# --- timing --------------------------------------------------------------

STEPS = ["create", "limit", "run -- /bin/true", "rm --force"]

def cycle(box):
    """One glassbox sample: the wall time of each command, back to back."""
    cmds = [gb + ["create", box], gb + ["limit", box] + LIMITS,
            gb + ["run", box, "--", "/bin/true"], gb + ["rm", "--force", box]]
    time.sleep(GAP)
    t = [time.perf_counter_ns()]
    for c in cmds:
        call(c)
        t.append(time.perf_counter_ns())
    return [b - a for a, b in zip(t, t[1:])]

def startup():
    time.sleep(GAP)
    t0 = time.perf_counter_ns()
    for _ in STEPS:
        call(gb + ["--version"])
    return time.perf_counter_ns() - t0

def shell(box):
    argv = ["sh", "-c", shell_script(box)]      # built before the clock starts
    time.sleep(GAP)
    t0 = time.perf_counter_ns()
    call(argv)
    return time.perf_counter_ns() - t0


cycle("warm"); shell("warm"); startup()      # one warm-up round, not recorded
parts, tsh, tup = [], [], []
for i in range(N):
    parts.append(cycle(f"c{i}"))
    tsh.append(shell(f"c{i}"))
    tup.append(startup())
tgb = [sum(p) for p in parts]

# Both contenders must have removed their box-level cgroups.
for name, parent_name in (("glassbox rm --force", GBCG), ("shell rmdir", SHELLCG)):
    left = glob.glob(f"{CG}/{parent_name}/*/") + glob.glob(f"{CG}/*/{parent_name}/*/")
    if left:
        print(f"WARNING: {name} left {len(left)} cgroup folder(s): {' '.join(sorted(left)[:6])}"
              f"{' ...' if len(left) > 6 else ''}", file=sys.stderr)

W = 40
def row(name, xs, extra=""):
    print(f"  {name:<{W}} {median(xs)/1e6:>9.3f} {p90(xs)/1e6:>9.3f} {len(xs):>6}{extra}")

print("cgroup life cycle: create + limit " + " ".join(LIMITS) + " + run -- /bin/true + rm --force")
print(f"  {'contender':<{W}} {'median ms':>9} {'p90 ms':>9} {'n':>6}")
row("glassbox create+limit+run+rm", tgb)
row(f"shell mkdir+write+attach+rmdir ({LAYOUT})", tsh)

print("\nper glassbox command (informational: each sample above split at command boundaries)")
print(f"  {'command':<{W}} {'median ms':>9} {'p90 ms':>9} {'n':>6} {'share':>6}")
total = sum(median([p[j] for p in parts]) for j in range(len(STEPS)))
for j, s in enumerate(STEPS):
    xs = [p[j] for p in parts]
    row(f"glassbox {s}", xs, f" {100 * median(xs) / total:>5.0f}%")
row("4 x glassbox --version (start-up floor)", tup, f" {100 * median(tup) / total:>5.0f}%")

print()
print(f"difference cycle-shell: {(median(tgb) - median(tsh)) / 1e6:.3f} ms (medians; informational)")
print(f"ratio cycle/shell: {median(tgb) / median(tsh):.2f} "
      "(the ratio the issue asks for; it sets no target)")
PY
DRIVER=$!
wait "$DRIVER"
DRIVER=
