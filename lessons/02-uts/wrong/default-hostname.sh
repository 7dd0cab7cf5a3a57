# Wrong: the right namespace, but without --hostname the box is named after
# itself (l02), not sandbox.
glassbox unshare "$BOX" uts
