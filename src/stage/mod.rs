//! Isolation stages: one module per namespace kind, each adding its own
//! operations to the plan of an `unshare` step.
//!
//! Making a namespace that a box can keep is always the same dance, and this
//! module plans it: a helper process enters the namespaces the box already
//! has (user first, so what it makes next is owned by the box's user
//! namespace), unshares the new kinds, sets each one up (hostname, `lo`,
//! clock offsets, …), and glassbox on the host bind-mounts the helper's
//! `/proc/PID/ns/KIND` files so they outlive it. PID namespaces are the
//! exception: they are kept alive by their init.

pub mod bridge;
pub mod bundle;
pub mod caps;
pub mod cgroup;
mod cgroupns;
pub mod devices;
pub mod enter;
pub mod hardening;
mod ipc;
pub mod mask;
pub mod mount;
mod net;
pub mod nnp;
mod pid;
pub mod rootfs;
pub mod seccomp;
pub mod share;
pub mod teardown;
pub mod time;
pub mod user;
mod uts;
pub mod volume;

// The kinds are domain vocabulary (lower layers name them too); kept here
// under their old path for the stages and commands that say `stage::`.
pub use crate::domain::NamespaceKind;

use crate::i18n::tr;
use crate::plan::op;
use crate::plan::{Op, Plan};
use crate::state::{BoxRecord, BoxState, Root};
use std::collections::BTreeSet;

/// What a user asked `unshare` for, already parsed and validated.
#[derive(Debug, Clone, Default)]
pub struct UnshareRequest {
    pub kinds: BTreeSet<NamespaceKind>,
    pub hostname: Option<String>,
    pub map_root_to: Option<u32>,
    pub monotonic_offset: Option<i64>,
    pub boottime_offset: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error("{}", tr!("ns-already-has", name = name, kind = kind, inode = inode))]
    AlreadyHas { name: String, kind: NamespaceKind, inode: u64 },
    #[error("{}", tr!("ns-user-after-others", name = name, others = others))]
    UserAfterOthers { name: String, others: String },
    #[error("{}", tr!("ns-option-needs-kind", option = option, kind = kind, name = name))]
    OptionNeedsKind { name: String, option: &'static str, kind: NamespaceKind },
    #[error("{}", tr!("box-stopped", name = name))]
    Stopped { name: String },
    #[error("{}", tr!("bad-value", what = crate::i18n::term(what), value = format!("{value:?}"), reason = crate::i18n::term(reason)))]
    BadValue { what: &'static str, value: String, reason: String },
    #[error("{}", tr!("command-too-long", reason = .0))]
    CommandTooLong(String),
    #[error("{}", tr!("needs-first", what = crate::i18n::term(what), fix = fix))]
    NeedsFirst { what: String, fix: String },
    /// A `--join` the kernel or the box model cannot honour, with why and what to do.
    #[error("{0}")]
    Share(String),
    #[error("{}", tr!("box-nothing-running", name = name))]
    NothingRunning { name: String },
}

impl StageError {
    /// The language-neutral code `--json` prints (the message's id).
    pub fn code(&self) -> &'static str {
        match self {
            StageError::AlreadyHas { .. } => "ns-already-has",
            StageError::UserAfterOthers { .. } => "ns-user-after-others",
            StageError::OptionNeedsKind { .. } => "ns-option-needs-kind",
            StageError::Stopped { .. } => "box-stopped",
            StageError::BadValue { .. } => "bad-value",
            StageError::CommandTooLong(_) => "command-too-long",
            StageError::NeedsFirst { .. } => "needs-first",
            StageError::NothingRunning { .. } => "box-nothing-running",
            StageError::Share(_) => "ns-share",
        }
    }
}

/// Guards first: each failure names the command that fixes it.
fn check(record: &BoxRecord, req: &UnshareRequest, uptime: Option<f64>) -> Result<(), StageError> {
    let name = &record.name;
    if record.shared_pid_ended() {
        return Err(StageError::Share(crate::state::shared::pid_ended(record)));
    }
    if record.state() == BoxState::Stopped {
        return Err(StageError::Stopped { name: name.clone() });
    }
    // Before "already has": a second time namespace asked with offsets is
    // told that offsets are fixed, and how to start over.
    time::check(record, req, uptime)?;
    for kind in &req.kinds {
        if let Some(held) = record.namespaces.get(kind) {
            return Err(StageError::AlreadyHas { name: name.clone(), kind: *kind, inode: held.inode });
        }
    }
    user::check(record, req)?;
    uts::check(record, req)?;
    Ok(())
}

/// What planning `unshare` needs of the host, read before planning under a
/// /proc root (the host's, or a test's fixture folder): its mount table
/// (`<proc>/self/mountinfo`) and how long ago it booted (`<proc>/uptime`:
/// a time namespace's clock cannot start before the boot).
#[derive(Default)]
pub struct UnshareFacts {
    pub table: Vec<crate::sys::mounts::MountEntry>,
    pub uptime: Option<f64>,
}

impl UnshareFacts {
    pub fn gather(proc_root: &std::path::Path) -> UnshareFacts {
        UnshareFacts {
            table: crate::sys::mounts::mountinfo_in(proc_root),
            uptime: crate::sys::proc::uptime_seconds_in(proc_root),
        }
    }
}

/// The plan of `glassbox unshare BOX KIND...`.
pub fn plan_unshare(
    root: &Root,
    record: &BoxRecord,
    req: &UnshareRequest,
    facts: &UnshareFacts,
) -> Result<Plan, StageError> {
    check(record, req, facts.uptime)?;
    let holds = root.holds_dir(&record.name);
    let mut ops = prepare_holds(root, &holds, &facts.table);
    if req.kinds.contains(&NamespaceKind::Pid) {
        ops.push(op::ListenControl { socket: root.control_socket(&record.name) }.into());
    }
    ops.extend(join_cgroup(record));
    let user_involved = record.has(NamespaceKind::User) || req.kinds.contains(&NamespaceKind::User);
    if req.kinds.contains(&NamespaceKind::Mnt) && user_involved {
        ops.extend(mount::prepare_copy());
    }
    ops.extend(join_existing(record));
    for kind in &req.kinds {
        ops.push(op::Unshare { kind: *kind }.into());
        ops.extend(setup(*kind, root, record, req, user_involved));
    }
    ops.extend(pid::proc_mount_by_helper(record, req));
    for kind in req.kinds.iter().filter(|k| **k != NamespaceKind::Pid) {
        ops.push(op::Hold { kind: *kind, path: holds.join(kind.name()) }.into());
    }
    Ok(Plan::new(ops))
}

/// The folder the box's holds are bind-mounted on, made ready.
fn prepare_holds(root: &Root, holds: &std::path::Path, table: &[crate::sys::mounts::MountEntry]) -> Vec<Op> {
    let mut ops = vec![];
    // Also when a command killed between the bind and the MS_PRIVATE left a
    // mount of the folder that still propagates.
    if !crate::sys::mounts::is_private_mount_point(table, &root.runtime) {
        ops.push(op::PrivateRuntime { dir: root.runtime.clone() }.into());
    }
    ops.push(op::PrepareHolds { dir: holds.to_path_buf() }.into());
    // Not over holds already made on the folder itself (by a glassbox from
    // before the tmpfs): they would be hidden under it.
    if crate::sys::mounts::mounts_under_in(table, holds).is_empty() {
        ops.push(op::MountHolds { dir: holds.to_path_buf() }.into());
    }
    ops
}

/// The operations right after a kind's unshare, owned by that kind's module.
fn setup(kind: NamespaceKind, root: &Root, record: &BoxRecord, req: &UnshareRequest, user_involved: bool) -> Vec<Op> {
    match kind {
        NamespaceKind::User => user::setup(req),
        NamespaceKind::Mnt => mount::setup(user_involved),
        NamespaceKind::Uts => uts::setup(record, req),
        NamespaceKind::Ipc => ipc::setup(),
        NamespaceKind::Net => net::setup(),
        NamespaceKind::Cgroup => cgroupns::setup(),
        NamespaceKind::Time => time::setup(req),
        NamespaceKind::Pid => pid::setup(root, record, req),
    }
}

/// Join the box's cgroup, if it has one: before anything else, so the
/// limits cover all that follows and a cgroup namespace is rooted there.
pub fn join_cgroup(record: &BoxRecord) -> Vec<Op> {
    record
        .cgroup
        .iter()
        .map(|c| op::JoinCgroup { procs: c.paths.iter().map(|p| p.join("cgroup.procs")).collect() }.into())
        .collect()
}

/// Enter every namespace the box has, user first (see `NamespaceKind`).
pub fn join_existing(record: &BoxRecord) -> Vec<Op> {
    let mut ops = vec![];
    for kind in NamespaceKind::ALL {
        if let Some(handle) = record.handle(kind) {
            ops.push(op::Join { kind, handle }.into());
            if kind == NamespaceKind::User {
                ops.push(crate::plan::Op::from(op::BecomeRoot));
            }
        }
    }
    ops
}

#[cfg(test)]
mod fake_proc;
#[cfg(test)]
#[path = "ns_plan_tests.rs"]
mod ns_plan_tests;
