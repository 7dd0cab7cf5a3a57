# Wrong: a cgroup of its own, but the limit is on the number of processes,
# not on memory: the allocation still succeeds.
alloc='x=$(head -c 67108864 /dev/zero | tr "\0" x); echo survived'
glassbox limit "$BOX" --pids 32
glassbox run "$BOX" -- sh -c "$alloc"
