# Wrong: a network namespace of its own. The sidecar's localhost is its own
# loopback, where nothing listens: the app is out of reach.
glassbox unshare l18side net ipc uts pid mnt --hostname pod
glassbox rootfs l18side busybox
glassbox exec l18side -- wget -qO- http://localhost:8080/ || true
