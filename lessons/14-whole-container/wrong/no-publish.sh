# Wrong: everything but -p. The web server answers inside the box and on
# the bridge, but nothing on the host's loopback leads to it.
glassbox limit "$BOX" --memory 64M --cpus 0.5 --pids 64
glassbox unshare "$BOX" mnt uts ipc net pid cgroup --hostname web
glassbox rootfs "$BOX" busybox
glassbox net "$BOX"
glassbox volume create l14www
glassbox volume add "$BOX" l14www:/www
glassbox run "$BOX" -- sh -c 'echo hello from l14 > /www/index.html'
glassbox run -d "$BOX" -- /usr/sbin/httpd -f -p 80 -h /www
