# Wrong: v2 shipped as a rolling update, but the broken v3 never tried: the
# lesson is about what happens when an update fails.
mkdir -p l19 && cd l19
ship() {
    printf '%s\n' 'FROM busybox' "RUN mkdir -p /www && echo hello from $1 > /www/index.html" 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]' > Dockerfile
    printf '%s\n' 'name: l19' 'services:' '  web:' "    image: l19web-$1" '    build: .' "    ports: [\"$PORT:80\"]" \
        '    healthcheck:' '      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://localhost/"]' '      interval: 500ms' \
        '    deploy:' '      replicas: 2' > compose.yaml
    glassbox compose up -d
}
ship v1
ship v2
