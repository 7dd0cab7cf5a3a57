# Wrong: the lesson done once, then reset and started again, and only the
# last step done. The image of the first try must not pass the second:
# `lesson reset` and `lesson start` remove it.
glassbox lesson start 12 > /dev/null
glassbox run l12 -- sh -c 'echo kept > /root/note'
glassbox commit l12 l12-keep
glassbox rm --force l12
glassbox lesson reset 12 > /dev/null
glassbox lesson start 12 > /dev/null
glassbox rm --force l12
glassbox create l12b
glassbox unshare l12b mnt pid uts
glassbox rootfs l12b l12-keep
