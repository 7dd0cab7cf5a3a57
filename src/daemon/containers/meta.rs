//! What Docker knows about a container that its box record does not:
//! `docker.json` beside the record, written by the daemon alone (under the
//! box's lock), deleted with the box folder by `rm`.

use super::super::types::CreateRequest;
use crate::state::{Root, StateError};
use crate::sys::proc::ProcRef;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    /// The image as the client named it (`busybox`, `busybox:latest`).
    pub image: String,
    /// The create request, for `inspect` (Config and HostConfig).
    pub request: CreateRequest,
    /// What `start` runs after `glassbox run NAME --`; empty for the
    /// image's own Entrypoint and Cmd.
    pub command: Vec<String>,
    /// `glassbox run`'s flags before the command (`-e`, `-w`, `-u`).
    #[serde(default)]
    pub run_flags: Vec<String>,
    /// Volumes made for this container alone, removed by `rm -v`.
    #[serde(default)]
    pub anonymous: Vec<String>,
    #[serde(default)]
    pub started: Option<Started>,
    #[serde(default)]
    pub finished: Option<Finished>,
}

/// `start` ran the command: when, and the `glassbox run` that waits for it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Started {
    pub at: u64,
    pub client: ProcRef,
    /// Steps the box had before this run (the run's own is the next).
    pub steps_before: usize,
}

/// The command ended: its exit code, and when the daemon saw it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Finished {
    pub at: u64,
    pub code: i32,
}

impl Meta {
    pub fn auto_remove(&self) -> bool {
        self.request.host_config.as_ref().and_then(|h| h.auto_remove).unwrap_or(false)
    }
    pub fn open_stdin(&self) -> bool {
        self.request.open_stdin.unwrap_or(false)
    }
    pub fn tty(&self) -> bool {
        self.request.tty.unwrap_or(false)
    }
}

fn path(root: &Root, name: &str) -> PathBuf {
    root.box_dir(name).join("docker.json")
}

/// Where the command's stdout and stderr go.
pub fn logs(root: &Root, name: &str) -> (PathBuf, PathBuf) {
    let dir = root.box_dir(name);
    (dir.join("docker-stdout.log"), dir.join("docker-stderr.log"))
}

pub fn load(root: &Root, name: &str) -> Option<Meta> {
    serde_json::from_slice(&std::fs::read(path(root, name)).ok()?).ok()
}

/// Replaced whole (a temp file renamed over it), not fsync'd: it is the
/// daemon's bookkeeping, saved three times in each container's life, and
/// the box record stays the truth (a meta lost to a power cut shows the
/// box as one made by hand).
pub fn save(root: &Root, name: &str, meta: &Meta) -> Result<(), StateError> {
    let path = path(root, name);
    let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    let bytes = serde_json::to_vec_pretty(meta).expect("meta serialises");
    std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &path)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        StateError::io(&path, e)
    })
}
