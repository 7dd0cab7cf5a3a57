# Wrong: a memory limit, but 1 GiB is far more than the 64 MiB the process
# needs, so the kernel never has to reclaim, and nothing is OOM-killed.
alloc='x=$(head -c 67108864 /dev/zero | tr "\0" x); echo survived'
glassbox limit "$BOX" --memory 1G
glassbox run "$BOX" -- sh -c "$alloc"
