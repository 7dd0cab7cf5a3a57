//! A box's changes, or a folder or archive the user names, becoming a layer
//! of the store (`commit`, `layer add`): the work of the `CommitBox` and
//! `StoreLayer` operations (`plan::work`).

use super::layer_tar::Times;
use super::store::LayerMeta;
use super::{ImageRecord, Result, Store, config};
use crate::state::{BoxRecord, LayerRole, Root, StateError};
use std::path::Path;

/// A folder (walked beneath it, as the user named it even through a
/// symlink) or an archive becomes a layer; returns it and its source as the
/// box's stack names it (`folder SRC`, `tar SRC`).
pub fn store_layer(store: &Store, path: &Path, folder: bool, typed: &str) -> Result<(LayerMeta, String)> {
    if folder {
        // The walk opens the folder's root without following a symlink.
        let folder = std::fs::canonicalize(path).map_err(|e| StateError::io(path, e))?;
        let source = format!("folder {typed}");
        Ok((store.add_tree(&folder, &source, Times::Keep)?, source))
    } else {
        let source = format!("tar {typed}");
        let file = std::fs::File::open(path).map_err(|e| StateError::io(path, e))?;
        Ok((store.add_layer(std::io::BufReader::new(file), &source, &Default::default(), &mut |_| {})?.0, source))
    }
}

/// The box's container layer as a read-only layer of the store: written as
/// a tar (whiteouts as `.wh.` names, see `layer_tar`) and added like any
/// archive. `commit` and `build`'s RUN both make their layers here.
pub fn layer_of(root: &Root, store: &Store, name: &str, source: &str) -> Result<LayerMeta> {
    let (upper, _) = root.container_layer(name);
    store.add_tree(&upper, source, Times::Keep)
}

/// Image `image`: the box's layers and its container layer (`upper`) on
/// top, with the box's config (as docker's commit keeps the container's).
pub fn commit(store: &Store, root: &Root, name: &str, upper: &Path, image: &str) -> Result<(LayerMeta, ImageRecord)> {
    let record = BoxRecord::load(root, name)?;
    let layer = store.add_tree(upper, &format!("commit of box {name}"), Times::Keep)?;
    let mut layers: Vec<String> = record.layers.iter().map(|l| l.digest.clone()).collect();
    layers.push(layer.digest.clone());
    let base = record.image.as_deref().and_then(|i| store.image(i).ok());
    let extra = record.layers.iter().filter(|l| l.role == LayerRole::Layer);
    let mut added: Vec<_> =
        extra.map(|l| config::history(&format!("glassbox layer add ({})", l.source), false, None)).collect();
    added.push(config::history(&format!("glassbox commit {name}"), false, None));
    let config = config::extended(base.and_then(|b| b.config).as_ref(), record.image_config, added, &layers);
    let image = ImageRecord {
        name: image.into(),
        layers,
        source: format!("commit of box {name}"),
        created_at: crate::state::record::now(),
        config: Some(config),
    };
    store.save_image(&image)?;
    Ok((layer, image))
}
