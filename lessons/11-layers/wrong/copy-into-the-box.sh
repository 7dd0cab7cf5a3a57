# Wrong: the file is there, but written by a command in the box it lands in
# the writable container layer, not in a read-only layer of its own: it dies
# with the box and is not part of any image.
glassbox rootfs "$BOX" busybox
glassbox run "$BOX" -- sh -c 'mkdir -p /app && echo "hello from a layer" > /app/hello.txt'
glassbox run "$BOX" -- rm /etc/hosts
