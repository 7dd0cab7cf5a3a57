# Wrong: a hostname and a mount table of its own, but no PID namespace, so
# the box's processes still see (and can signal) every host process and
# /proc/1 is the host's first process.
glassbox run "$BOX" -- ls -l /proc/self/ns
glassbox unshare "$BOX" uts mnt
