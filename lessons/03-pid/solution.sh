# Lesson 03: an own PID namespace (and a mount namespace for its /proc),
# then an orphan that PID 1 adopts.
glassbox unshare "$BOX" pid
glassbox run "$BOX" -- cat /proc/1/comm        # still the host's /proc: its first process
glassbox unshare "$BOX" mnt
glassbox run "$BOX" -- ps -ef                  # glassbox-init is PID 1
glassbox exec "$BOX" -- sh -c 'sleep 1000 > /dev/null 2>&1 &'   # sh exits: sleep is an orphan
glassbox ps "$BOX"                             # its parent is now PID 1
