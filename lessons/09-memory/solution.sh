# Lesson 09: a 32 MiB memory limit, and a process that needs 64 MiB.
alloc='x=$(head -c 67108864 /dev/zero | tr "\0" x); echo survived'
glassbox run "$BOX" -- sh -c "$alloc"             # no limit yet: survived
glassbox limit "$BOX" --memory 32M
code=0
glassbox run "$BOX" -- sh -c "$alloc" || code=$?  # OOM-killed
echo "exit code $code (137 = 128 + SIGKILL)"
glassbox stats "$BOX" --count 1                   # OOM kills 1
