//! The record of a service's last rolling update: what `compose ps`, the
//! web page and `inspect` read while it runs and after it ended.
//!
//! `compose up` writes it at each turn of the update (rolling, then done,
//! or rolling back and rolled back, or paused), in the project's folder
//! beside its supervisor's files, `compose/PROJECT/SERVICE.rollout.json`,
//! renamed into place so a reader never sees half of it; `compose down`
//! and `reset` remove the folder.

use super::{BoxRecord, LayerRole, Root};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The last rolling update of a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub service: String,
    pub from: Vec<String>,
    pub to: String,
    /// The base layers of `to` when the update began: a `build` again
    /// keeps the image's name and changes these.
    #[serde(default)]
    pub to_layers: Option<Vec<String>>,
    /// rolling, done, rolling back, rolled back, rollback failed, paused.
    pub state: String,
    pub reason: Option<String>,
}

const SUFFIX: &str = ".rollout.json";

fn path(root: &Root, project: &str, service: &str) -> PathBuf {
    super::health::project_dir(root, project).join(format!("{service}{SUFFIX}"))
}

fn base_layers(r: &BoxRecord) -> Vec<String> {
    r.layers.iter().filter(|l| l.role == LayerRole::Base).map(|l| l.digest.clone()).collect()
}

/// Whether the box runs `image` (with these base layers, when known).
pub fn runs(r: &BoxRecord, image: &str, layers: Option<&[String]>) -> bool {
    r.image.as_deref() == Some(image) && layers.is_none_or(|l| base_layers(r) == l)
}

impl Record {
    /// Written in place of the last (a reader sees the old or the new one).
    pub fn save(&self, root: &Root, project: &str) -> std::io::Result<()> {
        super::private::make_private_dir(&super::health::projects_dir(root))?;
        super::private::make_private_dir(&super::health::project_dir(root, project))?;
        let p = path(root, project, &self.service);
        let tmp = p.with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?)?;
        std::fs::rename(&tmp, &p)
    }

    pub fn load(root: &Root, project: &str, service: &str) -> Option<Record> {
        serde_json::from_slice(&std::fs::read(path(root, project, service)).ok()?).ok()
    }

    /// Every service's record in the project, by service name.
    pub fn all(root: &Root, project: &str) -> Vec<Record> {
        let dir = std::fs::read_dir(super::health::project_dir(root, project)).into_iter().flatten().flatten();
        let services =
            dir.filter_map(|e| e.file_name().to_str().and_then(|f| f.strip_suffix(SUFFIX)).map(String::from));
        let mut all: Vec<Record> = services.filter_map(|s| Record::load(root, project, &s)).collect();
        all.sort_by(|a, b| a.service.cmp(&b.service));
        all
    }

    /// Whether the box runs the image the update goes to.
    pub fn is_new(&self, r: &BoxRecord) -> bool {
        runs(r, &self.to, self.to_layers.as_deref())
    }
}
