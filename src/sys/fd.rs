//! Small descriptor helpers: open, pipes, raw reads and writes.

use super::{SysError, SysResult};
use rustix::fs::{FlockOperation, OFlags};
use rustix::io::{Errno, FdFlags};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;

/// A rustix error as a `SysError` naming the call.
pub(crate) fn sys(call: &'static str) -> impl FnOnce(Errno) -> SysError {
    move |e| SysError::io(call, e.into())
}

/// The same, with the call's text made only when the call failed.
pub(crate) fn sys_with(call: impl FnOnce() -> String) -> impl FnOnce(Errno) -> SysError {
    move |e| SysError::io(call(), e.into())
}

/// A descriptor number the caller holds open, as the borrowed descriptor
/// rustix and nix take. The helpers here keep their raw-number signatures
/// (the init and the helpers pass numbers across fork and exec), so this is
/// the one place a number becomes a borrow.
pub(crate) fn borrow_raw<'a>(fd: RawFd) -> BorrowedFd<'a> {
    // SAFETY: every caller passes a descriptor it keeps open for the whole
    // call the borrow is made for; the borrow is never stored.
    unsafe { BorrowedFd::borrow_raw(fd) }
}

pub fn open_read(path: &Path) -> SysResult<OwnedFd> {
    rustix::fs::open(path, OFlags::RDONLY | OFlags::CLOEXEC, rustix::fs::Mode::empty())
        .map_err(sys_with(|| format!("open {}", path.display())))
}

pub fn open_null() -> SysResult<OwnedFd> {
    let fd = std::fs::OpenOptions::new().read(true).write(true).open("/dev/null");
    fd.map(OwnedFd::from).map_err(|e| SysError::io("open /dev/null", e))
}

/// A close-on-exec pipe: (read end, write end).
pub fn pipe() -> SysResult<(OwnedFd, OwnedFd)> {
    rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).map_err(sys("pipe2"))
}

pub fn write_all(fd: RawFd, mut buf: &[u8]) -> SysResult<()> {
    while !buf.is_empty() {
        match rustix::io::write(borrow_raw(fd), buf) {
            Ok(n) => buf = &buf[n..],
            Err(Errno::INTR) => continue,
            Err(e) => return Err(SysError::io("write", e.into())),
        }
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
            let n = match rustix::io::read(&self.fd, &mut chunk) {
                Ok(n) => n,
                Err(Errno::INTR) => continue,
                Err(e) => return Err(SysError::io("read", e.into())),
            };
            if n == 0 {
                let rest = std::mem::take(&mut self.pending);
                return Ok((!rest.is_empty()).then(|| String::from_utf8_lossy(&rest).into()));
            }
            self.pending.extend_from_slice(&chunk[..n]);
        }
    }
}

pub fn dup2(from: RawFd, to: RawFd) -> SysResult<()> {
    if from == to {
        // dup2 of a descriptor onto itself only checks that it is open.
        return rustix::io::fcntl_getfd(borrow_raw(from)).map(drop).map_err(sys_with(|| format!("dup2({from}, {to})")));
    }
    // dup2 closes whatever `to` was and makes it a copy of `from`: the new
    // descriptor is meant to outlive this call, so it is not dropped.
    let mut target = std::mem::ManuallyDrop::new(adopt(to));
    rustix::io::dup2(borrow_raw(from), &mut target).map_err(sys_with(|| format!("dup2({from}, {to})")))
}

pub fn set_cloexec(fd: &impl AsRawFd, on: bool) -> SysResult<()> {
    let fd = borrow_raw(fd.as_raw_fd());
    let flags = rustix::io::fcntl_getfd(fd).map_err(sys("fcntl(F_GETFD)"))?;
    let flags = if on { flags | FdFlags::CLOEXEC } else { flags - FdFlags::CLOEXEC };
    rustix::io::fcntl_setfd(fd, flags).map_err(sys("fcntl(F_SETFD)"))
}

/// Closes every descriptor above 2 except those listed, so a process in a box
/// holds only what it was given.
pub fn close_others(keep: &[RawFd]) {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    let fds: Vec<RawFd> = dir.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect();
    // The listing's own descriptor is closed with the iterator above, so
    // every number left is one this process still holds.
    for fd in fds {
        if fd > 2 && !keep.contains(&fd) {
            close_raw(fd);
        }
    }
}

/// flock(LOCK_EX | LOCK_NB): true when this descriptor now holds the lock.
pub fn try_lock_exclusive(fd: RawFd) -> bool {
    rustix::fs::flock(borrow_raw(fd), FlockOperation::NonBlockingLockExclusive).is_ok()
}

/// flock(LOCK_EX), waiting; the lock goes with the file's last descriptor.
pub fn lock_exclusive(file: &impl AsRawFd) -> SysResult<()> {
    rustix::fs::flock(borrow_raw(file.as_raw_fd()), FlockOperation::LockExclusive).map_err(sys("flock"))
}

/// Closes a descriptor number the caller gives up; one already closed
/// (an inherited number that was never open) is left alone.
pub fn close_raw(fd: RawFd) {
    if rustix::io::fcntl_getfd(borrow_raw(fd)).is_ok() {
        drop(adopt(fd));
    }
}

/// Whether the descriptor number is open on the file the path names (same
/// device and inode), without taking it.
pub fn is_same_file(fd: RawFd, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(named) = std::fs::metadata(path) else { return false };
    let Ok(st) = rustix::fs::fstat(borrow_raw(fd)) else { return false };
    (st.st_dev, st.st_ino) == (named.dev(), named.ino())
}

/// Takes ownership of a descriptor number inherited on purpose (the box
/// init's control socket, named in its argv) or given up by its caller.
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
