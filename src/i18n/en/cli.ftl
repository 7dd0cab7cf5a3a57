# Lines of the CLI's own commands: the daemon, pools, `image inspect`, `lesson progress` (the instructor's report), warnings.

warning = warning: { $what }
warning-hosts-not-written = /etc/hosts not written in { $name }
warning-rollout-not-written = the rollout record of { $service } was not written: { $error }
warning-rollback-not-kept = { $service }: the image to roll back to was not kept: { $error }
warning-removed-not-kept = { $error } (the record of the removed box was not kept)
warning-maybe-in-pool = { $name } may still be named in a pool ({ $error }): glassbox pool ls
warning-probes-counted = { $error } (what the checks' own probes did may be counted as yours next time)

daemon-would-listen = would listen on { $path } and run each request's steps as glassbox commands
daemon-serving = glassbox daemon: serving the Docker Engine API on { $path }
daemon-try = try:
daemon-note = note: { $note }
daemon-stopped = glassbox daemon: stopped; containers keep running, and a new daemon serves them again
daemon-step = step:
daemon-exec = exec { $id } in { $name }:
daemon-tag = tag: glassbox image { $name } is now { $id } too
daemon-kill = kill({ $name }, { $signal }) for each process the box init started

pool-serves = { $name } serves in pool { $pool }: 127.0.0.1:{ $port } -> { $address }:{ $box_port }
pool-drained = { $name }: drained in { $seconds }s, out of pool { $pool }
pool-still-open = { $name }: { $count } connections still open after { $patience }: out of pool { $pool } anyway
pool-no-answer = { $name }: a balancer of pool { $pool } did not answer in { $patience }: out of the pool anyway
pool-removed = pool { $pool } removed: { $ports } closed
pool-no-port = no port
pool-col-pool = POOL
pool-col-ports = PORTS
pool-col-members = MEMBERS
pool-balancer-gone = (balancer gone)

image-inspect-title = image { $name } (from { $source })
image-inspect-no-config = config: none (run needs a command: glassbox run BOX -- CMD)
image-inspect-layers = layers ({ $count }, bottom first):
image-inspect-files = files

class-none = No student roots under { $path } yet: a student's root appears with their first `sudo glassbox lesson start`.
class-col-user = USER
class-col-current = CURRENT
class-col-done = DONE
class-col-right = RIGHT
class-col-hints = HINTS
class-col-lessons = LESSONS DONE
class-legend = RIGHT: questions answered right, of those answered. HINTS: hints asked for with `lesson hint`.

serve-serving = glassbox: serving { $url }  (open it in a browser; Ctrl-C stops)
export-would-write = would write image { $name } as a { $format } archive to { $path }
export-written = image { $name } written to { $path } ({ $format } format, { $count } layer(s), { $size })
export-try = try:
export-bundle-no-time = note: runc's config has no time namespace: the bundle runs with the host's clocks
export-bundle-written = bundle of box { $name } written to { $path } (config.json, rootfs/)
import-layer-files = { $count } files, { $size }
import-layer-gone = (gone: another import replaced image { $name } since)
compose-image-kept = { $service }: its image as its replicas run it kept as { $kept }, to roll back to

lesson-course-done = That was the last lesson, and all { $count } are done: you have built a container by hand, one kernel feature at a time. Done!
lesson-last-but-left = That was the last lesson in order, but { $left } of { $count } are not done yet ({ $list }): glassbox lesson start { $first }
lesson-setup-failed = glassbox: setting up lesson { $lesson } failed: { $error }
lesson-setup-hint = glassbox: `glassbox doctor` says what this machine lacks; `glassbox lesson reset` removes what was made
lesson-solution-note = note: lesson { $lesson } is not passed yet; this is one way to pass it (try `glassbox lesson hint` first next time)
build-dry-run = (dry run: nothing was built)
history-col-layer = LAYER
history-col-size = SIZE
history-col-build = BUILD
history-col-created-by = CREATED BY
history-config-only = config only
