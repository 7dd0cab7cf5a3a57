# The web page's inner texts: the box, host and lesson pages' sentences,
# tooltips, gauges, the diagram and the layer stack (web.ftl has the frame,
# headings and table labels). Commands in them are { $values }, shown as code.

# The box's summary.
web-half-made-by = half made by { $step }: { $command }
web-box-of-lesson = A box of the current lesson:
web-own-namespaces-label = namespaces of its own
web-user-map-text = uid/gid 0..{ $last } inside = { $first }..{ $end } on the host
web-clocks-text = monotonic { $mono }s, boottime { $boot }s
web-hostname-hosts = (the host's)
web-health-recorded = { $line }, as its compose project's supervisor recorded it ({ $command })

# The diagram: its labels, and its description for a screen reader.
web-diagram-title = box { $name }: walls of its namespaces, processes inside the walls they are in
web-diagram-order = From the outside in: { $order }.
web-diagram-no-walls = no namespace of its own
web-diagram-chip = Host pid { $pid } ({ $line }) is inside { $depth ->
    [one] { $depth } wall
   *[other] { $depth } walls
}{ $outside }.
web-diagram-pod = The outermost { $n ->
    [one] wall goes
   *[other] { $n } walls go
} around a pod:
web-diagram-pod-box = box { $name } ({ $what }).
web-diagram-this-page = this page
web-diagram-this-box = box { $name } (this page)
web-diagram-other-box = box { $name } →
web-diagram-host = the host
web-diagram-host-shared = the host · shared: { $kinds }
web-wall-made-by = { $kind } · made by { $maker }
web-wall-ns-made-by = { $kind } namespace { $inode } · made by { $maker }
web-wall-ns = { $kind } namespace { $inode }
web-diagram-no-process = no process
web-chip-outside-pid = not in its pid ns
web-chip-host-pid = host pid { $pid }
web-chip-outside = outside { $kinds }
web-pod-host = (host { $pid })

# The cgroup gauges, charts and counters.
web-meter-memory = memory
web-meter-cpu = CPU
web-meter-pids = processes (pids)
web-no-limit = no limit
web-cpus = { $n } CPUs
web-meter-no-limit = { $used }, no limit
web-chart-memory-label = memory over the last minutes
web-chart-cpu-label = CPU over the last minutes
web-chart-pids-label = processes over the last minutes
web-kept-by = kept by { $serve } while this page is open
web-counters = cgroup counters
web-counter-oom-kills = OOM kills
web-counter-oom-kills-why = processes the kernel killed because the box went over its memory limit
web-counter-limit-hits = times memory reached the limit
web-counter-limit-hits-why = allocations that hit the limit and had to reclaim first (v2 memory.events max, v1 memory.failcnt); a kill can come without one being counted
web-counter-peak = memory peak
web-counter-peak-why = the most the box used at once
web-counter-cpu-time = CPU time
web-counter-cpu-time-why = CPU time used by all its processes so far
web-counter-throttled-periods = throttled periods
web-counter-throttled-periods-why = 100 ms periods in which the box used its whole CPU quota and had to wait
web-counter-throttled-time = throttled time
web-counter-throttled-time-why = time its processes waited for the next period
web-seconds = { $n } s
web-layout-unified = cgroup v2 (unified): one tree, controllers enabled per subtree
web-layout-hybrid = hybrid: the controllers sit in the cgroup v1 trees and the v2 tree has none, so glassbox uses v1
web-layout-legacy = cgroup v1 (legacy): one tree per controller

# The steps: the request that made them, and what each changed.
web-request-made-by = made by the request
web-request-body = body
web-request-step = step { $first }
web-request-steps = steps { $first }–{ $last }
web-after = +{ $n }s
web-actor-host = host
web-actor-helper = helper
web-fact-state = state
web-fact-namespace = { $kind } namespace
web-fact-its-own = its own
web-fact-hosts = the host's
web-fact-user-map = 0..{ $count } inside = { $outside }.. on the host
web-fact-limit = { $kind } limit
web-fact-mounted = mounted, pivot_root done
web-fact-not-mounted = not mounted
web-fact-volume = volume { $path }
web-fact-mount = mount { $path }
web-fact-port = port { $port }
web-fact-published = published

# Processes and namespaces.
web-ps-caption = { $count }, as a tree (siblings by pid inside)
web-role-init = init (PID 1)
web-role-main = main process
web-not-in-its = not in its { $kinds }
web-pid-outside = - (outside)
web-uid-unmapped = 65534 (unmapped)
web-ns-intro = Holds live under { $dir }. The box's namespace of each kind next to the host's. Same inode = shared with the host. A namespace is per process: a process started before a later { $unshare } stays in the old one (marked).
web-host-inodes = Host inodes:
web-yes = yes
web-no = no
web-not-in-it = not in it: pid
web-held-shared = - (shared with the host)
web-held-bind = bind mount { $path }
web-held-init = process { $pid } (glassbox-init, PID 1 inside)
web-held-nothing = nothing: its init (process { $pid }) exited, and the namespace with it
web-host-ref-pid1 = the host's namespaces are PID 1's (/proc/1/ns), as lsns shows them
web-host-ref-glassbox = glassbox's own namespaces (/proc/self/ns) stand for the host's: { $file } cannot be read ({ $error })

# The root filesystem: the layer stack and each layer's files.
web-image = image
web-mounted-as = mounted as { $root } with pivot_root
web-not-mounted-yet = not mounted yet (run { $command })
web-stack-label = layer stack, top first
web-band-volume = volume at { $path }
web-band-read-only = (read-only)
web-band-bind = bind mount of { $path }
web-band-waits = (mounted by rootfs)
web-layer-container = container layer
web-layer-committed = committed layer
web-layer-added = added layer
web-layer-image = image layer
web-writable = (writable)
web-layers-only = (layers only)
web-made-by = made by
web-made-by-box = box
web-made-by-commit = commit
web-made-by-image = image
web-source-writable = writable
web-source-box = box { $name } (deleted with the box)
web-source-image = image { $name }
web-mark-added = + added
web-mark-changed = ~ changed
web-mark-deleted = − deleted (whiteout)
web-mark-opaque = ▣ opaque folder
web-mark-hidden = struck: hidden by a layer above
web-files-label = files of this layer
web-file-deleted = deleted
web-file-dir = dir
web-file-file = file
web-file-symlink = symlink
web-file-other = other
web-hides-below = hides { $size } below
web-wasted = { $size } wasted (hidden above)
web-more-entries = … more entries than shown here: { $command } lists the container layer's.

# Mounts, network, output.
web-no-mount-reader = No process in the box's mount namespace to read its table through: run one ({ $command }).
web-mounts-caption = { $count }, as { $command } shows them inside
web-noun-mount = mount
web-net-caption = the box's connection
web-net-host-end = (host end of the veth pair: { $veth })
web-none = none
web-port-in-box = → port { $port } in the box
web-log-label = the end of the box's output log

# The host page.
web-host-intro = { $count }, like { $lsns }, grouped by kind.
web-noun-namespace = namespace
web-mark-host = host
web-host-legend-host = the host's own
web-host-legend-box = one a glassbox box holds
web-host-lives = A namespace lives as long as a process is in it or a bind mount holds it.
web-kind-isolates = — isolates { $what }
web-kind-namespaces = { $kind } namespaces
web-col-first-pid = first pid
web-col-command = command
web-col-whose = whose
web-box-named = box { $name }

# The lesson page.
web-lesson-heading = Lesson
web-lesson-done = done: every check passed
web-lesson-not-done = not passed yet
web-hints-shown = { $n ->
    [one] { $n } hint shown
   *[other] { $n } hints shown
}
web-book-chapter = Book chapter:
web-chapter-served = ({ $file }; { $command } serves it there)
web-checks = Checks
web-no-lesson = No lesson yet
web-start-lesson = Start one: { $list }, then { $start }. This page then shows its checks.

# The overview's limits column (pids and cpuset keep their names).
web-limit-io-weight = io weight

# A compose box's health, as its project's supervisor recorded it.
state-healthy = healthy
state-unhealthy = unhealthy
state-starting = starting
web-health-status = health: { $status } (failing streak { $streak } of { $checks } checks)
web-health-status-last = health: { $status } (failing streak { $streak } of { $checks } checks; last: { $last })
web-health-restarts = restarts: { $n }
web-health-restarts-of = restarts: { $n } of { $limit }
web-health-last-exit = (last exit code { $code })
