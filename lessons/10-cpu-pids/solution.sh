# Lesson 10: a share of a CPU, and at most 20 processes. The lesson uses half
# a CPU; this script a tenth, so that the loop is throttled even on a machine
# so busy (a test suite, a class) that half a CPU is more than it would get.
glassbox limit "$BOX" --cpus 0.1
glassbox run "$BOX" -- timeout 2 sh -c 'while :; do :; done' || true   # timeout exits 124
glassbox stats "$BOX" --count 1                                       # throttled in ~20 periods
glassbox limit "$BOX" --cpus 0.5    # the lesson's half a CPU: the checks' probes need not crawl
glassbox limit "$BOX" --pids 20
glassbox run "$BOX" -- sh -c 'for i in $(seq 50); do sleep 2 & done; wait' || true   # cannot fork
glassbox stats "$BOX" --count 1
