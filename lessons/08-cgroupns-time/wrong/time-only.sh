# Wrong: the clocks are shifted, but the box still sees the host's cgroup
# tree, with its own full path in it.
glassbox unshare "$BOX" time --boottime-offset 3650d --monotonic-offset 3650d
glassbox exec "$BOX" -- cat /proc/self/cgroup
