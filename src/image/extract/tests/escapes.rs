//! Entries that try to write outside the staging folder, or to hand the box
//! what it must not have: `..`, absolute names, symlinks, hard links, devices.

use super::*;
use std::os::unix::fs::FileTypeExt;

#[test]
fn extract_refuses_dotdot_and_roots_absolute_names_in_dest() {
    each_fails(
        "dotdot",
        "unsafe",
        &[
            ("../../escape", &|_| Tar::default().file("../../escape", "x").end()),
            ("../victim/file", &|_| Tar::default().file("../victim/file", "x").end()),
            ("a/../../victim", &|_| Tar::default().file("a/../../victim/file", "x").end()),
            ("pax path ..", &|_| Tar::default().pax(&[("path", "../x")]).file("x", "").end()),
        ],
    );
    let scene = Scene::new("escapes");
    let err = fails(scene.run(&Tar::default().file("\x1b[2J/../x", "").end()), "unsafe");
    assert!(err.starts_with("unsafe entry \\u{1b}[2J/../x:"), "{err}");
    let scene = Scene::new("absolute");
    let victim_file = format!("{}/file", scene.victim_str());
    scene.run(&Tar::default().file("/etc/cron.d/x", "job").file(&victim_file, "pwned").end()).unwrap();
    assert_eq!(std::fs::read_to_string(scene.at("etc/cron.d/x")).unwrap(), "job");
    assert_eq!(std::fs::read_to_string(scene.dest.join(victim_file.trim_start_matches('/'))).unwrap(), "pwned");
    scene.assert_victim_intact();
}

#[test]
fn extract_never_walks_through_a_symlink() {
    let escape = format!("glassbox-escape-{}", std::process::id());
    each_fails(
        "symlink",
        "unsafe",
        &[
            ("s -> / then s/<victim>/file", &|s| {
                let through = format!("s{}/file", s.victim_str());
                Tar::default().sym("s", "/").file(&through, "pwned").end()
            }),
            ("s -> ../../.. then dir s/x/y/", &|_| {
                Tar::default().sym("s", "../../..").dir(&format!("s/{escape}/y/"), 0o755).end()
            }),
            ("t -> .. then dir t/victim/y/", &|_| Tar::default().sym("t", "..").dir("t/victim/y/", 0o755).end()),
            ("s -> victim then s/file", &|s| Tar::default().sym("s", &s.victim_str()).file("s/file", "x").end()),
        ],
    );
    let up = std::fs::canonicalize(std::env::temp_dir()).unwrap().join("../..").join(&escape);
    assert!(!up.exists() && !Path::new("/").join(&escape).exists());
}

#[test]
fn extract_dir_entry_replaces_a_symlink_instead_of_chmodding_its_target() {
    let scene = Scene::new("chmod");
    scene.run(&Tar::default().sym("d", &scene.victim_str()).dir("d", 0o777).end()).unwrap();
    let d = std::fs::symlink_metadata(scene.at("d")).unwrap();
    assert!(d.is_dir() && d.mode() & 0o7777 == 0o777);
    scene.assert_victim_intact();
}

#[test]
fn extract_hard_links_only_to_files_of_this_layer() {
    each_fails(
        "hardlink",
        "unsafe",
        &[
            ("/etc/shadow", &|_| Tar::default().link("h", "/etc/shadow").end()),
            ("../../x", &|_| Tar::default().link("h", "../../x").end()),
            ("victim by absolute path", &|s| Tar::default().link("h", &format!("{}/file", s.victim_str())).end()),
            ("a name not in the archive", &|_| Tar::default().file("f", "x").link("h", "missing").end()),
            ("an in-archive symlink out", &|s| {
                Tar::default().sym("s", &format!("{}/file", s.victim_str())).link("h", "s").end()
            }),
            ("through an in-archive symlink", &|s| Tar::default().sym("s", &s.victim_str()).link("h", "s/file").end()),
            ("a directory", &|_| Tar::default().dir("d", 0o755).link("h", "d").end()),
            ("the layer root", &|_| Tar::default().link("h", "./").end()),
        ],
    );
    let scene = Scene::new("hardlink-ok");
    scene.run(&Tar::default().file("a/f", "x").link("h", "/a/f").link("a/f", "a/f").end()).unwrap();
    let (f, l) = (std::fs::metadata(scene.at("a/f")).unwrap(), std::fs::metadata(scene.at("h")).unwrap());
    assert_eq!((f.ino(), f.nlink()), (l.ino(), 2));
    scene.assert_victim_intact();
}

#[test]
fn extract_skips_devices_and_fifos_but_keeps_whiteout_nodes() {
    let scene = Scene::new("devices");
    let tar = Tar::default().dev("dev/sda", b'4', 8, 0).dev("dev/null", b'3', 1, 3).dev("p", b'6', 0, 0);
    let x = scene.run(&tar.dev("wh", b'3', 0, 0).end()).unwrap();
    assert_eq!(
        x.warnings,
        ["skipped device node dev/sda (block 8:0)", "skipped device node dev/null (char 1:3)", "skipped fifo p"]
    );
    assert!(!scene.at("dev/sda").exists() && !scene.at("dev/null").exists() && !scene.at("p").exists());
    let wh = std::fs::symlink_metadata(scene.at("wh")).unwrap();
    assert!(wh.file_type().is_char_device() && wh.rdev() == 0);
    scene.assert_victim_intact();
}
