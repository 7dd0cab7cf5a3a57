# Wrong: /tmp in a box is a tmpfs mounted over the overlay, not part of the
# container layer: diff does not show the file and commit does not keep it.
glassbox run l12 -- sh -c 'echo kept > /tmp/note'
glassbox commit l12 l12-keep
glassbox rm --force l12
glassbox create l12b
glassbox unshare l12b mnt pid uts
glassbox rootfs l12b l12-keep
glassbox run l12b -- sh -c 'cat /tmp/note || true'
