use super::Ctx;
use crate::error::{Error, Result};
use crate::image::{ImageRecord, Store};
use crate::state::{BoxRecord, names};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// One change in the container layer, like a line of `docker diff`.
#[derive(Debug, serde::Serialize, PartialEq)]
pub struct Change {
    pub kind: char,
    pub path: String,
}

/// Walks the container layer: a 0/0 character device is a deletion, a path
/// that some lower layer also has is a change, anything else was added.
pub fn changes(upper: &Path, lowers: &[PathBuf]) -> Vec<Change> {
    let mut out = vec![];
    walk(upper, Path::new("/"), lowers, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn walk(dir: &Path, rel: &Path, lowers: &[PathBuf], out: &mut Vec<Change>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let path = e.path();
        let rel_path = rel.join(e.file_name());
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        let in_lower =
            lowers.iter().any(|l| std::fs::symlink_metadata(l.join(rel_path.strip_prefix("/").unwrap())).is_ok());
        let kind = if meta.file_type().is_char_device() && meta.rdev() == 0 {
            'D'
        } else if in_lower {
            'C'
        } else {
            'A'
        };
        out.push(Change { kind, path: rel_path.display().to_string() });
        if meta.is_dir() {
            walk(&path, &rel_path, lowers, out);
        }
    }
}

pub fn diff(name: &str, ctx: &Ctx) -> Result<u8> {
    names::validate("box", name)?;
    let record = BoxRecord::load(&ctx.root, name)?;
    let store = Store::open(&ctx.root)?;
    let (upper, _) = ctx.root.container_layer(name);
    let list = changes(&upper, &super::rootfs::lower_trees(&store, &record.layers));
    if ctx.json {
        ctx.print_json(&list);
    } else {
        for c in &list {
            println!("{} {}", c.kind, c.path);
        }
        if list.is_empty() {
            println!("(the container layer is empty: nothing written yet)");
        }
    }
    Ok(0)
}

pub fn commit(name: &str, image: &str, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    names::validate("image", image)?;
    let (_lock, mut record) = ctx.open(name)?;
    if !record.rootfs_mounted {
        return Err(Error::Usage(format!(
            "box {name} has no root filesystem to commit: glassbox rootfs {name} IMAGE first"
        )));
    }
    let store = Store::open(&ctx.root)?;
    store.refuse_taken(image, false)?;
    let (upper, _) = ctx.root.container_layer(name);
    let layer = store.add_tree(&upper, &format!("commit of box {name}"), crate::image::layer_tar::Times::Keep)?;
    let mut layers: Vec<String> = record.layers.iter().map(|l| l.digest.clone()).collect();
    layers.push(layer.digest.clone());
    let n = layers.len();
    store.save_image(&ImageRecord {
        name: image.into(),
        layers,
        source: format!("commit of box {name}"),
        created_at: crate::state::record::now(),
    })?;
    record.record_step(typed, crate::plan::Plan::default());
    record.save(&ctx.root)?;
    println!(
        "image {image}: {n} layers; the new top layer {} holds {} files of box {name}'s container layer",
        super::image::short(&layer.digest),
        layer.files
    );
    Ok(0)
}
