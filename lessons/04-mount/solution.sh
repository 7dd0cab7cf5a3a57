# Lesson 04: an own mount namespace, then the busybox image as the box's /.
glassbox unshare "$BOX" mnt pid
glassbox run "$BOX" -- cat /etc/os-release      # before: the host's file
glassbox rootfs "$BOX" busybox
glassbox run "$BOX" -- cat /etc/os-release      # after: the image's file
glassbox run "$BOX" -- cat /proc/self/mountinfo
