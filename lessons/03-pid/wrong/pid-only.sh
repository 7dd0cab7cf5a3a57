# Wrong: a PID namespace but no mount namespace. The init is PID 1 and
# adopts the orphan, but the box still sees the host's /proc, so ps and
# /proc/1 inside show the host's processes.
glassbox unshare "$BOX" pid
glassbox exec "$BOX" -- sh -c 'sleep 1000 > /dev/null 2>&1 &'
glassbox run "$BOX" -- cat /proc/1/comm
