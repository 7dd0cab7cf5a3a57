//! What each step changed: the model's facts before and after it.
//!
//! A step's record says what it did (its operations); what the kernel then
//! held is only known by looking. `serve` looks at a box whenever its record
//! changes (the watcher) or a page shows it, and keeps the facts it saw,
//! keyed by how many steps the box had then. The difference between the
//! facts at N-1 steps and at N steps is what step N changed: `uts inode
//! 4026531838 → 4026532301`, a new mount, a new limit, a new layer. Steps
//! made before `serve` started have no "before", and say so.

use super::views::limits_parts;
use crate::model::BoxModel;
use crate::model::format::short;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// What the model showed, as name → value lines.
pub type Facts = BTreeMap<String, String>;

/// Steps remembered per box (a long lesson is far fewer).
const KEEP: usize = 500;

pub fn facts(m: &BoxModel) -> Facts {
    let mut f = Facts::new();
    f.insert("state".into(), m.state.to_string());
    for n in &m.namespaces {
        let inode = n.inode.map_or("-".into(), |i| i.to_string());
        let whose = if n.isolated { "its own" } else { "the host's" };
        f.insert(format!("{} namespace", n.kind.name()), format!("{inode} ({whose})"));
    }
    if let Some(h) = &m.hostname {
        f.insert("hostname".into(), h.clone());
    }
    if let Some(u) = &m.user_map {
        f.insert("user map".into(), format!("0..{} inside = {}.. on the host", u.count, u.outside));
    }
    if let Some(cg) = &m.cgroup {
        f.insert("cgroup".into(), cg.paths.join(" "));
        for (k, v) in limits_parts(&cg.limits) {
            f.insert(format!("{k} limit"), v);
        }
    }
    if let Some(s) = &m.rootfs {
        let layers: Vec<String> = s
            .layers
            .iter()
            .map(|l| format!("{} {}", l.made_by, l.digest.as_deref().map(short).unwrap_or_else(|| "(writable)".into())))
            .collect();
        f.insert("layers".into(), layers.join(", "));
        f.insert("root filesystem".into(), if s.mounted { "mounted, pivot_root done" } else { "not mounted" }.into());
    }
    for v in &m.volumes {
        f.insert(format!("volume {}", v.target), format!("{}{}", v.host_path, if v.read_only { " (ro)" } else { "" }));
    }
    for mount in &m.mounts {
        let ro = if mount.read_only { " ro" } else { "" };
        f.insert(format!("mount {}", mount.target), format!("{} {}{ro}", mount.fstype, mount.source));
    }
    if let Some(n) = &m.network {
        f.insert("address".into(), n.address.clone());
        for p in &n.published {
            f.insert(format!("port {p}"), "published".into());
        }
    }
    f.insert("processes".into(), m.processes.len().to_string());
    f
}

/// One line of a difference: `before` or `after` is empty where the fact was not there.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffLine {
    pub what: String,
    pub before: String,
    pub after: String,
}

pub fn diff(before: &Facts, after: &Facts) -> Vec<DiffLine> {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| DiffLine {
            what: k.clone(),
            before: before.get(k).cloned().unwrap_or_default(),
            after: after.get(k).cloned().unwrap_or_default(),
        })
        .collect()
}

#[derive(Default)]
pub struct Snapshots(Mutex<HashMap<String, BTreeMap<usize, Facts>>>);

impl Snapshots {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, BTreeMap<usize, Facts>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps what the model shows now, unless this step count was seen already.
    pub fn note(&self, m: &BoxModel) {
        let mut all = self.lock();
        let seen = all.entry(m.name.clone()).or_default();
        seen.entry(m.steps.len()).or_insert_with(|| facts(m));
        while seen.len() > KEEP {
            seen.pop_first();
        }
    }

    /// What step `n` changed, when the facts before and after it were seen.
    pub fn changes(&self, name: &str, n: usize) -> Option<Vec<DiffLine>> {
        let all = self.lock();
        let seen = all.get(name)?;
        let before = if n == 1 { Facts::new() } else { seen.get(&(n - 1))?.clone() };
        Some(diff(&before, seen.get(&n)?))
    }

    pub fn forget(&self, name: &str) {
        self.lock().remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_names_what_changed_and_nothing_else() {
        let before =
            Facts::from([("uts namespace".into(), "1 (the host's)".into()), ("state".into(), "created".into())]);
        let mut after = before.clone();
        after.insert("uts namespace".into(), "2 (its own)".into());
        after.insert("hostname".into(), "inside".into());
        let d = diff(&before, &after);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0], DiffLine { what: "hostname".into(), before: "".into(), after: "inside".into() });
        assert_eq!(d[1].before, "1 (the host's)");
    }
}
