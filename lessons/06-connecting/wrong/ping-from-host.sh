# Wrong: both boxes are connected and the port is published, but the ping
# goes from the host to l06a. The host reaches every box through the bridge;
# that does not show that one box reaches the other (l06b never talks to l06a).
glassbox net l06a
glassbox net l06b
a=$(glassbox inspect l06a --json | grep -o '"address": *"[0-9.]*' | grep -o '[0-9.]*$')
busybox ping -c 1 -W 2 "$a"
glassbox publish l06a "$PORT:80"
