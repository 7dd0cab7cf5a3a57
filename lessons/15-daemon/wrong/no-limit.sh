# Wrong: through the daemon, but without -m: the box gets a cgroup (every
# Docker container has one) with no memory limit in it.
SOCK="${GLASSBOX_ROOT:+$GLASSBOX_ROOT/run/docker.sock}"
export DOCKER_HOST="unix://${SOCK:-/run/glassbox/docker.sock}"
glassbox daemon > daemon.log 2>&1 &
DAEMON=$!
for _ in $(seq 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker run -d --name l15 -v l15data:/data busybox sh -c 'echo ready > /data/state; sleep 3600'
kill "$DAEMON"; wait "$DAEMON"
