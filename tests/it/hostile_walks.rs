//! Trees a box can change while glassbox reads them, and paths that must be
//! resolved inside the box's root, never against the host's (HOSTILE.md: "a
//! tree a box can write while glassbox reads it").

use crate::harness::Sandbox;
use crate::images::busybox_rootfs;
use crate::rootfs::{boxed, import, sh};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What a process in the box can do to its own container layer: swap a
/// folder and a symlink to a host folder with `renameat2(RENAME_EXCHANGE)`,
/// as fast as it can. Run from the host on the upper folder, which is the
/// same tree the box writes through its overlay.
struct Racer {
    stop: Arc<AtomicBool>,
    swaps: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Racer {
    fn start(upper: &Path, outside: &Path) -> Racer {
        std::fs::create_dir_all(upper.join("swap")).unwrap();
        std::fs::write(upper.join("swap/inside"), "box data\n").unwrap();
        std::os::unix::fs::symlink(outside, upper.join("link")).unwrap();
        let c = |name: &str| CString::new(upper.join(name).as_os_str().as_bytes()).unwrap();
        let (a, b) = (c("swap"), c("link"));
        let (stop, swaps) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
        let (s, n) = (stop.clone(), swaps.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                // SAFETY: two NUL-terminated paths; RENAME_EXCHANGE swaps them atomically.
                let ret = unsafe {
                    libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE)
                };
                assert_eq!(ret, 0, "renameat2: {}", std::io::Error::last_os_error());
                // Hold each state for a varying while, so some walks see
                // it change between a look and a use, and others not.
                let k = n.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_micros(k % 50));
            }
        });
        Racer { stop, swaps, thread: Some(thread) }
    }
}

impl Drop for Racer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.take().map(|t| t.join());
    }
}

/// Every regular file below `dir` (symlinks not followed), with its bytes.
fn files_below(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            } else if meta.is_file() {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out
}

#[test]
fn a_folder_swapped_for_a_host_symlink_mid_walk_never_leads_commit_or_diff_out_of_the_box() {
    let sb = Sandbox::new("swapwalk");
    sb.ok(&["image", "busybox"]);
    let name = boxed(&sb, "busybox");
    let upper = PathBuf::from(sb.inspect(&name)["rootfs"]["upperdir"].as_str().unwrap());
    let host_file = std::fs::read(sb.victim.join("file")).unwrap();
    let racer = Racer::start(&upper, &sb.victim);
    for i in 0..50 {
        let diff = sb.ok(&["diff", &name]);
        for line in diff.lines() {
            let leaf = line.rsplit('/').next().unwrap();
            assert!(!["file", "sub", "other"].contains(&leaf), "diff listed a host name: {line:?}\n{diff}");
        }
        sb.ok(&["commit", &name, &format!("swapped{i}")]);
        let origin = sb.ok(&["inspect", &name, "--path", "/swap/sub/other"]);
        assert!(origin.contains("is in no layer"), "inspect --path answered from the host: {origin}");
        // The folder and the symlink may each be met under both names
        // (they swap while the count walks), but no host file is counted.
        let bytes = sb.inspect(&name)["rootfs"]["layers"][0]["bytes"].as_u64().unwrap();
        let (inside, link) = (b"box data\n".len() as u64, sb.victim.as_os_str().len() as u64);
        let own = (0..=2).any(|a| (0..=2).any(|b| a * inside + b * link == bytes));
        assert!(own, "the container layer's count took in host files: {bytes} bytes");
    }
    let swaps = racer.swaps.load(Ordering::Relaxed);
    drop(racer);
    assert!(swaps >= 50, "the racer swapped only {swaps} times: the walk was not raced");
    let stored = files_below(&sb.root.join("layers"));
    assert!(stored.iter().any(|(_, bytes)| bytes == b"box data\n"), "the commits hold the box's own file");
    for (path, bytes) in stored {
        assert!(bytes != host_file && !path.ends_with("other"), "a committed layer holds a host file: {path:?}");
    }
    // The Sandbox's drop checks the victim folder is unchanged.
}

#[test]
fn inspect_path_resolves_symlinks_inside_the_box_root_never_on_the_host() {
    let sb = Sandbox::new("inroot");
    let victim = sb.victim.display().to_string();
    let absolute = format!("->{victim}");
    let climbing = format!("->../../../../../../../../../..{victim}");
    let image = busybox_rootfs(&[
        ("data", Some(&absolute)),
        ("deep", None),
        ("deep/out", Some(&climbing)),
        ("deep/etc", Some("->../../../../../etc")),
        ("etc/hostname", Some("inside\n")),
        ("conf", Some("->/etc")),
    ]);
    import(&sb, &image, "linked");
    let name = boxed(&sb, "linked");
    sh(&sb, &name, &format!("ln -s {victim} /v"));
    let up = format!("/../../../..{victim}/file");
    for path in ["/data/file", "/data/sub/other", "/deep/out/file", "/v/file", &up] {
        let out = sb.ok(&["inspect", &name, "--path", path]);
        assert!(out.contains("is in no layer"), "{path} was answered from the host: {out}");
    }
    // Symlinks inside the image still lead where they lead in the box.
    for path in ["/conf/hostname", "/deep/etc/hostname", "/deep/../etc/hostname"] {
        let out = sb.ok(&["inspect", &name, "--path", path]);
        assert!(out.contains("comes from the image's only layer"), "{path}: {out}");
    }
    let out = sb.ok(&["inspect", &name, "--path", "/v"]);
    assert!(out.contains("comes from the container layer"), "the symlink itself is the box's: {out}");
}
