# Wrong: emptying /etc/hosts copies it up into the container layer (C, not D):
# the file still exists, so no whiteout is made.
mkdir -p l11-layer/app
echo 'hello from a layer' > l11-layer/app/hello.txt
glassbox layer add "$BOX" l11-layer
glassbox rootfs "$BOX" busybox
glassbox run "$BOX" -- sh -c ': > /etc/hosts'
