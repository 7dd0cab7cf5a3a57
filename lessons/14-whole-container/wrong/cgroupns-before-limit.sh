# Wrong: the namespaces first, the limits after. The cgroup namespace is
# rooted at the cgroup glassbox's helper was in when it was made, the
# host's; `limit` then moves the box into a cgroup beside that root, and
# the box sees its own cgroup as /../../glassbox-…/l14 instead of /.
glassbox unshare "$BOX" mnt uts ipc net pid cgroup --hostname web
glassbox limit "$BOX" --memory 64M --cpus 0.5 --pids 64
glassbox rootfs "$BOX" busybox
glassbox net "$BOX"
glassbox publish "$BOX" "$PORT:80"
glassbox volume create l14www
glassbox volume add "$BOX" l14www:/www
glassbox run "$BOX" -- sh -c 'echo hello from l14 > /www/index.html'
glassbox run -d "$BOX" -- /usr/sbin/httpd -f -p 80 -h /www
for _ in $(seq 50); do
  glassbox exec "$BOX" -- wget -qO- http://127.0.0.1/ 2>/dev/null && break
  sleep 0.1
done
