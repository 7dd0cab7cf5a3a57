# Wrong: the right Dockerfile, built twice with nothing changed in between.
# Every step comes from the cache, the code's COPY too, so nothing shows
# that a code change leaves the dependencies cached: the "built again"
# check fails. (Only this image is built here.)
mkdir -p l11-app/app && cd l11-app
echo 'tool 1.0' > deps.txt
echo "echo v1 $(date +%s%N)" > app/main.sh
printf '%s\n' 'FROM busybox' 'COPY deps.txt /src/deps.txt' 'RUN sleep 2 && cp /src/deps.txt /src/deps-installed' 'COPY app /src/app' > Dockerfile
glassbox build --force -t l11-app .
glassbox build --force -t l11-app .   # the same context again: all CACHED
