//! Hostile tests of what glassbox mounts into a box: host folders that must
//! not become volumes, read-only mounts root in a user namespace must not
//! make writable, and a root filesystem step that fails half way.

use crate::harness::Sandbox;
use std::path::{Path, PathBuf};

/// A box that can take volumes (it has a mount namespace), no root filesystem yet.
fn box_with_mnt(sb: &Sandbox) -> String {
    let name = sb.name("hm");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt"]);
    name
}

fn volume_targets(sb: &Sandbox, name: &str) -> Vec<String> {
    let m = sb.inspect(name);
    m["volumes"].as_array().unwrap().iter().map(|v| v["host_path"].as_str().unwrap().to_string()).collect()
}

#[test]
fn dangerous_host_folders_are_refused_as_volumes_unless_forced() {
    let sb = Sandbox::new("hmdanger");
    let name = box_with_mnt(&sb);
    // Another root, recognisable by its layout, and its parent.
    let other = Sandbox::new("hmdanger-other");
    other.ok(&["create", &other.name("x")]);
    let base = sb.victim.parent().unwrap();
    let link = base.join("to-run");
    std::os::unix::fs::symlink("/run", &link).unwrap();
    let task = format!("/proc/{}/task", std::process::id());
    let dangerous: Vec<(String, &str)> = vec![
        ("/sys/fs/cgroup".into(), "/sys/fs/cgroup"),
        ("/dev/shm".into(), "/dev/shm"),
        (task.clone(), &task),
        ("/run".into(), "/run"),
        ("/boot".into(), "/boot"),
        ("/var/lib".into(), "/var/lib"),
        ("/var".into(), "/var"),
        (other.root.display().to_string(), other.root.to_str().unwrap()),
        (other.root.parent().unwrap().display().to_string(), other.root.parent().unwrap().to_str().unwrap()),
        (base.display().to_string(), base.to_str().unwrap()),
        (link.display().to_string(), "/run"),
    ];
    for (given, resolved) in &dangerous {
        let err = sb.fails(2, &["volume", "add", &name, &format!("{given}:/v")]);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains(&format!("resolved: {resolved})")), "{given}: the resolved path is named: {err}");
        assert!(err.contains("--force") && err.split(": ").count() > 2, "{given}: says why and how: {err}");
    }
    assert!(volume_targets(&sb, &name).is_empty(), "nothing refused was recorded");
    sb.ok(&["volume", "add", &name, "/dev/shm:/shm", "--force"]);
    assert_eq!(volume_targets(&sb, &name), ["/dev/shm"], "--force takes it");
}

/// A host folder the box's root (uid 100000 outside) may write, so that
/// only the read-only mount stands between the box and it.
fn writable_by_box_root(sb: &Sandbox, name: &str) -> PathBuf {
    let dir = sb.victim.parent().unwrap().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("kept"), "host data\n").unwrap();
    std::os::unix::fs::chown(&dir, Some(100_000), Some(100_000)).unwrap();
    dir
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// Runs each attack in the box as its root and returns `attack=exit code` lines.
fn attempts(sb: &Sandbox, name: &str, attacks: &[(&str, String)]) -> String {
    let script: Vec<String> =
        attacks.iter().map(|(what, cmd)| format!("{cmd} >/dev/null 2>&1; echo {what}=$?")).collect();
    sb.ok(&["exec", name, "--", "/bin/sh", "-c", &script.join("\n")])
}

fn failed(out: &str, what: &str) -> bool {
    out.lines().any(|l| l.strip_prefix(what).and_then(|r| r.strip_prefix('=')).is_some_and(|c| c != "0"))
}

#[test]
fn a_read_only_volume_stays_read_only_under_a_user_namespace() {
    let sb = Sandbox::new("hmlocked");
    sb.ok(&["image", "busybox"]);
    let at_rootfs = writable_by_box_root(&sb, "ro-at-rootfs");
    let live = writable_by_box_root(&sb, "ro-live");
    let control = writable_by_box_root(&sb, "rw-control");
    let name = sb.name("hmlock");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "user", "mnt", "pid"]);
    sb.ok(&["volume", "add", &name, &format!("{}:/data:ro", at_rootfs.display())]);
    sb.ok(&["rootfs", &name, "busybox"]);
    sb.ok(&["volume", "add", &name, &format!("{}:/live:ro", live.display())]);
    sb.ok(&["volume", "add", &name, &format!("{}:/rw", control.display())]);
    // The control: root in the box can write a host folder it owns.
    assert_eq!(attempts(&sb, &name, &[("write", "touch /rw/new".into())]).trim(), "write=0");
    for target in ["/data", "/live"] {
        let attacks = [
            ("remount", format!("mount -o remount,rw {target}")),
            ("bind", format!("mount -o remount,bind,rw {target}")),
            ("write", format!("touch {target}/new")),
            ("umount", format!("umount {target}")),
            ("after-umount", format!("touch {target}/after-umount")),
            ("over", format!("mount -t tmpfs none {target} && touch {target}/over")),
        ];
        let out = attempts(&sb, &name, &attacks);
        for what in ["remount", "bind", "write", "after-umount"] {
            assert!(failed(&out, what), "{target}: {what} must fail:\n{out}");
        }
        if target == "/data" {
            // Mounted with the root filesystem: locked to it as well.
            assert!(failed(&out, "umount"), "{target}: umount must fail:\n{out}");
        }
    }
    for dir in [&at_rootfs, &live] {
        assert_eq!(names_in(dir), ["kept"], "{} unchanged", dir.display());
    }
    let sys = [
        ("remount", "mount -o remount,rw /sys".to_string()),
        ("bind", "mount -o remount,bind,rw /sys".into()),
        ("umount", "umount /sys".into()),
        ("write", "echo x > /sys/kernel/uevent_helper".into()),
    ];
    let out = attempts(&sb, &name, &sys);
    for (what, _) in &sys {
        assert!(failed(&out, what), "/sys: {what} must fail:\n{out}");
    }
    sb.ok(&["rm", "--force", &name]);
    assert_eq!(names_in(&at_rootfs), ["kept"]);
}

/// Imports busybox plus `extra` entries as image `name`.
fn image_with(sb: &Sandbox, name: &str, extra: &[crate::images::Entry]) {
    let path = sb.victim.parent().unwrap().join(format!("{name}.tar"));
    std::fs::write(&path, crate::images::busybox_rootfs(extra)).unwrap();
    sb.ok(&["image", "import", path.to_str().unwrap(), "--name", name]);
}

/// A box with mnt and pid, the host folder as a volume at `target`.
fn box_with_volume(sb: &Sandbox, folder: &Path, target: &str) -> String {
    let name = box_with_mnt(sb);
    sb.ok(&["unshare", &name, "pid"]);
    sb.ok(&["volume", "add", &name, &format!("{}:{target}", folder.display())]);
    name
}

#[test]
fn a_volume_through_an_image_symlink_lands_in_the_box_or_changes_nothing() {
    let sb = Sandbox::new("hmsymlink");
    image_with(&sb, "links", &[("data", Some("->/etc")), ("up", Some("->../../.."))]);
    let folder = sb.victim.parent().unwrap().join("vol");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("from-host-folder"), "volume\n").unwrap();
    // /data -> /etc: the volume covers the box's /etc, never the host's.
    let a = box_with_volume(&sb, &folder, "/data");
    sb.ok(&["rootfs", &a, "links"]);
    let cat = ["run", a.as_str(), "--", "/bin/cat", "/etc/from-host-folder"];
    assert_eq!(sb.ok(&cat), "volume\n");
    assert!(!Path::new("/etc/from-host-folder").exists());
    assert_eq!(sb.inspect(&a)["volumes"][0]["mounted"], true);
    // /up -> ../../..: the box's / itself; refused before the box's mount
    // table changed, so the box is as it was before `rootfs`.
    let b = box_with_volume(&sb, &folder, "/up");
    let err = sb.fails(1, &["rootfs", &b, "links"]);
    assert!(err.contains("/up leads to the box's /"), "{err}");
    let m = sb.inspect(&b);
    assert_eq!((m["broken"].is_null(), m["volumes"][0]["mounted"].as_bool()), (true, Some(false)), "{m}");
    let table = sb.ok(&["run", &b, "--", "/bin/cat", "/proc/self/mountinfo"]);
    let rootfs = sb.root.join("run/boxes").join(&b).join("rootfs").display().to_string();
    // The box still has the host's `/` (the same device; the machine's own
    // root may be an overlay too, as the cgroup v2 VM's is), and nothing is
    // mounted where the box's root is built.
    let root_device = |t: &str| {
        t.lines().map(|l| l.split(' ').collect::<Vec<_>>()).find(|f| f.get(4) == Some(&"/")).map(|f| f[2].to_string())
    };
    let host = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    assert_eq!(root_device(&table), root_device(&host), "no half-built root in the box:\n{table}");
    assert!(!table.contains(&rootfs), "no half-built root in the box:\n{table}");
    sb.ok(&["image", "busybox"]);
    sb.ok(&["rootfs", &b, "busybox"]);
    assert_eq!(sb.ok(&["run", &b, "--", "/bin/cat", "/up/from-host-folder"]), "volume\n", "and can be done again");
    sb.ok(&["rm", "--force", &a]);
    sb.ok(&["rm", "--force", &b]);
    assert_eq!(names_in(&folder), ["from-host-folder"]);
}

#[test]
fn a_rootfs_killed_after_the_hand_over_leaves_a_box_recorded_as_broken() {
    let sb = Sandbox::new("hmbroken");
    sb.ok(&["image", "busybox"]);
    let name = box_with_mnt(&sb);
    sb.ok(&["unshare", &name, "pid"]);
    // Killed with the new tree attached in the box's mount table, not yet its root.
    crate::crash::kill_during(&sb, "pivot_root", &["rootfs", &name, "busybox"]);
    let ls = sb.ok(&["ls"]);
    assert!(ls.lines().any(|l| l.starts_with(&name) && l.contains("broken")), "{ls}");
    for args in [vec!["run", name.as_str(), "--", "/bin/true"], vec!["exec", &name, "--", "/bin/true"]] {
        let err = sb.fails(2, &args);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("half made") && err.contains(&format!("glassbox rm --force {name}")), "{err}");
    }
    let m = sb.inspect(&name);
    assert_eq!(m["broken"].as_str(), Some(format!("glassbox rootfs {name} busybox").as_str()), "{m}");
    assert!(sb.ok(&["inspect", &name]).contains("BROKEN"));
    sb.ok(&["rm", "--force", &name]);
    assert!(crate::harness::mounts_containing(&sb.root.display().to_string()).iter().all(|m| !m.contains("/boxes/")));
}
