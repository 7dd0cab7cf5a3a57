#!/usr/bin/env bash
# scripts/demo.sh — the guided tour: build one box, one isolation step at a
# time, and look at what changed after each step.
#
#   sudo scripts/demo.sh           # runs straight through (fine for CI)
#   sudo scripts/demo.sh --pause   # waits for Enter before each step
#
# Every command shown really runs, against a throwaway state root (--root in
# a fresh temp folder), so the demo never touches your own boxes. On any
# exit, success or not, `glassbox reset` removes everything the demo made and
# the folder is deleted. The script exits non-zero if any step fails or shows
# something other than what it explains.
set -euo pipefail

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

PAUSE=
for arg in "$@"; do
    case $arg in
        --pause) PAUSE=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "demo.sh: unknown option '$arg' (use --pause, or nothing)" >&2; exit 2 ;;
    esac
done

if [[ $(id -u) -ne 0 ]]; then
    echo "demo.sh must run as root: glassbox makes namespaces and mounts. Try: sudo $0" >&2
    exit 2
fi

cd "$(dirname "$0")/.."
if command -v glassbox >/dev/null; then
    GB=$(command -v glassbox)
elif [[ -x target/release/glassbox ]]; then
    GB=$PWD/target/release/glassbox
else
    echo "demo.sh: no glassbox binary: run scripts/setup.sh first (or scripts/build.sh)" >&2
    exit 1
fi

if [[ -t 1 ]]; then
    BOLD=$(tput bold 2>/dev/null || true)
    PLAIN=$(tput sgr0 2>/dev/null || true)
else
    BOLD='' PLAIN=''
fi

STEP=0
ROOT=$(mktemp -d /tmp/glassbox-demo.XXXXXX)
cleanup() {
    local rc=$?
    trap - EXIT
    trap '' INT TERM HUP # let the cleanup finish
    if [[ $rc -ne 0 && $rc -ne 130 && -z ${FAILED:-} ]]; then
        echo "demo.sh: FAILED at step $STEP (exit code $rc)" >&2
    fi
    echo
    echo "${BOLD}Cleaning up${PLAIN}"
    echo "\$ glassbox reset"
    if ! "$GB" --root "$ROOT" reset; then
        echo "demo.sh: WARNING: glassbox reset failed for $ROOT" >&2
        rc=1
    fi
    rm -rf "$ROOT" || { echo "demo.sh: WARNING: could not remove $ROOT" >&2; rc=1; }
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP # a normal exit, so the EXIT trap runs

# step TITLE LINE...: a bold heading and what is about to change, and why.
step() {
    STEP=$((STEP + 1))
    if [[ -n $PAUSE ]]; then
        read -r -p "(press Enter for step $STEP) " _ || true
    fi
    echo
    echo "${BOLD}== Step $STEP: $1 ==${PLAIN}"
    shift
    local line
    for line in "$@"; do echo "$line"; done
    echo
}

# gb ARGS...: show the command as a learner would type it, then run it.
gb() {
    echo "\$ glassbox $*"
    "$GB" --root "$ROOT" "$@"
}

# capture ARGS...: like gb, and keep the command's output in $out for checks.
capture() {
    echo "\$ glassbox $*"
    out=$("$GB" --root "$ROOT" "$@")
    echo "$out"
}

# after LINE...: what to notice in the output just shown.
after() {
    echo
    local line
    for line in "$@"; do echo "-> $line"; done
}

fail() {
    echo "demo.sh: FAILED at step $STEP: $*" >&2
    FAILED=1
    exit 1
}

# The namespace table of `inspect` (KIND BOX HOST ISOLATED HELD BY).
ns_table() {
    local out table
    out=$("$GB" --root "$ROOT" inspect demo)
    table=$(awk '/^KIND/ {on = 1} on && /^$/ {exit} on' <<<"$out")
    echo "\$ glassbox inspect demo    (the namespace table)"
    if [[ -n $table ]]; then echo "$table"; else echo "$out"; fi
}

HOST_NAME=$(hostname)

echo "${BOLD}glassbox demo${PLAIN}: one box, built one isolation step at a time."
echo "Using $GB. Everything lives under $ROOT (glassbox --root),"
echo "which is removed when the demo ends. The commands below leave out --root."

step "create an empty box" \
    "A box starts with no isolation at all: it is only a name and a record." \
    "Each later step gives it one more kind of namespace."
gb create demo
echo
ns_table
after "every kind says ISOLATED no: the box shares all eight namespaces with the host"

step "run a command in it: the \"before\" picture" \
    "With no namespaces yet, a command run in the box is an ordinary host process," \
    "so it sees the host's name."
capture run demo -- hostname
[[ $out == "$HOST_NAME" ]] || fail "expected the host's name '$HOST_NAME'"
after "the box answered '$HOST_NAME', the host's own name"

step "a UTS namespace: the box gets its own hostname" \
    "UTS namespaces hold the hostname. --explain prints every kernel operation as" \
    "it runs: the syscall, the shell command that does the same, and why."
gb --explain unshare demo uts --hostname glassbox-demo 2>&1
after "a helper process called unshare(CLONE_NEWUTS) and sethostname(), and a bind" \
    "mount of its /proc/PID/ns/uts keeps the namespace alive after the helper exited"

step "run hostname again" \
    "Same command as in step 2; now it runs inside the box's UTS namespace."
capture run demo -- hostname
[[ $out == glassbox-demo ]] || fail "expected glassbox-demo inside the box"
echo "\$ hostname    (on the host)"
hostname
[[ $(hostname) == "$HOST_NAME" ]] || fail "the host's name changed"
after "inside: glassbox-demo; the host is still '$HOST_NAME'"

step "PID and mount namespaces" \
    "A PID namespace gives the box its own PID 1: glassbox starts its box init there," \
    "which also keeps the namespace alive. A mount namespace gives the box its own" \
    "mount table, so it can mount its own /proc that shows only the box's processes."
gb unshare demo pid mnt
echo
ns_table
after "mnt and pid are now ISOLATED yes; pid is held by the init process, not a bind mount"

step "look at the processes from inside" \
    "ps reads /proc, and the box's /proc belongs to its PID namespace."
capture run demo -- ps -ef
grep -Eq '^\S+ +1 +0 .*glassbox-init' <<<"$out" || fail "expected glassbox-init as PID 1"
after "PID 1 is glassbox-init; ps itself is its child. The host has" \
    "$(ps -e --no-headers | wc -l) processes, none of which the box can see"

step "a network namespace" \
    "A new network namespace has its own devices, addresses, routes and ports." \
    "It starts with only a loopback device, which glassbox brings up."
gb unshare demo net
echo
ns_table
after "net is now ISOLATED yes, held by a bind mount"

step "look at the network from inside"
capture run demo -- ip -o link
[[ $(grep -c . <<<"$out") -eq 1 && $out == *": lo:"* ]] || fail "expected only lo inside the box"
echo "\$ ip -o link | wc -l    (on the host)"
ip -o link | wc -l
after "inside the box there is only lo; the host's devices are out of sight"

step "the whole box" \
    "inspect shows, for each namespace kind, the box's inode next to the host's," \
    "whether it is isolated and what holds it; then the processes and the steps."
gb inspect demo
after "uts, mnt, net and pid differ from the host; user, ipc, cgroup and time are" \
    "still shared (try: glassbox unshare demo ipc)"

step "history: every step, recorded" \
    "Each step was recorded with the kernel operations it made."
echo "\$ glassbox history demo"
out=$("$GB" --root "$ROOT" history demo)
steps=$(grep -E '^step [0-9]+:' <<<"$out" || true)
if [[ -n $steps ]]; then
    echo "$steps"
    echo "   (only the step lines; the full output lists each step's kernel operations)"
else
    echo "$out"
fi
script=$("$GB" --root "$ROOT" history demo --script)
after "glassbox history demo --script turns the same record into a shell script" \
    "($(wc -l <<<"$script") lines) that rebuilds this isolation with util-linux tools" \
    "only: unshare, nsenter, mount. Read it to see how each step is done by hand."

echo
echo "${BOLD}Done.${PLAIN} Now build a container yourself, one kernel feature at a time:"
echo "  sudo glassbox lesson list        # the course: every lesson, what is done"
echo "  sudo glassbox lesson start 01    # the first lesson (then: lesson show, check, hint)"
echo "The book explains each step: book/src/ (build it with 'mdbook build book'; start at"
echo "book/src/getting-started/lessons.md). 'glassbox --help' lists every command."
