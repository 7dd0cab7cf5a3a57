//! The parts a box record is built from: how its namespaces are held, its
//! state, id map, layer stack, cgroup, last exit and an unfinished step.
//! The record itself (`state::BoxRecord`) also keeps its history of plans,
//! so it lives with them, a layer up; these parts are read by every layer.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What keeps a namespace alive while no process of the box is in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Holder {
    BindMount { path: PathBuf },
    Process { pid: i32, start_time: u64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldNamespace {
    pub inode: u64,
    pub holder: Holder,
    /// Made by another box and joined (`unshare --join`), see `shared`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<SharedFrom>,
}

/// Where a namespace a box did not make came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedFrom {
    /// The box named by `--join`.
    pub joined: String,
    /// The box that made the namespace (the joined box itself, or the box
    /// it had joined in turn).
    pub made_by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BoxState {
    /// Made, nothing running in it.
    Created,
    /// Its init (or its detached main process) is alive.
    Running,
    /// Its init died: the PID namespace is gone for good.
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdMap {
    pub outside: u32,
    pub count: u32,
}

/// Where a read-only layer of a box's stack came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerRole {
    /// From the image given to `rootfs`.
    Base,
    /// From `layer add`.
    Layer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackLayer {
    pub digest: String,
    pub role: LayerRole,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CgroupRecord {
    /// "v1" or "v2".
    pub version: String,
    /// One folder in v2, one per controller hierarchy in v1.
    pub paths: Vec<PathBuf>,
    pub limits: super::limits::Limits,
}

/// A run's command ended: its exit code (128 + signal when killed), when,
/// and the step that started it. A front door that shows containers (the
/// daemon's `docker ps`, `docker wait`) reads it, also after a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    pub code: i32,
    pub at: u64,
    pub step: usize,
}

/// A step noted in the record before its first change to the box, and
/// cleared when it completes or its failure is known to have changed
/// nothing. Still there after a failure part way or a glassbox killed
/// meanwhile, it says the box is half made: nothing may run in it, and
/// `rm --force` (which finds everything a box's record names) is the way out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unfinished {
    /// The command as typed.
    pub command: String,
    pub since: u64,
}

impl std::fmt::Display for BoxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BoxState::Created => "created",
            BoxState::Running => "running",
            BoxState::Stopped => "stopped",
        })
    }
}
