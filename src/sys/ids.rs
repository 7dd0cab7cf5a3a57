//! User and group ID maps, and the per-namespace files that must be written
//! from outside or before any process enters (uid_map, gid_map,
//! timens_offsets).

use super::{SysError, SysResult, check};

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
    // SAFETY: credential changes of this process only.
    unsafe {
        check(libc::setgroups(0, std::ptr::null()), || "setgroups(0, [])".into())?;
        check(libc::setresgid(0, 0, 0), || "setresgid(0, 0, 0)".into())?;
        check(libc::setresuid(0, 0, 0), || "setresuid(0, 0, 0)".into())?;
        // Changing uid made the process non-dumpable, which hands its
        // /proc/self files to the host's root; take them back so root in
        // the box can write /proc/self/timens_offsets.
        libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0);
    }
    Ok(())
}

/// Sets the clock offsets of the time namespace this process just made
/// (its *children* will enter it). Only possible before any process entered.
pub fn write_time_offsets(monotonic: i64, boottime: i64) -> SysResult<()> {
    let text = format!("monotonic {monotonic} 0\nboottime {boottime} 0\n");
    std::fs::write("/proc/self/timens_offsets", text).map_err(|e| SysError::io("write /proc/self/timens_offsets", e))
}
