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
use crate::plan::op;
use crate::state::{BoxRecord, Root};

/// The init mounts /proc itself when this step completes the pair: it is
/// already a process of the new PID namespace, so no extra child is forked
/// (and waited for) only to do that mount.
pub fn setup(root: &Root, record: &BoxRecord, req: &UnshareRequest) -> Vec<Op> {
    let mount_proc = needs_proc_mount(record, req).then(|| PROC.into());
    vec![
        op::StartInit {
            box_name: record.name.clone(),
            root: root.state.clone(),
            empty_layer: root.runtime.join("empty"),
            mount_proc,
        }
        .into(),
    ]
}

/// A `mnt` step on a box whose init already runs: a child of the helper,
/// inside the box's PID namespace, mounts /proc (a step that starts the init
/// has the init do it, in `setup`).
pub(super) fn proc_mount_by_helper(record: &BoxRecord, req: &UnshareRequest) -> Option<Op> {
    let init_runs = !req.kinds.contains(&NamespaceKind::Pid);
    (init_runs && needs_proc_mount(record, req)).then(|| op::MountProc { target: PROC.into() }.into())
}

/// Where a box without its own root filesystem gets its /proc.
pub(super) const PROC: &str = "/proc";

/// The step completes the pair PID + mount namespace.
fn needs_proc_mount(record: &BoxRecord, req: &UnshareRequest) -> bool {
    let has = |k| record.has(k) || req.kinds.contains(&k);
    let adds = req.kinds.contains(&NamespaceKind::Pid) || req.kinds.contains(&NamespaceKind::Mnt);
    // A mount namespace joined from another box is that box's: its /proc is its own.
    let owns_mnt = record.owns(NamespaceKind::Mnt) || req.kinds.contains(&NamespaceKind::Mnt);
    has(NamespaceKind::Pid) && owns_mnt && adds
}

#[cfg(test)]
mod tests {
    use crate::plan::op;
    use crate::stage::{NamespaceKind, NamespaceKind::*, UnshareRequest, plan_unshare};
    use crate::state::{BoxRecord, HeldNamespace, Holder, Root};
    use std::path::PathBuf;

    /// Who mounts /proc in the plan of `unshare` of `kinds` on a box that has `has`:
    /// (the init's mount, if an init is started; how many MountProc operations).
    fn proc_mounts(has: &[NamespaceKind], kinds: &[NamespaceKind]) -> (Option<Option<PathBuf>>, usize) {
        let root = Root::new(Some(&std::env::temp_dir().join("glassbox-unit-pid-plan")));
        let mut record = BoxRecord::new("p");
        for kind in has {
            let holder = match kind {
                Pid => Holder::Process { pid: 1, start_time: 0 },
                _ => Holder::BindMount { path: root.holds_dir("p").join(kind.name()) },
            };
            record.namespaces.insert(*kind, HeldNamespace { inode: 1, holder, shared: None });
        }
        let req = UnshareRequest { kinds: kinds.iter().copied().collect(), ..Default::default() };
        let plan = plan_unshare(&root, &record, &req, &Default::default()).unwrap();
        let init = plan.ops.iter().find_map(|op| match op.as_process_helper() {
            Some(op::StartInit { mount_proc, .. }) => Some(mount_proc.clone()),
            _ => None,
        });
        (init, plan.ops.iter().filter(|o| matches!(o.as_process_helper(), Some(op::MountProc { .. }))).count())
    }

    #[test]
    fn the_init_mounts_proc_when_its_step_completes_pid_and_mnt() {
        let proc_dir = Some(Some(PathBuf::from("/proc")));
        assert_eq!(proc_mounts(&[], &[Pid, Mnt]), (proc_dir.clone(), 0));
        assert_eq!(proc_mounts(&[Mnt], &[Pid]), (proc_dir, 0));
        assert_eq!(proc_mounts(&[], &[Pid]), (Some(None), 0), "no mount namespace: the host's /proc stays");
        assert_eq!(proc_mounts(&[Pid], &[Mnt]), (None, 1), "the init runs already: a child of the helper mounts it");
        assert_eq!(proc_mounts(&[], &[Mnt, Uts]), (None, 0));
    }
}
