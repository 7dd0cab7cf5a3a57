# Wrong: util-linux unshare gives one command on the host its own cgroup and
# time namespaces. It sees the offset uptime, but both namespaces die with
# it, and box l08 was not touched.
unshare --cgroup --time --boottime 315360000 --monotonic 315360000 cat /proc/uptime
