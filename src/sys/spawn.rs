//! Executing a command: looked up on the PATH of the environment it gets,
//! and, from the box init, started without copying the init.
//!
//! fork() copies the init's page tables, the child's first writes copy
//! pages, and exec throws it all away: a third of what `exec` waited for in
//! the init. clone(CLONE_VM | CLONE_VFORK), as posix_spawn does, runs the
//! child in the init's own memory until it execs. Such a child may only make
//! system calls, on C strings prepared before the clone, and it reports a
//! failure by writing it into that shared memory.
//!
//! This is the one place glassbox keeps raw `libc` by design: rustix has no
//! clone, and nix's `clone` is an unsafe function around this same call, so
//! a crate would add a layer without removing the `unsafe`; the gain over
//! fork was measured large (docs/performance.md). The child's own calls (identity, confinement) go
//! through rustix's raw syscalls, which touch no libc state the parent shares.

use super::{SysError, SysResult, cstring};
use std::ffi::CString;
use std::os::fd::RawFd;

/// Where a command without a slash is looked up when the environment has no PATH.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Signals whose disposition a command must not inherit from glassbox or its
/// init (handlers, or SIGPIPE ignored by the Rust runtime).
pub const RESET_SIGNALS: [i32; 6] =
    [libc::SIGTERM, libc::SIGINT, libc::SIGCHLD, libc::SIGHUP, libc::SIGQUIT, libc::SIGPIPE];

/// A command ready for execve: every candidate file, argument and variable
/// already a C string, so executing it allocates nothing.
pub struct ExecImage {
    name: String,
    files: Vec<CString>,
    _strings: (Vec<CString>, Vec<CString>),
    argv: Vec<*const libc::c_char>,
    envp: Vec<*const libc::c_char>,
    /// The working folder and ids, taken just before execve.
    identity: super::identity::Prepared,
}

impl ExecImage {
    /// Candidates as execvp would try them, but from the PATH of the *given*
    /// environment (glibc's execvpe searches the caller's own PATH, and the
    /// box init has an empty environment, so /sbin would never be searched).
    pub fn new(argv: &[String], env: &[(String, String)]) -> SysResult<ExecImage> {
        let invalid = || SysError::io("exec", std::io::Error::from_raw_os_error(libc::EINVAL));
        let name = argv.first().ok_or_else(invalid)?.clone();
        let cargs = argv.iter().map(|a| cstring(a)).collect::<SysResult<Vec<_>>>().map_err(|_| invalid())?;
        let cenv = env.iter().map(|(k, v)| cstring(&format!("{k}={v}"))).collect::<SysResult<Vec<_>>>();
        let cenv = cenv.map_err(|_| invalid())?;
        let files: Vec<String> = if name.contains('/') {
            vec![name.clone()]
        } else {
            let path = env.iter().find(|(k, _)| k == "PATH").map_or(DEFAULT_PATH, |(_, v)| v.as_str());
            path.split(':').map(|d| if d.is_empty() { "." } else { d }).map(|d| format!("{d}/{name}")).collect()
        };
        let files = files.iter().filter_map(|f| cstring(f).ok()).collect();
        let nul_terminated = |v: &[CString]| v.iter().map(|c| c.as_ptr()).chain([std::ptr::null()]).collect();
        let (argv, envp) = (nul_terminated(&cargs), nul_terminated(&cenv));
        Ok(ExecImage { name, files, _strings: (cargs, cenv), argv, envp, identity: Default::default() })
    }

    /// The same, run as `spec` says (working folder, user and groups); its
    /// environment is the caller's to merge (`ProcessSpec::environment`).
    pub fn with_identity(mut self, spec: &super::identity::ProcessSpec) -> SysResult<ExecImage> {
        self.identity = super::identity::Prepared::new(spec)?;
        Ok(self)
    }

    /// Exactly `file`, with `argv` (whose first word is then free to choose)
    /// and only `env`: how glassbox re-executes itself.
    pub fn of_file(file: &str, argv: &[String], env: &[(String, String)]) -> SysResult<ExecImage> {
        let mut image = ExecImage::new(argv, env)?;
        image.name = file.to_string();
        image.files = vec![cstring(file)?];
        Ok(image)
    }

    /// execveat of a descriptor of the program (AT_EMPTY_PATH; an O_PATH
    /// descriptor is executable this way); returns the errno on failure.
    pub fn exec_fd(&self, fd: RawFd) -> i32 {
        // SAFETY: NULL-terminated arrays of C strings owned by self. rustix
        // has execveat only in its unstable runtime API, nix only as a libc call.
        unsafe {
            libc::syscall(
                libc::SYS_execveat,
                fd,
                c"".as_ptr(),
                self.argv.as_ptr(),
                self.envp.as_ptr(),
                libc::AT_EMPTY_PATH,
            )
        };
        errno()
    }

    /// Replaces this process; returns the errno that explains why it could
    /// not, and the call when it was not execve. Only system calls: safe in
    /// a vfork child.
    fn exec(&self) -> (i32, Option<&'static str>) {
        if let Err((errno, call)) = self.identity.apply() {
            return (errno, Some(call));
        }
        (self.exec_file(), None)
    }

    fn exec_file(&self) -> i32 {
        let mut denied = false;
        for file in &self.files {
            // SAFETY: NULL-terminated arrays of C strings owned by self.
            unsafe { libc::execve(file.as_ptr(), self.argv.as_ptr(), self.envp.as_ptr()) };
            match errno() {
                libc::ENOENT | libc::ENOTDIR => {}
                libc::EACCES => denied = true,
                other => return other,
            }
        }
        if denied { libc::EACCES } else { libc::ENOENT }
    }

    /// Replaces this process; returns only on failure.
    pub fn exec_here(&self) -> SysError {
        let (errno, call) = self.exec();
        self.failure(errno, call)
    }

    fn failure(&self, errno: i32, call: Option<&str>) -> SysError {
        match call {
            Some(call) => super::identity::Prepared::failure(errno, call),
            None => SysError::io(format!("exec {}", self.name), std::io::Error::from_raw_os_error(errno)),
        }
    }
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// A child started by `spawn`; `failure` when it could not exec (it has
/// exited with 127 and is the caller's to reap).
pub struct Spawned {
    pub pid: i32,
    pub failure: Option<SysError>,
}

/// What the vfork child reads and writes: shared with the parent.
struct ChildSide<'a> {
    image: &'a ExecImage,
    stdio: [RawFd; 3],
    confine: Option<&'a super::confine::Confinement>,
    /// The call that failed before the exec (dup2, one of confining, or
    /// one of taking the identity).
    failed: Option<&'static str>,
    errno: i32,
}

/// Starts `image` with `stdio` as its descriptors 0-2, nothing else open,
/// default signal dispositions and an empty signal mask, confined last
/// (see `confine`) and given its identity (uid, gid, folder) as exec does. Returns once the child has exec'd or failed to.
pub fn spawn(
    image: &ExecImage,
    stdio: [RawFd; 3],
    confine: Option<&super::confine::Confinement>,
) -> SysResult<Spawned> {
    let mut side = ChildSide { image, stdio, confine, failed: None, errno: 0 };
    let mut stack = vec![0u8; 64 * 1024];
    // The stack grows down from its 16-byte aligned end.
    let top = (stack.as_mut_ptr() as usize + stack.len()) & !15;
    // SAFETY: all signals are blocked across the clone, so no handler of
    // this process runs on the child's stack in the shared memory; the child
    // only makes system calls (see child_main) and the parent resumes when it
    // has exec'd or exited.
    let pid = unsafe {
        let (mut all, mut old): (libc::sigset_t, libc::sigset_t) = (std::mem::zeroed(), std::mem::zeroed());
        libc::sigfillset(&mut all);
        libc::sigprocmask(libc::SIG_SETMASK, &all, &mut old);
        let arg = (&raw mut side).cast::<libc::c_void>();
        let pid =
            libc::clone(child_main, top as *mut libc::c_void, libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD, arg);
        let e = errno();
        libc::sigprocmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        if pid < 0 {
            return Err(SysError::io("clone(CLONE_VM|CLONE_VFORK)", std::io::Error::from_raw_os_error(e)));
        }
        pid
    };
    drop(stack);
    let failure = match (side.errno, side.failed) {
        (0, _) => None,
        (e, Some(call)) => Some(SysError::io(call, std::io::Error::from_raw_os_error(e))),
        (e, None) => Some(image.failure(e, None)),
    };
    Ok(Spawned { pid, failure })
}

extern "C" fn child_main(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: arg is the parent's ChildSide, alive until we exec or exit.
    let side = unsafe { &mut *arg.cast::<ChildSide>() };
    for (n, from) in side.stdio.iter().enumerate().filter(|(n, from)| **from != *n as RawFd) {
        // dup2 replaces descriptor n, which must stay open for the command
        // (rustix makes it dup3, which refuses a descriptor onto itself).
        let mut target = std::mem::ManuallyDrop::new(super::fd::adopt(n as RawFd));
        if let Err(e) = rustix::io::dup2(super::fd::borrow_raw(*from), &mut target) {
            side.failed = Some("dup2 (the command's stdio)");
            side.errno = e.raw_os_error();
            super::process::exit_now(127);
        }
    }
    // SAFETY: only system calls on this process's own descriptors and
    // signals (no crate wraps close_range(2); the signal calls stay raw here,
    // as the child shares the init's memory).
    unsafe {
        // Everything the init holds is close-on-exec already; this keeps it
        // so if that ever changes (close_range is Linux 5.9; older kernels
        // rely on close-on-exec alone).
        libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32);
        for s in RESET_SIGNALS {
            libc::signal(s, libc::SIG_DFL);
        }
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
    }
    if let Some(Err((call, e))) = side.confine.map(|c| c.apply()) {
        side.failed = Some(call);
        side.errno = e;
        super::process::exit_now(127);
    }
    // The identity (the image's user, its folder) comes last but the execve:
    // the filter in place allows those calls, as Docker's does.
    (side.errno, side.failed) = side.image.exec();
    super::process::exit_now(127)
}

#[cfg(test)]
mod tests {
    use super::super::process;
    use super::{ExecImage, spawn};

    fn env(path: &str) -> Vec<(String, String)> {
        vec![("PATH".into(), path.into())]
    }

    #[test]
    fn the_given_path_is_searched_in_order() {
        let image = ExecImage::new(&["sh".into()], &env("/nonexistent::/bin")).unwrap();
        let files: Vec<_> = image.files.iter().map(|f| f.to_str().unwrap().to_string()).collect();
        assert_eq!(files, ["/nonexistent/sh", "./sh", "/bin/sh"]);
        let image = ExecImage::new(&["/bin/true".into()], &env("/x")).unwrap();
        assert_eq!(image.files.len(), 1);
    }

    #[test]
    fn a_spawned_command_runs_and_a_missing_one_reports_enoent() {
        let wait = |pid| process::wait(pid).unwrap().shell_code();
        let ok = spawn(
            &ExecImage::new(&["sh".into(), "-c".into(), "exit 7".into()], &env("/bin")).unwrap(),
            [0, 1, 2],
            None,
        );
        let ok = ok.unwrap();
        assert!(ok.failure.is_none());
        assert_eq!(wait(ok.pid), 7);
        let missing =
            spawn(&ExecImage::new(&["no-such-command-here".into()], &env("/bin")).unwrap(), [0, 1, 2], None).unwrap();
        assert_eq!(missing.failure.and_then(|e| e.errno()), Some(libc::ENOENT));
        assert_eq!(wait(missing.pid), 127);
    }
}
