# Lesson 11: a layer of your own on the busybox image, and a whiteout.
glassbox image ls
mkdir -p l11-layer/app
echo 'hello from a layer' > l11-layer/app/hello.txt
glassbox layer add "$BOX" l11-layer          # before rootfs: it joins the stack
glassbox rootfs "$BOX" busybox
glassbox run "$BOX" -- cat /app/hello.txt
glassbox run "$BOX" -- rm /etc/hosts          # a whiteout in the container layer
glassbox diff "$BOX"
glassbox inspect "$BOX" --path /app/hello.txt

# Dockerfile exercise 1: image l11-tool with exactly three layers (busybox,
# the COPY, one RUN). The RUN makes the 8 MiB "SDK", uses it and deletes it,
# so its layer never holds it. (--force: a second run replaces the image.)
mkdir -p l11-tool
printf '#!/bin/sh\necho "tool ready, sdk $(cut -c1-12 /usr/local/share/sdk.sum)"\n' > l11-tool/tool.sh
cat > l11-tool/Dockerfile <<'DOCKERFILE'
FROM busybox
COPY tool.sh /usr/local/bin/tool
RUN mkdir -p /opt /usr/local/share && dd if=/dev/urandom of=/opt/sdk bs=1M count=8 && sha256sum /opt/sdk > /usr/local/share/sdk.sum && rm /opt/sdk
CMD ["sh", "/usr/local/bin/tool"]
DOCKERFILE
glassbox build --force -t l11-tool l11-tool
glassbox image history l11-tool

# Dockerfile exercise 2: image l11-app. The dependency list is copied alone
# before the RUN that installs it, the code after it; a change to the code
# then leaves the RUN's cache key alone.
mkdir -p l11-app/app
echo 'tool 1.0' > l11-app/deps.txt
echo 'echo v1' > l11-app/app/main.sh
cat > l11-app/Dockerfile <<'DOCKERFILE'
FROM busybox
COPY deps.txt /src/deps.txt
RUN sleep 2 && cp /src/deps.txt /src/deps-installed
COPY app /src/app
CMD ["sh", "/src/app/main.sh"]
DOCKERFILE
glassbox build --force -t l11-app l11-app
# A code change no earlier build has seen: only the code's COPY is built.
echo "echo v2 $(date +%s%N)" > l11-app/app/main.sh
glassbox build --force -t l11-app l11-app
glassbox image history l11-app
