# Wrong: --cpus counts CPUs, not tenths: 2 is two whole CPUs, more than a
# single busy loop can use, so the box is never throttled.
glassbox limit "$BOX" --cpus 2 --pids 20
glassbox run "$BOX" -- timeout 1 sh -c 'while :; do :; done' || true
