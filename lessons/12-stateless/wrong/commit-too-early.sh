# Wrong: commit takes the container layer as it is at that moment. The
# note is written after it, so the image does not have it, and it dies
# with l12.
glassbox commit l12 l12-keep
glassbox run l12 -- sh -c 'echo kept > /root/note'
glassbox rm --force l12
glassbox create l12b
glassbox unshare l12b mnt pid uts
glassbox rootfs l12b l12-keep
