# Wrong order: after caps dropped CAP_SYS_ADMIN, a filter without
# no_new_privs is refused (the kernel would refuse it: seccomp(2), EACCES).
glassbox caps "$BOX" --docker-default
glassbox seccomp "$BOX" default || true
glassbox devices "$BOX" --docker-default
glassbox mask "$BOX" --docker-default
