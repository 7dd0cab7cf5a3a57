# Wrong: the same box built with glassbox commands. It has the limit, the
# volume and the command, but no request made any of its steps: this is
# what the daemon does, not the daemon doing it.
glassbox volume create l15data
glassbox create l15
glassbox limit l15 --memory 48M
glassbox unshare l15 uts ipc net pid mnt
glassbox rootfs l15 busybox
glassbox volume add l15 l15data:/data
glassbox net l15
glassbox run -d l15 -- sh -c 'echo ready > /data/state; sleep 3600'
