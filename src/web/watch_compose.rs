//! What the watcher sees of compose projects: a rolling update's record
//! turning (rolling, done, rolled back) and a replica's health changing.
//! Neither is a step on a box, so neither changes a box record; the
//! project folders are watched for them (`compose/PROJECT/` and its
//! `health/`), and the boxes they concern are told changed, so the
//! overview and their pages fetch again. A health file is rewritten on
//! every check: only a new status counts, or the page would refetch at
//! every healthcheck.

use crate::sys::inotify::{self, Event, Inotify};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

enum Watched {
    /// `compose/`: project folders appear in it.
    Projects,
    /// `compose/PROJECT/`: the rollout records, and `health/` appearing.
    Project(String),
    /// `compose/PROJECT/health/`: one file per box.
    Health(String),
}

#[derive(Default)]
pub(super) struct ComposeWatches {
    watches: HashMap<i32, Watched>,
    /// Each box's health status as last seen.
    status: HashMap<String, Option<String>>,
}

fn folder(state: &Path) -> PathBuf {
    crate::state::health::projects_dir(&crate::state::Root::new(Some(state)))
}

/// The status a health file says (None: unreadable, or no healthcheck).
fn status_in(path: &Path) -> Option<String> {
    let text = std::fs::read(path).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&text).ok()?;
    v.get("status")?.as_str().map(String::from)
}

impl ComposeWatches {
    /// Watches `compose/` and every project folder in it (again after it was made).
    pub(super) fn watch_all(&mut self, ino: &Inotify, state: &Path) {
        let dir = folder(state);
        if let Ok(wd) = ino.watch(&dir, inotify::FOLDER_CHANGES) {
            self.watches.insert(wd, Watched::Projects);
        }
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if let Some(p) = e.file_name().to_str() {
                self.watch_project(ino, state, p);
            }
        }
    }

    fn watch_project(&mut self, ino: &Inotify, state: &Path, project: &str) {
        if crate::state::names::validate("project", project).is_err() {
            return;
        }
        let dir = folder(state).join(project);
        if let Ok(wd) = ino.watch(&dir, inotify::FOLDER_CHANGES) {
            self.watches.insert(wd, Watched::Project(project.to_string()));
        }
        if let Ok(wd) = ino.watch(&dir.join("health"), inotify::FOLDER_CHANGES) {
            self.watches.insert(wd, Watched::Health(project.to_string()));
        }
    }

    /// Handles the event when it is one of these watches' (true), adding the boxes it concerns.
    pub(super) fn take(&mut self, ino: &Inotify, state: &Path, e: &Event, touched: &mut BTreeSet<String>) -> bool {
        let name = e.name.as_ref().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let Some(w) = self.watches.get(&e.watch) else { return false };
        match w {
            Watched::Projects => self.watch_project(ino, state, &name),
            Watched::Project(p) if name == "health" => {
                let p = p.clone();
                self.watch_project(ino, state, &p);
            }
            Watched::Project(p) if name.ends_with(".rollout.json") => {
                let prefix = format!("{p}-");
                let boxes = std::fs::read_dir(state.join("boxes")).into_iter().flatten().flatten();
                let names = boxes.filter_map(|b| b.file_name().to_str().map(String::from));
                touched.extend(names.filter(|b| b.starts_with(&prefix)));
            }
            Watched::Project(_) => {}
            Watched::Health(p) => {
                let Some(b) = name.strip_suffix(".json") else { return true };
                let now = status_in(&folder(state).join(p).join("health").join(&name));
                if self.status.insert(b.to_string(), now.clone()) != Some(now) {
                    touched.insert(b.to_string());
                }
            }
        }
        if e.mask & libc::IN_IGNORED != 0 {
            self.watches.remove(&e.watch);
        }
        true
    }
}
