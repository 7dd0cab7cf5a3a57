# Lesson 01: a process in a fresh box, then the same box with pid, uts and mnt of its own.
# The "before" picture: a plain host process, the host's eight namespaces.
glassbox run "$BOX" -- ls -l /proc/self/ns
# Three namespaces in one step: an own PID 1, hostname and mount table.
glassbox unshare "$BOX" pid uts mnt
# The "after" picture: PID 1 is the box init, the host's processes are gone.
glassbox run "$BOX" -- ps -ef
