//! Docker/OCI whiteout markers become overlayfs whiteouts and opaque dirs.

use super::*;
use crate::sys::beneath;
use std::os::fd::AsFd;
use std::os::unix::fs::FileTypeExt;

fn is_whiteout(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_char_device() && m.rdev() == 0)
}

fn opaque(p: &Path) -> Option<Vec<u8>> {
    let fd = beneath::open_root(p).unwrap();
    beneath::get_xattr(fd.as_fd(), c"trusted.overlay.opaque").unwrap()
}

#[test]
fn extract_converts_whiteouts_to_overlay_form() {
    let scene = Scene::new("whiteouts");
    let tar = Tar::default().dir("a", 0o755).file("a/foo/bar", "x").file("a/.wh.foo", "").file(".wh.gone", "");
    scene.run(&tar.file("b/.wh..wh..opq", "").end()).unwrap();
    assert!(is_whiteout(&scene.at("a/foo")) && is_whiteout(&scene.at("gone")));
    assert!(!scene.at("a/.wh.foo").exists() && !scene.at(".wh.gone").exists());
    assert_eq!(opaque(&scene.at("b")), Some(b"y".to_vec()));
    assert!(!scene.at("b/.wh..wh..opq").exists());
    scene.assert_victim_intact();
}

#[test]
fn extract_opaque_marker_before_or_after_gives_the_same_tree() {
    let before = Tar::default().file("a/.wh..wh..opq", "").dir("a", 0o755).file("a/b/c/foo", "x").end();
    let after = Tar::default().dir("a", 0o755).file("a/b/c/foo", "x").file("a/.wh..wh..opq", "").end();
    for (what, tar) in [("before", before), ("after", after)] {
        let scene = Scene::new(&format!("opaque-{what}"));
        scene.run(&tar).unwrap();
        assert_eq!(opaque(&scene.at("a")), Some(b"y".to_vec()), "{what}");
        assert_eq!(opaque(&scene.at("a/b")), None, "{what}");
        assert_eq!(std::fs::read_to_string(scene.at("a/b/c/foo")).unwrap(), "x", "{what}");
        assert_eq!(std::fs::read_dir(scene.at("a")).unwrap().count(), 1, "{what}");
        scene.assert_victim_intact();
    }
}

#[test]
fn extract_rejects_reserved_whiteout_names_and_keeps_the_parent() {
    for (i, name) in [".wh..", ".wh...", ".wh.", ".wh..wh..opqX", ".wh..wh.plnk"].iter().enumerate() {
        let scene = Scene::new(&format!("reserved{i}"));
        let tar = Tar::default().file("a/keep", "k").file(&format!("a/{name}"), "").end();
        fails(scene.run(&tar), "unsafe");
        assert_eq!(std::fs::read_to_string(scene.at("a/keep")).unwrap(), "k", "{name}");
        scene.assert_victim_intact();
    }
    let scene = Scene::new("reserved-dir");
    fails(scene.run(&Tar::default().file("a/.wh.x/y", "").end()), "unsafe");
}

fn origin(p: &Path) -> Option<Vec<u8>> {
    let fd = beneath::open_root(p).unwrap();
    beneath::get_xattr(fd.as_fd(), c"trusted.overlay.origin").unwrap()
}

#[test]
fn extract_drops_whiteouts_an_opaque_folder_covers_and_marks_the_others() {
    let before = Tar::default().file("o/.wh.x", "").file("o/.wh..wh..opq", "").file("o/d/.wh.y", "");
    let after = Tar::default().file("o/d/.wh.y", "").file("o/.wh.x", "").file("o/.wh..wh..opq", "");
    for (what, tar) in [("before", before), ("after", after)] {
        let scene = Scene::new(&format!("covered-{what}"));
        scene.run(&tar.file("s/.wh.z", "").file("s/keep", "k").end()).unwrap();
        assert!(!scene.at("o/x").exists() && !scene.at("o/d/y").exists(), "{what}: covered whiteouts stay");
        assert!(is_whiteout(&scene.at("s/z")), "{what}");
        assert_eq!(origin(&scene.at("s")), Some(vec![]), "{what}: a folder with a whiteout is marked");
        assert_eq!((origin(&scene.at("o")), origin(&scene.at("o/d"))), (None, None), "{what}");
        scene.assert_victim_intact();
    }
}
