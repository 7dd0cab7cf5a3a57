# Wrong: a pids limit, but 1000 is more than the 50 processes the test
# starts, so nothing is stopped.
glassbox limit "$BOX" --cpus 0.5 --pids 1000
glassbox run "$BOX" -- timeout 1 sh -c 'while :; do :; done' || true
glassbox run "$BOX" -- sh -c 'for i in $(seq 50); do sleep 1 & done; wait'
