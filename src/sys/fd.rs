//! Small descriptor helpers: open, pipes, raw reads and writes.

use super::{SysError, SysResult, check, cpath};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;

pub fn open_read(path: &Path) -> SysResult<OwnedFd> {
    let c = cpath(path)?;
    // SAFETY: a plain open with a NUL-terminated path.
    let fd = check(unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) }, || {
        format!("open {}", path.display())
    })?;
    // SAFETY: fd was just returned by open and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

pub fn open_null() -> SysResult<OwnedFd> {
    let fd = std::fs::OpenOptions::new().read(true).write(true).open("/dev/null");
    fd.map(OwnedFd::from).map_err(|e| SysError::io("open /dev/null", e))
}

/// A close-on-exec pipe: (read end, write end).
pub fn pipe() -> SysResult<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills the two-element array.
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, || "pipe2".into())?;
    // SAFETY: both fds are fresh and owned here.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

pub fn write_all(fd: RawFd, mut buf: &[u8]) -> SysResult<()> {
    while !buf.is_empty() {
        // SAFETY: buf is a valid slice for its length.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(SysError::io("write", e));
        }
        buf = &buf[n as usize..];
    }
    Ok(())
}

/// Newline-terminated messages from a pipe, read a chunk at a time (a byte
/// at a time costs a system call per byte). What follows a line is kept for
/// the next call, so the reader owns its end of the pipe.
#[derive(Debug)]
pub struct LineReader {
    fd: OwnedFd,
    pending: Vec<u8>,
}

impl LineReader {
    pub fn new(fd: OwnedFd) -> LineReader {
        LineReader { fd, pending: Vec::new() }
    }

    /// The next line (without its newline); `None` at EOF.
    pub fn next_line(&mut self) -> SysResult<Option<String>> {
        loop {
            if let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=end).collect();
                return Ok(Some(String::from_utf8_lossy(&line[..end]).into()));
            }
            let mut chunk = [0u8; 4096];
            // SAFETY: reads into a local buffer of the given length.
            let n = unsafe { libc::read(self.fd.as_raw_fd(), chunk.as_mut_ptr().cast(), chunk.len()) };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(SysError::io("read", e));
            }
            if n == 0 {
                let rest = std::mem::take(&mut self.pending);
                return Ok((!rest.is_empty()).then(|| String::from_utf8_lossy(&rest).into()));
            }
            self.pending.extend_from_slice(&chunk[..n as usize]);
        }
    }
}

pub fn dup2(from: RawFd, to: RawFd) -> SysResult<()> {
    // SAFETY: dup2 on descriptors; failure is reported by errno.
    check(unsafe { libc::dup2(from, to) }, || format!("dup2({from}, {to})"))?;
    Ok(())
}

pub fn set_cloexec(fd: &impl AsRawFd, on: bool) -> SysResult<()> {
    let raw = fd.as_raw_fd();
    // SAFETY: fcntl on a descriptor we hold.
    let flags = check(unsafe { libc::fcntl(raw, libc::F_GETFD) }, || "fcntl(F_GETFD)".into())?;
    let flags = if on { flags | libc::FD_CLOEXEC } else { flags & !libc::FD_CLOEXEC };
    check(unsafe { libc::fcntl(raw, libc::F_SETFD, flags) }, || "fcntl(F_SETFD)".into())?;
    Ok(())
}

/// Closes every descriptor above 2 except those listed, so a process in a box
/// holds only what it was given.
pub fn close_others(keep: &[RawFd]) {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    let fds: Vec<RawFd> = dir.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect();
    for fd in fds {
        if fd > 2 && !keep.contains(&fd) {
            // SAFETY: closing a number from our own fd table; a stale entry
            // (the read_dir handle itself) just returns EBADF.
            unsafe { libc::close(fd) };
        }
    }
}

/// flock(LOCK_EX | LOCK_NB): true when this descriptor now holds the lock.
pub fn try_lock_exclusive(fd: RawFd) -> bool {
    // SAFETY: flock on a descriptor the caller owns.
    unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

/// flock(LOCK_EX), waiting; the lock goes with the file's last descriptor.
pub fn lock_exclusive(file: &impl std::os::fd::AsRawFd) -> crate::sys::SysResult<()> {
    // SAFETY: flock on a descriptor the caller holds open.
    let ret = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    crate::sys::check(ret, || "flock".to_string()).map(|_| ())
}

pub fn close_raw(fd: RawFd) {
    // SAFETY: the caller gives up this descriptor number.
    unsafe { libc::close(fd) };
}

/// Whether the descriptor number is open on the file the path names (same
/// device and inode), without taking it.
pub fn is_same_file(fd: RawFd, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(named) = std::fs::metadata(path) else { return false };
    // SAFETY: fstat writes into the zeroed struct we own; a closed number
    // gives EBADF and no ownership of the descriptor is taken.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return false;
    }
    (st.st_dev, st.st_ino) == (named.dev(), named.ino())
}

/// Takes ownership of a descriptor number inherited on purpose (the box
/// init's control socket, named in its argv).
pub fn adopt(fd: RawFd) -> OwnedFd {
    // SAFETY: the caller guarantees the number is an open descriptor nobody else owns.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// A raw descriptor number seen through `AsRawFd`, for helpers that take one.
pub struct BorrowedRaw(pub RawFd);

impl AsRawFd for BorrowedRaw {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_arrive_together_are_read_one_by_one() {
        let (rx, tx) = pipe().unwrap();
        write_all(tx.as_raw_fd(), b"{\"a\":1}\n{\"b\":2}\npartial").unwrap();
        drop(tx);
        let mut lines = LineReader::new(rx);
        assert_eq!(lines.next_line().unwrap().as_deref(), Some("{\"a\":1}"));
        assert_eq!(lines.next_line().unwrap().as_deref(), Some("{\"b\":2}"));
        assert_eq!(lines.next_line().unwrap().as_deref(), Some("partial"), "a last line without newline");
        assert_eq!(lines.next_line().unwrap(), None);
    }
}
