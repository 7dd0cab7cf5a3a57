//! Sharing another box's namespace instead of making one: a pod.
//!
//! A Kubernetes pod is several containers in one network, IPC and UTS
//! namespace (and, with `shareProcessNamespace`, one PID namespace): they
//! reach each other on `localhost`, share System V shared memory and one
//! hostname, yet each keeps its own root filesystem. `unshare B net --join A`
//! does what `nsenter --net=/proc/PID/ns/net` does for one process, for a
//! whole box: a helper enters A's namespace with setns(2), and glassbox
//! holds it for B by a bind mount of the helper's `/proc/PID/ns/net`, so
//! the namespace lives on while either box does (setns(2), namespaces(7)).
//!
//! A PID namespace is the exception again: it lives exactly as long as its
//! init, A's. B gets no init of its own; its processes are started in A's
//! PID namespace (setns applies to children, so one more fork) and, when A's
//! init ends, the kernel kills them with the rest.

use super::{NamespaceKind, StageError, UnshareRequest, join_cgroup, join_existing};
use crate::plan::Plan;
use crate::plan::op;
use crate::state::{BoxRecord, BoxState, Root};

/// Why a kind cannot be joined, if it cannot.
fn refusal(kind: NamespaceKind) -> Option<&'static str> {
    use NamespaceKind::*;
    match kind {
        User => Some(
            "a user namespace owns every namespace made after it and fixes how the box's ids map to the host's, so it comes first and is the box's own; a pod's boxes share net, ipc and uts (and pid), each keeping its users",
        ),
        Cgroup => Some(
            "a cgroup namespace is rooted at the cgroup of the process that made it, the other box's; this box's processes live in their own cgroup, which would show outside that root (as /../NAME): give it its own (glassbox unshare BOX cgroup)",
        ),
        Time => Some(
            "a time namespace holds nothing but two clock offsets, fixed before its first process: give this box its own with the same offsets (glassbox unshare BOX time --monotonic-offset N)",
        ),
        Mnt | Uts | Ipc | Net | Pid => None,
    }
}

fn refuse(text: String) -> StageError {
    StageError::Share(text)
}

/// Guards for `unshare BOX KIND... --join OTHER`, each with what to do.
fn check(record: &BoxRecord, other: &BoxRecord, req: &UnshareRequest) -> Result<(), StageError> {
    let (name, from) = (&record.name, &other.name);
    if name == from {
        return Err(refuse(format!(
            "box {name} cannot join itself: --join names the box whose namespace to share (glassbox unshare {name} net --join OTHER)"
        )));
    }
    if req.hostname.is_some()
        || req.map_root_to.is_some()
        || req.monotonic_offset.is_some()
        || req.boottime_offset.is_some()
    {
        return Err(refuse(format!(
            "--join shares box {from}'s namespaces as they are: --hostname, --map-root-to and the clock offsets set up a new one; leave them out"
        )));
    }
    for kind in &req.kinds {
        if let Some(why) = refusal(*kind) {
            return Err(refuse(
                format!("box {name} cannot join box {from}'s {kind} namespace: {why}").replace("BOX", name),
            ));
        }
    }
    if record.shared_pid_ended() {
        return Err(refuse(crate::state::shared::pid_ended(record)));
    }
    if record.state() == BoxState::Stopped {
        return Err(StageError::Stopped { name: name.clone() });
    }
    other.require_intact().map_err(|e| refuse(e.to_string()))?;
    for kind in &req.kinds {
        if let Some(held) = record.namespaces.get(kind) {
            return Err(refuse(format!(
                "box {name} already has a {kind} namespace (inode {}), and a process is in one namespace of each kind: to share {from}'s, make the box again and join first: glassbox rm --force {name} && glassbox create {name} && glassbox unshare {name} {kind} --join {from}",
                held.inode
            )));
        }
        if !other.has(*kind) {
            return Err(refuse(format!(
                "box {from} has no {kind} namespace of its own: join what? Make it first (glassbox unshare {from} {kind}), then glassbox unshare {name} {kind} --join {from}"
            )));
        }
    }
    if record.has(NamespaceKind::User) {
        return Err(refuse(format!(
            "box {name} has a user namespace of its own, and root in it has no power over box {from}'s namespaces (another user namespace owns them), so setns(2) would fail with EPERM: share namespaces between boxes without a user namespace of their own"
        )));
    }
    if req.kinds.contains(&NamespaceKind::Pid) {
        check_pid(record, other)?;
    }
    Ok(())
}

/// A PID namespace is entered by the children of a process, and ends with
/// its init: the box joining it must have nothing running yet, and the box
/// it joins must be running.
fn check_pid(record: &BoxRecord, other: &BoxRecord) -> Result<(), StageError> {
    let (name, from) = (&record.name, &other.name);
    if other.state() != BoxState::Running || other.shared_pid_ended() {
        return Err(refuse(format!(
            "box {from} is not running: its PID namespace lives only as long as its init, so there is nothing to join; start it again (glassbox rm {from}, make it anew) and then glassbox unshare {name} pid --join {from}"
        )));
    }
    if record.state() == BoxState::Running {
        return Err(refuse(format!(
            "box {name} has a process running outside box {from}'s PID namespace, and setns(2) never moves a running process into another PID namespace: stop it first (glassbox stop {name}), or join pid before glassbox run -d"
        )));
    }
    Ok(())
}

/// `rootfs` and `volume add` mount in the box's mount namespace: one
/// joined from another box is that box's, whose root would change too.
pub fn check_own_mounts(record: &BoxRecord, what: &str) -> Result<(), StageError> {
    match record.shared_from(NamespaceKind::Mnt) {
        Some(s) => Err(refuse(format!(
            "{what} would mount in box {}'s mount namespace, which box {} shares: its root filesystem and volumes are that box's; give {0} one of its own mount namespace instead (glassbox rm --force {0} && glassbox create {0} && glassbox unshare {0} mnt)",
            s.made_by, record.name
        ))),
        None => Ok(()),
    }
}

/// The plan of `glassbox unshare BOX KIND... --join OTHER`.
pub fn plan_join(
    root: &Root,
    record: &BoxRecord,
    other: &BoxRecord,
    req: &UnshareRequest,
    mounts: &super::UnshareFacts,
) -> Result<Plan, StageError> {
    check(record, other, req)?;
    let holds = root.holds_dir(&record.name);
    let mut ops = super::prepare_holds(root, &holds, &mounts.table);
    ops.extend(join_cgroup(record));
    ops.extend(join_existing(record));
    for kind in &req.kinds {
        let handle = other.handle(*kind).expect("checked: the other box has it");
        ops.push(op::Share { kind: *kind, with: other.name.clone(), handle }.into());
    }
    // The box's own /proc then shows the PID namespace it joined.
    if req.kinds.contains(&NamespaceKind::Pid) && record.owns(NamespaceKind::Mnt) {
        ops.push(op::MountProc { target: super::pid::PROC.into() }.into());
    }
    for kind in req.kinds.iter().filter(|k| **k != NamespaceKind::Pid) {
        ops.push(op::Hold { kind: *kind, path: holds.join(kind.name()) }.into());
    }
    Ok(Plan::new(ops))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{HeldNamespace, Holder};
    use NamespaceKind::*;

    fn root() -> Root {
        Root::new(Some(&std::env::temp_dir().join("glassbox-unit-share-plan")))
    }

    fn no_mounts() -> crate::stage::UnshareFacts {
        crate::stage::UnshareFacts::default()
    }

    fn with(name: &str, kinds: &[NamespaceKind]) -> BoxRecord {
        let mut r = BoxRecord::new(name);
        for kind in kinds {
            let holder = Holder::BindMount { path: root().holds_dir(name).join(kind.name()) };
            r.namespaces.insert(*kind, HeldNamespace { inode: 7, holder, shared: None });
        }
        r
    }

    fn join(kinds: &[NamespaceKind]) -> UnshareRequest {
        UnshareRequest { kinds: kinds.iter().copied().collect(), ..Default::default() }
    }

    #[test]
    fn joining_enters_the_other_box_namespace_and_holds_it_for_this_box() {
        let (a, b) = (with("a", &[Net, Ipc]), with("b", &[Mnt]));
        let plan = plan_join(&root(), &b, &a, &join(&[Net, Ipc]), &no_mounts()).unwrap();
        let share = op::Share { kind: Net, with: "a".into(), handle: root().holds_dir("a").join("net") }.into();
        assert!(plan.ops.contains(&share), "{:?}", plan.ops);
        assert!(plan.ops.contains(&op::Hold { kind: Net, path: root().holds_dir("b").join("net") }.into()));
        assert!(!plan.ops.iter().any(|o| matches!(o.as_ns_helper(), Some(op::Unshare { .. }))), "nothing new is made");
        let faces = share.faces();
        assert_eq!(faces.shell, format!("nsenter --net={}", root().holds_dir("a").join("net").display()));
        assert!(faces.syscall.starts_with("setns(") && faces.syscall.ends_with("CLONE_NEWNET)"));
    }

    #[test]
    fn a_pid_namespace_is_entered_not_held_and_the_box_own_proc_then_shows_it() {
        // A running box: its init is this test process.
        let mut a = with("a", &[]);
        let me = crate::sys::proc::ProcRef::of(std::process::id() as i32).unwrap();
        let holder = Holder::Process { pid: me.pid, start_time: me.start_time };
        a.namespaces.insert(Pid, HeldNamespace { inode: 7, holder, shared: None });
        a.init = Some(me);
        let plan = plan_join(&root(), &with("b", &[Mnt]), &a, &join(&[Pid]), &no_mounts()).unwrap();
        assert!(plan.ops.iter().any(|o| matches!(o.as_ns_helper(), Some(op::Share { kind: Pid, .. }))));
        assert!(
            !plan.ops.iter().any(|o| o.as_ns_host().is_some_and(|h| matches!(h, op::Hold { .. })) || o.is_start_init())
        );
        assert!(plan.ops.contains(&op::MountProc { target: "/proc".into() }.into()));
    }

    #[test]
    fn each_bad_join_says_why() {
        let a = with("a", &[Net, User]);
        let says = |b: &BoxRecord, kinds: &[NamespaceKind]| {
            plan_join(&root(), b, &a, &join(kinds), &no_mounts()).unwrap_err().to_string()
        };
        assert!(says(&with("a", &[]), &[Net]).contains("cannot join itself"));
        assert!(says(&with("b", &[]), &[Ipc]).contains("join what?"));
        assert!(says(&with("b", &[]), &[User]).contains("owns every namespace"));
        assert!(says(&with("b", &[]), &[Cgroup]).contains("cgroup namespace is rooted"));
        assert!(says(&with("b", &[]), &[Time]).contains("clock offsets"));
        assert!(says(&with("b", &[Net]), &[Net]).contains("already has a net namespace"));
        assert!(says(&with("b", &[User]), &[Net]).contains("EPERM"));
    }
}
