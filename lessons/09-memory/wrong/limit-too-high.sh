# Wrong: a memory limit, but 1 GiB is far more than the 64 MiB the process
# needs, so the kernel never has to reclaim, and nothing is OOM-killed.
glassbox limit "$BOX" --memory 1G
glassbox run "$BOX" -- dd if=/dev/zero of=/dev/null bs=64M count=1
