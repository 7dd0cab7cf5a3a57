//! A compose service's rolling update as the web page shows it: the phase
//! its record says (`state::rollout`), and each replica with the image it
//! runs (the old one or the new one) and where it stands: starting,
//! healthy, unhealthy, draining out of the pool, stopped.
//!
//! Nothing here looks at the compose file: old and new are what the
//! update's record names (`from`, `to`), so the page, which knows no file,
//! tells them apart as `compose ps` does. Replica states come from the box
//! record, the health its project's supervisor recorded, and the pool.

use crate::pool::MemberState;
use crate::state::health::{Health, Status};
use crate::state::rollout::Record;
use crate::state::{BoxRecord, BoxState, Root};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RolloutModel {
    pub project: String,
    pub service: String,
    /// The images the replicas ran before.
    pub from: Vec<String>,
    pub to: String,
    /// rolling, done, rolling back, rolled back, rollback failed, paused.
    pub phase: String,
    /// Why it rolled back or paused.
    pub reason: Option<String>,
    /// The service's replicas now, by number.
    pub replicas: Vec<ReplicaModel>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReplicaModel {
    pub name: String,
    pub image: Option<String>,
    pub age: Age,
    pub state: ReplicaState,
}

/// Whether a replica runs the image the update goes to.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Age {
    Old,
    New,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ReplicaState {
    /// Being made, or running and its healthcheck not passed yet.
    Starting,
    Healthy,
    Unhealthy,
    /// Running, no healthcheck, serving in the pool.
    Serving,
    /// Running, no healthcheck, in no pool.
    Running,
    /// Out of the pool for new connections, its open ones finishing.
    Draining,
    /// Out of the pool.
    Out,
    Stopped,
}

impl ReplicaState {
    pub fn name(self) -> &'static str {
        match self {
            ReplicaState::Starting => "starting",
            ReplicaState::Healthy => "healthy",
            ReplicaState::Unhealthy => "unhealthy",
            ReplicaState::Serving => "serving",
            ReplicaState::Running => "running",
            ReplicaState::Draining => "draining",
            ReplicaState::Out => "out",
            ReplicaState::Stopped => "stopped",
        }
    }

    /// Where a replica stands: draining first (it is on its way out), then
    /// its health, then its place in the pool.
    pub fn of(state: BoxState, health: Option<Status>, member: Option<MemberState>) -> ReplicaState {
        match (state, member, health) {
            (BoxState::Stopped, ..) => ReplicaState::Stopped,
            (BoxState::Created, ..) => ReplicaState::Starting,
            (_, Some(MemberState::Draining), _) => ReplicaState::Draining,
            (_, _, Some(Status::Starting)) => ReplicaState::Starting,
            (_, _, Some(Status::Healthy)) => ReplicaState::Healthy,
            (_, _, Some(Status::Unhealthy)) => ReplicaState::Unhealthy,
            (_, Some(MemberState::Serving), None) => ReplicaState::Serving,
            (_, Some(MemberState::Out), None) => ReplicaState::Out,
            (_, None, None) => ReplicaState::Running,
        }
    }
}

/// The replica's number when the box is one of the service's (`PROJECT-SERVICE-N`).
fn number(project: &str, service: &str, name: &str) -> Option<u32> {
    name.strip_prefix(&format!("{project}-{service}-"))?.parse().ok()
}

/// The rollouts recorded for the projects of these boxes, by project then service.
pub fn collect(root: &Root, records: &[&BoxRecord]) -> Vec<RolloutModel> {
    let mut projects: Vec<&str> = records.iter().filter_map(|r| r.project.as_deref()).collect();
    projects.sort();
    projects.dedup();
    let pools = crate::pool::all(root);
    let member = |name: &str| pools.iter().flat_map(|p| &p.members).find(|m| m.name == name).map(|m| m.state);
    let mut out = vec![];
    for project in projects {
        for rec in Record::all(root, project) {
            let mut mine: Vec<(u32, &BoxRecord)> = records
                .iter()
                .filter(|r| r.project.as_deref() == Some(project))
                .filter_map(|r| number(project, &rec.service, &r.name).map(|n| (n, *r)))
                .collect();
            mine.sort_by_key(|(n, _)| *n);
            let replicas = mine
                .into_iter()
                .map(|(_, r)| ReplicaModel {
                    name: r.name.clone(),
                    image: r.image.clone(),
                    age: if rec.is_new(r) { Age::New } else { Age::Old },
                    state: ReplicaState::of(
                        r.state(),
                        Health::load(root, Some(project), &r.name).and_then(|h| h.status),
                        member(&r.name),
                    ),
                })
                .collect();
            out.push(RolloutModel {
                project: project.to_string(),
                service: rec.service,
                from: rec.from,
                to: rec.to,
                phase: rec.state,
                reason: rec.reason,
                replicas,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_on_its_way_out_is_draining_whatever_its_health() {
        use ReplicaState as R;
        let of = ReplicaState::of;
        assert_eq!(of(BoxState::Running, Some(Status::Healthy), Some(MemberState::Draining)), R::Draining);
        assert_eq!(of(BoxState::Running, Some(Status::Healthy), Some(MemberState::Serving)), R::Healthy);
        assert_eq!(of(BoxState::Running, Some(Status::Starting), None), R::Starting);
        assert_eq!(of(BoxState::Running, Some(Status::Unhealthy), Some(MemberState::Out)), R::Unhealthy);
        assert_eq!(of(BoxState::Running, None, Some(MemberState::Serving)), R::Serving);
        assert_eq!(of(BoxState::Running, None, None), R::Running);
        assert_eq!(of(BoxState::Created, None, None), R::Starting);
        assert_eq!(of(BoxState::Stopped, Some(Status::Healthy), Some(MemberState::Serving)), R::Stopped);
    }

    #[test]
    fn only_the_service_s_own_numbered_boxes_are_its_replicas() {
        assert_eq!(number("shop", "web", "shop-web-3"), Some(3));
        assert_eq!(number("shop", "web", "shop-web-2-1"), None, "service web-2's replica");
        assert_eq!(number("shop", "web", "shop-db-1"), None);
    }
}
