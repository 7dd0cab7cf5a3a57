//! What the checks themselves did to a box. A probe runs in the box, so it
//! counts in the box's cgroup like any process of the box: lesson 09's
//! `dd` of 64 MiB is OOM-killed, lesson 10's 50 processes are throttled.
//! Those counters are what other checks read, and a check must never pass
//! on what a check did (else running `lesson check` twice passes a lesson).
//!
//! So the counters are read before and after each probe, and the
//! difference is kept in `<root>/lessons/probe-effects.json`, per box and
//! for as long as that very box exists (its creation time tells a box made
//! again apart). A model check then reads the counters minus what the
//! probes caused: what the learner's own processes did.

use crate::state::{BoxRecord, Root, StateError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The usage counters that only grow (`cgroup.usage.*` in the model).
const COUNTERS: [&str; 5] =
    ["oom_kills", "memory_limit_hits", "cpu_usage_usec", "cpu_throttled_usec", "cpu_throttled_periods"];

/// How long the processes a probe left behind (`sleep 1 &`) may take to
/// end, after which what they do is counted anyway.
const SETTLE: Duration = Duration::from_secs(5);

/// The counters of one box at one moment.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Counters {
    created_at: u64,
    values: BTreeMap<String, u64>,
    pids: Option<u64>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct BoxEffects {
    created_at: u64,
    caused: BTreeMap<String, u64>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Ledger {
    boxes: BTreeMap<String, BoxEffects>,
}

fn path(root: &Root) -> PathBuf {
    root.state.join("lessons").join("probe-effects.json")
}

/// The box's counters now; None when it has no cgroup (nothing to count).
pub fn read(root: &Root, name: &str) -> Option<Counters> {
    let record = BoxRecord::load(root, name).ok()?;
    let cg = record.cgroup.as_ref()?;
    let driver = crate::stage::cgroup::detect(std::path::Path::new(crate::stage::cgroup::DEFAULT_FS)).ok()?;
    let usage = crate::stage::cgroup::usage::read_usage(&driver, &cg.paths);
    let pids = usage.pids;
    let usage = serde_json::to_value(usage).expect("usage serialises");
    let values = COUNTERS.iter().filter_map(|k| Some((k.to_string(), usage.get(k)?.as_u64()?))).collect();
    Some(Counters { created_at: record.created_at, values, pids })
}

/// Waits until the processes a probe left in the box have ended (the pids
/// count is back where it was) and the counters stand still for a while
/// (a throttled process is counted at the end of its period), so what the
/// probe's processes did is all counted as the probe's.
pub fn settle(root: &Root, name: &str, before: &Counters) {
    let deadline = Instant::now() + SETTLE;
    let mut last: Option<Counters> = None;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(150));
        let Some(now) = read(root, name) else { return };
        let ended = before.pids.is_none_or(|b| now.pids.is_none_or(|n| n <= b));
        if ended && last.as_ref().is_some_and(|l| l.values == now.values) {
            return;
        }
        last = Some(now);
    }
}

impl Ledger {
    pub fn load(root: &Root) -> Ledger {
        std::fs::read(path(root)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Saves the ledger, without the boxes that are gone or made again.
    pub fn save(&mut self, root: &Root) -> Result<(), StateError> {
        self.boxes.retain(|name, e| BoxRecord::load(root, name).is_ok_and(|r| r.created_at == e.created_at));
        let p = path(root);
        let dir = p.parent().expect("in a folder");
        std::fs::create_dir_all(dir).map_err(|e| StateError::io(dir, e))?;
        crate::state::record::write_atomic(&p, &serde_json::to_vec_pretty(self).expect("serialises"))
    }

    /// Adds what one probe changed (the same box before and after).
    pub fn record(&mut self, name: &str, before: &Counters, after: &Counters) {
        if before.created_at != after.created_at {
            return;
        }
        let entry = self.boxes.entry(name.to_string()).or_default();
        if entry.created_at != after.created_at {
            *entry = BoxEffects { created_at: after.created_at, caused: BTreeMap::new() };
        }
        for (k, v) in &after.values {
            let grew = v.saturating_sub(before.values.get(k).copied().unwrap_or(*v));
            *entry.caused.entry(k.clone()).or_default() += grew;
        }
    }

    /// The model with the probes' share taken out of `cgroup.usage`.
    pub fn discount(&self, name: &str, model: &mut Value) {
        let created = model.get("created_at").and_then(Value::as_u64);
        let Some(e) = self.boxes.get(name).filter(|e| Some(e.created_at) == created) else { return };
        let Some(usage) = model.pointer_mut("/cgroup/usage").and_then(Value::as_object_mut) else { return };
        for (k, caused) in &e.caused {
            if let Some(v) = usage.get_mut(k).filter(|v| v.is_u64()) {
                *v = Value::from(v.as_u64().unwrap_or(0).saturating_sub(*caused));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(created_at: u64, oom: u64, throttled: u64) -> Counters {
        let values = [("oom_kills".to_string(), oom), ("cpu_throttled_periods".to_string(), throttled)].into();
        Counters { created_at, values, pids: None }
    }

    #[test]
    fn what_probes_caused_is_taken_out_of_the_model() {
        let mut l = Ledger::default();
        l.record("b", &at(7, 0, 3), &at(7, 1, 5));
        l.record("b", &at(7, 1, 5), &at(7, 2, 5));
        let mut m = json!({"created_at": 7, "cgroup": {"usage": {"oom_kills": 3, "cpu_throttled_periods": 4}}});
        l.discount("b", &mut m);
        assert_eq!(m["cgroup"]["usage"], json!({"oom_kills": 1, "cpu_throttled_periods": 2}));
    }

    #[test]
    fn a_box_made_again_starts_from_nothing() {
        let mut l = Ledger::default();
        l.record("b", &at(7, 0, 0), &at(7, 1, 0));
        let mut m = json!({"created_at": 8, "cgroup": {"usage": {"oom_kills": 1}}});
        l.discount("b", &mut m);
        assert_eq!(m["cgroup"]["usage"]["oom_kills"], 1);
        l.record("b", &at(8, 0, 0), &at(8, 1, 0));
        l.discount("b", &mut m);
        assert_eq!(m["cgroup"]["usage"]["oom_kills"], 0);
        l.record("b", &at(8, 0, 0), &at(9, 1, 0));
        assert_eq!(l.boxes["b"].created_at, 8, "a box made again during a probe counts for neither");
    }
}
