//! The files of each layer of a box, as dive shows an image: per layer,
//! what it added, changed and deleted relative to the layers below it, and
//! how many bytes below it hides ("wasted": stored, never seen).
//!
//! The layers are stacked bottom first the way overlayfs merges them
//! (Documentation/filesystems/overlayfs.rst): a name in a higher layer
//! hides the same name below; a whiteout (a 0/0 character device) deletes
//! it; an opaque folder (`trusted.overlay.opaque=y`) hides everything the
//! folder held below. Each layer's tree is walked by descriptor without
//! following a symlink (`sys::tree::walk`): the container layer is written
//! by the box while this reads it.

use crate::image::Store;
use crate::image::view::is_opaque;
use crate::state::{BoxRecord, Root};
use crate::sys::SysError;
use crate::sys::tree::{self, FileKind};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How one entry of a layer relates to the layers below it.
#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// New: no layer below has this path.
    Added,
    /// Replaces the same path below (a file's new content, new metadata).
    Changed,
    /// A whiteout: the path below is deleted from the merged view.
    Deleted,
    /// An opaque folder: everything the folder held below is hidden.
    Opaque,
    /// A folder that exists below too and merges with it.
    Kept,
}

impl Mark {
    pub fn name(&self) -> &'static str {
        match self {
            Mark::Added => "added",
            Mark::Changed => "changed",
            Mark::Deleted => "deleted",
            Mark::Opaque => "opaque",
            Mark::Kept => "kept",
        }
    }
    /// One character for a tree line, as dive marks them.
    pub fn sign(&self) -> &'static str {
        match self {
            Mark::Added => "+",
            Mark::Changed => "~",
            Mark::Deleted => "−",
            Mark::Opaque => "▣",
            Mark::Kept => "·",
        }
    }
}

#[derive(Debug, Serialize, Clone)]
pub struct FileEntry {
    /// The path in the box, from `/`.
    pub path: String,
    pub depth: usize,
    pub name: String,
    /// "dir", "file", "symlink", "whiteout" or "other".
    pub kind: &'static str,
    pub size: u64,
    pub mark: Mark,
    /// A layer above hides this entry (the box never sees these bytes).
    pub hidden_above: bool,
}

#[derive(Debug, Serialize, Clone)]
pub struct LayerFiles {
    /// The layer's digest; none for the container layer.
    pub digest: Option<String>,
    /// As `LayerModel::made_by`.
    pub made_by: String,
    pub source: String,
    /// In path order, at most [`MAX_ENTRIES`].
    pub entries: Vec<FileEntry>,
    /// The layer holds more entries than listed.
    pub truncated: bool,
    pub added: u64,
    pub changed: u64,
    pub deleted: u64,
    /// Bytes in the layers below that this layer's changes and deletions hide.
    pub hides_below: u64,
    /// Paths of the merged view that come from this layer.
    pub seen: u64,
}

impl FileEntry {
    /// Two spaces a level, for a tree drawn in text.
    pub fn indent(&self) -> String {
        "  ".repeat(self.depth)
    }
}

/// Entries listed per layer (a whole distribution's /usr is not a page).
pub const MAX_ENTRIES: usize = 1500;

/// What the merged view holds so far: each path's size and the layer it is from.
type Merged = BTreeMap<PathBuf, (u64, usize, bool)>;

/// The read-only layers of a stack, walked once: they never change, so a
/// server keeps this and walks only the container layer again.
#[derive(Clone, Default)]
pub struct Lower {
    /// Bottom first.
    layers: Vec<LayerFiles>,
    merged: Merged,
}

/// The digests a box's read-only layers are, bottom first (a cache key for [`Lower`]).
pub fn lower_key(record: &BoxRecord) -> Vec<String> {
    record.layers.iter().map(|l| l.digest.clone()).collect()
}

pub fn lower(root: &Root, record: &BoxRecord) -> Lower {
    let store = Store::at(root);
    let mut low = Lower::default();
    for (i, l) in record.layers.iter().enumerate() {
        let made = store.layer(&l.digest).map_or(l.source.clone(), |m| m.source);
        let made_by = super::layers::made_by(l.role, &made).to_string();
        let source = if made == l.source { made } else { format!("{} · {made}", l.source) };
        let mut layer = empty(Some(l.digest.clone()), made_by, source);
        stack_one(&store.layer_tree(&l.digest), i, &mut low.merged, &mut layer);
        low.layers.push(layer);
    }
    low
}

/// Every layer of the box's stack with its files, top first (the container
/// layer first), the read-only ones from [`lower`]; none before `rootfs`
/// or `layer add`.
pub fn with_container(root: &Root, record: &BoxRecord, lower: &Lower) -> Vec<LayerFiles> {
    if record.layers.is_empty() && record.image.is_none() {
        return vec![];
    }
    let mut merged = lower.merged.clone();
    let mut layers = lower.layers.clone();
    let (upper, _) = root.container_layer(&record.name);
    let mut top = empty(None, "box".into(), format!("box {} (deleted with the box)", record.name));
    stack_one(&upper, layers.len(), &mut merged, &mut top);
    layers.push(top);
    for (i, layer) in layers.iter_mut().enumerate() {
        layer.seen = merged.values().filter(|(_, from, _)| *from == i).count() as u64;
        for e in &mut layer.entries {
            let now = merged.get(Path::new(e.path.trim_start_matches('/')));
            e.hidden_above = e.mark != Mark::Deleted && now.is_none_or(|(_, from, _)| *from != i);
        }
    }
    layers.reverse();
    layers
}

fn empty(digest: Option<String>, made_by: String, source: String) -> LayerFiles {
    LayerFiles {
        digest,
        made_by,
        source,
        entries: vec![],
        truncated: false,
        added: 0,
        changed: 0,
        deleted: 0,
        hides_below: 0,
        seen: 0,
    }
}

/// Lays one layer over the merged view, noting each entry's mark.
fn stack_one(tree: &Path, index: usize, merged: &mut Merged, layer: &mut LayerFiles) {
    let _ = tree::walk::<SysError>(tree, |e| {
        let rel = e.rel.to_path_buf();
        let below = merged.get(&rel).copied();
        let (kind, mark) = if e.stat.is_whiteout() {
            layer.hides_below += remove_under(merged, &rel, true);
            ("whiteout", Mark::Deleted)
        } else if e.stat.kind == FileKind::Dir {
            if e.dir.is_some_and(is_opaque) {
                layer.hides_below += remove_under(merged, &rel, false);
                ("dir", Mark::Opaque)
            } else if below.is_some_and(|(_, _, dir)| dir) {
                ("dir", Mark::Kept)
            } else {
                ("dir", if below.is_some() { Mark::Changed } else { Mark::Added })
            }
        } else {
            let kind = match e.stat.kind {
                FileKind::File => "file",
                FileKind::Symlink => "symlink",
                _ => "other",
            };
            if let Some((size, _, dir)) = below {
                // A file over a folder hides the folder's whole content.
                layer.hides_below += if dir { remove_under(merged, &rel, false) } else { size };
                (kind, Mark::Changed)
            } else {
                (kind, Mark::Added)
            }
        };
        match mark {
            Mark::Added => layer.added += 1,
            Mark::Changed | Mark::Opaque => layer.changed += 1,
            Mark::Deleted => layer.deleted += 1,
            Mark::Kept => {}
        }
        let size = if e.stat.kind == FileKind::Dir { 0 } else { e.stat.size };
        if mark != Mark::Deleted {
            merged.insert(rel.clone(), (size, index, e.stat.kind == FileKind::Dir));
        }
        if layer.entries.len() < MAX_ENTRIES {
            layer.entries.push(FileEntry {
                path: Path::new("/").join(&rel).display().to_string(),
                depth: rel.components().count().saturating_sub(1),
                name: rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                kind,
                size,
                mark,
                hidden_above: false,
            });
        } else {
            layer.truncated = true;
        }
        Ok(())
    });
}

/// Takes a path (when `itself`) and everything under it out of the merged
/// view; the bytes they held.
fn remove_under(merged: &mut Merged, rel: &Path, itself: bool) -> u64 {
    let gone: Vec<PathBuf> =
        merged.range(rel.to_path_buf()..).take_while(|(p, _)| p.starts_with(rel)).map(|(p, _)| p.clone()).collect();
    let mut bytes = 0;
    for p in gone {
        if p == rel && !itself {
            continue;
        }
        bytes += merged.remove(&p).map_or(0, |(size, _, _)| size);
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_marks_added_changed_and_whited_out_paths_against_the_layers_below() {
        let dir = crate::state::paths::unit_test_dir("layer-files");
        let (low, up) = (dir.join("low"), dir.join("up"));
        for (p, text) in [("low/etc/hosts", "127.0.0.1 localhost\n"), ("low/etc/passwd", "root"), ("low/bin/sh", "x")] {
            std::fs::create_dir_all(dir.join(p).parent().unwrap()).unwrap();
            std::fs::write(dir.join(p), text).unwrap();
        }
        std::fs::create_dir_all(up.join("etc")).unwrap();
        std::fs::write(up.join("etc/passwd"), "root:x:0:0").unwrap();
        std::fs::write(up.join("new"), "1").unwrap();
        // overlayfs's whiteout: a character device 0/0 (root only, as the tests run).
        let made = std::process::Command::new("mknod").arg(up.join("etc/hosts")).args(["c", "0", "0"]).status();
        assert!(made.is_ok_and(|s| s.success()), "mknod");
        let mut merged = Merged::new();
        let mut lower = empty(None, "image".into(), String::new());
        stack_one(&low, 0, &mut merged, &mut lower);
        let mut upper = empty(None, "box".into(), String::new());
        stack_one(&up, 1, &mut merged, &mut upper);
        let marks: Vec<(&str, Mark)> = upper.entries.iter().map(|e| (e.path.as_str(), e.mark)).collect();
        assert_eq!(
            marks,
            [
                ("/etc", Mark::Kept),
                ("/etc/hosts", Mark::Deleted),
                ("/etc/passwd", Mark::Changed),
                ("/new", Mark::Added)
            ]
        );
        assert_eq!((upper.added, upper.changed, upper.deleted), (1, 1, 1));
        assert_eq!(upper.hides_below, 20 + 4, "the deleted hosts file and the replaced passwd");
        assert!(!merged.contains_key(Path::new("etc/hosts")) && merged.contains_key(Path::new("bin/sh")));
    }

    #[test]
    fn a_whiteout_takes_the_path_and_its_contents_out_of_the_merged_view() {
        let mut m = Merged::new();
        for (p, size) in [("etc", 0), ("etc/hosts", 87), ("etc/x", 5), ("etcetera", 3)] {
            m.insert(PathBuf::from(p), (size, 0, size == 0));
        }
        assert_eq!(remove_under(&mut m, Path::new("etc/hosts"), true), 87);
        assert_eq!(remove_under(&mut m, Path::new("etc"), false), 5);
        assert!(m.contains_key(Path::new("etc")) && m.contains_key(Path::new("etcetera")));
    }
}
