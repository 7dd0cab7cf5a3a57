# Wrong: the network is isolated but IPC is not. (No queue is made here: in
# the host's IPC namespace it would land on the host.)
glassbox unshare "$BOX" net
glassbox exec "$BOX" -- cat /proc/net/dev
glassbox exec "$BOX" -- ipcs -q
