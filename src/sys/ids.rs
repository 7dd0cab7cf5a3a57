//! User and group ID maps, and the per-namespace files that must be written
//! from outside or before any process enters (uid_map, gid_map,
//! timens_offsets).

use super::{SysError, SysResult};

/// Writes `/proc/PID/uid_map` or `gid_map`: `inside outside count`.
/// Written by a process in the parent user namespace (glassbox on the host),
/// which is what lets a privileged writer map a whole range (user_namespaces(7)).
pub fn write_id_map(pid: i32, file: &str, inside: u32, outside: u32, count: u32) -> SysResult<()> {
    let path = format!("/proc/{pid}/{file}");
    std::fs::write(&path, format!("{inside} {outside} {count}\n")).map_err(|e| SysError::io(format!("write {path}"), e))
}

/// Becomes uid 0 / gid 0 of the user namespace just entered. After setns or
/// unshare of a user namespace the process has every capability in it but
/// keeps its old ids, which are unmapped there (shown as 65534).
pub fn become_root() -> SysResult<()> {
    use nix::unistd::{Gid, Uid};
    let fail = |call: &'static str| move |e: nix::Error| SysError::io(call, e.into());
    nix::unistd::setgroups(&[]).map_err(fail("setgroups(0, [])"))?;
    nix::unistd::setresgid(Gid::from_raw(0), Gid::from_raw(0), Gid::from_raw(0)).map_err(fail("setresgid(0, 0, 0)"))?;
    nix::unistd::setresuid(Uid::from_raw(0), Uid::from_raw(0), Uid::from_raw(0)).map_err(fail("setresuid(0, 0, 0)"))?;
    // Changing uid made the process non-dumpable, which hands its
    // /proc/self files to the host's root; take them back so root in
    // the box can write /proc/self/timens_offsets.
    let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::Dumpable);
    Ok(())
}

/// The host's /proc, opened before the helper joins a box's mount namespace.
/// There /proc may belong to the box's PID namespace, in which the helper
/// does not exist: `/proc/self` would not resolve.
static HOST_PROC: std::sync::OnceLock<std::fs::File> = std::sync::OnceLock::new();

pub fn remember_host_proc() {
    if let Ok(f) = std::fs::File::open("/proc") {
        let _ = HOST_PROC.set(f);
    }
}

/// Sets the clock offsets of the time namespace this process just made
/// (its *children* will enter it). Only possible before any process entered.
pub fn write_time_offsets(monotonic: i64, boottime: i64) -> SysResult<()> {
    use std::io::Write;
    let text = format!("monotonic {monotonic} 0\nboottime {boottime} 0\n");
    let err = |e| SysError::io("write /proc/self/timens_offsets", e);
    let mut file = match HOST_PROC.get() {
        Some(dir) => {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::WRONLY | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(dir, "self/timens_offsets", flags, Mode::empty());
            std::fs::File::from(fd.map_err(|e| err(e.into()))?)
        }
        None => std::fs::OpenOptions::new().write(true).open("/proc/self/timens_offsets").map_err(err)?,
    };
    file.write_all(text.as_bytes()).map_err(err)
}
