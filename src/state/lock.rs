//! One box, one writer: every command that changes a box holds its lock.
//!
//! flock(2) locks belong to the open file, so a glassbox killed with SIGKILL
//! releases its lock with its last descriptor; no stale lock file can wedge a box.
//!
//! A front door that runs several steps for one request (`glassbox daemon`
//! making a container) holds the box's lock across all of them, so no
//! typed command slips in between; each step it starts inherits that open
//! file (named in `GLASSBOX_HELD_LOCK=BOX:FD`) and takes it as its own lock.

use super::{Root, StateError};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

pub struct BoxLock {
    _file: std::fs::File,
    path: std::path::PathBuf,
}

impl BoxLock {
    /// Waits up to `patience` for the box's lock, then reports it busy.
    pub fn acquire(root: &Root, name: &str, patience: Duration) -> Result<BoxLock, StateError> {
        let path = root.lock_path(name);
        if let Some(file) = inherited(name, &path) {
            return Ok(BoxLock { _file: file, path });
        }
        let dir = path.parent().expect("locks live in a folder");
        let deadline = Instant::now() + patience;
        loop {
            super::private::make_private_dir(dir).map_err(|e| StateError::io(dir, e))?;
            // The descriptor is close-on-exec (std's default), so a process that
            // glassbox starts in the box does not inherit the lock.
            match std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path) {
                // `reset` deletes a lock file while it holds it: whoever
                // opened it before then holds a lock nobody else can see,
                // and tries again on the file the path names now.
                Ok(file) if crate::sys::fd::try_lock_exclusive(file.as_raw_fd()) && still_at(&file, &path) => {
                    return Ok(BoxLock { _file: file, path });
                }
                Ok(_) => {}
                // `reset` removed the (empty) folder between the two calls.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StateError::io(&path, e)),
            }
            if Instant::now() >= deadline {
                return Err(StateError::Busy(name.into()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Deletes the lock file while holding it (see `acquire`): `reset`.
    pub fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The open lock file, for a front door to pass to the steps it runs.
impl AsRawFd for BoxLock {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self._file.as_raw_fd()
    }
}

/// The environment variable naming a lock the parent holds for this process.
pub const HELD_ENV: &str = "GLASSBOX_HELD_LOCK";

/// The box's lock, held by the parent and inherited as an open file: taken
/// once (a second `acquire` in this process opens the file anew, as the
/// inherited descriptor went with the first lock), and only when the
/// descriptor is this box's lock file and holds its lock. It is made
/// close-on-exec again at once, so no process this one starts keeps it.
fn inherited(name: &str, path: &std::path::Path) -> Option<std::fs::File> {
    static TAKEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let text = std::env::var(HELD_ENV).ok()?;
    let (box_name, fd) = text.rsplit_once(':')?;
    let fd: i32 = fd.parse().ok().filter(|fd| *fd > 2)?;
    if box_name != name || !crate::sys::fd::is_same_file(fd, path) {
        return None;
    }
    if TAKEN.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return None;
    }
    let file = std::fs::File::from(crate::sys::fd::adopt(fd));
    let _ = crate::sys::fd::set_cloexec(&file, true);
    // flock on the open file that holds the lock already succeeds at once.
    crate::sys::fd::try_lock_exclusive(file.as_raw_fd()).then_some(file)
}

/// The open file is the one the path names now.
fn still_at(file: &std::fs::File, path: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(named)) => (open.dev(), open.ino()) == (named.dev(), named.ino()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiter_on_a_deleted_lock_file_takes_the_one_the_path_names() {
        let dir = crate::state::paths::unit_test_dir("lock");
        let root = Root::new(Some(&dir));
        let first = BoxLock::acquire(&root, "b", Duration::ZERO).unwrap();
        let waiter = std::thread::spawn({
            let root = root.clone();
            move || BoxLock::acquire(&root, "b", Duration::from_secs(10)).unwrap()
        });
        // Long enough for the waiter to have opened the file it waits on.
        std::thread::sleep(Duration::from_millis(200));
        first.remove();
        let second = waiter.join().unwrap();
        assert!(
            matches!(BoxLock::acquire(&root, "b", Duration::ZERO), Err(StateError::Busy(_))),
            "a third command must see the waiter's lock"
        );
        drop(second);
        assert!(BoxLock::acquire(&root, "b", Duration::ZERO).is_ok());
    }

    #[test]
    fn a_lock_file_replaced_at_its_path_is_told_apart() {
        let dir = crate::state::paths::unit_test_dir("lockfile");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("b.lock");
        let old = std::fs::File::create(&path).unwrap();
        assert!(still_at(&old, &path));
        std::fs::remove_file(&path).unwrap();
        assert!(!still_at(&old, &path), "deleted");
        std::fs::File::create(&path).unwrap();
        assert!(!still_at(&old, &path), "another file at its path");
        let root = Root::new(Some(&dir));
        BoxLock::acquire(&root, "c", Duration::ZERO).unwrap().remove();
        assert!(!root.lock_path("c").exists(), "remove deletes the lock file");
    }
}
