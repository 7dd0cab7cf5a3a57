# Wrong: the pid inside the box means nothing to the host (and kill from
# inside is not the host finding the process).
glassbox exec "$BOX" -- sh -c "echo $(uname -r) > /kernel-release"
glassbox ps "$BOX"
