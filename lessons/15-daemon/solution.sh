# Lesson 15: docker run through glassbox's daemon, then what it was.
SOCK="${GLASSBOX_ROOT:+$GLASSBOX_ROOT/run/docker.sock}"
export DOCKER_HOST="unix://${SOCK:-/run/glassbox/docker.sock}"
glassbox daemon > daemon.log 2>&1 &                     # the Docker Engine API on a Unix socket
DAEMON=$!
for _ in $(seq 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker run -d --name l15 -m 48m -v l15data:/data busybox sh -c 'echo ready > /data/state; sleep 3600'
glassbox history l15 | grep -E '^(docker API request|step)'   # each request, and the steps it was
kill "$DAEMON"; wait "$DAEMON"                           # the daemon goes; the container runs on
