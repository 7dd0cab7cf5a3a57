# Lesson 08: a cgroup namespace rooted at the box's cgroup, and a time
# namespace ten years ahead on both clocks it can shift.
glassbox exec "$BOX" -- cat /proc/self/cgroup     # before: the full path
glassbox exec "$BOX" -- cat /proc/uptime          # before: the host's uptime
glassbox unshare "$BOX" cgroup time --boottime-offset 3650d --monotonic-offset 3650d
glassbox exec "$BOX" -- cat /proc/self/cgroup     # after: /
glassbox exec "$BOX" -- cat /proc/uptime          # after: ten years more
glassbox exec "$BOX" -- date                      # the wall clock is the host's
