use super::Ctx;
use crate::error::{Error, Result, UsageError};
use crate::image::view::{Found, LayerView, Symlinks};
use crate::image::{ImageRecord, Store, config};
use crate::output::outcome::Said;
use crate::output::say;
use crate::state::{BoxRecord, names};
use crate::sys::tree;
use std::path::{Path, PathBuf};

/// One change in the container layer, like a line of `docker diff`.
#[derive(Debug, serde::Serialize, PartialEq)]
pub struct Change {
    pub kind: char,
    pub path: String,
}

/// Walks the container layer: a 0/0 character device is a deletion, a path
/// that the layers below also have is a change, anything else was added.
/// The box may be writing the layer meanwhile: the walk and the look into
/// the layers below go by descriptor and follow no symlink (`sys::tree`).
pub fn changes(upper: &Path, lowers: &[PathBuf]) -> Result<Vec<Change>> {
    if !upper.exists() {
        return Ok(vec![]);
    }
    let below = LayerView::open(lowers);
    let mut out = vec![];
    tree::walk(upper, |e| {
        let kind = if e.stat.is_whiteout() {
            'D'
        } else if matches!(below.find(e.rel, Symlinks::Never)?, Found::In { .. }) {
            'C'
        } else {
            'A'
        };
        out.push(Change { kind, path: Path::new("/").join(e.rel).display().to_string() });
        Ok::<_, Error>(())
    })?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

pub fn diff(name: &str, ctx: &Ctx) -> Result<u8> {
    names::validate("box", name)?;
    let record = BoxRecord::load(&ctx.root, name)?;
    let store = Store::open(&ctx.root)?;
    let (upper, _) = ctx.root.container_layer(name);
    let list = changes(&upper, &super::rootfs::lower_trees(&store, &record.layers))?;
    if ctx.json {
        ctx.print_json(&list);
    } else {
        for c in &list {
            say!("{} {}", c.kind, c.path);
        }
        if list.is_empty() {
            say!("{}", crate::i18n::tr!("diff-empty"));
        }
    }
    Ok(0)
}

/// The box's container layer as a read-only layer of the store: written as
/// a tar (whiteouts as `.wh.` names, see `layer_tar`) and added like any
/// archive. `commit` and `build`'s RUN both make their layers here.
pub fn layer_of(ctx: &Ctx, store: &Store, name: &str, source: &str) -> Result<crate::image::store::LayerMeta> {
    let (upper, _) = ctx.root.container_layer(name);
    Ok(store.add_tree(&upper, source, crate::image::layer_tar::Times::Keep)?)
}

pub fn commit(name: &str, image: &str, ctx: &Ctx, typed: Vec<String>) -> Result<u8> {
    names::validate("image", image)?;
    let (_lock, mut record) = ctx.open(name)?;
    if !record.rootfs_mounted {
        return Err(UsageError::CommitNoRootfs { name: name.into() }.into());
    }
    let store = if ctx.dry_run { Store::at(&ctx.root) } else { Store::open(&ctx.root)? };
    store.refuse_taken(image, false)?;
    // The box's layers and its container layer, one image no box could stack.
    let fix = "build the box from an image with fewer layers, then commit it";
    crate::state::stack::check_count(&format!("image {image}"), record.layers.len() + 1, fix)?;
    let (upper, _) = ctx.root.container_layer(name);
    let what = format!(
        "walk {} beneath its folder (openat O_NOFOLLOW, one component at a time), pack it as a new layer of {}; write image {image}: the box's layers and it",
        upper.display(),
        ctx.root.layers_dir().display()
    );
    let shell = format!(
        "tar -C {} -cpf layer.tar . && glassbox image import layer.tar --name {image}",
        crate::output::escape::shell_word(&upper.to_string_lossy())
    );
    let why =
        "what the box changed becomes a read-only layer on top of its image's: a new image, the box left as it is";
    let Some(plan) = super::work::begin(ctx, vec![super::work::work(what, shell, why)])? else {
        return Ok(0);
    };
    let layer = layer_of(ctx, &store, name, &format!("commit of box {name}"))?;
    let mut layers: Vec<String> = record.layers.iter().map(|l| l.digest.clone()).collect();
    layers.push(layer.digest.clone());
    let n = layers.len();
    // Docker's commit keeps the container's config: so does this one.
    let base = record.image.as_deref().and_then(|i| store.image(i).ok());
    let extra = record.layers.iter().filter(|l| l.role == crate::state::LayerRole::Layer);
    let mut added: Vec<_> =
        extra.map(|l| config::history(&format!("glassbox layer add ({})", l.source), false, None)).collect();
    added.push(config::history(&format!("glassbox commit {name}"), false, None));
    let config = config::extended(base.and_then(|b| b.config).as_ref(), record.image_config.clone(), added, &layers);
    store.save_image(&ImageRecord {
        name: image.into(),
        layers,
        source: format!("commit of box {name}"),
        created_at: crate::state::record::now(),
        config: Some(config),
    })?;
    record.record_step(typed, plan);
    record.save(&ctx.root)?;
    let top = crate::model::format::short(&layer.digest);
    let said =
        crate::i18n::tr!("step-committed", image = image, count = n, top = top, files = layer.files, name = name);
    ctx.show(Said::new(store.image(image)?, said))
}
