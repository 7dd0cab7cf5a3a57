//! Hostile archives through `image import`: clean rejection, nothing written
//! outside the store, nothing registered. The Sandbox's drop checks the
//! victim folder and the mount table.

use crate::harness::Sandbox;
use crate::images::{busybox_rootfs, docker_save, tar_of};

/// A tar entry with any name, written by hand (tar::Builder refuses `..`).
fn raw_entry(name: &str, kind: u8, link: &str, data: &[u8]) -> Vec<u8> {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{:011o}", data.len()).as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = kind;
    h[157..157 + link.len()].copy_from_slice(link.as_bytes());
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| *b as u32).sum();
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    let mut out = h.to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
    out
}

fn archive(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut out: Vec<u8> = entries.concat();
    out.extend_from_slice(&[0u8; 1024]);
    out
}

fn registered_layers(sb: &Sandbox) -> usize {
    std::fs::read_dir(sb.root.join("layers"))
        .map(|d| d.flatten().filter(|e| !e.file_name().to_string_lossy().starts_with('.')).count())
        .unwrap_or(0)
}

/// Imports and expects a clean rejection naming an invalid archive.
fn rejected(sb: &Sandbox, bytes: &[u8], what: &str) -> String {
    let path = sb.victim.parent().unwrap().join("hostile.tar");
    std::fs::write(&path, bytes).unwrap();
    let err = sb.fails(2, &["image", "import", path.to_str().unwrap(), "--name", "hostile"]);
    assert!(err.contains("invalid archive"), "{what}: {err}");
    assert_eq!(registered_layers(sb), 0, "{what}: a layer was registered");
    assert!(sb.fails(2, &["image", "rm", "hostile"]).contains("no image named"), "{what}: an image was registered");
    let staging: Vec<_> = std::fs::read_dir(sb.root.join("layers")).map(|d| d.flatten().collect()).unwrap_or_default();
    assert!(staging.is_empty(), "{what}: staging left behind: {staging:?}");
    err
}

#[test]
fn traversal_and_symlink_escapes_are_rejected() {
    let sb = Sandbox::new("escape");
    let victim = sb.victim.display().to_string();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("dotdot", archive(&[raw_entry("../../escape", b'0', "", b"x")])),
        ("symlink then file", archive(&[raw_entry("s", b'2', &victim, b""), raw_entry("s/file", b'0', "", b"x")])),
        ("symlink up then dir", archive(&[raw_entry("s", b'2', "../../..", b""), raw_entry("s/x/y/", b'5', "", b"")])),
        ("hard link out", archive(&[raw_entry("h", b'1', "/etc/shadow", b"")])),
        ("hard link up", archive(&[raw_entry("h", b'1', "../../x", b"")])),
        ("hard link to nothing", archive(&[raw_entry("h", b'1', "not-here", b"")])),
        ("bad whiteout", archive(&[raw_entry("a/.wh..", b'0', "", b"")])),
    ];
    for (what, bytes) in cases {
        rejected(&sb, &bytes, what);
    }
}

#[test]
fn a_symlink_then_chmod_through_it_does_not_touch_the_victim() {
    let sb = Sandbox::new("chmod");
    let victim = sb.victim.display().to_string();
    let bytes = archive(&[raw_entry("d", b'2', &victim, b""), raw_entry("d", b'5', "", b"")]);
    let path = sb.victim.parent().unwrap().join("chmod.tar");
    std::fs::write(&path, &bytes).unwrap();
    // Rejected or kept inside: either way the victim keeps its mode (drop checks).
    let _ = sb.run(&["image", "import", path.to_str().unwrap(), "--name", "chmod"]);
}

#[test]
fn corrupt_archives_are_invalid() {
    let sb = Sandbox::new("corrupt");
    let good = tar_of(&[("f", Some("hello"))]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &good).unwrap();
    let gz = gz.finish().unwrap();
    let mut bad_sum = good.clone();
    bad_sum[0] ^= 0x20;
    let mut trailing = good.clone();
    trailing.extend_from_slice(b"garbage after the end");
    for (what, bytes) in [
        ("truncated gzip", gz[..gz.len() / 2].to_vec()),
        ("bad checksum", bad_sum),
        ("not a tar", b"this is not an archive at all".repeat(40)),
        ("trailing garbage", trailing),
    ] {
        rejected(&sb, &bytes, what);
    }
}

#[test]
fn hostile_manifests_are_rejected_and_register_nothing() {
    let sb = Sandbox::new("manifest");
    let layer = tar_of(&[("f", Some("x"))]);
    let good = docker_save(std::slice::from_ref(&layer));
    // A manifest pointing outside the archive.
    let evil_manifest = r#"[{"Config":"config.json","Layers":["../../etc/passwd"]}]"#;
    let config =
        r#"{"rootfs":{"diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"#;
    let outside = archive(&[
        raw_entry("manifest.json", b'0', "", evil_manifest.as_bytes()),
        raw_entry("config.json", b'0', "", config.as_bytes()),
    ]);
    rejected(&sb, &outside, "manifest naming ../../etc/passwd");
    // A layer whose content does not match the digest the config names.
    let lying = docker_save(&[tar_of(&[("g", Some("y"))])]);
    let good_text = String::from_utf8_lossy(&good).into_owned();
    let digest_good = good_text.split("sha256:").nth(1).unwrap()[..64].to_string();
    let mut swapped = lying.clone();
    let lying_text = String::from_utf8_lossy(&lying).into_owned();
    let digest_lying = lying_text.split("sha256:").nth(1).unwrap()[..64].to_string();
    let at = lying_text.find(&digest_lying).unwrap();
    swapped[at..at + 64].copy_from_slice(digest_good.as_bytes());
    let err = rejected(&sb, &swapped, "layer digest mismatch");
    assert!(err.contains("diff id"), "{err}");
}

#[test]
fn devices_and_fifos_are_skipped_with_a_warning() {
    let sb = Sandbox::new("devices");
    let mut base = busybox_rootfs(&[]);
    base.truncate(base.len() - 1024);
    let bytes = [base, archive(&[raw_entry("dev/sda", b'4', "", b""), raw_entry("fifo", b'6', "", b"")])].concat();
    let path = sb.victim.parent().unwrap().join("dev.tar");
    std::fs::write(&path, &bytes).unwrap();
    let out = sb.run(&["image", "import", path.to_str().unwrap(), "--name", "devs"]);
    assert!(out.status.success(), "{}", crate::harness::text(&out.stderr));
    let warn = crate::harness::text(&out.stderr);
    assert!(warn.contains("dev/sda") && warn.contains("fifo"), "{warn}");
    let tree = std::fs::read_dir(sb.root.join("layers"))
        .unwrap()
        .flatten()
        .find(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .unwrap()
        .path()
        .join("fs");
    assert!(!tree.join("dev/sda").exists() && !tree.join("fifo").exists());
}

#[test]
fn two_imports_of_one_name_at_once_leave_one_whole_record() {
    // Image records have no lock: each writer must write its own temp file,
    // or two of them interleave in one and the rename publishes the mix.
    let sb = Sandbox::new("twoimports");
    let dir = sb.victim.parent().unwrap();
    let tars: Vec<_> = (0..2)
        .map(|i| {
            let path = dir.join(format!("t{i}.tar"));
            let files: Vec<String> = (0..40).map(|f| format!("file-{i}-{f}")).collect();
            let entries: Vec<_> = files.iter().map(|f| (f.as_str(), Some("x"))).collect();
            std::fs::write(&path, tar_of(&entries)).unwrap();
            path
        })
        .collect();
    for round in 0..8 {
        let imports: Vec<Vec<&str>> =
            tars.iter().map(|t| vec!["image", "import", t.to_str().unwrap(), "--name", "same", "--force"]).collect();
        let imports: Vec<&[&str]> = imports.iter().map(|v| v.as_slice()).collect();
        for out in sb.at_once(&imports) {
            assert!(out.status.success(), "round {round}: {}", crate::harness::text(&out.stderr));
        }
        let text = std::fs::read_to_string(sb.root.join("images/same.json")).unwrap();
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "round {round}: torn record:\n{text}");
    }
}
