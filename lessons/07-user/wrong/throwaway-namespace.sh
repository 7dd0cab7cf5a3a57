# Wrong: util-linux unshare maps the current user to root for one command on
# the host. `id` prints 0, but the namespace dies with the command, and box
# l07 was not touched.
unshare --user --map-root-user id
