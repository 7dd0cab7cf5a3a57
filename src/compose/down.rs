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
    if boxes.is_empty() && existing.is_empty() {
        return Err(ComposeError::Bad(format!(
            "project {project} has no boxes: nothing to take down (`glassbox ls` lists the boxes; -p names another project)"
        )));
    }
    remove(steps, &boxes)?;
    for v in existing {
        steps.step("volumes", &["volume".into(), "rm".into(), v.clone()])?;
    }
    Ok(boxes.len())
}

/// The replicas of `service` above `keep`, highest first.
pub fn extra_replicas(root: &Root, project: &str, service: &str, keep: u32) -> Vec<String> {
    let mut extra: Vec<(u32, String)> = members(root, project)
        .into_iter()
        .filter(|r| service_of(project, &r.name) == service)
        .filter_map(|r| r.name.rsplit_once('-').and_then(|(_, n)| n.parse().ok()).map(|n: u32| (n, r.name.clone())))
        .filter(|(n, _)| *n > keep)
        .collect();
    extra.sort();
    extra.into_iter().rev().map(|(_, n)| n).collect()
}
