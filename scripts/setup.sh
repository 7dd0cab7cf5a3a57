#!/usr/bin/env bash
# scripts/setup.sh — get a fresh Debian/Ubuntu classroom VM ready for glassbox.
#
#   sudo scripts/setup.sh            # glassbox, for the demo and the lessons
#   sudo scripts/setup.sh --daemon   # and the daemon's systemd units (contrib/)
#
# Installs the system packages glassbox, its demo and the lessons use, a
# Rust toolchain if there is none, builds glassbox and installs it as
# /usr/local/bin/glassbox with its man page and bash/zsh/fish completion.
# What only the tests need (a browser, mdbook, the
# engines glassbox is tested against) is scripts/setup-tests.sh's, which
# scripts/test.sh runs. Safe to run again: it installs only what is missing
# and says little when everything is already there.
#
# Exit codes: 0 ready, 1 something failed, 2 not run as root.
set -euo pipefail

DAEMON=
case "${1:-}" in
    --daemon) DAEMON=1 ;;
    '') ;;
    *) echo "usage: $0 [--daemon]" >&2; exit 2 ;;
esac

if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh must run as root (it installs packages, and glassbox makes namespaces):" >&2
    echo "  sudo $0" >&2
    exit 2
fi

cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }

# What glassbox and the lessons need on the machine (what only the tests and
# benchmarks need, scripts/setup-tests.sh installs):
#   build-essential   gcc and the C library, which rustc uses to link
#   util-linux        unshare, nsenter, mount, findmnt: the tools `history --script` uses
#   iproute2          ip, to look at a box's network
#   procps            ps, pgrep: to look at a box's processes
#   busybox-static    a static busybox, the smallest root filesystem for a box
#   curl, ca-certificates   the lessons' requests to published ports; crates over https
PACKAGES=(build-essential util-linux iproute2 procps busybox-static curl ca-certificates)

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

phase_start "system packages (apt)"
install_missing "${PACKAGES[@]}"

# --- Rust toolchain ---------------------------------------------------------
phase_start "Rust toolchain (apt)"
#
# The classroom network reaches only the package registries (Debian/Ubuntu,
# crates.io, PyPI, npm): downloading rustup or a toolchain from elsewhere
# fails, so a missing toolchain comes from the distribution's own packages.
#
# The oldest rustc that builds glassbox: the `rust-version` in Cargo.toml
# (1.85, what edition 2024 needs and what Debian 12's rustc-web offers; the
# code avoids newer syntax such as let-chains for that reason).
MIN_RUST=$(sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)
MIN_RUST=${MIN_RUST:-1.85}

# A toolchain installed with rustup lives in ~/.cargo/bin, which sudo's PATH
# leaves out.
for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin; do
    if [[ -x $d/cargo && :$PATH: != *:$d:* ]]; then PATH="$d:$PATH"; fi
done
export PATH

version_ok() { dpkg --compare-versions "$1" ge "$MIN_RUST"; }
rustc_version() { rustc --version 2>/dev/null | awk '{print $2}'; }

if command -v cargo >/dev/null && command -v rustc >/dev/null && version_ok "$(rustc_version)"; then
    : # a recent enough toolchain is already here
else
    if command -v rustc >/dev/null; then
        say "rustc $(rustc_version) is older than the $MIN_RUST glassbox needs; looking for a newer one"
    else
        say "no Rust toolchain found; installing one from the distribution's packages"
    fi
    [[ -n $APT_UPDATED ]] || apt_update
    # Candidate pairs, newest naming last: the plain packages (Debian 13,
    # Ubuntu), Debian 12's rustc-web (1.85), Ubuntu's versioned rustc-1.NN.
    candidates=("cargo rustc" "cargo-web rustc-web")
    while read -r pkg; do
        candidates+=("cargo-${pkg#rustc-} $pkg")
    done < <(apt-cache pkgnames rustc-1. 2>/dev/null | grep -E '^rustc-1\.[0-9]+$' | sort -t. -k2,2n)
    best='' best_version=''
    for pair in "${candidates[@]}"; do
        read -r cargo_pkg rustc_pkg <<<"$pair"
        v=$(apt-cache policy "$rustc_pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
        [[ -n $v && $v != "(none)" ]] || continue
        v=${v#*:}     # drop an epoch
        v=${v%%[+~-]*} # 1.85.0+dfsg3-1~deb12u3 -> 1.85.0
        if version_ok "$v" && { [[ -z $best ]] || dpkg --compare-versions "$v" gt "$best_version"; }; then
            best=$pair best_version=$v
        fi
    done
    if [[ -z $best ]]; then
        echo "setup: no Rust toolchain of version $MIN_RUST or newer in this machine's package sources." >&2
        echo "       (Debian 12's newest is rustc-web 1.85.) Install Rust $MIN_RUST+ another way, e.g. rustup" >&2
        echo "       where the network allows it, then run this script again." >&2
        exit 1
    fi
    read -r cargo_pkg rustc_pkg <<<"$best"
    apt_install "$cargo_pkg" "$rustc_pkg"
    # Ubuntu's versioned packages keep their tools in /usr/lib/rust-1.NN/bin;
    # link them where the rest of the scripts (and a learner's shell) look.
    if [[ $rustc_pkg == rustc-1.* ]]; then
        bindir=/usr/lib/rust-${rustc_pkg#rustc-}/bin
        for tool in cargo rustc rustdoc; do
            [[ -x $bindir/$tool ]] && ln -sf "$bindir/$tool" "/usr/local/bin/$tool"
        done
        hash -r
    fi
    command -v cargo >/dev/null || { echo "setup: installed $cargo_pkg but cargo is not on PATH" >&2; exit 1; }
    say "using $(cargo --version), $(rustc --version)"
fi

# --- build and install glassbox -------------------------------------------
# The crates are fetched first, on their own: the download is the network's
# time, the build the machine's.
phase_start "crates download (cargo fetch)"
cargo fetch --locked --quiet
phase_start "build (cargo)"
scripts/build.sh --quiet
phase_start "install"
if ! cmp -s target/release/glassbox /usr/local/bin/glassbox; then
    install -m 0755 target/release/glassbox /usr/local/bin/glassbox
    say "installed /usr/local/bin/glassbox ($(/usr/local/bin/glassbox --version))"
else
    say "ready: /usr/local/bin/glassbox is up to date ($(/usr/local/bin/glassbox --version))"
fi

# Tab completion and the manual page, generated by the binary just installed
# so they always match its commands: `man glassbox`, and TAB in bash, zsh
# (site-functions) and fish (where fish is installed).
install_docs() {
    local gb=/usr/local/bin/glassbox
    install -d /usr/local/share/man/man1 /usr/local/share/zsh/site-functions
    "$gb" man >/usr/local/share/man/man1/glassbox.1
    "$gb" completions zsh >/usr/local/share/zsh/site-functions/_glassbox
    if [[ -d /usr/share/bash-completion/completions ]]; then
        "$gb" completions bash >/usr/share/bash-completion/completions/glassbox
    else
        install -d /etc/bash_completion.d
        "$gb" completions bash >/etc/bash_completion.d/glassbox
    fi
    if [[ -d /usr/share/fish/vendor_completions.d ]]; then
        "$gb" completions fish >/usr/share/fish/vendor_completions.d/glassbox.fish
    fi
}
install_docs

if [[ -n $DAEMON ]]; then
    phase_start "daemon units"
    contrib/install-daemon.sh
fi
phases_report
