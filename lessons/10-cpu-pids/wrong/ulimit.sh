# Wrong: `ulimit -u` (RLIMIT_NPROC) counts the processes of a user across
# the whole machine, not those of a box, and root is exempt from it. The
# box gets no cgroup, no CPU quota and no pids limit.
glassbox run "$BOX" -- sh -c 'ulimit -u 20; for i in $(seq 50); do sleep 1 & done; wait' || true
