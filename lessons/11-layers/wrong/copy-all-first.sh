# Wrong: the Dockerfile as given, `COPY . /src` before the RUN that installs
# the dependencies. The code is in that COPY's layer, so a code change
# changes the RUN's parent and the RUN is built again: the "came from the
# cache" check fails. (Only this image is built here.)
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
