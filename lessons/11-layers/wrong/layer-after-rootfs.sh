# Wrong: the layer comes after rootfs, while the box runs. overlayfs cannot
# change a mounted stack, so glassbox refuses (stop the box first, or add
# the layer before rootfs); the box has no /app.
glassbox rootfs "$BOX" busybox
glassbox run "$BOX" -- rm /etc/hosts
mkdir -p l11-layer/app
echo 'hello from a layer' > l11-layer/app/hello.txt
glassbox layer add "$BOX" l11-layer
