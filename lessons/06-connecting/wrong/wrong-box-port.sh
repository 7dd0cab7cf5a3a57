# Wrong: everything right but the box port: the proxy forwards to l06a's
# port 8080, where nothing listens (the web server is on 80). The port is
# published, and the host's request is answered by a reset connection.
glassbox net l06a
glassbox net l06b
a=$(glassbox inspect l06a --json | grep -o '"address": *"[0-9.]*' | grep -o '[0-9.]*$')
glassbox exec l06b -- ping -c 1 -W 2 "$a"
glassbox publish l06a "$PORT:8080"
