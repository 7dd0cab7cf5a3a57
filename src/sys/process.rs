//! fork, exec, wait and signals.
//!
//! glassbox forks instead of spawning threads: the kernel refuses to move a
//! multithreaded process into a new user or mount namespace (unshare(2),
//! EINVAL), so every process that changes namespaces is a single-threaded
//! fork of this one.

use super::{SysError, SysResult, check, cstring};

pub enum Forked {
    Child,
    Parent(i32),
}

pub fn fork() -> SysResult<Forked> {
    // SAFETY: glassbox is single-threaded wherever it forks (see module docs),
    // so the child may run arbitrary Rust code.
    let pid = check(unsafe { libc::fork() }, || "fork()".into())?;
    Ok(if pid == 0 { Forked::Child } else { Forked::Parent(pid) })
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl Exit {
    /// The shell convention: the exit code, or 128 + signal number.
    pub fn shell_code(self) -> i32 {
        match self {
            Exit::Code(c) => c,
            Exit::Signal(s) => 128 + s,
        }
    }
    fn from_status(status: libc::c_int) -> Exit {
        if libc::WIFSIGNALED(status) {
            Exit::Signal(libc::WTERMSIG(status))
        } else {
            Exit::Code(libc::WEXITSTATUS(status))
        }
    }
}

pub fn wait(pid: i32) -> SysResult<Exit> {
    let mut status = 0;
    loop {
        // SAFETY: waitpid writes the status into a local.
        let ret = unsafe { libc::waitpid(pid, &mut status, 0) };
        if ret == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        }
        check(ret, || format!("waitpid({pid})"))?;
        return Ok(Exit::from_status(status));
    }
}

/// Reaps any one exited child without blocking: `Some((pid, exit))` or `None`.
pub fn reap_any() -> Option<(i32, Exit)> {
    let mut status = 0;
    // SAFETY: as in wait.
    let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
    (pid > 0).then(|| (pid, Exit::from_status(status)))
}

pub fn kill(pid: i32, sig: i32) -> SysResult<()> {
    // SAFETY: kill only sends a signal.
    check(unsafe { libc::kill(pid, sig) }, || format!("kill({pid}, {sig})"))?;
    Ok(())
}

/// Leaves the process immediately, without running Rust destructors or
/// atexit handlers that belong to the parent's copy of memory.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit never returns and touches no shared state.
    unsafe { libc::_exit(code) }
}

pub fn setsid() -> SysResult<()> {
    // SAFETY: no arguments.
    check(unsafe { libc::setsid() }, || "setsid()".into())?;
    Ok(())
}

/// Names the process for `ps -o comm` (15 bytes at most).
pub fn set_name(name: &str) {
    let c = cstring(&name.chars().take(15).collect::<String>()).unwrap_or_default();
    // SAFETY: PR_SET_NAME reads a NUL-terminated string.
    unsafe { libc::prctl(libc::PR_SET_NAME, c.as_ptr(), 0, 0, 0) };
}

/// Asks the kernel to send `sig` to this process when its parent exits, so a
/// helper cannot outlive a killed glassbox.
pub fn die_with_parent(sig: i32) {
    // SAFETY: plain prctl.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, sig as libc::c_ulong, 0, 0, 0) };
}

pub fn sethostname(name: &str) -> SysResult<()> {
    // SAFETY: the buffer is valid for its length.
    check(unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) }, || format!("sethostname({name:?})"))?;
    Ok(())
}

/// execvp with the PATH of the *given* environment (see `ExecImage`):
/// replaces this process; returns only on failure.
pub fn execvp(argv: &[String], env: &[(String, String)]) -> SysError {
    match super::spawn::ExecImage::new(argv, env) {
        Ok(image) => image.exec_here(),
        Err(e) => e,
    }
}

/// Blocks the given signals for this thread and returns a signalfd reading them.
pub fn signalfd(signals: &[i32]) -> SysResult<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    // SAFETY: sigset manipulation on a local; signalfd returns a new fd.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in signals {
            libc::sigaddset(&mut set, *s);
        }
        libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        let fd = check(libc::signalfd(-1, &set, libc::SFD_CLOEXEC), || "signalfd".into())?;
        Ok(std::os::fd::OwnedFd::from_raw_fd(fd))
    }
}

/// Reads one signal number from a signalfd.
pub fn read_signal(fd: &std::os::fd::OwnedFd) -> Option<i32> {
    use std::os::fd::AsRawFd;
    // SAFETY: reads exactly one siginfo struct.
    let mut info: libc::signalfd_siginfo = unsafe { std::mem::zeroed() };
    let n = unsafe {
        libc::read(
            fd.as_raw_fd(),
            (&mut info as *mut libc::signalfd_siginfo).cast(),
            size_of::<libc::signalfd_siginfo>(),
        )
    };
    (n == size_of::<libc::signalfd_siginfo>() as isize).then_some(info.ssi_signo as i32)
}

extern "C" fn ignore_signal(_: libc::c_int) {}

/// Installs a no-op handler. PID 1 of a PID namespace drops every signal whose
/// handler is SIG_DFL (pid_namespaces(7)), even a blocked one read through a
/// signalfd, so the init must have *some* handler for the signals it forwards.
pub fn install_noop_handler(sig: i32) {
    // SAFETY: installs a handler that does nothing.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = ignore_signal as *const () as usize;
        libc::sigaction(sig, &sa, std::ptr::null_mut());
    }
}

/// A command that only shows something, whose reader went away (`glassbox
/// ls --json | head`), should end quietly as cat and ls do, not panic in
/// println!: Rust starts with SIGPIPE ignored, so put the default back. Only
/// for such commands: a step must finish even when its output cannot be
/// written, and its helpers talk over pipes.
pub fn default_sigpipe() {
    // SAFETY: changes one signal disposition of this process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Restores default dispositions and an empty signal mask, as a freshly
/// exec'd program expects.
pub fn reset_signals() {
    // SAFETY: sigprocmask/signal on this process only.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
        for s in super::spawn::RESET_SIGNALS {
            libc::signal(s, libc::SIG_DFL);
        }
    }
}

/// Waits until one of the descriptors is readable (or hung up); returns the
/// indexes that are. `timeout_ms` < 0 waits forever.
pub fn poll_readable(fds: &[i32], timeout_ms: i32) -> Vec<usize> {
    let mut pfds: Vec<libc::pollfd> =
        fds.iter().map(|&fd| libc::pollfd { fd, events: libc::POLLIN, revents: 0 }).collect();
    // SAFETY: the array is valid for its length.
    let n = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, timeout_ms) };
    if n <= 0 {
        return vec![];
    }
    pfds.iter().enumerate().filter(|(_, p)| p.revents != 0).map(|(i, _)| i).collect()
}

pub fn euid() -> u32 {
    // SAFETY: no arguments, cannot fail.
    unsafe { libc::geteuid() }
}

/// Waits for a child while forwarding the signals read from `sigs` to it.
pub fn wait_forwarding(pid: i32, sigs: &std::os::fd::OwnedFd) -> SysResult<Exit> {
    use std::os::fd::AsRawFd;
    let pidfd = super::ending::pidfd_open(pid)?;
    loop {
        let ready = poll_readable(&[pidfd.as_raw_fd(), sigs.as_raw_fd()], -1);
        if ready.contains(&1) {
            if let Some(sig) = read_signal(sigs) {
                let _ = kill(pid, sig);
            }
        }
        if ready.contains(&0) {
            return wait(pid);
        }
    }
}

/// True while this process has a child (running or not yet reaped).
pub fn has_children() -> bool {
    // SAFETY: waitid with WNOWAIT only peeks.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::waitid(libc::P_ALL, 0, &mut info, libc::WEXITED | libc::WNOHANG | libc::WNOWAIT) };
    r == 0
}

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

/// The environment variable naming the ready pipe's descriptor in a
/// detached child's new image.
const READY_FD: &str = "GLASSBOX_READY_FD";

/// A detached child on its way to its exec: the caller may do other work
/// while the kernel loads it, then learn with `started` whether it did. It
/// dies with its parent until it runs as its role (`on_its_own`), after its
/// exec, so a parent killed before `started` leaves no child that is not yet
/// findable by its argv: one that was still a copy of its parent, or in the
/// middle of its exec, dies with it.
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
/// `keep` open, whose number is written into `argv[fd_arg]`. A child that is
/// PID 1 of a new PID namespace can first mount that namespace's proc at
/// `mount_proc` (unmounted again if the exec fails). `started` says once it
/// has exec'd and runs on its own (the pipe reports EOF; bytes are the
/// failure, with its errno), so it is findable by its argv from then on.
/// Not waited for.
pub fn start_self_detached(
    argv: &[String],
    keep: i32,
    fd_arg: usize,
    image: SelfImage,
    mount_proc: Option<&std::path::Path>,
) -> SysResult<Starting> {
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
            // Fault injection for the crash tests (see executor::pause_point):
            // said while stderr is still the parent's, done right before the exec.
            let pause = std::env::var("GLASSBOX_PAUSE_BEFORE").is_ok_and(|w| w == "detached_exec");
            if pause {
                let _ = super::fd::write_all(2, b"glassbox: pausing before detached_exec (GLASSBOX_PAUSE_BEFORE)\n");
            }
            if let Ok(null) = super::fd::open_null() {
                for n in 0..3 {
                    let _ = super::fd::dup2(std::os::fd::AsRawFd::as_raw_fd(&null), n);
                }
            }
            let sealed = if let SelfImage::Sealed(fd) = image { fd } else { -1 };
            super::fd::close_others(&[keep, tx, sealed]);
            let _ = super::fd::set_cloexec(&super::fd::BorrowedRaw(keep), false);
            // Across the exec, and the parent-death signal with it (kept by
            // an exec that changes no credentials): see `on_its_own`.
            let _ = super::fd::set_cloexec(&super::fd::BorrowedRaw(tx), false);
            reset_signals();
            let mut argv = argv.to_vec();
            argv[fd_arg] = keep.to_string();
            let env = [(READY_FD.to_string(), tx.to_string())];
            if pause {
                std::thread::sleep(std::time::Duration::from_secs(60));
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
pub fn on_its_own() {
    let Some(fd) = std::env::var(READY_FD).ok().and_then(|v| v.parse::<i32>().ok()) else { return };
    die_with_parent(0);
    // SAFETY: closes the inherited pipe end named for this; nothing else owns it.
    unsafe { libc::close(fd) };
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

/// The environment a command in a box starts with: a standard PATH and
/// HOME (the host's are meaningless inside), and TERM when given.
pub fn box_env(term: Option<String>) -> Vec<(String, String)> {
    let mut env = vec![
        ("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()),
        ("HOME".to_string(), "/root".to_string()),
    ];
    env.extend(term.map(|t| ("TERM".to_string(), t)));
    env
}

/// The last steps of starting a command in a box, shared by the helper
/// (`run` without a PID namespace) and the box init: keep only stdio and
/// `keep` open, default signals, and — when a pid or time namespace was
/// entered, which applies to children only — one more fork, the parent
/// waiting and passing the exit code on. Returns only if exec failed.
pub fn exec_in_box(argv: &[String], env: &[(String, String)], keep: i32, children_differ: bool) -> SysError {
    super::fd::close_others(&[keep]);
    reset_signals();
    if children_differ {
        match fork() {
            Ok(Forked::Parent(pid)) => {
                // Our copy of `keep` must close, so its reader sees EOF once
                // the child has exec'd.
                super::fd::close_raw(keep);
                exit_now(wait(pid).map(|e| e.shell_code()).unwrap_or(1));
            }
            Ok(Forked::Child) => {}
            Err(e) => return e,
        }
    }
    execvp(argv, env)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_child_failure_keeps_its_errno() {
        let e = super::failure_of("1 mount -t proc proc /proc");
        assert_eq!((e.call.as_str(), e.errno()), ("mount -t proc proc /proc", Some(libc::EPERM)));
        let e = super::failure_of("0 argv: a NUL byte");
        assert_eq!((e.call.as_str(), e.errno()), ("argv: a NUL byte", None));
    }
}
