//! The box's mount table, as a process inside it sees it.
//!
//! A mount table belongs to a mount namespace, and /proc/PID/mountinfo
//! shows the table of PID's namespace with paths as seen from PID's root:
//! read through a process of the box, after `rootfs` it lists `/` as the
//! overlay and the box's /proc, /dev and volumes under it, exactly what
//! `cat /proc/self/mountinfo` prints inside. See proc_pid_mountinfo(5).

use super::ProcessModel;
use crate::stage::NamespaceKind;
use crate::state::BoxRecord;
use crate::sys::{mounts, proc};
use serde::Serialize;

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct MountModel {
    /// Where it is mounted, as the box names the path.
    pub target: String,
    pub fstype: String,
    pub source: String,
    pub read_only: bool,
}

/// The table of the box's mount namespace, through the first of its
/// processes that is in it; none without one.
pub fn inside(record: &BoxRecord, processes: &[ProcessModel]) -> Vec<MountModel> {
    if !record.has(NamespaceKind::Mnt) {
        return vec![];
    }
    let Some(p) = processes.iter().find(|p| !p.differs_in.contains(&NamespaceKind::Mnt)) else {
        return vec![];
    };
    let Ok(raw) = proc::read_proc(format!("/proc/{}/mountinfo", p.host_pid), 8 << 10) else { return vec![] };
    mounts::parse_mountinfo(&String::from_utf8_lossy(&raw))
        .into_iter()
        .map(|m| MountModel {
            target: m.mount_point.display().to_string(),
            fstype: m.fstype,
            source: m.source,
            read_only: m.read_only,
        })
        .collect()
}
