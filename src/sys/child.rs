//! How the daemon starts glassbox for a step: what the child keeps.
//!
//! A step the daemon runs is the glassbox binary itself, started as a
//! learner would type it. Two things differ from a plain spawn, and both
//! happen in the child between fork and exec, where only async-signal-safe
//! calls belong (fcntl and setsid are): it keeps one descriptor open (the
//! box's lock, which the daemon holds across a request's steps), and a
//! container's `run` gets a session of its own, so neither a Ctrl-C at the
//! daemon's terminal nor the daemon's end reaches the container.

use std::os::fd::RawFd;
use std::os::unix::process::CommandExt;
use std::process::Command;

/// The child inherits `fd` (std opens everything close-on-exec).
pub fn keep_open(cmd: &mut Command, fd: RawFd) {
    // SAFETY: the closure runs in the forked child before exec and calls
    // fcntl alone, which is async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags < 0 || libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// The child leads a new session: no controlling terminal, its own process group.
pub fn new_session(cmd: &mut Command) {
    // SAFETY: setsid is async-signal-safe; the closure allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// The child is killed (SIGKILL) when the thread that started it ends: a
/// compose supervisor's checks and runs never outlive it.
pub fn die_with_parent(cmd: &mut Command) {
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: prctl and getppid are async-signal-safe; the closure
    // allocates nothing. A parent gone before the prctl is seen by getppid.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() != parent {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}
