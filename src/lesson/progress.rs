//! The learner's progress, kept under the state root
//! (`<root>/lessons/progress.json`, written atomically): which lesson is
//! current, which are done, how many hints each has shown, and the last
//! result of each check (which `glassbox serve`'s /lesson page shows live).
//! Fields are only ever added, each with a default, so an older file reads.

use crate::error::{Result, UsageError};
use crate::state::Root;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LessonProgress {
    /// `lesson start` set it up at least once.
    #[serde(default)]
    pub started: bool,
    /// All checks passed once.
    #[serde(default)]
    pub done: bool,
    /// Hints revealed so far (hint N is shown after N-1), by `lesson hint`
    /// or by a failed check.
    #[serde(default)]
    pub hints_shown: usize,
    /// Hints the learner asked for (`lesson hint`): a check that shows one
    /// by itself is not asking.
    #[serde(default)]
    pub hints_asked: usize,
    /// `lesson solution` was shown before the lesson was done.
    #[serde(default)]
    pub solution_seen: bool,
    /// The first answer to each question, by its number (1-based).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<usize, Answer>,
    /// Per check (its number, 1-based), how many of its own hints were shown.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub check_hints: BTreeMap<usize, usize>,
    /// The last `lesson check`'s result of each check, in the lesson's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub last_checks: Vec<CheckSeen>,
}

/// How a check ended the last time `lesson check` ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Passed,
    Failed,
    Skipped,
}

/// One check's last result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSeen {
    /// The check's `what`, so a lesson whose checks changed since is not
    /// shown another check's result.
    pub what: String,
    pub result: Verdict,
    /// When (seconds since the epoch).
    #[serde(default)]
    pub at: u64,
}

/// The learner's first answer to a question.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Answer {
    /// As typed (trimmed).
    pub given: String,
    pub right: bool,
    /// Given after the step the question asks to predict was run.
    #[serde(default)]
    pub late: bool,
    /// When (seconds since the epoch).
    #[serde(default)]
    pub at: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Progress {
    /// The lesson last started: the default of `status`, `check`, `hint`, …
    pub current: Option<String>,
    /// Per lesson id, the lessons started at least once.
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
}

/// Seconds since the epoch, as the progress file keeps times.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

pub fn path(root: &Root) -> PathBuf {
    path_in(&root.state)
}

/// The progress file under a state folder (`serve` watches its folder).
pub fn path_in(state: &Path) -> PathBuf {
    state.join("lessons").join("progress.json")
}

impl Progress {
    pub fn load(root: &Root) -> Result<Progress> {
        let p = path(root);
        match std::fs::read(&p) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| UsageError::ProgressUnreadable { path: p.clone(), reason: e.to_string() }.into()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Progress::default()),
            Err(e) => Err(crate::state::StateError::io(p, e).into()),
        }
    }

    pub fn save(&self, root: &Root) -> Result<()> {
        let p = path(root);
        let dir = p.parent().expect("progress.json lives in a folder");
        std::fs::create_dir_all(dir).map_err(|e| crate::state::StateError::io(dir, e))?;
        let bytes = serde_json::to_vec_pretty(self).expect("progress serialises");
        Ok(crate::state::record::write_atomic(&p, &bytes)?)
    }

    pub fn get(&self, id: &str) -> Option<&LessonProgress> {
        self.lessons.get(id)
    }

    pub fn entry(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons.entry(id.to_string()).or_default()
    }
}
