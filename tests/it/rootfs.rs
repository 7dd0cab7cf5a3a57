//! Images, the overlay root filesystem, the container layer, diff and commit.

use crate::harness::Sandbox;
use crate::images::{busybox_rootfs, docker_save, tar_of};

/// A box with a mount and PID namespace on the given image.
pub fn boxed(sb: &Sandbox, image: &str) -> String {
    let name = sb.name("fs");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt", "pid", "uts"]);
    sb.ok(&["rootfs", &name, image]);
    name
}

pub fn sh(sb: &Sandbox, name: &str, script: &str) -> String {
    sb.ok(&["exec", name, "--", "/bin/sh", "-c", script])
}

pub fn import(sb: &Sandbox, bytes: &[u8], image: &str) -> String {
    let path = sb.victim.parent().unwrap().join(format!("{image}.tar"));
    std::fs::write(&path, bytes).unwrap();
    sb.ok(&["image", "import", path.to_str().unwrap(), "--name", image])
}

#[test]
fn rootfs_needs_a_mount_namespace_and_says_how() {
    let sb = Sandbox::new("rootfsneeds");
    sb.ok(&["image", "busybox"]);
    let name = sb.name("nomnt");
    sb.ok(&["create", &name]);
    let err = sb.fails(2, &["rootfs", &name, "busybox"]);
    assert!(err.contains(&format!("rootfs needs a mount namespace first: glassbox unshare {name} mnt")), "{err}");
    sb.ok(&["unshare", &name, "mnt"]);
    let err = sb.fails(2, &["rootfs", &name, "nosuchimage"]);
    assert!(err.contains("no image named"), "{err}");
}

#[test]
fn busybox_root_replaces_the_host_root() {
    let sb = Sandbox::new("busyroot");
    sb.ok(&["image", "busybox"]);
    let name = boxed(&sb, "busybox");
    let out = sh(&sb, &name, "cat /etc/os-release; ls /; test -e /work && echo HOST-VISIBLE; ps | wc -l; ls /dev");
    assert!(out.contains("glassbox busybox"), "{out}");
    assert!(!out.contains("HOST-VISIBLE"), "the host root must be detached: {out}");
    for dev in ["null", "zero", "urandom", "pts", "shm", "ptmx"] {
        assert!(out.contains(dev), "/dev lacks {dev}: {out}");
    }
    // /proc is the box's own: init, the shell, ps, wc and the header line.
    assert!(sh(&sb, &name, "ls /proc | grep -c '^[0-9]'").trim().parse::<u32>().unwrap() < 6);
    assert!(sh(&sb, &name, "touch /sys/x 2>&1; echo $?").contains("Read-only"), "/sys is read-only");
    let m = sb.inspect(&name);
    let layers = m["rootfs"]["layers"].as_array().unwrap();
    assert_eq!(layers[0]["role"], "container");
    assert_eq!(layers[1]["role"], "base");
    assert!(layers[1]["digest"].as_str().unwrap().starts_with("sha256:"));
    assert!(m["rootfs"]["lowerdir"].as_str().unwrap().contains("/layers/sha256-"));
}

#[test]
fn the_container_layer_is_stateless_and_diff_and_commit_show_it() {
    let sb = Sandbox::new("stateless");
    sb.ok(&["image", "busybox"]);
    let name = boxed(&sb, "busybox");
    sh(&sb, &name, "echo hi > /root/note; rm /etc/hosts; echo x >> /etc/passwd");
    let diff = sb.ok(&["diff", &name]);
    for line in ["A /root/note", "D /etc/hosts", "C /etc/passwd"] {
        assert!(diff.lines().any(|l| l == line), "diff lacks {line:?}:\n{diff}");
    }
    let origin = sb.ok(&["inspect", &name, "--path", "/root/note"]);
    assert!(origin.contains("container layer"), "{origin}");
    let origin = sb.ok(&["inspect", &name, "--path", "/bin/sh"]);
    assert!(origin.contains("the image's only layer"), "{origin}");
    sb.ok(&["commit", &name, "noted"]);
    sb.ok(&["rm", "--force", &name]);
    let again = boxed(&sb, "busybox");
    assert_eq!(sh(&sb, &again, "cat /root/note 2>/dev/null || echo gone").trim(), "gone");
    assert!(sh(&sb, &again, "cat /etc/hosts").contains("localhost"), "the image's layer is untouched");
    let committed = boxed(&sb, "noted");
    assert_eq!(sh(&sb, &committed, "cat /root/note").trim(), "hi");
    assert_eq!(sh(&sb, &committed, "test -e /etc/hosts && echo there || echo deleted").trim(), "deleted");
    let images = sb.ok(&["image", "ls"]);
    assert!(images.lines().any(|l| l.starts_with("noted") && l.split_whitespace().nth(1) == Some("2")), "{images}");
}

#[test]
fn whiteouts_in_upper_layers_hide_lower_files() {
    let sb = Sandbox::new("whiteout");
    let base =
        busybox_rootfs(&[("a", None), ("a/gone", Some("1")), ("a/keep", Some("2")), ("d", None), ("d/old", Some("3"))]);
    let delete = tar_of(&[("a", None), ("a/.wh.gone", Some(""))]);
    // The opaque marker comes after d/new: order inside a layer must not matter.
    let opaque = tar_of(&[("d", None), ("d/new", Some("4")), ("d/.wh..wh..opq", Some(""))]);
    import(&sb, &docker_save(&[base, delete, opaque]), "three");
    let name = boxed(&sb, "three");
    let out = sh(&sb, &name, "ls /a /d");
    assert!(out.contains("keep") && !out.contains("gone"), "{out}");
    assert!(out.contains("new") && !out.contains("old"), "{out}");
}

#[test]
fn an_image_symlink_cannot_redirect_the_mounts() {
    let sb = Sandbox::new("symdev");
    let victim = sb.victim.display().to_string();
    let link = format!("->{victim}");
    let link_etc = format!("->{victim}/sub");
    let mut tar = busybox_rootfs(&[]);
    // Replace the dev and tmp folders with symlinks to the host's victim folder.
    let evil = tar_of(&[("dev", Some(link.as_str())), ("tmp", Some(link_etc.as_str()))]);
    tar.truncate(tar.len() - 1024);
    tar.extend_from_slice(&evil);
    let layer_path = sb.victim.parent().unwrap().join("evil.tar");
    std::fs::write(&layer_path, &tar).unwrap();
    sb.ok(&["image", "import", layer_path.to_str().unwrap(), "--name", "evil"]);
    let name = boxed(&sb, "evil");
    assert!(sh(&sb, &name, "ls /dev").contains("null"));
    // The Sandbox's drop checks the victim folder is unchanged.
}

#[test]
fn layer_add_puts_a_folder_on_top_and_copies_it() {
    let sb = Sandbox::new("layeradd");
    sb.ok(&["image", "busybox"]);
    let src = sb.victim.parent().unwrap().join("extra");
    std::fs::create_dir_all(src.join("opt")).unwrap();
    std::fs::write(src.join("opt/hello"), "from a folder\n").unwrap();
    let name = sb.name("la");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt", "pid"]);
    sb.ok(&["layer", "add", &name, src.to_str().unwrap()]);
    std::fs::write(src.join("opt/hello"), "changed later\n").unwrap();
    sb.ok(&["rootfs", &name, "busybox"]);
    assert_eq!(sh(&sb, &name, "cat /opt/hello").trim(), "from a folder");
    let m = sb.inspect(&name);
    let roles: Vec<&str> =
        m["rootfs"]["layers"].as_array().unwrap().iter().map(|l| l["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["container", "layer", "base"]);
    let err = sb.fails(2, &["layer", "add", &name, src.to_str().unwrap()]);
    // Stopping would end the box (its init holds the PID namespace): start over.
    assert!(
        err.contains("glassbox rm --force") && !err.contains("glassbox stop"),
        "a running box keeps its stack: {err}"
    );
}

#[test]
fn layer_add_after_rootfs_remounts_a_box_with_nothing_running() {
    let sb = Sandbox::new("layerlate");
    sb.ok(&["image", "busybox"]);
    let name = sb.name("late");
    sb.ok(&["create", &name]);
    sb.ok(&["unshare", &name, "mnt"]);
    sb.ok(&["rootfs", &name, "busybox"]);
    sb.ok(&["run", &name, "--", "/bin/sh", "-c", "echo kept > /root/mine"]);
    let src = sb.victim.parent().unwrap().join("late-layer");
    std::fs::create_dir_all(src.join("opt")).unwrap();
    std::fs::write(src.join("opt/new"), "added late\n").unwrap();
    let out = sb.run(&["--explain", "layer", "add", &name, src.to_str().unwrap()]);
    assert!(out.status.success(), "{}", crate::harness::text(&out.stderr));
    assert!(crate::harness::text(&out.stderr).contains("umount -l"), "--explain shows the old mount namespace let go");
    assert_eq!(sb.ok(&["run", &name, "--", "/bin/cat", "/opt/new", "/root/mine"]), "added late\nkept\n");
    let roles: Vec<String> = sb.inspect(&name)["rootfs"]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["role"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(roles, ["container", "layer", "base"]);
}

#[test]
fn image_rm_refuses_while_a_box_uses_it() {
    let sb = Sandbox::new("imagerm");
    sb.ok(&["image", "busybox"]);
    let name = boxed(&sb, "busybox");
    let err = sb.fails(2, &["image", "rm", "busybox"]);
    assert!(err.contains(&name), "{err}");
    sb.ok(&["rm", "--force", &name]);
    sb.ok(&["image", "rm", "busybox"]);
    let layers = std::fs::read_dir(sb.root.join("layers"))
        .unwrap()
        .filter(|e| !e.as_ref().unwrap().file_name().to_string_lossy().starts_with('.'))
        .count();
    assert_eq!(layers, 0, "an unused layer is removed with its last image");
}

#[test]
fn oci_layouts_import_as_a_tar_and_as_a_folder() {
    let sb = Sandbox::new("oci");
    let files =
        crate::images::oci_layout(&[busybox_rootfs(&[]), tar_of(&[("etc", None), ("etc/motd", Some("oci layer\n"))])]);
    import(&sb, &crate::images::files_to_tar(&files), "ocitar");
    let dir = sb.victim.parent().unwrap().join("layout");
    for (path, data) in &files {
        std::fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
        std::fs::write(dir.join(path), data).unwrap();
    }
    sb.ok(&["image", "import", dir.to_str().unwrap(), "--name", "ocidir"]);
    let ls = sb.ok(&["image", "ls"]);
    assert!(ls.lines().any(|l| l.starts_with("ocitar") && l.split_whitespace().nth(1) == Some("2")), "{ls}");
    let name = boxed(&sb, "ocidir");
    assert_eq!(sh(&sb, &name, "cat /etc/motd").trim(), "oci layer");
    // A blob that no longer matches its digest is refused.
    let (path, data) = files.iter().find(|(p, d)| p.starts_with("blobs/") && d.starts_with(&[0x1f, 0x8b])).unwrap();
    let mut tampered = data.clone();
    let last = tampered.len() - 9;
    tampered[last] ^= 1;
    std::fs::write(dir.join(path), &tampered).unwrap();
    let err = sb.fails(2, &["image", "import", dir.to_str().unwrap(), "--name", "tampered"]);
    assert!(err.contains("invalid archive"), "{err}");
}

#[test]
fn a_killed_import_registers_nothing_and_can_be_redone() {
    let sb = Sandbox::new("killimport");
    // ~64 MiB of data, so the import is still running when it is killed.
    let big = vec![7u8; 64 << 20];
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(big.len() as u64);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_uid(0);
    h.set_gid(0);
    b.append_data(&mut h, "big", &big[..]).unwrap();
    let path = sb.victim.parent().unwrap().join("big.tar");
    std::fs::write(&path, b.into_inner().unwrap()).unwrap();
    let mut child = sb.cmd().args(["image", "import", path.to_str().unwrap(), "--name", "big"]).spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    child.kill().unwrap();
    child.wait().unwrap();
    let registered = || {
        std::fs::read_dir(sb.root.join("layers"))
            .map(|d| d.flatten().filter(|e| !e.file_name().to_string_lossy().starts_with('.')).count())
            .unwrap_or(0)
    };
    if sb.fails_or_ok(&["image", "rm", "big"]) {
        // The import finished before the kill: nothing to prove this time.
        return;
    }
    assert_eq!(registered(), 0, "a killed import registers no layer");
    sb.ok(&["image", "import", path.to_str().unwrap(), "--name", "big"]);
    assert_eq!(registered(), 1);
    let stale = std::fs::read_dir(sb.root.join("layers"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .count();
    assert_eq!(stale, 0, "the killed import's staging is cleaned up by the next one");
}

#[test]
fn from_host_copies_programs_and_the_libraries_they_load() {
    let sb = Sandbox::new("fromhost");
    let out = sb.ok(&["image", "from-host", "--name", "tools", "sh", "ls", "cat"]);
    assert!(out.contains("libc.so"), "the C library comes along: {out}");
    let name = boxed(&sb, "tools");
    let listing = sb.ok(&["exec", &name, "--", "ls", "/"]);
    assert!(listing.contains("proc") && listing.contains("usr") || listing.contains("bin"), "{listing}");
    assert!(!sb.ok(&["exec", &name, "--", "sh", "-c", "ls /usr/bin"]).contains("python3"), "only what was asked for");
    let err = sb.fails(2, &["image", "from-host", "--name", "none", "no-such-program-here"]);
    assert!(err.contains("no such program"), "{err}");
}

#[test]
fn the_same_tree_twice_is_one_layer() {
    let sb = Sandbox::new("samelayer");
    sb.ok(&["image", "busybox"]);
    sb.ok(&["image", "busybox", "--name", "again"]);
    let images: serde_json::Value = serde_json::from_str(&sb.ok(&["--json", "image", "ls"])).unwrap();
    let layers: Vec<&serde_json::Value> = images.as_array().unwrap().iter().map(|i| &i["layers"][0]).collect();
    assert_eq!(layers[0], layers[1], "busybox built twice has one digest");
    let stored = std::fs::read_dir(sb.root.join("layers"))
        .unwrap()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .count();
    assert_eq!(stored, 1, "and is stored once");
}
