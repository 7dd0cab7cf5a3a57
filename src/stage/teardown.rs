//! Taking a box apart (`stop`, `rm`), as a plan: facts in, plan out.
//!
//! What a box holds is found first, from the kernel rather than from the
//! record alone (`gather`): its processes (from the record and /proc, see
//! `teardown::box_processes`), every mount below its runtime folder (from
//! mountinfo), its veth, its cgroup trees (from the cgroupfs) and its
//! folders. The planner (`plan`) is then a pure function of those facts,
//! so a test gives it a fake cgroupfs and a mountinfo text and reads the
//! operations back, and `--dry-run rm BOX` prints exactly what `rm` does.
//!
//! The order: the processes are asked to end first, and what holds no
//! process goes while they exit (an init's exit takes about as long as all
//! of it); a cgroup can only be removed once empty, so it waits for them.

use crate::plan::teardown::Target;
use crate::plan::{Op, Plan, op};
use crate::state::{BoxRecord, Root};
use crate::sys::proc::{self, ProcRef};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a box holds on the host, as found when it is to be taken apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeardownFacts {
    /// Its processes (the init, the main process, port proxies, strays).
    pub processes: Vec<Target>,
    /// The outermost mounts below its runtime folder: the holds' tmpfs,
    /// or holds made one by one by an older glassbox.
    pub mounts: Vec<PathBuf>,
    /// The host end of its veth pair, when the record names it (an
    /// interface glassbox did not make is not its to delete).
    pub veth: Option<String>,
    pub runtime_dir: Option<PathBuf>,
    /// Each cgroup tree of the box, deepest folder first.
    pub cgroups: Vec<super::cgroup::remove::Tree>,
    pub box_dir: Option<PathBuf>,
    /// Its bridge, when no other box of the root uses it.
    pub last_on_bridge: Option<String>,
}

/// Finds what the box holds. `cgroupfs` and `proc_root` are the host's
/// (`/sys/fs/cgroup`, `/proc`: the mount table is `<proc>/self/mountinfo`,
/// the processes `<proc>/PID/{cmdline,stat,ns}`) or a test's fixture folders.
pub fn gather(root: &Root, name: &str, record: Option<&BoxRecord>, cgroupfs: &Path, proc_root: &Path) -> TeardownFacts {
    let exists = |p: PathBuf| p.exists().then_some(p);
    let runtime = root.runtime_box_dir(name);
    let points = crate::sys::mounts::mounts_under_in(&crate::sys::mounts::mountinfo_in(proc_root), &runtime);
    TeardownFacts {
        processes: targets(proc_root, &crate::teardown::box_processes(proc_root, root, name, record)),
        mounts: crate::sys::mounts::outermost(&points),
        veth: record.and_then(|r| r.net.as_ref()).map(|n| n.host_veth.clone()),
        runtime_dir: exists(runtime),
        cgroups: cgroup_trees(root, name, record, cgroupfs),
        box_dir: exists(root.box_dir(name)),
        last_on_bridge: last_on_bridge(root, name, record),
    }
}

/// The box's bridge, when no other box of the root uses it. Asked again
/// once the box's record is gone: of boxes removed at once (`compose
/// down`), the last to go then finds no other, and removes the bridge.
pub fn last_on_bridge(root: &Root, name: &str, record: Option<&BoxRecord>) -> Option<String> {
    let bridge = &record?.net.as_ref()?.bridge;
    let others = BoxRecord::list(root).into_iter().filter(|b| b != name);
    let used =
        others.into_iter().any(|b| BoxRecord::load(root, &b).is_ok_and(|r| r.net.is_some_and(|n| &n.bridge == bridge)));
    (!used).then(|| bridge.clone())
}

/// Deleting the bridge the box was the last on.
pub fn plan_bridge(last_on: Option<String>) -> Vec<Op> {
    let why = "the bridge goes with the last box of this root plugged into it".to_string();
    last_on.into_iter().map(|name| Op::from(op::DeleteLink { name, why: why.clone() })).collect()
}

/// The processes as the plan names them: pid, start time, command, read
/// under a /proc root (the host's, or a test's folder).
pub fn targets(proc_root: &Path, procs: &[ProcRef]) -> Vec<Target> {
    let command = |pid| proc::argv_in(proc_root, pid).first().cloned().or_else(|| proc::comm_in(proc_root, pid));
    procs
        .iter()
        .filter(|p| p.alive_in(proc_root))
        .map(|p| Target { pid: p.pid, start_time: p.start_time, command: command(p.pid).unwrap_or_default() })
        .collect()
}

/// The box's cgroup trees: the ones `limit` made and the ones `devices`
/// made. `limit` notes the cgroup in the record before it makes it, so a
/// box whose record names none has none (and the look is skipped).
fn cgroup_trees(
    root: &Root,
    name: &str,
    record: Option<&BoxRecord>,
    cgroupfs: &Path,
) -> Vec<super::cgroup::remove::Tree> {
    if record.is_some_and(|r| r.cgroup.is_none() && r.hardening.devices.is_none()) {
        return vec![];
    }
    let mut tops = super::cgroup::existing_box_dirs(cgroupfs, root, name);
    for d in record.and_then(|r| r.hardening.devices.as_ref()).map(|d| d.cgroups.clone()).unwrap_or_default() {
        if !tops.contains(&d) {
            tops.push(d);
        }
    }
    tops.iter().filter_map(|t| super::cgroup::remove::Tree::find(t)).collect()
}

/// Ending the box's processes: SIGTERM, then SIGKILL after `patience`.
pub fn plan_stop(processes: &[Target], patience: Duration) -> Vec<Op> {
    if processes.is_empty() {
        return vec![];
    }
    vec![
        Op::from(op::Signal { procs: processes.to_vec() }),
        Op::from(op::AwaitEnd { patience_ms: patience.as_millis() as u64 }),
    ]
}

/// Removing everything the box holds, its record last.
pub fn plan_remove(facts: &TeardownFacts, patience: Duration) -> Plan {
    let mut ending = plan_stop(&facts.processes, patience);
    let awaiting = ending.pop();
    let mut ops = ending;
    ops.extend(facts.mounts.iter().map(|m| Op::from(op::Unmount { path: m.clone() })));
    if let Some(veth) = &facts.veth {
        let why = "the host end of the box's veth pair; deleting one end deletes the pair".into();
        ops.push(Op::from(op::DeleteLink { name: veth.clone(), why }));
    }
    if let Some(dir) = &facts.runtime_dir {
        let why = "the box's runtime folder: its holds' mount point and control socket".into();
        ops.push(Op::from(op::RemoveTree { path: dir.clone(), why }));
    }
    ops.extend(awaiting);
    for tree in &facts.cgroups {
        ops.extend(super::cgroup::remove::plan(tree));
    }
    if let Some(dir) = &facts.box_dir {
        let why = "the box's record and container layer (named volumes live elsewhere and stay)".into();
        ops.push(Op::from(op::RemoveTree { path: dir.clone(), why }));
    }
    ops.extend(plan_bridge(facts.last_on_bridge.clone()));
    Plan::new(ops)
}

#[cfg(test)]
#[path = "teardown_tests.rs"]
mod tests;
