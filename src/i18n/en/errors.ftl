# Errors: each says what went wrong and what to do next. The id is the
# language-neutral code `--json` prints.

## Things a name can name
term-box = box
term-image = image
term-volume = volume

## Why a name is refused
name-empty = it is empty
name-too-long = it is longer than 63 characters
name-bad-start = it must start with a lowercase letter or a digit
name-bad-char = it contains a character other than a-z 0-9 _ . -

name-invalid = invalid { $what } name { $value }: { $reason }; use 1-63 characters from a-z 0-9 _ . - starting with a letter or digit
box-not-found = no box named { $name }: see the boxes with `glassbox ls`, or make it with `glassbox create { $bare }`
box-no-record = box { $name } is broken: its folder has no readable record (a command on it was killed part way); remove what is left with `glassbox rm --force { $bare }`
box-exists = a box named { $name } already exists: pick another name, or remove it first with `glassbox rm { $bare }`
volume-exists = a volume named { $name } already exists: use it as it is, or remove it first with `glassbox volume rm { $bare }`
box-busy = box { $name } is busy: another glassbox command is changing it; try again when it has finished
box-broken = box { $name } is broken: `{ $step }` stopped part way and left it half made; remove it with `glassbox rm --force { $name }` and build it again
record-corrupt = box record { $path } is unreadable ({ $reason }); remove the box with `glassbox rm --force`

ns-already-has = box { $name } already has its own { $kind } namespace (inode { $inode }); nothing to do — see it with `glassbox inspect { $name }`
ns-user-after-others = box { $name } already has namespaces owned by the host's user namespace ({ $others }); a user namespace made now would not own them, so root in the box could not use them. Make `user` first: glassbox rm --force { $name } && glassbox create { $name } && glassbox unshare { $name } user { $others }
ns-option-needs-kind = { $option } applies to the { $kind } namespace being made: add `{ $kind }` to the kinds (glassbox unshare { $name } { $kind } { $option } …)
box-stopped = box { $name } is stopped: its init died and its PID namespace with it; remove it and build it again: glassbox rm { $name }
bad-value = invalid { $what } { $value }: { $reason }
command-too-long = the command is too long for execve(2): { $reason }
needs-first = { $what }: { $fix }
rootfs-needs-mnt = rootfs needs a mount namespace first
box-nothing-running = box { $name } has nothing running: start its main process first (glassbox run { $name } -d -- sleep infinity), or give it an init (glassbox unshare { $name } pid)

## Limits
limit-memory-too-small = at least 4M: a smaller box cannot start a program
ports-invalid = ports { $text }: give HOSTPORT:BOXPORT, each from 1 to 65535, e.g. 8080:80
volume-not-found = no volume named { $name }: make it with `glassbox volume create { $bare }`
needs-root = glassbox makes namespaces, mounts and cgroups, which needs root: run it with sudo
apply-advice = run the step again with --explain to see each operation; `glassbox rm --force BOX` removes whatever it left
