# Wrong: uptime inside is shifted, but only CLOCK_BOOTTIME: CLOCK_MONOTONIC
# (what timers and `sleep` measure against) still counts from the host's boot.
glassbox unshare "$BOX" cgroup time --boottime-offset 3650d
glassbox exec "$BOX" -- cat /proc/uptime
