//! Hostile tests of what glassbox mounts into a box: host folders that must
//! not become volumes, read-only mounts root in a user namespace must not
//! make writable, and a root filesystem step that fails half way.

use crate::harness::Sandbox;

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
