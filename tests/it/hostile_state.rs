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

/// Imports `layers` (bottom first) as a `docker save` archive named `image`.
fn import_layers(sb: &Sandbox, layers: &[Vec<u8>], image: &str) -> std::process::Output {
    let path = sb.victim.parent().unwrap().join(format!("{image}.tar"));
    std::fs::write(&path, crate::images::docker_save(layers)).unwrap();
    sb.run(&["image", "import", path.to_str().unwrap(), "--name", image])
}

/// Layer `i` of a test image: one file of its own, `/l/<i>`.
fn numbered_layer(i: usize) -> Vec<u8> {
    crate::images::tar_of(&[("l", None), (&format!("l/{i}"), Some(&format!("{i}\n")))])
}

/// The layers in the store, by folder name.
fn stored_layers(sb: &Sandbox) -> Vec<String> {
    let dir = std::fs::read_dir(sb.root.join("layers")).into_iter().flatten().flatten();
    let mut v: Vec<String> = dir.map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn record(sb: &Sandbox, name: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(sb.root.join("boxes").join(name).join("box.json")).unwrap()).unwrap()
}

#[test]
fn a_stack_over_the_layer_limit_is_refused_in_one_line_and_nothing_is_made() {
    const LIMIT: usize = 47;
    let sb = Sandbox::new("layerlimit");
    let over = import_layers(&sb, &(0..LIMIT + 1).map(numbered_layer).collect::<Vec<_>>(), "over");
    assert_eq!(over.status.code(), Some(2), "{}", text(&over.stderr));
    one_line(&text(&over.stderr), &format!("{} read-only layers, more than the {LIMIT}", LIMIT + 1));
    assert_eq!((stored_layers(&sb), sb.ok(&["image", "ls"]).contains("over")), (vec![], false), "nothing made");

    // The limit itself mounts, for the longest box name there can be.
    let mut layers = vec![crate::images::busybox_rootfs(&[])];
    layers.extend((1..LIMIT).map(numbered_layer));
    assert!(import_layers(&sb, &layers, "full").status.success());
    let short = sb.name("long");
    let long = format!("{short}{}", "x".repeat(63 - short.len()));
    sb.ok(&["create", &long]);
    sb.ok(&["unshare", &long, "mnt"]);
    sb.ok(&["rootfs", &long, "full"]);

    // One layer more, whichever step adds it.
    let folder = sb.victim.parent().unwrap().join("extra");
    std::fs::create_dir_all(folder.join("extra")).unwrap();
    let stored = stored_layers(&sb);
    let err = sb.fails(2, &["layer", "add", &long, folder.to_str().unwrap()]);
    one_line(&err, &format!("box {long}: {} read-only layers, more than the {LIMIT}", LIMIT + 1));
    assert_eq!(record(&sb, &long)["layers"].as_array().unwrap().len(), LIMIT, "the box is as it was");
    assert_eq!(stored_layers(&sb), stored, "the folder did not go into the store");
    let cat = sb.ok(&["run", &long, "--", "cat", "/l/1", &format!("/l/{}", LIMIT - 1)]);
    assert_eq!(cat, format!("1\n{}\n", LIMIT - 1), "every layer of the full stack is seen");
    let other = sb.name("other");
    sb.ok(&["create", &other]);
    sb.ok(&["unshare", &other, "mnt"]);
    sb.ok(&["layer", "add", &other, folder.to_str().unwrap()]);
    one_line(&sb.fails(2, &["rootfs", &other, "full"]), &format!("{} read-only layers", LIMIT + 1));
    let after = record(&sb, &other);
    assert_eq!((after["rootfs_mounted"].as_bool(), after["layers"].as_array().unwrap().len()), (Some(false), 1));
}

#[test]
fn the_same_layer_twice_in_a_box_is_refused_in_either_order() {
    let sb = Sandbox::new("layertwice");
    sb.ok(&["image", "busybox"]);
    // rootfs first, then the same image as an added layer.
    let first = sb.name("rootfsfirst");
    sb.ok(&["create", &first]);
    sb.ok(&["unshare", &first, "mnt"]);
    sb.ok(&["rootfs", &first, "busybox"]);
    let err = sb.fails(2, &["layer", "add", &first, "busybox"]);
    one_line(&err, "overlayfs cannot mount one folder twice");
    assert!(err.contains("image busybox (rootfs)") && err.contains("image busybox (layer add)"), "{err}");
    assert_eq!(record(&sb, &first)["layers"].as_array().unwrap().len(), 1, "the box is as it was");
    assert_eq!(sb.ok(&["run", &first, "--", "echo", "still"]), "still\n");
    // The added layer first, then rootfs of the image that holds it.
    let added = sb.name("addedfirst");
    sb.ok(&["create", &added]);
    sb.ok(&["unshare", &added, "mnt"]);
    sb.ok(&["layer", "add", &added, "busybox"]);
    one_line(&sb.fails(2, &["rootfs", &added, "busybox"]), "overlayfs cannot mount one folder twice");
    assert_eq!(record(&sb, &added)["rootfs_mounted"].as_bool(), Some(false));
    // An image that repeats a layer itself (two steps that changed nothing) mounts it once.
    let empty = crate::images::tar_of(&[]);
    let layers = [crate::images::busybox_rootfs(&[]), empty.clone(), numbered_layer(1), empty];
    assert!(import_layers(&sb, &layers, "repeats").status.success());
    let repeats = sb.name("repeats");
    sb.ok(&["create", &repeats]);
    sb.ok(&["unshare", &repeats, "mnt", "pid"]);
    sb.ok(&["rootfs", &repeats, "repeats"]);
    assert_eq!(sb.ok(&["exec", &repeats, "--", "cat", "/l/1"]), "1\n");
    assert_eq!(record(&sb, &repeats)["layers"].as_array().unwrap().len(), 3);
}
