//! The machine around the boxes: every namespace that exists right now, like
//! `lsns`, with the boxes' own marked, so a learner sees their box among the
//! host's. Read from /proc/PID/ns/* of every process.

use super::BoxModel;
use super::reference::{HostReference, host_namespaces};
use crate::stage::NamespaceKind;
use crate::state::Root;
use crate::sys::proc;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct HostNamespace {
    pub kind: NamespaceKind,
    pub inode: u64,
    /// How many processes are in it.
    pub processes: usize,
    /// The lowest pid in it and its command, as lsns shows.
    pub first_pid: i32,
    pub command: String,
    /// The host's own namespace of this kind (see `HostModel::host_reference`).
    pub is_host: bool,
    /// The box whose namespace this is, if any.
    pub of_box: Option<String>,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct HostModel {
    pub kernel: String,
    pub cgroup_layout: String,
    pub cgroup_explained: String,
    pub state_root: String,
    pub runtime_root: String,
    /// Which namespaces are the host's: PID 1's, or glassbox's own.
    pub host_reference: HostReference,
    /// Grouped by kind in NamespaceKind order, the host's namespace first.
    pub namespaces: Vec<HostNamespace>,
}

pub fn kernel_release() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").map(|s| s.trim().to_string()).unwrap_or_default()
}

fn cgroup_layout() -> (String, String) {
    match crate::stage::cgroup::detect(std::path::Path::new(crate::stage::cgroup::DEFAULT_FS)) {
        Ok(d) => (format!("{:?}", d.layout()).to_lowercase(), d.layout().explain().to_string()),
        Err(e) => ("none".into(), e.to_string()),
    }
}

/// The host summary without the namespace scan (the overview page needs only this).
pub fn summary(root: &Root) -> HostModel {
    let (cgroup_layout, cgroup_explained) = cgroup_layout();
    HostModel {
        kernel: kernel_release(),
        cgroup_layout,
        cgroup_explained,
        state_root: root.state.display().to_string(),
        runtime_root: root.runtime.display().to_string(),
        host_reference: host_namespaces(),
        namespaces: vec![],
    }
}

/// Which box holds each namespace, by kind and inode.
pub type Owners = BTreeMap<(NamespaceKind, u64), String>;

pub fn collect(root: &Root, boxes: &[BoxModel]) -> HostModel {
    let mut owners = Owners::new();
    for b in boxes {
        for n in b.namespaces.iter().filter(|n| n.isolated) {
            if let Some(inode) = n.inode {
                owners.insert((n.kind, inode), b.name.clone());
            }
        }
    }
    collect_owned(root, &owners)
}

/// The same, from the boxes' records alone (no model of each box needed).
pub fn owners_of(records: &[impl std::ops::Deref<Target = crate::state::BoxRecord>]) -> Owners {
    records.iter().flat_map(|r| r.namespaces.iter().map(|(k, h)| ((*k, h.inode), r.name.clone()))).collect()
}

pub fn collect_owned(root: &Root, owners: &Owners) -> HostModel {
    let mut found: BTreeMap<(NamespaceKind, u64), (usize, i32)> = BTreeMap::new();
    for pid in proc::all_pids() {
        for kind in NamespaceKind::ALL {
            if let Some(inode) = proc::ns_inode(pid, kind.proc_file()) {
                let e = found.entry((kind, inode)).or_insert((0, pid));
                e.0 += 1;
            }
        }
    }
    let summary = summary(root);
    let mut namespaces: Vec<HostNamespace> = found
        .into_iter()
        .map(|((kind, inode), (processes, first_pid))| HostNamespace {
            kind,
            inode,
            processes,
            first_pid,
            command: proc::cmdline(first_pid).unwrap_or_default(),
            is_host: summary.host_reference.inode(kind) == Some(inode),
            of_box: owners.get(&(kind, inode)).cloned(),
        })
        .collect();
    // A namespace held only by a bind mount has no process for lsns to find;
    // it is there all the same, and it is exactly what a box step made.
    for ((kind, inode), name) in owners {
        if !namespaces.iter().any(|n| n.kind == *kind && n.inode == *inode) {
            namespaces.push(HostNamespace {
                kind: *kind,
                inode: *inode,
                processes: 0,
                first_pid: 0,
                command: "(no process: held by a bind mount)".into(),
                is_host: false,
                of_box: Some(name.clone()),
            });
        }
    }
    namespaces.sort_by_key(|n| (n.kind, !n.is_host, n.inode));
    HostModel { namespaces, ..summary }
}
