//! Being told when a folder changes, instead of looking again and again.
//!
//! `glassbox serve` follows the state folder: every step replaces a box's
//! record by renaming a new one over it, `create` makes a folder and `rm`
//! deletes one, and a running box appends to its output log. inotify(7)
//! reports each of these as an event on a watched folder, so the server
//! sleeps until one happens (no timer, no rebuilding of every model a few
//! times a second). A watch is by path at the moment it is added; a folder
//! made later is watched when the event of its making arrives. See
//! inotify(7), inotify_add_watch(2).

use super::fd::{sys, sys_with};
use super::{SysError, SysResult};
use rustix::fs::inotify;
use std::ffi::OsString;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

/// An inotify instance, non-blocking (poll it, or read until it is empty).
pub struct Inotify {
    fd: OwnedFd,
}

/// One event: which watch, what happened, and the name inside the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub watch: i32,
    pub mask: u32,
    pub name: Option<OsString>,
}

/// What a watched folder reports: names made, deleted, renamed in or out,
/// files written and closed, and the folder itself going.
pub const FOLDER_CHANGES: u32 = libc::IN_CREATE
    | libc::IN_DELETE
    | libc::IN_MOVED_TO
    | libc::IN_MOVED_FROM
    | libc::IN_CLOSE_WRITE
    | libc::IN_MODIFY
    | libc::IN_DELETE_SELF
    | libc::IN_ONLYDIR;

impl Inotify {
    pub fn new() -> SysResult<Inotify> {
        let flags = inotify::CreateFlags::NONBLOCK | inotify::CreateFlags::CLOEXEC;
        Ok(Inotify { fd: inotify::init(flags).map_err(sys("inotify_init1"))? })
    }

    /// Watches a folder (again: the same folder keeps its watch number).
    pub fn watch(&self, folder: &Path, mask: u32) -> SysResult<i32> {
        inotify::add_watch(&self.fd, folder, inotify::WatchFlags::from_bits_retain(mask))
            .map_err(sys_with(|| format!("inotify_add_watch {}", folder.display())))
    }

    /// Every event queued now; empty when there is none.
    pub fn read(&self) -> SysResult<Vec<Event>> {
        let mut events = vec![];
        let mut buf = vec![0u8; 16 << 10];
        loop {
            match rustix::io::read(&self.fd, &mut buf) {
                Ok(n) => events.extend(parse(&buf[..n])),
                Err(rustix::io::Errno::AGAIN) => return Ok(events),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(SysError::io("read inotify", e.into())),
            }
        }
    }
}

impl AsFd for Inotify {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Inotify {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd.as_raw_fd()
    }
}

/// The records of one read: a fixed header (wd, mask, cookie, len) and
/// `len` bytes of name, NUL-padded.
fn parse(mut bytes: &[u8]) -> Vec<Event> {
    const HEADER: usize = std::mem::size_of::<libc::inotify_event>();
    let mut out = vec![];
    while bytes.len() >= HEADER {
        let int = |at: usize| i32::from_ne_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let (watch, mask, len) = (int(0), int(4) as u32, int(12) as usize);
        let Some(raw) = bytes.get(HEADER..HEADER + len) else { break };
        let name: Vec<u8> = raw.iter().copied().take_while(|b| *b != 0).collect();
        out.push(Event { watch, mask, name: (!name.is_empty()).then(|| OsString::from_vec(name)) });
        bytes = &bytes[HEADER + len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renamed_record_and_a_new_folder_are_reported_by_name() {
        let dir = std::env::temp_dir().join(format!("glassbox-inotify-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ino = Inotify::new().unwrap();
        ino.watch(&dir, FOLDER_CHANGES).unwrap();
        assert_eq!(ino.read().unwrap(), vec![], "nothing happened yet");
        std::fs::write(dir.join("box.json.1.tmp"), "{}").unwrap();
        std::fs::rename(dir.join("box.json.1.tmp"), dir.join("box.json")).unwrap();
        std::fs::create_dir(dir.join("b1")).unwrap();
        let names: Vec<(u32, String)> = ino
            .read()
            .unwrap()
            .into_iter()
            .filter(|e| e.mask & (libc::IN_MOVED_TO | libc::IN_CREATE) != 0)
            .map(|e| (e.mask & (libc::IN_MOVED_TO | libc::IN_CREATE), e.name.unwrap().into_string().unwrap()))
            .collect();
        assert!(names.contains(&(libc::IN_MOVED_TO, "box.json".into())), "{names:?}");
        assert!(names.iter().any(|(_, n)| n == "b1"), "{names:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
