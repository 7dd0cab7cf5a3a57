//! `compose down`: every box of the project `rm --force`d (in parallel), and
//! with `-v` its named volumes; and `scale`'s removal of extra replicas.

use super::ComposeError;
use super::hosts::{members, service_of};
use super::runner::Steps;
use crate::state::Root;

/// Removes boxes in parallel; the first error, after trying them all.
pub fn remove(steps: &Steps, boxes: &[String]) -> Result<(), ComposeError> {
    let results: Vec<Result<(), ComposeError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = boxes
            .iter()
            .map(|b| scope.spawn(move || steps.step(b, &["rm".into(), "--force".into(), b.clone()]).map(|_| ())))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(ComposeError::Failed("rm panicked".into()))))
            .collect()
    });
    results.into_iter().collect::<Result<Vec<()>, _>>().map(|_| ())
}

/// Removes the project's boxes (and the volumes given); how many boxes went.
pub fn down(root: &Root, project: &str, volumes: &[String], steps: &Steps) -> Result<usize, ComposeError> {
    // First, so that nothing restarts a box while it goes.
    super::supervisor::stop(root, project);
    let boxes: Vec<String> = members(root, project).into_iter().map(|r| r.name).collect();
    let existing: Vec<&String> = volumes.iter().filter(|v| crate::volume::exists(root, v)).collect();
    let pools = pools_of(root, project);
    if boxes.is_empty() && existing.is_empty() && pools.is_empty() {
        return Err(ComposeError::Bad(format!(
            "project {project} has no boxes: nothing to take down (`glassbox ls` lists the boxes; -p names another project)"
        )));
    }
    remove(steps, &boxes)?;
    for pool in pools {
        steps.step("pools", &["pool".into(), "rm".into(), pool])?;
    }
    for v in existing {
        steps.step("volumes", &["volume".into(), "rm".into(), v.clone()])?;
    }
    Ok(boxes.len())
}

/// The project's pools (one per service that publishes a port).
fn pools_of(root: &Root, project: &str) -> Vec<String> {
    crate::pool::all(root).into_iter().filter(|p| p.project.as_deref() == Some(project)).map(|p| p.name).collect()
}

/// After a failed `up`: the project's pools that no box serves in any more.
pub fn remove_empty_pools(root: &Root, project: &str, steps: &Steps) {
    for p in crate::pool::all(root).into_iter().filter(|p| p.project.as_deref() == Some(project)) {
        if p.members.is_empty() {
            let _ = steps.quiet(&["pool".into(), "rm".into(), p.name]);
        }
    }
}

/// The replica numbers of a service's boxes, lowest first.
pub fn replica_numbers(root: &Root, project: &str, service: &str) -> Vec<(u32, String)> {
    let mut all: Vec<(u32, String)> = members(root, project)
        .into_iter()
        .filter(|r| service_of(project, &r.name) == service)
        .filter_map(|r| r.name.rsplit_once('-').and_then(|(_, n)| n.parse().ok()).map(|n: u32| (n, r.name.clone())))
        .collect();
    all.sort();
    all
}

/// The replicas of `service` past the first `keep` (by number), highest first.
pub fn extra_replicas(root: &Root, project: &str, service: &str, keep: u32) -> Vec<String> {
    replica_numbers(root, project, service).into_iter().skip(keep as usize).rev().map(|(_, n)| n).collect()
}
