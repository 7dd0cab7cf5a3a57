# Lesson 19: ship v1 of a small web service (a Dockerfile, a compose file
# of two replicas with a healthcheck), then v2 as a rolling update, then a
# broken v3 that never passes its healthcheck: it is rolled back, and the
# port keeps serving v2.
mkdir -p l19 && cd l19
cat > compose.yaml <<YAML
name: l19
services:
  web:
    image: l19web-v1
    build: .
    ports: ["$PORT:80"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://localhost/"]
      interval: 500ms
      retries: 4
    deploy:
      replicas: 2
      update_config:
        parallelism: 1
        order: start-first
YAML
version() {
    printf '%s\n' 'FROM busybox' "RUN mkdir -p /www && echo hello from $1 > /www/index.html" "$2" > Dockerfile
    sed -i "s/image: l19web-.*/image: l19web-$1/" compose.yaml
}
serve='CMD ["httpd", "-f", "-p", "80", "-h", "/www"]'
version v1 "$serve"
glassbox compose up -d
version v2 "$serve"
glassbox compose up -d
busybox wget -qO- "http://127.0.0.1:$PORT/"
# v3 forgets to start its server: its replica never passes the healthcheck.
version v3 'CMD ["sh", "-c", "echo v3 cannot find its config; exit 1"]'
glassbox compose up -d || echo "the update failed, as it should"
glassbox compose ps
busybox wget -qO- "http://127.0.0.1:$PORT/"
