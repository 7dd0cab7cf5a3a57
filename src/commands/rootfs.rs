use super::Ctx;
use crate::cli::LayerCommand;
use crate::error::{Error, Result};
use crate::image::Store;
use crate::stage::rootfs;
use crate::state::{LayerRole, StackLayer, names};
use crate::sys::executor::{ApplyOptions, apply};
use std::path::PathBuf;

/// The trees overlayfs stacks for a box, top first.
pub fn lower_trees(store: &Store, layers: &[StackLayer]) -> Vec<PathBuf> {
    layers.iter().rev().map(|l| store.layer_tree(&l.digest)).collect()
}

pub fn run(name: &str, image: &str, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    names::validate("image", image)?;
    let (_lock, mut record) = ctx.open(name)?;
    let store = Store::open(&ctx.root)?;
    let img = store.image(image)?;
    let mut layers: Vec<StackLayer> = img
        .layers
        .iter()
        .map(|d| StackLayer { digest: d.clone(), role: LayerRole::Base, source: format!("image {image}") })
        .collect();
    layers.extend(record.layers.iter().filter(|l| l.role == LayerRole::Layer).cloned());
    let plan = rootfs::plan(&ctx.root, &record, lower_trees(&store, &layers))?;
    if ctx.dry_run_shows(&plan) {
        return Ok(0);
    }
    if let Err(e) = apply(&plan, &ApplyOptions { explain: ctx.explain, ..Default::default() }) {
        // What was mounted lives only in the box's mount namespace: nothing
        // on the host to undo, but the box itself is half made.
        eprintln!(
            "glassbox: the box's mount namespace may now hold a half-mounted root filesystem; start again with: glassbox rm --force {name}"
        );
        return Err(e.into());
    }
    record.image = Some(image.to_string());
    record.layers = layers;
    record.rootfs_mounted = true;
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    if !ctx.json {
        println!(
            "box {name} now has its own root filesystem: {} read-only layer(s) of image {image} under a writable container layer",
            record.layers.len()
        );
        println!("try: glassbox run {name} -- ls /   (then glassbox diff {name})");
    }
    Ok(0)
}

pub fn layer(cmd: LayerCommand, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    let LayerCommand::Add { name, source } = cmd;
    let (_lock, mut record) = ctx.open(&name)?;
    if record.rootfs_mounted {
        return Err(Error::Usage(format!(
            "box {name} already mounted its root filesystem, and overlayfs cannot add a lower layer to a mounted stack: add layers before `glassbox rootfs {name} IMAGE`, or commit and start a new box from the image"
        )));
    }
    let store = Store::open(&ctx.root)?;
    let path = PathBuf::from(&source);
    let added: Vec<StackLayer> = if path.is_dir() {
        let meta = store.add_tree(&path, &format!("folder {source}"), crate::image::layer_tar::Times::Keep)?;
        vec![StackLayer { digest: meta.digest, role: LayerRole::Layer, source: format!("folder {source}") }]
    } else if path.is_file() {
        let file = std::fs::File::open(&path).map_err(|e| crate::state::StateError::io(&path, e))?;
        let (meta, _) = store.add_layer(std::io::BufReader::new(file), &format!("tar {source}"), &mut |_| {})?;
        vec![StackLayer { digest: meta.digest, role: LayerRole::Layer, source: format!("tar {source}") }]
    } else {
        names::validate("image", &source)?;
        let img = store.image(&source)?;
        img.layers
            .into_iter()
            .map(|d| StackLayer { digest: d, role: LayerRole::Layer, source: format!("image {source}") })
            .collect()
    };
    let n = added.len();
    record.layers.extend(added);
    record.record_step(typed, crate::plan::Plan::default());
    record.save(&ctx.root)?;
    println!("box {name}: {n} layer(s) added on top of the stack ({} read-only layers in all)", record.layers.len());
    Ok(0)
}
