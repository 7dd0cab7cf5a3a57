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
#   python3    the benchmarks' timer (bench/*.sh), the book's checks, check-layers.py
#   chromium   the web page's browser test (headless)
#   wrk        the web page's benchmark (bench/web.sh)
#   nodejs, npm   Playwright and axe-core drive chromium (tests/browser)
#   podman, skopeo, runc   real engines the exported images and bundles
#              must run in (tests/it/export.rs, tests/it/build.rs)
#   python3-venv   a venv for the Python Docker SDK (the daemon's second client)
TEST_PACKAGES=(python3 python3-venv chromium wrk podman skopeo runc)
phase_start "test packages (apt)"
install_missing "${TEST_PACKAGES[@]}"

# Node and npm, for the browser test's Playwright and axe-core
# (tests/browser, pinned by its lockfile). A machine may already have them
# from elsewhere (nodesource's nodejs brings its own npm, which Debian's npm
# package would clash with): only what is missing comes from Debian.
phase_start "node and the browser test's modules (apt, npm)"
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
phase_start "mdbook (cargo install)"
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

# --- the daemon's clients (tests/it/daemon.rs) -------------------------------
#
# The Python Docker SDK, from PyPI into a venv of its own.
VENV=/opt/glassbox-test-venv
phase_start "Python Docker SDK and schema check (pip)"
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import docker' 2>/dev/null; then
    say "python3 -m venv $VENV && pip install docker (the Python Docker SDK)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check docker || {
        echo "setup-tests: pip install docker failed: PyPI must be reachable" >&2
        exit 1
    }
fi
# jsonschema and PyYAML: tests/it/compose_schema.rs validates every compose
# file of the tests and lessons against the Compose Specification's schema.
if ! "$VENV/bin/python" -c 'import jsonschema, yaml' 2>/dev/null; then
    say "pip install jsonschema pyyaml (the compose files' schema check)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check jsonschema pyyaml || {
        echo "setup-tests: pip install jsonschema pyyaml failed: PyPI must be reachable" >&2
        exit 1
    }
fi
# Debian 12's docker CLI (20.10, API 1.41), taken out of the docker.io
# package without installing it: installing would bring dockerd, which must
# never run here. The same file serves as the docker CLI where none is.
OLD_DOCKER=/opt/docker-20.10/docker
phase_start "docker 20.10 client (apt-get download)"
if [[ ! -x $OLD_DOCKER ]]; then
    say "extracting the docker 20.10 client from Debian's docker.io (its daemon is not installed)"
    [[ -n ${APT_UPDATED:-} ]] || apt_update
    work=$(mktemp -d)
    # apt downloads as the _apt user where it can: let it write here.
    chown _apt "$work" 2>/dev/null || true
    (cd "$work" && apt-get download -qq docker.io >/dev/null && dpkg-deb -x docker.io_*.deb x) || {
        rm -rf "$work"
        echo "setup-tests: apt-get download docker.io failed" >&2
        exit 1
    }
    install -D -m 0755 "$work/x/usr/bin/docker" "$OLD_DOCKER"
    rm -rf "$work"
fi
command -v docker >/dev/null || ln -sf "$OLD_DOCKER" /usr/local/bin/docker
phases_report
