//! Volumes: data that outlives a box, shared, read-only, added live.

use crate::harness::{Sandbox, mounts_containing, text};
use crate::images::{busybox_rootfs, tar_of};
use std::process::Command;

/// A box with its own root filesystem (and an init, so it is running).
fn boxed(sb: &Sandbox) -> String {
    let name = sb.name("vb");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt", "pid"]);
    sb.ok(&["rootfs", &name, "busybox"]);
    name
}

fn sh(sb: &Sandbox, name: &str, script: &str) -> String {
    sb.ok(&["exec", name, "--", "/bin/sh", "-c", script])
}

#[test]
fn named_volume_data_outlives_the_box_and_is_shared() {
    let sb = Sandbox::new("volpersist");
    sb.ok(&["image", "busybox"]);
    sb.ok(&["volume", "create", "data"]);
    // Added before rootfs: mounted by rootfs.
    let a = sb.name("va");
    sb.ok(&["create", &a]);
    sb.ok(&["unshare", &a, "mnt", "pid"]);
    sb.ok(&["volume", "add", &a, "data:/data"]);
    sb.ok(&["rootfs", &a, "busybox"]);
    sh(&sb, &a, "echo kept > /data/note; echo layer > /root/layer");
    let diff = sb.ok(&["diff", &a]);
    assert!(
        diff.contains("/root/layer") && !diff.contains("/data/note"),
        "writes to a volume skip the container layer:\n{diff}"
    );
    // A second, running box gets it live and sees the first box's writes.
    let b = boxed(&sb);
    sb.ok(&["volume", "add", &b, "data:/shared"]);
    assert_eq!(sh(&sb, &b, "cat /shared/note").trim(), "kept");
    sh(&sb, &b, "echo from-b > /shared/other");
    assert_eq!(sh(&sb, &a, "cat /data/other").trim(), "from-b");
    let m = sb.inspect(&b);
    assert_eq!(m["volumes"][0]["target"], "/shared");
    assert_eq!(m["volumes"][0]["shared_with"][0], a.as_str());
    sb.ok(&["rm", "--force", &a]);
    sb.ok(&["rm", "--force", &b]);
    let c = boxed(&sb);
    sb.ok(&["volume", "add", &c, "data:/data"]);
    assert_eq!(sh(&sb, &c, "cat /data/note").trim(), "kept", "rm of a box never deletes a named volume's data");
    assert!(sb.ok(&["volume", "ls"]).contains("data"));
}

#[test]
fn read_only_volumes_refuse_writes_with_erofs() {
    let sb = Sandbox::new("volro");
    sb.ok(&["image", "busybox"]);
    sb.ok(&["volume", "create", "ro"]);
    let name = boxed(&sb);
    sb.ok(&["volume", "add", &name, "ro:/ro:ro"]);
    let out = sh(&sb, &name, "(echo x > /ro/f) 2>&1; echo $?");
    assert!(out.contains("Read-only file system"), "{out}");
}

#[test]
fn host_folder_volumes_are_checked_and_resolved() {
    let sb = Sandbox::new("volhost");
    sb.ok(&["image", "busybox"]);
    let name = boxed(&sb);
    let base = sb.victim.parent().unwrap().to_path_buf();
    let dir = base.join("site");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "hello").unwrap();
    std::os::unix::fs::symlink(&dir, base.join("link")).unwrap();
    let out = sb.ok(&["volume", "add", &name, &format!("{}:/www:ro", base.join("link").display())]);
    assert!(out.contains("resolves to") && out.contains("/site"), "a symlinked host path is resolved and shown: {out}");
    assert_eq!(sh(&sb, &name, "cat /www/index.html"), "hello");
    let missing = base.join("missing");
    let err = sb.fails(2, &["volume", "add", &name, &format!("{}:/m", missing.display())]);
    assert!(err.contains("does not exist") && !missing.exists(), "{err}");
    let err = sb.fails(2, &["volume", "add", &name, &format!("{}:/f", dir.join("index.html").display())]);
    assert!(err.contains("not a folder"), "{err}");
    for risky in ["/", "/etc", sb.root.to_str().unwrap()] {
        let err = sb.fails(2, &["volume", "add", &name, &format!("{risky}:/r")]);
        assert!(err.contains("--force"), "{risky}: {err}");
    }
    let err = sb.fails(2, &["volume", "add", &name, &format!("{}:/www", dir.display())]);
    assert!(err.contains("already has a volume there"), "the same target twice: {err}");
}

#[test]
fn bad_specs_are_rejected_and_nothing_is_mounted() {
    let sb = Sandbox::new("volbad");
    sb.ok(&["volume", "create", "v"]);
    let name = sb.name("vbad");
    sb.ok(&["create", &name]);
    let err = sb.fails(2, &["volume", "add", &name, "v:/data"]);
    assert!(err.contains("needs a mount namespace first"), "{err}");
    sb.ok(&["unshare", &name, "mnt"]);
    for bad in [
        "v:data",
        "v:/../../etc",
        "v:/a/../b",
        "v:/",
        "v:/proc",
        "v:/sys/x",
        "v:/dev",
        "v:/d:rw:ro",
        "v:/d:x",
        "V:/d",
        "..:/d",
        "nosuch:/d",
        "v",
    ] {
        sb.fails(2, &["volume", "add", &name, bad]);
    }
    assert!(sb.inspect(&name)["volumes"].as_array().unwrap().is_empty());
    for bad in ["..", "a/b", "-x", "UP"] {
        sb.fails(2, &["volume", "create", "--", bad]);
    }
}

#[test]
fn an_image_symlink_cannot_lead_a_volume_onto_the_host() {
    let sb = Sandbox::new("volsym");
    let victim = sb.victim.display().to_string();
    let mut tar = busybox_rootfs(&[]);
    tar.truncate(tar.len() - 1024);
    let link = format!("->{victim}");
    tar.extend_from_slice(&tar_of(&[("data", Some(link.as_str()))]));
    let path = sb.victim.parent().unwrap().join("sym.tar");
    std::fs::write(&path, &tar).unwrap();
    sb.ok(&["image", "import", path.to_str().unwrap(), "--name", "sym"]);
    sb.ok(&["volume", "create", "v"]);
    let name = sb.name("vs");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt", "pid"]);
    sb.ok(&["rootfs", &name, "sym"]);
    sb.ok(&["volume", "add", &name, "v:/data/inside"]);
    sh(&sb, &name, "echo x > /data/inside/f");
    // The victim folder (checked on drop) got nothing: the path was resolved in the box.
    assert!(!sb.victim.join("inside").exists());
}

#[test]
fn volume_rm_refuses_in_use_and_force_detaches() {
    let sb = Sandbox::new("volrm");
    sb.ok(&["image", "busybox"]);
    sb.ok(&["volume", "create", "gone"]);
    let name = boxed(&sb);
    sb.ok(&["volume", "add", &name, "gone:/g"]);
    let err = sb.fails(2, &["volume", "rm", "gone"]);
    assert!(err.contains(&name) && err.contains("--force"), "{err}");
    sb.ok(&["volume", "rm", "--force", "gone"]);
    assert_eq!(sh(&sb, &name, "ls /g | wc -l").trim(), "0", "detached from the running box");
    assert!(sb.inspect(&name)["volumes"].as_array().unwrap().is_empty());
    assert!(!sb.root.join("volumes/gone").exists());
}

#[test]
fn reset_keeps_volumes_unless_asked() {
    let sb = Sandbox::new("volreset");
    sb.ok(&["volume", "create", "keep"]);
    sb.ok(&["reset"]);
    assert!(sb.ok(&["volume", "ls"]).contains("keep"));
    sb.ok(&["reset", "--volumes"]);
    assert!(!sb.ok(&["volume", "ls"]).contains("keep"));
}

#[test]
fn mounts_inside_a_volume_under_a_shared_host_mount_stay_inside() {
    let sb = Sandbox::new("volshared");
    sb.ok(&["image", "busybox"]);
    let src = sb.victim.parent().unwrap().join("shared-src");
    std::fs::create_dir_all(&src).unwrap();
    let run = |args: &[&str]| assert!(Command::new(args[0]).args(&args[1..]).status().unwrap().success(), "{args:?}");
    run(&["mount", "-t", "tmpfs", "gbshared", src.to_str().unwrap()]);
    run(&["mount", "--make-shared", src.to_str().unwrap()]);
    std::fs::create_dir_all(src.join("sub")).unwrap();
    let name = boxed(&sb);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        sb.ok(&["volume", "add", &name, &format!("{}:/vol", src.display())]);
        sh(&sb, &name, "mount -t tmpfs inner /vol/sub && touch /vol/sub/only-inside");
        let leaked = mounts_containing(&src.join("sub").display().to_string());
        assert!(leaked.is_empty(), "a mount made in the box propagated to the host: {leaked:?}");
        assert!(!src.join("sub/only-inside").exists());
    }));
    sb.ok(&["rm", "--force", &name]);
    let out = Command::new("umount").arg("-l").arg(&src).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
