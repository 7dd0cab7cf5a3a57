# Wrong: every step but `rm`. The note is in the image and l12b reads it,
# but l12 and its container layer are still there: nothing showed that the
# note outlives the box that wrote it.
glassbox run l12 -- sh -c 'echo kept > /root/note'
glassbox commit l12 l12-keep
glassbox create l12b
glassbox unshare l12b mnt pid uts
glassbox rootfs l12b l12-keep
