# Lesson 11: a layer of your own on the busybox image, and a whiteout.
glassbox image ls
mkdir -p l11-layer/app
echo 'hello from a layer' > l11-layer/app/hello.txt
glassbox layer add "$BOX" l11-layer          # before rootfs: it joins the stack
glassbox rootfs "$BOX" busybox
glassbox run "$BOX" -- cat /app/hello.txt
glassbox run "$BOX" -- rm /etc/hosts          # a whiteout in the container layer
glassbox diff "$BOX"
glassbox inspect "$BOX" --path /app/hello.txt
