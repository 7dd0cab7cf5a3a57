//! A compose project's supervisor and what it records: where its files
//! live, and each box's health as the supervisor last saw it.
//!
//! `compose up -d` starts one supervisor per project (see
//! `compose::supervisor`); it runs the healthchecks on their schedule and
//! restarts `restart: on-failure` services. Everything it keeps is in one
//! folder of the state root, `compose/PROJECT/`: `watch.json` (what to
//! supervise, written by `up`), `supervisor.json` (the process, so `down`
//! and `reset` stop it) and `health/BOX.json` (one box's health, which
//! `inspect`, `compose ps` and the web page read). `compose down` and
//! `reset` remove the folder with the process.

use super::Root;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The folder of every project's supervisor files.
pub fn projects_dir(root: &Root) -> PathBuf {
    root.state.join("compose")
}

pub fn project_dir(root: &Root, project: &str) -> PathBuf {
    projects_dir(root).join(project)
}

pub fn watch_path(root: &Root, project: &str) -> PathBuf {
    project_dir(root, project).join("watch.json")
}

pub fn supervisor_path(root: &Root, project: &str) -> PathBuf {
    project_dir(root, project).join("supervisor.json")
}

pub fn health_path(root: &Root, project: &str, name: &str) -> PathBuf {
    project_dir(root, project).join("health").join(format!("{name}.json"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No check has passed yet, and `retries` failures past `start_period` have not come.
    Starting,
    Healthy,
    Unhealthy,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Starting => "starting",
            Status::Healthy => "healthy",
            Status::Unhealthy => "unhealthy",
        })
    }
}

/// One box's health and restarts, as its supervisor recorded them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// None for a box that has no healthcheck (only a restart policy).
    pub status: Option<Status>,
    /// The healthcheck's command, as run by `glassbox exec`.
    pub test: Vec<String>,
    /// Failed checks in a row (those inside `start_period` not counted).
    pub failing_streak: u32,
    /// Checks run so far.
    pub checks: u64,
    /// When the last check ended (seconds since the epoch); 0 before the first.
    pub last_check: u64,
    /// What the last check said: empty when it passed, else its exit code and last line.
    pub last_output: String,
    /// `restart: on-failure:N`: N (None: the supervisor restarts nothing).
    pub restart_limit: Option<u32>,
    /// How many times the supervisor started the main process (each a `run` step).
    pub runs: u32,
    /// How many of those were restarts after a failure.
    pub restarts: u32,
    /// The exit code the main process last ended with, when the supervisor ran it.
    pub last_exit: Option<i32>,
}

impl Health {
    pub fn new(test: Vec<String>, restart_limit: Option<u32>) -> Health {
        Health {
            status: (!test.is_empty()).then_some(Status::Starting),
            test,
            failing_streak: 0,
            checks: 0,
            last_check: 0,
            last_output: String::new(),
            restart_limit,
            runs: 0,
            restarts: 0,
            last_exit: None,
        }
    }

    /// One line for `inspect` and the web page: `health: unhealthy (failing
    /// streak 2 of 14 checks; last: exit code 1) · restarts: 2 of 2 (last exit code 3)`.
    pub fn line(&self) -> String {
        let mut parts = vec![];
        if let Some(s) = self.status {
            let last =
                if self.last_output.is_empty() { String::new() } else { format!("; last: {}", self.last_output) };
            parts.push(format!("health: {s} (failing streak {} of {} checks{last})", self.failing_streak, self.checks));
        }
        if let Some(limit) = self.restart_limit {
            let of = if limit == u32::MAX { String::new() } else { format!(" of {limit}") };
            let exit = self.last_exit.map(|c| format!(" (last exit code {c})")).unwrap_or_default();
            parts.push(format!("restarts: {}{of}{exit}", self.restarts));
        }
        parts.join(" · ")
    }

    /// The box's health, for a box of a compose project that has a record of it.
    pub fn load(root: &Root, project: Option<&str>, name: &str) -> Option<Health> {
        let text = std::fs::read(health_path(root, project?, name)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Written whole under a new name, then renamed: a reader never sees half.
    pub fn save(&self, root: &Root, project: &str, name: &str) -> Result<(), super::StateError> {
        let path = health_path(root, project, name);
        // Only into a project folder that is there: `down` may have removed it.
        if !project_dir(root, project).is_dir() {
            return Ok(());
        }
        let dir = path.parent().expect("health files live in a folder");
        std::fs::create_dir_all(dir).map_err(|e| super::StateError::io(dir, e))?;
        super::record::write_atomic(&path, &serde_json::to_vec_pretty(self).expect("health serialises"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_what_the_record_holds() {
        let mut h = Health::new(vec!["true".into()], None);
        assert_eq!(h.line(), "health: starting (failing streak 0 of 0 checks)");
        (h.status, h.failing_streak, h.checks, h.last_output) = (Some(Status::Unhealthy), 3, 7, "exit code 1".into());
        assert_eq!(h.line(), "health: unhealthy (failing streak 3 of 7 checks; last: exit code 1)");
        let mut r = Health::new(vec![], Some(u32::MAX));
        (r.restarts, r.last_exit) = (4, Some(2));
        assert_eq!((r.status, r.line()), (None, "restarts: 4 (last exit code 2)".into()));
    }
}
