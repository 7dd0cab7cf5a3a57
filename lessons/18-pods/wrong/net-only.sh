# Wrong: only the network joined. localhost works, but the sidecar has the
# host's hostname and IPC objects: a pod shares uts and ipc too.
glassbox unshare l18side net --join l18app
glassbox unshare l18side pid mnt
glassbox rootfs l18side busybox
