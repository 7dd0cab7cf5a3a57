# Lesson 14: docker run -d --hostname web --memory 64m --cpus 0.5 --pids-limit 64 \
#   -p $PORT:80 -v l14www:/www busybox httpd -f -p 80 -h /www, one step per flag.
# $PORT is this lesson's port on your root (`glassbox lesson status` shows it).
glassbox limit "$BOX" --memory 64M --cpus 0.5 --pids 64       # --memory --cpus --pids-limit: first,
glassbox unshare "$BOX" mnt uts ipc net pid cgroup --hostname web   # so the cgroup namespace is rooted there
glassbox rootfs "$BOX" busybox                                # the image
glassbox net "$BOX"                                           # the bridge network
glassbox publish "$BOX" "$PORT:80"                            # -p
glassbox volume create l14www                                 # -v
glassbox volume add "$BOX" l14www:/www
glassbox run "$BOX" -- sh -c 'echo hello from l14 > /www/index.html'
glassbox run -d "$BOX" -- /usr/sbin/httpd -f -p 80 -h /www    # -d and the command
for _ in $(seq 50); do                                        # wait until it listens
  glassbox exec "$BOX" -- wget -qO- http://127.0.0.1/ 2>/dev/null && break
  sleep 0.1
done
glassbox inspect "$BOX"
