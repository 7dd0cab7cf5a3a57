//! Hostile and careless imports (issue 22): whiteouts that must not leave
//! phantom names, archives that expand past the named limits, archives that
//! hold several images, and an import over an existing image's name.

use crate::harness::Sandbox;
use crate::images::{busybox_rootfs, docker_save, docker_save_images, sha, tar_of};
use crate::rootfs::{boxed, import, sh};
use std::path::{Path, PathBuf};

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

/// Layers registered under the root, and staging folders left behind.
fn store_contents(sb: &Sandbox) -> (usize, Vec<String>) {
    let names: Vec<String> = std::fs::read_dir(sb.root.join("layers"))
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let staging = names.iter().filter(|n| n.starts_with('.')).cloned().collect();
    (names.iter().filter(|n| !n.starts_with('.')).count(), staging)
}

fn write(sb: &Sandbox, file: &str, bytes: &[u8]) -> PathBuf {
    let path = sb.victim.parent().unwrap().join(file);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Imports `path` and expects a clean rejection: exit 2, one line naming
/// `limit` and `flag`, no image, no layer, no staging folder.
fn refused_by_limit(sb: &Sandbox, path: &Path, extra: &[&str], limit: &str, flag: &str) {
    let mut args = vec!["image", "import", path.to_str().unwrap(), "--name", "big"];
    args.extend_from_slice(extra);
    let err = sb.fails(2, &args);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(&format!("{limit} limit exceeded")) && err.contains(flag), "{err}");
    assert_eq!(store_contents(sb), (0, vec![]), "a layer or a staging folder is left");
    assert!(sb.fails(2, &["image", "rm", "big"]).contains("no image named"));
}

#[test]
fn a_gzip_bomb_and_an_image_over_the_size_limit_stop_with_the_limit_and_its_flag() {
    let sb = Sandbox::new("bomb");
    // 256 MiB of zeros streamed through the encoder: a 256 KiB file.
    let path = sb.victim.parent().unwrap().join("bomb.tar.gz");
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(&path).unwrap(), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let mut h = tar::Header::new_gnu();
    h.set_size(256 << 20);
    h.set_mode(0o644);
    tar.append_data(&mut h, "zeros", std::io::Read::take(std::io::repeat(0), 256 << 20)).unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 4 << 20);
    refused_by_limit(&sb, &path, &[], "compression ratio", "--max-ratio");

    // The default 4 GiB: a header that promises 5 GiB is refused before a byte is written.
    let mut h = tar::Header::new_gnu();
    h.set_size(5 << 30);
    h.set_mode(0o644);
    h.set_path("huge").unwrap();
    h.set_cksum();
    let promise = write(&sb, "promise.tar", &[h.as_bytes().as_slice(), &[0u8; 1024]].concat());
    refused_by_limit(&sb, &promise, &[], "size", "--max-size");

    // Two plain 3 MiB layers: each alone fits 5M, together they do not.
    let layer = |n: &str| tar_of(&[(n, Some("x".repeat(3 << 20).as_str()))]);
    let two = write(&sb, "two.tar", &docker_save(&[layer("a"), layer("b")]));
    refused_by_limit(&sb, &two, &["--max-size", "5M"], "size", "--max-size");
    sb.ok(&["image", "import", two.to_str().unwrap(), "--name", "big", "--max-size", "7M"]);
    let zero = sb.fails(2, &["image", "import", two.to_str().unwrap(), "--name", "zero", "--max-size", "0"]);
    assert!(zero.contains("--max-size 0"), "{zero}");
}

/// The layers an image's record lists.
fn layers_of(sb: &Sandbox, image: &str) -> Vec<String> {
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.root.join(format!("images/{image}.json"))).unwrap()).unwrap();
    record["layers"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect()
}

#[test]
fn an_archive_of_two_images_lists_them_and_imports_the_one_picked() {
    let sb = Sandbox::new("twoimages");
    let (first, second) = (tar_of(&[("which", Some("first"))]), tar_of(&[("which", Some("second"))]));
    // A tag is archive text: a newline in it must not forge a line.
    let archive = docker_save_images(&[
        ("first:1", std::slice::from_ref(&first)),
        ("second:1\nD forged", std::slice::from_ref(&second)),
    ]);
    let path = write(&sb, "two.tar", &archive);
    let file = path.to_str().unwrap();
    let err = sb.fails(2, &["image", "import", file, "--name", "pick"]);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("holds 2 images") && err.contains("1 first:1") && err.contains("2 second:1"), "{err}");
    assert!(err.contains("--image N") && err.contains("--all"), "{err}");
    assert_eq!(store_contents(&sb), (0, vec![]), "nothing registered");
    assert!(sb.fails(2, &["image", "import", file, "--name", "pick", "--image", "3"]).contains("from 1 to 2"));
    sb.ok(&["image", "import", file, "--name", "pick", "--image", "2"]);
    assert_eq!(layers_of(&sb, "pick"), [sha(&second)]);
    sb.ok(&["image", "import", file, "--name", "each", "--all"]);
    assert_eq!((layers_of(&sb, "each-1"), layers_of(&sb, "each-2")), (vec![sha(&first)], vec![sha(&second)]));
}

#[test]
fn importing_over_an_existing_image_name_needs_force() {
    let sb = Sandbox::new("overwrite");
    let (old, new) = (tar_of(&[("v", Some("1"))]), tar_of(&[("v", Some("2"))]));
    let (old_path, new_path) = (write(&sb, "old.tar", &old), write(&sb, "new.tar", &new));
    sb.ok(&["image", "import", old_path.to_str().unwrap(), "--name", "base"]);
    let record = sb.root.join("images/base.json");
    let before = std::fs::read(&record).unwrap();
    let err = sb.fails(2, &["image", "import", new_path.to_str().unwrap(), "--name", "base"]);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&record).unwrap(), before, "the first image changed");
    assert_eq!(store_contents(&sb), (1, vec![]), "a layer was registered");
    sb.ok(&["image", "import", new_path.to_str().unwrap(), "--name", "base", "--force"]);
    assert_eq!(layers_of(&sb, "base"), [sha(&new)]);
    assert_eq!(store_contents(&sb), (1, vec![]), "the replaced image's layer stays behind");
}
