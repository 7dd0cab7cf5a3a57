//! Reading back what a box uses, from the kernel's own counters: these are
//! the numbers `stats`, `inspect` and the web page's gauges show.

use super::CgroupDriver;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct Usage {
    pub memory_bytes: Option<u64>,
    pub memory_peak_bytes: Option<u64>,
    /// None: no limit.
    pub memory_limit_bytes: Option<u64>,
    /// Processes the kernel killed for going over the memory limit.
    pub oom_kills: Option<u64>,
    /// How often the memory limit was hit (v1 failcnt, v2 `max` events).
    pub memory_limit_hits: Option<u64>,
    pub cpu_usage_usec: Option<u64>,
    pub cpu_throttled_usec: Option<u64>,
    pub cpu_throttled_periods: Option<u64>,
    pub cpu_quota_usec: Option<u64>,
    pub pids: Option<u64>,
    pub pids_limit: Option<u64>,
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok().map(|s| s.trim().to_string())
}

fn number(path: &Path) -> Option<u64> {
    read(path)?.parse().ok()
}

/// A limit file: a number, or none for "max" / -1 / a v1 "unlimited" value.
fn limit(path: &Path) -> Option<u64> {
    let v: u64 = read(path)?.split_whitespace().next()?.parse().ok()?;
    (v < (1 << 62)).then_some(v)
}

/// `key value` lines (memory.events, cpu.stat, memory.oom_control).
fn keyed(path: &Path, key: &str) -> Option<u64> {
    read(path)?.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok())
}

pub fn read_usage(driver: &CgroupDriver, paths: &[std::path::PathBuf]) -> Usage {
    match driver {
        CgroupDriver::V2 { .. } => {
            let d = &paths[0];
            Usage {
                memory_bytes: number(&d.join("memory.current")),
                memory_peak_bytes: number(&d.join("memory.peak")),
                memory_limit_bytes: limit(&d.join("memory.max")),
                oom_kills: keyed(&d.join("memory.events"), "oom_kill"),
                memory_limit_hits: keyed(&d.join("memory.events"), "max"),
                cpu_usage_usec: keyed(&d.join("cpu.stat"), "usage_usec"),
                cpu_throttled_usec: keyed(&d.join("cpu.stat"), "throttled_usec"),
                cpu_throttled_periods: keyed(&d.join("cpu.stat"), "nr_throttled"),
                cpu_quota_usec: limit(&d.join("cpu.max")),
                pids: number(&d.join("pids.current")),
                pids_limit: limit(&d.join("pids.max")),
            }
        }
        CgroupDriver::V1 { .. } => {
            let find = |f: &str| paths.iter().map(|p| p.join(f)).find(|p| p.exists());
            let get = |f: &str| find(f).and_then(|p| number(&p));
            let lim = |f: &str| find(f).and_then(|p| limit(&p));
            let key = |f: &str, k: &str| find(f).and_then(|p| keyed(&p, k));
            Usage {
                memory_bytes: get("memory.usage_in_bytes"),
                memory_peak_bytes: get("memory.max_usage_in_bytes"),
                memory_limit_bytes: lim("memory.limit_in_bytes"),
                oom_kills: key("memory.oom_control", "oom_kill"),
                memory_limit_hits: get("memory.failcnt"),
                cpu_usage_usec: get("cpuacct.usage").map(|ns| ns / 1000),
                cpu_throttled_usec: key("cpu.stat", "throttled_time").map(|ns| ns / 1000),
                cpu_throttled_periods: key("cpu.stat", "nr_throttled"),
                cpu_quota_usec: find("cpu.cfs_quota_us")
                    .and_then(|p| read(&p)?.parse::<i64>().ok())
                    .and_then(|q| u64::try_from(q).ok()),
                pids: get("pids.current"),
                pids_limit: lim("pids.max"),
            }
        }
    }
}
