# Wrong: everything but -v. The page is written to /www in the container
# layer: the server answers, but the content dies with the box.
glassbox limit "$BOX" --memory 64M --cpus 0.5 --pids 64
glassbox unshare "$BOX" mnt uts ipc net pid cgroup --hostname web
glassbox rootfs "$BOX" busybox
glassbox net "$BOX"
glassbox publish "$BOX" "$PORT:80"
glassbox run "$BOX" -- sh -c 'mkdir -p /www && echo hello from l14 > /www/index.html'
glassbox run -d "$BOX" -- /usr/sbin/httpd -f -p 80 -h /www
