# Wrong: the limits and the busy loop, then the box is stopped. Nothing runs
# in it any more, so nothing can be started in it either: that is not the
# pids limit at work, and "starting 50 processes fails" must not pass on it.
glassbox limit "$BOX" --cpus 0.5 --pids 20
glassbox run "$BOX" -- timeout 2 sh -c 'while :; do :; done' || true
glassbox stop "$BOX"
