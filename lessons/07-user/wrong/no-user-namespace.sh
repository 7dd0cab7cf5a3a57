# Wrong: `id` in the box prints uid 0 here too, and it looks the same from
# inside. But without a user namespace it is the host's real root: it can
# read /etc/shadow, and ps on the host shows the box init as root.
glassbox unshare "$BOX" pid mnt
glassbox run "$BOX" -- id
