//! `deploy.update_config`, which replicas are out of date, and the record
//! of a service's last rolling update (what `compose ps` shows).
//!
//! A replica is out of date when its box runs another image than the file
//! names, or the same name whose layers changed since (a `build` again).
//! The record (`state::rollout`) lives in the project's state under the root,
//! `compose/PROJECT/SERVICE.rollout.json`, removed by `compose down` and `reset`.

use super::ComposeError;
use super::hosts::{members, service_of};
use super::plan::Known;
use super::project::Project;
use super::resolve::{duration, scalar_text};
use super::spec;
use crate::state::{BoxRecord, Root};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// An old replica drains and stops, then its successor starts (Compose's default).
    StopFirst,
    /// The successor starts and passes its healthcheck, then the old one drains and stops.
    StartFirst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    /// Put the old image back on every replica (glassbox's default).
    Rollback,
    /// Stop where it is: some replicas new, the rest old.
    Pause,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UpdateConfig {
    /// Replicas replaced at a time (0 in the file: all at once).
    pub parallelism: usize,
    pub delay: Duration,
    pub order: Order,
    pub on_failure: OnFailure,
}

impl Default for UpdateConfig {
    fn default() -> Self {
        UpdateConfig { parallelism: 1, delay: Duration::ZERO, order: Order::StopFirst, on_failure: OnFailure::Rollback }
    }
}

/// The service's `deploy.update_config`, checked.
pub fn config(name: &str, s: &spec::Service) -> Result<UpdateConfig, ComposeError> {
    let bad =
        |key: &str, what: String| ComposeError::Bad(format!("services.{name}.deploy.update_config.{key}: {what}"));
    let mut c = UpdateConfig::default();
    let Some(u) = s.deploy.as_ref().and_then(|d| d.update_config.as_ref()) else { return Ok(c) };
    if let Some(p) = &u.parallelism {
        let n: usize =
            scalar_text(p).parse().map_err(|_| bad("parallelism", "give a number (0: all at once)".into()))?;
        c.parallelism = if n == 0 { usize::MAX } else { n };
    }
    if let Some(d) = &u.delay {
        c.delay = duration(d).map_err(|e| bad("delay", e))?;
    }
    c.order = match u.order.as_deref() {
        None | Some("stop-first") => Order::StopFirst,
        Some("start-first") => Order::StartFirst,
        Some(o) => return Err(bad("order", format!("{o:?}: give stop-first or start-first"))),
    };
    c.on_failure = match u.failure_action.as_deref() {
        None | Some("rollback") => OnFailure::Rollback,
        Some("pause") => OnFailure::Pause,
        Some(a) => {
            return Err(bad(
                "failure_action",
                format!(
                    "{a:?}: glassbox rolls back or pauses (`continue` would keep a replica that failed its healthcheck)"
                ),
            ));
        }
    };
    Ok(c)
}

/// A service whose replicas are out of date: the boxes and the image each runs.
#[derive(Debug, Clone)]
pub struct Pending {
    pub service: String,
    pub old: Vec<(String, String)>,
}

/// Whether the box runs what the file names now.
pub fn current(r: &BoxRecord, image: &str, layers: Option<&[String]>) -> bool {
    crate::state::rollout::runs(r, image, layers)
}

/// The services (of `only`, or all) with replicas out of date.
pub fn pending(root: &Root, p: &Project, only: &[String], known: &dyn Known) -> Vec<Pending> {
    let boxes = members(root, &p.name);
    let mut out = vec![];
    for s in p.services.values().filter(|s| only.is_empty() || only.contains(&s.name)) {
        let layers = known.image_layers(&s.image);
        let mut old: Vec<(u32, String, String)> = boxes
            .iter()
            .filter(|r| service_of(&p.name, &r.name) == s.name && !current(r, &s.image, layers.as_deref()))
            .map(|r| (number(&r.name), r.name.clone(), r.image.clone().unwrap_or_default()))
            .collect();
        old.sort();
        if !old.is_empty() {
            let old = old.into_iter().map(|(_, b, i)| (b, i)).collect();
            out.push(Pending { service: s.name.clone(), old });
        }
    }
    out
}

/// A replica's number, PROJECT-SERVICE-N → N.
pub fn number(name: &str) -> u32 {
    name.rsplit_once('-').and_then(|(_, n)| n.parse().ok()).unwrap_or(0)
}

pub use crate::state::rollout::Record;

/// Writes the record; a failure to is said, and the update goes on.
pub fn save(record: &Record, root: &Root, project: &str) {
    if let Err(e) = record.save(root, project) {
        let what = crate::i18n::tr!("warning-rollout-not-written", service = record.service, error = e.to_string());
        crate::output::warning(&what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(update: &str) -> spec::Service {
        let text = format!("image: busybox\ndeploy:\n  update_config:\n{update}");
        serde_norway::from_str(&text).unwrap()
    }

    #[test]
    fn update_config_as_compose_writes_it() {
        assert_eq!(config("web", &spec::Service::default()).unwrap(), UpdateConfig::default());
        let c = config(
            "web",
            &service("    parallelism: 0\n    delay: 2s\n    order: start-first\n    failure_action: pause\n"),
        )
        .unwrap();
        assert_eq!(
            c,
            UpdateConfig {
                parallelism: usize::MAX,
                delay: Duration::from_secs(2),
                order: Order::StartFirst,
                on_failure: OnFailure::Pause
            }
        );
        let bad = config("web", &service("    failure_action: continue\n")).unwrap_err().to_string();
        assert!(bad.starts_with("services.web.deploy.update_config.failure_action: \"continue\""), "{bad}");
        assert!(config("web", &service("    parallelism: two\n")).is_err());
    }
}
