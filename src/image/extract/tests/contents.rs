//! What lands in the staging folder, and how faithfully: digests, repeated
//! and replaced entries, owners, modes and times, long names.

use super::*;

#[test]
fn extract_digests_cover_plain_and_gzip_streams() {
    let tar = Tar::default().dir("./", 0o755).file("etc/hostname", "box\n").sym("bin", "usr/bin").end();
    let scene = Scene::new("digests");
    let mut seen = Vec::new();
    let x = extract_layer(&tar[..], &scene.dest, &Limits::default(), &mut |n| seen.push(n)).unwrap();
    let want = format!("sha256:{}", hex::encode(Sha256::digest(&tar)));
    assert_eq!((x.diff_id.as_str(), x.blob_digest.as_str(), x.files, x.bytes), (want.as_str(), want.as_str(), 3, 4));
    assert_eq!(seen.last(), Some(&(tar.len() as u64)));
    let zipped = gz(&tar);
    let scene = Scene::new("digests-gz");
    let y = scene.run(&zipped).unwrap();
    assert_eq!(y.diff_id, want);
    assert_eq!(y.blob_digest, format!("sha256:{}", hex::encode(Sha256::digest(&zipped))));
    assert_eq!(std::fs::read_link(scene.at("bin")).unwrap(), Path::new("usr/bin"));
    scene.assert_victim_intact();
}

#[test]
fn extract_replaces_files_and_keeps_repeated_directories() {
    let scene = Scene::new("replace");
    let victim_file = format!("{}/file", scene.victim_str());
    let tar = Tar::default().dir("a", 0o755).file("a/f", "child").dir("a", 0o700).file("f", "one").file("f", "two");
    let tar = tar.sym("l", &victim_file).file("l", "mine").file("g", "file").dir("g", 0o755).sym("g/s", "x");
    scene.run(&tar.file("a", "now a file").end()).unwrap();
    assert_eq!(std::fs::read_to_string(scene.at("f")).unwrap(), "two");
    assert_eq!(std::fs::read_to_string(scene.at("l")).unwrap(), "mine");
    assert!(std::fs::symlink_metadata(scene.at("g/s")).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(scene.at("a")).unwrap(), "now a file");
    scene.assert_victim_intact();
    let scene = Scene::new("replace-dir");
    scene.run(&Tar::default().dir("a", 0o755).file("a/f", "child").dir("a", 0o700).end()).unwrap();
    assert_eq!(std::fs::metadata(scene.at("a")).unwrap().mode() & 0o7777, 0o700);
    assert_eq!(std::fs::read_to_string(scene.at("a/f")).unwrap(), "child");
}

#[test]
fn extract_keeps_mode_owner_and_mtime() {
    let scene = Scene::new("meta");
    let tar = Tar::default()
        .put(H { mode: 0o750, mtime: 1_100_000_000, owner: (7, 8), ..h("bin", b'5') }, b"")
        .put(H { mode: 0o4755, owner: (1234, 5678), mtime: 1_000_000_000, ..h("bin/su", b'0') }, b"#!")
        .put(H { link: "su", owner: (9, 9), ..h("bin/s", b'2') }, b"")
        .pax(&[("uid", "4000000"), ("mtime", "1234567890.5")])
        .file("bin/pax", "");
    scene.run(&tar.end()).unwrap();
    let su = std::fs::symlink_metadata(scene.at("bin/su")).unwrap();
    assert_eq!((su.mode() & 0o7777, su.uid(), su.gid(), su.mtime()), (0o4755, 1234, 5678, 1_000_000_000));
    let bin = std::fs::symlink_metadata(scene.at("bin")).unwrap();
    assert_eq!((bin.mode() & 0o7777, bin.uid(), bin.gid(), bin.mtime()), (0o750, 7, 8, 1_100_000_000));
    let s = std::fs::symlink_metadata(scene.at("bin/s")).unwrap();
    assert_eq!((s.uid(), s.mtime()), (9, 1_600_000_000));
    let pax = std::fs::symlink_metadata(scene.at("bin/pax")).unwrap();
    assert_eq!((pax.uid(), pax.mtime()), (4_000_000, 1_234_567_890));
    scene.assert_victim_intact();
}

#[test]
fn extract_reads_empty_numeric_fields_as_zero() {
    let scene = Scene::new("empty-fields");
    let mut tar = Tar::default().put(H { owner: (5, 5), mtime: 9, ..h("f", b'0') }, b"x").end();
    tar[108..124].fill(0);
    tar[136..148].fill(0);
    seal(&mut tar);
    scene.run(&tar).unwrap();
    let f = std::fs::symlink_metadata(scene.at("f")).unwrap();
    assert_eq!((f.uid(), f.gid(), f.mtime()), (0, 0, 0));
    tar[108] = b'z';
    seal(&mut tar);
    let scene = Scene::new("bad-fields");
    fails(scene.run(&tar), "invalid");
}

#[test]
fn extract_long_names_from_gnu_and_pax_headers() {
    let scene = Scene::new("long");
    let long = format!("{}/file", "d".repeat(150));
    let tar = Tar::default().file(&long, "gnu").pax(&[("path", "p/very-long-pax-name")]).file("short", "pax");
    scene.run(&tar.end()).unwrap();
    assert_eq!(std::fs::read_to_string(scene.at(&long)).unwrap(), "gnu");
    assert_eq!(std::fs::read_to_string(scene.at("p/very-long-pax-name")).unwrap(), "pax");
}
