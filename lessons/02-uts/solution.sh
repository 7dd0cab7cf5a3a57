# Lesson 02: a UTS namespace of the box's own, with the hostname sandbox.
glassbox exec "$BOX" -- hostname                  # before: the host's name
glassbox unshare "$BOX" uts --hostname sandbox
glassbox exec "$BOX" -- hostname                  # after: sandbox
hostname                                          # the host: unchanged
