//! unshare(2), setns(2) and the nsfs files under /proc/PID/ns.
//!
//! A namespace is a kernel object; the files under `/proc/PID/ns/` are
//! handles to it, and their inode number is its identity (`lsns` prints
//! the same number). Opening one gives a descriptor that setns(2) accepts, and
//! bind-mounting one keeps the namespace alive with no process in it.

use super::{SysResult, check};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub fn unshare(flags: libc::c_int, name: &str) -> SysResult<()> {
    // SAFETY: unshare only changes this process's namespace membership.
    check(unsafe { libc::unshare(flags) }, || format!("unshare({name})"))?;
    Ok(())
}

pub fn setns(fd: &OwnedFd, flags: libc::c_int, name: &str) -> SysResult<()> {
    // SAFETY: fd is a valid open descriptor for the lifetime of the call.
    check(unsafe { libc::setns(fd.as_raw_fd(), flags) }, || format!("setns({name})"))?;
    Ok(())
}

/// The namespace's identity: the inode number of an nsfs file.
pub fn inode(path: &Path) -> SysResult<u64> {
    std::fs::metadata(path).map(|m| m.ino()).map_err(|e| super::SysError::io(format!("stat {}", path.display()), e))
}

/// Opens a namespace handle (a hold file or /proc/PID/ns/KIND) for setns.
pub fn open(path: &Path) -> SysResult<OwnedFd> {
    super::fd::open_read(path)
}
