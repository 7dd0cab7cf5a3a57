//! cgroup v1 (Documentation/admin-guide/cgroup-v1/): one tree per
//! controller, so a box has a folder in each. Two quirks: a new cpuset
//! cgroup starts with no CPUs and no memory nodes, and processes cannot
//! join it until both are filled in; and memsw (memory + swap) may never be
//! below the memory limit, so the order of writes matters.

use super::limits::{CPU_PERIOD_US, Limit, Limits};
use super::{CgroupError, format_limit, write};
use crate::plan::Op;
use crate::plan::op;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn unique_dirs(mounts: &BTreeMap<String, PathBuf>) -> Vec<(String, PathBuf)> {
    let mut seen: Vec<PathBuf> = vec![];
    let mut out = vec![];
    for (c, m) in mounts {
        if !seen.contains(m) {
            seen.push(m.clone());
            out.push((c.clone(), m.clone()));
        }
    }
    out
}

fn cpuset_init(mount: &Path, dir: &Path) -> Vec<Op> {
    ["cpuset.cpus", "cpuset.mems"]
        .iter()
        .map(|f| {
            let value = std::fs::read_to_string(mount.join(f)).unwrap_or_default().trim().to_string();
            write(
                dir.join(f),
                value,
                "a new v1 cpuset starts empty; processes can join only once it has CPUs and memory nodes",
            )
        })
        .collect()
}

pub fn plan_create(mounts: &BTreeMap<String, PathBuf>, parent: &str, name: &str) -> Vec<Op> {
    let mut ops = vec![];
    for (_, mount) in unique_dirs(mounts) {
        let is_cpuset = mount.join("cpuset.cpus").exists();
        for dir in [mount.join(parent), mount.join(parent).join(name)] {
            if dir.exists() && dir.ends_with(parent) {
                continue;
            }
            ops.push(op::MakeCgroup { path: dir.clone() }.into());
            if is_cpuset {
                ops.extend(cpuset_init(&mount, &dir));
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
        let swap_counted = mounts["memory"].join("memory.memsw.limit_in_bytes").exists();
        if swap_counted {
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
        if let (true, Some(t)) = (swap_counted, total) {
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
        let blkio = dir_of(mounts, "blkio")?;
        let file =
            ["blkio.weight", "blkio.bfq.weight"].into_iter().find(|f| blkio.join(f).exists()).ok_or_else(|| {
                CgroupError::Missing {
                    controller: "blkio",
                    why: "it has no weight file: the disks' I/O scheduler does not do proportional weights".into(),
                    fix: "use the bfq scheduler (echo bfq > /sys/block/DISK/queue/scheduler) or leave --io-weight out"
                        .into(),
                }
            })?;
        // v1 weights run from 10 to 1000; v2's 1..10000 maps down by ten.
        let v = (w / 10).clamp(10, 1000);
        ops.push(write(at("blkio", file)?, v.to_string(), "the box's share of disk time (v1 scale 10..1000)"));
    }
    Ok(ops)
}
