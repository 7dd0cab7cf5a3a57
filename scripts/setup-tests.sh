#!/usr/bin/env bash
# scripts/setup-tests.sh — what only the test suite and the benchmarks need,
# on top of scripts/setup.sh (which a student runs): scripts/test.sh calls
# both. Safe to run again: it installs only what is missing.
#
#   sudo scripts/setup-tests.sh
#
# Exit codes: 0 ready, 1 something failed, 2 not run as root.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
    echo "setup-tests.sh must run as root (it installs packages): sudo $0" >&2
    exit 2
fi

cd "$(dirname "$0")/.."

say() { echo "setup-tests: $*"; }

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

# What the tests and benchmarks use:
#   python3    the benchmarks' timer (bench/*.sh) and the book's checks
#   chromium   the web page's browser test (headless)
#   wrk        the web page's benchmark (bench/web.sh)
#   nodejs, npm   Playwright and axe-core drive chromium (tests/browser)
#   podman, skopeo, runc   real engines the exported images and bundles
#              must run in (tests/it/export.rs, tests/it/build.rs)
TEST_PACKAGES=(python3 chromium wrk podman skopeo runc)
install_missing "${TEST_PACKAGES[@]}"

# Node and npm, for the browser test's Playwright and axe-core
# (tests/browser, pinned by its lockfile). A machine may already have them
# from elsewhere (nodesource's nodejs brings its own npm, which Debian's npm
# package would clash with): only what is missing comes from Debian.
command -v node >/dev/null || install_missing nodejs
command -v npm >/dev/null || install_missing npm
if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
    say "npm ci in tests/browser (playwright-core, axe-core)"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) || {
        echo "setup-tests: npm ci in tests/browser failed: the npm registry must be reachable" >&2
        exit 1
    }
fi

for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin; do
    if [[ -x $d/cargo && :$PATH: != *:$d:* ]]; then PATH="$d:$PATH"; fi
done
export PATH

# --- mdbook, which builds the book (book/, scripts/check-book.sh) ------------
#
# Not a Debian package, so it is built from crates.io, at a pinned version:
# 0.4.52, the last 0.4 release. It and every crate its Cargo.lock pins need
# Rust 1.82 at most, below the 1.85 glassbox needs. Only the `search`
# feature: `serve` and `watch` pull in tokio, axum and notify, and the book
# is read as plain files. A cold install took 116 s on a 2-core VM (72 s
# without search). Installed when missing or not a 0.4 release (0.5 changed
# the book format); an mdbook 0.4.x that is already there is used as it is.
MDBOOK_VERSION=0.4.52
if [[ -x /usr/local/bin/mdbook && :$PATH: != *:/usr/local/bin:* ]]; then PATH="/usr/local/bin:$PATH"; fi
mdbook_version() { mdbook --version 2>/dev/null | awk '{print $2}'; }
if [[ $(mdbook_version) != v0.4.* ]]; then
    say "installing mdbook $MDBOOK_VERSION for the book (cargo install: about 2 minutes the first time)"
    log=$(mktemp)
    if ! cargo install mdbook --locked --version "$MDBOOK_VERSION" --no-default-features --features search \
        --root /usr/local >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "setup: cargo install mdbook $MDBOOK_VERSION failed (output above): crates.io must be reachable" >&2
        exit 1
    fi
    rm -f "$log"
    hash -r
    say "installed /usr/local/bin/mdbook ($(mdbook --version))"
fi
