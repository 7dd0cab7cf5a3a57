# Lesson 18: the sidecar joins the app's net, ipc and uts namespaces (a pod),
# then gets its own pid and mnt namespaces and its own root filesystem.
glassbox unshare l18side net ipc uts --join l18app
glassbox unshare l18side pid mnt
glassbox rootfs l18side busybox
glassbox exec l18side -- wget -qO- http://localhost:8080/
glassbox exec l18side -- hostname
glassbox inspect l18app
