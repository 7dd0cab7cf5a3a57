# Wrong: util-linux unshare makes a UTS namespace for one command on the
# host and sets the name there. It prints sandbox, but the namespace dies
# with the command, and box l02 still shares the host's UTS namespace.
unshare --uts sh -c 'hostname sandbox; hostname'
