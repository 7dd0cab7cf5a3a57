# Lesson 09: a 32 MiB memory limit, and a process that needs 64 MiB.
# dd reads 64 MiB from /dev/zero into one buffer: 64 MiB of memory at once.
glassbox run "$BOX" -- dd if=/dev/zero of=/dev/null bs=64M count=1            # no limit yet: copied
glassbox limit "$BOX" --memory 32M
code=0
glassbox run "$BOX" -- dd if=/dev/zero of=/dev/null bs=64M count=1 || code=$? # OOM-killed
echo "exit code $code (137 = 128 + SIGKILL)"
glassbox stats "$BOX" --count 1                                               # OOM kills 1
