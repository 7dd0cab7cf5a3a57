//! The operations that take things apart (`stop`, `rm`, `reset`, `volume
//! rm`, `image rm`) and that make state outside a box (`volume create`,
//! `image import`, `commit`, `publish`), with their faces: what they ask of
//! the kernel, the shell that does the same, and why.
//!
//! They are plans like every other step, so `--explain rm BOX` shows each
//! unmount, kill, rmdir and link deletion as it happens, and `--dry-run`
//! prints them and changes nothing. All of them run on the host.

use super::op::{Actor, Faces};
use crate::output::escape::shell_word;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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
pub enum TeardownOp {
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
    /// Work done by glassbox itself, not one kernel call (an archive
    /// unpacked, a layer written, a proxy started): named, so the plan says
    /// it happens and where.
    Work { what: String, shell: String, why: String },
}

fn q(p: &Path) -> String {
    shell_word(&p.to_string_lossy())
}

impl TeardownOp {
    pub fn faces(&self) -> Faces {
        let (syscall, shell, why): (String, String, String) = match self {
            TeardownOp::Signal { procs } => {
                let pids: Vec<String> = procs.iter().map(|p| p.pid.to_string()).collect();
                let named: Vec<String> = procs.iter().map(|p| format!("{} ({})", p.pid, p.command)).collect();
                (
                    format!("pidfd_open(pid) and pidfd_send_signal(pidfd, SIGTERM) for {}", pids.join(", ")),
                    format!("kill -TERM {}", pids.join(" ")),
                    format!(
                        "ask {} to end; a box init takes every process of its PID namespace along",
                        named.join(", ")
                    ),
                )
            }
            TeardownOp::AwaitEnd { patience_ms } => (
                format!("poll(pidfds, {patience_ms} ms); pidfd_send_signal(pidfd, SIGKILL) to what is left"),
                format!("timeout {}s tail --pid=PID -f /dev/null || kill -KILL PID", patience_ms.div_ceil(1000)),
                "a process that ignores SIGTERM is killed once the patience is up".into(),
            ),
            TeardownOp::Unmount { path } => (
                format!("umount2(\"{}\", MNT_DETACH)", path.display()),
                format!("umount -l {}", q(path)),
                "a lazy unmount takes every mount below it along; a namespace held by a bind mount here goes when its last process does".into(),
            ),
            TeardownOp::DeleteLink { name, why } => {
                (format!("RTM_DELLINK {name}"), format!("ip link delete {}", shell_word(name)), why.clone())
            }
            TeardownOp::KillCgroup { dir, kill_file: true } => (
                format!("write(\"{}/cgroup.kill\", \"1\")", dir.display()),
                format!("echo 1 > {}", q(&dir.join("cgroup.kill"))),
                "a cgroup can be removed only once no process is in it, nor in one below it".into(),
            ),
            TeardownOp::KillCgroup { dir, kill_file: false } => (
                format!("kill(pid, SIGKILL) for each pid in \"{}/cgroup.procs\" and below", dir.display()),
                format!("find {} -name cgroup.procs -exec cat {{}} + | xargs -r kill -KILL", q(dir)),
                "no cgroup.kill here (cgroup v1): each process left in the cgroup is killed by its pid".into(),
            ),
            TeardownOp::RemoveCgroup { dir } => (
                format!("rmdir(\"{}\")", dir.display()),
                format!("rmdir {}", q(dir)),
                "cgroups go bottom-up: a process in the box may have made cgroups below its own".into(),
            ),
            TeardownOp::RemoveTree { path, why } => {
                (format!("unlinkat(…) and rmdir(…) below \"{}\"", path.display()), format!("rm -rf {}", q(path)), why.clone())
            }
            TeardownOp::RemoveEmptyDir { path, why } => {
                (format!("rmdir(\"{}\")", path.display()), format!("rmdir {} 2>/dev/null", q(path)), why.clone())
            }
            TeardownOp::MakeStateDir { path, private, why } => {
                let mode = if *private { "0700" } else { "0755" };
                (
                    format!("mkdir(\"{}\", {mode})", path.display()),
                    format!("mkdir -p -m {} {}", &mode[1..], q(path)),
                    why.clone(),
                )
            }
            TeardownOp::RemoveFile { path, why } => {
                (format!("unlink(\"{}\")", path.display()), format!("rm -f {}", q(path)), why.clone())
            }
            TeardownOp::Work { what, shell, why } => (what.clone(), shell.clone(), why.clone()),
        };
        Faces { actor: Actor::Host, syscall, shell, why }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_teardown_face_pinned() {
        let t = Target { pid: 42, start_time: 7, command: "glassbox-init".into() };
        let ops = [
            TeardownOp::Signal { procs: vec![t] },
            TeardownOp::AwaitEnd { patience_ms: 2000 },
            TeardownOp::Unmount { path: "/run/g/boxes/b/ns".into() },
            TeardownOp::DeleteLink { name: "gbv-b".into(), why: "the box's veth pair".into() },
            TeardownOp::KillCgroup { dir: "/sys/fs/cgroup/glassbox/b".into(), kill_file: true },
            TeardownOp::KillCgroup { dir: "/sys/fs/cgroup/pids/glassbox/b".into(), kill_file: false },
            TeardownOp::RemoveCgroup { dir: "/sys/fs/cgroup/glassbox/b".into() },
            TeardownOp::RemoveTree { path: "/var/lib/g/boxes/b".into(), why: "the record".into() },
        ];
        let shells: Vec<String> = ops.iter().map(|o| o.faces().shell).collect();
        assert_eq!(
            shells,
            [
                "kill -TERM 42",
                "timeout 2s tail --pid=PID -f /dev/null || kill -KILL PID",
                "umount -l /run/g/boxes/b/ns",
                "ip link delete gbv-b",
                "echo 1 > /sys/fs/cgroup/glassbox/b/cgroup.kill",
                "find /sys/fs/cgroup/pids/glassbox/b -name cgroup.procs -exec cat {} + | xargs -r kill -KILL",
                "rmdir /sys/fs/cgroup/glassbox/b",
                "rm -rf /var/lib/g/boxes/b",
            ]
        );
        assert!(ops.iter().all(|o| o.faces().actor == Actor::Host));
        assert_eq!(ops[0].faces().syscall, "pidfd_open(pid) and pidfd_send_signal(pidfd, SIGTERM) for 42");
    }
}
