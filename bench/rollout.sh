#!/usr/bin/env bash
# bench/rollout.sh — what do a pool and a rolling update cost?
#
# 1. A request through a service's pool (its balancer, `glassbox-lb`, which
#    re-reads the pool and counts connections) against the same request
#    through a plain `publish` proxy to one box (the same busybox httpd), 50
#    requests a round.
# 2. A rolling update of a 2-replica service to another image (start-first,
#    each new replica healthy before it joins, each old one drained) against
#    `compose down` + `up -d` to that image: the update is slower, and
#    serves throughout; down + up closes the port in between.
#
# The contenders alternate in one loop so load changes hit both alike;
# medians and p90 of N rounds reported.
#
# Usage: bench/rollout.sh    env: BENCH_N (default 5), BENCH_DIR (default /tmp),
#        GLASSBOX (a binary to measure instead of building the release one)
# Needs root, python3, busybox-static. All state lives in a temp --root that
# is reset and deleted on exit, also on failure or Ctrl-C.
set -euo pipefail

cd "$(dirname "$0")/.."
source bench/lib.sh
bench_start

"$G" --root "$R" image busybox >/dev/null
for v in a b; do "$G" --root "$R" image busybox --name "web-$v" >/dev/null; done
mkdir -p "$R/project"
cat > "$R/project/compose.yaml" <<'YAML'
services:
  web:
    image: ${WEB_IMAGE}
    command: ["busybox", "sh", "-c", "busybox mkdir -p /www; echo hi > /www/index.html; exec busybox httpd -f -p 80 -h /www"]
    ports: ["${POOL_PORT}:80"]
    healthcheck:
      test: ["CMD", "busybox", "wget", "-q", "-O", "/dev/null", "http://localhost/"]
      interval: 200ms
      retries: 30
    deploy:
      replicas: 2
      update_config:
        order: start-first
YAML

bench_header

BENCH_LIB=bench python3 - "$G" "$R" "$N" <<'PY' &
import os, socket, sys, time
sys.path.insert(0, os.environ['BENCH_LIB'])  # bench/stats.py
from stats import call, header, median, quiet_on_stop, row, timed
quiet_on_stop()
G, R, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
gb = [G, "--root", R]

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

pool_port, proxy_port = free_port(), free_port()
f = ["compose", "-f", f"{R}/project/compose.yaml", "-p", "bench"]
def compose(image, *args):
    os.environ.update(WEB_IMAGE=image, POOL_PORT=str(pool_port))
    return [gb + f + list(args)]

def get(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    assert b" 200 " in answer.split(b"\r\n")[0], answer

def requests(port, n=50):
    t0 = time.perf_counter_ns()
    for _ in range(n):
        get(port)
    return (time.perf_counter_ns() - t0) / n

def until_up(port):
    for _ in range(100):
        try:
            return get(port)
        except OSError:
            time.sleep(0.1)
    sys.exit(f"127.0.0.1:{port} never answered")

# One box of its own behind a plain publish proxy, the same server.
for step in (["create", "solo"], ["unshare", "solo", "net", "pid", "mnt"], ["rootfs", "solo", "busybox"],
             ["net", "solo"], ["publish", "solo", f"{proxy_port}:80"],
             ["run", "-d", "solo", "--", "busybox", "sh", "-c",
              "busybox mkdir -p /www; echo hi > /www/index.html; exec busybox httpd -f -p 80 -h /www"]):
    call(gb + step)
call(compose("web-a", "up", "-d")[0])
until_up(proxy_port); until_up(pool_port)

t = {k: [] for k in ("a request through the pool", "a request through publish",
                     "rolling update, 2 replicas", "compose down + up -d")}
image = "web-a"
for i in range(N):
    for which in ([0, 1] if i % 2 == 0 else [1, 0]):
        if which == 0:
            t["a request through the pool"].append(requests(pool_port))
            image = "web-b" if image == "web-a" else "web-a"
            t["rolling update, 2 replicas"].append(timed(compose(image, "up", "-d")))
        else:
            t["a request through publish"].append(requests(proxy_port))
            t["compose down + up -d"].append(timed(compose(image, "down") + compose(image, "up", "-d")))
            until_up(pool_port)
print(header)
for k, xs in t.items():
    row(k, xs)
req = median(t["a request through the pool"]) / median(t["a request through publish"])
upd = median(t["rolling update, 2 replicas"]) / median(t["compose down + up -d"])
print(f"\nratio request through the pool / through publish: {req:.3f}")
print(f"ratio rolling update / down + up:                 {upd:.3f} (the update serves throughout)")
PY
DRIVER=$!
wait "$DRIVER"
