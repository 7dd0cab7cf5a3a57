# Lesson 16: the box shares the host's kernel, and its processes are host processes.
uname -r
glassbox exec "$BOX" -- uname -r                               # the same release
glassbox exec "$BOX" -- sh -c "echo $(uname -r) > /kernel-release"
glassbox ps "$BOX"                                             # HOST-PID vs PID
pid=$(glassbox ps "$BOX" | awk '/sleep 1000016/ {print $1}')
grep NSpid "/proc/$pid/status"                                 # both numbers
kill "$pid"                                                    # the host reaches in
