# Wrong: HOSTPORT:BOXPORT the wrong way round. glassbox refuses host port 80
# (below 1024, without --allow-low-port), and even with it, the box's
# server listens on 80, not on $PORT: nothing would answer.
glassbox limit "$BOX" --memory 64M --cpus 0.5 --pids 64
glassbox unshare "$BOX" mnt uts ipc net pid cgroup --hostname web
glassbox rootfs "$BOX" busybox
glassbox net "$BOX"
glassbox volume create l14www
glassbox volume add "$BOX" l14www:/www
glassbox run "$BOX" -- sh -c 'echo hello from l14 > /www/index.html'
glassbox run -d "$BOX" -- /usr/sbin/httpd -f -p 80 -h /www
glassbox publish "$BOX" "80:$PORT"
