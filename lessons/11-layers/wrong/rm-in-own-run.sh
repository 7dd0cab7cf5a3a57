# Wrong: the SDK is deleted by a RUN line of its own. That line can only add
# a whiteout; the layer of the line before still holds all 8 MiB, so
# l11-tool has four layers and its third is 8 MiB: the layer-count and
# size checks fail. (Only this image is built here.)
mkdir -p l11-tool
printf '#!/bin/sh\necho tool ready\n' > l11-tool/tool.sh
cat > l11-tool/Dockerfile <<'DOCKERFILE'
FROM busybox
COPY tool.sh /usr/local/bin/tool
RUN mkdir -p /opt /usr/local/share && dd if=/dev/urandom of=/opt/sdk bs=1M count=8 && sha256sum /opt/sdk > /usr/local/share/sdk.sum
RUN rm /opt/sdk
DOCKERFILE
glassbox build --force -t l11-tool l11-tool
