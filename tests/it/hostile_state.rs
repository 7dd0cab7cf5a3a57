//! Hostile tests of the state root: who may reach it, what a killed command
//! leaves in it, and the limits overlayfs puts on a box's layer stack.

use crate::harness::{Sandbox, text};
use std::path::{Path, PathBuf};

/// Exactly one line on stderr, and it says `want`.
fn one_line(stderr: &str, want: &str) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(want), "{want:?} in {stderr}");
}

#[test]
fn a_box_folder_without_a_record_is_listed_broken_and_reset_removes_it() {
    let sb = Sandbox::new("broken");
    let kept = sb.name("kept");
    sb.ok(&["create", &kept]);
    // What `create` leaves when it is killed between its mkdir and the
    // rename of its record: its lock file, the box folder and the draft.
    let name = sb.name("torn");
    let dir = sb.root.join("boxes").join(&name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(sb.root.join("locks").join(format!("{name}.lock")), "").unwrap();
    std::fs::write(dir.join("box.json.999999.tmp"), r#"{"name": "tor"#).unwrap();

    let ls = sb.ok(&["ls"]);
    let row = ls.lines().find(|l| l.split_whitespace().next() == Some(name.as_str()));
    assert!(row.is_some_and(|r| r.split_whitespace().nth(1) == Some("broken")), "{ls}");
    assert!(ls.contains(&format!("glassbox rm --force {name}")), "ls says the fix: {ls}");
    // A new box of that name would inherit what is left: refused, with the fix.
    one_line(&sb.fails(2, &["create", &name]), &format!("glassbox rm --force {name}"));
    one_line(&sb.fails(2, &["rm", &name]), &format!("glassbox rm --force {name}"));
    assert!(dir.join("box.json.999999.tmp").exists(), "a refusal changes nothing");

    sb.ok(&["reset"]);
    assert!(!dir.exists(), "reset removes every box folder, recorded or not");
    assert_eq!(sb.ok(&["ls"]).lines().count(), 1, "only the header remains: {}", sb.ok(&["ls"]));
}

/// Runs `args` as the host user `nobody`, with no supplementary groups.
/// Through a shell: setpriv keeps root's capabilities up to its own execve,
/// so the path it execs is looked up as root; the shell has none left.
fn as_nobody(args: &[&str]) -> std::process::Output {
    let mut c = std::process::Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", "exec \"$@\"", "sh"]);
    c.args(args);
    c.output().expect("setpriv (util-linux) runs")
}

/// What `nobody` can see of the root: every path `find` reaches, relative.
fn reachable_by_nobody(root: &Path) -> Vec<String> {
    let out = as_nobody(&["find", root.to_str().unwrap()]);
    let listed = text(&out.stdout);
    listed.lines().filter_map(|l| l.strip_prefix(root.to_str().unwrap())).map(String::from).collect()
}

/// Nothing below the root's own folders can be listed, read or run by
/// another host user; the setuid file at `suid` least of all.
fn nobody_reaches_nothing(root: &Path, suid: &Path) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = std::fs::metadata(suid).unwrap();
    assert_eq!((meta.uid(), meta.permissions().mode() & 0o4000), (0, 0o4000), "a setuid-root file is there");
    let deeper: Vec<String> = reachable_by_nobody(root).into_iter().filter(|p| p.matches('/').count() > 1).collect();
    assert_eq!(deeper, Vec::<String>::new(), "nobody sees into the root's folders");
    let run = as_nobody(&[suid.to_str().unwrap(), "id", "-u"]);
    assert!(!run.status.success() && text(&run.stdout).is_empty(), "nobody ran {suid:?}: {}", text(&run.stdout));
    assert!(text(&run.stderr).contains("Permission denied"), "{}", text(&run.stderr));
    assert!(!as_nobody(&["cat", suid.to_str().unwrap()]).status.success(), "nobody read {suid:?}");
}

/// A box that wrote a setuid-root copy of busybox into its container layer.
fn box_with_a_setuid_file(sb: &Sandbox) -> PathBuf {
    let name = sb.name("suid");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt", "pid"]);
    sb.ok(&["rootfs", &name, "busybox"]);
    sb.ok(&["exec", &name, "--", "/bin/sh", "-c", "cp /bin/busybox /suid && chmod 4755 /suid"]);
    sb.root.join("boxes").join(&name).join("container/upper/suid")
}

#[test]
fn no_other_host_user_reaches_a_setuid_file_a_box_wrote_into_the_state_root() {
    let sb = Sandbox::new("private");
    sb.ok(&["image", "busybox"]);
    sb.ok(&["volume", "create", "kept"]);
    nobody_reaches_nothing(&sb.root, &box_with_a_setuid_file(&sb));
    // reset removes the boxes and the runtime folder; what is made after it is private too.
    sb.ok(&["reset"]);
    nobody_reaches_nothing(&sb.root, &box_with_a_setuid_file(&sb));
    // A box whose root is a mapped uid still gets its rootfs and volume.
    let mapped = sb.name("mapped");
    sb.ok(&["create", &mapped]);
    sb.ok(&["unshare", &mapped, "user", "mnt", "pid", "--map-root-to", "200000"]);
    sb.ok(&["volume", "add", &mapped, "kept:/kept"]);
    sb.ok(&["rootfs", &mapped, "busybox"]);
    let out = sb.ok(&["exec", &mapped, "--", "/bin/sh", "-c", "echo w > /w && cat /w && ls -d /kept && id -u"]);
    assert_eq!(out.split_whitespace().collect::<Vec<_>>(), ["w", "/kept", "0"], "{out}");
}

#[test]
fn a_root_an_older_glassbox_left_open_is_closed_when_glassbox_opens_it() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new("oldroot");
    // As a glassbox from before left its root: every folder 0755, and a
    // layer holding a setuid-root program.
    for dir in ["boxes", "layers", "images", "volumes", "locks", "run"] {
        std::fs::create_dir_all(sb.root.join(dir)).unwrap();
    }
    let suid = sb.root.join("layers/sha256-old/fs/suid");
    std::fs::create_dir_all(suid.parent().unwrap()).unwrap();
    std::fs::copy("/bin/busybox", &suid).unwrap();
    std::fs::set_permissions(&suid, std::fs::Permissions::from_mode(0o4755)).unwrap();
    let seen = reachable_by_nobody(&sb.root);
    assert!(seen.contains(&"/layers/sha256-old/fs/suid".to_string()), "open before: {seen:?}");
    sb.ok(&["ls"]);
    nobody_reaches_nothing(&sb.root, &suid);
}
