# Wrong: the new box runs on busybox and gets the note written again. It
# prints kept, but the note is in l12b's container layer and will die with
# it too: nothing was kept.
glassbox run l12 -- sh -c 'echo kept > /root/note'
glassbox rm --force l12
glassbox create l12b
glassbox unshare l12b mnt pid uts
glassbox rootfs l12b busybox
glassbox run l12b -- sh -c 'echo kept > /root/note'
