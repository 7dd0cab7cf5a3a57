//! Re-executing glassbox from a sealed in-memory copy.
//!
//! The box init lives inside the box for as long as the box runs. Had it been
//! exec'd from the glassbox file on disk, root inside the box could open
//! `/proc/1/exe` for writing and replace the host's glassbox binary (the runc
//! CVE-2019-5736 attack). Executing a sealed memfd copy makes `/proc/1/exe`
//! point at memory that nobody can write.

use super::{SysError, SysResult, check, cstring};
use std::os::fd::FromRawFd;

/// fexecve of the sealed copy; returns only on failure.
pub fn exec_sealed(fd: i32, argv: &[String]) -> SysError {
    let cargs: Vec<_> = argv.iter().filter_map(|a| cstring(a).ok()).collect();
    let mut ptrs: Vec<*const libc::c_char> = cargs.iter().map(|c| c.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    let env: [*const libc::c_char; 1] = [std::ptr::null()];
    // SAFETY: NULL-terminated argv/envp; fexecve only returns on error.
    unsafe { libc::fexecve(fd, ptrs.as_ptr(), env.as_ptr()) };
    SysError::last("fexecve(sealed glassbox copy)")
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
