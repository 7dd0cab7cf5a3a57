# `glassbox doctor`: one line per feature, then whether each lesson can run here.

doctor-title = glassbox doctor: can this machine run every lesson?
doctor-kernel = kernel
doctor-ok = ok
doctor-no-optional = no (optional)
doctor-missing = MISSING
doctor-fix = fix: { $fix }
doctor-wsl = This is WSL2: its kernel may lack features a classroom VM has; the lines above say which.
doctor-lessons = lessons
doctor-no-lessons = (none)
doctor-can-run = can run here
doctor-cannot-run = cannot run here: needs { $what }
doctor-all-good = Everything glassbox needs is here.
doctor-summary = { $features } feature(s) missing, { $lessons } lesson(s) cannot run here: run the fix lines above, then `glassbox doctor` again.
doctor-root-ok = glassbox runs as root
doctor-ns-ok = a new one can be made
doctor-ns-failed = unshare failed: { $reason }
doctor-overlay-listed = listed in /proc/filesystems
doctor-overlay-loaded = not listed in /proc/filesystems before, loaded on use
doctor-overlay-ok = { $listed }; a test mount worked
doctor-pivot-root-ok = works on this root filesystem
doctor-busybox-ok = { $path } is static
doctor-cgroup-v2-ok = the unified hierarchy
doctor-bridge-ok = one can be made
doctor-veth-ok = a pair can be made
doctor-docker-ok = on PATH, for the daemon lesson
