//! One box, one writer: every command that changes a box holds its lock.
//!
//! flock(2) locks belong to the open file, so a glassbox killed with SIGKILL
//! releases its lock with its last descriptor; no stale lock file can wedge a box.

use super::{Root, StateError};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

pub struct BoxLock {
    _file: std::fs::File,
}

impl BoxLock {
    /// Waits up to `patience` for the box's lock, then reports it busy.
    pub fn acquire(root: &Root, name: &str, patience: Duration) -> Result<BoxLock, StateError> {
        let path = root.lock_path(name);
        let dir = path.parent().expect("locks live in a folder");
        std::fs::create_dir_all(dir).map_err(|e| StateError::io(dir, e))?;
        // The descriptor is close-on-exec (std's default), so a process that
        // glassbox starts in the box does not inherit the lock.
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StateError::io(&path, e))?;
        let deadline = Instant::now() + patience;
        loop {
            if crate::sys::fd::try_lock_exclusive(file.as_raw_fd()) {
                return Ok(BoxLock { _file: file });
            }
            if Instant::now() >= deadline {
                return Err(StateError::Busy(name.into()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
