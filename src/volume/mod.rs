//! Volumes: data that outlives a box.
//!
//! A box's container layer is deleted with the box. A volume is a folder
//! outside every layer — a named volume under the state root, or a host
//! folder — bind-mounted into the box's mount namespace, so what the box
//! writes there skips the overlay entirely, survives `rm`, and is seen by
//! every box that mounts the same volume.

pub mod danger;
pub mod spec;

use crate::plan::{Op, op};
use crate::state::{BoxRecord, Root, StateError, names};
use serde::Serialize;
use std::path::PathBuf;

pub use spec::{Source, VolumeMount};

pub fn volumes_dir(root: &Root) -> PathBuf {
    root.volumes_dir()
}

/// Where a named volume's data lives.
pub fn data_dir(root: &Root, name: &str) -> PathBuf {
    volumes_dir(root).join(name).join("data")
}

/// The host folder a mount's data is in.
pub fn host_path(root: &Root, m: &VolumeMount) -> PathBuf {
    match &m.source {
        Source::Named { name } => data_dir(root, name),
        Source::Host { resolved, .. } => resolved.clone(),
    }
}

pub fn exists(root: &Root, name: &str) -> bool {
    data_dir(root, name).is_dir()
}

pub fn list(root: &Root) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(volumes_dir(root)) else { return vec![] };
    let mut v: Vec<String> = dir
        .flatten()
        .filter(|e| e.path().join("data").is_dir())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .collect();
    v.sort();
    v
}

/// Making a named volume: its folder under the state root's private
/// volumes folder. An existing volume is refused before anything is planned.
pub fn plan_create(root: &Root, name: &str) -> Result<Vec<Op>, StateError> {
    names::validate("volume", name)?;
    let dir = data_dir(root, name);
    if dir.exists() {
        return Err(StateError::VolumeExists(name.to_string()));
    }
    let top = volumes_dir(root);
    let why = "named volumes live here, outside every layer; only root may enter it";
    let mut ops = vec![];
    if !top.is_dir() {
        ops.push(Op::from(op::MakeStateDir { path: top, private: true, why: why.into() }));
    }
    let why = "the volume's data: bind-mounted into each box that adds it, kept when a box is removed";
    ops.push(Op::from(op::MakeStateDir { path: dir, private: false, why: why.into() }));
    Ok(ops)
}

/// Removing a named volume's folder with its data.
pub fn plan_remove(root: &Root, name: &str) -> Op {
    let why = "the volume and all its data".into();
    Op::from(op::RemoveTree { path: volumes_dir(root).join(name), why })
}

/// Boxes whose record mounts the named volume.
pub fn users(root: &Root, name: &str) -> Vec<String> {
    BoxRecord::load_all(root)
        .into_iter()
        .filter(|r| r.volumes.iter().any(|v| matches!(&v.source, Source::Named { name: n } if n == name)))
        .map(|r| r.name)
        .collect()
}

#[derive(Debug, Serialize)]
pub struct VolumeInfo {
    pub name: String,
    pub path: String,
    pub bytes: u64,
    pub files: u64,
    pub boxes: Vec<String>,
}

/// `volume inspect` answers in JSON also without `--json`, as `docker
/// volume inspect` does.
impl std::fmt::Display for VolumeInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&serde_json::to_string_pretty(self).map_err(|_| std::fmt::Error)?)
    }
}

pub fn info(root: &Root, name: &str) -> VolumeInfo {
    let dir = data_dir(root, name);
    // A box may be writing the volume meanwhile: counted by descriptor.
    let (files, bytes) = crate::sys::tree::count(&dir);
    VolumeInfo { name: name.into(), path: dir.display().to_string(), bytes, files, boxes: users(root, name) }
}

/// Other boxes that mount the same source as `m`.
pub fn sharing(root: &Root, me: &str, m: &VolumeMount) -> Vec<String> {
    BoxRecord::load_all(root)
        .into_iter()
        .filter(|r| r.name != me && r.volumes.iter().any(|v| v.source == m.source))
        .map(|r| r.name)
        .collect()
}

/// A box's volume as `inspect` shows it.
#[derive(Debug, Serialize)]
pub struct VolumeModel {
    pub source: Source,
    /// The host folder holding the data.
    pub host_path: String,
    pub target: String,
    pub read_only: bool,
    /// Mounted now (the box has its root filesystem), or waiting for `rootfs`.
    pub mounted: bool,
    pub shared_with: Vec<String>,
}

pub fn models(root: &Root, record: &BoxRecord) -> Vec<VolumeModel> {
    record
        .volumes
        .iter()
        .map(|m| VolumeModel {
            source: m.source.clone(),
            host_path: host_path(root, m).display().to_string(),
            target: m.target.display().to_string(),
            read_only: m.read_only,
            mounted: record.rootfs_mounted,
            shared_with: sharing(root, &record.name, m),
        })
        .collect()
}
