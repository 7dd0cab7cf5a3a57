# Wrong: a 32 MiB limit, and nothing of the box ever needs more, so the
# kernel never OOM-kills anything of the learner's. `lesson check` tries a
# 64 MiB process itself and that one is killed, but that kill is the
# check's, not the learner's: running `lesson check` again must not pass.
glassbox lesson start 09 > /dev/null
glassbox limit "$BOX" --memory 32M
glassbox lesson check > /dev/null || true
glassbox lesson check > /dev/null || true
