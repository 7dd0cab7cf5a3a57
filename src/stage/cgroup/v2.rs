//! cgroup v2 (Documentation/admin-guide/cgroup-v2.rst): one tree, and a
//! controller works in a cgroup only once its parent lists it in
//! `cgroup.subtree_control`. glassbox enables what it needs on the way down
//! to the box's parent, which holds no process itself (the "no internal
//! processes" rule), and puts the box's processes in the box's leaf.

use super::facts::CgroupFacts;
use super::limits::{CPU_PERIOD_US, Limit, Limits};
use super::{CgroupError, format_limit, write};
use crate::plan::Op;
use crate::plan::op;
use std::path::{Path, PathBuf};

const WANTED: [&str; 5] = ["memory", "pids", "cpu", "cpuset", "io"];

/// `+memory +pids …` for the wanted controllers the tree has and this
/// folder does not enable yet (`enabled`).
fn enable(facts: &CgroupFacts, dir: &Path, enabled: &[String]) -> Option<Op> {
    let add: Vec<String> = WANTED
        .iter()
        .filter(|c| facts.available.iter().any(|a| a == *c) && !enabled.iter().any(|e| e == *c))
        .map(|c| format!("+{c}"))
        .collect();
    (!add.is_empty()).then(|| {
        write(dir.join("cgroup.subtree_control"), add.join(" "), "enable these controllers for the cgroups below")
    })
}

pub fn plan_create(facts: &CgroupFacts, fs: &Path, parent: &Path, name: &str) -> Vec<Op> {
    let mut ops: Vec<Op> = enable(facts, fs, &facts.root_enabled).into_iter().collect();
    if facts.parent_enabled.is_none() {
        ops.push(op::MakeCgroup { path: parent.to_path_buf() }.into());
    }
    ops.extend(enable(facts, parent, facts.parent_enabled.as_deref().unwrap_or_default()));
    ops.push(op::MakeCgroup { path: parent.join(name) }.into());
    ops
}

fn require(facts: &CgroupFacts, fs: &Path, controller: &'static str) -> Result<(), CgroupError> {
    if facts.available.iter().any(|c| c == controller) {
        return Ok(());
    }
    Err(CgroupError::Missing {
        controller,
        why: format!("{} does not list it", fs.join("cgroup.controllers").display()),
        fix: "the kernel was built or booted without it; on a VM, boot with systemd.unified_cgroup_hierarchy=1 and check `glassbox doctor`".into(),
    })
}

pub fn plan_limits(facts: &CgroupFacts, dir: &Path, limits: &Limits) -> Result<Vec<Op>, CgroupError> {
    let fs = dir.parent().and_then(Path::parent).unwrap_or(Path::new("/sys/fs/cgroup"));
    let file = |f: &str| -> PathBuf { dir.join(f) };
    let mut ops = vec![];
    if let Some(m) = limits.memory {
        require(facts, fs, "memory")?;
        ops.push(write(
            file("memory.max"),
            format_limit(m, "max"),
            "above this the kernel reclaims, then OOM-kills a process of the box",
        ));
        if limits.memory_swap.is_none() && m != Limit::Max {
            ops.push(
                op::WriteCgroupIfPresent {
                    file: file("memory.swap.max"),
                    value: "0".into(),
                    why: "no swap either, so the memory limit is exact (when swap accounting is on)".into(),
                }
                .into(),
            );
        }
    }
    if let Some(s) = limits.memory_swap {
        require(facts, fs, "memory")?;
        ops.push(write(file("memory.swap.max"), format_limit(s, "max"), "swap the box may use, on top of its memory"));
    }
    if let Some(q) = limits.cpu_quota_us {
        require(facts, fs, "cpu")?;
        let value = format!("{} {CPU_PERIOD_US}", format_limit(q, "max"));
        ops.push(write(
            file("cpu.max"),
            value,
            "microseconds of CPU time per 100 ms period; past it the box is throttled",
        ));
    }
    if let Some(p) = limits.pids {
        require(facts, fs, "pids")?;
        ops.push(write(file("pids.max"), format_limit(p, "max"), "fork() fails with EAGAIN past this many processes"));
    }
    if let Some(c) = &limits.cpuset {
        require(facts, fs, "cpuset")?;
        ops.push(write(file("cpuset.cpus"), c.clone(), "the only CPUs the box's processes may run on"));
    }
    if let Some(w) = limits.io_weight {
        require(facts, fs, "io")?;
        ops.push(write(
            file("io.weight"),
            format!("default {w}"),
            "the box's share of disk time when disks are busy (default 100)",
        ));
    }
    Ok(ops)
}
