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
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Serialize, Clone)]
pub struct ProcessModel {
    pub host_pid: i32,
    /// 0: outside the box's PID namespace (it started before that step).
    pub pid_inside: i32,
    /// The parent as the box sees it (0: outside the box).
    pub ppid_inside: i32,
    pub host_ppid: i32,
    pub command: String,
    pub uid_on_host: Option<u32>,
    /// The same uid as the box's user namespace names it: the host uid less
    /// the map's start; None when the host uid is outside the map (the box
    /// sees it as the overflow uid, 65534) or unknown. Without a user
    /// namespace, the host's uid.
    pub uid_inside: Option<u32>,
    /// "init", "main", or empty.
    pub role: String,
    /// Kinds in which this process is NOT in the box's namespace.
    pub differs_in: Vec<NamespaceKind>,
    /// Its capabilities, no_new_privs and seccomp mode, from /proc.
    pub confinement: Option<super::hardening::ProcessConfinement>,
}

/// Every process on the host with its PID namespace, read once and shared by
/// all the boxes of one look (the web page's /api/boxes reads 50 boxes; one
/// pass over /proc instead of fifty).
pub struct ProcScan {
    pids: Vec<(i32, Option<u64>)>,
    /// The host's namespaces at this look.
    pub host: super::reference::HostReference,
    /// glassbox's own namespaces, which a box shares where it is not isolated.
    pub own: BTreeMap<NamespaceKind, u64>,
}

/// PID namespaces already read, by pid and /proc/PID inode. A process never
/// changes its own PID namespace (setns moves only its future children), and
/// the inode tells a reused pid apart, so an entry stays true for as long as
/// the process lives. `glassbox serve` looks every 250 ms at every process;
/// this spares it one readlink per process per look.
static KNOWN_PID_NS: Mutex<BTreeMap<i32, (u64, Option<u64>)>> = Mutex::new(BTreeMap::new());

impl ProcScan {
    pub fn now() -> ProcScan {
        let me = proc::self_pid();
        let mut known = KNOWN_PID_NS.lock().unwrap_or_else(|e| e.into_inner());
        let mut pids = vec![];
        let mut seen = BTreeMap::new();
        for (pid, ino) in proc::all_pid_entries().into_iter().filter(|(p, _)| *p != me) {
            let ns = match known.get(&pid) {
                Some((i, ns)) if *i == ino => *ns,
                _ => proc::ns_inode(pid, "pid"),
            };
            seen.insert(pid, (ino, ns));
            pids.push((pid, ns));
        }
        *known = seen;
        pids.sort_unstable();
        let own =
            NamespaceKind::ALL.into_iter().filter_map(|k| Some((k, proc::ns_inode(me, k.proc_file())?))).collect();
        ProcScan { pids, host: super::reference::host_namespaces(), own }
    }

    /// How many processes are in this PID namespace, from the scan alone.
    pub fn in_pid_ns(&self, inode: u64) -> usize {
        self.pids.iter().filter(|(_, ns)| *ns == Some(inode)).count()
    }

    /// The pids in this PID namespace, in order.
    pub fn pids_in(&self, inode: u64) -> impl Iterator<Item = i32> + '_ {
        self.pids.iter().filter(move |(_, ns)| *ns == Some(inode)).map(|(p, _)| *p)
    }
}

/// The box's recorded main process always belongs, even when it started
/// before the box's PID namespace (it then shows as outside that namespace).
fn belongs(record: &BoxRecord, pid: i32, pid_ns: Option<u64>) -> bool {
    if record.main.is_some_and(|m| m.pid == pid && m.alive()) {
        return true;
    }
    if let Some(held) = record.namespaces.get(&NamespaceKind::Pid) {
        return pid_ns == Some(held.inode);
    }
    record.namespaces.iter().any(|(k, h)| proc::ns_inode(pid, k.proc_file()) == Some(h.inode))
}

/// A host uid as the box's user namespace maps it (root inside is
/// `outside` on the host, for `count` ids).
pub fn uid_inside(record: &BoxRecord, uid: u32) -> Option<u32> {
    match &record.id_map {
        None if !record.has(NamespaceKind::User) => Some(uid),
        None => None,
        Some(m) => uid.checked_sub(m.outside).filter(|u| *u < m.count),
    }
}

pub fn collect(record: &BoxRecord, scan: &ProcScan) -> Vec<ProcessModel> {
    if record.namespaces.is_empty() && record.main.is_none() {
        return vec![];
    }
    let init_dead = record.init.is_some_and(|i| !i.alive());
    let members: Vec<(i32, proc::Status)> = scan
        .pids
        .iter()
        .filter(|(pid, ns)| belongs(record, *pid, *ns))
        .filter_map(|(pid, _)| Some((*pid, proc::status(*pid)?)))
        .filter(|(_, st)| st.state != 'X')
        // When the init has died, what is left of the box are zombies that
        // the host's PID 1 reaps late (seconds, on some machines): gone.
        .filter(|(_, st)| !(init_dead && st.state == 'Z'))
        .collect();
    let has_pidns = record.has(NamespaceKind::Pid);
    let pid_ns = record.namespaces.get(&NamespaceKind::Pid).map(|h| h.inode);
    let in_pid_ns =
        |pid: i32| scan.pids.binary_search_by_key(&pid, |(p, _)| *p).is_ok_and(|i| scan.pids[i].1 == pid_ns);
    // A process outside the box's PID namespace has no pid inside: 0.
    let inside = |pid: i32, st: &proc::Status| -> i32 {
        match (has_pidns, in_pid_ns(pid)) {
            (false, _) => pid,
            (true, true) => st.nspids.last().copied().unwrap_or(pid),
            (true, false) => 0,
        }
    };
    members
        .iter()
        .map(|(pid, st)| {
            let parent = members.iter().find(|(p, _)| *p == st.ppid);
            let role = if record.init.is_some_and(|i| i.pid == *pid) {
                "init"
            } else if record.main.is_some_and(|m| m.pid == *pid) {
                "main"
            } else {
                ""
            };
            ProcessModel {
                host_pid: *pid,
                pid_inside: inside(*pid, st),
                ppid_inside: parent.map_or(0, |(p, pst)| inside(*p, pst)),
                host_ppid: st.ppid,
                command: proc::cmdline(*pid).unwrap_or_default(),
                uid_on_host: st.uid,
                uid_inside: st.uid.and_then(|uid| uid_inside(record, uid)),
                role: role.into(),
                differs_in: record
                    .namespaces
                    .iter()
                    .filter(|(k, h)| match k {
                        // The scan read every process's PID namespace already.
                        NamespaceKind::Pid => !in_pid_ns(*pid),
                        _ => proc::ns_inode(*pid, k.proc_file()) != Some(h.inode),
                    })
                    .map(|(k, _)| *k)
                    .collect(),
                confinement: super::hardening::process(*pid),
            }
        })
        .collect()
}
