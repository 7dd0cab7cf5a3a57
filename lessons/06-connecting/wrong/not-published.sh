# Wrong: the boxes reach each other, but nothing forwards a host port: the
# page is not reachable from the host.
glassbox net l06a
glassbox net l06b
a=$(glassbox inspect l06a --json | grep -o '"address": *"[0-9.]*' | grep -o '[0-9.]*$')
glassbox exec l06b -- ping -c 1 -W 2 "$a"
