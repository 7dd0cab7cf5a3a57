//! The layer stack of a box, top to bottom, as the overlay sees it.

use crate::image::Store;
use crate::image::view::{Found, LayerView, Symlinks};
use crate::state::{BoxRecord, LayerRole, Root};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Clone)]
pub struct LayerModel {
    /// "container" (writable), "layer" (`layer add`) or "base" (the image).
    pub role: String,
    /// What made it: "image" (imported or built), "commit" (of a box),
    /// "layer add", or "box" (the container layer, the box's own writes).
    pub made_by: String,
    pub digest: Option<String>,
    pub source: String,
    /// The line that made it, from its image's history: the Dockerfile
    /// line for a layer `glassbox build` made (`RUN apk add curl`), the
    /// history's `created_by` for an imported one; none for the container
    /// layer, an added layer, or an image that records no history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
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

/// A layer's maker, from what the store says made it (`LayerMeta::source`):
/// a commit names its box there; the box record names only the image.
pub fn made_by(role: LayerRole, source: &str) -> &'static str {
    if source.starts_with("commit of box ") {
        "commit"
    } else if role == LayerRole::Layer {
        "layer add"
    } else {
        "image"
    }
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
    let (files, bytes) = crate::sys::tree::count(&upper);
    let lines = record.image.as_deref().map(|name| created_by(&store, name)).unwrap_or_default();
    let mut layers = vec![LayerModel {
        role: "container".into(),
        made_by: "box".into(),
        digest: None,
        source: format!("box {} (deleted with the box)", record.name),
        created_by: None,
        files,
        bytes,
        path: upper.display().to_string(),
    }];
    for l in record.layers.iter().rev() {
        let meta = store.layer(&l.digest).ok();
        layers.push(LayerModel {
            role: if l.role == LayerRole::Base { "base" } else { "layer" }.into(),
            made_by: made_by(l.role, meta.as_ref().map_or(&l.source, |m| &m.source)).into(),
            digest: Some(l.digest.clone()),
            source: match &meta {
                Some(m) if m.source != l.source => format!("{} · {}", l.source, m.source),
                _ => l.source.clone(),
            },
            created_by: (l.role == LayerRole::Base).then(|| lines.get(&l.digest).cloned()).flatten(),
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

/// The line that made each layer of an image, by digest: its history's
/// entries that made a layer pair up with its layers, bottom first.
fn created_by(store: &Store, image: &str) -> std::collections::HashMap<String, String> {
    let Ok(image) = store.image(image) else { return Default::default() };
    let made = crate::image::config::history_of(store, &image).into_iter().filter(|h| h.empty_layer() != Some(true));
    image.layers.iter().cloned().zip(made.map(|h| h.created_by().clone().unwrap_or_default())).collect()
}

/// Which layer the box's view of `path` comes from (the topmost that has
/// it), with every symlink on the way resolved inside the box's root as the
/// box itself would resolve it, never against the host's files.
pub fn origin(root: &Root, record: &BoxRecord, path: &str) -> String {
    let store = Store::at(root);
    let (upper, _) = root.container_layer(&record.name);
    // Top first, as overlayfs stacks them: the container layer, then the record's.
    let mut stack = vec![(upper.clone(), format!("the container layer ({})", upper.display()))];
    let bases = record.layers.iter().filter(|l| l.role == LayerRole::Base).count();
    for (i, l) in record.layers.iter().enumerate().rev() {
        // An image may be several layers (a committed one on top of
        // busybox's): say which, not "the base".
        let role = match (l.role, bases) {
            (LayerRole::Layer, _) => "an added layer".to_string(),
            (LayerRole::Base, 1) => "the image's only layer".to_string(),
            (LayerRole::Base, n) if i + 1 == n => format!("the image's top layer (layer {n} of {n})"),
            (LayerRole::Base, n) => format!("layer {} of {n} of the image, counted from the bottom", i + 1),
        };
        stack.push((store.layer_tree(&l.digest), format!("{role}, {} ({})", l.digest, l.source)));
    }
    let trees: Vec<PathBuf> = stack.iter().map(|(tree, _)| tree.clone()).collect();
    let found = match LayerView::open(&trees).find(Path::new(path), Symlinks::InRoot) {
        Ok(found) => found,
        Err(e) => return format!("{path}: the layers of box {} could not be read: {e}", record.name),
    };
    let described = |layer: usize| &stack[layer].1;
    match found {
        Found::In { layer, .. } => format!("{path} comes from {}", described(layer)),
        Found::Deleted { layer: 0 } => {
            format!("{path} was deleted in the container layer (a whiteout hides the lower layers' copy)")
        }
        Found::Deleted { layer } => {
            format!("{path} was deleted by {} (a whiteout hides the copies below)", described(layer))
        }
        Found::Absent => format!("{path} is in no layer of box {}", record.name),
    }
}
