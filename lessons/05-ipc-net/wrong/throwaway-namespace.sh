# Wrong: util-linux unshare gives one command its own IPC and network
# namespaces on the host. It sees only lo and its own queue, but both
# namespaces (and the queue) vanish when it exits; box l05 was not touched.
unshare --ipc --net sh -c 'ipcmk -Q; ipcs -q; cat /proc/net/dev'
