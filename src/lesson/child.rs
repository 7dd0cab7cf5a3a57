//! The lesson runner's child processes: this glassbox binary on a lesson's
//! root (start commands, probes, reset) and lesson scripts, each with a
//! deadline, its output read on the side.

use crate::state::Root;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs this same glassbox binary on a state root, as a child process.
pub struct Glassbox {
    pub exe: PathBuf,
    /// `--root DIR`, unless the root is the default one.
    pub root_arg: Option<PathBuf>,
}

impl Glassbox {
    pub fn new(root: &Root) -> Glassbox {
        let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("/proc/self/exe"));
        let default = root.state == std::path::Path::new(crate::state::paths::DEFAULT_STATE);
        Glassbox { exe, root_arg: (!default).then(|| root.state.clone()) }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(&self.exe);
        if let Some(r) = &self.root_arg {
            c.arg("--root").arg(r);
        }
        c.stdin(Stdio::null());
        c
    }
}

/// Waits for a child, killing it (and its process group) past `timeout`.
/// Returns (exit code or None when killed, stdout, stderr).
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> std::io::Result<(Option<i32>, String, String)> {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0).spawn()?;
    // Read both pipes on the side so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break Some(st);
        }
        if Instant::now() > deadline {
            let _ = crate::sys::process::kill(-(child.id() as i32), libc::SIGKILL);
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    let out = text(out_t.join().unwrap_or_default());
    let err = text(err_t.join().unwrap_or_default());
    Ok((
        status.and_then(|s| s.code().or_else(|| std::os::unix::process::ExitStatusExt::signal(&s).map(|n| 128 + n))),
        out,
        err,
    ))
}
