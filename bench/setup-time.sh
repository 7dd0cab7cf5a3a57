#!/usr/bin/env bash
# bench/setup-time.sh — how long scripts/setup.sh takes on a fresh Debian 12,
# the README's first command on a new classroom VM. Not part of CI: it
# downloads a Debian system, a Rust toolchain and glassbox's crates.
#
#   sudo bench/setup-time.sh [--tests] [--keep] [DIR]
#
# debootstraps bookworm into DIR (default /var/tmp/fresh-deb, which must not
# exist), from the Debian mirror this host's apt uses, with bookworm-updates
# and bookworm-security as a fresh install has them; copies a `git archive`
# of HEAD (so: commit first) into /root/glassbox there; binds /proc, /sys,
# /dev and /dev/pts; and times `scripts/setup.sh` in a chroot. With --tests
# it then times scripts/setup-tests.sh as well. setup.sh's own last line
# splits the time into its phases (apt, crates download, build).
#
# Every bind is unmounted and DIR removed (unless --keep) when the run
# ends, also on failure or Ctrl-C; DIR is never removed while anything is
# still mounted under it.
#
# Exit codes: 0 measured, 1 a step failed, 2 bad usage or not root.
set -euo pipefail

TESTS= KEEP= DIR=/var/tmp/fresh-deb
for a in "$@"; do
    case $a in
        --tests) TESTS=1 ;;
        --keep) KEEP=1 ;;
        -*) echo "usage: $0 [--tests] [--keep] [DIR]" >&2; exit 2 ;;
        *) DIR=$a ;;
    esac
done
[[ $(id -u) -eq 0 ]] || { echo "setup-time.sh must run as root (debootstrap, mount, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "setup-time.sh needs debootstrap: apt-get install debootstrap" >&2; exit 2; }
[[ ! -e $DIR ]] || { echo "setup-time.sh: $DIR already exists; remove it or name another folder" >&2; exit 2; }
cd "$(dirname "$0")/.."
DIR=$(realpath -m "$DIR")

# The Debian mirror this host's apt uses (one-line or deb822 sources),
# else Debian's own.
MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v "^[[:space:]]*#" |
    grep -oE '(https?://[^ ]+/debian)/?( |$)' | head -n1 | tr -d ' ' || true)
MIRROR=${MIRROR%/}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

LOG=$(mktemp)
# Our binds, and whatever a failed debootstrap left mounted, deepest first.
unmount_all() {
    local m
    findmnt -rn -o TARGET | grep -F "$DIR/" | sort -r | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" || echo "WARNING: could not unmount $m" >&2
    done
}
cleanup() {
    trap '' INT TERM HUP
    rm -f "$LOG"
    unmount_all
    if grep -qF " $DIR/" /proc/self/mountinfo; then
        echo "WARNING: mounts left behind (so $DIR is kept):" >&2
        grep -F " $DIR/" /proc/self/mountinfo >&2
    elif [[ -n $KEEP ]]; then
        echo "kept $DIR"
    elif [[ -d $DIR ]]; then
        rm -rf --one-file-system "$DIR" || echo "WARNING: could not remove $DIR" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

bind() {
    mkdir -p "$DIR$1"
    mount --bind "$1" "$DIR$1"
}

now() { date +%s; }
minutes() { awk -v s="$1" 'BEGIN { printf "%d s (%.1f min)", s, s / 60 }'; }

echo "== fresh Debian 12 from $MIRROR into $DIR"
echo "== host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), glassbox $(git rev-parse --short HEAD)"
t0=$(now)
mkdir -p "$DIR"
debootstrap bookworm "$DIR" "$MIRROR" >"$LOG" 2>&1 || {
    tail -n 20 "$LOG" >&2
    echo "setup-time.sh: debootstrap failed (log above)" >&2
    exit 1
}
echo "debootstrap: $(minutes $(($(now) - t0)))"

security=${MIRROR%/debian}/debian-security
[[ $MIRROR == */debian ]] || security=http://deb.debian.org/debian-security
cat >"$DIR/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $security bookworm-security main
EOF
cp -L /etc/resolv.conf "$DIR/etc/resolv.conf"
# A network may inspect TLS with a CA of its own, which this host trusts
# and a fresh system does not: the chroot's cargo, npm and pip are given
# this host's CA bundle (through their variables, as this host's shell
# has them), and what setup.sh installs is left as it is.
cp -L /etc/ssl/certs/ca-certificates.crt "$DIR/etc/host-ca.crt"
# No service a package installs may start: it would start on this host.
printf '#!/bin/sh\nexit 101\n' >"$DIR/usr/sbin/policy-rc.d"
chmod 0755 "$DIR/usr/sbin/policy-rc.d"
bind /proc
bind /sys
bind /dev
bind /dev/pts
mkdir -p "$DIR/root/glassbox"
git archive HEAD | tar -x -C "$DIR/root/glassbox"

# A login's environment, not this shell's: no cargo on PATH, no RUSTFLAGS.
in_chroot() {
    local ca=/etc/host-ca.crt
    chroot "$DIR" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        CARGO_HTTP_CAINFO=$ca SSL_CERT_FILE=$ca NODE_EXTRA_CA_CERTS=$ca PIP_CERT=$ca CURL_CA_BUNDLE=$ca \
        /bin/bash -c "cd /root/glassbox && $1"
}

# CPU seconds (user + system) of this shell's finished children: on a
# shared machine the wall time is the load's, the CPU time the work's.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($16 + $17) / hz }' "/proc/$$/stat"; }

timed() {
    local script=$1 start cpu0 status=0
    echo "== $script"
    start=$(now) cpu0=$(cpu)
    in_chroot "$script" 2>&1 | sed 's/^/   /' || status=$?
    echo "$script: $(minutes $(($(now) - start))) wall, $(($(cpu) - cpu0)) s CPU, exit $status," \
        "load $(cut -d' ' -f1-3 /proc/loadavg)"
    return "$status"
}

timed scripts/setup.sh
in_chroot 'glassbox --version' | sed 's/^/installed: /'
if [[ -n $TESTS ]]; then
    timed scripts/setup-tests.sh
fi
