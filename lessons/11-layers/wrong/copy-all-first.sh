# Wrong: the Dockerfile as given, `COPY . /src` before the RUN that installs
# the dependencies. The code is in that COPY's layer, so a code change
# changes the RUN's parent and the RUN is built again. Everything else is right.
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
echo 'echo v1' > l11-app/app/main.sh
cat > l11-app/Dockerfile <<'DOCKERFILE'
FROM busybox
COPY . /src
RUN sleep 2 && cp /src/deps.txt /src/deps-installed
CMD ["sh", "/src/app/main.sh"]
DOCKERFILE
glassbox build --force -t l11-app l11-app
echo "echo v2 $(date +%s%N)" > l11-app/app/main.sh
glassbox build --force -t l11-app l11-app
