# Wrong: util-linux unshare gives one command a PID 1 of its own on the host;
# when that command exits, its namespace and everything in it die, and box
# l03 never got a PID namespace.
unshare --pid --fork --mount-proc sh -c 'sleep 1000 > /dev/null 2>&1 & ps -ef'
