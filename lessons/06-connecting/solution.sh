# Lesson 06: plug both boxes into the bridge, ping l06a from l06b, fetch its
# page over the bridge, and publish its port 80 on the host's loopback.
glassbox net l06a
glassbox net l06b
# l06a's address, without the /24, from the model.
a=$(glassbox inspect l06a --json | grep -o '"address": *"[0-9.]*' | grep -o '[0-9.]*$')
glassbox exec l06b -- ping -c 1 -W 2 "$a"
glassbox exec l06b -- sh -c 'printf "GET / HTTP/1.0\r\n\r\n" | nc -w 2 "$1" 80' nc "$a"
glassbox publish l06a "$PORT:80"
busybox wget -qO- http://127.0.0.1:"$PORT"/
