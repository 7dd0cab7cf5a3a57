//! Ending processes: SIGTERM, patience, SIGKILL, and waiting until they
//! are gone, through pidfds so that a pid reused meanwhile is never touched.

use super::fd::sys_with;
use super::proc::ProcRef;
use super::{SysError, SysResult};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// A descriptor that becomes readable when the process exits (pidfd_open(2)).
/// Unlike a pid it cannot come to name another process later.
pub fn pidfd_open(pid: i32) -> SysResult<OwnedFd> {
    let call = || format!("pidfd_open({pid})");
    let target =
        rustix::process::Pid::from_raw(pid).ok_or_else(|| SysError::io(call(), rustix::io::Errno::SRCH.into()))?;
    rustix::process::pidfd_open(target, rustix::process::PidfdFlags::empty()).map_err(sys_with(call))
}

fn pidfd_send_signal(pidfd: &OwnedFd, sig: i32) -> SysResult<()> {
    let call = || format!("pidfd_send_signal({sig})");
    let signal = rustix::process::Signal::from_named_raw(sig)
        .ok_or_else(|| SysError::io(call(), rustix::io::Errno::INVAL.into()))?;
    rustix::process::pidfd_send_signal(pidfd, signal).map_err(sys_with(call))
}

/// Waits until every one of `pids` has exited, or the timeout passed;
/// true when all are gone.
pub fn wait_gone(pids: &[i32], timeout: Duration) -> bool {
    let fds: Vec<_> = pids.iter().filter_map(|p| pidfd_open(*p).ok()).collect();
    still_running(fds.iter().collect(), timeout).is_empty()
}

/// Processes asked to end. The signals go through pidfds opened before the
/// first one is sent, so a pid freed and reused while they end is never
/// signalled, however long the caller works in between.
pub struct Ending {
    watched: Vec<OwnedFd>,
    /// Where no pidfd could be had (a seccomp filter that forbids
    /// pidfd_open, no descriptors left): by pid, each checked against its
    /// start time before every signal.
    by_pid: Vec<ProcRef>,
}

impl Ending {
    /// Sends SIGTERM to each of `procs` that still exists. Each pidfd is
    /// checked against the process's start time once it is open: a pid
    /// freed and reused since `procs` were found names a stranger then,
    /// and from that check on the pidfd cannot come to name one.
    pub fn begin(procs: &[ProcRef]) -> Ending {
        let mut ending = Ending { watched: vec![], by_pid: vec![] };
        for p in procs {
            match pidfd_open(p.pid) {
                Ok(fd) if p.alive() => ending.watched.push(fd),
                Ok(_) => {}
                Err(e) if e.errno() == Some(libc::ESRCH) => {}
                Err(_) => ending.by_pid.push(*p),
            }
        }
        signal(&ending.watched.iter().collect::<Vec<_>>(), &ending.by_pid, libc::SIGTERM);
        ending
    }

    /// Waits up to `patience`, then SIGKILLs what is left and waits for that
    /// (a process in uninterruptible sleep may outlast even this).
    pub fn finish(mut self, patience: Duration) {
        let (watched, by_pid) = (std::mem::take(&mut self.watched), std::mem::take(&mut self.by_pid));
        let deadline = Instant::now() + patience;
        let left = still_running(watched.iter().collect(), patience);
        let left_by_pid = wait_by_pid(by_pid, deadline);
        signal(&left, &left_by_pid, libc::SIGKILL);
        let five = Duration::from_secs(5);
        still_running(left, five);
        wait_by_pid(left_by_pid, Instant::now() + five);
    }
}

/// Unwinding past an unfinished ending must not leave processes that were
/// only asked: they get what `finish` would have sent them last.
impl Drop for Ending {
    fn drop(&mut self) {
        signal(&self.watched.iter().collect::<Vec<_>>(), &self.by_pid, libc::SIGKILL);
    }
}

fn signal(pidfds: &[&OwnedFd], by_pid: &[ProcRef], sig: i32) {
    for fd in pidfds {
        let _ = pidfd_send_signal(fd, sig);
    }
    for p in by_pid.iter().filter(|p| p.alive()) {
        let _ = super::process::kill(p.pid, sig);
    }
}

/// Waits until the processes behind these pidfds have exited, or the
/// timeout passed; returns the ones still running.
fn still_running(mut pending: Vec<&OwnedFd>, timeout: Duration) -> Vec<&OwnedFd> {
    let deadline = Instant::now() + timeout;
    while !pending.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let raw: Vec<i32> = pending.iter().map(|f| f.as_raw_fd()).collect();
        let ready = super::process::poll_readable(&raw, left.as_millis().max(1) as i32);
        let mut i = 0;
        pending.retain(|_| {
            i += 1;
            !ready.contains(&(i - 1))
        });
    }
    pending
}

/// Polls (no pidfd to wait on) until each process is gone or the deadline;
/// returns those still there.
fn wait_by_pid(mut left: Vec<ProcRef>, deadline: Instant) -> Vec<ProcRef> {
    loop {
        left.retain(|p| p.alive());
        if left.is_empty() || Instant::now() >= deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::{Ending, ProcRef};
    use std::os::unix::process::ExitStatusExt;
    use std::process::Command;
    use std::time::Duration;

    /// The signal that ended `script`, which says "ready" once it is set up.
    fn ended_by(script: &str, patience: Duration) -> Option<i32> {
        let mut child = Command::new("sh").args(["-c", script]).stdout(std::process::Stdio::piped()).spawn().unwrap();
        let mut ready = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut ready).unwrap();
        assert_eq!(ready, "ready\n");
        Ending::begin(&[ProcRef::of(child.id() as i32).unwrap()]).finish(patience);
        let status = child.try_wait().unwrap().expect("gone once finish returns");
        status.signal()
    }

    #[test]
    fn sigterm_first_then_sigkill_for_what_ignores_it() {
        assert_eq!(ended_by("echo ready; exec sleep 60", Duration::from_secs(5)), Some(libc::SIGTERM));
        let deaf = "trap '' TERM; echo ready; while :; do sleep 0.05; done";
        assert_eq!(ended_by(deaf, Duration::from_millis(300)), Some(libc::SIGKILL));
    }

    #[test]
    fn a_pid_that_is_gone_is_skipped() {
        let mut child = Command::new("true").spawn().unwrap();
        let found = ProcRef::of(child.id() as i32).unwrap();
        child.wait().unwrap();
        let ending = Ending::begin(&[found]);
        assert!(ending.watched.is_empty() && ending.by_pid.is_empty());
    }

    /// What a pid reused since it was found looks like: another start time.
    #[test]
    fn a_pid_that_names_another_process_now_is_left_alone() {
        let mut stranger = Command::new("sleep").arg("60").spawn().unwrap();
        let now = ProcRef::of(stranger.id() as i32).unwrap();
        let found_before = ProcRef { start_time: now.start_time - 1, ..now };
        let ending = Ending::begin(&[found_before]);
        assert!(ending.watched.is_empty() && ending.by_pid.is_empty());
        drop(ending);
        assert!(stranger.try_wait().unwrap().is_none(), "the stranger was signalled");
        stranger.kill().unwrap();
        stranger.wait().unwrap();
    }
}
