//! What `compose up`, `down` and `scale` changed, as the value they answer
//! with: `--json` prints it, `Display` is the closing line a person reads
//! after the steps' progress.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::{self, Display};

#[derive(Debug, Serialize)]
pub struct Changed {
    pub project: String,
    /// `up`, `down` or `scale`.
    pub action: &'static str,
    /// Boxes made (`up`) or removed (`down`).
    pub boxes: usize,
    /// The glassbox steps that made them (`up`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<usize>,
    /// Services a rolling update brought to the file's image (`up`).
    #[serde(skip_serializing_if = "is_zero")]
    pub updated: usize,
    /// Each scaled service's boxes now (`scale`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, usize>,
}

impl Changed {
    pub fn new(project: &str, action: &'static str, boxes: usize) -> Changed {
        Changed { project: project.into(), action, boxes, steps: None, updated: 0, services: BTreeMap::new() }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Display for Changed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.project;
        match (self.action, self.steps) {
            ("down", _) => write!(f, "project {p} is down: {} boxes removed", self.boxes),
            ("up", _) if self.updated > 0 => {
                write!(
                    f,
                    "project {p} is up: {} boxes made, {} services updated (glassbox compose ps)",
                    self.boxes, self.updated
                )
            }
            ("up", Some(0) | None) => write!(f, "project {p}: every box is there already (glassbox compose ps)"),
            ("up", Some(n)) => {
                write!(f, "project {p} is up: {} boxes made by {n} steps (glassbox compose ps)", self.boxes)
            }
            _ => {
                let lines: Vec<String> = self.services.iter().map(|(s, n)| format!("{s}: {n} boxes")).collect();
                f.write_str(&lines.join("\n"))
            }
        }
    }
}
