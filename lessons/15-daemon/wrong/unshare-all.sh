# Wrong: a second box made by hand "to be safe" with every namespace. It is
# not the same box: l15a shares the host's user and net namespaces, and a
# replay must not add what the description does not say.
glassbox create l15b
glassbox unshare l15b all
glassbox rootfs l15b busybox
glassbox limit l15b --memory 48M --pids 32
glassbox run -d l15b -- sleep 3600
