# Wrong: the right Dockerfile, built twice with nothing changed. Every step
# comes from the cache, the code's COPY too: nothing shows that a code
# change leaves the dependencies cached. Everything else is right.
mkdir -p l11-layer/app
echo 'hello from a layer' > l11-layer/app/hello.txt
glassbox layer add "$BOX" l11-layer
glassbox rootfs "$BOX" busybox
glassbox run "$BOX" -- rm /etc/hosts
mkdir -p l11-tool
printf '#!/bin/sh\necho tool ready\n' > l11-tool/tool.sh
printf '%s\n' 'FROM busybox' 'COPY tool.sh /usr/local/bin/tool' 'RUN mkdir -p /opt /usr/local/share && dd if=/dev/urandom of=/opt/sdk bs=1M count=8 && sha256sum /opt/sdk > /usr/local/share/sdk.sum && rm /opt/sdk' > l11-tool/Dockerfile
glassbox build --force -t l11-tool l11-tool
mkdir -p l11-app/app
echo 'tool 1.0' > l11-app/deps.txt
echo "echo v1 $(date +%s%N)" > l11-app/app/main.sh
printf '%s\n' 'FROM busybox' 'COPY deps.txt /src/deps.txt' 'RUN sleep 2 && cp /src/deps.txt /src/deps-installed' 'COPY app /src/app' > l11-app/Dockerfile
glassbox build --force -t l11-app l11-app
glassbox build --force -t l11-app l11-app
