#!/usr/bin/env bash
# scripts/test.sh — THE test command: what CI runs (.ci/run), and what to run
# before you push.
#
#   sudo scripts/test.sh
#
# 1. scripts/setup.sh        packages, toolchain, build, /usr/local/bin/glassbox
#    scripts/setup-tests.sh  what only the tests need (chromium, mdbook, ...)
# 2. cargo test --locked     unit tests and the integration tests in tests/it,
#                            on this machine's real kernel (they need root)
# 3. scripts/check-book.sh   the book (book/) builds without a warning, every
#                            lesson it includes exists, no link is broken, and
#                            its command and model reference match the binary
# 4. scripts/test-v2.sh      the integration tests again inside a cgroup v2 VM
#                            (says SKIPPED with the reason if it cannot boot)
# 5. bash -n                 every shell script in scripts/, bench/ and .ci/ parses
#    scripts/check-layers.py no import cycle between the top-level modules of
#                            src/ (the layers of docs/layout.md)
# 6. scripts/demo.sh         the guided demo, end to end, as a smoke test
#
# Stops at the first failure and exits non-zero.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh must run as root: the tests make real namespaces and mounts. Try: sudo $0" >&2
    exit 2
fi

cd "$(dirname "$0")/.."

# A toolchain installed with rustup lives in ~/.cargo/bin, which sudo's PATH
# leaves out (setup.sh looks there too).
for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin; do
    if [[ -x $d/cargo && :$PATH: != *:$d:* ]]; then PATH="$d:$PATH"; fi
done
export PATH

phase() { echo; echo "==> $*"; }
on_exit() {
    local rc=$?
    [[ $rc -eq 0 ]] || echo "test.sh: FAILED (exit code $rc) during: ${PHASE:-startup}" >&2
}
trap on_exit EXIT

PHASE="setup: scripts/setup.sh"
phase "$PHASE"
scripts/setup.sh
scripts/setup-tests.sh

PHASE="tests: cargo test --locked"
phase "$PHASE"
# setup-tests.sh installed chromium: here the browser test must run, not skip.
GLASSBOX_REQUIRE_BROWSER=1 cargo test --locked

PHASE="book: scripts/check-book.sh"
phase "$PHASE"
scripts/check-book.sh

PHASE="cgroup v2: scripts/test-v2.sh"
phase "$PHASE"
scripts/test-v2.sh

PHASE="syntax: bash -n on the shell scripts"
phase "$PHASE"
shopt -s nullglob
for f in scripts/*.sh bench/*.sh .ci/run; do
    bash -n "$f"
    echo "ok  $f"
done

PHASE="layers: scripts/check-layers.py"
phase "$PHASE"
python3 scripts/check-layers.py

PHASE="smoke: scripts/demo.sh"
phase "$PHASE"
scripts/demo.sh

echo
echo "test.sh: all passed (setup, cargo test, book, cgroup v2 VM, bash -n, layers, demo)"
