//! `history --script` rebuilds the same isolation with util-linux alone.

use crate::harness::{Sandbox, host_ns_inode, text};
use std::process::Command;

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
    let hold = sb.victim.parent().unwrap().join("script-hold");
    let path = sb.victim.parent().unwrap().join("rebuild.sh");
    std::fs::write(&path, &script).unwrap();
    let out = Command::new("bash").arg(&path).env("HOLD", &hold).output().unwrap();
    let cleanup = || {
        if let Ok(pid) = std::fs::read_to_string(hold.join("init.pid")) {
            let _ = Command::new("kill").arg("-KILL").arg(pid.trim()).status();
        }
        let _ = Command::new("sh")
            .arg("-c")
            .arg(format!("umount -l {h}/* 2>/dev/null; umount -l {h}", h = hold.display()))
            .status();
    };
    if !out.status.success() {
        cleanup();
        panic!("the script failed:\n{script}\nstdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    }
    let held = |k: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(hold.join(k)).map(|m| m.ino()).unwrap_or(0)
    };
    let nsenter = |args: &[&str]| text(&Command::new("nsenter").args(args).output().unwrap().stdout);
    let user = format!("--user={}", hold.join("user").display());
    let uts = format!("--uts={}", hold.join("uts").display());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        for k in ["user", "uts", "ipc", "net", "mnt", "cgroup", "time"] {
            let i = held(k);
            assert!(i != 0 && i != host_ns_inode(k), "{k} is held and isolated by the script");
        }
        assert_eq!(nsenter(&[&uts, "hostname"]).trim(), "scripted");
        assert_eq!(
            nsenter(&[&user, "cat", "/proc/self/uid_map"]).split_whitespace().collect::<Vec<_>>(),
            ["0", "300000", "65536"]
        );
        let init: i32 = std::fs::read_to_string(hold.join("init.pid")).unwrap().trim().parse().unwrap();
        let pidns = std::fs::read_link(format!("/proc/{init}/ns/pid_for_children")).unwrap();
        assert_ne!(pidns, std::fs::read_link("/proc/self/ns/pid").unwrap(), "a new PID namespace with its PID 1");
    }));
    cleanup();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
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
    let hold = sb.victim.parent().unwrap().join("fs-hold");
    let path = sb.victim.parent().unwrap().join("rebuild-fs.sh");
    std::fs::write(&path, &script).unwrap();
    let out = Command::new("bash").arg(&path).env("HOLD", &hold).output().unwrap();
    let seen = text(
        &Command::new("nsenter")
            .arg(format!("--mount={}", hold.join("mnt").display()))
            .args(["cat", "/etc/os-release"])
            .output()
            .unwrap()
            .stdout,
    );
    if let Ok(pid) = std::fs::read_to_string(hold.join("init.pid")) {
        let _ = Command::new("kill").arg("-KILL").arg(pid.trim()).status();
    }
    let _ = Command::new("sh")
        .arg("-c")
        .arg(format!("umount -l {h}/mnt {h}/pid 2>/dev/null; umount -l {h}", h = hold.display()))
        .status();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(seen.contains("glassbox busybox"), "the script's mount namespace has the image as its root: {seen}");
}
