# Lesson 05: own IPC and network namespaces, then a message queue in the box.
glassbox exec "$BOX" -- cat /proc/net/dev      # before: the host's interfaces
glassbox unshare "$BOX" ipc net
glassbox exec "$BOX" -- cat /proc/net/dev      # after: only lo
glassbox exec "$BOX" -- ipcmk -Q               # a queue in the box's IPC namespace
glassbox exec "$BOX" -- ipcs -q
ipcs -q                                        # the host: not there
