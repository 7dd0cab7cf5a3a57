//! The only kernel-facing code in glassbox.
//!
//! Every syscall, every read of `/proc` and every write to a pseudo
//! filesystem goes through this module, so the rest of the program reads as a
//! description of *what* a container is made of, and this module as *how* the
//! kernel is asked for it. `unsafe` lives here and nowhere else.
//!
//! The calls go through maintained crates: rustix for most (its linux_raw
//! backend makes the system call itself, without libc state, which suits the
//! vfork child of `spawn`), nix where rustix has no call (signalfd and signal
//! masks, `kill(-1)`, mount(2) with its flags, unshare and setns, openpty,
//! setresuid for the whole process). Raw `libc` stays only where neither
//! crate has the call (mount_setattr, seccomp, bpf, close_range, execveat,
//! NS_GET_MNTNS_ID, the interface-flag ioctls, the rtnetlink socket until it
//! moves to a netlink crate) or where glassbox does something no safe API can
//! (fork, the vfork spawn); each `unsafe` block says which in its SAFETY line.

pub mod beneath;
pub mod child;
pub mod confine;
pub mod detached;
pub mod devcg;
pub mod ending;
pub mod fd;
pub mod identity;
pub mod ids;
pub mod inotify;
pub mod memexec;
pub mod memory;
pub mod mount_tree;
pub mod mounts;
pub mod net;
pub mod netlink;
pub mod ns;
pub mod pause;
pub mod private_dir;
pub mod proc;
pub mod process;
pub mod pty;
pub mod socket;
pub mod spawn;
pub mod tree;

use std::io;

/// A failed system call: which call, with which arguments, and the errno.
#[derive(Debug, thiserror::Error)]
#[error("{call}: {source}")]
pub struct SysError {
    pub call: String,
    #[source]
    pub source: io::Error,
}

impl SysError {
    pub fn last(call: impl Into<String>) -> Self {
        SysError { call: call.into(), source: io::Error::last_os_error() }
    }
    pub fn io(call: impl Into<String>, source: io::Error) -> Self {
        SysError { call: call.into(), source }
    }
    pub fn errno(&self) -> Option<i32> {
        self.source.raw_os_error()
    }
}

pub type SysResult<T> = Result<T, SysError>;

/// Turns the C convention (-1 and errno) into a `SysResult`, naming the call
/// lazily so the happy path formats nothing.
pub(crate) fn check<T: Copy + PartialEq + From<i8>>(ret: T, call: impl FnOnce() -> String) -> SysResult<T> {
    if ret == T::from(-1) { Err(SysError::last(call())) } else { Ok(ret) }
}

pub(crate) fn cstring(s: &str) -> SysResult<std::ffi::CString> {
    std::ffi::CString::new(s)
        .map_err(|_| SysError::io(format!("string {s:?}"), io::Error::from_raw_os_error(libc::EINVAL)))
}
