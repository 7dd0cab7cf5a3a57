//! cgroup v2 (Documentation/admin-guide/cgroup-v2.rst): one tree, and a
//! controller works in a cgroup only once its parent lists it in
//! `cgroup.subtree_control`. glassbox enables what it needs on the way down
//! to the box's parent, which holds no process itself (the "no internal
//! processes" rule), and puts the box's processes in the box's leaf.

use super::limits::{CPU_PERIOD_US, Limit, Limits};
use super::{CgroupError, format_limit, write};
use crate::plan::Op;
use crate::plan::op;
use std::path::{Path, PathBuf};

const WANTED: [&str; 5] = ["memory", "pids", "cpu", "cpuset", "io"];

fn listed(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file).unwrap_or_default().split_whitespace().map(String::from).collect()
}

/// `+memory +pids …` for the wanted controllers the tree has and this
/// folder does not enable yet.
fn enable(fs: &Path, dir: &Path, exists: bool) -> Option<Op> {
    let available = listed(&fs.join("cgroup.controllers"));
    let enabled = if exists { listed(&dir.join("cgroup.subtree_control")) } else { vec![] };
    let add: Vec<String> = WANTED
        .iter()
        .filter(|c| available.iter().any(|a| a == *c) && !enabled.iter().any(|e| e == *c))
        .map(|c| format!("+{c}"))
        .collect();
    (!add.is_empty()).then(|| {
        write(dir.join("cgroup.subtree_control"), add.join(" "), "enable these controllers for the cgroups below")
    })
}

pub fn plan_create(fs: &Path, parent: &Path, name: &str) -> Vec<Op> {
    let mut ops: Vec<Op> = enable(fs, fs, true).into_iter().collect();
    let parent_exists = parent.exists();
    if !parent_exists {
        ops.push(op::MakeCgroup { path: parent.to_path_buf() }.into());
    }
    ops.extend(enable(fs, parent, parent_exists));
    ops.push(op::MakeCgroup { path: parent.join(name) }.into());
    ops
}

fn require(fs: &Path, controller: &'static str) -> Result<(), CgroupError> {
    if listed(&fs.join("cgroup.controllers")).iter().any(|c| c == controller) {
        return Ok(());
    }
    Err(CgroupError::Missing {
        controller,
        why: format!("{} does not list it", fs.join("cgroup.controllers").display()),
        fix: "the kernel was built or booted without it; on a VM, boot with systemd.unified_cgroup_hierarchy=1 and check `glassbox doctor`".into(),
    })
}

pub fn plan_limits(dir: &Path, limits: &Limits) -> Result<Vec<Op>, CgroupError> {
    let fs = dir.parent().and_then(Path::parent).unwrap_or(Path::new("/sys/fs/cgroup"));
    let file = |f: &str| -> PathBuf { dir.join(f) };
    let mut ops = vec![];
    if let Some(m) = limits.memory {
        require(fs, "memory")?;
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
        require(fs, "memory")?;
        ops.push(write(file("memory.swap.max"), format_limit(s, "max"), "swap the box may use, on top of its memory"));
    }
    if let Some(q) = limits.cpu_quota_us {
        require(fs, "cpu")?;
        let value = format!("{} {CPU_PERIOD_US}", format_limit(q, "max"));
        ops.push(write(
            file("cpu.max"),
            value,
            "microseconds of CPU time per 100 ms period; past it the box is throttled",
        ));
    }
    if let Some(p) = limits.pids {
        require(fs, "pids")?;
        ops.push(write(file("pids.max"), format_limit(p, "max"), "fork() fails with EAGAIN past this many processes"));
    }
    if let Some(c) = &limits.cpuset {
        require(fs, "cpuset")?;
        ops.push(write(file("cpuset.cpus"), c.clone(), "the only CPUs the box's processes may run on"));
    }
    if let Some(w) = limits.io_weight {
        require(fs, "io")?;
        ops.push(write(
            file("io.weight"),
            format!("default {w}"),
            "the box's share of disk time when disks are busy (default 100)",
        ));
    }
    Ok(ops)
}
