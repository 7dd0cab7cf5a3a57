//! cgroup v1 (Documentation/admin-guide/cgroup-v1/): one tree per
//! controller, so a box has a folder in each. Two quirks: a new cpuset
//! cgroup starts with no CPUs and no memory nodes, and processes cannot
//! join it until both are filled in; and memsw (memory + swap) may never be
//! below the memory limit, so the order of writes matters.

use super::facts::CgroupFacts;
use super::limits::{CPU_PERIOD_US, Limit, Limits};
use super::{CgroupError, format_limit, write};
use crate::plan::Op;
use crate::plan::op;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Creating the box's folder in each hierarchy (and the parent's, where
/// missing); a cpuset folder gets its CPUs and memory nodes at once.
pub fn plan_create(facts: &CgroupFacts, parent: &str, name: &str) -> Vec<Op> {
    let mut ops = vec![];
    for h in &facts.hierarchies {
        let dirs = [h.mount.join(parent), h.mount.join(parent).join(name)];
        for dir in dirs.into_iter().skip(usize::from(h.parent_exists)) {
            ops.push(op::MakeCgroup { path: dir.clone() }.into());
            if let Some((cpus, mems)) = &h.cpuset {
                let why = "a new v1 cpuset starts empty; processes can join only once it has CPUs and memory nodes";
                ops.push(write(dir.join("cpuset.cpus"), cpus.clone(), why));
                ops.push(write(dir.join("cpuset.mems"), mems.clone(), why));
            }
        }
    }
    ops
}

fn dir_of<'a>(mounts: &'a BTreeMap<String, PathBuf>, c: &'static str) -> Result<&'a PathBuf, CgroupError> {
    mounts.get(c).ok_or_else(|| CgroupError::Missing {
        controller: c,
        why: "no cgroup v1 hierarchy carries it".into(),
        fix: format!("mount it (mount -t cgroup -o {c} none /sys/fs/cgroup/{c}) or check `glassbox doctor`"),
    })
}

pub fn plan_limits(
    facts: &CgroupFacts,
    mounts: &BTreeMap<String, PathBuf>,
    parent: &str,
    name: &str,
    l: &Limits,
) -> Result<Vec<Op>, CgroupError> {
    let at = |c: &'static str, f: &str| -> Result<PathBuf, CgroupError> {
        Ok(dir_of(mounts, c)?.join(parent).join(name).join(f))
    };
    let mut ops = vec![];
    if l.memory.is_some() || l.memory_swap.is_some() {
        let memsw = at("memory", "memory.memsw.limit_in_bytes")?;
        if facts.swap_counted {
            ops.push(write(
                memsw.clone(),
                "-1".into(),
                "lift memory+swap first: it may never be below the memory limit",
            ));
        }
        if let Some(m) = l.memory {
            let why = "above this the kernel reclaims, then OOM-kills a process of the box";
            ops.push(write(at("memory", "memory.limit_in_bytes")?, format_limit(m, "-1"), why));
        }
        let total = match (l.memory, l.memory_swap) {
            (Some(Limit::Value(m)), None) => Some(Limit::Value(m)),
            (Some(Limit::Value(m)), Some(Limit::Value(s))) => Some(Limit::Value(m + s)),
            // `limit` insists on --memory beside --memory-swap.
            _ => None,
        };
        if let (true, Some(t)) = (facts.swap_counted, total) {
            ops.push(write(
                memsw,
                format_limit(t, "-1"),
                "memory plus swap: equal to the memory limit means no swap, so the limit is exact",
            ));
        }
    }
    if let Some(q) = l.cpu_quota_us {
        ops.push(write(at("cpu", "cpu.cfs_period_us")?, CPU_PERIOD_US.to_string(), "the accounting period: 100 ms"));
        ops.push(write(
            at("cpu", "cpu.cfs_quota_us")?,
            format_limit(q, "-1"),
            "microseconds of CPU time per period; past it the box is throttled",
        ));
    }
    if let Some(p) = l.pids {
        ops.push(write(
            at("pids", "pids.max")?,
            format_limit(p, "max"),
            "fork() fails with EAGAIN past this many processes",
        ));
    }
    if let Some(c) = &l.cpuset {
        ops.push(write(at("cpuset", "cpuset.cpus")?, c.clone(), "the only CPUs the box's processes may run on"));
    }
    if let Some(w) = l.io_weight {
        dir_of(mounts, "blkio")?;
        let file = facts.blkio_weight.ok_or_else(|| CgroupError::Missing {
            controller: "blkio",
            why: "it has no weight file: the disks' I/O scheduler does not do proportional weights".into(),
            fix: "use the bfq scheduler (echo bfq > /sys/block/DISK/queue/scheduler) or leave --io-weight out".into(),
        })?;
        // v1 weights run from 10 to 1000; v2's 1..10000 maps down by ten.
        let v = (w / 10).clamp(10, 1000);
        ops.push(write(at("blkio", file)?, v.to_string(), "the box's share of disk time (v1 scale 10..1000)"));
    }
    Ok(ops)
}
