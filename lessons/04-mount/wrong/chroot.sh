# Wrong: chroot into the image's files instead of pivot_root. The command
# run by chroot sees the image as /, but the box itself keeps the host's
# root: every other process in it (and the chrooted one, with a little work)
# still reaches the host's files.
glassbox unshare "$BOX" mnt pid
layer=$(ls -d "$GLASSBOX_ROOT"/layers/sha256-*/fs | head -n 1)
glassbox run "$BOX" -- sh -c 'chroot "$1" /bin/cat /etc/os-release' chroot "$layer"
