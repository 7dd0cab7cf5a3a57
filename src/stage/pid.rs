//! PID namespace: the box's own process numbers (pid_namespaces(7)).
//!
//! unshare(CLONE_NEWPID) does not move the caller: its *next child* becomes
//! PID 1 of the new namespace. That first child is the box init (see
//! `crate::init`), and the namespace lives exactly as long as it does, which is
//! why a PID namespace is held by a process and not by a bind mount.
//! `/proc` shows the PID namespace of whoever mounted it, so once a box has
//! both a PID and a mount namespace, glassbox mounts a fresh `/proc` inside.

use super::{NamespaceKind, UnshareRequest};
use crate::plan::Op;
use crate::state::{BoxRecord, Root};

pub fn setup(root: &Root, record: &BoxRecord) -> Vec<Op> {
    vec![Op::StartInit { box_name: record.name.clone(), root: root.state.clone() }]
}

/// The step completes the pair PID + mount namespace.
pub fn needs_proc_mount(record: &BoxRecord, req: &UnshareRequest) -> bool {
    let has = |k| record.has(k) || req.kinds.contains(&k);
    let adds = req.kinds.contains(&NamespaceKind::Pid) || req.kinds.contains(&NamespaceKind::Mnt);
    has(NamespaceKind::Pid) && has(NamespaceKind::Mnt) && adds
}
