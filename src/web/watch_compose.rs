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

/// The boxes named as the project's are (`PROJECT-…`).
fn boxes_of(state: &Path, project: &str) -> Vec<String> {
    let prefix = format!("{project}-");
    let boxes = std::fs::read_dir(state.join("boxes")).into_iter().flatten().flatten();
    boxes.filter_map(|b| b.file_name().to_str().map(String::from)).filter(|b| b.starts_with(&prefix)).collect()
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
            Watched::Projects => {
                // Its first record may be renamed into it before the watch exists.
                self.watch_project(ino, state, &name);
                touched.extend(boxes_of(state, &name));
            }
            Watched::Project(p) if name == "health" => {
                let p = p.clone();
                self.watch_project(ino, state, &p);
            }
            Watched::Project(p) if name.ends_with(".rollout.json") => touched.extend(boxes_of(state, p)),
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

#[cfg(test)]
mod tests {
    use super::super::watch::Watches;
    use std::collections::BTreeSet;

    fn write(path: &std::path::Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, path).unwrap();
    }

    fn touched(w: &mut Watches) -> BTreeSet<String> {
        let (mut touched, mut logs) = (BTreeSet::new(), BTreeSet::new());
        w.take(&mut touched, &mut logs);
        touched
    }

    #[test]
    fn a_rollout_turning_touches_the_project_s_boxes_and_a_new_health_status_its_box() {
        let state = std::env::temp_dir().join(format!("gb-watch-compose-{}", std::process::id()));
        for b in ["shop-web-1", "shop-web-2", "blog-web-1"] {
            write(&state.join("boxes").join(b).join("box.json"), "{}");
        }
        let project = state.join("compose").join("shop");
        std::fs::create_dir_all(project.join("health")).unwrap();
        let mut w = Watches::new(&state).unwrap();
        write(&project.join("web.rollout.json"), "{\"state\": \"rolling\"}");
        assert_eq!(touched(&mut w), BTreeSet::from(["shop-web-1".into(), "shop-web-2".into()]));
        let health = project.join("health").join("shop-web-2.json");
        write(&health, "{\"status\": \"starting\", \"checks\": 1}");
        assert_eq!(touched(&mut w), BTreeSet::from(["shop-web-2".into()]));
        write(&health, "{\"status\": \"starting\", \"checks\": 2}");
        assert!(touched(&mut w).is_empty(), "another check, the same status: nothing to show");
        write(&health, "{\"status\": \"healthy\", \"checks\": 3}");
        assert_eq!(touched(&mut w), BTreeSet::from(["shop-web-2".into()]));
        // A project made after the watcher started is followed too.
        let blog = state.join("compose").join("blog");
        std::fs::create_dir_all(&blog).unwrap();
        assert_eq!(touched(&mut w), BTreeSet::from(["blog-web-1".into()]), "a new project: its boxes may have moved");
        write(&blog.join("web.rollout.json"), "{}");
        assert_eq!(touched(&mut w), BTreeSet::from(["blog-web-1".into()]));
        let _ = std::fs::remove_dir_all(&state);
    }
}
