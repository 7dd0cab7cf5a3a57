# Wrong: both boxes are connected and the port is published, but the ping
# goes from l06a to l06b. l06b then knows l06a too (it learnt l06a's MAC
# address from the ARP request), yet l06b never sent a ping: nothing shows
# that l06b reaches l06a.
glassbox net l06a
glassbox net l06b
b=$(glassbox inspect l06b --json | grep -o '"address": *"[0-9.]*' | grep -o '[0-9.]*$')
glassbox exec l06a -- ping -c 1 -W 2 "$b"
glassbox publish l06a "$PORT:80"
