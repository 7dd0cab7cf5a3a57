//! Trying the kernel features glassbox uses, each in a forked child that
//! first moves into throw-away namespaces: a test mount lives in the child's
//! own mount namespace, a test bridge in its own network namespace, and both
//! vanish with the child. Nothing a probe does is seen by the host, or stays.

use crate::stage::NamespaceKind;
use crate::sys::{self, mounts, netlink, ns, process};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Ok, or why it failed in words.
pub type Probe = Result<(), String>;

/// Runs `f` in a forked child and returns what it returned. The child
/// reports an error back through a pipe and leaves with `_exit`.
fn in_child(f: impl FnOnce() -> Probe) -> Probe {
    let (read, write) = sys::fd::pipe().map_err(|e| e.to_string())?;
    match process::fork().map_err(|e| e.to_string())? {
        process::Forked::Child => {
            drop(read);
            let code = match f() {
                Ok(()) => 0,
                Err(msg) => {
                    let _ = sys::fd::write_all(std::os::fd::AsRawFd::as_raw_fd(&write), msg.as_bytes());
                    1
                }
            };
            process::exit_now(code);
        }
        process::Forked::Parent(pid) => {
            drop(write);
            let mut msg = String::new();
            let _ = std::fs::File::from(read).read_to_string(&mut msg);
            match process::wait(pid).map_err(|e| e.to_string())? {
                process::Exit::Code(0) => Ok(()),
                process::Exit::Code(_) => Err(msg),
                process::Exit::Signal(s) => Err(format!("the probe was killed by signal {s}")),
            }
        }
    }
}

/// A private folder for a probe's mounts, removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(what: &str) -> Result<ScratchDir, String> {
        let base = std::env::temp_dir().join(format!("glassbox-doctor-{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).map_err(|e| format!("mkdir {}: {e}", base.display()))?;
        Ok(ScratchDir(base))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A new mount namespace whose mounts reach nobody else.
fn private_mount_ns() -> Probe {
    ns::unshare(libc::CLONE_NEWNS, "mnt").map_err(|e| e.to_string())?;
    mounts::make_private(Path::new("/"), true).map_err(|e| e.to_string())
}

/// Can a process make a new namespace of this kind?
pub fn namespace(kind: NamespaceKind) -> Probe {
    in_child(|| ns::unshare(kind.clone_flag(), kind.name()).map_err(|e| e.to_string()))
}

/// Does an overlay mount (two layers, an upper, a work dir) work?
pub fn overlay() -> Probe {
    let dir = ScratchDir::new("overlay")?;
    for d in ["lower", "upper", "work", "merged"] {
        std::fs::create_dir(dir.0.join(d)).map_err(|e| e.to_string())?;
    }
    std::fs::write(dir.0.join("lower/file"), "lower\n").map_err(|e| e.to_string())?;
    let p = |d: &str| dir.0.join(d).display().to_string();
    let data = format!("lowerdir={},upperdir={},workdir={}", p("lower"), p("upper"), p("work"));
    let merged = dir.0.join("merged");
    in_child(|| {
        private_mount_ns()?;
        mounts::mount_fs("overlay", &merged, false, &data).map_err(|e| e.to_string())?;
        match std::fs::read_to_string(merged.join("file")) {
            Ok(t) if t == "lower\n" => Ok(()),
            _ => Err("the overlay mounted but did not show its lower layer".into()),
        }
    })
}

/// Can this root filesystem be replaced with pivot_root? (Not when it is
/// the initramfs itself, `rootfs`, which cannot be unmounted.)
pub fn pivot_root() -> Probe {
    let dir = ScratchDir::new("pivot")?;
    let new_root = dir.0.clone();
    in_child(|| {
        private_mount_ns()?;
        mounts::bind(&new_root, &new_root).map_err(|e| e.to_string())?;
        mounts::pivot_root(&new_root).map_err(|e| e.to_string())
    })
}

/// The root filesystem's type, from mountinfo (`rootfs` for an initramfs).
pub fn root_fs_type() -> Option<String> {
    mounts::mountinfo().into_iter().rev().find(|m| m.mount_point == Path::new("/")).map(|m| m.fstype)
}

/// Can a bridge be made (in a throw-away network namespace)?
pub fn bridge() -> Probe {
    in_child(|| {
        ns::unshare(libc::CLONE_NEWNET, "net").map_err(|e| e.to_string())?;
        netlink::create_bridge("gbdoctor0").map_err(|e| e.to_string())
    })
}

/// Can a veth pair be made (both ends in a throw-away network namespace)?
pub fn veth() -> Probe {
    in_child(|| {
        ns::unshare(libc::CLONE_NEWNET, "net").map_err(|e| e.to_string())?;
        let here = ns::open(Path::new("/proc/self/ns/net")).map_err(|e| e.to_string())?;
        netlink::create_veth("gbdoctor0", "gbdoctor1", &here).map_err(|e| e.to_string())
    })
}

/// `/bin/busybox` exists and is statically linked.
pub fn busybox() -> Probe {
    let path = crate::image::busybox::BUSYBOX;
    let bytes = std::fs::read(path).map_err(|_| format!("{path} not found"))?;
    if crate::image::busybox::is_dynamic(&bytes) {
        return Err(format!("{path} is dynamically linked, so it cannot run alone in an image"));
    }
    Ok(())
}

/// Is this filesystem type known to the kernel now (`/proc/filesystems`)?
/// A module such as overlay may also load on first use.
pub fn filesystem_listed(fstype: &str) -> bool {
    std::fs::read_to_string("/proc/filesystems")
        .unwrap_or_default()
        .lines()
        .any(|l| l.split_whitespace().last() == Some(fstype))
}

/// A kernel tunable as text, if the file exists.
pub fn sysctl(name: &str) -> Option<String> {
    std::fs::read_to_string(Path::new("/proc/sys").join(name.replace('.', "/"))).ok().map(|s| s.trim().to_string())
}

/// Where a program is found on PATH, if it is.
pub fn on_path(program: &str) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}
