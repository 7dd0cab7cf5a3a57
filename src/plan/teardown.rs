//! The operations that take things apart (`stop`, `rm`, `reset`, `volume
//! rm`, `image rm`) and that make state folders outside a box (`volume
//! create`; the file work of `image import`, `commit` and `publish` is
//! `plan::work`), with their faces: what they ask of
//! the kernel, the shell that does the same, and why.
//!
//! They are plans like every other step, so `--explain rm BOX` shows each
//! unmount, kill, rmdir and link deletion as it happens, and `--dry-run`
//! prints them and changes nothing. All of them run on the host. Each
//! tolerates what is already gone: a plan made from facts gathered a moment
//! ago may find a process exited or a folder removed by then, and removal
//! is done when the thing is gone, however it went.

use super::apply::HostCx;
use super::op::{HostStep, Text, Words};
use super::script::StepScript;
use crate::i18n::tr;
use crate::output::escape::shell_word;
use crate::sys::ending::{self, Ending};
use crate::sys::proc::{self, ProcRef};
use crate::sys::{SysError, SysResult, mounts, netlink, process};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A process to end, as found before the plan was made: the start time
/// tells it from a later process that got the same pid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub pid: i32,
    pub start_time: u64,
    pub command: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "teardown", rename_all = "snake_case")]
pub enum TeardownHost {
    /// Ask processes to end (SIGTERM through pidfds); `AwaitEnd` waits.
    Signal { procs: Vec<Target> },
    /// Wait for the processes asked to end, SIGKILL what is left after
    /// `patience_ms`, and wait for that too.
    AwaitEnd { patience_ms: u64 },
    /// Detach a mount and everything mounted below it.
    Unmount { path: PathBuf },
    /// Delete a network interface (a veth end takes its peer along).
    DeleteLink { name: String, why: String },
    /// Kill every process left in a cgroup and the cgroups below it
    /// (`kill_file`: the kernel offers `cgroup.kill`, v2 since Linux 5.14).
    KillCgroup { dir: PathBuf, kill_file: bool },
    /// Remove one empty cgroup folder.
    RemoveCgroup { dir: PathBuf },
    /// Remove a folder and all it holds.
    RemoveTree { path: PathBuf, why: String },
    /// Make a folder of glassbox's state (`private`: root alone may enter).
    MakeStateDir { path: PathBuf, private: bool, why: String },
    /// Remove one file.
    RemoveFile { path: PathBuf, why: String },
    /// Remove a folder if nothing is left in it.
    RemoveEmptyDir { path: PathBuf, why: String },
    /// Work an older glassbox recorded by name only (`commit` and
    /// `publish` in a box's history): kept so those records still load.
    /// The work is now an operation of its own (`plan::work`); this one is
    /// never planned, and applying it fails rather than do nothing.
    Work { what: String, shell: String, why: String },
}

// A record stores one as `{"op": "teardown", "teardown": …}`.
super::op::tagged_family!(Teardown);

impl HostStep for TeardownHost {
    fn text(&self, w: &Words) -> Text {
        match self {
            TeardownHost::Signal { procs } => {
                let pids: Vec<String> = procs.iter().map(|p| p.pid.to_string()).collect();
                let named: Vec<String> = procs.iter().map(|p| format!("{} ({})", p.pid, p.command)).collect();
                Text::new(
                    format!("pidfd_open(pid) and pidfd_send_signal(pidfd, SIGTERM) for {}", pids.join(", ")),
                    format!("kill -TERM {}", pids.join(" ")),
                    tr!("why-signal", procs = named.join(", ")),
                )
            }
            TeardownHost::AwaitEnd { patience_ms } => Text::new(
                format!("poll(pidfds, {patience_ms} ms); pidfd_send_signal(pidfd, SIGKILL) to what is left"),
                format!("timeout {}s tail --pid=PID -f /dev/null || kill -KILL PID", patience_ms.div_ceil(1000)),
                tr!("why-await-end"),
            ),
            TeardownHost::Unmount { path } => Text::new(
                format!("umount2(\"{}\", MNT_DETACH)", path.display()),
                format!("umount -l {}", w.path(path)),
                tr!("why-unmount"),
            ),
            TeardownHost::DeleteLink { name, why } => Text::new(
                format!("RTM_DELLINK {name}"),
                format!("ip link delete {}", shell_word(name)),
                crate::i18n::recorded(why),
            ),
            TeardownHost::KillCgroup { dir, kill_file: true } => Text::new(
                format!("write(\"{}/cgroup.kill\", \"1\")", dir.display()),
                format!("echo 1 > {}", w.path(&dir.join("cgroup.kill"))),
                tr!("why-kill-cgroup"),
            ),
            TeardownHost::KillCgroup { dir, kill_file: false } => Text::new(
                format!("kill(pid, SIGKILL) for each pid in \"{}/cgroup.procs\" and below", dir.display()),
                format!("find {} -name cgroup.procs -exec cat {{}} + | xargs -r kill -KILL", w.path(dir)),
                tr!("why-kill-cgroup-v1"),
            ),
            TeardownHost::RemoveCgroup { dir } => Text::new(
                format!("rmdir(\"{}\")", dir.display()),
                format!("rmdir {}", w.path(dir)),
                tr!("why-remove-cgroup"),
            ),
            TeardownHost::RemoveTree { path, why } => Text::new(
                format!("unlinkat(…) and rmdir(…) below \"{}\"", path.display()),
                format!("rm -rf {}", w.path(path)),
                crate::i18n::recorded(why),
            ),
            TeardownHost::RemoveEmptyDir { path, why } => Text::new(
                format!("rmdir(\"{}\")", path.display()),
                format!("rmdir {} 2>/dev/null", w.path(path)),
                crate::i18n::recorded(why),
            ),
            TeardownHost::MakeStateDir { path, private, why } => {
                let mode = if *private { "0700" } else { "0755" };
                Text::new(
                    format!("mkdir(\"{}\", {mode})", path.display()),
                    format!("mkdir -p -m {} {}", &mode[1..], w.path(path)),
                    crate::i18n::recorded(why),
                )
            }
            TeardownHost::RemoveFile { path, why } => Text::new(
                format!("unlink(\"{}\")", path.display()),
                format!("rm -f {}", w.path(path)),
                crate::i18n::recorded(why),
            ),
            TeardownHost::Work { what, shell, why } => {
                Text::new(what.clone(), shell.clone(), crate::i18n::recorded(why))
            }
        }
    }

    fn apply(&self, cx: &mut HostCx) -> SysResult<()> {
        match self {
            TeardownHost::Signal { procs } => {
                let refs: Vec<ProcRef> =
                    procs.iter().map(|p| ProcRef { pid: p.pid, start_time: p.start_time }).collect();
                // One ending at a time: an earlier one not awaited yet ends now.
                if let Some(earlier) = cx.ending.replace(Ending::begin(&refs)) {
                    earlier.finish(Duration::ZERO);
                }
            }
            TeardownHost::AwaitEnd { patience_ms } => {
                if let Some(ending) = cx.ending.take() {
                    ending.finish(Duration::from_millis(*patience_ms));
                }
            }
            TeardownHost::Unmount { path } => match mounts::umount_detach(path) {
                Err(e) if !matches!(e.errno(), Some(libc::EINVAL | libc::ENOENT)) => return Err(e),
                _ => {}
            },
            TeardownHost::DeleteLink { name, .. } => drop(netlink::delete_link(name)?),
            TeardownHost::KillCgroup { dir, .. } => kill_members(&subtree(dir)),
            TeardownHost::RemoveCgroup { dir } => remove_cgroup(dir)?,
            TeardownHost::RemoveTree { path, .. } => match std::fs::remove_dir_all(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(SysError::io(format!("rm -r {}", path.display()), e));
                }
                _ => {}
            },
            TeardownHost::MakeStateDir { path, private: true, .. } => {
                crate::sys::private_dir::make_private_dir(path)
                    .map_err(|e| SysError::io(format!("mkdir -p -m 700 {}", path.display()), e))?
            }
            TeardownHost::MakeStateDir { path, .. } => {
                std::fs::create_dir_all(path).map_err(|e| SysError::io(format!("mkdir -p {}", path.display()), e))?
            }
            TeardownHost::RemoveFile { path, .. } => match std::fs::remove_file(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(SysError::io(format!("rm {}", path.display()), e));
                }
                _ => {}
            },
            TeardownHost::RemoveEmptyDir { path, .. } => drop(std::fs::remove_dir(path)),
            TeardownHost::Work { what, .. } => {
                let e = std::io::Error::other("recorded by an older glassbox: not applied again");
                return Err(SysError::io(what.clone(), e));
            }
        }
        Ok(())
    }

    /// Taking apart is no part of what the script rebuilds, and the state
    /// made outside a box (volumes, images) is not a box's step.
    fn script(&self, _: &mut StepScript) {}
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
    let dirs = subtree(dir);
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
/// Every cgroup folder at or below `dir`, deepest first (none if `dir`
/// does not exist).
pub fn subtree(dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return vec![];
    }
    let mut all = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        if let Ok(rd) = std::fs::read_dir(&all[i]) {
            all.extend(rd.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.path()));
        }
        i += 1;
    }
    all.sort_by(|a, b| b.components().count().cmp(&a.components().count()).then_with(|| a.cmp(b)));
    all
}
