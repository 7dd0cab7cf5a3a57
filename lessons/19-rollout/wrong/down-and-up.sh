# Wrong: each version shipped by `compose down` and `up` instead of a
# rolling update. The port is closed in between, no replica is drained,
# and the broken v3 replaces v2 outright: nothing serves at the end.
mkdir -p l19 && cd l19
ship() {
    printf '%s\n' 'FROM busybox' "RUN mkdir -p /www && echo hello from $1 > /www/index.html" "$2" > Dockerfile
    printf '%s\n' 'name: l19' 'services:' '  web:' "    image: l19web-$1" '    build: .' "    ports: [\"$PORT:80\"]" \
        '    deploy:' '      replicas: 2' > compose.yaml
    glassbox compose down || true
    glassbox compose up -d || true
}
ship v1 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]'
ship v2 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]'
ship v3 'CMD ["sh", "-c", "exit 1"]'
