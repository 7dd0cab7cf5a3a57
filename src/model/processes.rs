//! Which host processes are in a box, and what they look like from inside.
//!
//! With a PID namespace the answer is exact: every process whose
//! /proc/PID/ns/pid is the box's. Without one, a process belongs to the box
//! when it is in one of the box's namespaces (or is its recorded main
//! process). The pid inside is the last entry of NSpid in /proc/PID/status.

use crate::stage::NamespaceKind;
use crate::state::BoxRecord;
use crate::sys::proc;
use serde::Serialize;

#[derive(Debug, Serialize, Clone)]
pub struct ProcessModel {
    pub host_pid: i32,
    pub pid_inside: i32,
    /// The parent as the box sees it (0: outside the box).
    pub ppid_inside: i32,
    pub host_ppid: i32,
    pub command: String,
    pub uid_on_host: Option<u32>,
    /// "init", "main", or empty.
    pub role: String,
    /// Kinds in which this process is NOT in the box's namespace.
    pub differs_in: Vec<NamespaceKind>,
}

fn belongs(record: &BoxRecord, pid: i32) -> bool {
    if let Some(held) = record.namespaces.get(&NamespaceKind::Pid) {
        return proc::ns_inode(pid, "pid") == Some(held.inode);
    }
    record.main.is_some_and(|m| m.pid == pid && m.alive())
        || record.namespaces.iter().any(|(k, h)| proc::ns_inode(pid, k.proc_file()) == Some(h.inode))
}

pub fn collect(record: &BoxRecord) -> Vec<ProcessModel> {
    if record.namespaces.is_empty() && record.main.is_none() {
        return vec![];
    }
    let me = proc::self_pid();
    let members: Vec<i32> = proc::all_pids().into_iter().filter(|p| *p != me && belongs(record, *p)).collect();
    let has_pidns = record.has(NamespaceKind::Pid);
    let inside = |pid: i32| -> i32 { if has_pidns { proc::nspids(pid).last().copied().unwrap_or(pid) } else { pid } };
    members
        .iter()
        .filter(|p| proc::state(**p).is_some_and(|s| s != 'X'))
        .map(|&pid| {
            let host_ppid = proc::ppid(pid).unwrap_or(0);
            let ppid_inside = if members.contains(&host_ppid) { inside(host_ppid) } else { 0 };
            let role = if record.init.is_some_and(|i| i.pid == pid) {
                "init"
            } else if record.main.is_some_and(|m| m.pid == pid) {
                "main"
            } else {
                ""
            };
            ProcessModel {
                host_pid: pid,
                pid_inside: inside(pid),
                ppid_inside,
                host_ppid,
                command: proc::cmdline(pid).unwrap_or_default(),
                uid_on_host: proc::uid(pid),
                role: role.into(),
                differs_in: record
                    .namespaces
                    .iter()
                    .filter(|(k, h)| proc::ns_inode(pid, k.proc_file()) != Some(h.inode))
                    .map(|(k, _)| *k)
                    .collect(),
            }
        })
        .collect()
}
