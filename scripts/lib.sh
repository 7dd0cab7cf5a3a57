# scripts/lib.sh — apt helpers shared by setup.sh and setup-tests.sh.
# Sourced, not run. The caller defines say() and runs as root.

export DEBIAN_FRONTEND=noninteractive

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

APT_UPDATED=
apt_update() {
    say "apt-get update"
    apt-get update -qq || { echo "setup: apt-get update failed: check the network and /etc/apt/sources.list" >&2; exit 1; }
    APT_UPDATED=1
}
apt_install() {
    if [[ -z $APT_UPDATED ]]; then
        apt_update
    fi
    say "apt-get install $*"
    local log
    log=$(mktemp)
    if ! apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "setup: apt-get install $* failed (output above)" >&2
        exit 1
    fi
    rm -f "$log"
}

# Installs whichever of the named packages are missing.
install_missing() {
    local missing=() p
    for p in "$@"; do
        installed "$p" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        apt_install "${missing[@]}"
    fi
}

# Where the time went: on a fresh machine setup takes minutes, and the user
# (and bench/setup-time.sh) sees which part took them. phase_start NAME
# begins a phase (ending the one before); phases_report says them all, on
# one line, with the total.
PHASES=()
PHASE_NAME=
PHASE_T0=
PHASES_T0=$SECONDS
phase_end() {
    if [[ -n $PHASE_NAME ]]; then
        PHASES+=("$PHASE_NAME $((SECONDS - PHASE_T0)) s")
    fi
    PHASE_NAME=
}
phase_start() {
    phase_end
    PHASE_NAME=$1
    PHASE_T0=$SECONDS
}
phases_report() {
    phase_end
    local list
    list=$(printf '%s, ' "${PHASES[@]}")
    say "took $((SECONDS - PHASES_T0)) s (${list%, })"
}
