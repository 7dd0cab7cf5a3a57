# Wrong: a VM's answer. The box has no kernel of its own to report.
glassbox exec "$BOX" -- sh -c 'echo 5.10.0-guest > /kernel-release'
kill "$(glassbox ps "$BOX" | awk '/sleep 1000016/ {print $1}')"
