//! The image of glassbox that the box init runs from.
//!
//! The box init lives inside the box for as long as the box runs. Had it been
//! exec'd from the glassbox file on disk, root inside the box could open
//! `/proc/1/exe` for writing and replace the host's glassbox binary (the runc
//! CVE-2019-5736 attack). So the init runs either from the binary seen
//! through a private, read-only overlayfs (no copy: writes fail with EROFS,
//! and an overlay without an upper layer cannot be remounted writable), or,
//! where overlayfs or the new mount API is missing, from a sealed memfd copy
//! (megabytes copied per init, but `/proc/1/exe` is memory nobody can write).

use super::{SysError, SysResult};
use std::os::fd::OwnedFd;
use std::path::Path;

/// Executes the image (execveat of the descriptor) with only `env`; returns only on failure.
pub fn exec_sealed(fd: i32, argv: &[String], env: &[(String, String)]) -> SysError {
    match super::spawn::ExecImage::new(argv, env) {
        Ok(image) => {
            SysError::io("execveat(sealed glassbox image)", std::io::Error::from_raw_os_error(image.exec_fd(fd)))
        }
        Err(e) => e,
    }
}

/// This program, opened so that nobody can write through it.
pub struct SealedImage {
    pub exe: OwnedFd,
    /// The detached overlay `exe` is seen through (none for a sealed copy).
    /// Closing it dissolves the mount, which waits for an RCU grace period
    /// (docs/performance.md): whoever starts an init closes it only after
    /// the init has been reported, not on the way to it.
    pub mount: Option<OwnedFd>,
}

/// The read-only overlay view of this program when the kernel allows it,
/// else a sealed copy. `empty_dir` is an empty folder, the overlay's second
/// (bottom) layer.
pub fn sealed_image(empty_dir: &Path) -> SysResult<SealedImage> {
    overlay_view(empty_dir).or_else(|_| Ok(SealedImage { exe: sealed_copy()?.into(), mount: None }))
}

/// This program opened through a detached read-only overlay whose layers
/// are its own folder (on top, so nothing below can shadow it) and
/// `empty_dir`: overlayfs needs two lower layers to mount without an upper
/// one. The mount is in no mount table; it lives as long as the image does.
fn overlay_view(empty_dir: &Path) -> SysResult<SealedImage> {
    let exe = std::fs::read_link("/proc/self/exe").map_err(|e| SysError::io("readlink /proc/self/exe", e))?;
    // A replaced binary reads "… (deleted)": only the copy still has the old one.
    let (Some(dir), Some(name)) = (exe.parent(), exe.file_name().and_then(|n| n.to_str())) else {
        return Err(SysError::io(format!("split {}", exe.display()), std::io::Error::from_raw_os_error(libc::EINVAL)));
    };
    match std::fs::create_dir(empty_dir) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            return Err(SysError::io(format!("mkdir {}", empty_dir.display()), e));
        }
        _ => {}
    }
    let mnt = super::mounts::detached_readonly_overlay(&[dir, empty_dir])?;
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let exe = rustix::fs::openat(&mnt, name, flags, Mode::empty())
        .map_err(super::fd::sys_with(|| format!("open {name} in the overlay")))?;
    Ok(SealedImage { exe, mount: Some(mnt) })
}

/// A sealed memfd holding a copy of this program.
pub fn sealed_copy() -> SysResult<std::fs::File> {
    use rustix::fs::{MemfdFlags, SealFlags};
    let fd = rustix::fs::memfd_create("glassbox-init", MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING)
        .map_err(super::fd::sys("memfd_create"))?;
    let mut file = std::fs::File::from(fd);
    // std::io::copy between two files lets the kernel copy (copy_file_range
    // or sendfile), without the binary passing through this process.
    let mut exe = std::fs::File::open("/proc/self/exe").map_err(|e| SysError::io("open /proc/self/exe", e))?;
    std::io::copy(&mut exe, &mut file).map_err(|e| SysError::io("copy glassbox into the memfd", e))?;
    let seals = SealFlags::SEAL | SealFlags::SHRINK | SealFlags::GROW | SealFlags::WRITE;
    rustix::fs::fcntl_add_seals(&file, seals).map_err(super::fd::sys("fcntl(F_ADD_SEALS)"))?;
    Ok(file)
}
