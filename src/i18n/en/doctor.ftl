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
# What is missing and how to fix it: the lesson runner gives the same words
# when it skips a check.
doctor-assumed-missing = { $need } ({ $env } says this machine lacks it)
doctor-root-fix = run glassbox with sudo
doctor-overlay-fix = modprobe overlay (a kernel with CONFIG_OVERLAY_FS)
doctor-userns-missing = user namespaces ({ $reason })
doctor-userns-fix = a kernel with CONFIG_USER_NS
doctor-timens-missing = time namespaces ({ $reason }; kernel { $kernel })
doctor-timens-fix = time namespaces need Linux 5.6 or later with CONFIG_TIME_NS: upgrade the kernel
doctor-timens-fix-short = time namespaces need Linux 5.6+ with CONFIG_TIME_NS
doctor-ns-fix = a kernel built with CONFIG_{ $flag }_NS
doctor-cgroup-v2-missing = cgroup v2 (this machine: { $detail })
doctor-grub-fix = boot with cgroup v2: add systemd.unified_cgroup_hierarchy=1 to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub, reboot
doctor-controller-missing = the { $controller } cgroup controller ({ $detail })
doctor-controller-enabled = enabled in { $file }
doctor-controller-available = available; not enabled in { $file } yet (glassbox enables it when it makes a box's cgroup)
doctor-controller-unlisted = { $file } does not list it
doctor-controller-fix = the kernel offers no such controller here: use a kernel built with it, or one booted without cgroup_disable={ $controller }
doctor-controller-v1 = cgroup v1 hierarchy { $dir }
doctor-controller-no-v1 = no cgroup v1 hierarchy carries { $controller }
doctor-veth-missing = virtual network devices ({ $reason })
doctor-docker-missing = the docker client (docker on PATH)
doctor-docker-fix = apt-get download docker.io && dpkg-deb -x docker.io_*.deb x && install x/usr/bin/docker /usr/local/bin/ (the client alone: never start its dockerd)
doctor-pivot-root-initramfs = the root filesystem is the initramfs (rootfs)
doctor-pivot-root-fix = boot from a disk image (a real root filesystem), or switch_root out of the initramfs first
doctor-lesson-fix = fix the lesson (glassbox lesson dev-check)
doctor-seccomp-ok = the kernel takes BPF filters (seccomp step)
doctor-seccomp-fix = a kernel built with CONFIG_SECCOMP_FILTER
doctor-prctl-ok = available (caps and nnp steps)
doctor-prctl-fix = a kernel newer than 4.3
doctor-userns-max = user.max_user_namespaces is 0: no user namespace can be made
doctor-userns-apparmor = kernel.apparmor_restrict_unprivileged_userns is 1: AppArmor refuses user namespaces to unconfined programs without privileges (root is not affected)
doctor-userns-clone = kernel.unprivileged_userns_clone is 0: only root may make user namespaces
# The names in doctor's first column (--json keeps the English names).
doctor-name-namespace = namespace { $kind }
doctor-name-userns-limits = user namespace limits
doctor-name-controller = controller { $controller }
doctor-name-docker = docker client
doctor-name-seccomp = seccomp filters
doctor-layout-unified = cgroup v2 (unified): one tree, controllers enabled per subtree
doctor-layout-hybrid = hybrid: the controllers sit in the cgroup v1 trees and the v2 tree has none, so glassbox uses v1
doctor-layout-legacy = cgroup v1 (legacy): one tree per controller
