//! `history --script` rebuilds a box with standard tools alone (util-linux,
//! iproute2): its namespaces, cgroup and limits, root filesystem, volume and
//! network, and the result is what `inspect --json` said of the box.

use crate::harness::{Sandbox, host_ns_inode, text};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the script with its holds in a folder of the sandbox's; the folder.
fn run_script(sb: &Sandbox, script: &str, tag: &str) -> (PathBuf, Output) {
    let hold = sb.victim.parent().unwrap().join(format!("{tag}-hold"));
    let path = sb.victim.parent().unwrap().join(format!("{tag}.sh"));
    std::fs::write(&path, script).unwrap();
    let out = Command::new("bash").arg(&path).env("HOLD", &hold).output().unwrap();
    (hold, out)
}

/// The inode of the namespace the script holds of this kind (0: none).
fn held(hold: &Path, kind: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(hold.join(kind)).map(|m| m.ino()).unwrap_or(0)
}

fn nsenter_option(hold: &Path, kind: &str) -> String {
    format!("--{}={}", if kind == "mnt" { "mount" } else { kind }, hold.join(kind).display())
}

fn nsenter(args: &[&str]) -> String {
    text(&Command::new("nsenter").args(args).output().unwrap().stdout)
}

/// Everything the script made, gone: its processes, holds, cgroups, bridge.
fn undo(hold: &Path, cgroups: &[PathBuf], bridge: Option<&str>) {
    if let Ok(pid) = std::fs::read_to_string(hold.join("init.pid")) {
        let _ = Command::new("kill").arg("-KILL").arg(pid.trim()).status();
    }
    let _ = Command::new("sh")
        .arg("-c")
        .arg(format!("umount -l {h}/* 2>/dev/null; umount -l {h}", h = hold.display()))
        .status();
    for dir in cgroups {
        for _ in 0..50 {
            // A killed process leaves its cgroup once it is reaped.
            if std::fs::remove_dir(dir).is_ok() || !dir.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        if let Some(parent) = dir.parent() {
            let _ = std::fs::remove_dir(parent);
        }
    }
    if let Some(bridge) = bridge {
        let _ = Command::new("ip").args(["link", "del", bridge]).status();
    }
}

/// Runs the checks, then undoes what the script made, also when one failed.
fn checked(hold: &Path, cgroups: &[PathBuf], bridge: Option<&str>, checks: impl FnOnce()) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(checks));
    undo(hold, cgroups, bridge);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn the_script_rebuilds_the_same_isolation() {
    let sb = Sandbox::new("script");
    let name = sb.name("sc");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "user", "uts", "--map-root-to", "300000", "--hostname", "scripted"]);
    sb.ok(&["unshare", &name, "ipc", "net", "mnt", "cgroup"]);
    sb.ok(&["unshare", &name, "time", "--boottime-offset", "3600"]);
    sb.ok(&["unshare", &name, "pid"]);
    let script = sb.ok(&["history", &name, "--script"]);
    let (hold, out) = run_script(&sb, &script, "rebuild");
    checked(&hold, &[], None, || {
        assert!(out.status.success(), "the script failed:\n{script}\nstderr: {}", text(&out.stderr));
        for k in ["user", "uts", "ipc", "net", "mnt", "cgroup", "time"] {
            let i = held(&hold, k);
            assert!(i != 0 && i != host_ns_inode(k), "{k} is held and isolated by the script");
        }
        assert_eq!(nsenter(&[&nsenter_option(&hold, "uts"), "hostname"]).trim(), "scripted");
        assert_eq!(
            nsenter(&[&nsenter_option(&hold, "user"), "cat", "/proc/self/uid_map"])
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["0", "300000", "65536"]
        );
        let init: i32 = std::fs::read_to_string(hold.join("init.pid")).unwrap().trim().parse().unwrap();
        let pidns = std::fs::read_link(format!("/proc/{init}/ns/pid_for_children")).unwrap();
        assert_ne!(pidns, std::fs::read_link("/proc/self/ns/pid").unwrap(), "a new PID namespace with its PID 1");
    });
}

#[test]
fn the_script_rebuilds_the_root_filesystem_too() {
    let sb = Sandbox::new("scriptfs");
    sb.ok(&["image", "busybox"]);
    let name = sb.name("sf");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt", "pid"]);
    sb.ok(&["rootfs", &name, "busybox"]);
    let script = sb.ok(&["history", &name, "--script"]);
    assert!(script.contains("mount -t overlay") && script.contains("pivot_root . ."), "{script}");
    let (hold, out) = run_script(&sb, &script, "rebuild-fs");
    checked(&hold, &[], None, || {
        assert!(out.status.success(), "{}", text(&out.stderr));
        let seen = nsenter(&[&nsenter_option(&hold, "mnt"), "cat", "/etc/os-release"]);
        assert!(seen.contains("glassbox busybox"), "the script's mount namespace has the image as its root: {seen}");
    });
}

fn sh(line: &str) -> String {
    text(&Command::new("sh").arg("-c").arg(line).output().unwrap().stdout)
}

/// The limit files a box's cgroup folders hold, with their values.
fn limits(paths: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let files = ["memory.max", "memory.limit_in_bytes", "pids.max"];
    let found = paths.iter().flat_map(|p| files.iter().map(move |f| p.join(f))).filter(|f| f.exists());
    found.map(|f| (f.clone(), std::fs::read_to_string(&f).unwrap().trim().to_string())).collect()
}

/// (target, fstype) of each mount in the table a process sees, as it names them.
fn mount_table(pid: &str) -> BTreeSet<(String, String)> {
    std::fs::read_to_string(format!("/proc/{pid}/mountinfo"))
        .unwrap()
        .lines()
        .filter_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            Some((left.split(' ').nth(4)?.to_string(), right.split(' ').next()?.to_string()))
        })
        .collect()
}

#[test]
fn the_script_rebuilds_every_kind_of_step() {
    let sb = Sandbox::new("scriptall");
    sb.ok(&["image", "busybox"]);
    let name = sb.name("sa");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "all", "--hostname", "everything"]);
    sb.ok(&["limit", &name, "--memory", "64M", "--pids", "40"]);
    sb.ok(&["rootfs", &name, "busybox"]);
    sb.ok(&["volume", "create", "data"]);
    sb.ok(&["volume", "add", &name, "data:/data"]);
    sb.ok(&["net", &name]);
    let port = 20000 + std::process::id() % 20000;
    sb.ok(&["publish", &name, &format!("{port}:80")]);
    let model = sb.inspect(&name);
    let cgroups: Vec<PathBuf> =
        model["cgroup"]["paths"].as_array().unwrap().iter().map(|p| PathBuf::from(p.as_str().unwrap())).collect();
    let want_limits = limits(&cgroups);
    assert!(!want_limits.is_empty(), "the box has limit files: {cgroups:?}");
    let want_mounts = model["mounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["target"].as_str().unwrap().to_string(), m["fstype"].as_str().unwrap().to_string()));
    let want_mounts: BTreeSet<(String, String)> = want_mounts.collect();
    let net = &model["network"];
    let bridge = net["bridge"].as_str().unwrap().to_string();
    let script = sb.ok(&["history", &name, "--script"]);
    for part in
        ["mkdir -p /sys/fs/cgroup", "box_pids", "ip link add", "ip addr add", "mount --bind", "socat TCP-LISTEN"]
    {
        assert!(script.contains(part), "the script has {part}:\n{script}");
    }
    // The script makes the box's own names (its veth, its cgroup): the box goes first.
    std::fs::write(sb.root.join("volumes/data/data/note"), "from the host").unwrap();
    sb.ok(&["rm", "--force", &name]);
    let (hold, out) = run_script(&sb, &script, "rebuild-all");
    checked(&hold, &cgroups, Some(&bridge), || {
        assert!(out.status.success(), "the script failed:\n{script}\nstderr: {}", text(&out.stderr));
        for ns in model["namespaces"].as_array().unwrap().iter().filter(|n| n["isolated"] == true) {
            let kind = ns["kind"].as_str().unwrap();
            if kind != "pid" {
                let i = held(&hold, kind);
                assert!(i != 0 && i != host_ns_inode(kind), "{kind} is held and isolated by the script");
            }
        }
        let init = std::fs::read_to_string(hold.join("init.pid")).unwrap().trim().to_string();
        let pidns = std::fs::read_link(format!("/proc/{init}/ns/pid_for_children")).unwrap();
        assert_ne!(pidns, std::fs::read_link("/proc/self/ns/pid").unwrap(), "a new PID namespace with its PID 1");
        assert_eq!(limits(&cgroups), want_limits, "the same limits in the same cgroup folders");
        for dir in &cgroups {
            let procs = std::fs::read_to_string(dir.join("cgroup.procs")).unwrap();
            assert!(procs.lines().any(|p| p == init), "the script's box is in {}: {procs:?}", dir.display());
        }
        let enter = |k: &str| nsenter_option(&hold, k);
        let seen = mount_table(&init);
        assert_eq!(seen, want_mounts, "the same mount table as inspect showed");
        let note =
            text(&Command::new("nsenter").arg(enter("mnt")).args(["cat", "/data/note"]).output().unwrap().stdout);
        assert_eq!(note, "from the host", "the volume is the named volume's folder");
        let addr = sh(&format!("nsenter {} ip -4 -o addr show eth0", enter("net")));
        assert!(addr.contains(net["address"].as_str().unwrap()), "the box's address: {addr} vs {net}");
        let route = sh(&format!("nsenter {} ip route show default", enter("net")));
        assert!(route.contains(net["gateway"].as_str().unwrap()), "the default route: {route} vs {net}");
        assert!(script.contains(&format!("TCP-LISTEN:{port},")), "the published port is named");
    });
}
