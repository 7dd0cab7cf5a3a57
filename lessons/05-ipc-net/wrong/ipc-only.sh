# Wrong: the queue is private now, but the box still shares the host's
# network namespace and sees every host interface.
glassbox unshare "$BOX" ipc
glassbox exec "$BOX" -- ipcmk -Q
glassbox exec "$BOX" -- cat /proc/net/dev
