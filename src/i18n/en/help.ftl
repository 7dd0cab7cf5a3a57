# `--help`: the doc comments of src/cli/ by id (a test keeps them equal).
help-heading-commands = Commands
help-heading-usage = Usage
help-heading-options = Options
help-heading-arguments = Arguments
help-subcommand-help = Print this message or the help of the given subcommand(s)
help--long =
    glassbox: a container runtime you can see through.
    
    Build a container one isolation step at a time and see what the kernel
    holds after each one. Start with:
    
      glassbox create demo
      glassbox --explain unshare demo uts --hostname inside
      glassbox run demo -- hostname
      glassbox inspect demo
      glassbox history demo --script
      glassbox rm demo
help = glassbox: a container runtime you can see through.
help-create = Make a new, empty box
help-unshare = Give the box new namespaces, one step per call
help-run = Start a process in the box (recorded as a step)
help-exec = Start another process in a running box, like `docker exec`
help-stop = End the box's processes
help-rm = Remove a box: its processes, namespace holds and record
help-ls = List boxes
help-ps = The box's processes: host pid, pid inside, parent inside, command
help-inspect = Everything about a box
help-history = The steps applied to a box, each with its kernel operations
help-reset = Remove everything glassbox made under this root
help-limit = Put the box in its own cgroup and set what it may use
help-stats = Live usage of the box's cgroup, once a second
help-net = Connect the box to the other boxes (veth pair, bridge)
help-publish = Forward a TCP port on the host's loopback into the box
help-serve = Serve the live web page: process tree, namespaces, layers, cgroup
help-daemon = Serve the Docker Engine API on a Unix socket, so `docker` drives glassbox.
help-volume = Volumes: data that outlives a box, bind-mounted into it
help-volume-create = Make a named volume (a folder under the state root)
help-volume-ls = List named volumes: size and the boxes that mount them
help-volume-inspect = One named volume, as JSON
help-volume-rm = Delete a named volume and its data (refused while a box mounts it)
help-volume-add =
    Mount a volume into a box: NAME:/path or /host/path:/path, `:ro` for
    read-only. Before `rootfs` it is mounted by `rootfs`; after, at once,
    even into a running box. A host folder must exist; glassbox never
    creates one.
help-image = Images: read-only templates of a root filesystem, made of layers
help-image-ls = List images: name, layers, size
help-image-import = Import a `docker save` archive, an OCI image layout (tar or folder), or a plain root filesystem tar(.gz) such as `docker export` makes
help-image-busybox = Make an image from the host's busybox-static, offline
help-image-from-host = Make an image of host programs and the libraries they load
help-image-rm = Remove an image (refused while a box uses it)
help-image-inspect = An image's config (Cmd, Entrypoint, Env, WorkingDir, User, ports, labels, volumes) and its layers; --json for the whole OCI config
help-image-history = One row per line that made the image: the line, its layer (or "config only"), size, built or cached, and how long it took
help-image-export = Write an image as a `docker save` tar or an OCI image layout tar, for `podman load`, `docker load` or `skopeo`
help-rootfs = Give the box its own root filesystem
help-layer = Layers of a box's root filesystem
help-layer-add = Add one more read-only layer on top of the box's stack, from a folder, a layer tar, or an image's layers. Copied into the store: later changes to the source do not leak in
help-diff = What the box's container layer holds, like `docker diff`: A added, C changed, D deleted
help-commit = Turn the box's container layer into a new image
help-caps = Capabilities the box's processes keep (needs the box init: `unshare pid`)
help-seccomp = A seccomp filter on every system call of the box's processes
help-nnp = no_new_privs: setuid programs and file capabilities give nothing
help-devices = Which device nodes the box may make, read and write
help-mask = Hide kernel files in the box, or make them read-only
help-harden = All five with Docker's defaults, as five recorded steps
help-build = Build an image from a Dockerfile: each line a layer or a config change
help-export = Write a box out as an OCI runtime bundle (config.json + rootfs/)
help-lesson = Guided lessons with automated checks, like rustlings for containers.
help-lesson-list = Every lesson: done, current, hints used
help-lesson-start = Set a lesson up (its boxes made afresh); print its goal and questions
help-lesson-show = The lesson's theory, its book chapter and your web page for it
help-lesson-answer = Answer a lesson's question: predict, then run
help-lesson-glossary = What a term the lessons use means, in English and Korean
help-lesson-progress = Your progress; for instructors, every student's on this machine
help-lesson-status = The lesson's goal, its questions, its boxes and your progress
help-lesson-check = Check your work: each check passed, failed (expected vs actual) or skipped (this machine lacks something: never a pass). Exit 0 only when every check passes
help-lesson-hint = The next hint: of the first check that fails, then the lesson's own; each is more concrete than the last
help-lesson-solution = Print a worked solution (solution.sh)
help-lesson-reset = Remove the lesson's boxes and forget its progress
help-lesson-dev-check = For lesson authors: prove each lesson fails after start, passes after solution.sh and fails after each wrong/*.sh, in a temp root. --strict also runs the solution twice (check three times each) and fails on skips, questions that cannot be judged and concepts missing from the glossary. GLASSBOX_LESSONS_DIR=DIR checks the lessons in DIR instead of the built-in ones
help-compose = Several boxes from one compose.yaml, each made of ordinary glassbox steps.
help-compose-up = Make and start the services' boxes, dependencies first
help-compose-down = Remove the project's boxes (and with -v its named volumes)
help-compose-ps = The project's boxes: service, state, health, restarts, pool, image (old ones marked during an update), address, ports; and each service's last rollout
help-compose-logs = What the services' main processes printed
help-compose-exec = Run a command in a service's first box, like `glassbox exec`
help-compose-config = Print the file as glassbox read it, variables substituted
help-compose-scale = Set how many boxes a service has: SERVICE=N adds or removes replicas
help-doctor = Can this machine run every lesson? What is missing and how to fix it
help-completions = Print tab completion for bash, zsh or fish
help-man = Print the glassbox(1) manual page (roff)
help--root = Keep all state (boxes, namespace holds) under DIR instead of /var/lib/glassbox and /run/glassbox; tests and classes use one each. Without it, `sudo glassbox` uses the invoking user's own root, /var/lib/glassbox/users/$SUDO_USER (boxes, lessons and ports apart). DIR is taken as the real path it names (./DIR, DIR/, a symlink to it), which may hold letters, digits and / . _ - + @ % = only
help--explain = Print each kernel operation as it runs: the syscall, the shell command that does the same, and why
help--dry_run = Print the operations a step would perform, and change nothing
help--json = Machine-readable output
help--lang = The language of messages: en or ko. Without it: GLASSBOX_LANG, then LC_ALL / LC_MESSAGES / LANG (ko_KR.UTF-8 means Korean), else English. --json stays the same in both (codes, with the message as a field)
help--version = Print version
help--name = The box
help--detach = Detach: start it in the background, output to the box's log
help--interactive = Keep stdin open (the default; accepted for `docker run -it` habits)
help--tty = Give the command a pseudo-terminal, for shells and editors: -it
help--env = Set an environment variable, over the image's Env (repeatable)
help--workdir = Working folder inside the box, over the image's WorkingDir (made if missing)
help--user = Run as USER[:GROUP] (names from the image's /etc/passwd, or numbers), over the image's User
help--entrypoint = run only: this program instead of the image's Entrypoint, and without its Cmd (as docker run --entrypoint); "" for no Entrypoint at all
help--argv = The command and its arguments, after `--` (for run: the image's Entrypoint and Cmd when none is given)
help--force = Replace an image that already has the name
help--id = The lesson (default: the current one)
help-create--name = Box name: 1-63 characters from a-z 0-9 _ . - (starting with a letter or digit)
help-create--project = Label the box as part of a compose project (`glassbox compose` sets it; `compose ps` and the web page group boxes by it)
help-unshare--kinds = uts ipc net pid mnt user cgroup time, or all
help-unshare--hostname = Hostname inside the new uts namespace (default: the box name)
help-unshare--map_root_to = Host uid (and gid) that root inside the new user namespace maps to; 65536 ids are mapped from there. Default 100000
help-unshare--monotonic_offset = CLOCK_MONOTONIC offset of the new time namespace: seconds, or with a unit (90m, 2h, 1d)
help-unshare--boottime_offset = CLOCK_BOOTTIME offset of the new time namespace
help-unshare--join = Share this box's namespaces of these kinds instead of making new ones (net ipc uts pid mnt), as the containers of a Kubernetes pod do
help-run--name = The box (for exec, it must be running)
help-exec--name = The box (for exec, it must be running)
help-stop--timeout = Seconds to wait after SIGTERM before SIGKILL
help-rm--force = Remove a running box too, and clean up after a crashed command
help-inspect--path = Say which layer a path inside the box comes from
help-history--script = Print a bash script of standard tools (unshare, nsenter, mount, ip) that rebuilds the box: its namespaces held the same way, its cgroup and limits, root filesystem, volumes and network
help-reset--volumes = Delete the named volumes' data too
help-limit--memory = Memory limit; past it the kernel OOM-kills a process of the box. Swap is limited to 0 too unless --memory-swap says otherwise
help-limit--memory_swap = Swap the box may use on top of --memory (0 for none)
help-limit--cpus = CPU time as a number of CPUs: 0.5 is half of one CPU
help-limit--pids = Most processes at once; fork() fails with EAGAIN beyond
help-limit--cpuset = CPUs the box may run on, e.g. 0 or 0-1,3
help-limit--io_weight = Share of disk time, 1 to 10000 (default 100)
help-stats--count = Stop after this many samples (0: run until Ctrl-C)
help-net--ip = The box's address, e.g. 10.88.0.7/24 (default: the next free one)
help-net--subnet = The bridge's /24 when this makes the bridge (default 10.88.0.0/24 for the default root, a per-root one otherwise)
help-net--network = A network of its own: the bridge named after NAME (made on first use, removed with its last box) instead of the root's one. Boxes on two networks do not share a link; compose gives each project one
help-publish--name = The box (connected with `glassbox net`)
help-publish--ports = HOSTPORT:BOXPORT
help-publish--allow_low_port = Allow a host port below 1024
help-publish--also = Another connected box to share the port with (repeatable): each connection goes to the next box in turn, and a box that refuses it is skipped (compose's replicas behind one port)
help-serve--listen = ADDRESS:PORT to listen on (port 0: any free one); default 127.0.0.1:7878, another --root its own port
help-serve--allow_remote = Accept a --listen address that is not loopback. Anyone who can reach it sees every process on this machine
help-serve--allow_host = Another Host name (NAME or NAME:PORT) to answer to, with --allow-remote
help-daemon--socket = The Unix socket to listen on (default: docker.sock in the runtime folder: /run/glassbox/docker.sock, or DIR/run/docker.sock with --root DIR)
help-volume-rm--force = Detach it from the boxes that mount it first
help-volume-add--spec = NAME:/path, /host/path:/path, with an optional :ro
help-volume-add--force = Allow a host folder glassbox would refuse: /, /etc, /var/lib and its parents, anything under /proc /sys /dev /run /boot, a glassbox root
help-image-import--name = Image name (default: from the file name)
help-image-import--image = Which image of an archive that holds several: 1 is the first, as the list of them shows
help-image-import--all = Import every image of the archive, as NAME-1, NAME-2, …
help-image-import--max_size = The most the image's layers may expand to together, uncompressed (k, M, G, binary; default 4G)
help-image-import--max_ratio = The most uncompressed bytes per compressed byte once a layer passes 64M expanded (default 100)
help-image-export--name = The image
help-image-export--output = The archive to write
help-image-export--format = `docker` (what `docker save` writes: manifest.json, also an OCI layout) or `oci` (an OCI image layout only)
help-image-export--force = Overwrite FILE if it exists
help-image-export--tag = The name the archive gives the image, as `docker load` will list it (default NAME:latest), e.g. --tag web:v2
help-caps--drop = Capabilities to drop, comma-separated (NET_RAW or CAP_NET_RAW), or ALL
help-caps--add = Capabilities to keep of those dropped (with --drop ALL: the only ones kept)
help-caps--docker_default = Keep the 14 Docker keeps
help-seccomp--profile = default, unconfined, or a profile file in Docker's JSON format
help-devices--docker_default = Docker's rules: mknod anything, open only null, zero, full, random, urandom, tty, console, ptys and tun
help-devices--allow = Rules to allow, comma-separated: 'c 1:3 rwm', 'c 136:* rw', 'b 8:0 r'
help-mask--docker_default = Docker's masked and read-only paths (the default when no path is given)
help-mask--read_only = Paths inside the box to make read-only, comma-separated; `/` is the root filesystem itself
help-mask--paths = Paths inside the box to mask
help-build--context = The build context: the folder COPY and ADD take files from (and nothing outside it)
help-build--file = The Dockerfile (default: CONTEXT/Dockerfile)
help-build--tag = The image's name (default: the context folder's name)
help-build--no_cache = Build every step, ignoring the build cache (the cache is still filled)
help-build--build_args = A value for an ARG of the Dockerfile (repeatable)
help-build--progress = Progress: `plain` (every line, as BuildKit's plain output) or `auto` (the same; kept for `docker build` habits)
help-export--bundle = The bundle folder to make: config.json and rootfs/ (must not exist unless --force)
help-export--force = Replace DIR if it exists (only a folder holding a bundle)
help-lesson-start--id = The lesson: 02, uts or 02-uts
help-lesson-answer--id = The lesson: 02, uts or 02-uts
help-lesson-answer--n = The question's number, as `lesson status` lists them
help-lesson-answer--answer = Your answer (for a choice, its letter or its text)
help-lesson-glossary--term = A term or its beginning, in English or Korean (case-insensitive)
help-lesson-glossary--markdown = Print the book's glossary page (book/src/glossary.md) instead
help-lesson-progress--all_users = Every student's progress on this machine: each lesson root under /var/lib/glassbox/users/ (and the default root)
help-lesson-progress--export = Write this root's progress as JSON to FILE, for collection
help-lesson-progress--force = Overwrite FILE if it exists
help-lesson-dev-check--only = Check only this lesson
help-lesson-dev-check--strict = A skipped check (a need this machine lacks) fails too
help-compose--file = The compose file (default: compose.yaml, compose.yml, docker-compose.yml or docker-compose.yaml in the current folder)
help-compose--project = The project name (default: the file's `name:`, else its folder's name)
help-compose-up--detach = Start them in the background (glassbox always does; accepted for habit)
help-compose-up--build = Build every service that has `build`, even when its image exists
help-compose-up--services = Only these services (and none of their dependencies)
help-compose-down--volumes = Remove the named volumes of the file too
help-compose-logs--follow = Keep printing as they print more (until Ctrl-C)
help-compose-logs--service = Only this service
help-compose-exec--service = The service
help-compose-exec--argv = The command and its arguments, after `--`
help-compose-scale--targets = SERVICE=N, one or more
help-completions--shell = bash, zsh or fish
help--help = Print help (see more with '--help')

# The long help (`--help`, not `-h`) of the steps and lessons; the others
# show their one-line help in Korean.
help-create--long =
    Make a new, empty box.

    It isolates nothing yet: a process run in it is an ordinary host process (`glassbox run demo -- hostname` prints the host's name). Each later step adds one kind of isolation.

    Example: glassbox create demo
help-unshare--long =
    Give the box new namespaces, one step per call

    Kinds: uts (hostname), ipc (System V IPC, message queues), net
    (network stack, only `lo`), pid (own PID 1: starts the box init), mnt
    (own mount table), user (root inside is an unprivileged uid outside),
    cgroup (cgroup tree view), time (clock offsets); `all` for every one.
    Make `user` first: namespaces made after it are owned by it.
    `--join OTHER` enters OTHER's namespaces of those kinds instead (a pod).

    Examples:
      glassbox unshare demo uts --hostname box1
      glassbox unshare demo user --map-root-to 100000
      glassbox --explain unshare demo pid mnt
      glassbox unshare sidecar net ipc uts --join app
help-run--long =
    Start a process in the box (recorded as a step).

    It runs inside exactly the namespaces the box has so far. Stdin, stdout, stderr and the exit code pass through; `-d` leaves it running in the background as the box's main process. `exec` is the same without the record, for a box that is running.

    Example: glassbox run demo -- sh -c 'hostname; echo $$'
help-exec--long =
    Start another process in a running box, like `docker exec`.

    Example: glassbox exec demo -- ps -ef
help-stop--long =
    End the box's processes.

    SIGTERM first, SIGKILL after --timeout. With a PID namespace the init exits and its namespace dies with it.
help-inspect--long =
    Everything about a box.

    Per namespace kind the box's and the host's inode and what holds it; processes; steps. `--json` is the model the web page and lessons read.
help-history--long =
    The steps applied to a box, each with its kernel operations.

    `--script` prints a shell script of standard tools (util-linux, iproute2) that rebuilds the box: namespaces, cgroup and limits, root filesystem, volumes, network.
help-reset--long =
    Remove everything glassbox made under this root.

    Every box, mount, namespace hold, cgroup, init and proxy. Images stay; named volumes stay unless --volumes.
help-limit--long =
    Put the box in its own cgroup and set what it may use

    Sizes take 64M, 1G, 512k, 512MiB or bytes (binary units); `max`
    removes a limit. The box's processes are moved in, and every later
    one starts inside.

    Examples:
      glassbox limit demo --memory 64M --pids 32
      glassbox --explain limit demo --cpus 0.5
      glassbox limit demo --memory max
help-stats--long =
    Live usage of the box's cgroup, once a second.

    Until Ctrl-C: memory (current, peak, OOM kills), CPU (usage, throttling), processes.
help-net--long =
    Connect the box to the other boxes (veth pair, bridge).

    A veth pair from its network namespace (`eth0`) to a bridge on the host (made on first use), an address on the bridge's subnet and a default route. Needs `net`.

    Example: glassbox unshare web net && glassbox net web
help-publish--long =
    Forward a TCP port on the host's loopback into the box.

    127.0.0.1:HOSTPORT reaches the box's port through a small proxy glassbox runs.

    Example: glassbox publish web 8080:80 && curl http://127.0.0.1:8080/
help-rootfs--long =
    Give the box its own root filesystem.

    The image's layers stacked with overlayfs under a writable container layer, made `/` with pivot_root, with /proc, a minimal /dev, a read-only /sys and /tmp. Needs `mnt`.

    Example: glassbox image busybox && glassbox rootfs demo busybox
help-commit--long =
    Turn the box's container layer into a new image.

    It becomes one more read-only layer on top of the stack. "Each Dockerfile line is a layer", by hand.

    Example: glassbox commit demo demo-v2
help-caps--long =
    Capabilities the box's processes keep (needs the box init: `unshare pid`)

    Root's power comes in about forty capabilities; every process the box
    init starts from now on keeps only these (bounding, effective and
    permitted sets; inheritable and ambient emptied). Processes already
    running keep theirs. A dropped capability never comes back.

    Examples:
      glassbox caps web --docker-default
      glassbox caps web --drop ALL --add NET_BIND_SERVICE
help-seccomp--long =
    A seccomp filter on every system call of the box's processes

    `default` is Docker's default profile (about 350 calls allowed, the
    rest fail with EPERM); a file is a profile in Docker's JSON format;
    `unconfined` records that there is none. Compiled once, here.

    Examples:
      glassbox nnp web && glassbox seccomp web default
      glassbox seccomp web ./deny-mkdir.json
help-nnp--long =
    no_new_privs: setuid programs and file capabilities give nothing.

    Example: glassbox nnp web
help-devices--long =
    Which device nodes the box may make, read and write

    cgroup v1: devices.deny and devices.allow; cgroup v2: an eBPF program
    attached to the box's cgroup. Everything else fails with EPERM.

    Examples:
      glassbox devices web --docker-default
      glassbox devices web --allow 'c 1:3 rwm,c 1:5 rwm'
help-mask--long =
    Hide kernel files in the box, or make them read-only

    --docker-default (also with no path): /dev/null over /proc/kcore,
    /proc/keys, /proc/timer_list …, an empty tmpfs over /proc/acpi,
    /sys/firmware …, and /proc/sys, /proc/sysrq-trigger … read-only.
    Paths given are masked; --read-only paths are made read-only
    (`--read-only /`: the root filesystem, as docker run --read-only).
    Needs `mnt`.

    Examples:
      glassbox mask web --docker-default
      glassbox mask web --read-only /
help-harden--long =
    All five with Docker's defaults, as five recorded steps

    caps --docker-default, nnp, seccomp default, devices --docker-default,
    mask --docker-default. Needs `pid` and `mnt`.

    Example: glassbox harden web
help-lesson--long =
    Guided lessons with automated checks, like rustlings for containers.

    Each lesson sets up a box, states a goal and asks you to predict
    before you run, and checks your work against the same model
    `inspect --json` prints. Progress is kept under the --root
    (lessons/progress.json). IDs: 02, uts or 02-uts; without one,
    status/show/check/hint/solution/reset act on the current lesson.

      glassbox lesson list          # every lesson, done or not, hints used
      glassbox lesson start 01      # set the lesson up, print its goal and questions
      glassbox lesson show          # the idea behind it, the book chapter, the web page
      glassbox lesson answer 01 1 b # answer question 1 (predict, then run)
      glassbox lesson check         # passed / failed (expected vs actual) / skipped
      glassbox lesson hint          # the next hint for the failing check
      glassbox lesson glossary pid  # what a term means (English, 한국어)
      glassbox lesson solution      # a worked solution
      glassbox lesson reset         # remove its boxes and its progress
help-lesson-start--long =
    Set a lesson up (its boxes made afresh); print its goal and questions.

    It prints the goal, the concepts the lesson is about and its questions. From lesson 02 on you work out the commands yourself: `lesson show`, the book and `lesson hint` lead there.
help-lesson-show--long =
    The lesson's theory, its book chapter and your web page for it.

    Prints the "What and why" part of the lesson in the terminal, the book chapter that explains it at length and the address of the web page that shows the lesson's box (while `glassbox serve` runs).
help-lesson-answer--long =
    Answer a lesson's question: predict, then run.

    The first answer counts; it is judged right or wrong, then explained, and kept in your progress. A lesson is done once every check passes and every question is answered.

    Example: glassbox lesson answer 02 1 the host's name
help-doctor--long =
    Can this machine run every lesson? What is missing and how to fix it.

    Tries each feature glassbox uses instead of guessing: a namespace of each of the 8 kinds, an overlay mount and pivot_root (in a throw-away mount namespace), the cgroup layout and controllers, busybox-static, user namespace restrictions, a bridge and a veth pair (in a throw-away network namespace). Nothing is left behind. Each missing piece comes with the command that fixes it; then each lesson says whether it can run here. Exit code 0 when everything is usable, 1 otherwise.

    Example: sudo glassbox doctor
help-serve--long =
    Serve the live web page: process tree, namespaces, layers, cgroup

    Keep it open beside the terminal: every step shows up within a second.
    Pages: / (every box, the host), /box/NAME (process tree, the 8
    namespaces box vs host and what holds them, the layer stack, cgroup
    gauges, network, step history), /host (every namespace on the
    machine, like lsns). JSON: /api/boxes, /api/boxes/NAME, /api/host.
    Read-only, loopback only, and it answers only to the names
    127.0.0.1, localhost and [::1] with its port.

    Example: glassbox serve   # then open the address it prints
help-volume-add--long =
    Mount a volume into a box: NAME:/path or /host/path:/path, `:ro` for
    read-only. Before `rootfs` it is mounted by `rootfs`; after, at once,
    even into a running box. A host folder must exist; glassbox never
    creates one.

    Examples:
      glassbox volume create data && glassbox volume add web data:/data
      glassbox volume add web /srv/site:/var/www:ro
help-image-import--long =
    Import a `docker save` archive, an OCI image layout (tar or folder), or a plain root filesystem tar(.gz) such as `docker export` makes.

    Two limits stop an archive built to fill the disk (a gzip bomb): the image's layers may expand to 4G together, and once a layer passes 64M expanded, to at most 100 bytes per compressed byte.

    Example: glassbox image import alpine.tar --name alpine
help-image-from-host--long =
    Make an image of host programs and the libraries they load.

    Example: glassbox image from-host --name tools sh ls cat
help-image-export--long =
    Write an image as a `docker save` tar or an OCI image layout tar, for `podman load`, `docker load` or `skopeo`.

    Example: glassbox image export hello -o hello.tar && podman load -i hello.tar
help-build--long =
    Build an image from a Dockerfile: each line a layer or a config change.

    RUN runs in a box made by glassbox's own steps (create, unshare pid mnt uts ipc, rootfs of the image so far) and its container layer becomes the layer, as `commit` makes it; COPY/ADD write a layer from the context; ENV, CMD, WORKDIR… change only the config. Unchanged steps come from the build cache (CACHED).

    Example: glassbox build -t hello ./app && glassbox image history hello
help-export--long =
    Write a box out as an OCI runtime bundle (config.json + rootfs/).

    The box's namespaces, hostname, id maps, cgroup limits, mounts and its image's process, as runc reads them.

    Example: glassbox export demo --bundle /tmp/demo && runc run --bundle /tmp/demo demo
help-lesson-glossary--long =
    What a term the lessons use means, in English and Korean.

    Also names the book chapter that explains it. Without TERM, every term; the book's glossary page lists the same.
help-lesson-progress--long =
    Your progress; for instructors, every student's on this machine

    Without a flag, your own root's progress. --all-users lists every
    student root on this machine, --export writes one student's progress
    as JSON to collect from many machines.

      glassbox lesson progress                        # yours
      sudo glassbox lesson progress --all-users       # every student's on this VM
      glassbox lesson progress --export alice.json    # yours, as JSON, to collect
help-completions--long =
    Print tab completion for bash, zsh or fish.

    Example: glassbox completions bash > /etc/bash_completion.d/glassbox
help-man--long =
    Print the glassbox(1) manual page (roff).

    Example: glassbox man > /usr/local/share/man/man1/glassbox.1
help-daemon--long =
    Serve the Docker Engine API on a Unix socket, so `docker` drives glassbox.

    Point the real docker CLI (or a Docker SDK) at the socket and each
    request becomes ordinary glassbox steps, recorded in the box's history
    with the request that made them: `docker run -d -m 64m -v data:/data
    busybox sleep 60` is `create`, `limit --memory 64M`, `unshare uts ipc
    net pid mnt`, `rootfs`, `volume add`, `net`, Docker's hardening (`caps`,
    `nnp`, `seccomp`, `devices`, `mask`) and `run`. Boxes made through
    the API are ordinary boxes (glassbox ls, inspect, exec, rm work on them),
    and docker ps lists boxes made by hand. Runs in the foreground; SIGTERM
    or Ctrl-C stops it and leaves the containers running; started again, it
    serves them again.

    The socket is root's (mode 0660, group glassbox if there is one):
    whoever can use it is root on this machine, as with dockerd's. There is
    no TCP listener. glassbox is offline: `docker pull` says how to load an
    image instead (`docker load -i FILE`, `glassbox image import FILE`).

    Served: ping, version, info, events; containers: create, start, stop,
    kill, wait, rm, ps, inspect, logs (-f), attach, top, stats, diff, exec,
    commit, run -it and exec -it (a terminal the daemon holds), --cap-add,
    --cap-drop, --security-opt seccomp=/no-new-privileges, --read-only,
    --entrypoint; images: ls, inspect, history, rm, tag, load, save, build
    (the classic builder: DOCKER_BUILDKIT=0); volumes: ls, create, inspect,
    rm; networks: ls, inspect (bridge, none). Refused with the reason:
    --privileged, --device, --gpus, --network/--pid host, pull, push.
    With --explain every step prints its kernel operations as it runs.

    Example:
      sudo glassbox daemon &
      sudo DOCKER_HOST=unix:///run/glassbox/docker.sock docker run --rm busybox echo hi
      sudo glassbox history $(sudo glassbox ls | awk 'NR==2 {"{"}print $1{"}"}')
help-compose--long =
    Several boxes from one compose.yaml, each made of ordinary glassbox steps.

    Reads a subset of the Compose Specification (compose.yaml,
    docker-compose.yml) and turns each service into the steps you would
    type: create, limit, unshare, rootfs, volume add, net, publish, caps,
    run. `--dry-run compose up` prints them all ("compose up is these N
    steps"); `--explain compose up` prints them and each one's kernel
    operations as it runs. Boxes are named PROJECT-SERVICE-N, labelled with
    their project, and are ordinary boxes for every other command. Services
    find each other by name through /etc/hosts, which compose writes in
    every box of the project. A supervisor process per project
    (glassbox-supervisor, started by up, stopped by down and reset) runs
    the healthchecks on their schedule and restarts on-failure services.
    A published port belongs to the service's pool (`glassbox pool`), not to
    a box; a replica the supervisor finds unhealthy leaves the pool until it
    is healthy again. Change a service's image and run `up -d` again: a
    rolling update replaces its replicas per deploy.update_config, each new
    one healthy (as its supervisor records) before it serves and each old
    one drained before it stops; one that never gets healthy rolls it back.

    Keys read: services.*: image, build (context, dockerfile, args),
    command, entrypoint, environment, env_file, ports (HOST:BOX), volumes
    (named, ./bind, :ro), depends_on (service_started, service_healthy,
    service_completed_successfully), healthcheck (test, interval, timeout,
    retries, start_period), hostname, working_dir, user, mem_limit, cpus,
    pids_limit, deploy.resources.limits, deploy.replicas, deploy.update_config
    (parallelism, delay, order, failure_action: rollback|pause), cap_add,
    cap_drop, read_only, network_mode (none, service:NAME), networks,
    restart (no, on-failure[:N]);
    top-level name, volumes, networks. ${"{"}VAR{"}"}, ${"{"}VAR:-default{"}"}, $$ and .env.
    Any other key is an error naming it and its line.

    Examples:
      glassbox compose config
      glassbox --dry-run compose up
      glassbox compose up -d && glassbox compose ps
      glassbox compose exec web -- cat /etc/hosts
      glassbox compose down -v
help-pool = One published port for several boxes, with a balancer that belongs to no box.
help-pool-add = Add a connected box to the pool, serving on HOSTPORT:BOXPORT (the pool, and the port's balancer, are made on first use)
help-pool-add--pool = The pool
help-pool-add--ports = HOSTPORT:BOXPORT
help-pool-add--allow_low_port = Allow a host port below 1024
help-pool-drain = Send a member no new connection, wait until the ones it has are done, then take it out of the pool (before the box stops)
help-pool-drain--pool = The pool
help-pool-drain--timeout = Seconds to wait for its connections to finish before taking it out anyway
help-pool-rm = Stop the pool's balancers and forget it (its boxes stay)
help-pool-rm--pool = The pool
help-pool-ls = Every pool: its ports, balancers and members with their state
help-pool--long =
    One published port for several boxes, with a balancer that belongs to no box.

    `publish` gives a port to one box, and its proxy goes with the box. A
    pool's balancer (a `glassbox-lb` process per host port) stays while its
    members come and go: it sends each new connection to the next serving
    member in turn, none to one that drains or is out. Compose makes one pool
    per service that publishes a port, named PROJECT-SERVICE.

    Examples:
      glassbox pool add shop-web shop-web-1 8080:80
      glassbox pool drain shop-web shop-web-1
      glassbox pool ls
      glassbox pool rm shop-web
help-pool-add--name = The box (connected with `glassbox net`)
help-pool-drain--name = The member box
