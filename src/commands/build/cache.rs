//! The build cache: what each step left (its layers and config), kept
//! under the key of the step.
//!
//! A key is the sha256 of the parent step's key, the line as it resolved
//! and what the step read besides (a COPY's content digest, a RUN's
//! environment). Keys chain, so a change anywhere invalidates every step
//! after it and nothing before. An entry whose layers the store no longer
//! has (an `image rm` collected them) is a miss. Entries are small JSON
//! files under `STATE/build-cache/`, written atomically.

use super::stage::Stage;
use crate::image::Store;
use crate::state::Root;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    stage: Stage,
    /// How long the step took when it was built.
    took_ms: u64,
}

/// A step's key: its parent's key and what the step depends on.
pub fn key(parent: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(parent.as_bytes());
    for p in parts {
        h.update([0u8]);
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn open(root: &Root) -> crate::error::Result<Cache> {
        let dir = root.state.join("build-cache");
        crate::state::private::make_private_dir(&dir).map_err(|e| crate::state::StateError::io(&dir, e))?;
        Ok(Cache { dir })
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The stage a step left, if it is cached and its layers are all there.
    pub fn find(&self, key: &str, store: &Store) -> Option<Stage> {
        let text = std::fs::read(self.path(key)).ok()?;
        let entry: Entry = serde_json::from_slice(&text).ok()?;
        entry.stage.layers.iter().all(|d| store.layer(d).is_ok()).then_some(entry.stage)
    }

    pub fn save(&self, key: &str, stage: &Stage, took: std::time::Duration) {
        let entry = Entry { stage: stage.clone(), took_ms: took.as_millis() as u64 };
        // A cache that cannot be written only makes the next build slower.
        let _ = crate::state::record::write_atomic(&self.path(key), &serde_json::to_vec(&entry).unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn keys_chain_and_separate_their_parts() {
        let a = key("", &["FROM busybox", "sha256:1"]);
        assert_ne!(key(&a, &["RUN x"]), key("", &["RUN x"]), "the parent is part of the key");
        assert_ne!(key(&a, &["ab", "c"]), key(&a, &["a", "bc"]), "parts do not run together");
        assert_eq!(key(&a, &["RUN x"]), key(&a, &["RUN x"]));
    }
}
