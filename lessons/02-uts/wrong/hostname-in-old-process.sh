# Wrong: a UTS namespace for the box, but the name is set by a throw-away
# unshare inside a command of the box: that makes one more namespace that
# dies with the command, and the box's own namespace keeps the name l02.
glassbox unshare "$BOX" uts
glassbox exec "$BOX" -- unshare --uts sh -c 'hostname sandbox; hostname'
