# Wrong: a tiny quota and a pids limit, but no busy loop: nothing of the
# learner's ever wanted more CPU than the quota. `lesson check` starts 50
# processes itself, and under 0.1 CPU that is throttled, but the
# throttling is the check's, not the learner's: checking again must not pass.
glassbox lesson start 10 > /dev/null
glassbox limit "$BOX" --cpus 0.1 --pids 20
glassbox lesson check > /dev/null || true
glassbox lesson check > /dev/null || true
