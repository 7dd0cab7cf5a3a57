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

/// Runs `f` in a child and waits for it; the child's error comes back as
/// its errno. A child of a helper is inside any PID namespace the helper
/// made or entered.
///
/// A fork, not a clone(CLONE_VM | CLONE_VFORK) as the init uses to start
/// commands: after `unshare time` the helper's children get another time
/// namespace than its own, and older kernels refuse to share memory across
/// that (EINVAL: seen on Debian 12's 6.1; 6.18 allows it). A step that
/// starts the init needs no such child: the init mounts /proc itself.
pub fn in_child(f: impl FnOnce() -> SysResult<()>) -> SysResult<()> {
    match fork()? {
        Forked::Child => exit_now(match f() {
            Ok(()) => 0,
            Err(e) => e.errno().unwrap_or(libc::EIO),
        }),
        Forked::Parent(pid) => match wait(pid)? {
            Exit::Code(0) => Ok(()),
            Exit::Code(errno) => Err(SysError::io("child", std::io::Error::from_raw_os_error(errno))),
            Exit::Signal(s) => {
                Err(SysError::io(format!("child killed by signal {s}"), std::io::Error::other("killed")))
            }
        },
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
pub fn execvp(argv: &[String], env: &[(String, String)], spec: &super::identity::ProcessSpec) -> SysError {
    match super::spawn::ExecImage::new(argv, env).and_then(|image| image.with_identity(spec)) {
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

/// Restores default dispositions and an empty signal mask, as a freshly
/// exec'd program expects.
/// Unblocks signals `signalfd` blocked: they act as before again.
pub fn unblock(signals: &[i32]) {
    // SAFETY: sigset manipulation on a local; sigprocmask of this thread.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in signals {
            libc::sigaddset(&mut set, *s);
        }
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
}

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

/// How much argv execve(2) takes in a process: one string at most
/// `per_arg` bytes with its NUL (MAX_ARG_STRLEN, 32 pages), and all strings
/// of argv and envp with their pointers at most `total` (fs/exec.c: a
/// quarter of the process's stack limit, at least 128 KiB (ARG_MAX), at
/// most 6 MiB, three quarters of the kernel's 8 MiB _STK_LIM).
pub struct ArgLimits {
    pub per_arg: usize,
    pub total: usize,
}

/// The limits for what `pid` (a box init) execs, or for this process's own
/// children. The stack limit is the one `ulimit -s` showed where the box
/// init was started, which may be lower than this process's.
pub fn arg_limits(pid: Option<i32>) -> ArgLimits {
    // SAFETY: sysconf reads a constant; prlimit only fills `stack` (a null
    // new limit changes nothing).
    let (page, stack) = unsafe {
        let mut stack: libc::rlimit = std::mem::zeroed();
        stack.rlim_cur = libc::RLIM_INFINITY;
        libc::prlimit(pid.unwrap_or(0), libc::RLIMIT_STACK, std::ptr::null(), &mut stack);
        (libc::sysconf(libc::_SC_PAGESIZE), stack.rlim_cur)
    };
    let page = usize::try_from(page).unwrap_or(4096);
    let quarter = usize::try_from(stack / 4).unwrap_or(usize::MAX);
    ArgLimits { per_arg: 32 * page, total: quarter.clamp(128 << 10, 6 << 20) }
}

/// This process's stack limit (`ulimit -s`), in bytes.
pub fn stack_limit() -> u64 {
    // SAFETY: prlimit only fills `stack` (a null new limit changes nothing).
    unsafe {
        let mut stack: libc::rlimit = std::mem::zeroed();
        stack.rlim_cur = libc::RLIM_INFINITY;
        libc::prlimit(0, libc::RLIMIT_STACK, std::ptr::null(), &mut stack);
        stack.rlim_cur
    }
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
/// waiting and passing the exit code on — then the confinement, if any, and
/// the identity, as the last things before execve. Returns only if exec failed.
pub fn exec_in_box(
    argv: &[String],
    spec: &super::identity::ProcessSpec,
    term: Option<String>,
    keep: i32,
    children_differ: bool,
    confine: Option<&super::confine::Confinement>,
) -> SysError {
    let env = spec.environment(box_env(term));
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
    let Some(confine) = confine else { return execvp(argv, &env, spec) };
    // Made before confining: the filter need allow nothing but execve and
    // the identity's calls.
    let image = match super::spawn::ExecImage::new(argv, &env).and_then(|i| i.with_identity(spec)) {
        Ok(image) => image,
        Err(e) => return e,
    };
    match confine.apply() {
        Ok(()) => image.exec_here(),
        Err((call, errno)) => SysError::io(call, std::io::Error::from_raw_os_error(errno)),
    }
}
