# Wrong: the box made again without a cgroup of its own, then the two
# namespaces. Inside, /proc/self/cgroup shows / as well, but that / is
# the cgroup glassbox itself runs in, shared with the host's processes:
# the namespace hides where the box is, yet the box has nothing of its own.
glassbox rm --force "$BOX"
glassbox create "$BOX"
glassbox unshare "$BOX" pid
glassbox unshare "$BOX" cgroup time --boottime-offset 3650d --monotonic-offset 3650d
glassbox exec "$BOX" -- cat /proc/self/cgroup
