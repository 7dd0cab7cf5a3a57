set -euo pipefail
export HOLD=${HOLD:-/run/glassbox-script/$BOX}
mkdir -p "$HOLD"
# A private mount of its own, so the holds below never propagate.
mountpoint -q "$HOLD" || mount --bind "$HOLD" "$HOLD"
mount --make-private "$HOLD"
# A fresh fifo: a helper an earlier run gave up on may still answer into the old one.
rm -f "$HOLD/.ready"; mkfifo -m 666 "$HOLD/.ready"
# Held open for reading and writing: the last helper closing its end (it
# may still be exiting when the next one is awaited) is then never EOF.
exec {READY}<>"$HOLD/.ready"
ENTER=()   # nsenter options for the namespaces made so far
USERNS=()  # just the user namespace: what owns every namespace made next
MOUNTER=() # all but the user namespace: the root filesystem is mounted as the host's root
CGROUP_PROCS=() # the box's cgroup.procs files, once it has a cgroup: each helper joins first

# helper UNSHARE-OPTIONS... -- SETUP: start a process in new namespaces that
# runs SETUP inside, says it is ready, and waits to be held (or to be PID 1).
helper() {
  local opts=() setup status
  while [ "$1" != -- ]; do opts+=("$1"); shift; done; setup=$2
  # Its output goes nowhere: it outlives this script's pipes.
  if [ ${#USERNS[@]} -gt 0 ]; then set -- nsenter "${USERNS[@]}" -- unshare "${opts[@]}"; else set -- unshare "${opts[@]}"; fi
  (
    for f in "${CGROUP_PROCS[@]}"; do echo "$BASHPID" > "$f"; done
    exec "$@" -- sh -c "if $setup; then echo ok; else echo failed; fi > $HOLD/.ready; exec sleep infinity"
  ) </dev/null >/dev/null 2>&1 {READY}<&- &
  HELPER=$!
  read -t 30 -r status <&"$READY" || status="no answer in 30 s (did unshare start?)"
  [ "$status" = ok ] || { echo "setup failed in the new namespaces ($status): $setup" >&2; kill -KILL "$HELPER" 2>/dev/null; exit 1; }
}
# hold KIND...: bind-mount the helper's handles, then enter them from now on
hold() {
  local k f
  for k in "$@"; do
    f=$k; [ "$k" = time ] && f=time_for_children
    touch "$HOLD/$k"; mount --bind "/proc/$HELPER/ns/$f" "$HOLD/$k"
    ENTER+=("$(opt "$k")=$HOLD/$k")
    [ "$k" = user ] || MOUNTER+=("$(opt "$k")=$HOLD/$k")
  done
}
opt() { case $1 in mnt) echo --mount ;; *) echo "--$1" ;; esac; }
# box_pids: the processes of the box this script made (its PID 1 and the
# helper that started it), to move into a cgroup made after them.
box_pids() { [ -f "$HOLD/init.pid" ] || return 0; local p; p=$(cat "$HOLD/init.pid"); echo "$p"; pgrep -P "$p" || true; }
