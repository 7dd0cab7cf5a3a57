# Wrong: util-linux unshare makes the namespaces for one throw-away command
# on the host. It prints PID 1 too, but box l01 is still a plain process:
# nothing holds these namespaces once `ps` exits, and the box was never touched.
glassbox run "$BOX" -- ls -l /proc/self/ns
unshare --pid --fork --mount-proc --uts ps -ef
