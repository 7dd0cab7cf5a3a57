//! fork, exec, wait and signals.
//!
//! glassbox forks instead of spawning threads: the kernel refuses to move a
//! multithreaded process into a new user or mount namespace (unshare(2),
//! EINVAL), so every process that changes namespaces is a single-threaded
//! fork of this one.

use super::fd::{borrow_raw, sys, sys_with};
use super::{SysError, SysResult, cstring};
use nix::sys::signal::{SigSet, SigmaskHow, Signal as NixSignal, sigprocmask};
use rustix::io::Errno;
use rustix::process::{Pid, Signal, WaitIdOptions, WaitOptions, WaitStatus};
use std::path::Path;

pub enum Forked {
    Child,
    Parent(i32),
}

pub fn fork() -> SysResult<Forked> {
    // SAFETY: glassbox is single-threaded wherever it forks (see module
    // docs), so the child may run arbitrary Rust code. Neither rustix nor
    // nix offers a safe fork: none can know the process is single-threaded.
    let pid = unsafe { libc::fork() };
    super::check(pid, || "fork()".into())?;
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
    fn from_status(status: WaitStatus) -> Exit {
        match status.terminating_signal() {
            Some(sig) => Exit::Signal(sig),
            None => Exit::Code(status.exit_status().unwrap_or(0)),
        }
    }
}

/// The pid as rustix takes it: 0 and negative numbers name no one process.
fn process(pid: i32, call: &str) -> SysResult<Pid> {
    Pid::from_raw(pid).ok_or_else(|| SysError::io(format!("{call}({pid})"), Errno::SRCH.into()))
}

/// A signal number as rustix and nix take it.
fn signal(sig: i32) -> Option<Signal> {
    Signal::from_named_raw(sig)
}

pub fn wait(pid: i32) -> SysResult<Exit> {
    let target = process(pid, "waitpid")?;
    loop {
        match rustix::process::waitpid(Some(target), WaitOptions::empty()) {
            Err(Errno::INTR) => continue,
            Err(e) => return Err(SysError::io(format!("waitpid({pid})"), e.into())),
            Ok(Some((_, status))) => return Ok(Exit::from_status(status)),
            Ok(None) => return Err(SysError::io(format!("waitpid({pid})"), Errno::CHILD.into())),
        }
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
    // rustix's waitpid(None) is waitpid(0): this process group only, and a
    // command with a terminal has a session of its own. wait() is waitpid(-1).
    let (pid, status) = rustix::process::wait(WaitOptions::NOHANG).ok()??;
    Some((pid.as_raw_nonzero().get(), Exit::from_status(status)))
}

/// kill(2) as the shell's `kill`: a pid of -1 reaches every process this
/// one may signal (from a PID 1, everything else in its namespace), and
/// signal 0 only asks whether `pid` exists. nix's, because rustix's takes
/// single processes only.
pub fn kill(pid: i32, sig: i32) -> SysResult<()> {
    let call = || format!("kill({pid}, {sig})");
    let signal = match sig {
        0 => None,
        _ => Some(NixSignal::try_from(sig).map_err(|e| SysError::io(call(), e.into()))?),
    };
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal).map_err(|e| SysError::io(call(), e.into()))
}

/// Leaves the process immediately, without running Rust destructors or
/// atexit handlers that belong to the parent's copy of memory.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit never returns and touches no shared state. rustix's
    // exit_group is behind its unstable runtime API, and nix has no _exit.
    unsafe { libc::_exit(code) }
}

pub fn setsid() -> SysResult<()> {
    rustix::process::setsid().map(drop).map_err(sys("setsid()"))
}

/// Names the process for `ps -o comm` (15 bytes at most).
pub fn set_name(name: &str) {
    let c = cstring(&name.chars().take(15).collect::<String>()).unwrap_or_default();
    let _ = rustix::thread::set_name(&c);
}

/// Asks the kernel to send `sig` to this process when its parent exits, so a
/// helper cannot outlive a killed glassbox.
pub fn die_with_parent(sig: i32) {
    let _ = rustix::process::set_parent_process_death_signal(signal(sig));
}

pub fn sethostname(name: &str) -> SysResult<()> {
    rustix::system::sethostname(name.as_bytes()).map_err(sys_with(|| format!("sethostname({name:?})")))
}

/// execvp with the PATH of the *given* environment (see `ExecImage`):
/// replaces this process; returns only on failure.
pub fn execvp(argv: &[String], env: &[(String, String)], spec: &super::identity::ProcessSpec) -> SysError {
    match super::spawn::ExecImage::new(argv, env).and_then(|image| image.with_identity(spec)) {
        Ok(image) => image.exec_here(),
        Err(e) => e,
    }
}

/// The signals as a set; numbers nix does not name are left out.
fn sigset(signals: &[i32]) -> SigSet {
    let mut set = SigSet::empty();
    for sig in signals.iter().filter_map(|&s| NixSignal::try_from(s).ok()) {
        set.add(sig);
    }
    set
}

/// Blocks the given signals for this thread and returns a signalfd reading them.
pub fn signalfd(signals: &[i32]) -> SysResult<std::os::fd::OwnedFd> {
    let set = sigset(signals);
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), None).map_err(|e| SysError::io("sigprocmask", e.into()))?;
    let fd = nix::sys::signalfd::SignalFd::with_flags(&set, nix::sys::signalfd::SfdFlags::SFD_CLOEXEC);
    fd.map(Into::into).map_err(|e| SysError::io("signalfd", e.into()))
}

/// Reads one signal number from a signalfd: a `signalfd_siginfo` of 128
/// bytes, whose first field is the signal number.
pub fn read_signal(fd: &std::os::fd::OwnedFd) -> Option<i32> {
    let mut info = [0u8; size_of::<libc::signalfd_siginfo>()];
    let n = rustix::io::read(fd, &mut info).ok()?;
    let signo: [u8; 4] = info[..4].try_into().ok()?;
    (n == info.len()).then_some(u32::from_ne_bytes(signo) as i32)
}

extern "C" fn ignore_signal(_: libc::c_int) {}

/// Installs a no-op handler. PID 1 of a PID namespace drops every signal whose
/// handler is SIG_DFL (pid_namespaces(7)), even a blocked one read through a
/// signalfd, so the init must have *some* handler for the signals it forwards.
pub fn install_noop_handler(sig: i32) {
    let Ok(sig) = NixSignal::try_from(sig) else { return };
    set_handler(sig, nix::sys::signal::SigHandler::Handler(ignore_signal));
}

/// sigaction(2) with no flags and an empty mask, for the two handlers
/// glassbox installs: SIG_DFL and `ignore_signal`.
fn set_handler(sig: NixSignal, handler: nix::sys::signal::SigHandler) {
    let action = nix::sys::signal::SigAction::new(handler, nix::sys::signal::SaFlags::empty(), SigSet::empty());
    // SAFETY: neither handler runs code that is not async-signal-safe
    // (SIG_DFL runs none, `ignore_signal` does nothing); nix marks every
    // sigaction unsafe because a handler may not be.
    let _ = unsafe { nix::sys::signal::sigaction(sig, &action) };
}

/// Unblocks signals `signalfd` blocked: they act as before again.
pub fn unblock(signals: &[i32]) {
    let _ = sigprocmask(SigmaskHow::SIG_UNBLOCK, Some(&sigset(signals)), None);
}

/// Restores default dispositions and an empty signal mask, as a freshly
/// exec'd program expects.
pub fn reset_signals() {
    let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None);
    for sig in super::spawn::RESET_SIGNALS.iter().filter_map(|&s| NixSignal::try_from(s).ok()) {
        set_handler(sig, nix::sys::signal::SigHandler::SigDfl);
    }
}

/// Waits until one of the descriptors is readable (or hung up); returns the
/// indexes that are. `timeout_ms` < 0 waits forever.
pub fn poll_readable(fds: &[i32], timeout_ms: i32) -> Vec<usize> {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let mut pfds: Vec<PollFd> = fds.iter().map(|&fd| PollFd::from_borrowed_fd(borrow_raw(fd), PollFlags::IN)).collect();
    let timeout = (timeout_ms >= 0)
        .then(|| Timespec { tv_sec: i64::from(timeout_ms / 1000), tv_nsec: i64::from(timeout_ms % 1000) * 1_000_000 });
    match rustix::event::poll(&mut pfds, timeout.as_ref()) {
        Ok(n) if n > 0 => pfds.iter().enumerate().filter(|(_, p)| !p.revents().is_empty()).map(|(i, _)| i).collect(),
        _ => vec![],
    }
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
pub fn arg_limits(proc_root: &Path, pid: Option<i32>) -> ArgLimits {
    let page = rustix::param::page_size();
    let stack = match pid {
        None => stack_limit(),
        Some(pid) => stack_limit_of(proc_root, pid).unwrap_or(u64::MAX),
    };
    let quarter = usize::try_from(stack / 4).unwrap_or(usize::MAX);
    ArgLimits { per_arg: 32 * page, total: quarter.clamp(128 << 10, 6 << 20) }
}

/// Another process's soft stack limit, from /proc/PID/limits (what
/// prlimit(2) would report, without changing anything).
fn stack_limit_of(proc_root: &Path, pid: i32) -> Option<u64> {
    let limits = std::fs::read_to_string(proc_root.join(pid.to_string()).join("limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max stack size"))?;
    let soft = line["Max stack size".len()..].split_whitespace().next()?;
    Some(if soft == "unlimited" { u64::MAX } else { soft.parse().ok()? })
}

/// This process's stack limit (`ulimit -s`), in bytes.
pub fn stack_limit() -> u64 {
    rustix::process::getrlimit(rustix::process::Resource::Stack).current.unwrap_or(u64::MAX)
}

pub fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
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
    rustix::process::waitid(
        rustix::process::WaitId::All,
        WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT,
    )
    .is_ok()
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
