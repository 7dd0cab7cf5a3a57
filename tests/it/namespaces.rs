//! Each namespace kind, seen from inside the box.

use crate::harness::{Sandbox, host_ns_inode};

const KINDS: [&str; 8] = ["user", "mnt", "uts", "ipc", "net", "cgroup", "time", "pid"];

fn inside(sb: &Sandbox, name: &str, script: &str) -> String {
    sb.ok(&["run", name, "--", "sh", "-c", script])
}

/// The namespace inodes a process in the box is in, as it reads them itself.
fn inodes_inside(sb: &Sandbox, name: &str) -> Vec<(String, u64)> {
    let out = inside(
        sb,
        name,
        "for k in user mnt uts ipc net cgroup time pid; do echo $k $(stat -L -c %i /proc/self/ns/$k); done",
    );
    out.lines()
        .map(|l| {
            let (k, i) = l.split_once(' ').unwrap();
            (k.to_string(), i.trim().parse().unwrap())
        })
        .collect()
}

#[test]
fn each_kind_isolates_itself_and_nothing_else() {
    let sb = Sandbox::new("eachkind");
    for kind in KINDS {
        let name = sb.name(kind);
        sb.ok(&["create", &name]);
        sb.ok(&["unshare", &name, kind]);
        for (k, inode) in inodes_inside(&sb, &name) {
            if k == kind {
                assert_ne!(inode, host_ns_inode(&k), "{kind}: the box's {k} namespace must differ from the host's");
                assert_eq!(inode, sb.inodes(&name, &k).0, "{kind}: inspect must report the inode the process is in");
            } else {
                assert_eq!(inode, host_ns_inode(&k), "after unshare {kind}, {k} must still be the host's");
            }
        }
        sb.ok(&["rm", "--force", &name]);
    }
}

#[test]
fn a_box_with_no_steps_is_a_plain_host_process() {
    let sb = Sandbox::new("nosteps");
    let name = sb.name("plain");
    sb.ok(&["create", &name]);
    for (k, inode) in inodes_inside(&sb, &name) {
        assert_eq!(inode, host_ns_inode(&k), "{k}");
    }
}

#[test]
fn uts_hostname_is_set_inside_and_invisible_outside() {
    let sb = Sandbox::new("uts");
    let name = sb.name("uts");
    let host_before = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "uts", "--hostname", "inside-box"]);
    assert_eq!(inside(&sb, &name, "hostname").trim(), "inside-box");
    // A change made inside persists for the next command, and stays inside.
    inside(&sb, &name, "hostname changed-inside");
    assert_eq!(inside(&sb, &name, "hostname").trim(), "changed-inside");
    assert_eq!(std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap(), host_before);
}

#[test]
fn pid_init_is_pid_1_and_host_processes_are_invisible() {
    let sb = Sandbox::new("pid");
    let name = sb.name("pid");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    let out = inside(&sb, &name, "echo $$ $PPID; cat /proc/1/comm; ls /proc | grep -c '^[0-9]'");
    let lines: Vec<&str> = out.lines().collect();
    let ids: Vec<i32> = lines[0].split(' ').map(|x| x.parse().unwrap()).collect();
    assert!(ids[0] > 1, "the command is not PID 1: {out}");
    assert_eq!(ids[1], 1, "its parent is the box init, PID 1: {out}");
    assert_eq!(lines[1], "glassbox-init");
    let visible: usize = lines[2].trim().parse().unwrap();
    assert!(visible <= 4, "only the box's processes are visible in /proc, saw {visible}");
    // The test process itself has a host pid the box must not see.
    let me = std::process::id();
    let probe = inside(&sb, &name, &format!("test -e /proc/{me} && echo seen || echo unseen"));
    assert!(me <= 4 || probe.trim() == "unseen");
    let ps = sb.ok(&["ps", &name]);
    assert!(ps.contains("init") && ps.contains("glassbox-init"), "{ps}");
}

/// CVE-2019-5736: root in a box without a user namespace is the host's root,
/// and `/proc/1/exe` leads to whatever file the init was exec'd from.
#[test]
fn the_init_image_cannot_be_written_through_proc_exe() {
    let sb = Sandbox::new("initexe");
    let name = sb.name("exe");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    let binary = std::fs::read(env!("CARGO_BIN_EXE_glassbox")).unwrap();
    let inside_says = inside(&sb, &name, "echo x >> /proc/1/exe && echo written || echo refused");
    assert_eq!(inside_says.trim(), "refused");
    let init = sb.init_pid(&name);
    let err = std::fs::OpenOptions::new().append(true).open(format!("/proc/{init}/exe")).unwrap_err();
    // Read-only overlay view or sealed copy; ETXTBSY would only mean "the
    // host's binary, safe until the init exits".
    assert!([libc::EROFS, libc::EPERM].contains(&err.raw_os_error().unwrap()), "{err}");
    assert!(std::fs::read(env!("CARGO_BIN_EXE_glassbox")).unwrap() == binary, "the host's binary changed");
    sb.ok(&["rm", "--force", &name]);
}

/// The init's image is the binary's folder seen through an overlay with an
/// empty folder below it; overlayfs refuses a layer inside another (ELOOP),
/// so with the empty folder under the state root, a root inside the binary's
/// folder fell back to copying the binary (megabytes) at every init.
#[test]
fn the_init_runs_from_the_overlay_view_also_with_the_root_inside_the_binarys_folder() {
    let sb = Sandbox::new("initdir");
    let copy = sb.root.parent().unwrap().join("glassbox");
    std::fs::copy(env!("CARGO_BIN_EXE_glassbox"), &copy).unwrap();
    let name = sb.name("img");
    for args in [&["create", name.as_str()][..], &["unshare", &name, "pid"]] {
        let out = std::process::Command::new(&copy).arg("--root").arg(&sb.root).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let init = sb.init_pid(&name);
    let exe = std::fs::read_link(format!("/proc/{init}/exe")).unwrap();
    assert_eq!(exe, std::path::Path::new("/glassbox"), "the overlay view, not a sealed copy");
    sb.ok(&["rm", "--force", &name]);
}

#[test]
fn init_reaps_orphans() {
    let sb = Sandbox::new("reap");
    let name = sb.name("reap");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    // Each `sleep &` outlives its shell and is re-parented to the init.
    inside(&sb, &name, "for i in 1 2 3 4 5; do sh -c 'sleep 0.1 &'; done; sleep 0.5");
    let zombies = inside(&sb, &name, "grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l");
    assert_eq!(zombies.trim(), "0", "the init must reap orphans");
}

#[test]
fn net_has_only_loopback_and_it_is_up() {
    let sb = Sandbox::new("net");
    let name = sb.name("net");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "net"]);
    let links = inside(&sb, &name, "ip -o link");
    assert_eq!(links.lines().count(), 1, "{links}");
    assert!(links.contains("lo:") && links.contains("UP"), "{links}");
}

#[test]
fn user_root_inside_is_the_mapped_uid_outside() {
    let sb = Sandbox::new("user");
    let name = sb.name("user");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "user", "--map-root-to", "200000"]);
    assert_eq!(inside(&sb, &name, "id -u").trim(), "0");
    assert_eq!(
        inside(&sb, &name, "cat /proc/self/uid_map").split_whitespace().collect::<Vec<_>>(),
        ["0", "200000", "65536"]
    );
    sb.ok(&["run", &name, "-d", "--", "sleep", "30"]);
    let m = sb.inspect(&name);
    let main =
        m["processes"].as_array().unwrap().iter().find(|p| p["role"] == "main").expect("the detached main process");
    assert_eq!(main["uid_on_host"], 200000, "the host sees the mapped uid");
}

#[test]
fn user_first_then_others_are_owned_by_it() {
    let sb = Sandbox::new("userown");
    let name = sb.name("own");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "user", "uts"]);
    // Root in the box may change the hostname only because the user
    // namespace owns the uts namespace.
    assert_eq!(inside(&sb, &name, "hostname owned && hostname").trim(), "owned");
}

#[test]
fn ipc_objects_made_inside_are_invisible_outside() {
    let sb = Sandbox::new("ipc");
    let name = sb.name("ipc");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "ipc"]);
    // An odd size marks the segment so it can be told apart from any other.
    let size = "45679";
    inside(&sb, &name, &format!("ipcmk -M {size}"));
    let seen_inside = inside(&sb, &name, "ipcs -m");
    assert!(seen_inside.contains(size), "the segment persists in the box: {seen_inside}");
    let host = crate::harness::text(&std::process::Command::new("ipcs").arg("-m").output().unwrap().stdout);
    assert!(!host.contains(size), "the host must not see the box's segment: {host}");
}

#[test]
fn time_offsets_shift_the_clocks_inside() {
    let sb = Sandbox::new("time");
    let name = sb.name("time");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "time", "--monotonic-offset", "1d", "--boottime-offset", "7200"]);
    let uptime = |s: &str| -> f64 { s.split_whitespace().next().unwrap().parse().unwrap() };
    let host_boot = uptime(&std::fs::read_to_string("/proc/uptime").unwrap());
    let box_boot = uptime(&inside(&sb, &name, "cat /proc/uptime"));
    assert!((box_boot - host_boot - 7200.0).abs() < 30.0, "boottime inside {box_boot} vs host {host_boot}");
    let mono = |out: &str| -> f64 { out.trim().parse().unwrap() };
    let py = "import time; print(time.monotonic())";
    let host_mono =
        mono(&crate::harness::text(&std::process::Command::new("python3").args(["-c", py]).output().unwrap().stdout));
    let box_mono = mono(&sb.ok(&["run", &name, "--", "python3", "-c", py]));
    assert!((box_mono - host_mono - 86400.0).abs() < 30.0, "monotonic inside {box_mono} vs host {host_mono}");
}

#[test]
fn cgroup_namespace_shows_its_root_as_slash() {
    let sb = Sandbox::new("cgns");
    let name = sb.name("cgns");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "cgroup"]);
    let out = inside(&sb, &name, "cat /proc/self/cgroup");
    for line in out.lines() {
        assert!(line.ends_with(":/"), "every hierarchy is rooted at the box's cgroup: {out}");
    }
}

#[test]
fn mounts_inside_stay_inside_and_persist() {
    let sb = Sandbox::new("mnt");
    let name = sb.name("mnt");
    let target = sb.victim.parent().unwrap().join("mnt-target");
    std::fs::create_dir_all(&target).unwrap();
    let t = target.display().to_string();
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt"]);
    inside(&sb, &name, &format!("mount -t tmpfs boxonly {t} && touch {t}/made-inside"));
    assert!(crate::harness::mounts_containing(&t).is_empty(), "the box's mount leaked to the host");
    assert!(!target.join("made-inside").exists());
    assert_eq!(
        inside(&sb, &name, &format!("ls {t}")).trim(),
        "made-inside",
        "the box keeps its mount between commands"
    );
}

#[test]
fn a_new_mount_table_keeps_no_namespace_handles() {
    // The kernel's copy of the host's mounts includes every box's holds:
    // left there, this box would keep the other boxes' namespaces alive.
    let sb = Sandbox::new("mnth");
    let other = sb.name("o");
    sb.ok(&["create", &other]);
    sb.ok(&["unshare", &other, "uts", "ipc", "net"]);
    for kinds in [&["mnt"][..], &["user", "mnt"]] {
        let name = sb.name(kinds[0]);
        sb.ok(&["create", &name]);
        sb.ok(&[&["unshare", name.as_str()][..], kinds].concat());
        let table = inside(&sb, &name, "cat /proc/self/mountinfo");
        for line in table.lines() {
            assert!(!line.contains(" - nsfs ") && !line.contains("glassbox-holds"), "{kinds:?}: a handle left: {line}");
        }
        assert!(table.lines().count() > 5, "{kinds:?}: the rest of the host's mounts are there: {table}");
    }
}

#[test]
fn all_makes_every_kind_in_one_step() {
    let sb = Sandbox::new("all");
    let name = sb.name("all");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "all"]);
    for (k, inode) in inodes_inside(&sb, &name) {
        assert_ne!(inode, host_ns_inode(&k), "{k} must be isolated");
    }
    assert_eq!(inside(&sb, &name, "id -u; hostname").split_whitespace().collect::<Vec<_>>(), ["0", name.as_str()]);
}

#[test]
fn time_offsets_can_be_set_after_pid_and_mnt() {
    // The helper sits in the box's mount namespace, whose /proc may belong to
    // the box's PID namespace: the offsets go through the host's /proc.
    let sb = Sandbox::new("time-after-pid");
    let name = sb.name("t");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "pid", "mnt"]);
    sb.ok(&["unshare", &name, "time", "--boottime-offset", "1d"]);
    let up: f64 =
        sb.ok(&["run", &name, "--", "cat", "/proc/uptime"]).split_whitespace().next().unwrap().parse().unwrap();
    assert!(up >= 86400.0, "uptime inside {up} should include the one-day boottime offset");
}
