//! Hostile and careless imports (issue 22): whiteouts that must not leave
//! phantom names, archives that expand past the named limits, archives that
//! hold several images, and an import over an existing image's name.

use crate::harness::Sandbox;
use crate::images::{busybox_rootfs, docker_save, tar_of};
use crate::rootfs::{boxed, import, sh};

/// Every name each folder lists (a glob reads the folder without looking at
/// the names), and whether `stat` then finds it.
const LIST_AND_STAT: &str = "for d in a k n s t; do for f in /$d/* /$d/.[!.]*; do case $f in *[*]*) continue;; esac; \
     if stat $f >/dev/null 2>&1; then echo ${f#/}; else echo PHANTOM ${f#/}; fi; done; done";

#[test]
fn whiteouts_under_an_opaque_or_replacing_folder_leave_no_phantom_names() {
    let sb = Sandbox::new("phantom");
    let base = busybox_rootfs(&[
        ("a", None),
        ("a/foo", Some("1")),
        ("a/bar", Some("2")),
        ("k", None),
        ("k/gone", Some("3")),
        ("k/keep", Some("4")),
        ("t", None),
        ("t/foo", Some("5")),
        ("s", Some("->t")),
    ]);
    let top = tar_of(&[
        // An opaque folder whose whiteout comes before its marker, and a
        // whiteout deeper down: the folder keeps only this layer's entries.
        ("a", None),
        ("a/.wh.foo", Some("")),
        ("a/.wh..wh..opq", Some("")),
        ("a/new", Some("6")),
        ("a/sub", None),
        ("a/sub/.wh.x", Some("")),
        // A folder replacing the lower layer's symlink s -> t.
        ("s", None),
        ("s/.wh.foo", Some("")),
        ("s/mine", Some("7")),
        // A folder new in this layer, holding only a whiteout.
        ("n", None),
        ("n/.wh.ghost", Some("")),
        // A whiteout in a merged folder still hides the lower file.
        ("k", None),
        ("k/.wh.gone", Some("")),
    ]);
    import(&sb, &docker_save(&[base, top]), "phantom");
    let name = boxed(&sb, "phantom");
    let seen = sh(&sb, &name, LIST_AND_STAT);
    let mut seen: Vec<&str> = seen.lines().collect();
    seen.sort();
    assert_eq!(seen, ["a/new", "a/sub", "k/keep", "s/mine", "t/foo"], "the merged view");
    let listed = sh(&sb, &name, "ls -A /a /k /n /s /t 2>&1");
    assert!(!listed.contains("No such file"), "ls lists a name it cannot find:\n{listed}");
    assert_eq!(
        sh(&sb, &name, "ls -A /a/sub /n; test -d /s && test ! -L /s && cat /s/mine /t/foo"),
        "/a/sub:\n\n/n:\n75"
    );
}
