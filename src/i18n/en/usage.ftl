# Usage errors: a mistake on the command line, caught before anything
# changed (exit 2). Each id is a variant of UsageError (src/error/usage.rs)
# and the language-neutral code `--json` prints.

root-invalid = --root { $dir }: { $reason }
file-not-found = { $path }: no such file or folder
clock-offset-invalid = { $flag }: { $reason }
init-exited = the box init exited at once; see `glassbox --explain unshare …`
box-running = box { $name } is running: stop it first (glassbox stop { $name }) or use glassbox rm --force { $name }
caps-add-all = --add ALL keeps everything the box has: leave --add out, or name capabilities
limit-nothing = say what to limit: glassbox limit { $name } --memory 64M --pids 32 --cpus 0.5 (see --help)
limit-no-cgroup = box { $name } has no cgroup yet: glassbox limit { $name } --memory 64M
exec-entrypoint = exec runs the command given, not the image's Entrypoint: leave --entrypoint out, e.g. glassbox exec { $name } -- sh
nothing-to-run = nothing to run in box { $name }: no command was given; give one after `--`, e.g. glassbox { $verb } { $name } -- sh
nothing-to-run-image = nothing to run in box { $name }: its image has no Cmd or Entrypoint; give one after `--`, e.g. glassbox { $verb } { $name } -- sh

## Root filesystem and layers
rootfs-no-mnt = box { $name } has no mount namespace
layer-after-stop = box { $name } is stopped for good (its init died); layers go in before rootfs: start again with glassbox rm --force { $name } && glassbox create { $name }, then unshare, layer add and rootfs again
layer-under-init = box { $name } runs on its root filesystem, and overlayfs cannot put a layer under a mounted stack that processes use; its init holds the PID namespace, so stopping it would end the box: layers go in before rootfs: start again with glassbox rm --force { $name } && glassbox create { $name }, then unshare, layer add and rootfs again
layer-under-main = box { $name } runs on its root filesystem, and overlayfs cannot put a layer under a mounted stack that processes use: stop its main process first (glassbox stop { $name }), then add the layer: the stack is mounted again over it
layer-unknown = layer add: { $source } is no folder, tar file or image: give a folder or a .tar that exists, or an image of `glassbox image ls`
commit-no-rootfs = box { $name } has no root filesystem to commit: glassbox rootfs { $name } IMAGE first

## Images, exports and builds
image-in-use = image { $name } is used by box(es) { $boxes }: remove them first
max-size-zero = --max-size 0 would refuse every image: give a size, e.g. 8G
term-the-archive = the archive
term-the-bundle = the bundle
export-is-folder = { $path }: is a folder; give a file name for { $what }
export-exists = { $path } exists: pick another name, or add --force to replace it
export-no-folder = { $path }: no such folder to write { $what } into
bundle-no-rootfs = box { $name } has no root filesystem to put in a bundle: glassbox unshare { $name } mnt && glassbox rootfs { $name } IMAGE first
bundle-not-bundle = { $path } is not a bundle folder (no config.json): --force replaces only a bundle
bundle-exists = { $path } exists: pick another folder, or add --force to replace a bundle
dockerfile-unreadable = the Dockerfile: { $reason }
build-arg-invalid = --build-arg { $value } is not KEY=VALUE: e.g. --build-arg VERSION=1.2
dockerfile-missing = { $file }: no such Dockerfile; write one, or name it with -f FILE
dockerfile-too-large = { $file }: { $bytes } bytes, and a Dockerfile may have at most { $max }
dockerfile-read = { $file }: { $reason }
dockerfile-not-text = { $file }: not UTF-8 text
dockerignore-hides-dockerfile = .dockerignore leaves out the Dockerfile { $file }: remove its pattern, or add !{ $file } to take it back
context-not-folder = build context { $dir }: not a folder; give the folder holding the Dockerfile
context-missing = build context { $dir }: no such folder; give the folder holding the Dockerfile, e.g. glassbox build -t app .
run-needs-files = Dockerfile:{ $line }:{ $col }: RUN needs files to run: the image so far is empty (FROM scratch); FROM an image with a shell, or COPY one in first
copy-dest-not-folder = { $what }: with several sources (or a wildcard) the destination must be a folder ending in /, e.g. { $dest }/
copy-not-in-context = { $what }: { $source } is not in the build context { $context } (or .dockerignore leaves it out)
copy-url = { $what }: { $source } is a URL, and glassbox builds offline: download it first and COPY the file
copy-outside-context = { $what }: { $source } is outside the build context { $context }: COPY takes files from inside it only
copy-bad-archive = { $what }: { $file }: { $reason }
term-none = none
dockerfile-no-from = { $file }: no FROM: start with FROM IMAGE (or FROM scratch)
dockerfile-too-many-layers = { $file }: { $layers } RUN/COPY/ADD lines would make { $layers } layers, and a box stacks at most { $max }: join RUN lines with &&
dockerfile-before-from = Dockerfile:{ $line }:{ $col }: { $keyword } before FROM: only ARG may come before it
dockerfile-second-from = Dockerfile:{ $line }:{ $col }: a second FROM: multi-stage builds are not supported; build each image on its own
dockerfile-from-stage = Dockerfile:{ $line }:{ $col }: FROM IMAGE AS NAME (a build stage) is not supported: use FROM IMAGE
dockerfile-from-no-image = Dockerfile:{ $line }:{ $col }: FROM { $name }: no such image here (images: { $images }); glassbox builds offline: import it with `glassbox image import`, or make one with `glassbox image busybox`
dockerfile-arg-used-early = Dockerfile:{ $line }:{ $col }: ${ $name } is used before `ARG { $name }` on line { $arg_line }: move the ARG above this line
dockerfile-line-invalid = Dockerfile:{ $line }:{ $col }: { $reason }
dockerfile-env-no-value = Dockerfile:{ $line }:{ $col }: ENV { $key }: give a value, ENV { $key }=VALUE
dockerfile-shell-not-json = Dockerfile:{ $line }:{ $col }: SHELL takes a JSON array, e.g. SHELL ["/bin/sh", "-c"]
dockerfile-expose-invalid = Dockerfile:{ $line }:{ $col }: EXPOSE { $port }: give a port 1-65535, optionally /tcp or /udp
dockerfile-copy-from-stage = Dockerfile:{ $line }:{ $col }: COPY --from={ $from }: multi-stage builds are not supported
dockerfile-copy-needs-two = Dockerfile:{ $line }:{ $col }: { $keyword } needs a source and a destination
dockerfile-chmod-invalid = Dockerfile:{ $line }:{ $col }: --chmod={ $mode }: give octal permissions such as 755

## Volumes
volume-spec-invalid = volume spec { $spec }: { $reason }

## Network
subnet-fixed = bridge { $bridge } already uses { $subnet }/24; --subnet applies when the bridge is made (after the last connected box is removed)
veth-taken = a host interface named { $veth } already exists and is not this box's: glassbox leaves it alone; remove it (ip link del { $veth }) if it is a leftover
also-not-connected = --also { $name }: box { $name } is not connected: glassbox net { $name }
port-low = host port { $port } is below 1024, where system services live: pick a higher one, or say --allow-low-port
box-not-connected = box { $name } is not connected: { $fix }
publish-cannot-listen = cannot listen on 127.0.0.1:{ $port } ({ $reason }): pick another host port, e.g. glassbox publish { $name } { $next }:{ $box_port }

## Compose
compose-no-service = no service named { $service } in { $file }: the services are { $services }
compose-logs-no-service = no service named { $service } in { $file }
compose-image-missing = services.{ $service }.image: no image named { $image }: glassbox is offline; import it (`glassbox image import FILE --name { $bare }`) or make it (`glassbox image busybox`)
compose-scale-invalid = { $text }: give SERVICE=N, N from 0 to 20
compose-no-boxes = project { $project } has no boxes: start it with `glassbox compose up -d`

## Lessons
lessons-none-yet = there are none yet
lesson-not-found = no lesson { $id }: give its number, name or both (e.g. 02, uts or 02-uts); lessons: { $known }
lesson-none-started = no lesson is started yet: `glassbox lesson list` shows them, `glassbox lesson start { $first }` begins
lesson-not-started = lesson { $lesson } is not started: `glassbox lesson start { $lesson }` sets it up first
lesson-no-solution = lesson { $lesson } has no solution.sh
lesson-broken = { $reason } (the lesson cannot be used until it is fixed)
lesson-toml-invalid = lessons/{ $lesson }/lesson.toml: { $reason }
lesson-translation-invalid = lessons/{ $lesson }/{ $file }: { $reason }
lesson-checks-invalid = lessons/{ $lesson }: { $reason }
lessons-dir-unreadable = GLASSBOX_LESSONS_DIR={ $dir }: { $reason }; point it at a folder of NN-slug lessons
lesson-no-questions = lesson { $lesson } asks no questions: nothing to answer
question-out-of-range = lesson { $lesson } has questions 1 to { $count }, not { $n }: `glassbox lesson status { $lesson }` lists them
answer-empty = give an answer: glassbox lesson answer { $lesson } { $n } ANSWER
question-invalid = question { $n }: { $reason }
progress-unreadable = { $path } is unreadable ({ $reason }); remove it to start the lessons afresh
class-file-exists = { $path } exists: give another FILE, or --force to overwrite it
class-cannot-write = cannot write { $path }: { $reason }; give a FILE in a folder you can write
glossary-invalid = { $file }: { $reason }
glossary-term-empty = give a term, or nothing for every term: glassbox lesson glossary
glossary-no-term = no glossary term starts with { $term }: `glassbox lesson glossary` lists them all
compose-service-no-box = service { $service } has no box: glassbox compose up -d { $service }
pool-unknown = no pool named { $pool }: `glassbox pool ls` lists them
pool-port-taken = pool { $pool } sends 127.0.0.1:{ $host_port } to box port { $had }, not { $box_port }: one host port, one box port
pool-cannot-listen = cannot listen on 127.0.0.1:{ $host_port } ({ $reason }): pick another host port for pool { $pool }
pool-not-member = { $name } is not a member of pool { $pool }: `glassbox pool ls` lists them

# clap's own words (a command line clap could not read), as clap says them;
# the Korean side is what `--lang ko` prints instead (cli/clap_ko.rs).
clap-error = error
clap-unknown-argument = unexpected argument '{ $arg }' found
clap-value-required = a value is required for '{ $arg }' but none was supplied
clap-invalid-value = invalid value '{ $value }' for '{ $arg }'
clap-possible-values = possible values
clap-invalid-subcommand = unrecognized subcommand '{ $name }'
clap-missing-required = the following required arguments were not provided:
clap-missing-subcommand = '{ $name }' requires a subcommand but one was not provided
clap-too-many-values = unexpected value '{ $value }' for '{ $arg }' found; no more were expected
clap-too-few-values = { $min } values required by '{ $arg }'; only { $actual } were provided
clap-wrong-number-of-values = { $expected } values required for '{ $arg }' but { $actual } were provided
clap-no-equals = equal sign is needed when assigning values to '{ $arg }'
clap-argument-repeated = the argument '{ $arg }' cannot be used multiple times
clap-argument-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
clap-argument-conflict-many = the argument '{ $arg }' cannot be used with:
clap-tip = tip
clap-tip-similar = a similar { $what } exists: { $names }
clap-what-argument = argument
clap-what-subcommand = subcommand
clap-what-value = value
clap-more = For more information, try '{ $help }'.
clap-default = default
