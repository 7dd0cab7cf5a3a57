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

use super::{SysError, SysResult, check, cstring};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;

/// Executes the image (execveat of the descriptor); returns only on failure.
pub fn exec_sealed(fd: i32, argv: &[String]) -> SysError {
    let cargs: Vec<_> = argv.iter().filter_map(|a| cstring(a).ok()).collect();
    let mut ptrs: Vec<*const libc::c_char> = cargs.iter().map(|c| c.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    let env: [*const libc::c_char; 1] = [std::ptr::null()];
    let empty = c"";
    // SAFETY: NULL-terminated argv/envp; execveat only returns on error. An
    // O_PATH descriptor (the overlay's) is executable this way.
    unsafe { libc::syscall(libc::SYS_execveat, fd, empty.as_ptr(), ptrs.as_ptr(), env.as_ptr(), libc::AT_EMPTY_PATH) };
    SysError::last("execveat(sealed glassbox image)")
}

/// A descriptor of this program that nobody can write through: the
/// read-only overlay view when the kernel allows it, else a sealed copy.
/// `empty_dir` is an empty folder, the overlay's second (bottom) layer.
pub fn sealed_image(empty_dir: &Path) -> SysResult<OwnedFd> {
    overlay_view(empty_dir).or_else(|_| sealed_copy().map(OwnedFd::from))
}

// The new mount API's values from <linux/mount.h>, which libc does not carry.
const FSOPEN_CLOEXEC: libc::c_uint = 1;
const FSCONFIG_SET_STRING: libc::c_uint = 1;
const FSCONFIG_CMD_CREATE: libc::c_uint = 6;
const FSMOUNT_CLOEXEC: libc::c_uint = 1;
const MOUNT_ATTR_RDONLY: libc::c_uint = 0x1;
const MOUNT_ATTR_NOSUID: libc::c_uint = 0x2;
const MOUNT_ATTR_NODEV: libc::c_uint = 0x4;

/// This program opened through a detached overlay whose layers are its own
/// folder (on top, so nothing below can shadow it) and `empty_dir`: overlayfs
/// needs two lower layers to mount without an upper one. Detached, the mount
/// is in no mount table; it lives as long as the init's image does.
fn overlay_view(empty_dir: &Path) -> SysResult<OwnedFd> {
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
    let lowerdir = format!("{}:{}", overlay_escape(dir), overlay_escape(empty_dir));
    // SAFETY: fsopen with a NUL-terminated name; returns a new fd.
    let fs = owned(unsafe { libc::syscall(libc::SYS_fsopen, c"overlay".as_ptr(), FSOPEN_CLOEXEC) }, "fsopen(overlay)")?;
    fsconfig(&fs, FSCONFIG_SET_STRING, Some(("lowerdir", &lowerdir)))?;
    // Only to keep "xino" notes out of dmesg; an old kernel may not know it.
    let _ = fsconfig(&fs, FSCONFIG_SET_STRING, Some(("xino", "off")));
    fsconfig(&fs, FSCONFIG_CMD_CREATE, None)?;
    let attrs = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    // SAFETY: fsmount on our configured context; returns a new fd.
    let mnt = owned(unsafe { libc::syscall(libc::SYS_fsmount, fs.as_raw_fd(), FSMOUNT_CLOEXEC, attrs) }, "fsmount")?;
    let c = cstring(name)?;
    let flags = libc::O_PATH | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    // SAFETY: openat relative to the detached mount's root.
    let fd =
        check(unsafe { libc::openat(mnt.as_raw_fd(), c.as_ptr(), flags) }, || format!("open {name} in the overlay"))?;
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn owned(ret: libc::c_long, call: &str) -> SysResult<OwnedFd> {
    let fd = check(ret, || call.to_string())?;
    // SAFETY: the call returned a new descriptor we own.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

fn fsconfig(fs: &OwnedFd, cmd: libc::c_uint, key_value: Option<(&str, &str)>) -> SysResult<()> {
    let (key, value) = match key_value {
        Some((k, v)) => (Some(cstring(k)?), Some(cstring(v)?)),
        None => (None, None),
    };
    let ptr = |c: &Option<std::ffi::CString>| c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: NUL-terminated key and value (or NULL for a command).
    let r = unsafe { libc::syscall(libc::SYS_fsconfig, fs.as_raw_fd(), cmd, ptr(&key), ptr(&value), 0) };
    check(r, || format!("fsconfig({})", key_value.map_or("create".to_string(), |(k, v)| format!("{k}={v}"))))?;
    Ok(())
}

/// Backslash and colon are lowerdir's own syntax (escape, layer separator).
fn overlay_escape(p: &Path) -> String {
    p.display().to_string().replace('\\', "\\\\").replace(':', "\\:")
}

/// A sealed memfd holding a copy of this program.
pub fn sealed_copy() -> SysResult<std::fs::File> {
    let name = cstring("glassbox-init")?;
    // SAFETY: memfd_create returns a new fd we own.
    let fd = check(unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING) }, || {
        "memfd_create".into()
    })?;
    let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
    // std::io::copy between two files lets the kernel copy (copy_file_range
    // or sendfile), without the binary passing through this process.
    let mut exe = std::fs::File::open("/proc/self/exe").map_err(|e| SysError::io("open /proc/self/exe", e))?;
    std::io::copy(&mut exe, &mut file).map_err(|e| SysError::io("copy glassbox into the memfd", e))?;
    let seals = libc::F_SEAL_SEAL | libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE;
    // SAFETY: fcntl on our own fd.
    check(unsafe { libc::fcntl(fd, libc::F_ADD_SEALS, seals) }, || "fcntl(F_ADD_SEALS)".into())?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::overlay_escape;
    use std::path::Path;

    #[test]
    fn lowerdir_syntax_is_escaped() {
        assert_eq!(overlay_escape(Path::new("/a:b\\c")), "/a\\:b\\\\c");
        assert_eq!(overlay_escape(Path::new("/usr/local/bin")), "/usr/local/bin");
    }
}
