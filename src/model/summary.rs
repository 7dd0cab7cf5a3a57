//! One line per box, for a page that lists them all: what the overview
//! shows, from the records and one pass over /proc, without reading each
//! process's status and command line (fifty boxes of eleven processes are
//! a few thousand reads the list does not need).

use super::processes::{self, ProcScan};
use crate::stage::NamespaceKind;
use crate::state::{BoxRecord, BoxState};
use serde::Serialize;

#[derive(Debug, Serialize, Clone)]
pub struct BoxSummary {
    pub name: String,
    /// The compose project that made the box, if one did.
    pub project: Option<String>,
    pub state: BoxState,
    /// The step that left the box half made, if one did.
    pub broken: Option<String>,
    /// The kinds the box has its own namespace of.
    pub isolated: Vec<NamespaceKind>,
    pub limits: Option<crate::stage::cgroup::limits::Limits>,
    pub layers: usize,
    pub volumes: usize,
    /// `ADDRESS/PREFIX` on the bridge, when connected.
    pub address: Option<String>,
    pub processes: usize,
    pub steps: usize,
    /// A compose box's health, as its project's supervisor recorded it.
    pub health: Option<crate::state::health::Status>,
}

pub fn summarize(record: &BoxRecord, scan: &ProcScan) -> BoxSummary {
    BoxSummary {
        name: record.name.clone(),
        project: record.project.clone(),
        state: record.state(),
        broken: record.unfinished.as_ref().map(|u| u.command.clone()),
        isolated: record.namespaces.keys().copied().collect(),
        limits: record.cgroup.as_ref().map(|c| c.limits.clone()),
        layers: record.layers.len() + usize::from(!record.layers.is_empty() || record.image.is_some()),
        volumes: record.volumes.len(),
        address: record.net.as_ref().map(|n| format!("{}/{}", n.address, n.prefix)),
        processes: count(record, scan),
        steps: record.steps.len(),
        health: None,
    }
}

/// With a PID namespace (and no main process started before it), the box's
/// processes are those the scan found in it; otherwise the model's rule.
fn count(record: &BoxRecord, scan: &ProcScan) -> usize {
    match (record.namespaces.get(&NamespaceKind::Pid), record.main) {
        (Some(held), None) => scan.in_pid_ns(held.inode),
        _ => processes::collect(record, scan).len(),
    }
}
