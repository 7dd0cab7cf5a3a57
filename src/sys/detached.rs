//! Starting glassbox again as a detached, long-lived role (the box init, a
//! port proxy), so that no moment exists when a killed starter leaves one
//! that teardown cannot find.

use super::process::{Forked, die_with_parent, exit_now, fork, reset_signals, setsid, wait};
use super::{SysError, SysResult};

/// How a detached copy of glassbox is executed.
#[derive(Clone, Copy, PartialEq)]
pub enum SelfImage {
    /// /proc/self/exe, for processes that stay on the host (the proxy).
    OnDisk,
    /// A sealed image (this descriptor, from `memexec::sealed_image`), for
    /// processes inside a box (the init), so `/proc/PID/exe` cannot write
    /// the host's binary (see `memexec`).
    Sealed(i32),
}

/// How a detached copy of glassbox is started.
pub struct Detached<'a> {
    pub image: SelfImage,
    /// PID 1 of a new PID namespace first mounts that namespace's proc here
    /// (unmounted again if the exec fails).
    pub mount_proc: Option<&'a std::path::Path>,
    /// The glassbox command whose step starts it: this process, or the
    /// helper's parent. Should it be gone by the time the new image runs,
    /// the step was killed and no record will name this process, which
    /// then ends itself (see `on_its_own`).
    pub starter: i32,
}

impl Detached<'static> {
    /// A host process (the port proxy) that this glassbox command starts.
    pub fn on_disk() -> Self {
        Detached { image: SelfImage::OnDisk, mount_proc: None, starter: super::proc::self_pid() }
    }
}

/// The environment variables naming, in a detached child's new image, the
/// ready pipe's descriptor and the starter's pidfd.
const READY_FD: &str = "GLASSBOX_READY_FD";
const STARTER_FD: &str = "GLASSBOX_STARTER_FD";

/// A detached child on its way to its exec: the caller may do other work
/// while the kernel loads it, then learn with `started` whether it did. It
/// dies with its parent until it runs as its role (`on_its_own`), after its
/// exec, so a parent killed before `started` leaves no child that is not yet
/// findable by its argv: one that was still a copy of its parent, or in the
/// middle of its exec, dies with it, or, should its parent outlive the
/// step's command by a moment, ends itself once it runs (`on_its_own`).
pub struct Starting {
    pub pid: i32,
    ready: std::os::fd::OwnedFd,
}

impl Starting {
    /// Waits for the exec: the pid, or why the child could not get there.
    pub fn started(self) -> SysResult<i32> {
        // EOF: the new image runs on its own (it closed the pipe).
        match super::fd::LineReader::new(self.ready).next_line()? {
            None => Ok(self.pid),
            Some(report) => {
                let _ = wait(self.pid);
                Err(failure_of(&report))
            }
        }
    }
}

/// Starts this program again as a detached daemon (`argv[0]` picks its
/// role): its own session, `/` as its folder, stdio on /dev/null, only
/// `keep` open, whose number is written into `argv[fd_arg]`. `started` says
/// once it has exec'd and runs on its own (the pipe reports EOF; bytes are
/// the failure, with its errno), so it is findable by its argv from then on.
/// Not waited for.
pub fn start_self_detached(argv: &[String], keep: i32, fd_arg: usize, how: Detached) -> SysResult<Starting> {
    let Detached { image, mount_proc, starter } = how;
    let starter = starter_pidfd(starter)?;
    let (ready_rx, ready_tx) = super::fd::pipe()?;
    match fork()? {
        Forked::Parent(pid) => {
            drop(ready_tx);
            Ok(Starting { pid, ready: ready_rx })
        }
        Forked::Child => {
            drop(ready_rx);
            // (Not checked against getppid as the helper checks itself: PID 1
            // of a new namespace sees its parent as 0. A parent gone in the
            // instant before this leaves a child that execs, and is found by
            // its argv.)
            die_with_parent(libc::SIGKILL);
            let tx = std::os::fd::AsRawFd::as_raw_fd(&ready_tx);
            let fail = |e: SysError| -> ! {
                let report = match e.errno() {
                    Some(n) => format!("{n} {}\n", e.call),
                    None => format!("0 {e}\n"),
                };
                let _ = super::fd::write_all(tx, report.as_bytes());
                exit_now(127)
            };
            if let Some(target) = mount_proc {
                super::mounts::mount_proc(target).unwrap_or_else(|e| fail(e));
            }
            let _ = setsid();
            let _ = std::env::set_current_dir("/");
            // Fault injection for the crash tests (see `pause`):
            // said while stderr is still the parent's, done right before the exec.
            let pause = super::pause::pause_announced("detached_exec");
            if let Ok(null) = super::fd::open_null() {
                for n in 0..3 {
                    let _ = super::fd::dup2(std::os::fd::AsRawFd::as_raw_fd(&null), n);
                }
            }
            let sealed = if let SelfImage::Sealed(fd) = image { fd } else { -1 };
            let lifeline = starter.as_ref().map_or(-1, std::os::fd::AsRawFd::as_raw_fd);
            super::fd::close_others(&[keep, tx, sealed, lifeline]);
            let _ = super::fd::set_cloexec(&super::fd::BorrowedRaw(keep), false);
            // Across the exec, and the parent-death signal with it (kept by
            // an exec that changes no credentials): see `on_its_own`.
            let _ = super::fd::set_cloexec(&super::fd::BorrowedRaw(tx), false);
            let mut env = vec![(READY_FD.to_string(), tx.to_string())];
            if lifeline >= 0 && super::fd::set_cloexec(&super::fd::BorrowedRaw(lifeline), false).is_ok() {
                env.push((STARTER_FD.to_string(), lifeline.to_string()));
            }
            reset_signals();
            let mut argv = argv.to_vec();
            argv[fd_arg] = keep.to_string();
            if pause {
                super::pause::pause();
            }
            let err = match image {
                SelfImage::OnDisk => exec_path("/proc/self/exe", &argv, &env),
                SelfImage::Sealed(fd) => super::memexec::exec_sealed(fd, &argv, &env),
            };
            // The box's mount namespace may be held: a proc of a PID
            // namespace that never got its init must not stay in it.
            if let Some(target) = mount_proc {
                let _ = super::mounts::umount_detach(target);
            }
            fail(err)
        }
    }
}

/// The first thing a detached role (the box init, a port proxy) does: it no
/// longer dies with the process that started it, and says so by closing the
/// ready pipe, which is what that process's `started` waits for. From here on
/// its argv names it, so teardown finds it even if its starter was killed.
///
/// Unless the step's glassbox command is already gone. The parent-death
/// signal is the parent's, and a box init's parent is the helper, which
/// dies only once the kernel gets to the helper's own parent-death signal:
/// under load, `rm --force` can look through /proc while this process is
/// still in its exec (its argv not yet its own), and the helper can still be
/// alive when this image clears the signal. The command's end, seen here
/// after the signal is cleared, means no record will ever name this process.
pub fn on_its_own() {
    let Some(fd) = env_fd(READY_FD) else { return };
    die_with_parent(0);
    if let Some(starter) = env_fd(STARTER_FD) {
        let gone = starter_gone(starter);
        // The inherited pidfd named for this; nothing else owns it.
        super::fd::close_raw(starter);
        if gone {
            exit_now(0);
        }
    }
    // The inherited pipe end named for this; nothing else owns it.
    super::fd::close_raw(fd);
}

fn env_fd(name: &str) -> Option<i32> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// A pidfd is readable once its process has exited.
fn starter_gone(pidfd: i32) -> bool {
    !super::process::poll_readable(&[pidfd], 0).is_empty()
}

/// A pidfd of the step's glassbox command, opened while it is known to be
/// that process: this one, or the parent that is still this one's parent
/// (its pid cannot have been reused while it is). None where the kernel
/// gives no pidfds: the parent-death signal alone then.
fn starter_pidfd(pid: i32) -> SysResult<Option<std::os::fd::OwnedFd>> {
    let fd = match super::ending::pidfd_open(pid) {
        Ok(fd) => fd,
        Err(e) if e.errno() == Some(libc::ESRCH) => return Err(starter_lost()),
        Err(_) => return Ok(None),
    };
    let parent = rustix::process::getppid().map_or(0, |p| p.as_raw_nonzero().get());
    if pid != super::proc::self_pid() && parent != pid {
        return Err(starter_lost());
    }
    Ok(Some(fd))
}

fn starter_lost() -> SysError {
    SysError::io("find the glassbox command of this step", std::io::Error::from_raw_os_error(libc::ESRCH))
}

/// The error a detached child reported before it could exec: "ERRNO CALL",
/// ERRNO 0 where the failure had none. The caller names the role.
fn failure_of(report: &str) -> SysError {
    let (errno, call) = report.split_once(' ').unwrap_or(("0", report));
    let source = match errno.parse() {
        Ok(n) if n > 0 => std::io::Error::from_raw_os_error(n),
        _ => std::io::Error::other("failed"),
    };
    SysError::io(call, source)
}

/// execv of a given path (no PATH search) with argv[0] free to choose.
fn exec_path(path: &str, argv: &[String], env: &[(String, String)]) -> SysError {
    match super::spawn::ExecImage::of_file(path, argv, env) {
        Ok(image) => image.exec_here(),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsRawFd;

    #[test]
    fn a_starter_is_gone_once_it_has_exited_and_only_then() {
        let mut child = std::process::Command::new("sleep").arg("60").spawn().unwrap();
        let pidfd = super::super::ending::pidfd_open(child.id() as i32).unwrap();
        assert!(!super::starter_gone(pidfd.as_raw_fd()), "a running starter");
        child.kill().unwrap();
        // Not reaped yet, as a killed glassbox command is until its parent waits.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !super::starter_gone(pidfd.as_raw_fd()) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(super::starter_gone(pidfd.as_raw_fd()), "an exited starter");
        child.wait().unwrap();
    }

    #[test]
    fn the_starter_is_this_process_or_its_parent() {
        assert!(super::starter_pidfd(super::super::proc::self_pid()).unwrap().is_some());
        // A live process that is neither: its pid could name anyone later.
        let mut stranger = std::process::Command::new("sleep").arg("60").spawn().unwrap();
        assert!(super::starter_pidfd(stranger.id() as i32).is_err());
        stranger.kill().unwrap();
        stranger.wait().unwrap();
    }

    #[test]
    fn a_child_failure_keeps_its_errno() {
        let e = super::failure_of("1 mount -t proc proc /proc");
        assert_eq!((e.call.as_str(), e.errno()), ("mount -t proc proc /proc", Some(libc::EPERM)));
        let e = super::failure_of("0 argv: a NUL byte");
        assert_eq!((e.call.as_str(), e.errno()), ("argv: a NUL byte", None));
    }
}
