# Wrong: a mount namespace of its own is not a root filesystem of its own.
# It starts as a copy of the host's mount table, / included.
glassbox unshare "$BOX" mnt pid
glassbox run "$BOX" -- cat /etc/os-release
