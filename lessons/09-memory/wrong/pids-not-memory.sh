# Wrong: a cgroup of its own, but the limit is on the number of processes,
# not on memory: the 64 MiB buffer is allocated as before.
glassbox limit "$BOX" --pids 32
glassbox run "$BOX" -- dd if=/dev/zero of=/dev/null bs=64M count=1
