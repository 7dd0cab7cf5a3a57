# Lesson 17: try a door, close it, try again.
door() { glassbox exec "$BOX" -- sh -c "$1" >/dev/null 2>&1 && echo "open:   $1" || echo "closed: $1"; }
doors() {
  door 'mount -t tmpfs none /tmp'
  door 'unshare -U true'
  door 'mknod /kmsg c 1 11 2>/dev/null; dd if=/kmsg of=/dev/null bs=8192 count=1'
  door '( : >> /proc/sys/kernel/core_pattern )'
}
doors
glassbox caps "$BOX" --docker-default;   doors   # mount closes
glassbox nnp "$BOX"                                # the filter needs it
glassbox seccomp "$BOX" default;         doors   # unshare closes
glassbox devices "$BOX" --docker-default; doors  # the kernel log closes
glassbox mask "$BOX" --docker-default;   doors   # core_pattern closes
