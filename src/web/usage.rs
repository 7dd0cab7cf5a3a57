//! Usage over time: what the box's cgroup counters said each second while
//! a page showed the box, kept in memory by `serve` for the last minutes
//! (never written anywhere), and sent to the page as it comes.

use super::lang::{number, t};
use super::words::tr;
use crate::stage::cgroup::usage::Usage;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Samples kept per box: five minutes at one a second.
pub const KEEP: usize = 300;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sample {
    #[serde(rename = "box")]
    pub box_name: String,
    /// Milliseconds since the epoch.
    pub at: u64,
    pub memory: Option<u64>,
    pub memory_limit: Option<u64>,
    /// CPUs used since the sample before (1.0 = one core busy).
    pub cpu: Option<f64>,
    pub cpu_limit: Option<f64>,
    /// The cgroup's CPU time so far, to compute the next rate from.
    pub cpu_usec: Option<u64>,
    pub pids: Option<u64>,
    pub pids_limit: Option<u64>,
    pub oom_kills: Option<u64>,
    pub memory_limit_hits: Option<u64>,
    pub throttled_periods: Option<u64>,
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// A sample of `usage` taken at `at`; the CPU rate from the one before.
pub fn sample(name: &str, u: &Usage, before: Option<&Sample>, at: u64) -> Sample {
    let cpu = before.and_then(|b| {
        let secs = at.checked_sub(b.at)? as f64 / 1000.0;
        let used = u.cpu_usage_usec?.checked_sub(b.cpu_usec?)?;
        (secs > 0.05).then(|| used as f64 / 1e6 / secs)
    });
    Sample {
        box_name: name.to_string(),
        at,
        memory: u.memory_bytes,
        memory_limit: u.memory_limit_bytes,
        cpu,
        cpu_limit: u.cpu_quota_usec.map(crate::stage::cgroup::limits::quota_cpus),
        cpu_usec: u.cpu_usage_usec,
        pids: u.pids,
        pids_limit: u.pids_limit,
        oom_kills: u.oom_kills,
        memory_limit_hits: u.memory_limit_hits,
        throttled_periods: u.cpu_throttled_periods,
    }
}

#[derive(Default)]
pub struct History(Mutex<HashMap<String, VecDeque<Sample>>>);

impl History {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Sample>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a new reading of the box; the sample it made.
    pub fn record(&self, name: &str, u: &Usage) -> Sample {
        let mut all = self.lock();
        let samples = all.entry(name.to_string()).or_default();
        let s = sample(name, u, samples.back(), now_ms());
        if samples.len() == KEEP {
            samples.pop_front();
        }
        samples.push_back(s.clone());
        s
    }

    pub fn of(&self, name: &str) -> Vec<Sample> {
        self.lock().get(name).map(|s| s.iter().cloned().collect()).unwrap_or_default()
    }

    pub fn last(&self, name: &str) -> Option<Sample> {
        self.lock().get(name).and_then(|s| s.back().cloned())
    }

    pub fn forget(&self, name: &str) {
        self.lock().remove(name);
    }
}

/// One meter: what is used, of what is allowed (`<meter>` needs numbers).
pub struct Meter {
    /// `memory`, `cpu` or `pids`: the page finds it by this to update it.
    pub key: &'static str,
    pub label: String,
    pub used: String,
    pub limit: String,
    pub value: f64,
    /// None: no limit, so nothing to fill.
    pub max: Option<f64>,
    pub hot: bool,
}

fn meter(key: &'static str, label: String, used: Option<f64>, max: Option<f64>, fmt: &dyn Fn(f64) -> String) -> Meter {
    let value = used.unwrap_or(0.0);
    Meter {
        key,
        label,
        used: used.map_or("-".into(), fmt),
        limit: max.map_or_else(|| t("web-no-limit"), fmt),
        value,
        max: max.filter(|m| *m > 0.0),
        hot: max.is_some_and(|m| m > 0.0 && value / m >= 0.9),
    }
}

/// A counter with what it counts, in words a learner can check.
pub struct Counter {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    pub explained: String,
}

pub struct CgroupView {
    pub version: String,
    pub layout: String,
    pub paths: Vec<String>,
    pub meters: Vec<Meter>,
    pub counters: Vec<Counter>,
    /// The last minutes, as JSON for the page's charts.
    pub samples: String,
}

fn bytes(v: f64) -> String {
    crate::model::format::human(v as u64)
}

/// `cpu_rate` is the box's CPU use over the last interval, in CPUs, when known.
pub fn cgroup_view(m: &crate::model::BoxModel, cpu_rate: Option<f64>, samples: &[Sample]) -> Option<CgroupView> {
    let cg = m.cgroup.as_ref()?;
    let u = &cg.usage;
    let n = |v: Option<u64>| v.map_or("-".to_string(), |v| number(&(v as usize)));
    let secs = |v: Option<u64>, places: usize| {
        v.map_or("-".into(), |v| tr("web-seconds", &[("n", format!("{:.*}", places, v as f64 / 1e6))]))
    };
    let counter = |key: &'static str, id: &str, value: String| Counter {
        key,
        label: t(id),
        value,
        explained: t(&format!("{id}-why")),
    };
    let f = |v: Option<u64>| v.map(|v| v as f64);
    let quota = u.cpu_quota_usec.map(crate::stage::cgroup::limits::quota_cpus);
    Some(CgroupView {
        version: cg.version.clone(),
        layout: super::words::layout(&format!("{:?}", cg.layout).to_lowercase(), cg.layout_explained),
        paths: cg.paths.clone(),
        meters: vec![
            meter("memory", t("web-meter-memory"), f(u.memory_bytes), f(u.memory_limit_bytes), &bytes),
            meter("cpu", t("web-meter-cpu"), cpu_rate, quota, &|v| tr("web-cpus", &[("n", format!("{v:.2}"))])),
            meter("pids", t("web-meter-pids"), f(u.pids), f(u.pids_limit), &|v| number(&(v.round() as usize))),
        ],
        counters: vec![
            counter("oom_kills", "web-counter-oom-kills", n(u.oom_kills)),
            counter("memory_limit_hits", "web-counter-limit-hits", n(u.memory_limit_hits)),
            counter(
                "memory_peak",
                "web-counter-peak",
                u.memory_peak_bytes.map_or("-".into(), crate::model::format::human),
            ),
            counter("cpu_time", "web-counter-cpu-time", secs(u.cpu_usage_usec, 2)),
            counter("throttled_periods", "web-counter-throttled-periods", n(u.cpu_throttled_periods)),
            counter("throttled_time", "web-counter-throttled-time", secs(u.cpu_throttled_usec, 3)),
        ],
        samples: serde_json::to_string(samples).unwrap_or_else(|_| "[]".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_rate_is_cpu_time_over_wall_time_between_two_samples() {
        let mut u = Usage { cpu_usage_usec: Some(1_000_000), ..Usage::default() };
        let first = sample("b", &u, None, 10_000);
        assert_eq!(first.cpu, None, "one reading gives no rate");
        u.cpu_usage_usec = Some(1_500_000);
        let second = sample("b", &u, Some(&first), 11_000);
        assert_eq!(second.cpu, Some(0.5));
    }
}
