# Lesson 07: a user namespace first (root inside = uid 100000 outside), with
# pid and mnt owned by it.
glassbox unshare "$BOX" user pid mnt --map-root-to 100000
glassbox run "$BOX" -- id                        # uid=0(root) inside
glassbox ps "$BOX"
glassbox inspect "$BOX" --json | grep uid_on_host  # 100000 on the host
glassbox run "$BOX" -- ls -ln /etc/passwd        # host files: owned by 65534
