# Lesson 12: commit the container layer to an image, and start a new box on it.
glassbox run l12 -- sh -c 'echo kept > /root/note'
glassbox diff l12
glassbox commit l12 l12-keep
glassbox rm --force l12
glassbox create l12b
glassbox unshare l12b mnt pid uts
glassbox rootfs l12b l12-keep
glassbox run l12b -- cat /root/note
glassbox inspect l12b --path /root/note
