//! Applying the taking-apart operations (see `plan::teardown_ops`), all on
//! the host. Each tolerates what is already gone: a plan made from facts
//! gathered a moment ago may find a process exited or a folder removed by
//! then, and removal is done when the thing is gone, however it went.

use crate::plan::teardown_ops::TeardownOp;
use crate::sys::ending::{self, Ending};
use crate::sys::proc::{self, ProcRef};
use crate::sys::{SysError, SysResult, mounts, netlink, process};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub(super) fn apply(op: &TeardownOp, pending: &mut Option<Ending>) -> SysResult<()> {
    match op {
        TeardownOp::Signal { procs } => {
            let refs: Vec<ProcRef> = procs.iter().map(|p| ProcRef { pid: p.pid, start_time: p.start_time }).collect();
            // One ending at a time: an earlier one not awaited yet ends now.
            if let Some(earlier) = pending.replace(Ending::begin(&refs)) {
                earlier.finish(Duration::ZERO);
            }
        }
        TeardownOp::AwaitEnd { patience_ms } => {
            if let Some(ending) = pending.take() {
                ending.finish(Duration::from_millis(*patience_ms));
            }
        }
        TeardownOp::Unmount { path } => match mounts::umount_detach(path) {
            Err(e) if !matches!(e.errno(), Some(libc::EINVAL | libc::ENOENT)) => return Err(e),
            _ => {}
        },
        TeardownOp::DeleteLink { name, .. } => drop(netlink::delete_link(name)?),
        TeardownOp::KillCgroup { dir, .. } => kill_members(&crate::stage::cgroup::remove::subtree(dir)),
        TeardownOp::RemoveCgroup { dir } => remove_cgroup(dir)?,
        TeardownOp::RemoveTree { path, .. } => match std::fs::remove_dir_all(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(SysError::io(format!("rm -r {}", path.display()), e));
            }
            _ => {}
        },
        TeardownOp::MakeStateDir { path, private: true, .. } => crate::state::private::make_private_dir(path)
            .map_err(|e| SysError::io(format!("mkdir -p -m 700 {}", path.display()), e))?,
        TeardownOp::MakeStateDir { path, .. } => {
            std::fs::create_dir_all(path).map_err(|e| SysError::io(format!("mkdir -p {}", path.display()), e))?
        }
        TeardownOp::RemoveFile { path, .. } => match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(SysError::io(format!("rm {}", path.display()), e));
            }
            _ => {}
        },
        TeardownOp::RemoveEmptyDir { path, .. } => drop(std::fs::remove_dir(path)),
        // Done by the command itself, where the plan places it.
        TeardownOp::Work { .. } => {}
    }
    Ok(())
}

fn members(dirs: &[PathBuf]) -> Vec<i32> {
    let read = |d: &PathBuf| std::fs::read_to_string(d.join("cgroup.procs")).unwrap_or_default();
    dirs.iter().flat_map(|d| read(d).lines().filter_map(|l| l.parse().ok()).collect::<Vec<i32>>()).collect()
}

/// Kills what is left in the cgroups (`cgroup.kill` on v2 takes the whole
/// subtree at once; v1 has no such file, so each pid gets SIGKILL) until
/// none is left alive, or five seconds passed.
fn kill_members(dirs: &[PathBuf]) {
    let Some(top) = dirs.last() else { return };
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let pids: Vec<i32> = members(dirs).into_iter().filter(|p| proc::state(*p).is_some_and(|s| s != 'Z')).collect();
        if pids.is_empty() || Instant::now() > deadline {
            return;
        }
        if top.join("cgroup.kill").exists() {
            let _ = std::fs::write(top.join("cgroup.kill"), "1");
        } else {
            for pid in &pids {
                let _ = process::kill(*pid, libc::SIGKILL);
            }
        }
        ending::wait_gone(&pids, Duration::from_millis(500));
    }
}

/// Removes one cgroup folder; a just-killed process may take a moment to
/// leave it, and a process of the box may have made a cgroup below it
/// after the plan was made: those are killed and removed first.
fn remove_cgroup(dir: &Path) -> SysResult<()> {
    let dirs = crate::stage::cgroup::remove::subtree(dir);
    if dirs.len() > 1 {
        kill_members(&dirs);
    }
    for d in &dirs {
        let until = Instant::now() + Duration::from_secs(2);
        loop {
            match std::fs::remove_dir(d) {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(e) if Instant::now() > until => return Err(SysError::io(format!("rmdir {}", d.display()), e)),
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    Ok(())
}
