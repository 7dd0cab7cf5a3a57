#!/usr/bin/env bash
# scripts/build.sh — builds target/release/glassbox, the binary setup.sh
# installs, the book's reference is read from and the benchmarks time.
#
#   scripts/build.sh [cargo options, e.g. --quiet]
#
# The binary is linked statically (a static-pie: one file, still loaded at a
# random address). Every glassbox command is its own process, and so is each
# box's init; a dynamically linked one first waits for ld.so to map libc and
# bind its symbols. Static, each start took about 0.5 ms less here
# (glassbox --version 1.56 -> 1.04 ms; bench/core.sh shows the effect on
# whole commands).
#
# Only the final link is static: `cargo rustc` hands the flag to the
# glassbox crate alone. Given to every crate (RUSTFLAGS), it would also reach
# the proc-macro crates, which must be shared libraries, and the build stops.
#
# The binary is linked dynamically, as plain `cargo build --release` does,
# where a static one would be worse: on targets where rustc makes no
# static-pie (aarch64, for one: it would be a fixed-address executable,
# giving up address randomisation for a program that runs as root), and
# where the C library has no static archive (libc.a, from libc6-dev).
set -euo pipefail
cd "$(dirname "$0")/.."

static=(-- -C target-feature=+crt-static)
host=$(rustc -vV 2>/dev/null | sed -n 's/^host: //p' || true)
if [[ $host != x86_64-unknown-linux-gnu ]]; then
    echo "build.sh: rustc makes no static-pie for ${host:-this machine}; linking glassbox dynamically" >&2
    static=()
elif [[ $(cc -print-file-name=libc.a 2>/dev/null) != /* ]]; then
    echo "build.sh: no static libc.a here (apt-get install libc6-dev); linking glassbox dynamically" >&2
    static=()
fi
exec cargo rustc --release --locked --bin glassbox "$@" "${static[@]}"
