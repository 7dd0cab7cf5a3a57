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
limit-bytes-unit = use a whole number with an optional unit k, M, G (binary: 1k = 1024), e.g. 64M, or max
limit-bytes-number = use a whole number with an optional unit, e.g. 512M
limit-too-large = too large
limit-cpus-number = a number such as 0.5 or 2
limit-cpus-range = a number of CPUs above 0, such as 0.5 or 2, or max
limit-cpus-min = at least 0.01 (the kernel's smallest quota is 1 ms per period)
limit-pids = a number of processes from 1 to 4194304, or max
limit-cpuset = a CPU list such as 0 or 0-1,3
limit-cpuset-order = a range must go upwards, as in 0-1
limit-io-weight = a weight from 1 to 10000 (100 is the default share)
hostname-too-long = the kernel allows at most 64 bytes (HOST_NAME_MAX)
hostname-bad-char = it contains a space or a control character
ports-invalid = ports { $text }: give HOSTPORT:BOXPORT, each from 1 to 65535, e.g. 8080:80
image-not-found = no image named { $name }: see `glassbox image ls`, or make one with `glassbox image busybox`
volume-not-found = no volume named { $name }: make it with `glassbox volume create { $bare }`
listen-invalid = --listen { $value } is not ADDRESS:PORT: use e.g. --listen 127.0.0.1:7878
port-in-use = { $addr } is already in use (another `glassbox serve`?): pick another port with --listen 127.0.0.1:PORT
ns-kind-unknown = unknown namespace kind { $kind }: the kinds are { $kinds } (or all)
map-root-to-invalid = --map-root-to { $value } is not a uid: give a number such as 100000
volume-host-missing = host folder { $path } does not exist: glassbox never creates one on the host, make it first
volume-not-folder = { $path } is not a folder: a volume is a folder
volume-refused = refusing to mount { $path } (resolved: { $resolved }) into a box: { $why }; add --force if you really mean it
volume-in-use = volume { $name } is mounted in box(es) { $boxes }: rm them, or use glassbox volume rm --force { $name }
root-advice = give a folder that exists or can be made
needs-root = glassbox makes namespaces, mounts and cgroups, which needs root: run it with sudo
apply-advice = run the step again with --explain to see each operation; `glassbox rm --force BOX` removes whatever it left

# A Dockerfile that cannot be read (build): LINE:COL comes before each.
dockerfile-too-big = the Dockerfile is { $bytes } bytes; at most { $max } are read
dockerfile-bad-escape = escape={ $value }: use \ or `
dockerfile-ends-continued = the file ends inside a line continued with { $escape }
dockerfile-too-many = more than { $max } instructions: join RUN lines with && and COPY folders whole
dockerfile-empty = the Dockerfile has no instructions: start with FROM
dockerfile-onbuild = ONBUILD is not supported: put the instructions in the Dockerfile that uses this image
dockerfile-unknown-instruction = unknown instruction { $word }: the instructions are FROM RUN COPY ADD ENV ARG WORKDIR USER CMD ENTRYPOINT EXPOSE LABEL SHELL VOLUME STOPSIGNAL HEALTHCHECK
dockerfile-needs-arguments = { $keyword } needs arguments
dockerfile-shell-json = SHELL takes a JSON array, e.g. SHELL ["/bin/sh", "-c"]
dockerfile-not-exec-form = this looks like exec form but is not a JSON array of strings: use double quotes, e.g. ["echo", "hi"]
dockerfile-from-flag = FROM takes no flag but --platform
dockerfile-no-such-flag = { $keyword } has no flag --{ $flag }
dockerfile-unterminated-quote = unterminated { $quote } quote: close it on the same line
dockerfile-unterminated-brace = unterminated ${"{"}: close it with {"}"}
dockerfile-bad-substitution = bad substitution ${"{"}{ $inner }{"}"}: name a variable
dockerfile-unsupported-substitution = unsupported substitution { $op } in ${"{"}{ $inner }{"}"}: use ${"{"}VAR{"}"}, ${"{"}VAR:-default{"}"} or ${"{"}VAR:+value{"}"}
