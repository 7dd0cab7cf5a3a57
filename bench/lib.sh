# bench/lib.sh — sourced by the benchmark scripts: one way to clean up after
# a run, so that a benchmark interrupted at any moment leaves the machine as
# it found it. Each script writes its own `cleanup` from these pieces and
# hands it to bench_traps. Needs $G, the glassbox binary.

# Runs `cleanup` on every exit and turns signals into a normal exit, so
# that EXIT runs on Ctrl-C too.
bench_traps() {
    trap cleanup EXIT
    trap 'exit 130' INT TERM HUP
}

# The first step of a cleanup: it is not itself interrupted, and the
# background process (the driver, a server), with the command in flight,
# stops before anything it uses goes.
bench_cleanup_start() {
    trap '' INT TERM HUP
    local pid=${1:-}
    if [[ -n $pid ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}

# `glassbox reset` of the run's root, if it was made; more arguments go to
# reset (--volumes).
bench_reset() {
    local root=$1
    shift
    [[ -d $root ]] || return 0
    "$G" --root "$root" reset "$@" >/dev/null 2>&1 || echo "WARNING: glassbox reset $* failed for $root" >&2
}

# Deletes the run's folder, never through a mount, and says what is left.
bench_remove() {
    local dir=$1
    if grep -qF "$dir" /proc/self/mountinfo; then
        echo "WARNING: mounts left behind (so $dir is kept):" >&2; grep -F "$dir" /proc/self/mountinfo >&2
    else
        rm -rf "$dir" || echo "WARNING: could not remove $dir" >&2
    fi
    if pgrep -f "$dir" >/dev/null; then
        echo "WARNING: processes left behind:" >&2; pgrep -af "$dir" >&2
    fi
}

# A fresh temp --root under BENCH_DIR (default /tmp: the filesystem the
# state lives on is part of what is measured), in R.
bench_temp_root() {
    local base="${BENCH_DIR:-/tmp}"
    [[ -d "$base" ]] || { echo "BENCH_DIR: $base is not a folder" >&2; exit 2; }
    R=$(mktemp -d "$base/gb-bench.XXXXXX")
}

# The cleanup of a run that has one root and at most one background
# driver (DRIVER): stop it, reset the root, remove it.
bench_root_cleanup() {
    bench_cleanup_start "${DRIVER:-}"
    bench_reset "$R"
    bench_remove "$R"
}


# The run's header: which glassbox, kernel, cpus and root, and N.
bench_header() {
    echo "$("$G" --version 2>/dev/null || echo glassbox) | $(uname -r) | $(nproc) cpus | root $R"
    echo "N=$N (BENCH_N)"
    echo
}

# The usual start of a run: N from BENCH_N (default 5), G the binary
# (GLASSBOX, or the release one, built now: a stale binary would measure old
# code), a temp root R, and the cleanup of one root and one driver on exit.
bench_start() {
    N="${BENCH_N:-5}"
    [[ "$N" =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "BENCH_N: a positive integer" >&2; exit 2; }
    if [[ -n ${GLASSBOX:-} ]]; then
        G="$(realpath "$GLASSBOX")"
    else
        G="$PWD/target/release/glassbox"
        scripts/build.sh --quiet
    fi
    bench_temp_root
    cleanup() { bench_root_cleanup; }
    bench_traps
}
