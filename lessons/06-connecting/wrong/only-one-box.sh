# Wrong: only l06a is connected. l06b still has nothing but lo, so it cannot
# reach l06a however it tries.
glassbox net l06a
glassbox publish l06a "$PORT:80"
glassbox exec l06b -- busybox ip addr
