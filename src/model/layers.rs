//! The layer stack of a box, top to bottom, as the overlay sees it.

use crate::image::Store;
use crate::state::{BoxRecord, LayerRole, Root};
use serde::Serialize;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Clone)]
pub struct LayerModel {
    /// "container" (writable), "layer" (`layer add`) or "base" (the image).
    pub role: String,
    pub digest: Option<String>,
    pub source: String,
    pub files: u64,
    pub bytes: u64,
    pub path: String,
}

#[derive(Debug, Serialize, Clone)]
pub struct StackModel {
    pub image: Option<String>,
    pub mounted: bool,
    /// Top first: the container layer, added layers, base layers.
    pub layers: Vec<LayerModel>,
    pub lowerdir: String,
    pub upperdir: String,
    pub workdir: String,
}

fn count(dir: &Path) -> (u64, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let Ok(m) = e.path().symlink_metadata() else { continue };
            files += 1;
            if m.is_dir() {
                stack.push(e.path());
            } else {
                bytes += m.len();
            }
        }
    }
    (files, bytes)
}

fn lowers(store: &Store, record: &BoxRecord) -> Vec<PathBuf> {
    record.layers.iter().rev().map(|l| store.layer_tree(&l.digest)).collect()
}

pub fn collect(root: &Root, record: &BoxRecord) -> Option<StackModel> {
    if record.layers.is_empty() && record.image.is_none() {
        return None;
    }
    let store = Store::at(root);
    let (upper, work) = root.container_layer(&record.name);
    let (files, bytes) = count(&upper);
    let mut layers = vec![LayerModel {
        role: "container".into(),
        digest: None,
        source: format!("box {} (deleted with the box)", record.name),
        files,
        bytes,
        path: upper.display().to_string(),
    }];
    for l in record.layers.iter().rev() {
        let meta = store.layer(&l.digest).ok();
        layers.push(LayerModel {
            role: if l.role == LayerRole::Base { "base" } else { "layer" }.into(),
            digest: Some(l.digest.clone()),
            source: l.source.clone(),
            files: meta.as_ref().map_or(0, |m| m.files),
            bytes: meta.as_ref().map_or(0, |m| m.bytes),
            path: store.layer_tree(&l.digest).display().to_string(),
        });
    }
    let lower: Vec<String> = lowers(&store, record).iter().map(|p| p.display().to_string()).collect();
    Some(StackModel {
        image: record.image.clone(),
        mounted: record.rootfs_mounted,
        layers,
        lowerdir: lower.join(":"),
        upperdir: upper.display().to_string(),
        workdir: work.display().to_string(),
    })
}

/// Which layer the box's view of `path` comes from (the topmost that has it).
pub fn origin(root: &Root, record: &BoxRecord, path: &str) -> String {
    let Ok(store) = Store::open(root) else { return "the layer store is unreadable".into() };
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|c| c == "..") {
        return format!("{path}: give a path inside the box without ..");
    }
    let (upper, _) = root.container_layer(&record.name);
    if let Ok(m) = std::fs::symlink_metadata(upper.join(rel)) {
        if m.file_type().is_char_device() && m.rdev() == 0 {
            return format!("{path} was deleted in the container layer (a whiteout hides the lower layers' copy)");
        }
        return format!("{path} comes from the container layer ({})", upper.display());
    }
    let bases = record.layers.iter().filter(|l| l.role == LayerRole::Base).count();
    for (i, l) in record.layers.iter().enumerate().rev() {
        if std::fs::symlink_metadata(store.layer_tree(&l.digest).join(rel)).is_ok() {
            // An image may be several layers (a committed one on top of
            // busybox's): say which, not "the base".
            let role = match (l.role, bases) {
                (LayerRole::Layer, _) => "an added layer".to_string(),
                (LayerRole::Base, 1) => "the image's only layer".to_string(),
                (LayerRole::Base, n) if i + 1 == n => format!("the image's top layer (layer {n} of {n})"),
                (LayerRole::Base, n) => format!("layer {} of {n} of the image, counted from the bottom", i + 1),
            };
            return format!("{path} comes from {role}, {} ({})", l.digest, l.source);
        }
    }
    format!("{path} is in no layer of box {}", record.name)
}
